# The two commands of the README: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test e2e install lint messages screenshots bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	PORT=$(PORT) $(PY) manage.py run_demo

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

test: install lint
	$(VENV)/bin/pytest

# Browser tests (not part of `make test`): Debian's chromium, axe-core from npm.
tests/e2e/node_modules/axe-core/axe.min.js: tests/e2e/package.json
	cd tests/e2e && npm ci --no-audit --no-fund
	touch $@

e2e: install tests/e2e/node_modules/axe-core/axe.min.js
	$(VENV)/bin/pytest tests/e2e

# PNGs of every page of the journeys, both languages, 1366 px and 390 px, into docs/screenshots/.
screenshots: install tests/e2e/node_modules/axe-core/axe.min.js
	SCREENSHOTS=1 $(VENV)/bin/pytest tests/e2e

messages: install
	for app in src/manpower/*/; do \
	  if [ -d "$$app/locale" ]; then (cd $$app && ../../../$(PY) ../../../manage.py makemessages -l ar --no-obsolete && ../../../$(PY) ../../../manage.py compilemessages -l ar); fi; \
	done

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache
