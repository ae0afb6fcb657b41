"""The federated app's parts without a deployment: run config, encoding, partitions, the
in-process loop with FedAvg, robust strategies and DP, the accountant, registry and commands."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from support.federated_models import ROWS, synthetic

from federated.credentials import create_credentials
from federated.deployment import cli_config_toml, superlink_command, supernode_command
from federated.encoding import EncodingSpec
from federated.in_process import CENTRALISED, baseline_curves, federate_in_process
from federated.outcome import RunOutcome
from federated.partition_files import HOLDOUT_FILE, partition_file
from federated.partitions import (
    LAKE_SOURCE,
    assign_partners,
    load_features,
    partner_derived_features,
    prepare_partitions,
)
from federated.privacy import gaussian_epsilon, privacy_report
from federated.registry import load_model, register_model
from federated.results import auc_table
from federated.run_config import RunConfig
from federated.task import KEY_COLUMN
from profilehub.settings import REPO_ROOT, SettingsError, load_settings
from spark.features.plan import FEATURE_TABLE


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    features, labels = synthetic()
    return prepare_partitions(features, labels, tmp_path_factory.mktemp("partitions"),
                              as_of=dt.date(2026, 10, 20), source="lake", num_partitions=3,
                              seed=7)


def test_run_config_defaults_are_the_pyproject_defaults():
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    assert pyproject["tool"]["flwr"]["app"]["config"] == RunConfig().to_flower()
    assert RunConfig.from_flower(RunConfig().to_flower()) == RunConfig()


def test_run_config_refuses_a_robust_strategy_under_secagg():
    with pytest.raises(ValueError, match="secagg = false"):
        RunConfig(strategy="fedmedian", secagg=True)
    RunConfig(strategy="fedmedian", secagg=False)
    with pytest.raises(ValueError, match="model"):
        RunConfig(model="credit")


def test_run_config_toml_round_trips():
    config = RunConfig(partitions_dir='/tmp/a "b"', dp_noise_multiplier=0.5, secagg=False)
    assert RunConfig.from_flower(tomllib.loads(config.to_toml())) == config


def test_encoding_standardises_numbers_and_one_hots_text():
    features, _ = synthetic()
    spec = EncodingSpec.fit(features.drop(columns=[KEY_COLUMN]))
    encoded = spec.encode(features)
    assert abs(encoded["x__noise"].mean()) < 1e-9
    assert set(spec.categories["city"]) == {"上海", "北京", "深圳"}
    assert encoded.filter(like="x__city=").sum(axis=1).eq(1).all()
    missing = spec.encode(features.head(1).assign(activity=np.nan))
    assert missing["x__activity"].iloc[0] == pytest.approx(0.0)
    assert EncodingSpec.from_json({"numeric": spec.numeric, "categories": spec.categories}) == spec


def test_the_lake_source_leaves_out_partner_derived_features(tmp_path):
    """The lake's feature table is not consent-gated: its partner-derived columns (e-commerce,
    travel, geo and parenting spend) never reach a federation."""
    settings = load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path)})
    as_of = dt.date(2026, 10, 20)
    partner_columns = partner_derived_features()
    assert {"ecommerce_spend_30d", "airport_visit_count_7d", "parenting_spend_90d",
            "travel_spend_90d"} <= set(partner_columns)
    assert "trade_count_30d" not in partner_columns
    folder = settings.paths.lake / FEATURE_TABLE / f"as_of={as_of.isoformat()}"
    folder.mkdir(parents=True)
    lake = pd.DataFrame({KEY_COLUMN: ["c1", "c2"], "trade_count_30d": [3, 0]}
                        | {column: [1.0, 2.0] for column in partner_columns})
    lake.to_parquet(folder / "part-0.parquet", index=False)
    features = load_features(settings, as_of, LAKE_SOURCE)
    assert list(features.columns) == [KEY_COLUMN, "trade_count_30d"]
    assert features["trade_count_30d"].tolist() == [3, 0]


def test_partners_differ_in_mix_deterministically():
    _, labels = synthetic()
    mix = labels[["home_city", "asset_tier"]]
    first, again = assign_partners(mix, 3, seed=7), assign_partners(mix, 3, seed=7)
    assert (first == again).all()
    shares = pd.crosstab(labels["home_city"], first, normalize="index")
    assert shares.max(axis=1).min() > 0.4, "each city should lean towards some partner"


def test_features_named_like_the_mix_columns_stay_model_inputs(tmp_path):
    """training_v1 serves the asset_tier tag, a name the truth's partner mix also uses."""
    features, labels = synthetic()
    features = features.assign(asset_tier=np.where(features["noise"] > 0, "hnw", "mass"))
    manifest = prepare_partitions(features, labels, tmp_path, as_of=dt.date(2026, 10, 20),
                                  source="training_v1", num_partitions=3, seed=7)
    holdout = pd.read_parquet(manifest.path(HOLDOUT_FILE))
    assert {"x__asset_tier=hnw", "x__asset_tier=mass"} <= set(holdout.columns)
    assert not [column for column in holdout.columns if "truth_" in column]


