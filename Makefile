# Frontdesk: `make run` starts the product on SQLite with a demo workspace; `make test` checks it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/frontdesk_test

.PHONY: install bytecode prepare system run test test-databases test-sqlite test-postgresql test-widget test-app lint format services browsers widget app api-types bench clean

install: $(STAMP)

$(STAMP): requirements/dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Every process imports Frontdesk's own modules from their compiled bytecode, written here
# once: where PYTHONDONTWRITEBYTECODE is set (as on some CI machines) Python would otherwise
# compile every module again in each process it starts (a second of CPU per app process).
bytecode: install
	@$(BIN)/python -m compileall -q -j 0 src tests benchmarks > /dev/null

run: install bytecode
	scripts/run.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

services:
	scripts/ensure-services.sh

browsers:
	scripts/ensure-chromium.sh

widget:
	@if [ -f widget/package.json ]; then \
		cd widget && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build; \
	fi

# Inside `make test` the builds are made once, before the checks (BUILT=1).
test-widget: $(if $(BUILT),,widget)
	@if [ -f widget/package.json ]; then cd widget && npm test; fi

app:
	@if [ -f frontend/package.json ]; then \
		cd frontend && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build; \
	fi

test-app: $(if $(BUILT),,app)
	@if [ -f frontend/package.json ]; then cd frontend && npm test; fi

api-types: install
	$(BIN)/python scripts/openapi.py frontend/openapi.json
	cd frontend && npm run api-types

# What the suites need, made side by side: the Python packages, the two front ends' builds, and
# the services and Chromium (one after the other: either may call apt-get, which takes a lock).
prepare:
	@$(MAKE) --no-print-directory -j4 -Otarget install system widget app
	@$(MAKE) --no-print-directory bytecode

system:
	@$(MAKE) --no-print-directory services
	@$(MAKE) --no-print-directory browsers

# The checks (lint, types, the front ends' unit tests) run beside the database suites, which
# spend much of their time waiting; the target fails if either part fails.
test: prepare
	@( set -o pipefail; $(MAKE) --no-print-directory lint test-widget test-app BUILT=1 2>&1 | sed -u 's/^/[checks] /' ) & checks=$$!; \
	$(MAKE) --no-print-directory test-databases; databases_rc=$$?; \
	wait $$checks; checks_rc=$$?; \
	echo "checks: exit $$checks_rc; database suites: exit $$databases_rc"; \
	test $$checks_rc -eq 0 && test $$databases_rc -eq 0

# Both databases at once (each suite is mostly waiting on I/O); each line is prefixed with its
# database, and the target fails if either suite fails.
test-databases: install services
	@( set -o pipefail; $(MAKE) --no-print-directory test-sqlite 2>&1 | sed -u 's/^/[sqlite] /' ) & sqlite=$$!; \
	( set -o pipefail; $(MAKE) --no-print-directory test-postgresql 2>&1 | sed -u 's/^/[postgresql] /' ) & pg=$$!; \
	wait $$sqlite; sqlite_rc=$$?; wait $$pg; pg_rc=$$?; \
	echo "sqlite suite: exit $$sqlite_rc; postgresql suite: exit $$pg_rc"; \
	test $$sqlite_rc -eq 0 && test $$pg_rc -eq 0

# One test process per database by default. `make test TEST_PROCESSES=2` splits each suite in
# two (pytest-xdist; a file's tests, the tests that start from the demo, and the browser
# journeys each stay in one process: tests/conftest.py); on two cores it gained nothing measurable
# and four processes made timing faults show (docs/decisions/0009).
TEST_PROCESSES ?=
SPLIT = $(if $(TEST_PROCESSES),-n $(TEST_PROCESSES) --dist loadgroup,)

test-sqlite: install
	FRONTDESK_TEST_DATABASE=sqlite $(BIN)/pytest $(SPLIT)

test-postgresql: install services
	FRONTDESK_TEST_DATABASE=postgresql FRONTDESK_TEST_POSTGRES_URL=$(PG_TEST_URL) $(BIN)/pytest $(SPLIT)

bench: install services
	@if [ -f benchmarks/__main__.py ]; then $(BIN)/python -m benchmarks; \
	else echo "no benchmarks yet"; fi

clean:
	rm -rf $(VENV) data .mypy_cache .ruff_cache .pytest_cache .hypothesis widget/node_modules widget/dist frontend/node_modules frontend/dist
