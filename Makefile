# Lan Tỏa — the two commands a newcomer types: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup db messages lint format bench clean serve

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## setup: virtualenv, pinned dependencies, compiled translations
setup: $(VENV)/.installed messages
	mkdir -p var

messages: $(VENV)/.installed
	$(PY) -m lantoa.core.compile_messages

db: setup
	DEBUG=true $(MANAGE) migrate --noinput
	DEBUG=true $(MANAGE) load_demo

## run: set everything up, load the Cà Mau demo and serve http://$(HOST):$(PORT), with the
##      background worker (certificate batches) running alongside and stopped with the server
run: export DEBUG = true
run: db
	@DEBUG=true $(MANAGE) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	DEBUG=true $(MANAGE) runserver $(HOST):$(PORT)

# axe-core, which the browser tests run for accessibility (npm registry, pinned in the lock)
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

## test: the same setup, then the whole suite (DATABASE_URL picks the database)
test: export LANTOA_TESTING = true
test: setup node_modules/.installed
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 2

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

## bench: synthetic data at national scale and timings (see bench/README.md)
bench: setup
	$(PY) -m pip install --quiet -r requirements-bench.txt
	$(PY) -m bench

clean:
	rm -rf $(VENV) var/*.sqlite3 staticfiles node_modules
