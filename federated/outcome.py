"""What a federated run leaves behind in its output folder, written by the ServerApp.

``outcome.json`` (run config, per-round holdout AUC, loss and seconds since the start, the
privacy achieved), ``parameters.npz`` (the final global model) and ``traffic/`` (bytes per
partner message, ``federated.traffic``). ``run_federation`` reads it back as a ``RunOutcome``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from federated.partition_files import PartitionManifest
from federated.privacy import privacy_report
from federated.registry import PARAMETERS_FILE
from federated.run_config import RunConfig
from federated.strategy import RoundLog
from federated.traffic import TRAFFIC_DIR

OUTCOME_FILE = "outcome.json"


@dataclass(frozen=True)
class RunOutcome:
    config: dict
    rounds: list[dict]
    privacy: dict
    partitions: dict
    folder: str
    # Filled in by the caller that ran the processes.
    wall_seconds: float = 0.0

    @property
    def run_config(self) -> RunConfig:
        return RunConfig(**self.config)

    @property
    def final_auc(self) -> float:
        return self.rounds[-1]["auc"]

    @property
    def auc_by_round(self) -> list[float]:
        return [entry["auc"] for entry in self.rounds]

    def parameters(self) -> list[np.ndarray]:
        with np.load(Path(self.folder) / PARAMETERS_FILE) as stored:
            return [stored["coef"], stored["intercept"]]

    def traffic(self) -> list[dict]:
        """Every message a partner handled: node, type, bytes received and sent."""
        logs = sorted((Path(self.folder) / TRAFFIC_DIR).glob("*.jsonl"))
        return [json.loads(line) for log in logs for line in log.read_text().splitlines()]

    def traffic_bytes(self) -> int:
        """Bytes partners sent and received over the whole run."""
        return sum(entry["received"] + entry["sent"] for entry in self.traffic())

    def seconds_per_round(self) -> float:
        training = [entry for entry in self.rounds if entry["round"] > 0]
        if not training:
            return 0.0
        return (training[-1]["seconds"] - self.rounds[0]["seconds"]) / len(training)

    def bytes_per_round(self) -> float:
        return self.traffic_bytes() / max(1, len(self.rounds) - 1)

    def with_wall_seconds(self, seconds: float) -> RunOutcome:
        return RunOutcome(**{**asdict(self), "wall_seconds": seconds})


def write_outcome(config: RunConfig, manifest: PartitionManifest, round_log: RoundLog) -> Path:
    folder = Path(config.output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    if round_log.parameters is not None:
        coef, intercept = round_log.parameters
        np.savez(folder / PARAMETERS_FILE, coef=coef, intercept=intercept)
    privacy = privacy_report(config.dp_noise_multiplier, config.dp_clipping_norm,
                             config.num_server_rounds, config.dp_delta)
    outcome = RunOutcome(config=asdict(config), rounds=round_log.rounds,
                         privacy={**asdict(privacy), "summary": privacy.summary()},
                         partitions={"folder": manifest.folder, "as_of": manifest.as_of,
                                     "source": manifest.source, "rows": manifest.rows},
                         folder=str(folder))
    path = folder / OUTCOME_FILE
    path.write_text(json.dumps(asdict(outcome), indent=2, default=float))
    return path


def read_outcome(folder: Path | str) -> RunOutcome:
    return RunOutcome(**json.loads((Path(folder) / OUTCOME_FILE).read_text()))
