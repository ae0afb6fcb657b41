"""The one place that knows the environment.

Every path, service address, threshold and secret *name* lives here. No other module reads
environment variables: they ask ``get_settings()``. The environment is chosen by
``PROFILEHUB_ENV`` (``local`` by default, or ``prod``); all runtime data lives under one
git-ignored data root (``PROFILEHUB_DATA_ROOT``, default ``<repo>/data``).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("local", "prod")

# Secret names: the values come from the environment (prod) or a generated key file (local).
PII_HMAC_KEY_SECRET = "PROFILEHUB_PII_HMAC_KEY"
# Keys the partner-scoped pseudonymous customer ids of the API (profilehub api).
API_PSEUDONYM_KEY_SECRET = "PROFILEHUB_API_PSEUDONYM_KEY"


class SettingsError(RuntimeError):
    """Raised when the configuration is incomplete or inconsistent."""


@dataclass(frozen=True)
class Paths:
    """Every folder under the data root, named by what it holds."""

    root: Path

    @property
    def landing(self) -> Path:
        """Raw files exactly as sources deliver them. The only zone that holds raw PII."""
        return self.root / "landing"

    @property
    def ground_truth(self) -> Path:
        """Generator's planted behaviours and dirty-defect manifest (outside landing: no PII)."""
        return self.root / "ground_truth"

    @property
    def lake(self) -> Path:
        """Accepted, de-identified rows as Parquet tables partitioned by date."""
        return self.root / "lake"

    @property
    def quarantine(self) -> Path:
        """Rejected rows with their reason, file and line (PII redacted)."""
        return self.root / "quarantine"

    @property
    def reconciliation(self) -> Path:
        """Per source and date: rows in = accepted + quarantined."""
        return self.root / "reconciliation"

    @property
    def spark_warehouse(self) -> Path:
        return self.root / "spark" / "warehouse"

    @property
    def spark_metastore(self) -> Path:
        return self.root / "spark" / "metastore_db"

    @property
    def spark_local_dir(self) -> Path:
        return self.root / "spark" / "tmp"

    @property
    def secrets(self) -> Path:
        return self.root / "secrets"

    @property
    def bench(self) -> Path:
        return self.root / "bench"

    @property
    def airflow_home(self) -> Path:
        return self.root / "airflow"

    @property
    def reports(self) -> Path:
        """Gate reports per as_of (reconciliation, data quality), readable and as JSON."""
        return self.root / "reports"

    @property
    def published(self) -> Path:
        """The pointer to the as_of the API serves, and the history of its switches."""
        return self.root / "published"

    @property
    def dbt_manifest(self) -> Path:
        """The dbt manifest the Airflow DAG renders its dbt tasks from (``dbt parse``)."""
        return self.root / "dbt" / "manifest" / "manifest.json"

    @property
    def federated(self) -> Path:
        """Federated training: partner partitions, Flower's home, runs, the model registry, score
        snapshots and result tables/plots (``federated.layout``)."""
        return self.root / "federated"

    @property
    def feast(self) -> Path:
        """Feature store state: Feast's offline Parquet snapshots (one partition per as_of) and,
        locally, its file registry and SQLite online store."""
        return self.root / "feast"

    @property
    def api(self) -> Path:
        """The GraphQL API's state: hashed API keys, the local consent ledger, the append-only
        audit log and marketing's saved segments."""
        return self.root / "api"

    @property
    def api_metrics(self) -> Path:
        """Prometheus metric files of the API's workers when it runs more than one."""
        return self.api / "metrics"


@dataclass(frozen=True)
class SparkSettings:
    master: str
    driver_memory: str
    shuffle_partitions: int
    # dbt target: "local" runs dbt-spark in-process (method session), "cluster" via Thrift.
    dbt_target: str
    thrift_host: str = "127.0.0.1"
    thrift_port: int = 10000
    # JDBC URL of the Hive metastore. Empty: Derby under the data root, which admits one JVM at
    # a time. Prod shares one on PostgreSQL between the Spark jobs and the Thrift server that
    # dbt's cluster target talks to (user and password go in the URL, as pgjdbc reads them).
    metastore_url: str = ""
    # The JDBC driver of a metastore other than Derby (Debian's libpostgresql-jdbc-java;
    # ``make setup`` installs it).
    metastore_driver_jar: Path = Path("/usr/share/java/postgresql.jar")


