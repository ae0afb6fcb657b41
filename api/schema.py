"""The GraphQL schema: one root type assembled from the domain packages, and its limits.

``schema.graphql`` beside this file is the exported SDL (``profilehub api schema --write``);
a test fails when it drifts from the code.
"""

from __future__ import annotations

from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from api.catalog.resolvers import CatalogQueries
from api.consent.resolvers import ConsentMutations
from api.customers.resolvers import CustomerQueries
from api.errors import ApiError
from api.extensions import AuditAndMetrics, IntrospectionForPartners, ValidationLimits
from api.limits import ComplexityLimiter
from api.models.resolvers import ModelQueries
from api.partners.resolvers import PartnerQueries
from api.segments.resolvers import SegmentMutations, SegmentQueries
from api.suitability.resolvers import SuitabilityQueries
from profilehub.settings import ApiSettings

SCHEMA_FILE = Path(__file__).with_name("schema.graphql")
MASKED_MESSAGE = "internal error: the request could not be completed"


@strawberry.type
class Query(CustomerQueries, CatalogQueries, SegmentQueries, SuitabilityQueries,
            PartnerQueries, ModelQueries):
    pass


@strawberry.type
class Mutation(SegmentMutations, ConsentMutations):
    pass


def is_internal(error: GraphQLError) -> bool:
    """Mask everything but our own refusals and GraphQL's own (syntax, validation, limits,
    permissions), whose messages are written for callers."""
    original = error.original_error
    return original is not None and not isinstance(original, ApiError | GraphQLError)


def build_schema(limits: ApiSettings | None = None) -> strawberry.Schema:
    limits = limits or ApiSettings()
    limit_rules = (*QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
                   *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules)
    # Factories, not instances: every request gets extensions of its own.
    return strawberry.Schema(query=Query, mutation=Mutation, extensions=[
        lambda: MaskErrors(should_mask_error=is_internal, error_message=MASKED_MESSAGE),
        AuditAndMetrics,
        lambda: IntrospectionForPartners(limits.partner_introspection),
        lambda: ValidationLimits(limit_rules),
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        # Clients repeat the same query texts with new variables: parse and validate each
        # text once per rule set (the rule classes above are built once, so results cache).
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: ComplexityLimiter(limits.max_complexity),
    ])


def schema_sdl() -> str:
    return build_schema().as_str() + "\n"


def write_schema_file() -> Path:
    SCHEMA_FILE.write_text(schema_sdl(), encoding="utf-8")
    return SCHEMA_FILE
