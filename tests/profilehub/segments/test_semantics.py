import pytest

from profilehub.catalog import load_tags
from profilehub.segments.errors import SegmentSemanticError
from profilehub.segments.kinds import TagKind, kinds_from_catalog
from profilehub.segments.semantics import parse_segment

KINDS = {
    "gen_z": TagKind("boolean"),
    "travel_lover": TagKind("boolean"),
    "asset_tier": TagKind("category", categories=("long_tail", "mass", "affluent")),
    "favourite_sector": TagKind("category"),
    "panic_seller_score": TagKind("score"),
    "consumption_capacity_band": TagKind("bucket", buckets=("low", "medium", "high")),
}


@pytest.mark.parametrize("text", [
    "asset_tier = 'long_tail' AND (gen_z OR travel_lover) AND NOT panic_seller_score >= 0.8",
    "consumption_capacity_band >= 'high' OR consumption_capacity_band BETWEEN 'low' AND 'medium'",
    "gen_z = 'false' OR gen_z IN ('true') OR travel_lover != 'true'",
    "panic_seller_score BETWEEN 0 AND 1 AND panic_seller_score IN (0.5, 0.25)",
    "panic_seller_score != 0.5 AND asset_tier IN ('mass', 'affluent')",
    "favourite_sector = 'any label: the categories are not declared'",
])
def test_well_typed_segments_pass(text):
    parse_segment(text, KINDS)


@pytest.mark.parametrize(("text", "tag", "rule"), [
    ("gen_zz", "gen_zz", "unknown tag (did you mean 'gen_z'?)"),
    ("churner", "churner", "unknown tag"),
    ("gen_z >= 'true'", "gen_z", "boolean tags are unordered: >= needs a score or bucket tag; "
                                 "use =, != or IN"),
    ("asset_tier < 'mass'", "asset_tier", "category tags are unordered: < needs a score or "
                                          "bucket tag; use =, != or IN"),
    ("asset_tier BETWEEN 'mass' AND 'mass'", "asset_tier",
     "category tags are unordered: BETWEEN needs a score or bucket tag; use =, != or IN"),
    ("asset_tier", "asset_tier", "a bare tag id means 'is true' and needs a boolean tag, not a "
                                 "category tag; compare it with =, IN or BETWEEN"),
    ("asset_tier = 'longtail'", "asset_tier",
     "unknown category label 'longtail'; known labels: 'long_tail', 'mass', 'affluent'"),
    ("asset_tier IN ('mass', 'rich')", "asset_tier",
     "unknown category label 'rich'; known labels: 'long_tail', 'mass', 'affluent'"),
    ("consumption_capacity_band >= 'very_high'", "consumption_capacity_band",
     "unknown bucket label 'very_high'; known labels: 'low', 'medium', 'high'"),
    ("gen_z = 'yes'", "gen_z", "unknown boolean label 'yes'; known labels: 'true', 'false'"),
    ("panic_seller_score >= '0.8'", "panic_seller_score",
     "score tags compare with numbers, not strings: got '0.8'"),
    ("asset_tier = 1", "asset_tier",
     "category tags compare with quoted labels, not numbers: got 1.0"),
    ("consumption_capacity_band > 0.5", "consumption_capacity_band",
     "bucket tags compare with quoted labels, not numbers: got 0.5"),
    ("panic_seller_score >= 80", "panic_seller_score", "scores lie within [0, 1]: got 80.0"),
    ("panic_seller_score BETWEEN 0.8 AND 0.2", "panic_seller_score",
     "empty range: BETWEEN 0.8 AND 0.2 needs the low end first"),
    ("consumption_capacity_band BETWEEN 'high' AND 'low'", "consumption_capacity_band",
     "empty range: BETWEEN 'high' AND 'low' needs the low end first"),
])
def test_semantic_errors_name_the_tag_and_the_rule(text, tag, rule):
    with pytest.raises(SegmentSemanticError) as raised:
        parse_segment(f"gen_z AND ({text})", KINDS)
    assert (raised.value.tag, raised.value.rule) == (tag, rule)
    assert str(raised.value) == f"tag {tag!r}: {rule}"


@pytest.mark.parametrize("text", [
    "asset_tier = 'long_tail' AND (gen_z OR travel_lover) AND NOT panic_seller_score >= 0.8",
    "consumption_capacity_band >= 'high'",
])
def test_marketing_examples_are_valid_against_the_tag_catalog(text):
    parse_segment(text, kinds_from_catalog(load_tags()))
