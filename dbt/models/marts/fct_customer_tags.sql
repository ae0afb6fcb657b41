{#- Every published tag value of the build date, one row per customer and tag: the family models
    unpivoted. NULL values (not applicable, or withheld for lack of consent) have no row. -#}
with

{% for family in tag_families() -%}
{{ family }}_rows as (
{{ tag_family_rows(family) }}
),

{% endfor -%}

tag_rows as (

    {% for family in tag_families() -%}
    select * from {{ family }}_rows
    {% if not loop.last %}union all
    {% endif %}
    {%- endfor %}

)

select
    customer_key,
    tag_id,
    family,
    value,
    cast(tag_version as int) as tag_version,
    consented_purposes,
    as_of
from tag_rows
where value is not null
