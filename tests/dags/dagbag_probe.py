"""Parse one DAG folder with Airflow's DagBag in a fresh interpreter and print, as one JSON
line after ``PROBE``, what the DAG tests check: import errors and time, heavy modules loaded,
and each DAG's schedule and tasks.

    python tests/dags/dagbag_probe.py DAG_FOLDER    (with the environment of an airflow command)

A subprocess because Airflow reads its configuration (AIRFLOW_HOME, ...) once, at import: the
test process must not import Airflow for some other data root first.
"""

from __future__ import annotations

import json
import sys
import time

# Airflow itself is loaded before the clock starts, as in its DAG processor: the core models
# and the plugins (which Airflow loads when a file is first opened through ObjectStoragePath,
# as cosmos opens the manifest). The measure is then the DAG files' own cost.
import airflow.models.dagrun  # noqa: F401
from airflow.dag_processing.dagbag import DagBag
from airflow.sdk.plugins_manager import get_hook_lineage_readers_plugins

get_hook_lineage_readers_plugins()

# Modules that have no business being imported when a DAG file is parsed.
HEAVY_MODULES = ("pyspark", "dbt.cli.main", "feast", "duckdb", "pyroaring", "pandas")


def _expanded(value) -> list | str:
    """A literal list as it is; an upstream task's output as ``xcom:<task_id>``."""
    operator = getattr(value, "operator", None)
    return f"xcom:{operator.task_id}" if operator is not None else list(value)


def _task(task) -> dict:
    # What a mapped task is expanded over (a TaskFlow task keeps it in op_kwargs).
    expand_input = getattr(task, "op_kwargs_expand_input", None) or getattr(
        task, "expand_input", None)
    return {
        "upstream": sorted(task.upstream_task_ids),
        "pool": task.pool,
        "retries": task.retries,
        "timeout_seconds": (task.execution_timeout.total_seconds()
                            if task.execution_timeout else None),
        "outlets": sorted(getattr(outlet, "name", str(outlet)) for outlet in task.outlets),
        "mapped_over": ({key: _expanded(value) for key, value in expand_input.value.items()}
                        if expand_input is not None else None),
        "command": getattr(task, "base_cmd", None),
        "vars": getattr(task, "vars", None),
        "indirect_selection": getattr(task, "indirect_selection", None),
        "exclude": getattr(task, "exclude", None),
    }


def main(folder: str) -> None:
    started = time.perf_counter()
    bag = DagBag(dag_folder=folder, safe_mode=False)
    seconds = time.perf_counter() - started
    dags = {dag_id: {"catchup": dag.catchup, "max_active_runs": dag.max_active_runs,
                     "timetable": type(dag.timetable).__name__,
                     "cron": getattr(dag.timetable, "expression", None),
                     "start_date": dag.start_date.isoformat() if dag.start_date else None,
                     "tasks": {task.task_id: _task(task) for task in dag.tasks}}
            for dag_id, dag in bag.dags.items()}
    print("PROBE " + json.dumps({
        "seconds": seconds, "import_errors": bag.import_errors,
        "heavy_modules": [name for name in HEAVY_MODULES if name in sys.modules],
        "dags": dags}, default=str), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