def test_prepared_partitions_cover_every_customer_once(manifest):
    parts = [pd.read_parquet(manifest.path(partition_file(i))) for i in range(3)]
    holdout = pd.read_parquet(manifest.path(HOLDOUT_FILE))
    keys = pd.concat([holdout, *parts])[KEY_COLUMN]
    assert len(keys) == ROWS and keys.is_unique
    assert sum(manifest.rows.values()) == ROWS


def test_fedavg_in_process_approaches_the_centralised_model(manifest):
    config = RunConfig(num_server_rounds=3, model="churn", secagg=False,
                       partitions_dir=manifest.folder)
    federated = federate_in_process(manifest, config).rounds[-1]["auc"]
    centralised = baseline_curves(manifest, "churn", 3, config.local_epochs)[CENTRALISED][-1]
    assert federated >= 0.97 * centralised


@pytest.mark.parametrize("strategy", ["fedmedian", "fedtrimmedavg"])
def test_robust_strategies_withstand_a_scaled_update(manifest, strategy):
    def final(strategy: str, poisoned: int) -> float:
        config = RunConfig(num_server_rounds=2, model="churn", strategy=strategy, secagg=False,
                           poisoned_partition=poisoned, poison="scale",
                           partitions_dir=manifest.folder)
        return federate_in_process(manifest, config).rounds[-1]["auc"]

    assert final("fedavg", 1) < 0.6
    assert final(strategy, 1) > 0.85


def test_dp_in_process_costs_accuracy_as_noise_grows(manifest):
    def final(noise: float) -> float:
        config = RunConfig(num_server_rounds=3, model="churn", secagg=False,
                           dp_noise_multiplier=noise, dp_clipping_norm=0.5,
                           partitions_dir=manifest.folder)
        return federate_in_process(manifest, config).rounds[-1]["auc"]

    assert final(0.1) > 0.85
    assert final(0.1) > final(50.0)


def test_gaussian_accountant():
    # rho = T / (2 z^2) = 3 / 2; eps = rho + 2 sqrt(rho ln(1/delta)).
    assert gaussian_epsilon(1.0, 3, 1e-5) == pytest.approx(1.5 + 2 * math.sqrt(1.5 * math.log(1e5)))
    assert gaussian_epsilon(0.0, 3, 1e-5) == math.inf
    assert gaussian_epsilon(2.0, 3, 1e-5) < gaussian_epsilon(1.0, 3, 1e-5)
    assert "ε = " in privacy_report(1.0, 1.0, 3, 1e-5).summary()


