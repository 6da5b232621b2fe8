# make run   - the whole service on this machine (Temporal dev server, worker, intake)
# make test  - lint, type-check and the whole test suite, offline
# make bench - every bench/*.py script
# make lint  - ruff and mypy only

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint install

run: $(STAMP)
	$(BIN)/diversion dev

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/pytest -q

bench: $(STAMP)
	@set -e; for script in bench/*.py; do \
		[ -e "$$script" ] || continue; \
		echo "== $$script"; \
		$(BIN)/python "$$script"; \
	done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy .

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[dev]'
	touch $(STAMP)
