# One task runner: the README and CI call these targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
UV := python3 -m uv
# The CPU build of torch lies in /opt/wheels on these machines (see requirements.lock).
FIND_LINKS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)
STAMP := $(VENV)/.installed
# No container registry on these machines: the stack check runs on deploy/offline/'s stand-ins.
# `make stack-check STACK_CHECK_ARGS=` uses the official images instead.
STACK_CHECK_ARGS ?= --offline

.DEFAULT_GOAL := help
.PHONY: help install run test test-fast lint lock browser bank repro clean load docker-wheels compose-check compose-tools \
	offline-images stack-check

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
	$(VENV)/bin/ruff check app tests evaluation monitoring pipelines scrapers dagster_project bench deploy
	$(VENV)/bin/ruff format --check app tests evaluation monitoring pipelines scrapers dagster_project bench deploy
	$(VENV)/bin/mypy app evaluation monitoring pipelines scrapers dagster_project deploy

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

docker-wheels: ## Every locked wheel (and uv) into .docker-wheels/: the image then builds with no index
	@python3 -c 'import sys; assert sys.version_info[:2] == (3, 11), "needs Python 3.11 (the image's)"'
	mkdir -p .docker-wheels
	$(if $(wildcard /opt/wheels),cp /opt/wheels/*.whl .docker-wheels/,)
	python3 -m pip download --quiet --no-deps --require-hashes -r requirements.lock \
		--find-links .docker-wheels -d .docker-wheels
	python3 -m pip download --quiet --no-deps -d .docker-wheels "uv==$(UV_VERSION)" setuptools wheel
	@touch .docker-wheels/COMPLETE  # the Dockerfile's sign to build from these files alone

offline-images: ## Stand-in Python/PostgreSQL/Redis base images from Debian packages (no registry)
	bash deploy/offline/build.sh

stack-check: ## Build and start the compose stack, check it end to end -> bench/results/stack_check.json
	python3 deploy/stack_check.py $(STACK_CHECK_ARGS)

compose-check: install ## Validate docker-compose.yml offline (schema; docker-compose config if installed)
	$(PY) -m pytest tests/ops/test_compose.py -q

clean: ## Remove the environment and local data (var/)
	rm -rf $(VENV) var .files .docker-wheels
