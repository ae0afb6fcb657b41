"""Run dbt in-process against the warehouse that ``profilehub.settings`` describes.

Everything dbt needs from the environment comes from settings here: the target
(``settings.spark.dbt_target``), the Thrift server of the ``cluster`` target, and where dbt
writes its artefacts and logs (under the data root, so the repo stays clean). For a
``method: session`` target dbt-spark calls ``SparkSession.builder.getOrCreate()``; starting the
session first with the shared builder makes dbt reuse it, so dbt sees the same warehouse and
metastore as the ingest. The ``cluster`` target reaches them through ``profilehub thrift-server``
(``spark.thrift_server``), which needs the shared metastore of prod.

    uv run python -m profilehub.dbt_runner build --select staging
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from profilehub.settings import REPO_ROOT, Settings, get_settings

if TYPE_CHECKING:
    from dbt.cli.main import dbtRunnerResult

DBT_PROJECT_DIR = REPO_ROOT / "dbt"
PROFILES_FILE = DBT_PROJECT_DIR / "profiles.yml"
PROFILE_NAME = "profilehub"
# Names profiles.yml reads with env_var(); the values always come from settings.
THRIFT_HOST_VAR = "PROFILEHUB_DBT_THRIFT_HOST"
THRIFT_PORT_VAR = "PROFILEHUB_DBT_THRIFT_PORT"
SPARK_APP_NAME = "profilehub-dbt"
# What the daily build leaves out. dbt Labs recommends running unit tests in development and CI
# only: their inputs are static, so a daily run would spend compute to learn nothing new. CI
# runs them on every change (tests/dbt); the daily build keeps every data test.
DAILY_BUILD_EXCLUDE = ("resource_type:unit_test",)
# Commands that never open a connection, so they need no Spark session (and no JVM).
_OFFLINE_COMMANDS = frozenset({"parse", "ls", "list", "deps", "clean", "init"})


def dbt_target_path(settings: Settings) -> Path:
    return settings.paths.root / "dbt" / "target"


def dbt_log_path(settings: Settings) -> Path:
    return settings.paths.root / "dbt" / "logs"


@cache
def target_outputs() -> dict[str, dict]:
    """The targets profiles.yml declares, by name."""
    return yaml.safe_load(PROFILES_FILE.read_text(encoding="utf-8"))[PROFILE_NAME]["outputs"]


def target_output(target: str) -> dict:
    """One target of profiles.yml; an unknown name fails with the known ones."""
    outputs = target_outputs()
    if target not in outputs:
        known = ", ".join(outputs)
        raise KeyError(f"dbt target {target!r} is not in {PROFILES_FILE}; known: {known}")
    return outputs[target]


def target_method(target: str) -> str:
    """The dbt-spark connection method of a target, as declared in profiles.yml."""
    return target_output(target)["method"]


def dbt_cli_args(args: list[str], settings: Settings) -> list[str]:
    """``args`` (a dbt command and its options) plus the project, profile and artefact paths."""
    if not args:
        raise ValueError("give a dbt command, e.g. ['build', '--select', 'staging']")
    return [
        *args,
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target", settings.spark.dbt_target,
        "--target-path", str(dbt_target_path(settings)),
        "--log-path", str(dbt_log_path(settings)),
    ]


def _start_session_for(args: list[str], settings: Settings) -> None:
    if args[0] in _OFFLINE_COMMANDS or target_method(settings.spark.dbt_target) != "session":
        return
    from spark.session import spark_session

    # dbt-spark's session cursor calls SparkSession.builder.getOrCreate(): it gets this one.
    spark_session(settings, SPARK_APP_NAME)


def run_dbt(args: list[str], settings: Settings | None = None) -> dbtRunnerResult:
    """Invoke dbt in this process; ``args`` is a dbt command line without the ``dbt``.

    The Spark session started for a ``method: session`` target is left running: it belongs
    to the calling process, which may go on using it (and stops with it).
    """
    from dbt.cli.main import dbtRunner

    settings = settings or get_settings()
    # profiles.yml reads these through env_var(); dbt only looks at the process environment.
    os.environ[THRIFT_HOST_VAR] = settings.spark.thrift_host
    os.environ[THRIFT_PORT_VAR] = str(settings.spark.thrift_port)
    _start_session_for(args, settings)
    return dbtRunner().invoke(dbt_cli_args(args, settings))


def main(argv: list[str] | None = None) -> int:
    result = run_dbt(list(sys.argv[1:] if argv is None else argv))
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
