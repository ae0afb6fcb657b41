"""The steps of federated training as plain functions, for the ``federated_training`` DAG and
``profilehub federated prepare|run|score``:

    manifest = prepare(settings, as_of)                        # partner partitions
    trained = train(settings, manifest, RunConfig(model="churn"))  # federation, results, registry
    both = train_together(settings, manifest, [RunConfig(model=m) for m in LABELS])  # one
                                                # federation, the runs side by side (the DAG)
    report = score(settings, "churn", as_of)                   # feature store + score tags
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from federated.deployment import Federation, Progress, run_federation
from federated.in_process import CENTRALISED, baseline_curves
from federated.layout import partitions_dir, registry_dir, results_dir
from federated.outcome import RunOutcome
from federated.partition_files import PartitionManifest
from federated.partitions import customer_labels, load_features, prepare_partitions
from federated.registry import RegisteredModel, load_model, register_model
from federated.results import Curves, write_results
from federated.run_config import RunConfig
from federated.scoring import ScoreReport, write_scores
from profilehub.feature_store.services import TRAINING_V1
from profilehub.settings import Settings

DEFAULT_SEED = 7


@dataclass(frozen=True)
class TrainedModel:
    outcome: RunOutcome
    model: RegisteredModel
    curves: Curves
    table: Path
    plot: Path

    def summary(self) -> str:
        metrics = self.model.metadata["metrics"]
        return (f"{self.model.name}: holdout AUC {metrics['federated_auc']:.4f}, "
                f"centralised {metrics['centralised_auc']:.4f} "
                f"({metrics['ratio_to_centralised']:.3f}x); {self.outcome.privacy['summary']}; "
                f"table {self.table}, plot {self.plot}")


def prepare(settings: Settings, as_of: dt.date, *, source: str = TRAINING_V1.name,
            num_partitions: int | None = None, seed: int = DEFAULT_SEED) -> PartitionManifest:
    """Partner partitions of ``as_of`` from ``source``, labelled with the planted truth."""
    features = load_features(settings, as_of, source)
    return prepare_partitions(
        features, customer_labels(settings, as_of), partitions_dir(settings, as_of),
        as_of=as_of, source=source,
        num_partitions=num_partitions or settings.federated.num_partitions, seed=seed)


def federated_label(config: RunConfig) -> str:
    protections = [name for name, on in (("SecAgg+", config.secagg), ("DP", config.dp)) if on]
    return f"federated ({', '.join([config.strategy, *protections])})"


def evaluate_against_baselines(outcome: RunOutcome, manifest: PartitionManifest
                               ) -> tuple[Curves, dict[str, float]]:
    """The run's curve beside centralised and partner-alone curves, and the headline metrics."""
    config = outcome.run_config
    curves = {federated_label(config): outcome.auc_by_round,
              **baseline_curves(manifest, config.model, config.num_server_rounds,
                                config.local_epochs)}
    metrics = {"federated_auc": outcome.final_auc,
               "centralised_auc": curves[CENTRALISED][-1],
               "ratio_to_centralised": outcome.final_auc / curves[CENTRALISED][-1],
               **{f"{name} auc": curve[-1] for name, curve in curves.items()
                  if name.startswith("partner")}}
    return curves, metrics


def train(settings: Settings, manifest: PartitionManifest, config: RunConfig, *,
          progress: Progress = print) -> TrainedModel:
    """Run the federation, compare it with the baselines, and register the model."""
    outcome = run_federation(settings, config.replace(partitions_dir=manifest.folder),
                             num_partitions=manifest.num_partitions, progress=progress)
    return record(settings, outcome, manifest)


def train_together(settings: Settings, manifest: PartitionManifest, configs: list[RunConfig],
                   *, progress: Progress = print) -> list[TrainedModel]:
    """Run every config at once on one federation (``Federation.run_side_by_side``), then
    record and register each model."""
    configs = [config.replace(partitions_dir=manifest.folder) for config in configs]
    with Federation(settings, manifest.num_partitions, progress) as federation:
        outcomes = federation.run_side_by_side(configs)
    return [record(settings, outcome, manifest) for outcome in outcomes]


def record(settings: Settings, outcome: RunOutcome, manifest: PartitionManifest
           ) -> TrainedModel:
    """Results table and plot of a finished run, and its model registered."""
    curves, metrics = evaluate_against_baselines(outcome, manifest)
    name = Path(outcome.folder).name
    table, plot = write_results(results_dir(settings), name, curves,
                                f"{outcome.run_config.model}: holdout AUC by round ({name})")
    model = register_model(registry_dir(settings), outcome, manifest, metrics)
    return TrainedModel(outcome, model, curves, table, plot)


def score(settings: Settings, model: str, as_of: dt.date, *, version: int | None = None,
          source: str | None = None) -> ScoreReport:
    """Score every customer of ``as_of`` with a registered model (the latest by default)."""
    registered = load_model(registry_dir(settings), model, version)
    features = load_features(settings, as_of, source or registered.metadata["data"]["source"],
                             reuse=True)
    return write_scores(settings, registered, features, as_of)
