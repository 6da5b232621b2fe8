# make run   - the whole service on this machine (Temporal dev server, worker, intake)
# make test  - lint, type-check and the whole test suite, offline
# make bench - every bench/*.py script
# make lint  - ruff and mypy only

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

PACKAGES := domain workflows activities adapters api diversion rendering

.PHONY: run test bench lint install bytecode

run: $(STAMP) bytecode
	$(BIN)/diversion dev

test: $(STAMP) bytecode
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/mypy bench/adapters.py
	$(BIN)/pytest -q

bench: $(STAMP) bytecode
	@set -e; for script in bench/*.py; do \
		[ -e "$$script" ] || continue; \
		echo "== $$script"; \
		$(BIN)/python "$$script"; \
	done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/mypy bench/adapters.py

install: $(STAMP)

# The worker's sandbox imports the workflow modules afresh for every case it starts; with
# PYTHONDONTWRITEBYTECODE set nothing caches their bytecode, and each import compiles the
# source again (measured: half the worker's CPU). Compiled here, up-to-date files are skipped.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q $(PACKAGES) > /dev/null

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[dev]'
	touch $(STAMP)
