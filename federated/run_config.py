"""The run config of the Flower app: rounds, model, strategy, privacy, faults and data paths.

Flower passes it as ``context.run_config`` (kebab-case keys, defaults in ``[tool.flwr.app.config]``
of ``pyproject.toml``, which a test keeps equal to the defaults here); ``run_federation`` sends
every key with ``flwr run --run-config``. Paths are absolute: the ServerApp and ClientApps run
from the installed app under ``$FLWR_HOME``, not from the checkout.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from federated.task import LABELS

STRATEGIES = ("fedavg", "fedmedian", "fedtrimmedavg", "krum")
ROBUST_STRATEGIES = ("fedmedian", "fedtrimmedavg", "krum")
POISONS = ("flip", "scale")


@dataclass(frozen=True)
class RunConfig:
    num_server_rounds: int = 3
    model: str = "churn"
    strategy: str = "fedavg"
    local_epochs: int = 20
    # Partners a round needs: below it a round waits (SecAgg+ also needs its threshold).
    min_fit_clients: int = 2
    secagg: bool = True
    secagg_num_shares: int = 3
    secagg_reconstruction_threshold: int = 2
    secagg_max_weight: float = 10_000.0
    secagg_timeout: float = 90.0
    # 0 turns differential privacy off; otherwise Gaussian noise of this multiple of the
    # clipping norm on the sum of clipped updates (Flower's client-side fixed clipping).
    dp_noise_multiplier: float = 0.0
    dp_clipping_norm: float = 1.0
    dp_delta: float = 1e-5
    trim_beta: float = 0.34
    krum_malicious: int = 1
    # A partner that attacks: -1 for none.
    poisoned_partition: int = -1
    poison: str = "flip"
    poison_scale: float = -4.0
    partitions_dir: str = ""
    output_dir: str = ""

    def __post_init__(self) -> None:
        _check_choice("model", self.model, tuple(LABELS))
        _check_choice("strategy", self.strategy, STRATEGIES)
        _check_choice("poison", self.poison, POISONS)
        if self.secagg and self.strategy in ROBUST_STRATEGIES:
            # SecAgg+ hands the strategy only the sum of the updates: a median or Krum of one
            # value is that value. Robust aggregation needs the individual updates.
            raise ValueError(f"strategy {self.strategy} needs secagg = false: SecAgg+ hides "
                             "the individual updates a robust strategy compares")
        if self.secagg and not (self.secagg_num_shares > 2
                                and self.secagg_reconstruction_threshold < self.secagg_num_shares):
            raise ValueError("SecAgg+ needs num-shares > 2 and reconstruction-threshold below it")

    @property
    def dp(self) -> bool:
        return self.dp_noise_multiplier > 0

    @classmethod
    def from_flower(cls, run_config: dict) -> RunConfig:
        names = {field.name for field in dataclasses.fields(cls)}
        values = {key.replace("-", "_"): value for key, value in run_config.items()}
        return cls(**{name: value for name, value in values.items() if name in names})

    def to_flower(self) -> dict[str, object]:
        return {field.name.replace("_", "-"): getattr(self, field.name)
                for field in dataclasses.fields(self)}

    def to_toml(self) -> str:
        """Every key as a TOML document: the ``--run-config`` file of ``flwr run``."""
        return "".join(f"{key} = {toml_value(value)}\n" for key, value in self.to_flower().items())

    def replace(self, **changes) -> RunConfig:
        return dataclasses.replace(self, **changes)


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} {value!r}: expected one of {', '.join(choices)}")


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)