@dataclass(frozen=True)
class IngestSettings:
    # A source/date whose quarantined share exceeds this fails the job loudly.
    max_quarantine_rate: float = 0.10
    # Events older than the partition date by more than this are "late" and quarantined.
    allowed_lateness_days: int = 3
    # Event times beyond the end of the partition date plus this are "in the future".
    future_tolerance_hours: int = 24
    # How many earlier partitions are searched for replayed keys.
    replay_lookback_days: int = 7
    # Landing bytes one Spark pass reads per source at most: a catch-up of many days costs a
    # pass per batch of consecutive dates, not per date (a pass has a fixed cost of a few
    # seconds), while a batch stays small enough to persist. A date over budget is a batch alone.
    batch_bytes: int = 2 << 30
    # A daily run also ingests the deliveries of up to this many days before its as_of that
    # have not been ingested yet (a first run over history, or days without runs).
    catchup_days: int = 31


@dataclass(frozen=True)
class QualitySettings:
    """Thresholds of the data-quality gate on one as_of's marts (``profilehub.gates``)."""

    # dim_customer_profile rows over the customers identity resolved for the as_of.
    min_profile_coverage: float = 0.99
    # Largest share of NULL cells allowed in dim_customer_profile (tags that do not apply are
    # NULL by design, a few percent of cells in the demo data).
    max_null_share: float = 0.25
    # Share of the catalog's tags that must have at least one published value.
    min_tag_coverage: float = 0.5


@dataclass(frozen=True)
class AirflowSettings:
    home: Path
    # Metadata database (SQLAlchemy URL): SQLite under the data root locally, PostgreSQL in prod.
    metadata_url: str
    # Tasks that open the Spark metastore at once. Locally it is Derby, which admits one process;
    # prod's metastore on PostgreSQL admits more (the cluster's cores are then the limit).
    spark_slots: int
    # First as_of of the daily DAG: catchup creates one run per date from here.
    start_date: dt.date


@dataclass(frozen=True)
class ServiceSettings:
    postgres_url: str
    redis_url: str


@dataclass(frozen=True)
class FeastSettings:
    # Feast namespaces registry objects and online-store keys by project.
    project: str = "profilehub"


@dataclass(frozen=True)
class ApiSettings:
    """The GraphQL API (``api/``): where it listens and the limits it enforces."""

    host: str = "127.0.0.1"
    port: int = 8000
    # uvicorn worker processes. More than one needs the prod environment, where rate-limit
    # windows and partners' segment answers are shared in Redis; locally they live in the
    # process, and each worker would keep budgets of its own.
    workers: int = 1
    # Set in each worker when there are several (``Settings.api_workers_environ``): the folder
    # their Prometheus metric files go to.
    metrics_dir: Path | None = None
    # Segment counts below this are suppressed for partners (k-anonymity).
    k_threshold: int = 10
    # Requests per key and minute; one more is refused until the minute has passed.
    rate_limit_per_minute: int = 600
    max_depth: int = 8
    max_aliases: int = 30
    max_tokens: int = 2000
    # Estimated resolved fields of one request (a list field multiplies its children).
    max_complexity: int = 50_000
    # Customers of one customers(keys) request.
    max_batch: int = 500
    # GraphiQL on GET /graphql, and introspection for partners: local only by default.
    graphiql: bool = True
    partner_introspection: bool = True
    # Prefix of the API's own Redis keys in prod: consent ledger, rate-limit windows and
    # partners' segment answers (kept there so every worker and every restart shares them).
    redis_prefix: str = "profilehub:api"
    # Days a partner key's segment answers are held (in Redis in prod, across restarts and
    # workers) for the difference check. The guard only refuses against answers it holds, so
    # instead of forgetting old answers to make room it refuses new ones past
    # ``segment_answers_per_key`` different answers in this window: otherwise a partner could
    # push an answer out with enough other queries, then ask its near twin.
    difference_history_days: int = 30
    segment_answers_per_key: int = 500


