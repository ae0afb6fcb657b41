"""Hypothesis strategies for segment expressions that are valid for given tag kinds."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

from profilehub.segments.ast import (
    COMPARISON_OPS,
    And,
    Between,
    Compare,
    Expr,
    InList,
    IsTrue,
    Not,
    Or,
)
from profilehub.segments.kinds import TagKind, TagKinds

# Two-decimal literals hit synthetic scores exactly (ties, boundaries); three-decimal ones fall
# between them.
SCORES = st.one_of(st.integers(0, 100).map(lambda k: k / 100),
                   st.integers(0, 1000).map(lambda k: k / 1000))
MAX_DEPTH = 4


def expressions(kinds: TagKinds, scores: st.SearchStrategy[float] = SCORES,
                depth: int = MAX_DEPTH) -> st.SearchStrategy[Expr]:
    """Trees of AND, OR and NOT at most ``depth`` levels above their atoms."""
    leaf = atoms(kinds, scores)
    if depth == 0:
        return leaf
    child = expressions(kinds, scores, depth - 1)
    operands = st.lists(child, min_size=2, max_size=3).map(tuple)
    return st.one_of(leaf, child.map(Not), operands.map(And), operands.map(Or))


def score_literals(observed: Sequence[float]) -> st.SearchStrategy[float]:
    """Scores present in the data (to hit ties and bounds exactly) or anywhere on the grid."""
    return st.one_of(st.sampled_from(sorted(set(observed))), SCORES) if observed else SCORES


def atoms(kinds: TagKinds, scores: st.SearchStrategy[float]) -> st.SearchStrategy[Expr]:
    return st.one_of(*(_atoms_of(tag, kind, scores) for tag, kind in kinds.items()))


def _atoms_of(tag: str, kind: TagKind, scores: st.SearchStrategy[float]
              ) -> st.SearchStrategy[Expr]:
    if kind.type == "score":
        values: st.SearchStrategy = scores
    else:
        values = st.sampled_from(kind.labels)
    equality = st.builds(Compare, st.just(tag), st.sampled_from(("=", "!=")), values)
    listed = st.builds(InList, st.just(tag), st.lists(values, min_size=1, max_size=3).map(tuple))
    if kind.type == "boolean":
        return st.one_of(st.just(IsTrue(tag)), equality, listed)
    if kind.type == "category":
        return st.one_of(equality, listed)
    ordered = st.builds(Compare, st.just(tag), st.sampled_from(COMPARISON_OPS), values)
    ranges = st.lists(values, min_size=2, max_size=2).map(
        lambda pair: Between(tag, *sorted(pair, key=_rank(kind))))
    return st.one_of(ordered, listed, ranges)


def _rank(kind: TagKind):
    if kind.type == "bucket":
        return kind.buckets.index
    return float
