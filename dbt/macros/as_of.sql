{#- The build date of a run: the dbt var `as_of` (YYYY-MM-DD), required by every model that
    builds one as_of partition. `--vars '{as_of: 2026-10-03}'` hands dbt a YAML date, a quoted
    value a string: both are accepted, anything else fails the run before any SQL is sent. -#}
{% macro as_of_text() %}
    {%- set raw = var('as_of', none) -%}
    {%- if not execute -%}
        {#- Parsing renders models without vars: any well-formed date will do. -#}
        {{ return('1970-01-01') }}
    {%- endif -%}
    {%- if raw is none -%}
        {{ exceptions.raise_compiler_error(
            "var 'as_of' is required: dbt build --vars '{as_of: YYYY-MM-DD}'") }}
    {%- endif -%}
    {%- set text = raw | string -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text) -%}
        {{ exceptions.raise_compiler_error("var 'as_of' must be a date YYYY-MM-DD, got " ~ text) }}
    {%- endif -%}
    {%- do modules.datetime.datetime.strptime(text, '%Y-%m-%d') -%}
    {{ return(text) }}
{% endmacro %}

{#- The build date as a SQL DATE literal. -#}
{% macro as_of_date() %}
    {{- return("date'" ~ as_of_text() ~ "'") -}}
{% endmacro %}
