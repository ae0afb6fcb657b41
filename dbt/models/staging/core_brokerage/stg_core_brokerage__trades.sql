with

source as (

    select * from {{ source('core_brokerage', 'trades') }}

),

renamed as (

    select
        ----------  ids
        trade_id,
        account_id,
        symbol,

        ----------  execution
        trade_time,
        to_date(trade_time) as trade_date,
        sector,
        side,
        is_margin,
        channel,

        ----------  numerics
        quantity,
        price,
        amount,
        fee,
        -- Signed by direction (BUY +, SELL -) so net buying is a plain sum.
        case when side = 'SELL' then -quantity else quantity end as signed_quantity,
        case when side = 'SELL' then -amount else amount end as signed_amount,

        ----------  lineage
        dt as delivery_date,
        _source_file,
        _source_line

    from source

)

select * from renamed
