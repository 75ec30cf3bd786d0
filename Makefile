# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
CONSTRAINTS ?= constraints.txt
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint types unit bench clean setup bytecode browser screenshots

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

# Chromium from the distribution drives the browser tests (tests/web); installed when
# missing and this is root, else the tests say how (or set MAILDOCTOR_SKIP_BROWSER=1).
browser:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

unit: $(STAMP) browser
	$(BIN)/python -m pytest -q

test: lint types unit

bench: $(STAMP) bytecode
	$(BIN)/python bench/run.py

screenshots: $(STAMP) browser
	$(BIN)/python docs/screenshots/take.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
	find src tests bench -name __pycache__ -type d -prune -exec rm -rf {} +
