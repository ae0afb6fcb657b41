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
BENCH_CUSTOMERS ?= 100000
BENCH_DAYS ?= 5

.PHONY: setup run test test-fast bench lint format clean

setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen

run: setup
	$(RUN) profilehub run --customers $(CUSTOMERS) --days $(DAYS) --seed $(SEED) --dirty $(DIRTY)

test: setup
	$(RUN) ruff check .
	$(RUN) pytest

test-fast: setup
	$(RUN) pytest -m "not slow"

bench: setup
	$(RUN) python -m bench --customers $(BENCH_CUSTOMERS) --days $(BENCH_DAYS)

lint: setup
	$(RUN) ruff check .
	$(RUN) ruff format --check .

format: setup
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

clean:
	rm -rf data
