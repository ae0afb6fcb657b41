with

source as (

    select * from {{ source('core_brokerage', 'risk_assessments') }}

),

renamed as (

    select
        ----------  ids
        assessment_id,
        account_id,

        ----------  assessment
        risk_level,
        -- C1..C5 as 1..5, so suitability can compare it with a product's R1..R5 rank.
        cast(substr(risk_level, 2) as int) as risk_level_rank,
        score,

        ----------  dates
        assessed_at,
        to_date(assessed_at) as assessed_date,
        expires_on,

        ----------  lineage
        dt as delivery_date,
        _source_file,
        _source_line

    from source

)

select * from renamed
