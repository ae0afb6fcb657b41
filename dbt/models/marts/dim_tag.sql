{#- The tag catalog the build date's tags were computed with, from `tag_catalog()`. -#}
with

catalog as (

    {{ tag_catalog_rows() }}

)

select
    tag_id,
    family,
    name_en,
    name_zh,
    tag_type,
    value_labels,
    sensitivity,
    purposes,
    partners,
    lineage,
    features,
    version,
    owner,
    definition_sql,
    {{ as_of_date() }} as as_of
from catalog
