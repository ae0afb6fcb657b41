"""ServerApp: the coordinator's side of a federated run (Flower 1.32 legacy workflow API).

SecAgg+ exists in Flower 1.32 only as a workflow of the legacy API, so the app runs
``DefaultWorkflow`` on a ``LegacyContext``: with ``SecAggPlusWorkflow`` as its fit workflow when
``secagg`` is on (the server then only ever sees the sum of the partners' updates), plain
FedAvg-style fit messages otherwise (what robust strategies need). The run's outcome (per-round
holdout AUC and timings, final parameters) is written to ``output-dir``: the app runs from its
installed copy under ``$FLWR_HOME``, so only absolute paths reach the caller.
"""

from __future__ import annotations

from flwr.app import Context
from flwr.server import Grid, LegacyContext, ServerApp, ServerConfig
from flwr.server.workflow import DefaultWorkflow, SecAggPlusWorkflow

from federated.outcome import write_outcome
from federated.partition_files import HOLDOUT_FILE, PartitionManifest
from federated.run_config import RunConfig
from federated.strategy import RoundLog, build_strategy
from federated.task import load_dataset

app = ServerApp()


def fit_workflow(config: RunConfig, manifest: PartitionManifest) -> SecAggPlusWorkflow | None:
    if not config.secagg:
        return None
    # A partner's weight is its row count, which SecAgg+ refuses above max_weight.
    largest = max(manifest.rows.values())
    return SecAggPlusWorkflow(
        num_shares=config.secagg_num_shares,
        reconstruction_threshold=config.secagg_reconstruction_threshold,
        max_weight=max(config.secagg_max_weight, float(largest)),
        # A partner that never answers must not hang the round (dropout tolerance).
        timeout=config.secagg_timeout,
    )


@app.main()
def main(grid: Grid, context: Context) -> None:
    config = RunConfig.from_flower(context.run_config)
    manifest = PartitionManifest.read(config.partitions_dir)
    holdout = load_dataset(manifest.path(HOLDOUT_FILE), config.model)
    round_log = RoundLog(holdout)
    strategy = build_strategy(config, holdout.x.shape[1], round_log, manifest.num_partitions)
    legacy = LegacyContext(context=context,
                           config=ServerConfig(num_rounds=config.num_server_rounds),
                           strategy=strategy)
    DefaultWorkflow(fit_workflow=fit_workflow(config, manifest))(grid, legacy)
    write_outcome(config, manifest, round_log)
