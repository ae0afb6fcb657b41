"""Federated training end to end on generated data, with the Deployment Engine on localhost.

3,000 customers x 20 days (churners and panic sellers show by then) go through the DuckDB
reference ingest, Spark identity resolution (the only JVM step) and the DuckDB feature build
(``federated.demo_data``), once for the module, into a private data root; partner partitions
are prepared from the lake's feature table. Then, on one SuperLink with three SuperNodes:

- SecAgg+ runs of both models side by side (as the DAG trains them) each reach at least 0.95x
  the centralised AUC, in less time than the two runs took between them;
- a SecAgg+ run survives a partner's SuperNode killed mid-training, and trains on;
- with TLS and SuperNode authentication on (prod's deployment, credentials from
  ``federated.credentials``), a plain FedAvg round trains on every registered partner and a
  SuperNode with an unregistered key is refused.

SecAgg+ rounds cost a minute or more here, so the runs are short (two and three rounds). The
poisoning comparison runs the app's client and strategies in process (``federate_in_process``,
no SecAgg+: robust strategies need the individual updates anyway), which takes seconds.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import subprocess
import time
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from federated import pipeline
from federated.credentials import create_credentials, write_supernode_key
from federated.demo_data import build_demo_lake
from federated.deployment import Federation, supernode_command
from federated.in_process import CENTRALISED, federate_in_process
from federated.partition_files import PartitionManifest
from federated.registry import load_model
from federated.run_config import RunConfig
from federated.scoring import read_scores
from federated.task import KEY_COLUMN
from profilehub.settings import PII_HMAC_KEY_SECRET, Settings, load_settings

pytestmark = pytest.mark.slow

CUSTOMERS, DAYS, SEED = 3000, 20, 5
START = dt.date(2026, 10, 1)
AS_OF = START + dt.timedelta(days=DAYS - 1)
ROUNDS = 2
# Ports a Federation uses above its base: SuperLink 0-2, SuperNodes 10 + partner (a fourth,
# unregistered one in the TLS test).
PORT_OFFSETS = (0, 1, 2, 10, 11, 12, 13)


def _free_base_port(start: int = 21000) -> int:
    for base in range(start, 40000, 50):
        if all(_port_is_free(base + offset) for offset in PORT_OFFSETS):
            return base
    raise RuntimeError("no free block of ports for a federation")


def _port_is_free(port: int) -> bool:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    return load_settings({
        "PROFILEHUB_DATA_ROOT": str(tmp_path_factory.mktemp("federated-data")),
        "PROFILEHUB_SPARK_DRIVER_MEMORY": "1g",
        "PROFILEHUB_SPARK_SHUFFLE_PARTITIONS": "2",
        "PROFILEHUB_FLWR_BASE_PORT": str(_free_base_port()),
        "PROFILEHUB_FEAST_PROJECT": "fltest",
        PII_HMAC_KEY_SECRET: "federated-test-key-0123456789",
    })


@pytest.fixture(scope="module")
def manifest(settings) -> PartitionManifest:
    started = time.perf_counter()
    as_of = build_demo_lake(settings, customers=CUSTOMERS, seed=SEED, start=START, days=DAYS)
    assert as_of == AS_OF
    prepared = pipeline.prepare(settings, AS_OF, source="lake", num_partitions=3)
    print(f"\nlake and partitions in {time.perf_counter() - started:.0f} s: {prepared.rows}")
    return prepared


@pytest.fixture(scope="module")
def federation(settings, manifest):
    with Federation(settings, manifest.num_partitions) as running:
        yield running


@dataclass(frozen=True)
class SecAggRun:
    trained: pipeline.TrainedModel
    seconds: float
    # Both models, trained side by side on the module's federation (churn first).
    both: tuple[pipeline.TrainedModel, ...]


@pytest.fixture(scope="module")
def secagg_run(settings, manifest, federation) -> SecAggRun:
    configs = [RunConfig(num_server_rounds=ROUNDS, model=model, secagg=True,
                         partitions_dir=manifest.folder) for model in ("churn", "panic_sell")]
    started = time.perf_counter()
    outcomes = federation.run_side_by_side(configs)
    seconds = time.perf_counter() - started
    both = tuple(pipeline.record(settings, outcome, manifest) for outcome in outcomes)
    return SecAggRun(both[0], seconds, both)


@pytest.mark.parametrize("model", [0, 1], ids=["churn", "panic_sell"])
def test_secagg_runs_side_by_side_reach_the_centralised_auc(secagg_run, model):
    trained = secagg_run.both[model]
    federated_auc = trained.outcome.final_auc
    centralised_auc = trained.curves[CENTRALISED][-1]
    print(f"\n{trained.model.name}: SecAgg+, {ROUNDS} rounds in {secagg_run.seconds:.0f} s "
          f"beside the other model: federated AUC {federated_auc:.4f}, centralised "
          f"{centralised_auc:.4f} ({federated_auc / centralised_auc:.3f}x)\n"
          f"{trained.table.read_text()}")
    assert trained.outcome.run_config.model == trained.model.model
    assert federated_auc >= 0.95 * centralised_auc
    assert federated_auc > max(curve[-1] for name, curve in trained.curves.items()
                               if name.startswith("partner"))


def test_runs_side_by_side_overlap_in_time(secagg_run):
    alone = [trained.outcome.wall_seconds for trained in secagg_run.both]
    assert secagg_run.seconds < 0.8 * sum(alone), (secagg_run.seconds, alone)


def test_secagg_run_exchanged_only_masked_secagg_messages(secagg_run):
    # SecAgg+ is four messages per partner and round (setup, share keys, masked vectors,
    # unmask); a plain round is one.
    traffic = secagg_run.trained.outcome.traffic()
    per_node = {entry["node"] for entry in traffic}
    assert len(per_node) == 3
    assert len(traffic) == 3 * 4 * ROUNDS


def test_results_and_registry_hold_the_run(secagg_run, settings):
    trained = secagg_run.trained
    assert trained.plot.stat().st_size > 10_000
    assert "| round | federated (fedavg, SecAgg+) | centralised |" in trained.table.read_text()
    registered = load_model(settings.paths.federated / "registry", "churn")
    assert registered.version == trained.model.version
    metadata = registered.metadata
    assert metadata["data"] == {**metadata["data"], "as_of": AS_OF.isoformat(), "source": "lake"}
    assert metadata["secagg"]["enabled"] and metadata["strategy"] == "fedavg"
    assert metadata["metrics"]["federated_auc"] == trained.outcome.final_auc
    assert "no differential privacy" in metadata["privacy"]["summary"]


def test_scores_land_in_the_online_store_with_their_model_version(secagg_run, settings):
    report = pipeline.score(settings, "churn", AS_OF)
    keys = pq.read_table(report.score_tags, columns=[KEY_COLUMN]).column(KEY_COLUMN)
    sample = keys.to_pylist()[:20]
    online = read_scores(settings, "churn", sample)
    assert report.customers >= CUSTOMERS * 0.9
    assert online[KEY_COLUMN].tolist() == sample and set(online["as_of"]) == {AS_OF}
    assert online["churn_score"].notna().all()
    assert online["churn_score"].between(0, 1).all()
    assert set(online["churn_model_version"]) == {secagg_run.trained.model.name}


def test_a_partner_killed_mid_training_does_not_stop_the_federation(manifest, federation):
    # Killed as round 2 starts: that SecAgg+ round may halt (the partner's key shares are
    # missing) or finish without it; round 3 must train on the two survivors.
    config = RunConfig(num_server_rounds=3, model="panic_sell", secagg=True,
                       partitions_dir=manifest.folder)
    killed = []

    def kill_in_second_round(line: str) -> None:
        if "[ROUND 2]" in line and not killed:
            federation.kill_partner(2)
            killed.append(time.monotonic())

    outcome = federation.run(config, name="secagg-dropout", on_line=kill_in_second_round)
    log = (Path(outcome.folder) / "server.log").read_text()
    last_round = log[log.index("[ROUND 3]"):]
    print(f"\ndropout run: AUC by round {outcome.auc_by_round}")
    assert killed, "the run never reached round 2"
    assert [entry["round"] for entry in outcome.rounds] == [0, 1, 2, 3]
    assert "received 2 results and 0 failures" in last_round
    assert outcome.auc_by_round[3] != outcome.auc_by_round[2], "round 3 trained nothing"
    assert outcome.final_auc > 0.9


def test_robust_strategy_recovers_most_of_what_a_poisoned_partner_costs(manifest):
    def final_auc(strategy: str, poisoned: int) -> float:
        config = RunConfig(num_server_rounds=3, model="churn", strategy=strategy, secagg=False,
                           poisoned_partition=poisoned, poison="scale",
                           partitions_dir=manifest.folder)
        return federate_in_process(manifest, config).rounds[-1]["auc"]

    clean = final_auc("fedavg", -1)
    poisoned = final_auc("fedavg", 0)
    robust = final_auc("fedmedian", 0)
    recovered = (robust - poisoned) / (clean - poisoned)
    print(f"\npoisoned partner 0 (updates x -4): FedAvg clean {clean:.4f}, poisoned "
          f"{poisoned:.4f}; FedMedian poisoned {robust:.4f} ({recovered:.0%} recovered)")
    assert clean - poisoned > 0.1, "the attack should hurt FedAvg"
    assert recovered > 0.6


def test_the_data_root_holds_every_flower_home(settings, secagg_run):
    homes = sorted(path.name for path in (settings.paths.federated / "flwr").iterdir())
    assert homes == ["cli", "superlink", "supernode-0", "supernode-1", "supernode-2"]


@pytest.fixture(scope="module")
def secure_federation(settings, manifest, tmp_path_factory):
    """A federation as prod runs it: TLS with a private CA and SuperNode authentication (the
    partners' public keys registered with the SuperLink), with its own data root (Flower homes,
    runs) and ports next to the module's insecure one."""
    credentials = create_credentials(tmp_path_factory.mktemp("flwr-credentials"),
                                     manifest.num_partitions)
    secure = load_settings({
        "PROFILEHUB_DATA_ROOT": str(tmp_path_factory.mktemp("secure-federation")),
        "PROFILEHUB_FLWR_BASE_PORT": str(_free_base_port(settings.federated.base_port + 50)),
        PII_HMAC_KEY_SECRET: "federated-test-key-0123456789", **credentials})
    # Insecure is tied to the local env; only the deployment is switched to prod's.
    secure = replace(secure, federated=replace(secure.federated, insecure=False))
    with Federation(secure, manifest.num_partitions) as running:
        yield running


