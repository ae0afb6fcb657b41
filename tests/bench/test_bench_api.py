"""The api bench's pure parts: its HTTP client against a tiny local server, the CPU
arithmetic its note reports, and its Strawberry-alone reference app (no Redis, no servers of
the case)."""

from __future__ import annotations

import asyncio
import socket

import pytest
from starlette.testclient import TestClient

from bench.cases.api import BATCH, BATCH_QUERY, FEATURES, SINGLE_QUERY, RawClient, RequestFailed
from bench.suites.api import SERVERS, api_section, cpu_floor_ms, cpu_note, redis_note


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answers each POST with its own body (200), or 500 for path /fail."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length"))
            body = await reader.readexactly(length)
            status = b"500 Internal Server Error" if b" /fail " in head else b"200 OK"
            writer.write(b"HTTP/1.1 %s\r\ncontent-type: application/json\r\n"
                         b"content-length: %d\r\n\r\n%s" % (status, len(body), body))
            await writer.drain()
    except asyncio.IncompleteReadError:
        writer.close()


def test_the_client_keeps_one_connection_and_reports_failures():
    async def scenario() -> None:
        connections = []

        async def counted(reader, writer):
            connections.append(writer)
            await _answer(reader, writer)

        server = await asyncio.start_server(counted, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        client = RawClient(port)
        try:
            for number in range(3):
                body = b'{"n": %d}' % number
                assert await client.post("/graphql", body, b"X-Test: 1\r\n") == body
            assert len(connections) == 1
            with pytest.raises(RequestFailed, match="HTTP 500"):
                await client.post("/fail", b"{}")
        finally:
            await client.close()
            server.close()
            await server.wait_closed()

    asyncio.run(scenario())


def test_a_refused_connection_is_a_failed_request():
    async def scenario() -> None:
        with socket.socket() as probe:  # a port nothing listens on
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with pytest.raises(RequestFailed, match="connection lost"):
            await RawClient(port).post("/graphql", b"{}")

    asyncio.run(scenario())


def _figures(server: float, client: float = 0.2, redis: float = 0.1) -> dict:
    return {"server_cpu_ms": server, "client_cpu_ms": client, "redis_cpu_ms": redis,
            "others_busy_cores": 0.5}


def test_the_cpu_floor_is_littles_law_on_the_busiest_resource():
    # One worker: its core bounds it when the machine's other core is free enough.
    assert cpu_floor_ms(_figures(1.0), clients=16, cores=2) == pytest.approx(16.0)
    # A costly client and Redis: the machine's cores bound it first.
    assert cpu_floor_ms(_figures(1.0, client=2.0, redis=1.0), clients=16, cores=2) == (
        pytest.approx(32.0))
    # Two workers: the two cores bound it, shared with the client and Redis.
    assert cpu_floor_ms(_figures(1.0), clients=16, cores=2, workers=2) == pytest.approx(10.4)
    # More workers than cores gain nothing more.
    assert cpu_floor_ms(_figures(1.0, client=0.0, redis=0.0), clients=16, cores=2,
                        workers=4) == pytest.approx(8.0)


def test_the_note_says_what_server_cpu_the_aims_need():
    results = {server: {"single": _figures(1.5), "batch_100": _figures(12.0)}
               for _, server in SERVERS}
    results["strawberry_alone"] = {"single": _figures(0.35), "batch_100": _figures(4.0)}
    note = cpu_note(results, clients=16, cores=2)
    assert "1 customer p99 ≤ 10 ms needs at most 0.62 ms of server CPU per request, " \
           "measured 1.50 ms (Strawberry alone 0.35 ms)" in note
    assert "100 customers p99 ≤ 50 ms needs at most 3.12 ms" in note
    assert "at most 667 requests/s" in note and "up to 0.5 of the machine's 2 cores" in note


def test_the_section_judges_the_run_with_most_workers():
    def run(workers: int, single_p99: float) -> dict:
        figures = {**_figures(1.5), "p50_ms": 1.0, "p99_ms": single_p99, "requests_per_s": 9.0,
                   "customers_per_s": 9.0, "failed": 0}
        return {"workers": workers, "results": {
            server: {"single": figures, "batch_100": {**figures, "p99_ms": 60.0}}
            for _, server in SERVERS}}

    details = {"runs": [run(1, 30.0), run(2, 8.0)], "features": 50, "clients": 16, "cores": 2}
    section = api_section(details, customers=2000, peak_rss_mb=100.0)
    assert [row[:3] for row in section.rows[:2]] == [[1, "GraphQL API", "1 customer"],
                                                      [1, "feast serve", "1 customer"]]
    assert len(section.rows) == 12
    assert "With 2 worker(s) per server: single p99 8.0 ms (aim ≤ 10 ms: met)" in section.notes[0]
    assert "batch-100 p99 60.0 ms (aim ≤ 50 ms: not met)" in section.notes[0]
    assert "needs at most 1.25 ms of server CPU per request" in section.notes[1]
    assert ("Strawberry alone, answering the same queries from memory with no keys, limits, "
            "consent, audit or Redis, under the same clients: 1 customer p99 8.0 ms (aim ≤ 10 "
            "ms: within), 100 customers p99 60.0 ms (aim ≤ 50 ms: beyond)") in section.notes[0]


def test_strawberry_alone_answers_the_bench_queries():
    """The reference server takes the API's own query texts and answers every tag asked for."""
    from bench.cases.strawberry_alone import VALUES, app

    tag_ids = sorted(VALUES)[:FEATURES]
    with TestClient(app) as client:
        for query, variables, field in (
                (SINGLE_QUERY, {"key": "CK1", "tags": tag_ids}, "customer"),
                (BATCH_QUERY, {"keys": [f"CK{n}" for n in range(BATCH)], "tags": tag_ids},
                 "customers")):
            body = client.post("/graphql", json={"query": query, "variables": variables}).json()
            assert "errors" not in body, body
            answers = body["data"][field]
            answers = answers if isinstance(answers, list) else [answers]
            assert len(answers) == len(variables.get("keys", ["CK1"]))
            assert all(list(answer["values"]) == tag_ids for answer in answers)
            assert all(value == VALUES[tag] for answer in answers
                       for tag, value in answer["values"].items())
        assert client.get("/healthz").json() == {"status": "ok"}


def test_the_note_names_the_redis_hash_encoding():
    note = redis_note({"fields": 239, "encoding": "listpack", "listpack_entries": 512})
    assert "one hash of 239 fields, encoded as a listpack (hash-max-listpack-entries 512" in note
    assert "scans a listpack field by field" in note
    assert "scans" not in redis_note({"fields": 239, "encoding": "hashtable",
                                      "listpack_entries": 128})
    assert redis_note(None) == ""
