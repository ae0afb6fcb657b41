"""Model scores and the model registry through the API, over HTTP on SQLite and on Redis.

Two models are federated in process and registered by the pipeline's own code, and batch
scoring writes their scores of part of the tiny profile's customers for D2 into the
model-score project: the API must serve each score with its model version and as_of, only to
whom the catalog allows, and list what the registry holds.
"""

from __future__ import annotations

import pytest
from graphql_client import error_messages, graphql
from starlette.testclient import TestClient
from support.feature_store_data import (
    CONSENTER,
    CROWD,
    D2,
    MARKETING_ONLY,
    PLAIN,
    RISER,
    delete_project_keys,
)
from support.federated_models import prepare, synthetic, train_in_process
from support.services import unique_name

from api.app import create_app
from api.serving import Serving
from federated.layout import registry_dir
from federated.registry import registered_models
from federated.score_views import score_field, score_tag, scores_settings
from federated.scoring import score_frame, scores_store, write_scores
from federated.task import KEY_COLUMN
from profilehub.feature_store import get_store
from profilehub.settings import get_settings

MODELS = ("churn", "panic_sell")
# PLAIN and MARKETING_ONLY are never scored.
SCORED = (RISER, CONSENTER, *CROWD)
PARTNER = "partner:ecom_mall"
SCORES = """query ($k: String!) { customer(key: $k) { id scores {
  tag name model score version modelVersion asOf tagVersion definitionUrl } } }"""
SCORES_OF = """query ($k: String!, $m: [String!]) { customer(key: $k) {
  id scores(models: $m) { model score modelVersion } } }"""
MODELS_QUERY = """{ models { name model version latest registeredAt algorithm strategy rounds
  data { asOf source featureService featureServiceVersion partitions rows }
  secureAggregation { enabled numShares reconstructionThreshold }
  differentialPrivacy { enabled noiseMultiplier clippingNorm epsilon delta summary }
  metrics { federatedAuc centralisedAuc ratioToCentralised partnersAlone { partner auc } }
  scoreTag } }"""


@pytest.fixture(scope="module")
def scored(world):
    """Both models trained and registered; SCORED scored for D2 by each, with what each
    score must be."""
    features, labels = synthetic()
    manifest = prepare(world.settings, D2, features, labels)
    store = scores_store(world.settings)
    subset = features[features[KEY_COLUMN].isin(SCORED)]
    assert len(subset) == len(SCORED)
    expected = {}
    for model in MODELS:
        trained = train_in_process(world.settings, manifest, model)
        write_scores(world.settings, trained.model, subset, D2, store=store)
        frame = score_frame(trained.model, subset).set_index(KEY_COLUMN)
        expected[model] = (trained.model, frame[score_field(model)].to_dict())
    # The API's registry cache would see the new views within its TTL (60 s); now, for tests.
    world.serving.scores_store().refresh_registry()
    try:
        yield expected
    finally:
        if world.env == "prod":
            delete_project_keys(store.project)


def _scores(body: dict) -> dict[str, dict]:
    assert not error_messages(body), body
    return {score["model"]: score for score in body["data"]["customer"]["scores"]}


def test_a_data_scientist_gets_every_model_score_with_its_provenance(world, scored):
    scores = _scores(graphql(world.client(), world.keys["data_scientist"], SCORES, {"k": RISER}))
    assert set(scores) == set(MODELS)
    for model, (registered, values) in scored.items():
        tag = score_tag(model)
        assert scores[model] == {
            "tag": tag.id, "name": tag.name_en, "model": model,
            "score": pytest.approx(values[RISER], abs=1e-9), "version": registered.version,
            "modelVersion": registered.name, "asOf": D2.isoformat(),
            "tagVersion": tag.version, "definitionUrl": "docs/tags.md#model_scores"}
        assert registered.name == f"{model}@v{registered.version}"


