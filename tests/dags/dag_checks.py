"""Helpers of the DAG tests: parse DAG folders with Airflow in a fresh interpreter configured
for a data root (Airflow reads its configuration once, at import)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from profilehub.settings import REPO_ROOT, Settings

PROBE = Path(__file__).with_name("dagbag_probe.py")
DAGS_FOLDER = REPO_ROOT / "dags"


def probe_dag_folder(settings: Settings, folder: Path) -> dict:
    """What ``dagbag_probe.py`` reports for ``folder``, parsed by Airflow for ``settings``."""
    done = subprocess.run([sys.executable, str(PROBE), str(folder)], capture_output=True,
                          text=True, env=settings.airflow_environ(), timeout=600, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("PROBE ")]
    assert done.returncode == 0 and lines, (
        f"the probe failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return json.loads(lines[-1].removeprefix("PROBE "))
