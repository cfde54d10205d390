# zhidu — two commands on a fresh machine: `make build` and `make test` (see README).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: build test check golden lint typecheck bench deps system-deps schemas clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

deps: $(STAMP)

# LibreOffice, poppler and the CJK fonts for PDF and render tests (Debian; needs root or sudo).
system-deps:
	bash .ci/system-deps.sh

## Build everything in policy/ into build/ (docx, html, md, and pdf where LibreOffice is installed).
build: deps system-deps
	$(VENV)/bin/zhidu build policy -o build

## Run the whole test suite (render tests included), after lint and strict type checks.
test: deps system-deps
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy
	$(PY) -m pytest -q -n 2

check: deps
	$(VENV)/bin/zhidu check policy

## Rewrite golden files from current output; review the diff before committing.
golden: deps
	$(PY) -m pytest -q --update-golden

schemas: deps
	$(VENV)/bin/zhidu schema --write schemas

lint: deps
	$(VENV)/bin/ruff check src tests

typecheck: deps
	$(VENV)/bin/mypy

bench: deps system-deps
	$(PY) benchmarks/run.py

clean:
	rm -rf build
