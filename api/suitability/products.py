"""Product risk levels (R1–R5) from the lake's ``wealth_products`` snapshots, per as_of."""

from __future__ import annotations

import threading
from datetime import date

import duckdb

from profilehub.catalog.sql import sql_string
from profilehub.contracts import PRODUCT_RISK_LEVELS, WEALTH_PRODUCTS
from profilehub.settings import Settings


class ProductShelf:
    """product_code -> risk level of the latest catalogue row on or before the as_of."""

    def __init__(self, settings: Settings) -> None:
        self.folder = settings.paths.lake / WEALTH_PRODUCTS.name
        self._levels: dict[date, dict[str, str]] = {}
        self._lock = threading.Lock()

    def risk_level(self, product: str, as_of: date) -> str | None:
        """An R level given as such, or the level of a product code; None when unknown."""
        if product in PRODUCT_RISK_LEVELS:
            return product
        with self._lock:
            if as_of not in self._levels:
                self._levels = {as_of: self._read(as_of)}
            return self._levels[as_of].get(product)

    def _read(self, as_of: date) -> dict[str, str]:
        if not self.folder.is_dir():
            return {}
        query = f"""
            SELECT product_code, risk_level
            FROM read_parquet({sql_string(str(self.folder / "*" / "*.parquet"))},
                              hive_partitioning = true)
            WHERE dt <= {sql_string(as_of.isoformat())}
            QUALIFY row_number() OVER (PARTITION BY product_code
                                       ORDER BY dt DESC, updated_at DESC) = 1"""
        with duckdb.connect() as connection:
            return dict(connection.sql(query).fetchall())
