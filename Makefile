# ProfileHub: `make run` builds everything end to end on the embedded default; `make test`
# runs the whole suite. Both install what they need first.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen
export SPARK_LOCAL_IP ?= 127.0.0.1
export PYTHONHASHSEED ?= 0

# Demo scale for `make run`; `make bench` takes BENCH_CUSTOMERS.
CUSTOMERS ?= 20000
DAYS ?= 30
SEED ?= 7
DIRTY ?= 0.002
# Dates profile_daily runs for (the last ones); the first catches up on every earlier delivery.
DAILY_RUNS ?= 1
BENCH_CUSTOMERS ?= 100000
BENCH_DAYS ?= 5
POSTGRES_JDBC_JAR := /usr/share/java/postgresql.jar
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q >/dev/null

.PHONY: setup run test test-fast bench lint format clean

setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@# The prod metastore lives in PostgreSQL and Spark ships no driver for it: Debian's does.
	@test -f $(POSTGRES_JDBC_JAR) || $(APT_INSTALL) libpostgresql-jdbc-java \
		|| { $(SUDO) apt-get update -q >/dev/null && $(APT_INSTALL) libpostgresql-jdbc-java; } \
		|| { echo "make setup: could not install libpostgresql-jdbc-java ($(POSTGRES_JDBC_JAR))"; exit 1; }

run: setup
	$(RUN) profilehub run --customers $(CUSTOMERS) --days $(DAYS) --seed $(SEED) --dirty $(DIRTY) --daily-runs $(DAILY_RUNS)

# Fast tests in one process; every file with JVM-starting (slow) tests in a process of its own:
# a JVM holds one Spark metastore at a time, and each file builds its own tiny lake.
# pytest's exit 5 (no tests collected) fails the target like any other error.
test: setup
	$(RUN) ruff check .
	$(RUN) pytest -m "not slow"
	@slow_files=$$($(RUN) pytest -m slow --collect-only -q | grep '::' | cut -d: -f1 | sort -u); \
	test -n "$$slow_files" || { echo "no slow tests collected"; exit 5; }; \
	for file in $$slow_files; do \
		started=$$SECONDS; echo "== $$file"; $(RUN) pytest -m slow "$$file" || exit $$?; \
		echo "== $$file: $$((SECONDS - started)) s"; \
	done

test-fast: setup
	$(RUN) pytest -m "not slow"

bench: setup
	$(RUN) python -m bench --customers $(BENCH_CUSTOMERS) --days $(BENCH_DAYS)

# The code is formatted by hand to ruff's line length (continuation lines aligned, short
# tables kept on one line); the linter is what CI enforces, not `ruff format`.
lint: setup
	$(RUN) ruff check .

format: setup
	$(RUN) ruff check --fix .

clean:
	rm -rf data
