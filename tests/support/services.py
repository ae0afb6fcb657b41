"""The machine's real services for tests: scratch PostgreSQL databases (``profilehub.scratch``,
which the benchmarks use too) and free local ports.

Tests never write into what they did not create: a database made here is dropped afterwards.
"""

from __future__ import annotations

import socket

from profilehub.scratch import scratch_database, unique_name

__all__ = ["free_port", "scratch_database", "unique_name"]


def free_port() -> int:
    """A TCP port nothing listens on at the moment (the kernel's pick)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
