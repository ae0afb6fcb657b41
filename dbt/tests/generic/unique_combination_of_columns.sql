{#- Composite-key uniqueness. dbt-core's built-in `unique` works on one column only and the
    machine cannot reach the dbt hub for dbt_utils, so this mirrors its test of the same name.
    Fails with one row per duplicated combination. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(',\n    ') }},
    count(*) as duplicate_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
