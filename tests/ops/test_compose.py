"""docker-compose.yml and the Dockerfile, checked offline: no engine runs here or in CI."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft201909Validator

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
SCHEMA = ROOT / "tests" / "data" / "compose" / "compose_spec.json"
STACK = {
    "app", "postgres", "redis", "mlflow", "dagster-webserver", "dagster-daemon", "evidently",
    "ollama",
}  # fmt: skip
# An image from a variable, as deploy/offline/ stand-ins need: ${POSTGRES_IMAGE:-postgres:16.6-...}
VARIABLE = re.compile(r"^\$\{[A-Z_]+:-(?P<default>[^}]+)\}$")
PINNED = re.compile(r":\d+\.\d+(\.\d+)?(-[a-z]+)*$|@sha256:")
SECRETS_ENV = {"POSTGRES_PASSWORD": "test-only", "FEEDBACKFIRST_CHAT_AUTH_SECRET": "test-only"}


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return loaded


def test_compose_file_matches_the_compose_schema() -> None:
    validator = Draft201909Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(_compose())]
    assert errors == []


def test_compose_schema_rejects_a_broken_file() -> None:
    """The check above can fail: a misspelt key is caught."""
    broken = _compose()
    broken["services"]["app"]["enviroment"] = {"A": "b"}
    validator = Draft201909Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert list(validator.iter_errors(broken))


def test_compose_stack_is_complete_and_pinned() -> None:
    services = _compose()["services"]
    assert set(services) == STACK
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown {dependency}"
        image = service["image"]
        if not image.startswith("feedbackfirst:"):  # ours is built here; others pinned exactly
            variable = VARIABLE.match(image)
            assert PINNED.search(variable["default"] if variable else image), image
    build_args = services["app"]["build"]["args"]
    python_default = VARIABLE.match(build_args["PYTHON_IMAGE"])
    assert python_default and PINNED.search(python_default["default"])
    assert services["ollama"]["profiles"] == ["llm"]  # optional, off by default
    assert "ollama" not in services["app"].get("depends_on", {})


def test_every_service_checks_its_own_health() -> None:
    """The image's HEALTHCHECK asks the app's :8000; other services of the same image must
    replace it, or they turn unhealthy while working (as they did on the first real start)."""
    services = _compose()["services"]
    for name, service in services.items():
        if name == "ollama":
            continue
        test = " ".join(service["healthcheck"]["test"])
        assert name == "app" or "8000" not in test, name
    assert "redis-cli" in " ".join(services["redis"]["healthcheck"]["test"])


def test_the_rate_limit_is_shared_through_redis() -> None:
    services = _compose()["services"]
    assert services["app"]["environment"]["FEEDBACKFIRST_REDIS_URL"].startswith("redis://redis:")
    assert services["app"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "ports" not in services["redis"]  # no password: reachable by the stack only


def test_compose_takes_secrets_from_the_environment_only() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    app_env = _compose()["services"]["app"]["environment"]
    for key in ("FEEDBACKFIRST_CHAT_AUTH_SECRET", "FEEDBACKFIRST_LLM_API_KEY"):
        assert app_env[key].startswith("${"), key
    assert "${POSTGRES_PASSWORD:?" in text  # refused when unset, never a default password


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_docker_compose_config_validates(tmp_path: Path) -> None:
    env = os.environ | SECRETS_ENV
    for args in ([], ["--profile", "llm"]):
        done = subprocess.run(
            ["docker-compose", "-f", str(COMPOSE), *args, "config", "-q"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    unset = {k: v for k, v in env.items() if k not in SECRETS_ENV}
    no_env_file = tmp_path / "empty.env"  # not even from a deployment's .env beside the file
    no_env_file.write_text("", encoding="utf-8")
    refused = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "--env-file", str(no_env_file), "config", "-q"],
        env=unset,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode != 0 and "POSTGRES_PASSWORD" in refused.stderr


def test_dockerfile_is_small_pinned_non_root_and_checks_health() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"PYTHON_IMAGE=python:3\.11\.\d+-slim", text)
    assert text.count("FROM ") >= 2  # build stage, then a runtime without build tools
    users = re.findall(r"^USER (\S+)", text, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert "requirements.lock" in text and "HEALTHCHECK" in text and "/health" in text
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", ".venv", "var", ".git"} <= set(ignored)
