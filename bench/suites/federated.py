"""Suite ``federated``: Flower's Deployment Engine on localhost (a SuperLink and three
SuperNodes as separate processes), one model trained plain, with SecAgg+, and with SecAgg+ and
DP, in one run: seconds and bytes per round, and the final holdout AUC against the centralised
model (all partners' rows pooled). Its own small population (3,000 customers x 20 days, so
churners and panic sellers show), independent of the bench scale."""

from __future__ import annotations

from bench.context import BenchContext
from bench.report import Section

CUSTOMERS = 3000
RUNS = (("plain", "FedAvg"), ("secagg", "FedAvg + SecAgg+"),
        ("secagg_dp", "FedAvg + SecAgg+ + DP"))


def run(context: BenchContext) -> list[Section]:
    measured = context.measure("federated", "deployment", "flower", "bench.cases.federated",
                               ["--customers", str(CUSTOMERS)])
    figures = measured.details
    centralised = figures["centralised_auc"]
    # AUCs with four decimals: the report's default two cannot tell 0.99x from 1.00x.
    rows = [[label, run["seconds_per_round"], run["bytes_per_round"] / 1024,
             f"{run['final_auc']:.4f}", f"{run['final_auc'] / centralised:.4f}", run["privacy"]]
            for name, label in RUNS for run in [figures["runs"][name]]]
    poisoning = figures["poisoning"]
    return [Section(
        title="Federated training: SecAgg+ and DP costs, AUC vs centralised",
        aim="federated holdout AUC at least 0.99x the centralised model's with SecAgg+ on.",
        columns=["run", "s / round", "KiB / round (all partners)", "final AUC",
                 "x centralised", "privacy"],
        rows=rows,
        notes=[f"Model {figures['model']}, {figures['rounds']} rounds, 3 partners (non-IID "
               f"partitions {figures['partitions']}), {figures['rows']:,} customers; "
               f"centralised AUC {centralised:.4f}. Seconds per round from the ServerApp's "
               "clock (each message starts a fresh flwr-clientapp process, which dominates); "
               "bytes are serialized message payloads the partners received and sent. "
               f"Peak RSS of the case {measured.peak_rss_mb:,.0f} MB, wall "
               f"{measured.seconds:,.0f} s.",
               "Poisoned partner 0 (in process, 3 rounds, no SecAgg+): clean FedAvg "
               f"{poisoning['clean fedavg']:.4f}; flipped labels FedAvg "
               f"{poisoning['flip fedavg']:.4f} vs FedMedian {poisoning['flip fedmedian']:.4f}; "
               f"updates x -4 FedAvg {poisoning['scale fedavg']:.4f} vs FedMedian "
               f"{poisoning['scale fedmedian']:.4f}."])]
