"""Every contract has a staging model that keeps all its curated columns."""

import re

import pytest

from profilehub.contracts import CONTRACTS, Contract
from profilehub.dbt_sources import LINEAGE_COLUMNS, STAGING_DIR


def _model_path(contract: Contract):
    return STAGING_DIR / contract.partner / f"stg_{contract.partner}__{contract.name}.sql"


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_staging_model_selects_every_curated_and_lineage_column(contract: Contract):
    sql = _model_path(contract).read_text(encoding="utf-8")
    assert f"{{{{ source('{contract.partner}', '{contract.name}') }}}}" in sql
    # A column is kept when the renamed CTE selects it, as itself or renamed (`x as y`).
    renamed = sql.split("renamed as (", 1)[1]
    selected = set(re.findall(r"^\s+(\w+)(?:\s+as\s+\w+)?,?$", renamed, flags=re.MULTILINE))
    missing = {*contract.curated_columns, *LINEAGE_COLUMNS} - selected
    assert not missing, f"{_model_path(contract).name} drops {sorted(missing)}"


def test_no_staging_model_without_a_contract():
    expected = {_model_path(contract) for contract in CONTRACTS}
    assert set(STAGING_DIR.glob("*/stg_*.sql")) == expected
