"""What the segment index needs to know about a tag: its type and its labels.

The tag catalog owns the full tag definitions; this is the minimal view segments depend on, so
an index can be built and checked from any mapping ``tag_id -> TagKind``, and
``kinds_from_catalog`` derives that mapping from the catalog's tags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from profilehub.catalog import TAG_TYPES, Tag

BOOLEAN_LABELS = ("true", "false")
TRUE_LABEL = "true"


@dataclass(frozen=True)
class TagKind:
    """Type of a tag; ``buckets`` are the ordered labels of a bucket tag (lowest first).

    ``categories`` optionally declares the allowed labels of a category tag; when it is None,
    any label is accepted (and an unknown one simply matches nobody).
    """

    type: str  # one of the catalog's TAG_TYPES
    buckets: tuple[str, ...] = ()
    categories: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.type not in TAG_TYPES:
            raise ValueError(f"tag type {self.type!r}: expected one of {', '.join(TAG_TYPES)}")
        if (self.type == "bucket") != bool(self.buckets):
            raise ValueError("bucket labels are required for bucket tags and only for them")
        if len(set(self.buckets)) != len(self.buckets):
            raise ValueError(f"bucket labels must be distinct: {self.buckets}")
        if self.categories is not None and self.type != "category":
            raise ValueError("declared categories are only for category tags")

    @property
    def labels(self) -> tuple[str, ...] | None:
        """Every value a non-score tag may take, or None when not declared (or a score)."""
        if self.type == "boolean":
            return BOOLEAN_LABELS
        if self.type == "bucket":
            return self.buckets
        return self.categories

    def to_json(self) -> dict:
        return {"type": self.type, "buckets": list(self.buckets),
                "categories": None if self.categories is None else list(self.categories)}

    @classmethod
    def from_json(cls, raw: Mapping) -> TagKind:
        categories = raw.get("categories")
        return cls(type=raw["type"], buckets=tuple(raw.get("buckets", ())),
                   categories=None if categories is None else tuple(categories))


TagKinds = Mapping[str, TagKind]


def kinds_from_catalog(tags: Iterable[Tag]) -> dict[str, TagKind]:
    """``tag_id -> TagKind`` of catalog tags: bucket labels in order, declared category values."""
    return {tag.id: TagKind(type=tag.type, buckets=tag.labels,
                            categories=tag.values if tag.type == "category" else None)
            for tag in tags}
