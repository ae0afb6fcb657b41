with

source as (

    select * from {{ source('wealth_platform', 'wealth_products') }}

),

renamed as (

    select
        ----------  ids
        product_code,

        ----------  product
        product_name,
        product_type,
        risk_level,
        -- R1..R5 as 1..5, comparable with a customer's C1..C5 rank for suitability.
        cast(substr(risk_level, 2) as int) as risk_level_rank,
        issuer,
        currency,
        min_investment,
        launch_date,

        ----------  timestamps
        updated_at,

        ----------  lineage
        dt as delivery_date,
        _source_file,
        _source_line

    from source

)

select * from renamed
