"""The one SparkSession builder every Spark job uses (ingest, identity, features, dbt).

Everything comes from settings: master, driver memory and shuffle partitions
(``settings.spark``), and the warehouse, scratch space and Derby log under the data root
(``settings.paths``). The metastore is Derby under the data root (one JVM at a time) or, where
``settings.spark.metastore_url`` names one, a shared database (PostgreSQL in prod) that the
jobs and the Thrift server open at once. Its URL is always set explicitly, so the current
directory never matters and no ``metastore_db/`` or ``derby.log`` appears in the repo.

The session time zone is Asia/Shanghai: every source writes timestamps as Shanghai wall time
without an offset (``profilehub.landing``). Parsing them in that zone stores the true instant,
and date arithmetic (delivery date, lateness, trading day) happens on the business calendar.
China has no daylight saving time, so no wall time is ambiguous or skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from profilehub.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

SESSION_TIME_ZONE = "Asia/Shanghai"
LOG4J2_CONFIG = Path(__file__).with_name("log4j2.properties")


class SparkSessionConflict(RuntimeError):
    """A session for another data root is already running in this process."""


class MetastoreError(ValueError):
    """The metastore settings name a database ProfileHub cannot open."""


DERBY_URL_PREFIX = "jdbc:derby:"
# JDBC drivers of the shared metastore databases ProfileHub knows, by URL prefix.
_SHARED_METASTORE_DRIVERS = {"jdbc:postgresql:": "org.postgresql.Driver"}


def _derby_url(settings: Settings) -> str:
    return f"jdbc:derby:;databaseName={settings.paths.spark_metastore};create=true"


def metastore_shared(settings: Settings) -> bool:
    """Whether several JVMs can open the metastore at once (embedded Derby admits one)."""
    url = settings.spark.metastore_url
    return bool(url) and not url.startswith(DERBY_URL_PREFIX)


def metastore_config(settings: Settings) -> dict[str, str]:
    """The Hive metastore's connection: Derby under the data root, or the settings' JDBC URL."""
    url = settings.spark.metastore_url or _derby_url(settings)
    if url.startswith(DERBY_URL_PREFIX):
        return {"spark.hadoop.javax.jdo.option.ConnectionURL": url}
    driver = next((name for prefix, name in _SHARED_METASTORE_DRIVERS.items()
                   if url.startswith(prefix)), None)
    if driver is None:
        known = ", ".join([DERBY_URL_PREFIX, *_SHARED_METASTORE_DRIVERS])
        raise MetastoreError(f"PROFILEHUB_SPARK_METASTORE_URL={url!r}: expected a URL starting "
                             f"with one of {known}")
    jar = settings.spark.metastore_driver_jar
    if not jar.is_file():
        raise MetastoreError(f"the metastore's JDBC driver {jar} is missing "
                             "(PROFILEHUB_SPARK_METASTORE_DRIVER_JAR; `make setup` installs "
                             "Debian's libpostgresql-jdbc-java)")
    return {
        "spark.hadoop.javax.jdo.option.ConnectionURL": url,
        "spark.hadoop.javax.jdo.option.ConnectionDriverName": driver,
        "spark.driver.extraClassPath": str(jar),
        # The metastore creates its tables on first use, but not its foreign keys: DataNucleus
        # adds a key from a second connection while the first holds the referenced table in an
        # open transaction, and on PostgreSQL the two wait for each other forever.
        "spark.hadoop.datanucleus.schema.autoCreateAll": "false",
        "spark.hadoop.datanucleus.schema.autoCreateTables": "true",
        "spark.hadoop.datanucleus.schema.autoCreateColumns": "true",
        "spark.hadoop.datanucleus.schema.autoCreateConstraints": "false",
        "spark.hadoop.hive.metastore.schema.verification": "false",
    }


def _driver_java_options(settings: Settings) -> str:
    derby_home = settings.paths.spark_metastore.parent
    return " ".join([
        f"-Dderby.system.home={derby_home}",
        f"-Dderby.stream.error.file={derby_home / 'derby.log'}",
        f"-Dlog4j2.configurationFile={LOG4J2_CONFIG.as_uri()}",
        f"-Duser.timezone={SESSION_TIME_ZONE}",
    ])


def session_config(settings: Settings) -> dict[str, str]:
    """Every Spark setting ProfileHub relies on, derived from ``settings``."""
    paths = settings.paths
    return {
        "spark.master": settings.spark.master,
        "spark.driver.memory": settings.spark.driver_memory,
        "spark.driver.extraJavaOptions": _driver_java_options(settings),
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.local.dir": str(paths.spark_local_dir),
        "spark.sql.warehouse.dir": str(paths.spark_warehouse),
        **metastore_config(settings),
        "spark.sql.shuffle.partitions": str(settings.spark.shuffle_partitions),
        "spark.sql.session.timeZone": SESSION_TIME_ZONE,
        "spark.sql.sources.partitionOverwriteMode": "dynamic",
        "spark.sql.parquet.compression.codec": "snappy",
        "spark.sql.adaptive.enabled": "true",
        # HotSpot never JIT-compiles a method of more than 8,000 bytes of bytecode: the
        # ingest's per-record checks ran interpreted in one such whole-stage method. Above
        # this limit Spark compiles the stage's expressions one by one instead.
        "spark.sql.codegen.hugeMethodLimit": "8000",
        # Derby's metastore cannot filter DATE partition keys (dt) itself; Spark then lists the
        # table's partitions and prunes them instead of failing the query.
        "spark.sql.hive.metastorePartitionPruningFallbackOnException": "true",
        # Several engineers and jobs share this machine: no UI ports to collide on.
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
    }


def _check_active_session(active: SparkSession, settings: Settings) -> None:
    wanted = str(settings.paths.spark_warehouse)
    running = active.conf.get("spark.sql.warehouse.dir", "")
    if running.removeprefix("file:").rstrip("/") != wanted.rstrip("/"):
        raise SparkSessionConflict(
            f"a Spark session with warehouse {running} is already running in this process; "
            f"stop it before starting one for {wanted}"
        )


def make_spark_folders(settings: Settings) -> None:
    """The warehouse, scratch space and Derby home under the data root."""
    for folder in (settings.paths.spark_warehouse, settings.paths.spark_local_dir,
                   settings.paths.spark_metastore.parent):
        folder.mkdir(parents=True, exist_ok=True)


def spark_session(settings: Settings, app_name: str) -> SparkSession:
    """The session of this process for ``settings`` (started on first use, then reused).

    A second call with the same settings returns the running session; a call for another data
    root while one runs raises :class:`SparkSessionConflict` instead of silently mixing
    metastores.
    """
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        _check_active_session(active, settings)
        return active
    make_spark_folders(settings)
    builder = SparkSession.builder.appName(app_name).enableHiveSupport()
    for key, value in session_config(settings).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark
