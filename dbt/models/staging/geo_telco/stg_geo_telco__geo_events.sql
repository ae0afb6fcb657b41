with

source as (

    select * from {{ source('geo_telco', 'geo_events') }}

),

renamed as (

    select
        ----------  ids
        event_id,
        partner_user_id,

        ----------  identity token (links to customers.device_id_token)
        device_id_token,

        ----------  visit
        place_type,
        place_code,
        city,
        dwell_minutes,

        ----------  timestamps
        event_time,
        to_date(event_time) as event_date,

        ----------  lineage
        dt as delivery_date,
        _source_file,
        _source_line

    from source

)

select * from renamed
