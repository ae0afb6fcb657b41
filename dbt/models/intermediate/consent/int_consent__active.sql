{#- Consent state per (customer, partner, purpose) on every build date of identity resolution:
    the customer's latest consent event dated on or before that as_of decides (catalog rule,
    profilehub/catalog/model.py). Events of all the customer's accounts count: consent belongs
    to the person. Models pick their build date; Spark prunes the other as_of partitions. -#}
with

accounts as (

    select as_of, account_id, customer_key
    from {{ source('profilehub_spark', 'customer_accounts') }}

),

consent_events as (

    select * from {{ ref('stg_consent_center__consent_events') }}

),

customer_consent_events as (

    select
        accounts.as_of,
        accounts.customer_key,
        consent_events.*
    from accounts
    inner join consent_events
        on consent_events.account_id = accounts.account_id
        and consent_events.event_date <= accounts.as_of

),

ranked as (

    select
        *,
        -- Latest event first; same event_time: the greater consent_event_id wins.
        row_number() over (
            partition by as_of, customer_key, partner_id, purpose
            order by event_time desc, consent_event_id desc
        ) as recency_rank
    from customer_consent_events

)

select
    customer_key,
    partner_id,
    purpose,
    is_grant as is_active,
    consent_event_id as deciding_consent_event_id,
    account_id as deciding_account_id,
    event_time as decided_at,
    policy_version,
    as_of
from ranked
where recency_rank = 1
