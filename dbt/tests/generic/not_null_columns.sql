{#- Several columns that must never be NULL, checked in one query: one Spark job for a wide
    table instead of one per column. Fails with one row per offending row, naming the first NULL
    column. -#}
{% test not_null_columns(model, column_names) %}

select
    case
        {%- for column in column_names %}
        when {{ column }} is null then '{{ column }}'
        {%- endfor %}
    end as null_column
from {{ model }}
where {{ column_names | join(' is null or ') }} is null

{% endtest %}