def test_scores_of_chosen_models(world, scored):
    body = graphql(world.client(), world.keys["data_scientist"], SCORES_OF,
                   {"k": CONSENTER, "m": ["panic_sell"]})
    scores = _scores(body)
    registered, values = scored["panic_sell"]
    assert scores == {"panic_sell": {"model": "panic_sell",
                                     "score": pytest.approx(values[CONSENTER], abs=1e-9),
                                     "modelVersion": registered.name}}


def test_a_customer_no_model_scored_has_no_scores(world, scored):
    for customer in (PLAIN, MARKETING_ONLY):
        body = graphql(world.client(), world.keys["data_scientist"], SCORES, {"k": customer})
        assert _scores(body) == {}


def test_roles_see_scores_only_for_the_catalogs_purposes(world, scored):
    # The catalog allows model scores for research only: admin sees them when acting for it.
    admin = graphql(world.client(), world.keys["admin"], SCORES, {"k": RISER}, purpose="research")
    assert set(_scores(admin)) == set(MODELS)
    for role, purpose in (("admin", None), ("marketing", None)):
        body = graphql(world.client(), world.keys[role], SCORES, {"k": RISER}, purpose=purpose)
        assert _scores(body) == {}, role


def test_a_role_without_access_asking_for_a_score_is_refused(world, scored):
    body = graphql(world.client(), world.keys["marketing"], SCORES_OF,
                   {"k": RISER, "m": ["churn"]})
    assert body["data"] is None
    assert error_messages(body) == ["model score(s) churn unknown or not available to role "
                                    "marketing for purpose marketing"]
    body = graphql(world.client(), world.keys["data_scientist"], SCORES_OF,
                   {"k": RISER, "m": ["credit"]})
    assert "model score(s) credit unknown or not available" in error_messages(body)[0]


def test_partners_get_no_scores_and_no_raw_ids(world, scored):
    consenting = CROWD[3]
    key = world.serving.pseudonyms.of("ecom_mall", consenting)
    body = graphql(world.client(), world.keys[PARTNER], SCORES, {"k": key},
                   purpose="partner_credit_assessment")
    assert _scores(body) == {}
    assert body["data"]["customer"]["id"] == key and consenting not in str(body)
    body = graphql(world.client(), world.keys[PARTNER], SCORES_OF, {"k": key, "m": ["churn"]},
                   purpose="partner_credit_assessment")
    assert "model score(s) churn unknown or not available to role partner:ecom_mall" in (
        error_messages(body)[0])


def test_model_scores_are_not_profile_tags(world, scored):
    body = graphql(world.client(), world.keys["data_scientist"],
                   'query ($k: String!) { customer(key: $k, tags: ["churn_model_score"]) '
                   '{ id } }', {"k": RISER})
    assert "churn_model_score are model scores: ask for them with Customer.scores" in (
        error_messages(body)[0])


def test_many_customers_scores_are_one_online_read(world, scored, monkeypatch):
    store, calls = world.serving.scores_store(), []
    read = store.get_online_features

    def counted(*args, **kwargs):
        calls.append(len(kwargs["entity_rows"]))
        return read(*args, **kwargs)

    monkeypatch.setattr(store, "get_online_features", counted)
    keys = [RISER, PLAIN, *CROWD[:4]]
    body = graphql(world.client(), world.keys["data_scientist"],
                   'query ($k: [String!]!) { customers(keys: $k) { id scores { model score } } }',
                   {"k": keys})
    assert not error_messages(body), body
    counts = [len(customer["scores"]) for customer in body["data"]["customers"]]
    assert counts == [2, 0, 2, 2, 2, 2]
    assert calls == [len(keys)]


