{#- One row per customer and build date: the account summary and every tag that reads no partner
    data, as typed columns. Partner-derived tags live in fct_customer_tags only, where each value
    carries the purposes it was consented for (a wide column could not say). -#}
{%- set families = [] -%}
{%- for tag in catalog_tags() if not tag['partners'] and tag['family'] not in families -%}
    {%- do families.append(tag['family']) -%}
{%- endfor -%}
with

population as (

    select customer_key, as_of
    from {{ source('profilehub_spark', 'customer_features') }}
    where as_of = {{ as_of_date() }}

),

accounts as (

    select
        customer_key,
        count(*) as account_count,
        min(opened_on) as customer_since
    from {{ source('profilehub_spark', 'customer_accounts') }}
    where as_of = {{ as_of_date() }}
    group by customer_key

),

{% for family in families -%}
tags__{{ family }} as (

    select * from {{ ref('int_tags__' ~ family) }}
    where as_of = {{ as_of_date() }}

),

{% endfor -%}

profile as (

    select
        population.customer_key,
        cast(coalesce(accounts.account_count, 0) as int) as account_count,
        accounts.customer_since,
        {%- for tag in catalog_tags() if not tag['partners'] %}
        tags__{{ tag['family'] }}.{{ tag['id'] }},
        {%- endfor %}
        population.as_of
    from population
    left join accounts on accounts.customer_key = population.customer_key
    {%- for family in families %}
    left join tags__{{ family }} on tags__{{ family }}.customer_key = population.customer_key
    {%- endfor %}

)

select * from profile
