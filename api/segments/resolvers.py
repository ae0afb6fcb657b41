"""Root fields ``segment``, ``segmentSizes``, ``savedSegments`` and mutation ``saveSegment``."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import strawberry
from pyroaring import BitMap

from api.context import ApiInfo, RequestContext
from api.errors import ApiError, PrivacyRefused
from api.permissions import IsMarketingOrAdmin
from api.segments.evaluate import evaluate_segment

EXPORT_PATH = "/segments/export.csv"
MAX_PAGE = 1000


@strawberry.type(description="A segment evaluated on the published as_of.")
class Segment:
    expression: str
    as_of: date
    count: int | None = strawberry.field(
        description="Customers in the segment; null when suppressed (below k, for partners)")
    suppressed: bool
    export_url: str | None = strawberry.field(
        description="GET it with the same key for the members as CSV (not for partners)")
    _members: strawberry.Private[BitMap]

    @strawberry.field(description="A page of members in key order: customer_key, or a "
                                  "partner's pseudonymous ids.")
    def members(self, info: ApiInfo, offset: int = 0, limit: int = 100) -> list[str]:
        if self.suppressed:
            raise PrivacyRefused("the segment is below the k threshold: no members")
        if offset < 0 or not 0 <= limit <= MAX_PAGE:
            raise ApiError(f"offset must be >= 0 and limit between 0 and {MAX_PAGE}")
        context = info.context
        ids = self._members[offset:offset + limit]
        keys = context.snapshot.customer_keys[list(ids)] if len(ids) else []
        context.audit.customers.update(keys)
        return [context.public_id(key) for key in keys]


def answer(context: RequestContext, expression: str) -> Segment:
    members = evaluate_segment(context, expression)
    shown = True
    if context.partner_id:
        shown = context.services.differences.admit(context.principal.key_id, members)
    export = None if context.partner_id else f"{EXPORT_PATH}?expression={quote(expression)}"
    return Segment(expression=expression, as_of=context.snapshot.as_of,
                   count=len(members) if shown else None, suppressed=not shown,
                   export_url=export, _members=members)


@strawberry.type(description="A saved segment's current definition, counted on this as_of.")
class SavedSegment:
    name: str
    version: int
    expression: str
    saved_by: str
    saved_at: str
    segment: Segment


@strawberry.type
class SegmentQueries:
    @strawberry.field(description="Count, members and export link of a segment expression.")
    def segment(self, info: ApiInfo, expression: str) -> Segment:
        return answer(info.context, expression)

    @strawberry.field(description="Counts of several segments at once.")
    def segment_sizes(self, info: ApiInfo, expressions: list[str]) -> list[Segment]:
        return [answer(info.context, expression) for expression in expressions]

    @strawberry.field(permission_classes=[IsMarketingOrAdmin],
                      description="Marketing's saved segments, re-evaluated on this as_of.")
    def saved_segments(self, info: ApiInfo) -> list[SavedSegment]:
        context = info.context
        return [SavedSegment(name=d.name, version=d.version, expression=d.expression,
                             saved_by=d.saved_by, saved_at=d.saved_at,
                             segment=answer(context, d.expression))
                for d in context.services.saved_segments.current().values()]


@strawberry.type
class SegmentMutations:
    @strawberry.mutation(permission_classes=[IsMarketingOrAdmin],
                         description="Save a named segment; a changed expression is a new "
                                     "version. It is re-evaluated on every served as_of.")
    def save_segment(self, info: ApiInfo, name: str, expression: str) -> SavedSegment:
        context = info.context
        segment = answer(context, expression)  # refuses expressions the caller may not use
        saved = context.services.saved_segments.save(name, segment.expression,
                                                     context.principal.key_id)
        return SavedSegment(name=saved.name, version=saved.version,
                            expression=saved.expression, saved_by=saved.saved_by,
                            saved_at=saved.saved_at, segment=segment)
