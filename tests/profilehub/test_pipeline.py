"""What ``make run`` prints for people to try: the example queries must be valid queries."""

from __future__ import annotations

import pytest
from graphql import parse, validate

from api.schema import build_schema
from profilehub.pipeline import EXAMPLE_QUERIES


@pytest.mark.parametrize("role", sorted(EXAMPLE_QUERIES))
def test_each_roles_example_query_is_valid_against_the_schema(role: str):
    query = EXAMPLE_QUERIES[role]
    errors = validate(build_schema()._schema, parse(query))
    assert not errors, f"{role}: {errors}"
    # Printed inside a single-quoted shell argument.
    assert "'" not in query


def test_an_invalid_query_is_caught():
    errors = validate(build_schema()._schema, parse("{ models { nope } }"))
    assert errors and "nope" in errors[0].message
