# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
CONSTRAINTS ?= constraints.txt
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint types unit bench clean setup bytecode

$(STAMP): pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(if $(CONSTRAINTS),-c $(CONSTRAINTS)) -e '.[dev]'
	$(MAKE) --no-print-directory bytecode
	touch $(STAMP)

# An editable install leaves src/ without bytecode, and with PYTHONDONTWRITEBYTECODE set
# (as on these machines) every run would compile every module again.
bytecode:
	$(BIN)/python -m compileall -q src >/dev/null

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/maildoctor demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

types: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest -q

test: lint types unit

bench: $(STAMP) bytecode
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
	find src tests bench -name __pycache__ -type d -prune -exec rm -rf {} +
