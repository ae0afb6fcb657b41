"""render(): one template text, the same values on Spark and DuckDB."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from spark.features.render import RenderError, render, strip_comments

AS_OF = dt.date(2026, 10, 20)

# (expression, value) pairs Spark's own definitions give; the DuckDB rendering must agree.
SPARK_VALUES = [
    # Both month ends: whole months, even though 28 < 29.
    ("MONTHS_BETWEEN(DATE '2027-02-28', DATE '2000-02-29')", 324.0),
    ("MONTHS_BETWEEN(DATE '2026-03-31', DATE '2026-02-28')", 1.0),
    # Same day of month: whole months.
    ("MONTHS_BETWEEN(DATE '2026-10-20', DATE '2026-01-20')", 9.0),
    # Otherwise a fraction of a 31-day month, rounded to 8 digits.
    ("MONTHS_BETWEEN(DATE '2026-10-20', DATE '1998-10-21')", 335.96774194),
    ("MONTHS_BETWEEN(DATE '2026-10-05', DATE '1990-10-20')", 431.51612903),
    ("MONTHS_BETWEEN(DATE '2026-01-15', DATE '2026-03-10')", -1.83870968),
    ("FLOOR(MONTHS_BETWEEN({as_of}, DATE '1998-10-21') / 12)", 27),
    ("DATEDIFF({as_of}, DATE '2026-10-13')", 7),
    ("DATEDIFF(DATE '2026-10-19', {as_of})", -1),
    ("DATE_SUB({as_of}, 90)", dt.date(2026, 7, 22)),
    ("DATE_ADD({as_of}, 30)", dt.date(2026, 11, 19)),
    ("MEDIAN(x)", 2.5),
]
# The 7d window is 2026-10-14 .. 2026-10-20: exactly seven days ending with as_of.
WINDOW_DAYS = [("2026-10-13", False), ("2026-10-14", True), ("2026-10-20", True),
               ("2026-10-21", False)]


def _duckdb_value(expression: str) -> object:
    sql = render(f"SELECT {expression} FROM (VALUES (1), (2), (3), (4)) AS t(x)", "duckdb",
                 AS_OF)
    return duckdb.sql(sql).fetchall()[0][0]


def _spark_value(spark, expression: str) -> object:
    sql = render(f"SELECT {expression} FROM (VALUES (1), (2), (3), (4)) AS t(x)", "spark",
                 AS_OF)
    return spark.sql(sql).first()[0]


@pytest.mark.parametrize(("expression", "expected"), SPARK_VALUES)
def test_duckdb_rendering_matches_spark_definitions(expression, expected):
    assert _duckdb_value(expression) == pytest.approx(expected, abs=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize(("expression", "expected"), SPARK_VALUES)
def test_spark_rendering_gives_the_same_values(spark, expression, expected):
    assert _spark_value(spark, expression) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(("day", "inside"), WINDOW_DAYS)
def test_in_window_is_the_n_days_ending_with_as_of(day, inside):
    assert _duckdb_value(f"IN_WINDOW(DATE '{day}', 7)") is inside


@pytest.mark.slow
@pytest.mark.parametrize(("day", "inside"), WINDOW_DAYS)
def test_in_window_on_spark(spark, day, inside):
    assert _spark_value(spark, f"IN_WINDOW(DATE '{day}', 7)") is inside


def test_exact_sum_does_not_depend_on_row_order():
    values = "(VALUES (0.1), (0.2), (0.3)) AS t(x)"
    plain, exact = set(), set()
    for order in ("ASC", "DESC"):
        plain |= {duckdb.sql(f"SELECT SUM(CAST(x AS DOUBLE) ORDER BY x {order}) "
                             f"FROM {values}").fetchall()[0][0]}
        sql = render(f"SELECT EXACT_SUM(CAST(x AS DOUBLE)) FROM (SELECT x FROM {values} "
                     f"ORDER BY x {order})", "duckdb", AS_OF)
        exact |= {duckdb.sql(sql).fetchall()[0][0]}
    assert len(plain) == 2  # what a float SUM does across runs that see rows in another order
    assert exact == {0.6}


def test_spark_keeps_its_own_spelling_and_binds_as_of():
    rendered = render("SELECT DATEDIFF({as_of}, d), MEDIAN(x)", "spark", AS_OF)
    assert rendered == "SELECT DATEDIFF((DATE '2026-10-20'), (d)), PERCENTILE((x), 0.5)"


def test_nested_macros_are_rendered_inside_out():
    rendered = render("DATEDIFF(DATE_SUB({as_of}, 1), DATE_ADD(d, 2))", "duckdb", AS_OF)
    assert rendered == ("DATE_DIFF('day', (CAST((d) + (2) AS DATE)), "
                        "(CAST((DATE '2026-10-20') - (1) AS DATE)))")


def test_string_literals_and_comments_are_left_alone():
    template = "SELECT 'DATEDIFF(a)' AS label -- the customer's DATE_SUB(x\nFROM t"
    assert render(template, "duckdb", AS_OF) == "SELECT 'DATEDIFF(a)' AS label \nFROM t"
    assert strip_comments("a -- b\nc") == "a \nc"


def test_wrong_arity_is_refused():
    with pytest.raises(RenderError, match="DATEDIFF takes 2"):
        render("SELECT DATEDIFF(a)", "duckdb", AS_OF)


def test_unknown_dialect_is_refused():
    with pytest.raises(ValueError, match="unknown dialect"):
        render("SELECT 1", "postgres", AS_OF)  # type: ignore[arg-type]
