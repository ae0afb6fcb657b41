"""Schema extensions of every request: audit and metrics, and introspection for partners."""

from __future__ import annotations

import time
from collections.abc import Iterator

from graphql import (
    DocumentNode,
    FieldNode,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension

from api.audit import ALLOWED, PARTIAL, REFUSED

MAX_AUDITED_DEPTH = 4


def root_fields(document: DocumentNode | None) -> list[str]:
    operation = next((d for d in (document.definitions if document else ())
                      if isinstance(d, OperationDefinitionNode)), None)
    if operation is None:
        return []
    return sorted({s.name.value for s in operation.selection_set.selections
                   if isinstance(s, FieldNode)})


def field_paths(selection_set: SelectionSetNode | None, prefix: str = "",
                depth: int = 0) -> Iterator[str]:
    """Dotted paths of the fields asked for (fragments are named, not expanded)."""
    if selection_set is None or depth >= MAX_AUDITED_DEPTH:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            path = f"{prefix}{selection.name.value}"
            yield path
            yield from field_paths(selection.selection_set, path + ".", depth + 1)


def requested_fields(document: DocumentNode | None) -> list[str]:
    paths = []
    for definition in document.definitions if document else ():
        if isinstance(definition, OperationDefinitionNode):
            paths.extend(field_paths(definition.selection_set))
    return sorted(set(paths))


def decision(reasons: list[str], data: dict | None) -> str:
    """Allowed without any refusal; partial when some root field still answered."""
    if not reasons:
        return ALLOWED
    if data and any(value is not None for value in data.values()):
        return PARTIAL
    return REFUSED


class AuditAndMetrics(SchemaExtension):
    """Writes the request's audit line and observes its latency, whatever the outcome."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        execution = self.execution_context
        context = execution.context
        result = execution.result
        errors = list(getattr(result, "errors", None) or execution.pre_execution_errors or [])
        entry = context.audit
        entry.operation = self._operation(execution)
        entry.fields = requested_fields(execution.graphql_document)
        entry.reasons.extend(error.message for error in errors)
        entry.decision = decision(entry.reasons, getattr(result, "data", None))
        services = context.services
        services.audit.append(entry)
        services.metrics.observe(entry.operation, entry.role or "", entry.decision,
                                 time.perf_counter() - started)

    @staticmethod
    def _operation(execution) -> str:
        """``query:customer`` — root fields the schema knows, so labels stay few."""
        try:
            kind = execution.operation_type.value
        except Exception:  # an unparsable document has no operation type
            return "invalid"
        graphql_schema = execution.schema._schema  # graphql-core's view: GraphQL field names
        root = graphql_schema.mutation_type if kind == "mutation" else graphql_schema.query_type
        known = set(root.fields if root else ()) | {"__schema", "__type"}
        names = root_fields(execution.graphql_document)
        if not names or not set(names) <= known | {"__typename"}:
            return f"{kind}:invalid"
        return f"{kind}:{'+'.join(names)}"


class IntrospectionForPartners(SchemaExtension):
    """Switches schema introspection off for partner keys where settings say so (prod)."""

    def __init__(self, allowed: bool) -> None:
        self.allowed = allowed

    def on_operation(self) -> Iterator[None]:
        execution = self.execution_context
        if not self.allowed and execution.context.principal.role.is_partner:
            execution.validation_rules = (*execution.validation_rules,
                                          NoSchemaIntrospectionCustomRule)
        yield


class ValidationLimits(SchemaExtension):
    """Adds validation rules (depth, aliases) built once per schema: Strawberry's limiter
    extensions build new rule classes per request, which defeats validation caching."""

    def __init__(self, rules: tuple[type, ...]) -> None:
        self.rules = rules

    def on_operation(self) -> Iterator[None]:
        execution = self.execution_context
        execution.validation_rules = (*execution.validation_rules, *self.rules)
        yield
