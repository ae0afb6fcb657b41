with

source as (

    select * from {{ source('consent_center', 'consent_events') }}

),

renamed as (

    select
        ----------  ids
        consent_event_id,
        account_id,
        partner_id,

        ----------  consent
        purpose,
        action,
        action = 'grant' as is_grant,
        channel,
        policy_version,

        ----------  timestamps
        event_time,
        to_date(event_time) as event_date,

        ----------  lineage
        dt as delivery_date,
        _source_file,
        _source_line

    from source

)

select * from renamed
