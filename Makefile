# Two commands for a fresh machine: `make demo` and `make test`.
# Each creates its own virtual environment in .venv (once) from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench install clean

$(BIN)/extractor: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(BIN)/extractor

install: $(BIN)/extractor

demo: install
	$(BIN)/extractor annotate examples --pretty

test: install
	$(BIN)/python -m pytest -q

# Speed and memory on the shipped sample; writes evaluation/benchmark.json
bench: install
	$(BIN)/python evaluation/benchmark.py

clean:
	rm -rf $(VENV) build *.egg-info