def test_registry_versions_grow(tmp_path, manifest):
    run = tmp_path / "run"
    run.mkdir()
    np.savez(run / "parameters.npz", coef=np.ones((1, 3)), intercept=np.zeros(1))
    outcome = RunOutcome(config=RunConfig().to_flower() | {}, rounds=[{"round": 0, "auc": 0.5}],
                         privacy={"summary": "none"}, partitions={}, folder=str(run))
    outcome = RunOutcome(**{**outcome.__dict__, "config": {
        name.replace("-", "_"): value for name, value in outcome.config.items()}})
    first = register_model(tmp_path / "registry", outcome, manifest, {"federated_auc": 0.5})
    second = register_model(tmp_path / "registry", outcome, manifest, {"federated_auc": 0.6})
    assert (first.version, second.version) == (1, 2)
    latest = load_model(tmp_path / "registry", "churn")
    assert latest.name == "churn@v2" and latest.metadata["metrics"] == {"federated_auc": 0.6}
    assert load_model(tmp_path / "registry", "churn", 1).parameters()[0].shape == (1, 3)


def test_auc_table_lists_every_curve_by_round():
    table = auc_table({"federated (fedavg)": [0.5, 0.8], CENTRALISED: [0.5, 0.82]}, "t")
    assert "| 1 | 0.8000 | 0.8200 |" in table


def test_local_deployment_is_insecure_on_the_loopback():
    settings = load_settings({"PROFILEHUB_FLWR_BASE_PORT": "19091"})
    assert superlink_command(settings)[-1] == "--insecure"
    assert "127.0.0.1:19092" in supernode_command(settings, 1, 3)
    assert "127.0.0.1:19102" in supernode_command(settings, 1, 3)
    assert 'address = "127.0.0.1:19093"' in cli_config_toml(settings)


def test_prod_deployment_needs_tls_and_authenticates_supernodes(tmp_path: Path):
    with pytest.raises(SettingsError, match="PROFILEHUB_FLWR_CA_CERT"):
        superlink_command(load_settings({"PROFILEHUB_ENV": "prod"}))
    settings = load_settings({
        "PROFILEHUB_ENV": "prod", "PROFILEHUB_FLWR_CA_CERT": str(tmp_path / "ca.crt"),
        "PROFILEHUB_FLWR_SERVER_CERT": str(tmp_path / "server.pem"),
        "PROFILEHUB_FLWR_SERVER_KEY": str(tmp_path / "server.key"),
        "PROFILEHUB_FLWR_NODE_AUTH_KEYS": str(tmp_path / "keys")})
    link = superlink_command(settings)
    assert "--insecure" not in link and "--ssl-certfile" in link
    # flwr 1.32 exits on --auth-list-public-keys: keys are registered via the Control API.
    assert "--enable-supernode-auth" in link and "--auth-list-public-keys" not in link
    node = supernode_command(settings, 0, 3)
    assert node[node.index("--root-certificates") + 1] == str(tmp_path / "ca.crt")
    assert node[node.index("--auth-supernode-private-key") + 1] == str(tmp_path / "keys/partner-0")
    assert "root-certificates" in cli_config_toml(settings)


def test_credentials_are_what_the_superlink_and_supernodes_load(tmp_path: Path):
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import load_ssh_private_key
    from flwr.cli.supernode.register import try_load_public_key

    variables = create_credentials(tmp_path, 2)
    settings = load_settings({"PROFILEHUB_ENV": "prod", **variables})
    ca_cert, server_cert, _ = settings.federated.require_tls()
    server = x509.load_pem_x509_certificate(server_cert.read_bytes())
    server.verify_directly_issued_by(x509.load_pem_x509_certificate(ca_cert.read_bytes()))
    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "127.0.0.1" in {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}
    node = supernode_command(settings, 1, 2)
    key = Path(node[node.index("--auth-supernode-private-key") + 1])
    assert isinstance(load_ssh_private_key(key.read_bytes(), None), ec.EllipticCurvePrivateKey)
    assert try_load_public_key(Path(f"{key}.pub"))  # what `flwr supernode register` accepts
