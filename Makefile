# One task runner: the README and CI call these targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
UV := python3 -m uv
# The CPU build of torch lies in /opt/wheels on these machines (see requirements.lock).
FIND_LINKS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run test test-fast lint lock browser bank repro clean load docker-wheels compose-check compose-tools

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"
	@test -x $(PY) || $(UV) venv --quiet --python 3.11 $(VENV)
	$(UV) pip sync --quiet --python $(PY) $(FIND_LINKS) --compile-bytecode requirements.lock
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) ## Create .venv from the lock file (once; again when the lock changes)

run: install ## Build the bank if missing and start the chat on http://127.0.0.1:8000
	$(PY) -m app serve

browser: ## Install Debian's Chromium for the browser tests (never a downloaded browser)
	@test -x /usr/bin/chromium || { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q chromium fonts-dejavu-core; }

compose-tools: ## Install Debian's docker-compose to validate docker-compose.yml (no engine needed)
	@command -v docker-compose >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends docker-compose; }

lint: install ## ruff and mypy
	$(VENV)/bin/ruff check app tests evaluation monitoring pipelines scrapers dagster_project bench
	$(VENV)/bin/ruff format --check app tests evaluation monitoring pipelines scrapers dagster_project bench
	$(VENV)/bin/mypy app evaluation monitoring pipelines scrapers dagster_project

test: install browser compose-tools lint ## Lint, then every test: unit, SQLite + PostgreSQL, CLI, browser
	$(PY) -m pytest

test-fast: install ## Tests without the browser
	$(PY) -m pytest -m "not e2e"

bank: install ## Validate and rebuild the LanceDB index of the bank
	$(PY) -m app bank validate
	$(PY) -m app bank build

repro: install ## Rerun the DVC pipeline (clean, augment, build the bank, grading evaluation)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/dvc repro

load: install ## 500 simulated candidates on a fresh PostgreSQL database -> bench/results/load.json
	$(PY) -m bench.load.run --users 500

lock: ## Re-resolve requirements.lock from pyproject.toml
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 $(FIND_LINKS) \
		--override constraints-torch.txt --generate-hashes -o requirements.lock

docker-wheels: ## Copy the local CPU torch wheel into the image's build context (offline builds)
	mkdir -p .docker-wheels
	$(if $(wildcard /opt/wheels),cp /opt/wheels/*.whl .docker-wheels/,@echo "no /opt/wheels: the build uses the PyTorch CPU index")

compose-check: install ## Validate docker-compose.yml offline (schema; docker-compose config if installed)
	$(PY) -m pytest tests/ops/test_compose.py -q

clean: ## Remove the environment and local data (var/)
	rm -rf $(VENV) var .files .docker-wheels
