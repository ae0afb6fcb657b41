import pytest

from profilehub.catalog import load_tags
from profilehub.segments.kinds import TagKind, kinds_from_catalog


@pytest.mark.parametrize(("arguments", "message"), [
    ({"type": "integer"}, "tag type 'integer'"),
    ({"type": "bucket"}, "bucket labels are required"),
    ({"type": "score", "buckets": ("low",)}, "bucket labels are required"),
    ({"type": "bucket", "buckets": ("low", "low")}, "must be distinct"),
    ({"type": "boolean", "categories": ("a",)}, "only for category tags"),
])
def test_inconsistent_kinds_are_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        TagKind(**arguments)


def test_labels_are_what_a_value_may_be():
    assert TagKind("boolean").labels == ("true", "false")
    assert TagKind("bucket", buckets=("low", "high")).labels == ("low", "high")
    assert TagKind("category", categories=("a",)).labels == ("a",)
    assert TagKind("category").labels is None
    assert TagKind("score").labels is None


@pytest.mark.parametrize("kind", [TagKind("boolean"), TagKind("category"),
                                  TagKind("category", categories=("a", "b")), TagKind("score"),
                                  TagKind("bucket", buckets=("low", "high"))])
def test_kinds_survive_json(kind):
    assert TagKind.from_json(kind.to_json()) == kind


def test_catalog_tags_become_kinds_with_ordered_buckets_and_declared_categories():
    tags = load_tags()
    kinds = kinds_from_catalog(tags)
    assert list(kinds) == [tag.id for tag in tags]
    for tag in tags:
        kind = kinds[tag.id]
        assert kind.type == tag.type
        if tag.type == "bucket":
            assert kind.buckets == tag.labels and len(kind.buckets) > 1
        if tag.type == "category":
            assert kind.categories == tag.values
