"""Root field ``tagCatalog(family, search)``: only tags the caller's role and purpose see."""

from __future__ import annotations

import strawberry

from api.context import ApiInfo
from api.customers.types import definition_link
from api.errors import ApiError
from profilehub.catalog import FAMILIES, Tag


@strawberry.type(description="A tag of the catalog: what it means, who may use it and why.")
class CatalogTag:
    id: str
    family: str
    name_en: str
    name_zh: str
    type: str
    definition: str
    version: int
    sensitivity: str
    purposes: list[str]
    values: list[str]
    definition_url: str
    source: str = strawberry.field(description="dbt (computed from the feature table) or "
                                               "model:<name> (a federated model's score).")
    lineage: list[str] = strawberry.field(description="Contract sources the tag reads, or the "
                                                      "model that produces it.")

    @classmethod
    def of(cls, tag: Tag) -> CatalogTag:
        return cls(id=tag.id, family=tag.family, name_en=tag.name_en, name_zh=tag.name_zh,
                   type=tag.type, definition=tag.definition, version=tag.version,
                   sensitivity=tag.sensitivity, purposes=list(tag.purposes),
                   values=list(tag.values), definition_url=definition_link(tag),
                   source=tag.source, lineage=list(tag.lineage))


def _matches(tag: Tag, search: str) -> bool:
    text = search.casefold()
    return any(text in field.casefold() for field in (tag.id, tag.name_en, tag.name_zh))


@strawberry.type
class CatalogQueries:
    @strawberry.field(description="Tags visible to the caller, optionally of one family and "
                                  "matching a search text (id or English/Chinese name).")
    def tag_catalog(self, info: ApiInfo, family: str | None = None,
                    search: str | None = None) -> list[CatalogTag]:
        if family is not None and family not in FAMILIES:
            raise ApiError(f"unknown family {family!r}; families: {', '.join(FAMILIES)}")
        tags = info.context.access.visible_tags()
        return [CatalogTag.of(tag) for tag in tags
                if (family is None or tag.family == family)
                and (search is None or _matches(tag, search))]
