with

source as (

    select * from {{ source('core_brokerage', 'customers') }}

),

renamed as (

    select
        ----------  ids
        account_id,

        ----------  identity tokens (keyed HMAC; clear values never leave landing)
        name_token,
        phone_token,
        national_id_token,
        device_id_token,

        ----------  profile
        birth_date,
        gender,
        city,
        open_date,
        channel as open_channel,

        ----------  timestamps
        updated_at,

        ----------  lineage
        dt as delivery_date,
        _source_file,
        _source_line

    from source

)

select * from renamed
