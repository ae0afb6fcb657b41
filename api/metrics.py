"""Prometheus metrics of the API, in a registry of its own (one per app, so tests and several
apps in one process do not collide).

Under several uvicorn workers (``settings.api.workers``), prometheus_client runs in its
multiprocess mode: each worker writes its values to files in ``settings.api.metrics_dir`` and
``/metrics``, whichever worker answers it, adds up all of them.
"""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector

# Milliseconds matter here: the aims are p99 ≤ 10 ms (one profile) and ≤ 50 ms (100).
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class ApiMetrics:
    def __init__(self, workers_dir: Path | None = None) -> None:
        self._workers_dir = workers_dir
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "profilehub_api_request_seconds", "GraphQL operation latency",
            ["operation", "role"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.requests = Counter(
            "profilehub_api_requests", "GraphQL operations by decision",
            ["operation", "role", "decision"], registry=self.registry)

    def observe(self, operation: str, role: str, decision: str, seconds: float) -> None:
        self.latency.labels(operation, role).observe(seconds)
        self.requests.labels(operation, role, decision).inc()

    def exposition(self) -> tuple[bytes, str]:
        if self._workers_dir is None:
            return generate_latest(self.registry), CONTENT_TYPE_LATEST
        every_worker = CollectorRegistry()
        MultiProcessCollector(every_worker, path=str(self._workers_dir))
        return generate_latest(every_worker), CONTENT_TYPE_LATEST
