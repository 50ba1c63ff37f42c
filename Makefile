# Two targets a newcomer needs: `make demo` and `make test`. Both create .venv and install into it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-dev lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[all]'

install-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'

## Run Storyline on the bundled sample and print its copy groups.
demo: install
	@mkdir -p out
	$(BIN)/storyline run examples/sample --db out/sample.db --out out/sample.jsonl

## Install everything and run the whole test suite (lint, types, tests).
test: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
