"""The Feast feature store over the customer profile (definitions in ``features/``).

    store = get_store(settings)                 # features/<env>/feature_store.yaml, from settings
    apply_repository(store)                     # registry := features/profile_repo.py
    materialize_as_of(settings, as_of, store=store)   # marts -> offline snapshot + online store
    training_set(store, labels, "training_v1")  # point-in-time correct
    build_segment_index(settings, as_of)        # fct_customer_tags -> profilehub.segments
"""

from profilehub.feature_store.config import get_store, repo_config
from profilehub.feature_store.materialize import MaterializeReport, materialize_as_of
from profilehub.feature_store.repository import apply_repository
from profilehub.feature_store.segment_index import build_segment_index
from profilehub.feature_store.services import (
    MARKETING_V1,
    PARTNER_API_V1,
    SERVICES,
    TRAINING_V1,
    ServiceRule,
    partner_may_receive,
)
from profilehub.feature_store.training import training_set, write_training_set

__all__ = [
    "MARKETING_V1",
    "PARTNER_API_V1",
    "SERVICES",
    "TRAINING_V1",
    "MaterializeReport",
    "ServiceRule",
    "apply_repository",
    "build_segment_index",
    "get_store",
    "materialize_as_of",
    "partner_may_receive",
    "repo_config",
    "training_set",
    "write_training_set",
]
