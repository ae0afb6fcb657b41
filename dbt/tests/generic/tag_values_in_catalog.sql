{#- Long tag rows agree with the catalog of their build date (`catalog`, e.g. dim_tag): the tag
    exists with that family and version; the value fits its type (booleans 'true'/'false',
    scores a number in [0, 1], categories and buckets one of their labels); consented purposes
    are present exactly for partner-derived tags and are among the tag's purposes. Fails with
    one row per offending tag row. -#}
{% test tag_values_in_catalog(model, catalog) %}

{#- A CTE, not `{{ model }} as tag_rows`: with a `where` config dbt hands the test an aliased
    subquery, which takes no second alias. #}
with tag_rows as (
    select * from {{ model }}
)

select
    tag_rows.customer_key,
    tag_rows.tag_id,
    tag_rows.value,
    tag_rows.as_of
from tag_rows
left join {{ catalog }} as catalog
    on catalog.tag_id = tag_rows.tag_id
    and catalog.as_of = tag_rows.as_of
where catalog.tag_id is null
    or tag_rows.family <> catalog.family
    or tag_rows.tag_version <> catalog.version
    or (catalog.tag_type = 'boolean' and tag_rows.value not in ('true', 'false'))
    or (catalog.tag_type = 'score'
        and coalesce(not (try_cast(tag_rows.value as double) between 0 and 1), true))
    or (catalog.tag_type in ('category', 'bucket')
        and not array_contains(catalog.value_labels, tag_rows.value))
    or (size(catalog.partners) > 0) <> (tag_rows.consented_purposes is not null)
    or size(array_except(coalesce(tag_rows.consented_purposes, array()), catalog.purposes)) > 0

{% endtest %}
