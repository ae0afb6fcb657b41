with

source as (

    select * from {{ source('wealth_platform', 'wealth_transactions') }}

),

renamed as (

    select
        ----------  ids
        txn_id,
        account_id,
        product_code,

        ----------  transaction
        txn_type,
        amount,
        -- Money into the product (subscribe +, redeem -); a dividend pays out without
        -- changing what is invested, so it counts 0.
        case txn_type
            when 'subscribe' then amount
            when 'redeem' then -amount
            else 0
        end as net_invested_amount,
        channel,

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
