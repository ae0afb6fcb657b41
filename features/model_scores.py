"""Scores of the federated models (``federated/``), served beside the profile.

Kept out of ``profile_repo.py`` on purpose: that repository is exactly the tags dbt computes
(``apply_repository`` deletes anything else and ``materialize_as_of`` publishes every view it
holds from the dbt marts). Model scores are written by batch scoring instead, so they live in a
Feast project of their own (``<project>_model_scores``) on the same registry and online store:
``federated.scoring.scores_store(settings)`` applies these definitions and reads them back.

One view per model-score tag of the catalog (``profilehub/catalog/tags/model_scores.yml``),
named, described and classified by it (``federated.score_views``); a new model needs its
catalog entry and one line here (a test says which).
"""

from feast import Entity, ValueType

from federated.score_views import model_score_view
from profilehub.feature_store.views import ENTITY_KEY

customer = Entity(
    name="customer",
    join_keys=[ENTITY_KEY],
    value_type=ValueType.STRING,
    description="A customer: the pseudonymous key identity resolution gives one person.",
)

churn_model_score = model_score_view("churn", customer)
panic_sell_model_score = model_score_view("panic_sell", customer)
