# make run   - the whole service on this machine (Temporal dev server, worker, intake)
# make test  - lint, type-check and the whole test suite, offline
# make bench - every bench/*.py script
# make lint  - ruff and mypy only
# make faults - the whole service under faults (bench/faults.py); not in `make test`
# make mutation - mutmut over domain/, api/access.py, api/auth.py, adapters/xml/hardened.py
#                 against their fast tests (setup.cfg; docs/mutation.md); not in `make test`

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

PACKAGES := domain workflows activities adapters api diversion rendering

.PHONY: run test bench lint install bytecode mutation faults

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

# mutmut is installed here, not with the project: only this target uses it. It works in
# mutants/ (a copy of the code, mutated), started afresh each time so the score is of
# the code as it is; about 20 minutes on two cores.
MUTMUT := mutmut==3.8.1

mutation: $(STAMP)
	$(BIN)/python -m pip install -q '$(MUTMUT)'
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 > mutation-run.log 2>&1 || (tail -n 40 mutation-run.log; exit 1)
	$(BIN)/mutmut export-cicd-stats > /dev/null
	$(BIN)/python docs/mutation_score.py mutants/mutmut-cicd-stats.json

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

# The whole service under faults (bench/faults.py): workers killed, the Temporal server
# restarted, the court down, clerks racing; fails on anything lost, stuck or duplicated.
# make faults FAULTS_ARGS="--seed 7 --cases 30"
FAULTS_ARGS ?=

faults: $(STAMP) bytecode
	$(BIN)/python bench/faults.py $(FAULTS_ARGS)