@dataclass(frozen=True)
class FederatedSettings:
    """The Flower deployment (``federated/``): where the SuperLink listens, how many partners
    there are, and how SuperNodes connect. Ports count up from ``base_port``: ServerAppIo,
    Fleet and Control are ``base_port`` + 0, 1, 2; SuperNode ``i``'s ClientAppIo is
    ``base_port + 10 + i``. Locally everything is insecure on the loopback; prod requires TLS
    (CA, server certificate and key) and SuperNode authentication (a folder of partner keys)."""

    host: str = "127.0.0.1"
    base_port: int = 9091
    num_partitions: int = 3
    insecure: bool = True
    ca_cert: Path | None = None
    server_cert: Path | None = None
    server_key: Path | None = None
    # Per partner ``partner-<i>`` / ``partner-<i>.pub`` SuperNode keys (``federated.credentials``
    # makes a set); the public keys are registered with the SuperLink when it starts.
    node_auth_keys: Path | None = None

    @property
    def serverappio_address(self) -> str:
        return f"{self.host}:{self.base_port}"

    @property
    def fleet_address(self) -> str:
        return f"{self.host}:{self.base_port + 1}"

    @property
    def control_address(self) -> str:
        return f"{self.host}:{self.base_port + 2}"

    def clientappio_address(self, partition: int) -> str:
        return f"{self.host}:{self.base_port + 10 + partition}"

    def require_tls(self) -> tuple[Path, Path, Path]:
        """CA certificate, server certificate and key, or why a secure deployment cannot start."""
        files = (self.ca_cert, self.server_cert, self.server_key)
        if any(path is None for path in files):
            raise SettingsError("a secure Flower deployment needs PROFILEHUB_FLWR_CA_CERT, "
                                "PROFILEHUB_FLWR_SERVER_CERT and PROFILEHUB_FLWR_SERVER_KEY")
        return files  # type: ignore[return-value]


@dataclass(frozen=True)
class Settings:
    env: str
    paths: Paths
    spark: SparkSettings
    ingest: IngestSettings
    services: ServiceSettings
    airflow: AirflowSettings
    feast: FeastSettings = field(default_factory=FeastSettings)
    quality: QualitySettings = field(default_factory=QualitySettings)
    federated: FederatedSettings = field(default_factory=FederatedSettings)
    api: ApiSettings = field(default_factory=ApiSettings)
    _environ: dict[str, str] = field(repr=False, default_factory=dict)

    def pii_hmac_key(self) -> bytes:
        """The key that turns phone, ID number, name and device id into tokens.

        In prod it must come from the secret store (the environment). Locally a random key is
        generated once and kept in the data root, so tokens stay stable across runs.
        """
        value = self._environ.get(PII_HMAC_KEY_SECRET)
        if value:
            return value.encode("utf-8")
        if self.env == "prod":
            raise SettingsError(f"{PII_HMAC_KEY_SECRET} must be set in the prod environment")
        key_file = self.paths.secrets / "pii_hmac.key"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        return key_file.read_text().strip().encode("utf-8")

    def api_pseudonym_key(self) -> bytes:
        """The key of partner-scoped pseudonymous ids: a secret in prod, generated once locally.

        Kept apart from the PII key so a partner's ids cannot be joined with PII tokens.
        """
        value = self._environ.get(API_PSEUDONYM_KEY_SECRET)
        if value:
            return value.encode("utf-8")
        if self.env == "prod":
            raise SettingsError(f"{API_PSEUDONYM_KEY_SECRET} must be set in the prod environment")
        key_file = self.paths.secrets / "api_pseudonym.key"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        return key_file.read_text().strip().encode("utf-8")

    def airflow_environ(self) -> dict[str, str]:
        """The environment of an ``airflow`` command run for these settings.

        This process's environment, then the settings' own (which win), then Airflow's
        configuration derived from the settings, so the DAGs it runs see this data root.
        """
        return {
            **os.environ, **self._environ,
            "PROFILEHUB_DATA_ROOT": str(self.paths.root),
            "AIRFLOW_HOME": str(self.airflow.home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.airflow.metadata_url,
            # Cosmos keeps dbt's partial-parse state per DAG: under the data root, not /tmp.
            "AIRFLOW__COSMOS__CACHE_DIR": str(self.airflow.home / "cosmos"),
            # No usage pings: this machine has no internet, each dbt task would wait them out.
            "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        }

    def api_workers_environ(self) -> dict[str, str]:
        """The environment of uvicorn running the API in ``api.workers`` processes: each worker
        loads these settings, and they write Prometheus metrics to files of one folder that
        ``/metrics`` of any worker adds up (prometheus_client's multiprocess mode)."""
        return {
            **os.environ, **self._environ,
            "PROFILEHUB_DATA_ROOT": str(self.paths.root),
            "PROMETHEUS_MULTIPROC_DIR": str(self.paths.api_metrics),
        }

    def flower_environ(self, flwr_home: Path) -> dict[str, str]:
        """The environment of a Flower process (SuperLink, SuperNode or ``flwr``) of these
        settings: its own ``FLWR_HOME``, this interpreter's ``bin/`` first on ``PATH`` (where
        ``flower-superlink``, ``flower-supernode``, ``flwr`` and ``flwr-clientapp`` live), no
        update check (no internet here)."""
        bin_dir = str(Path(sys.executable).parent)
        return {
            **os.environ, **self._environ,
            "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")]),
            "FLWR_HOME": str(flwr_home),
            "FLWR_DISABLE_UPDATE_CHECK": "1",
            "PROFILEHUB_DATA_ROOT": str(self.paths.root),
            "PYTHONUNBUFFERED": "1",
        }

