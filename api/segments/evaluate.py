"""Evaluate a segment expression for one caller: only tags it sees, only consented customers.

A segment that reads partner-derived tags keeps only customers with active consent, for the
caller's purpose, to every partner those tags read; a partner caller's segments moreover keep
only customers who consented to that partner. The ledger decides at request time, so a
revocation leaves segments on the next request.
"""

from __future__ import annotations

from collections.abc import Iterator

from pyroaring import BitMap

from api.context import RequestContext
from api.errors import AccessDenied, ApiError
from profilehub.feature_store.views import catalog_tags
from profilehub.segments import And, Expr, Not, Or, SegmentError


def referenced_tags(expr: Expr) -> Iterator[str]:
    if isinstance(expr, And | Or):
        for operand in expr.operands:
            yield from referenced_tags(operand)
    elif isinstance(expr, Not):
        yield from referenced_tags(expr.operand)
    else:
        yield expr.tag


def evaluate_segment(context: RequestContext, expression: str) -> BitMap:
    snapshot = context.snapshot
    try:
        expr = snapshot.index.segment(expression)
    except SegmentError as error:
        raise ApiError(f"segment expression: {error}") from None
    by_id = {tag.id: tag for tag in catalog_tags()}
    tags = [by_id[tag_id] for tag_id in sorted(set(referenced_tags(expr)))]
    hidden = [tag.id for tag in tags if not context.access.sees(tag)]
    if hidden:
        raise AccessDenied(f"tag(s) {', '.join(hidden)} not available to role "
                           f"{context.access.role} for purpose {context.access.purpose}")
    members = snapshot.index.evaluate(expr)
    partners = {partner for tag in tags if tag.is_partner_derived
                for partner in context.access.required_partners(tag)}
    if context.partner_id:
        partners.add(context.partner_id)
    ledger = context.services.serving.ledger
    for partner in sorted(partners):
        consenting = ledger.consenting(partner, context.access.purpose)
        members &= BitMap(snapshot.ids_of(consenting))
    return members
