# The one place commands are spelled out. `make run` and `make test` are the README's contract.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# Production-like environment for `check --deploy`: only environment variables differ.
DEPLOY_ENV := DEBUG=false SECRET_KEY=deploy-check-$$(date +%s)-a8Kq3vZ0pX7wL2mN5bT9cR4yH6jF1dG ALLOWED_HOSTS=crm.example.com

.PHONY: run serve test test-fast check-deploy migrations-check lint format seed bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps
	DEBUG=$${DEBUG:-true} $(MANAGE) migrate --noinput
	DEBUG=$${DEBUG:-true} $(MANAGE) seed_demo --if-empty
	@echo ""
	@echo "  Influencer CRM on http://$(HOST):$(PORT)/  (log in as demo / demo-pass-2026)"
	@echo ""
	DEBUG=$${DEBUG:-true} $(MANAGE) runserver $(HOST):$(PORT)

migrations-check: $(VENV)/.dev-deps
	DEBUG=true $(MANAGE) makemigrations --check --dry-run

check-deploy: $(VENV)/.dev-deps
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

test: migrations-check check-deploy
	DEBUG=true $(BIN)/pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.dev-deps
	DEBUG=true $(BIN)/pytest --ignore=tests/e2e -q $(PYTEST_ARGS)

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.dev-deps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

seed: $(VENV)/.run-deps
	DEBUG=$${DEBUG:-true} $(MANAGE) seed_demo

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .import_linter_cache