def _declared_dbt_target(target: str) -> str:
    """``target`` if dbt/profiles.yml declares it: a typo fails when settings load, not at the
    first dbt call of a run."""
    from profilehub.dbt_runner import PROFILES_FILE, target_outputs  # it imports this module

    if target not in target_outputs():
        raise SettingsError(f"PROFILEHUB_SPARK_DBT_TARGET={target!r}: expected one of "
                            f"{', '.join(target_outputs())} (the targets of {PROFILES_FILE})")
    return target


def _spark_settings(env: str, environ: dict[str, str]) -> SparkSettings:
    prod = env == "prod"
    defaults = (
        {"master": "spark://127.0.0.1:7077", "driver_memory": "4g", "shuffle_partitions": "8",
         "dbt_target": "cluster",
         "metastore_url": "jdbc:postgresql://127.0.0.1:5432/metastore?user=postgres"}
        if prod else
        {"master": "local[2]", "driver_memory": "6g", "shuffle_partitions": "4",
         "dbt_target": "local", "metastore_url": ""})

    def value(name: str, default: object) -> str:
        return environ.get(f"PROFILEHUB_SPARK_{name.upper()}", str(default))

    return SparkSettings(
        master=value("master", defaults["master"]),
        driver_memory=value("driver_memory", defaults["driver_memory"]),
        shuffle_partitions=int(value("shuffle_partitions", defaults["shuffle_partitions"])),
        dbt_target=_declared_dbt_target(value("dbt_target", defaults["dbt_target"])),
        thrift_host=value("thrift_host", SparkSettings.thrift_host),
        thrift_port=int(value("thrift_port", SparkSettings.thrift_port)),
        metastore_url=value("metastore_url", defaults["metastore_url"]),
        metastore_driver_jar=Path(value("metastore_driver_jar",
                                        SparkSettings.metastore_driver_jar)),
    )


def _airflow_settings(env: str, paths: Paths, environ: dict[str, str]) -> AirflowSettings:
    # Prod keeps Airflow's metadata in a database of its own on the PostgreSQL server; the
    # driver is psycopg 3, the one installed (feast[postgres]).
    default_url = ("postgresql+psycopg://postgres@127.0.0.1:5432/airflow" if env == "prod"
                   else f"sqlite:///{paths.airflow_home / 'airflow.db'}")
    return AirflowSettings(
        home=paths.airflow_home,
        metadata_url=environ.get("PROFILEHUB_AIRFLOW_DB_URL", default_url),
        spark_slots=int(environ.get("PROFILEHUB_AIRFLOW_SPARK_SLOTS", "1")),
        start_date=dt.date.fromisoformat(
            environ.get("PROFILEHUB_AIRFLOW_START_DATE", "2026-10-01")),
    )


