"""The Spark Thrift server (HiveServer2) that dbt's ``cluster`` target talks to.

pip's pyspark ships the server's classes but no ``start-thriftserver.sh``: this starts it with
``spark-submit`` and the very settings every ProfileHub Spark job uses
(:func:`spark.session.session_config`), so dbt's models land in the same warehouse and
metastore that the ingest, identity and feature jobs write and the publish job reads. That
needs a metastore several JVMs open at once (PostgreSQL in prod): the server holds its
metastore for as long as it runs, and embedded Derby admits one JVM.

    uv run profilehub thrift-server        # serves settings.spark.thrift_host/thrift_port
"""

from __future__ import annotations

import os
from pathlib import Path

from profilehub.settings import Settings
from spark.session import make_spark_folders, metastore_shared, session_config

SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
APP_NAME = "profilehub-thrift-server"


class ThriftServerError(RuntimeError):
    """The Thrift server cannot run with these settings."""


def spark_home() -> Path:
    """pip's pyspark package folder: it holds ``bin/spark-submit`` and Spark's jars."""
    import pyspark

    return Path(pyspark.__file__).parent


def thrift_server_command(settings: Settings) -> list[str]:
    """``spark-submit`` of the Thrift server with ProfileHub's Spark settings."""
    if not metastore_shared(settings):
        raise ThriftServerError(
            "the Thrift server needs a metastore other processes can open at the same time "
            "(PROFILEHUB_SPARK_METASTORE_URL, PostgreSQL in prod); with the embedded Derby "
            "metastore it would lock every Spark job out for as long as it runs")
    config = {**session_config(settings), "spark.app.name": APP_NAME}
    command = [str(spark_home() / "bin" / "spark-submit"), "--class", SERVER_CLASS]
    for key, value in config.items():
        command += ["--conf", f"{key}={value}"]
    return [*command,
            "--hiveconf", f"hive.server2.thrift.bind.host={settings.spark.thrift_host}",
            "--hiveconf", f"hive.server2.thrift.port={settings.spark.thrift_port}"]


def thrift_server_environ(settings: Settings) -> dict[str, str]:
    """The server's environment: Spark's home and the loopback address to bind."""
    return {**os.environ, "SPARK_HOME": str(spark_home()),
            "SPARK_LOCAL_IP": os.environ.get("SPARK_LOCAL_IP", "127.0.0.1")}


def serve(settings: Settings) -> None:
    """Replace this process with the Thrift server (``spark-submit`` execs java)."""
    make_spark_folders(settings)
    command = thrift_server_command(settings)
    os.execve(command[0], command, thrift_server_environ(settings))
