{#- The whole value must match a Java regular expression, anchored like the ingest validator
    anchors contract patterns. Spark string literals treat backslash as an escape, so it is
    doubled to reach the regex engine intact. Nulls pass. -#}
{% test matches_pattern(model, column_name, pattern) %}

{%- set anchored = '^(?:' ~ pattern ~ ')$' -%}
select {{ column_name }} as mismatching_value
from {{ model }}
where {{ column_name }} is not null
  and not ({{ column_name }} rlike '{{ anchored | replace("\\", "\\\\") | replace("'", "\\'") }}')

{% endtest %}
