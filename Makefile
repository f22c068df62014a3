# Two commands on a fresh machine: `make demo` runs the main job on examples/, `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.db

.PHONY: setup browser postgres demo test lint unit clean

$(BIN)/storyline: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

setup: $(BIN)/storyline

demo: setup
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/storyline --db $(DEMO_DB) ingest examples/corpus/
	$(BIN)/storyline --db $(DEMO_DB) events
	$(BIN)/storyline --db $(DEMO_DB) timeline --format html -o timeline.html
	@echo "open timeline.html in a browser"

lint: setup
	$(BIN)/ruff check storyline tests benchmarks scripts
	$(BIN)/ruff format --check storyline tests benchmarks scripts
	$(BIN)/mypy

# Debian's Chromium for the browser tests; where it cannot be installed those tests skip.
browser:
	-bash scripts/install-browser.sh

# A local PostgreSQL for the second store backend; where it cannot be had those tests skip.
postgres:
	-bash scripts/postgres.sh start >/dev/null

unit: setup browser postgres
	$(BIN)/python -m pytest -q

test: lint unit

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm timeline.html artifacts
