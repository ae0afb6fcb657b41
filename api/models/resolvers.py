"""Root field ``models``: the model registry's versions, for data scientists and admins."""

from __future__ import annotations

import anyio
import strawberry

from api.context import ApiInfo
from api.errors import ApiError
from api.models.scores import read_model_scores
from api.models.types import ModelScore, RegisteredModelVersion
from api.permissions import IsDataScientistOrAdmin
from federated.layout import registry_dir
from federated.registry import registered_models

# A DataLoader key: the customer and the models asked for (their visible score tags' models).
ScoresKey = tuple[str, tuple[str, ...]]


def scores_batch_loader(context):
    """The batch function of a request's model-score DataLoader: one online read per set of
    models, for every customer of the request."""

    async def load(keys: list[ScoresKey]) -> list[list[ModelScore]]:
        by_models: dict[tuple[str, ...], list[str]] = {}
        for customer_key, models in keys:
            by_models.setdefault(models, []).append(customer_key)
        visible = {tag.model: tag for tag in context.access.model_score_tags()}
        found: dict[ScoresKey, list[ModelScore]] = {}
        for models, customer_keys in by_models.items():
            tags = [visible[model] for model in models]
            scores = await anyio.to_thread.run_sync(
                read_model_scores, context.services.serving, customer_keys, tags)
            found.update({(key, models): value for key, value in scores.items()})
        return [found[key] for key in keys]

    return load


@strawberry.type
class ModelQueries:
    @strawberry.field(description="Registered versions of the federated models, newest first "
                                  "per model: training data, strategy, SecAgg+ and DP settings, "
                                  "AUC federated vs centralised.",
                      permission_classes=[IsDataScientistOrAdmin])
    async def models(self, info: ApiInfo, model: str | None = None
                     ) -> list[RegisteredModelVersion]:
        context = info.context
        registry = registry_dir(context.services.settings)
        try:
            versions = await anyio.to_thread.run_sync(registered_models, registry, model)
        except ValueError as error:
            raise ApiError(str(error)) from None
        if model is not None and not versions:
            raise ApiError(f"no registered versions of model {model!r}")
        score_tags = {tag.model: tag for tag in context.access.model_score_tags()}
        latest = {entry.model: entry.version for entry in versions}
        return [RegisteredModelVersion.of(entry, entry.version == latest[entry.model],
                                          score_tags.get(entry.model))
                for entry in sorted(versions, key=lambda e: (e.model, -e.version))]
