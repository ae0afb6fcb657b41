with

source as (

    select * from {{ source('market_data_vendor', 'market_quotes') }}

),

renamed as (

    select
        ----------  ids
        symbol,
        trade_date,

        ----------  quote
        sector,
        prev_close as prev_close_price,
        close as close_price,
        close / prev_close - 1 as daily_return,
        index_close,

        ----------  lineage
        dt as delivery_date,
        _source_file,
        _source_line

    from source

)

select * from renamed
