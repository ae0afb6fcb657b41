"""What ``make run`` prints for people to try: the example queries must be valid queries, and
each role's must only name tags that role may see."""

from __future__ import annotations

import re

import pytest
from graphql import parse, validate

from api.access import visible_tags
from api.roles import DEMO_ROLES
from api.schema import build_schema
from profilehub.pipeline import EXAMPLE_QUERIES, PARTNER_EXAMPLE_PURPOSE


@pytest.mark.parametrize("role", sorted(EXAMPLE_QUERIES))
def test_each_roles_example_query_is_valid_against_the_schema(role: str):
    query = EXAMPLE_QUERIES[role]
    errors = validate(build_schema()._schema, parse(query))
    assert not errors, f"{role}: {errors}"
    # Printed inside a single-quoted shell argument.
    assert "'" not in query


@pytest.mark.parametrize("role", DEMO_ROLES, ids=str)
def test_each_demo_roles_example_names_only_tags_it_may_see(role):
    query = EXAMPLE_QUERIES[str(role).split(":")[0]]
    purpose = PARTNER_EXAMPLE_PURPOSE if role.is_partner else role.default_purpose
    expressions = re.findall(r'expressions?: \[?\\?"([^"\\]+)', query)
    named = {word for text in expressions for word in re.findall(r"[a-z_]+", text)
             if word not in {"and", "or", "not"}}
    visible = {tag.id for tag in visible_tags(role, purpose)}
    assert named <= visible, f"{role} may not see {sorted(named - visible)}"


def test_an_invalid_query_is_caught():
    errors = validate(build_schema()._schema, parse("{ models { nope } }"))
    assert errors and "nope" in errors[0].message
