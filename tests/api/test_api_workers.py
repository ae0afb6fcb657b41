"""`profilehub api serve` in several uvicorn workers: prod only (its rate limits and segment
answers are shared in Redis), and /metrics adds up every worker's counts (issue #7)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil
import pytest
from support.services import free_port

from profilehub.settings import REPO_ROOT, Settings, SettingsError

WORKERS = 2
QUERY = '{ tagCatalog(family: "asset_tier") { id } }'
REQUESTS = re.compile(r'^profilehub_api_requests_total\{[^}]*\} ([0-9.e+]+)$', re.MULTILINE)


@contextmanager
def api_server(settings: Settings, log: Path) -> Iterator[str]:
    """``profilehub api serve`` on these settings until every worker is up; its base URL."""
    base = f"http://{settings.api.host}:{settings.api.port}"
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "profilehub.cli", "api", "serve"],
                                  cwd=REPO_ROOT, env={**os.environ, **settings._environ},
                                  stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while not (len(workers_of(server.pid)) == WORKERS and answers(f"{base}/healthz")):
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"no {WORKERS} workers in 90 s: {log.read_text()}"
            time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def workers_of(pid: int) -> list[psutil.Process]:
    return [child for child in psutil.Process(pid).children()
            if "multiprocessing.spawn" in " ".join(child.cmdline())]


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def test_workers_run_in_prod_share_the_rate_limit_and_add_up_metrics(world, tmp_path):
    if world.env == "local":
        with pytest.raises(SettingsError,
                           match="PROFILEHUB_API_WORKERS=2: expected 1 in the local"):
            world.settings_with(PROFILEHUB_API_WORKERS=str(WORKERS))
        return
    settings = world.own_security_state(world.settings_with(
        PROFILEHUB_API_WORKERS=str(WORKERS), PROFILEHUB_API_PORT=str(free_port()),
        PROFILEHUB_API_RATE_LIMIT_PER_MINUTE="4"))
    headers = {"Authorization": f"Bearer {world.keys['marketing']}"}
    with api_server(settings, tmp_path / "api.log") as base:
        # A connection per request, so the kernel hands them to either worker.
        statuses = [httpx.post(f"{base}/graphql", json={"query": QUERY}, headers=headers,
                               timeout=10).status_code for _ in range(5)]
        scrapes = [httpx.get(f"{base}/metrics", timeout=10).text for _ in range(6)]
    assert statuses == [200] * 4 + [429]
    for scrape in scrapes:
        assert sum(float(count) for count in REQUESTS.findall(scrape)) == 5
    assert len(list(settings.paths.api_metrics.glob("*.db"))) >= 1


# A server process: the app's lifespan runs, then it says what it holds.
STARTED_SERVER = """
import gc, json
from starlette.testclient import TestClient
from api.app import create_app
from profilehub.settings import get_settings
app = create_app(get_settings())
before = gc.get_freeze_count()
with TestClient(app):
    snapshot = app.state.services.serving._snapshot
    print(json.dumps({"before": before, "frozen": gc.get_freeze_count(),
                      "as_of": snapshot.as_of.isoformat() if snapshot else None}))
"""


def test_a_started_server_has_loaded_its_snapshot_and_frozen_what_it_holds(world):
    started = subprocess.run([sys.executable, "-c", STARTED_SERVER], cwd=REPO_ROOT,
                             env={**os.environ, **world.settings._environ},
                             capture_output=True, text=True, check=True)
    held = json.loads(started.stdout.strip().splitlines()[-1])
    assert held["before"] == 0
    assert held["frozen"] > 50_000  # the libraries, the catalog, the index: not rescanned
    assert held["as_of"] == world.serving.current().as_of.isoformat()
