# Quick start: `make demo` and `make test` set up .venv (Python 3.11+ and pip are all they need).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench-io clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev,ray,warc]"
	touch $@

demo: $(BIN)/.installed
	$(BIN)/thresher demo -o thresher-demo

test: $(BIN)/.installed
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench train eval
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

bench-io: $(BIN)/.installed
	$(BIN)/python bench/io.py --mb 100

clean:
	rm -rf thresher-demo build dist .pytest_cache .mypy_cache .ruff_cache
