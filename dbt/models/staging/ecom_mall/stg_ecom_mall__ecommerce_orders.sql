with

source as (

    select * from {{ source('ecom_mall', 'ecommerce_orders') }}

),

renamed as (

    select
        ----------  ids
        order_id,
        partner_user_id,

        ----------  identity token (links to customers.phone_token)
        phone_token,

        ----------  order
        category,
        amount,
        status,
        status = 'refunded' as is_refunded,

        ----------  timestamps
        order_time,
        to_date(order_time) as order_date,

        ----------  lineage
        dt as delivery_date,
        _source_file,
        _source_line

    from source

)

select * from renamed
