"""The server's strategy for a run config: FedAvg or a robust aggregate, optionally with DP.

The global model is judged after every round on the coordinator's holdout (``RoundLog``), which
is also where the run's per-round AUC, timings and final parameters come from. Partners do no
evaluation round of their own: the holdout answers the question for everyone and a SecAgg+
round is already four messages per partner.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from flwr.common import ndarrays_to_parameters
from flwr.server.strategy import (
    DifferentialPrivacyClientSideFixedClipping,
    FedAvg,
    FedMedian,
    FedTrimmedAvg,
    Krum,
    Strategy,
)

from federated.run_config import RunConfig
from federated.task import Dataset, auc, log_loss


@dataclass
class RoundLog:
    """What the server saw after each round: holdout AUC and loss, and when."""

    holdout: Dataset
    started: float = field(default_factory=time.monotonic)
    rounds: list[dict] = field(default_factory=list)
    parameters: list[np.ndarray] | None = None

    def evaluate(self, server_round: int, parameters: list[np.ndarray], _config: dict
                 ) -> tuple[float, dict[str, float]]:
        self.parameters = [np.array(array) for array in parameters]
        score, loss = auc(parameters, self.holdout), log_loss(parameters, self.holdout)
        self.rounds.append({"round": server_round, "auc": score, "loss": loss,
                            "seconds": round(time.monotonic() - self.started, 3)})
        print(f"round {server_round}: holdout AUC {score:.4f}, log loss {loss:.4f}", flush=True)
        return loss, {"auc": score}


def _no_metrics(_metrics: list[tuple[int, dict]]) -> dict:
    # Partners report no training metrics: the holdout judges the global model.
    return {}


def build_strategy(config: RunConfig, n_features: int, round_log: RoundLog,
                   num_partitions: int) -> Strategy:
    common = {
        "fraction_fit": 1.0, "fraction_evaluate": 0.0,
        "min_fit_clients": config.min_fit_clients,
        "min_available_clients": config.min_fit_clients,
        "min_evaluate_clients": 0,
        "evaluate_fn": round_log.evaluate,
        "fit_metrics_aggregation_fn": _no_metrics,
        "initial_parameters": ndarrays_to_parameters(
            [np.zeros((1, n_features)), np.zeros(1)]),
    }
    if config.strategy == "fedavg":
        strategy: Strategy = FedAvg(**common)
    elif config.strategy == "fedmedian":
        strategy = FedMedian(**common)
    elif config.strategy == "fedtrimmedavg":
        strategy = FedTrimmedAvg(**common, beta=config.trim_beta)
    else:
        strategy = Krum(**common, num_malicious_clients=config.krum_malicious)
    if config.dp:
        # Noise on the (securely) aggregated sum; partners clip with fixedclipping_mod.
        strategy = DifferentialPrivacyClientSideFixedClipping(
            strategy, noise_multiplier=config.dp_noise_multiplier,
            clipping_norm=config.dp_clipping_norm, num_sampled_clients=num_partitions)
    return strategy
