"""The model every partner trains and the data it reads: one partner's partition file.

Imports of pandas and scikit-learn are deferred: every message of a SuperNode starts a fresh
``flwr-clientapp`` process, and most SecAgg+ messages never train or score.

As in Flower's tabular examples: a scikit-learn logistic regression whose parameters
(coefficients and intercept) are what travels between SuperNodes and the SuperLink. Partition
files are already encoded (``federated.partitions``): float feature columns ``x__…`` agreed by
all partners, and one 0/1 column per model's label.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

# Models this app trains, by run-config name: the label column each one predicts.
LABELS = {"churn": "label_churn", "panic_sell": "label_panic_sell"}
FEATURE_PREFIX = "x__"
KEY_COLUMN = "customer_key"
# SecAgg+ quantises parameters within ±8 (its clipping range): keep the model inside it.
PARAMETER_BOUND = 8.0
# Strong enough to keep coefficients well inside PARAMETER_BOUND on standardised features.
INVERSE_REGULARISATION = 0.5


@dataclass(frozen=True)
class Dataset:
    x: np.ndarray
    y: np.ndarray

    def __len__(self) -> int:
        return len(self.y)


def feature_columns(frame: pd.DataFrame) -> list[str]:
    return [column for column in frame.columns if column.startswith(FEATURE_PREFIX)]


def label_column(model_name: str) -> str:
    try:
        return LABELS[model_name]
    except KeyError:
        raise ValueError(f"model {model_name!r}: expected one of {', '.join(LABELS)}") from None


def to_dataset(frame: pd.DataFrame, model_name: str) -> Dataset:
    x = frame[feature_columns(frame)].to_numpy(dtype=np.float64)
    return Dataset(x, frame[label_column(model_name)].to_numpy(dtype=np.int64))


def load_dataset(path: Path | str, model_name: str) -> Dataset:
    """One partition (or the holdout) as features and the model's 0/1 label."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    columns = [name for name in table.column_names if name.startswith(FEATURE_PREFIX)]
    x = np.column_stack([table.column(name).to_numpy() for name in columns]).astype(np.float64)
    return Dataset(x, table.column(label_column(model_name)).to_numpy().astype(np.int64))


def new_model(local_epochs: int) -> LogisticRegression:
    from sklearn.linear_model import LogisticRegression

    # warm_start: each round continues from the global parameters set on the model.
    return LogisticRegression(C=INVERSE_REGULARISATION, max_iter=local_epochs, warm_start=True)


def set_initial_params(model: LogisticRegression, n_features: int) -> None:
    """Zero parameters, so a model exists before its first fit (Flower's sklearn pattern)."""
    model.classes_ = np.array([0, 1])
    model.coef_ = np.zeros((1, n_features))
    model.intercept_ = np.zeros(1)


def get_model_params(model: LogisticRegression) -> list[np.ndarray]:
    return [model.coef_, model.intercept_]


def set_model_params(model: LogisticRegression, params: list[np.ndarray]) -> LogisticRegression:
    model.coef_ = np.asarray(params[0], dtype=np.float64).reshape(1, -1)
    model.intercept_ = np.asarray(params[1], dtype=np.float64).reshape(1)
    return model


def bounded(params: list[np.ndarray]) -> list[np.ndarray]:
    return [np.clip(array, -PARAMETER_BOUND, PARAMETER_BOUND) for array in params]


def fit_local(model: LogisticRegression, data: Dataset) -> None:
    """Local epochs from the current parameters; a partition of one class keeps them as they are
    (logistic regression cannot fit it, and the global model is still worth sending)."""
    if len(np.unique(data.y)) < 2:
        return
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(data.x, data.y)
    set_model_params(model, bounded(get_model_params(model)))


def scores(params: list[np.ndarray], x: np.ndarray) -> np.ndarray:
    """Probability of the positive class, straight from the parameters."""
    logits = x @ np.asarray(params[0]).reshape(-1) + float(np.asarray(params[1]).reshape(-1)[0])
    return 1.0 / (1.0 + np.exp(-logits))


def auc(params: list[np.ndarray], data: Dataset) -> float:
    """ROC AUC of the parameters on the data; NaN where one class is missing."""
    if len(np.unique(data.y)) < 2:
        return float("nan")
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(data.y, scores(params, data.x)))


def log_loss(params: list[np.ndarray], data: Dataset) -> float:
    probability = np.clip(scores(params, data.x), 1e-12, 1 - 1e-12)
    return float(-np.mean(data.y * np.log(probability) + (1 - data.y) * np.log(1 - probability)))
