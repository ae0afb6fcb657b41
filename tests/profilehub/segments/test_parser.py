import pytest
from hypothesis import given, settings

from profilehub.segments.ast import And, Between, Compare, InList, IsTrue, Not, Or
from profilehub.segments.errors import SegmentSyntaxError
from profilehub.segments.kinds import TagKind
from profilehub.segments.parser import parse, tokenize

from .strategies import expressions

a, b, c = IsTrue("a"), IsTrue("b"), IsTrue("c")
KINDS = {"flag": TagKind("boolean"), "tier": TagKind("category", categories=("x", "it's")),
         "risk": TagKind("score"), "band": TagKind("bucket", buckets=("low", "high"))}


@pytest.mark.parametrize(("text", "tree"), [
    ("a OR b AND c", Or((a, And((b, c))))),
    ("a AND b OR c", Or((And((a, b)), c))),
    ("NOT a AND b", And((Not(a), b))),
    ("NOT a OR b", Or((Not(a), b))),
    ("a AND NOT b OR NOT NOT c", Or((And((a, Not(b))), Not(Not(c))))),
    ("a OR b OR c", Or((a, b, c))),
])
def test_or_binds_looser_than_and_which_binds_looser_than_not(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize(("text", "tree"), [
    ("(a OR b) AND c", And((Or((a, b)), c))),
    ("NOT (a AND b)", Not(And((a, b)))),
    ("((a))", a),
    ("(a AND b) AND c", And((And((a, b)), c))),
])
def test_parentheses_group_and_are_kept_as_written(text, tree):
    assert parse(text) == tree


def test_keywords_are_case_insensitive_but_tag_ids_are_not():
    assert parse("a and B Or not c") == parse("a AND B OR NOT c")
    assert parse("x in ('p') AND y between 0.1 and 0.2") == And((
        InList("x", ("p",)), Between("y", 0.1, 0.2)))
    assert parse("Gen_Z") == IsTrue("Gen_Z")


@pytest.mark.parametrize(("text", "atom"), [
    ("t = 'v'", Compare("t", "=", "v")),
    ("t != 'v'", Compare("t", "!=", "v")),
    ("t <> 'v'", Compare("t", "!=", "v")),
    ("t < 0.5", Compare("t", "<", 0.5)),
    ("t <= .5", Compare("t", "<=", 0.5)),
    ("t > 1", Compare("t", ">", 1.0)),
    ("t >= 'high'", Compare("t", ">=", "high")),
    ("t IN ('a', 'b''s', 0.25)", InList("t", ("a", "b's", 0.25))),
    ("t BETWEEN 'low' AND 'high'", Between("t", "low", "high")),
])
def test_atoms(text, atom):
    assert parse(text) == atom


def test_between_takes_its_and_before_the_conjunction():
    assert parse("s BETWEEN 0.1 AND 0.2 AND f") == And((Between("s", 0.1, 0.2), IsTrue("f")))


def test_str_renders_the_canonical_expression():
    text = "asset_tier='long_tail'  and(gen_z or travel_lover)and not panic_seller_score>=0.80"
    assert str(parse(text)) == (
        "asset_tier = 'long_tail' AND (gen_z OR travel_lover) AND NOT panic_seller_score >= 0.8")
    assert str(parse("t in ('it''s',.5) or not (a and b)")) == (
        "t IN ('it''s', 0.5) OR NOT (a AND b)")
    assert str(parse("t >= 0.00001")) == "t >= 0.00001"


@settings(max_examples=100, deadline=None)
@given(expressions(KINDS))
def test_parsing_the_canonical_text_gives_back_the_tree(tree):
    assert parse(str(tree)) == tree


@pytest.mark.parametrize(("text", "message"), [
    ("asset_tier = 'long_tail' AND (gen_z OR travel_lover",
     "expected ')' at column 52, found end of input"),
    ("", "expected a tag id, NOT or '(' at column 1, found end of input"),
    ("a AND", "expected a tag id, NOT or '(' at column 6, found end of input"),
    ("NOT", "expected a tag id, NOT or '(' at column 4, found end of input"),
    ("and = 'x'", "expected a tag id, NOT or '(' at column 1, found 'and'"),
    ("a b", "expected AND, OR or end of input at column 3, found 'b'"),
    ("(a OR b))", "expected AND, OR or end of input at column 9, found ')'"),
    ("x = ", "expected a quoted label or a number at column 5, found end of input"),
    ("x == 1", "expected a quoted label or a number at column 4, found '='"),
    ("x IN 'a'", "expected '(' after IN at column 6, found \"'a'\""),
    ("x IN ()", "expected a quoted label or a number at column 7, found ')'"),
    ("x IN ('a' 'b')", "expected ',' or ')' at column 11, found \"'b'\""),
    ("x BETWEEN 0.1 0.2", "expected AND at column 15, found '0.2'"),
    ("x = 'abc", "unterminated string literal at column 5, found \"'abc\""),
    ("x ~ 1", "unexpected character at column 3, found '~'"),
    ("x = -1", "unexpected character at column 5, found '-'"),
])
def test_syntax_errors_say_what_was_expected_where_and_what_was_found(text, message):
    with pytest.raises(SegmentSyntaxError) as raised:
        parse(text)
    assert str(raised.value) == message


def test_syntax_error_carries_column_token_and_reason():
    with pytest.raises(SegmentSyntaxError) as raised:
        parse("(a OR b")
    assert (raised.value.column, raised.value.found, raised.value.reason) == (
        8, "end of input", "expected ')'")


def test_tokens_know_their_column():
    assert [(token.kind, token.text, token.column) for token in tokenize("a >= 'x y'")] == [
        ("tag", "a", 1), ("op", ">=", 3), ("string", "'x y'", 6), ("end", "", 11)]
