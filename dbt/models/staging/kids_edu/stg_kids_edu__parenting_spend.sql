with

source as (

    select * from {{ source('kids_edu', 'parenting_spend') }}

),

renamed as (

    select
        ----------  ids
        txn_id,
        partner_user_id,

        ----------  identity token (links to customers.phone_token)
        phone_token,

        ----------  purchase
        category,
        amount,
        child_age_months,

        ----------  timestamps
        txn_time,
        to_date(txn_time) as txn_date,

        ----------  lineage
        dt as delivery_date,
        _source_file,
        _source_line

    from source

)

select * from renamed
