with

source as (

    select * from {{ source('core_brokerage', 'positions') }}

),

renamed as (

    select
        ----------  ids
        account_id,
        symbol,

        ----------  snapshot
        position_date,
        sector,
        quantity,
        cost_basis,
        market_value,
        quantity * cost_basis as cost_value,
        market_value - quantity * cost_basis as unrealized_pnl,

        ----------  lineage
        dt as delivery_date,
        _source_file,
        _source_line

    from source

)

select * from renamed
