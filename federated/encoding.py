"""The feature encoding every partner agrees on: the float ``x__…`` columns a model reads.

Numbers become standardised signed log1p (heavy-tailed amounts and counts on one scale), text a
one-hot over its most frequent values; a missing value is the centre. The spec is fitted once
when partitions are prepared, kept in their manifest, and reused to score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from federated.task import FEATURE_PREFIX

MAX_CATEGORIES = 12
# Standardised values beyond this are clipped: a few extreme customers must not dominate.
VALUE_BOUND = 5.0


@dataclass(frozen=True)
class EncodingSpec:
    """Numeric columns with their centre and scale, text columns with their values."""

    numeric: dict[str, tuple[float, float]] = field(default_factory=dict)
    categories: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def fit(cls, frame: pd.DataFrame) -> EncodingSpec:
        numeric, categories = {}, {}
        for column in frame.columns:
            values = frame[column]
            if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
                logged = _signed_log1p(values)
                scale = float(logged.std())
                if scale > 0:
                    numeric[column] = (float(logged.mean()), scale)
            elif pd.api.types.is_string_dtype(values) or values.dtype == object:
                top = values.dropna().astype(str).value_counts().index[:MAX_CATEGORIES]
                if len(top) > 1:
                    categories[column] = sorted(top)
        return cls(numeric, categories)

    def encode(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The ``x__…`` float columns; a missing value is the centre (0)."""
        columns = {}
        for name, (centre, scale) in self.numeric.items():
            values = (_signed_log1p(frame[name]) - centre) / scale
            columns[f"{FEATURE_PREFIX}{name}"] = values.fillna(0.0).clip(-VALUE_BOUND, VALUE_BOUND)
        for name, values in self.categories.items():
            text = frame[name].astype("string")
            for value in values:
                columns[f"{FEATURE_PREFIX}{name}={value}"] = (text == value).fillna(False)
        return pd.DataFrame(columns, index=frame.index).astype(np.float64)

    @classmethod
    def from_json(cls, document: dict) -> EncodingSpec:
        return cls({name: tuple(pair) for name, pair in document["numeric"].items()},
                   document["categories"])


def _signed_log1p(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values.astype("float64"), errors="coerce")
    return np.sign(numbers) * np.log1p(numbers.abs())
