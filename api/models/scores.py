"""Read customers' model scores from the model-score project's online store, as one request may
see them.

Which models' scores: the caller's visible model-score tags (``Access.model_score_tags``),
narrowed to the models asked for. One online read serves a whole batch of customers and every
model; a model never scored (its view not applied yet) or a customer without a score gives no
entry, so the answer is empty rather than an error before the first scoring.
"""

from __future__ import annotations

from collections.abc import Sequence

from api.access import Access
from api.errors import AccessDenied
from api.models.types import ModelScore
from api.serving import Serving
from federated.score_views import online_scores
from profilehub.catalog import Tag


def requested_score_tags(access: Access, models: Sequence[str] | None) -> tuple[Tag, ...]:
    """The visible model-score tags of ``models`` (every visible one when None); a model the
    caller may not see, or that has no score tag, is refused by name."""
    visible = access.model_score_tags()
    if models is None:
        return visible
    by_model = {tag.model: tag for tag in visible}
    hidden = sorted({model for model in models if model not in by_model})
    if hidden:
        raise AccessDenied(f"model score(s) {', '.join(hidden)} unknown or not available to "
                           f"role {access.role} for purpose {access.purpose}")
    return tuple(by_model[model] for model in dict.fromkeys(models))


def read_model_scores(serving: Serving, customer_keys: Sequence[str], tags: Sequence[Tag]
                      ) -> dict[str, list[ModelScore]]:
    """``customer_key -> scores`` in the order of ``tags``, for every key (maybe empty)."""
    keys = list(dict.fromkeys(customer_keys))
    by_model = {tag.model: tag for tag in tags}
    found: dict[str, list[ModelScore]] = {key: [] for key in keys}
    if not keys or not tags:
        return found
    for served in online_scores(serving.scores_store(), list(by_model), keys):
        found[served.customer_key].append(ModelScore.of(by_model[served.model], served))
    return found
