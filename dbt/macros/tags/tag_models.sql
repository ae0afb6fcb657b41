{#- Tag models generated from the catalog (`tag_catalog()`, rendered from profilehub/catalog).
    Every tag's value is the catalog's own SQL text (`tag.sql`, rendered by
    profilehub.catalog.Tag.sql): no tag has SQL of its own in the dbt project, so adding a tag
    is one catalog entry (plus a unit test). -#}


{#- Tags of one family in catalog order; every tag when `family` is none. -#}
{% macro catalog_tags(family=none) %}
    {%- set catalog = tag_catalog() -%}
    {%- if family is none -%}
        {{ return(catalog['tags']) }}
    {%- endif -%}
    {%- if family not in catalog['families'] -%}
        {{ exceptions.raise_compiler_error(
            "unknown tag family '" ~ family ~ "'; families: " ~ catalog['families'] | join(', ')) }}
    {%- endif -%}
    {{ return(catalog['tags'] | selectattr('family', 'equalto', family) | list) }}
{% endmacro %}


{% macro tag_families() %}
    {{ return(tag_catalog()['families']) }}
{% endmacro %}


{#- A SQL string literal; Spark reads backslash as an escape, so both it and the quote are
    escaped. -#}
{% macro sql_string(text) %}
    {{- return("'" ~ (text | replace("\\", "\\\\") | replace("'", "\\'")) ~ "'") -}}
{% endmacro %}


{% macro sql_string_array(items) %}
    {%- set literals = [] -%}
    {%- for item in items -%}
        {%- do literals.append(sql_string(item)) -%}
    {%- endfor -%}
    {{- return('cast(array(' ~ literals | join(', ') ~ ') as array<string>)') -}}
{% endmacro %}


{#- Name of the flag "consent to `partner` for `purpose` is active". Feature and tag names are
    snake_case without double underscores, so the flag can never shadow one of them. -#}
{% macro consent_flag(partner, purpose) %}
    {{- return('consent__' ~ partner ~ '__' ~ purpose) -}}
{% endmacro %}


{#- (partner, purpose) pairs whose consent decides some tag of `tags`. -#}
{% macro consent_pairs(tags) %}
    {%- set pairs = [] -%}
    {%- for tag in tags -%}
        {%- for partner in tag['partners'] -%}
            {%- for purpose in tag['purposes'] -%}
                {%- if [partner, purpose] not in pairs -%}
                    {%- do pairs.append([partner, purpose]) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(pairs) }}
{% endmacro %}


{#- The consent rule (profilehub/catalog/model.py): a partner-derived tag is published only if,
    for EACH partner it reads, consent is active for AT LEAST ONE of its purposes. -#}
{% macro tag_consent_gate(tag) %}
    {%- set per_partner = [] -%}
    {%- for partner in tag['partners'] -%}
        {%- set any_purpose = [] -%}
        {%- for purpose in tag['purposes'] -%}
            {%- do any_purpose.append(consent_flag(partner, purpose)) -%}
        {%- endfor -%}
        {%- do per_partner.append('(' ~ any_purpose | join(' or ') ~ ')') -%}
    {%- endfor -%}
    {{- return(per_partner | join(' and ')) -}}
{% endmacro %}


{#- The tag's purposes for which consent is active for every partner it reads: what the value
    may be used for. It can be empty while the tag is published, when partners consented for
    different purposes (the gate needs one purpose per partner, not a common one). -#}
{% macro tag_consented_purposes(tag) %}
    {%- set items = [] -%}
    {%- for purpose in tag['purposes'] -%}
        {%- set every_partner = [] -%}
        {%- for partner in tag['partners'] -%}
            {%- do every_partner.append(consent_flag(partner, purpose)) -%}
        {%- endfor -%}
        {%- do items.append('case when ' ~ every_partner | join(' and ') ~ ' then '
                            ~ sql_string(purpose) ~ ' end') -%}
    {%- endfor -%}
    {{- return('array_compact(array(' ~ items | join(', ') ~ '))') -}}
{% endmacro %}


{#- Column holding the consented purposes of a partner-derived tag in its family model. -#}
{% macro consented_purposes_column(tag) %}
    {{- return(tag['id'] ~ '__consented_purposes') -}}
{% endmacro %}


{#- One family's tags per customer and as_of: customer_key, one typed column per tag (the
    catalog's SQL over the feature table), `<tag>__consented_purposes` per partner-derived tag,
    as_of. A partner-derived tag is NULL (absent) unless its consent gate is open on that date.
    Every as_of of the feature table is covered: the marts pick their build date, and Spark
    prunes the other partitions. -#}
{% macro tag_family_model(family) %}
{%- set tags = catalog_tags(family) -%}
{%- set gated = tags | selectattr('partners') | list -%}
{%- set pairs = consent_pairs(gated) -%}
with

features as (

    select * from {{ source('profilehub_spark', 'customer_features') }}

),
{%- if gated %}

consents as (

    select
        customer_key,
        as_of,
        {%- for partner, purpose in pairs %}
        bool_or(partner_id = {{ sql_string(partner) }} and purpose = {{ sql_string(purpose) }}
                and is_active) as {{ consent_flag(partner, purpose) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('int_consent__active') }}
    group by customer_key, as_of

),

features_with_consent as (

    select
        features.*,
        {%- for partner, purpose in pairs %}
        coalesce(consents.{{ consent_flag(partner, purpose) }}, false)
            as {{ consent_flag(partner, purpose) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from features
    left join consents
        on consents.customer_key = features.customer_key
        and consents.as_of = features.as_of

),
{%- endif %}

tags as (

    select
        customer_key,
        {%- for tag in tags %}
        {%- if tag['partners'] %}
        case when {{ tag_consent_gate(tag) }} then {{ tag['sql'] }} end as {{ tag['id'] }},
        case when {{ tag_consent_gate(tag) }} then {{ tag_consented_purposes(tag) }} end
            as {{ consented_purposes_column(tag) }},
        {%- else %}
        {{ tag['sql'] }} as {{ tag['id'] }},
        {%- endif %}
        {%- endfor %}
        as_of
    from {{ 'features_with_consent' if gated else 'features' }}

)

select * from tags
{% endmacro %}


{#- One family's tags on the build date as long rows (customer_key, tag_id, family, value,
    tag_version, consented_purposes, as_of), NULL values included. The value is the typed
    column cast to STRING, as profilehub.catalog.Tag.select_item() casts it: booleans
    'true'/'false', scores the decimal, categories and buckets their label. -#}
{% macro tag_family_rows(family) %}
{%- set tags = catalog_tags(family) -%}
    select
        customer_key,
        stack(
            {{ tags | length }},
            {%- for tag in tags %}
            {{ sql_string(tag['id']) }}, cast({{ tag['id'] }} as string), {{ tag['version'] }},
            {{ consented_purposes_column(tag) if tag['partners'] else 'cast(null as array<string>)' }}
            {{- ',' if not loop.last }}
            {%- endfor %}
        ) as (tag_id, value, tag_version, consented_purposes),
        {{ sql_string(family) }} as family,
        as_of
    from {{ ref('int_tags__' ~ family) }}
    where as_of = {{ as_of_date() }}
{% endmacro %}


{#- The catalog as rows, one per tag, for dim_tag. One JSON literal parsed by Spark: an inline
    VALUES table of this size takes the analyser far longer. -#}
{% macro tag_catalog_rows() %}
    {%- set rows = [] -%}
    {%- for tag in catalog_tags() -%}
        {%- do rows.append({
            'tag_id': tag['id'], 'family': tag['family'], 'name_en': tag['name_en'],
            'name_zh': tag['name_zh'], 'tag_type': tag['type'], 'value_labels': tag['values'],
            'sensitivity': tag['sensitivity'], 'purposes': tag['purposes'],
            'partners': tag['partners'], 'lineage': tag['lineage'],
            'features': tag['features'], 'version': tag['version'], 'owner': tag['owner'],
            'definition_sql': tag['sql']}) -%}
    {%- endfor -%}
    select * from inline(from_json(
        {{ sql_string(tojson(rows)) }},
        'array<struct<tag_id: string, family: string, name_en: string, name_zh: string,
                      tag_type: string, value_labels: array<string>, sensitivity: string,
                      purposes: array<string>, partners: array<string>, lineage: array<string>,
                      features: array<string>, version: int, owner: string,
                      definition_sql: string>>'
    ))
{% endmacro %}