def test_before_any_scoring_scores_are_empty_not_an_error(world, scored, monkeypatch):
    # A model-score project that was never applied: what the API sees before the first scoring.
    unscored = get_store(scores_settings(world.settings_with(
        PROFILEHUB_FEAST_PROJECT=unique_name("never_scored"))))
    # profilehub.segments places indexes by the process settings: the world's data root.
    monkeypatch.setenv("PROFILEHUB_DATA_ROOT", str(world.settings.paths.root))
    get_settings.cache_clear()
    serving = Serving(world.settings, store=world.serving.store, ledger=world.serving.ledger,
                      scores_store=unscored)
    try:
        client = TestClient(create_app(world.settings, serving=serving))
        body = graphql(client, world.keys["data_scientist"], SCORES, {"k": RISER})
        assert _scores(body) == {}
    finally:
        serving.close()
        monkeypatch.undo()
        get_settings.cache_clear()


def test_models_lists_what_the_registry_holds(world, scored):
    body = graphql(world.client(), world.keys["data_scientist"], MODELS_QUERY)
    assert not error_messages(body), body
    listed = {entry["name"]: entry for entry in body["data"]["models"]}
    registry = registered_models(registry_dir(world.settings))
    assert set(listed) == {entry.name for entry in registry}
    for registered, _ in scored.values():
        entry, metadata = listed[registered.name], registered.metadata
        assert entry["latest"] and entry["version"] == registered.version
        assert entry["scoreTag"] == score_tag(registered.model).id
        assert entry["strategy"] == "fedavg" and entry["rounds"] == metadata["rounds"]
        assert entry["data"] == {"asOf": D2.isoformat(), "source": "lake",
                                 "featureService": None, "featureServiceVersion": None,
                                 "partitions": 3, "rows": sum(metadata["data"]["rows"].values())}
        assert entry["secureAggregation"]["enabled"] is False
        privacy = entry["differentialPrivacy"]
        assert privacy["enabled"] is False and privacy["epsilon"] is None
        assert privacy["delta"] == metadata["privacy"]["delta"]
        assert privacy["summary"] == metadata["privacy"]["summary"]
        metrics = entry["metrics"]
        assert metrics["federatedAuc"] == pytest.approx(metadata["metrics"]["federated_auc"])
        assert metrics["centralisedAuc"] == pytest.approx(
            metadata["metrics"]["centralised_auc"])
        assert metrics["ratioToCentralised"] == pytest.approx(
            metrics["federatedAuc"] / metrics["centralisedAuc"])
        assert [p["partner"] for p in metrics["partnersAlone"]] == [0, 1, 2]
    one = graphql(world.client(), world.keys["admin"], '{ models(model: "churn") { name } }')
    assert {entry["name"] for entry in one["data"]["models"]} == {
        entry.name for entry in registry if entry.model == "churn"}


def test_models_is_for_data_scientists_and_admins(world, scored):
    for role, purpose in (("marketing", None), (PARTNER, "partner_credit_assessment")):
        body = graphql(world.client(), world.keys[role], "{ models { name } }", purpose=purpose)
        assert body["data"] is None
        assert error_messages(body) == ["only data_scientist and admin keys may use this field"]
    for model, message in (("credit", "no registered versions of model 'credit'"),
                           ("../keys", "'../keys' is not a model name")):
        body = graphql(world.client(), world.keys["data_scientist"],
                       "query ($m: String!) { models(model: $m) { name } }", {"m": model})
        assert error_messages(body) == [message]


def test_the_catalog_tells_where_a_score_comes_from(world, scored):
    body = graphql(world.client(), world.keys["data_scientist"],
                   '{ tagCatalog(family: "model_scores") { id source lineage sensitivity '
                   'purposes definition } }')
    assert not error_messages(body), body
    tags = {tag["id"]: tag for tag in body["data"]["tagCatalog"]}
    assert set(tags) == {score_tag(model).id for model in MODELS}
    churn = tags["churn_model_score"]
    assert churn["source"] == "model:churn" and churn["lineage"] == ["model:churn"]
    assert churn["purposes"] == ["research"] and "federated" in churn["definition"]
