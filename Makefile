# The two commands of the README: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test install lint messages screenshots bench clean

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

messages: install
	for app in src/manpower/*/; do \
	  if [ -d "$$app/locale" ]; then (cd $$app && ../../../$(PY) ../../../manage.py makemessages -l ar --no-obsolete && ../../../$(PY) ../../../manage.py compilemessages -l ar); fi; \
	done

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache
