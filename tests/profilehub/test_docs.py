from profilehub.contracts import CONTRACTS, get_contract
from profilehub.docs import (
    CONTRACTS_DOC,
    REGENERATE_COMMAND,
    column_constraints,
    contracts_markdown,
)


def test_committed_contracts_page_matches_the_contracts():
    committed = CONTRACTS_DOC.read_text(encoding="utf-8") if CONTRACTS_DOC.exists() else ""
    assert committed == contracts_markdown(), (
        f"{CONTRACTS_DOC} is out of date with profilehub/contracts.py: run `{REGENERATE_COMMAND}`"
    )


def test_every_source_has_a_section_with_every_column():
    page = contracts_markdown()
    for contract in CONTRACTS:
        section = page.split(f"\n## {contract.name}\n", 1)[1].split("\n## ", 1)[0]
        assert contract.partner in section
        for column in contract.columns:
            assert f"| `{column.name}` | {column.type} |" in section, (contract.name, column.name)


def test_pii_columns_say_which_token_replaces_them():
    page = contracts_markdown((get_contract("customers"),))
    phone_row = next(line for line in page.splitlines() if line.startswith("| `phone` |"))
    assert "`phone_token`" in phone_row and "HMAC" in phone_row
    birth_row = next(line for line in page.splitlines() if line.startswith("| `birth_date` |"))
    assert "token" not in birth_row


def test_constraints_cell_escapes_pipes_and_shows_every_kind():
    product_code = get_contract("wealth_holdings").column("product_code")
    cell = column_constraints(product_code)
    assert r"(FD\|BD\|SN\|IN)" in cell
    assert "`wealth_products.product_code`" in cell
    assert column_constraints(get_contract("trades").column("quantity")) == "range [1, 10,000,000]"
    assert column_constraints(get_contract("trades").column("side")) == "one of `BUY`, `SELL`"
    assert column_constraints(get_contract("customers").column("city")) == ""
