"""The contracts as a Markdown page: what every source delivers and what the lake keeps of it.

Rendered from ``profilehub.contracts`` only, so the page cannot disagree with the code. The
committed copy lives at ``docs/contracts.md``; ``profilehub contracts --write`` refreshes it and
a test fails when it drifts.
"""

from __future__ import annotations

from pathlib import Path

from profilehub.contracts import CONTRACTS, Column, Contract
from profilehub.settings import REPO_ROOT

CONTRACTS_DOC = REPO_ROOT / "docs" / "contracts.md"
REGENERATE_COMMAND = "uv run profilehub contracts --write"

_PII_HANDLING = "replaced by `{token}` (keyed HMAC) at ingest; clear value stays in landing"


def _cell(text: str) -> str:
    # A literal pipe would split the table cell (product-code patterns contain alternations).
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return f"`{text}`"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def column_constraints(column: Column) -> str:
    """Allowed values, range, pattern and reference of one column, as one table cell."""
    parts = []
    if column.allowed:
        parts.append("one of " + ", ".join(_code(value) for value in column.allowed))
    if column.min is not None or column.max is not None:
        low = "−∞" if column.min is None else _number(column.min)
        high = "∞" if column.max is None else _number(column.max)
        parts.append(f"range [{low}, {high}]")
    if column.pattern:
        parts.append(f"pattern {_code(column.pattern)}")
    if column.references:
        source, target = column.references
        parts.append(f"must exist in {_code(f'{source}.{target}')}")
    return _cell("; ".join(parts)) if parts else ""


def _pii_handling(column: Column) -> str:
    if not column.pii:
        return ""
    return f"{column.pii}: " + _PII_HANDLING.format(token=column.curated_name)


def _overview(contracts: tuple[Contract, ...]) -> list[str]:
    lines = [
        "| Source | Partner | Format | Kind | Key | Event time | Description |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for contract in contracts:
        key = ", ".join(_code(name) for name in contract.key)
        lines.append(
            f"| [{contract.name}](#{contract.name}) | {contract.partner} | {contract.format} "
            f"| {contract.kind} | {key} | {_code(contract.event_time)} "
            f"| {_cell(contract.description)} |"
        )
    return lines


def _source_section(contract: Contract) -> list[str]:
    lines = [
        f"## {contract.name}",
        "",
        _cell(contract.description),
        "",
        f"- Partner: {contract.partner}",
        f"- Format: {contract.format}, {contract.kind}",
        f"- Key: {', '.join(_code(name) for name in contract.key)}",
        f"- Event time: {_code(contract.event_time)}",
    ]
    if contract.unique_identity:
        owned = ", ".join(_code(name) for name in contract.unique_identity)
        lines.append(f"- Identity columns owned by one key only: {owned}")
    lines += [
        "",
        "| Column | Type | Nullable | Allowed / range / pattern | PII handling | Description |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for column in contract.columns:
        lines.append(
            f"| {_code(column.name)} | {column.type} | {'yes' if column.nullable else 'no'} "
            f"| {column_constraints(column)} | {_pii_handling(column)} "
            f"| {_cell(column.description)} |"
        )
    return lines


def contracts_markdown(contracts: tuple[Contract, ...] = CONTRACTS) -> str:
    """Every contract as one Markdown page: an overview table, then one section per source."""
    lines = [
        "# Source contracts",
        "",
        f"<!-- Generated from profilehub/contracts.py by `{REGENERATE_COMMAND}`. "
        "Do not edit by hand. -->",
        "",
        "Every raw source ProfileHub receives, as declared in `profilehub/contracts.py`. "
        "Ingest validates each record against its contract; accepted rows land in the lake "
        "table `lake.<source>` with PII columns replaced by `<column>_token` (keyed HMAC), "
        "rejected rows go to quarantine with the first rule they break.",
        "",
        *_overview(contracts),
    ]
    for contract in contracts:
        lines += ["", *_source_section(contract)]
    return "\n".join(lines) + "\n"


def write_contracts_markdown(path: Path = CONTRACTS_DOC) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(contracts_markdown(), encoding="utf-8")
    return path
