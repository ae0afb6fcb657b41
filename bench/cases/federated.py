"""Benchmark case: federated training with the Deployment Engine on localhost, one federation
(a SuperLink and three SuperNodes) running the same model plain, with SecAgg+, and with SecAgg+
and DP; then the in-process poisoning comparison. Prints seconds and bytes per round, final and
centralised AUC per run (``bench.suites.federated`` renders them)."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from pathlib import Path

from bench.context import print_figures, settings_for
from federated.demo_data import build_demo_lake
from federated.deployment import Federation
from federated.in_process import CENTRALISED, baseline_curves, federate_in_process
from federated.pipeline import federated_label, prepare
from federated.run_config import RunConfig

START = dt.date(2026, 10, 1)
SEED = 5
# Partner-level DP with three partners: the noise a useful model survives (the accountant
# reports what ε that buys).
DP_NOISE, DP_CLIP = 0.3, 1.0


def variants(rounds: int, model: str, folder: str) -> dict[str, RunConfig]:
    base = RunConfig(num_server_rounds=rounds, model=model, partitions_dir=folder)
    return {
        "plain": base.replace(secagg=False),
        "secagg": base,
        "secagg_dp": base.replace(dp_noise_multiplier=DP_NOISE, dp_clipping_norm=DP_CLIP),
    }


def poisoning(manifest, model: str, rounds: int) -> dict[str, float]:
    def final(strategy: str, poisoned: int, poison: str) -> float:
        config = RunConfig(num_server_rounds=rounds, model=model, strategy=strategy,
                           secagg=False, poisoned_partition=poisoned, poison=poison,
                           partitions_dir=manifest.folder)
        return federate_in_process(manifest, config).rounds[-1]["auc"]

    figures = {"clean fedavg": final("fedavg", -1, "scale")}
    for poison in ("flip", "scale"):
        for strategy in ("fedavg", "fedmedian"):
            figures[f"{poison} {strategy}"] = final(strategy, 0, poison)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--model", default="panic_sell")
    # Clear of Flower's defaults (9091-9093) and of hand runs.
    parser.add_argument("--base-port", type=int, default=19291)
    args = parser.parse_args()
    root = Path(args.root) / "federated"
    settings = settings_for(root)
    settings = dataclasses.replace(settings, federated=dataclasses.replace(
        settings.federated, base_port=args.base_port))
    as_of = build_demo_lake(settings, customers=args.customers, seed=SEED, start=START)
    manifest = prepare(settings, as_of, source="lake", num_partitions=3)
    centralised = baseline_curves(manifest, args.model, args.rounds,
                                  RunConfig().local_epochs)[CENTRALISED][-1]
    runs = {}
    with Federation(settings, manifest.num_partitions) as federation:
        for name, config in variants(args.rounds, args.model, manifest.folder).items():
            outcome = federation.run(config, name=f"bench-{name}")
            runs[name] = {"label": federated_label(config),
                          "seconds_per_round": outcome.seconds_per_round(),
                          "bytes_per_round": outcome.bytes_per_round(),
                          "messages": len(outcome.traffic()),
                          "wall_seconds": outcome.wall_seconds,
                          "final_auc": outcome.final_auc,
                          "privacy": outcome.privacy["summary"]}
    print_figures({"rows": sum(manifest.rows.values()), "model": args.model,
                   "rounds": args.rounds, "partitions": manifest.rows,
                   "centralised_auc": centralised, "runs": runs,
                   "poisoning": poisoning(manifest, args.model, 3)})


if __name__ == "__main__":
    main()
