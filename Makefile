# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint faults

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

## Start the board on SQLite with demo data: http://127.0.0.1:8000/board
demo: $(VENV)/.installed
	$(BIN)/mimamori serve --demo

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## Install what the tests need, make sure PostgreSQL, Redis and Chromium are there, run every test,
## then the unit and web tests again under faketime on the dates a calendar bug would show.
test: $(VENV)/.installed-test lint
	bash .ci/services
	bash .ci/browser
	$(BIN)/python -m pytest -n 2 -m "not faults"
	$(BIN)/python -m pytest tests/faults -m faults
	PYTHON=$(BIN)/python bash .ci/dates
	$(BIN)/python -m bench.allowed_events --quick
	$(BIN)/python -m bench.fire_event --quick
	$(BIN)/python -m bench.reminder_scan --quick
	$(BIN)/python -m bench.outbox_delivery --quick
	$(BIN)/python -m bench.board_page --quick
	$(BIN)/python -m bench.card_move --quick
	$(BIN)/python -m bench.backup --quick
	$(BIN)/python -m bench.export --quick
	$(BIN)/python -m bench.import_partners --quick
	$(BIN)/python -m bench.password_reset --quick

## The fault drill at full length (one minute and more per fault) on the production shape.
faults: $(VENV)/.installed-test
	bash .ci/services
	MIMAMORI_FAULTS=full $(BIN)/python -m pytest tests/faults -m faults -s
