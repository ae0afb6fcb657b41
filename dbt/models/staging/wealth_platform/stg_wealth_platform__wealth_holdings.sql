with

source as (

    select * from {{ source('wealth_platform', 'wealth_holdings') }}

),

renamed as (

    select
        ----------  ids
        account_id,
        product_code,

        ----------  snapshot
        holding_date,
        units,
        market_value,

        ----------  lineage
        dt as delivery_date,
        _source_file,
        _source_line

    from source

)

select * from renamed