def test_a_tls_federation_with_supernode_auth_trains_on_every_partner(secure_federation,
                                                                       manifest):
    fed = secure_federation.settings.federated
    host, port = fed.fleet_address.rsplit(":", 1)
    tls = ssl.create_default_context(cafile=str(fed.ca_cert))
    tls.set_alpn_protocols(["h2"])
    with (socket.create_connection((host, int(port)), timeout=10) as raw,
          tls.wrap_socket(raw, server_hostname=host) as wrapped):
        assert wrapped.version() in ("TLSv1.2", "TLSv1.3")  # the CA vouches for 127.0.0.1
    config = RunConfig(num_server_rounds=1, model="churn", secagg=False,
                       partitions_dir=manifest.folder)
    started = time.perf_counter()
    outcome = secure_federation.run(config, name="tls-fedavg", timeout=300)
    log = (Path(outcome.folder) / "server.log").read_text()
    print(f"\nTLS + SuperNode auth, 1 FedAvg round in {time.perf_counter() - started:.0f} s: "
          f"AUC by round {outcome.auc_by_round}")
    assert [entry["round"] for entry in outcome.rounds] == [0, 1]
    assert "received 3 results and 0 failures" in log
    assert {entry["node"] for entry in outcome.traffic()} == set(
        secure_federation.node_ids.values())
    assert len(secure_federation.node_ids) == manifest.num_partitions
    assert outcome.final_auc > 0.7


def test_a_supernode_with_an_unregistered_key_is_refused(secure_federation, manifest):
    settings = secure_federation.settings
    partner = manifest.num_partitions  # one partner more than registered, a key of its own
    write_supernode_key(settings.federated.node_auth_keys / f"partner-{partner}")
    secure_federation._start("intruder", supernode_command(settings, partner, partner + 1))
    intruder = secure_federation.processes["intruder"]
    try:
        returncode = intruder.wait(30)
    except subprocess.TimeoutExpired:
        pytest.fail("the SuperLink did not refuse a SuperNode whose key it never registered")
    log = (settings.paths.federated / "flwr" / "intruder" / "process.log").read_text()
    assert returncode != 0
    assert "No SuperNode found with the given public key" in log
