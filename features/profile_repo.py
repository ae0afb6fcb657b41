"""ProfileHub's Feast repository: the customer profile, as the tag catalog defines it.

Read top to bottom: the entity, the offline sources, one feature view per tag family, the
consent-gated views of partner-derived tags, and the versioned feature services. Every schema,
type and description comes from ``profilehub/catalog`` (``profilehub.feature_store.views``):
a new tag appears here without an edit, a new family or consent purpose needs one line (a test
says which). Apply with ``profilehub.feature_store.apply_repository(get_store(settings))``;
the environment's ``local/`` or ``prod/feature_store.yaml`` is rendered from settings.
"""

from feast import Entity, ValueType

from profilehub.feature_store.services import MARKETING_V1, PARTNER_API_V1, TRAINING_V1
from profilehub.feature_store.views import (
    ENTITY_KEY,
    PROFILE_SNAPSHOT,
    consented_snapshot,
    consented_view,
    family_view,
    feature_service,
    snapshot_source,
)

customer = Entity(
    name="customer",
    join_keys=[ENTITY_KEY],
    value_type=ValueType.STRING,
    description="A customer: the pseudonymous key identity resolution gives one person.",
)

# Offline sources: Parquet snapshots of the marts that materialize_as_of writes, one partition
# per as_of, stamped with the instant that as_of's data was complete.
customer_profile = snapshot_source(
    PROFILE_SNAPSHOT, "dim_customer_profile: every tag that reads no partner data.")
consented_for_research = snapshot_source(
    consented_snapshot("research"),
    "fct_customer_tags: partner-derived values consented for research.")
consented_for_marketing = snapshot_source(
    consented_snapshot("marketing"),
    "fct_customer_tags: partner-derived values consented for marketing.")
consented_for_partner_credit_assessment = snapshot_source(
    consented_snapshot("partner_credit_assessment"),
    "fct_customer_tags: partner-derived values consented for partner credit assessment.")

# One view per tag family over the profile mart.
demographic_lifecycle = family_view("demographic_lifecycle", customer, customer_profile)
asset_tier = family_view("asset_tier", customer, customer_profile)
risk_suitability = family_view("risk_suitability", customer, customer_profile)
trading_behaviour = family_view("trading_behaviour", customer, customer_profile)
emotion_radar = family_view("emotion_radar", customer, customer_profile)
wealth_preference = family_view("wealth_preference", customer, customer_profile)
churn_engagement = family_view("churn_engagement", customer, customer_profile)
compliance = family_view("compliance", customer, customer_profile)

# Partner-derived tags (today the whole scenario_consumption family), per consent purpose.
scenario_consumption_for_research = consented_view(
    "scenario_consumption", "research", customer, consented_for_research)
scenario_consumption_for_marketing = consented_view(
    "scenario_consumption", "marketing", customer, consented_for_marketing)
scenario_consumption_for_partner_credit_assessment = consented_view(
    "scenario_consumption", "partner_credit_assessment", customer,
    consented_for_partner_credit_assessment)

FEATURE_VIEWS = (
    demographic_lifecycle, asset_tier, risk_suitability, trading_behaviour, emotion_radar,
    wealth_preference, churn_engagement, compliance,
    scenario_consumption_for_research, scenario_consumption_for_marketing,
    scenario_consumption_for_partner_credit_assessment,
)

# Versioned services: what each audience gets (rules in profilehub.feature_store.services).
training_v1 = feature_service(TRAINING_V1, FEATURE_VIEWS)
partner_api_v1 = feature_service(PARTNER_API_V1, FEATURE_VIEWS)
marketing_v1 = feature_service(MARKETING_V1, FEATURE_VIEWS)