def _api_settings(env: str, environ: dict[str, str]) -> ApiSettings:
    def number(name: str, default: int) -> int:
        return int(environ.get(f"PROFILEHUB_API_{name}", default))

    local = env == "local"
    workers = number("WORKERS", ApiSettings.workers)
    if workers < 1 or (local and workers > 1):
        raise SettingsError(
            f"PROFILEHUB_API_WORKERS={workers}: expected 1 in the local environment (rate "
            "limits and segment answers live in the process there) and at least 1 in prod")
    return ApiSettings(
        host=environ.get("PROFILEHUB_API_HOST", ApiSettings.host),
        port=number("PORT", ApiSettings.port),
        workers=workers,
        metrics_dir=(Path(environ["PROMETHEUS_MULTIPROC_DIR"])
                     if environ.get("PROMETHEUS_MULTIPROC_DIR") else None),
        k_threshold=number("K_THRESHOLD", ApiSettings.k_threshold),
        rate_limit_per_minute=number("RATE_LIMIT_PER_MINUTE", ApiSettings.rate_limit_per_minute),
        max_depth=number("MAX_DEPTH", ApiSettings.max_depth),
        max_aliases=number("MAX_ALIASES", ApiSettings.max_aliases),
        max_tokens=number("MAX_TOKENS", ApiSettings.max_tokens),
        max_complexity=number("MAX_COMPLEXITY", ApiSettings.max_complexity),
        max_batch=number("MAX_BATCH", ApiSettings.max_batch),
        graphiql=environ.get("PROFILEHUB_API_GRAPHIQL", str(local)).lower() == "true",
        partner_introspection=environ.get("PROFILEHUB_API_PARTNER_INTROSPECTION",
                                          str(local)).lower() == "true",
        redis_prefix=environ.get("PROFILEHUB_API_REDIS_PREFIX", ApiSettings.redis_prefix),
        difference_history_days=number("DIFFERENCE_HISTORY_DAYS",
                                       ApiSettings.difference_history_days),
        segment_answers_per_key=number("SEGMENT_ANSWERS_PER_KEY",
                                       ApiSettings.segment_answers_per_key),
    )


def _federated_settings(env: str, environ: dict[str, str]) -> FederatedSettings:
    def optional_path(name: str) -> Path | None:
        value = environ.get(name)
        return Path(value) if value else None

    return FederatedSettings(
        host=environ.get("PROFILEHUB_FLWR_HOST", FederatedSettings.host),
        base_port=int(environ.get("PROFILEHUB_FLWR_BASE_PORT", FederatedSettings.base_port)),
        num_partitions=int(environ.get("PROFILEHUB_FEDERATED_PARTNERS",
                                       FederatedSettings.num_partitions)),
        # Insecure only locally: prod SuperNodes are other institutions' machines.
        insecure=env == "local",
        ca_cert=optional_path("PROFILEHUB_FLWR_CA_CERT"),
        server_cert=optional_path("PROFILEHUB_FLWR_SERVER_CERT"),
        server_key=optional_path("PROFILEHUB_FLWR_SERVER_KEY"),
        node_auth_keys=optional_path("PROFILEHUB_FLWR_NODE_AUTH_KEYS"),
    )


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build settings from an environment mapping (``os.environ`` by default)."""
    environ = dict(os.environ if environ is None else environ)
    env = environ.get("PROFILEHUB_ENV", "local")
    if env not in ENVIRONMENTS:
        raise SettingsError(f"PROFILEHUB_ENV={env!r}: expected one of {', '.join(ENVIRONMENTS)}")
    root = Path(environ.get("PROFILEHUB_DATA_ROOT", REPO_ROOT / "data")).resolve()
    ingest = IngestSettings(
        max_quarantine_rate=float(environ.get("PROFILEHUB_MAX_QUARANTINE_RATE", "0.10")),
        batch_bytes=int(environ.get("PROFILEHUB_INGEST_BATCH_BYTES", IngestSettings.batch_bytes)),
        catchup_days=int(environ.get("PROFILEHUB_INGEST_CATCHUP_DAYS",
                                     IngestSettings.catchup_days)),
    )
    services = ServiceSettings(
        postgres_url=environ.get("PROFILEHUB_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        redis_url=environ.get("PROFILEHUB_REDIS_URL", "redis://127.0.0.1:6379/0"),
    )
    quality = QualitySettings(
        min_profile_coverage=float(environ.get("PROFILEHUB_QUALITY_MIN_PROFILE_COVERAGE",
                                               QualitySettings.min_profile_coverage)),
        max_null_share=float(environ.get("PROFILEHUB_QUALITY_MAX_NULL_SHARE",
                                         QualitySettings.max_null_share)),
        min_tag_coverage=float(environ.get("PROFILEHUB_QUALITY_MIN_TAG_COVERAGE",
                                           QualitySettings.min_tag_coverage)),
    )
    return Settings(
        env=env,
        paths=Paths(root),
        spark=_spark_settings(env, environ),
        ingest=ingest,
        services=services,
        feast=FeastSettings(project=environ.get("PROFILEHUB_FEAST_PROJECT", "profilehub")),
        quality=quality,
        airflow=_airflow_settings(env, Paths(root), environ),
        federated=_federated_settings(env, environ),
        api=_api_settings(env, environ),
        _environ=environ,
    )


@cache
def get_settings() -> Settings:
    """Settings of this process, read once."""
    return load_settings()
