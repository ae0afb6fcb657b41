"""The same training without a network: baselines, and fast runs of the federated loop.

``baseline_curves`` trains the comparisons of every results table on the same holdout: one
model on all partners' rows pooled (centralised, what federation would reach if data could
move) and one per partner on its own rows alone, round by round with the same local epochs.
``federate_in_process`` runs the app's own ``PartnerClient`` and strategy (FedAvg, FedMedian,
…) round by round in this process: no SecAgg+ (which needs the message protocol), seconds
instead of minutes, for the poisoning comparison and unit tests (with DP, clients clip their
updates as ``fixedclipping_mod`` does on a SuperNode).
"""

from __future__ import annotations

import numpy as np
from flwr.common import Code, FitRes, Status, ndarrays_to_parameters, parameters_to_ndarrays
from flwr.supercore.differential_privacy import compute_clip_model_update

from federated.client_app import PartnerClient
from federated.partition_files import HOLDOUT_FILE, PartitionManifest, partition_file
from federated.run_config import RunConfig
from federated.strategy import RoundLog, build_strategy
from federated.task import (
    Dataset,
    auc,
    fit_local,
    get_model_params,
    load_dataset,
    new_model,
    set_initial_params,
)

CENTRALISED = "centralised"


def partner_name(partition: int) -> str:
    return f"partner {partition} alone"


def load_partitions(manifest: PartitionManifest, model: str) -> list[Dataset]:
    return [load_dataset(manifest.path(partition_file(i)), model)
            for i in range(manifest.num_partitions)]


def pooled(datasets: list[Dataset]) -> Dataset:
    return Dataset(np.vstack([data.x for data in datasets]),
                   np.concatenate([data.y for data in datasets]))


def local_curve(data: Dataset, holdout: Dataset, rounds: int, local_epochs: int
                ) -> list[float]:
    """Holdout AUC before training and after each round of local epochs on ``data`` alone."""
    model = new_model(local_epochs)
    set_initial_params(model, holdout.x.shape[1])
    curve = [auc(get_model_params(model), holdout)]
    for _ in range(rounds):
        fit_local(model, data)
        curve.append(auc(get_model_params(model), holdout))
    return curve


def baseline_curves(manifest: PartitionManifest, model: str, rounds: int, local_epochs: int
                    ) -> dict[str, list[float]]:
    holdout = load_dataset(manifest.path(HOLDOUT_FILE), model)
    partitions = load_partitions(manifest, model)
    curves = {CENTRALISED: local_curve(pooled(partitions), holdout, rounds, local_epochs)}
    for index, data in enumerate(partitions):
        curves[partner_name(index)] = local_curve(data, holdout, rounds, local_epochs)
    return curves


def federate_in_process(manifest: PartitionManifest, config: RunConfig) -> RoundLog:
    """The federated loop of ``config`` with the app's client and strategy, in this process."""
    if config.secagg:
        raise ValueError("SecAgg+ needs the Deployment Engine: run with secagg = false here")
    holdout = load_dataset(manifest.path(HOLDOUT_FILE), config.model)
    round_log = RoundLog(holdout)
    strategy = build_strategy(config, holdout.x.shape[1], round_log, manifest.num_partitions)
    parameters = strategy.initialize_parameters(client_manager=None)
    strategy.evaluate(0, parameters)
    clients = [PartnerClient(data, config, poisoned=index == config.poisoned_partition)
               for index, data in enumerate(load_partitions(manifest, config.model))]
    for server_round in range(1, config.num_server_rounds + 1):
        results = []
        global_model = parameters_to_ndarrays(parameters)
        for client in clients:
            update, examples, metrics = client.fit([array.copy() for array in global_model], {})
            if config.dp:
                # What fixedclipping_mod does on a SuperNode: clip the update, in place.
                compute_clip_model_update(update, global_model, config.dp_clipping_norm)
            results.append((None, FitRes(Status(Code.OK, ""), ndarrays_to_parameters(update),
                                         examples, metrics)))
        parameters, _ = strategy.aggregate_fit(server_round, results, [])
        strategy.evaluate(server_round, parameters)
    return round_log
