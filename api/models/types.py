"""GraphQL types of the model domain: a served score with its provenance, and a registered
model version with its data, strategy, privacy and metrics."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

import strawberry

from federated.registry import RegisteredModel, parse_name
from federated.score_views import OnlineScore
from profilehub.catalog import Tag
from profilehub.feature_store.services import SERVICES_BY_NAME

DEFINITIONS_PAGE = "docs/tags.md"
_SERVICE_VERSION = re.compile(r"_v(\d+)$")
_PARTNER_AUC = re.compile(r"^partner (\d+) alone auc$")


@strawberry.type(description="A model's score of a customer, with its provenance: the catalog "
                             "tag it is, the registered model version that computed it and the "
                             "as_of of the data it was scored on.")
class ModelScore:
    tag: str = strawberry.field(description="Catalog id of the score tag.")
    name: str
    model: str
    score: float = strawberry.field(description="Probability in [0, 1], 4 decimals.")
    version: int = strawberry.field(description="Version of the registered model (N of vN).")
    model_version: str = strawberry.field(description="The registered model: <model>@v<N>.")
    as_of: date = strawberry.field(description="The as_of of the data the score was made for.")
    tag_version: int = strawberry.field(description="Catalog version of the tag's meaning.")
    definition_url: str

    @classmethod
    def of(cls, tag: Tag, served: OnlineScore) -> ModelScore:
        _, version = parse_name(served.model_version)
        return cls(tag=tag.id, name=tag.name_en, model=served.model, score=served.score,
                   version=version, model_version=served.model_version, as_of=served.as_of,
                   tag_version=tag.version, definition_url=f"{DEFINITIONS_PAGE}#{tag.family}")


@strawberry.type(description="What a model was trained on.")
class TrainingData:
    as_of: date | None
    source: str | None = strawberry.field(
        description="A feature service of the feature store, or lake (the feature table).")
    feature_service: str | None
    feature_service_version: int | None
    partitions: int | None = strawberry.field(description="Partners the data was split over.")
    rows: int | None = strawberry.field(description="Rows over the partners and the holdout.")


@strawberry.type(description="Secure aggregation (SecAgg+) of the partners' updates.")
class SecureAggregation:
    enabled: bool
    num_shares: int | None
    reconstruction_threshold: int | None


@strawberry.type(description="Differential privacy of the run and the (ε, δ) achieved.")
class DifferentialPrivacy:
    enabled: bool
    noise_multiplier: float | None
    clipping_norm: float | None
    epsilon: float | None = strawberry.field(description="Null without DP (ε is infinite).")
    delta: float | None
    accountant: str | None
    summary: str | None


@strawberry.type(description="Holdout AUC of one partner's model trained on its data alone.")
class PartnerAuc:
    partner: int
    auc: float


@strawberry.type(description="Holdout AUC: the federated model beside the centralised one.")
class ModelMetrics:
    federated_auc: float | None
    centralised_auc: float | None
    ratio_to_centralised: float | None
    partners_alone: list[PartnerAuc]


@strawberry.type(description="A version of a model in the model registry.")
class RegisteredModelVersion:
    name: str = strawberry.field(description="<model>@v<N>: what its scores carry.")
    model: str
    version: int
    latest: bool
    registered_at: datetime | None
    algorithm: str | None
    strategy: str | None
    rounds: int | None
    data: TrainingData
    secure_aggregation: SecureAggregation
    differential_privacy: DifferentialPrivacy
    metrics: ModelMetrics
    score_tag: str | None = strawberry.field(
        description="Catalog id of the model's score tag, where the caller may see it.")

    @classmethod
    def of(cls, registered: RegisteredModel, latest: bool, score_tag: Tag | None
           ) -> RegisteredModelVersion:
        metadata = registered.metadata
        registered_at = metadata.get("registered_at")
        return cls(
            name=registered.name, model=registered.model, version=registered.version,
            latest=latest,
            registered_at=datetime.fromisoformat(registered_at) if registered_at else None,
            algorithm=metadata.get("algorithm"), strategy=metadata.get("strategy"),
            rounds=metadata.get("rounds"), data=_data(metadata.get("data") or {}),
            secure_aggregation=_secagg(metadata.get("secagg") or {}),
            differential_privacy=_privacy(metadata.get("privacy") or {}),
            metrics=_metrics(metadata.get("metrics") or {}),
            score_tag=score_tag.id if score_tag else None)


def _data(data: dict) -> TrainingData:
    source = data.get("source")
    service = source if source in SERVICES_BY_NAME else None
    match = _SERVICE_VERSION.search(service) if service else None
    rows = data.get("rows")
    return TrainingData(
        as_of=date.fromisoformat(data["as_of"]) if data.get("as_of") else None, source=source,
        feature_service=service, feature_service_version=int(match[1]) if match else None,
        partitions=data.get("partitions"),
        rows=sum(rows.values()) if isinstance(rows, dict) else rows)


def _secagg(secagg: dict) -> SecureAggregation:
    return SecureAggregation(enabled=bool(secagg.get("enabled")),
                             num_shares=secagg.get("num_shares"),
                             reconstruction_threshold=secagg.get("reconstruction_threshold"))


def _finite(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def _privacy(privacy: dict) -> DifferentialPrivacy:
    noise = privacy.get("noise_multiplier")
    return DifferentialPrivacy(
        enabled=bool(noise), noise_multiplier=noise, clipping_norm=privacy.get("clipping_norm"),
        epsilon=_finite(privacy.get("epsilon")), delta=privacy.get("delta"),
        accountant=privacy.get("accountant"), summary=privacy.get("summary"))


def _metrics(metrics: dict) -> ModelMetrics:
    partners = sorted((int(match[1]), value) for name, value in metrics.items()
                      if (match := _PARTNER_AUC.match(name)))
    return ModelMetrics(
        federated_auc=_finite(metrics.get("federated_auc")),
        centralised_auc=_finite(metrics.get("centralised_auc")),
        ratio_to_centralised=_finite(metrics.get("ratio_to_centralised")),
        partners_alone=[PartnerAuc(partner=p, auc=auc) for p, auc in partners])
