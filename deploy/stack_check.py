"""Bring the production stack up with docker-compose and check it as a user would.

Builds the image, starts every service from scratch (a compose project of its own, so the volumes
of a real deployment are never touched), then checks the probes, a candidate's interview through
the REST API, the answer row in PostgreSQL, the chat page, metrics, MLflow, Dagster, the Evidently
UI, JSON logs without the answer's text, the non-root uid, shared rate-limit buckets in Redis and
recovery from a PostgreSQL restart. Writes what it saw to bench/results/stack_check.json and leaves
the stack down (volumes removed) unless --keep. Needs a Docker engine: not part of CI.

    python3 deploy/stack_check.py --offline      # stand-in base images (deploy/offline/)
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OFFLINE_IMAGES = {
    "PYTHON_IMAGE": "feedbackfirst-offline/python:3.11-bookworm",
    "POSTGRES_IMAGE": "feedbackfirst-offline/postgres:15-bookworm",
    "REDIS_IMAGE": "feedbackfirst-offline/redis:7-bookworm",
}
SERVICES = [
    "app",
    "postgres",
    "redis",
    "mlflow",
    "dagster-webserver",
    "dagster-daemon",
    "evidently",
]


class Stack:
    def __init__(self, project: str, env: dict[str, str], port: int) -> None:
        self.project, self.env, self.base = project, env, f"http://127.0.0.1:{port}"

    def compose(self, *args: str, check: bool = True, timeout: float = 1800) -> str:
        done = subprocess.run(
            ["docker-compose", "-p", self.project, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"docker-compose {' '.join(args)}: {done.stderr[-2000:]}")
        return done.stdout

    def psql(self, sql: str) -> str:
        return self.compose(
            "exec", "-T", "postgres", "psql", "-U", "feedbackfirst", "-d", "feedbackfirst",
            "-tAc", sql,
        ).strip()  # fmt: skip

    def health(self, service: str) -> str:
        cid = self.compose("ps", "-q", service).strip()
        if not cid:
            return "missing"
        out = subprocess.run(
            ["docker", "inspect", "-f", "{{.State.Status}} {{if .State.Health}}"
             "{{.State.Health.Status}}{{end}}", cid],
            capture_output=True, text=True, check=False,
        ).stdout.split()  # fmt: skip
        return out[-1] if out else "missing"


def http(
    url: str, body: Any = None, token: str | None = None, timeout: float = 30
) -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except OSError as error:
        return 0, type(error).__name__


def wait_for(predicate: Any, timeout: float, step: float = 2.0) -> float | None:
    """Seconds until predicate() is true, None if it never was within timeout."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return round(time.monotonic() - start, 1)
        time.sleep(step)
    return None


def answer_one(stack: Stack, token: str, session_id: str, text: str) -> dict[str, Any]:
    status, body = http(f"{stack.base}/api/v1/sessions/{session_id}/next", {}, token)
    if status != 200:
        return {"next_status": status, "body": body[:300]}
    question = json.loads(body)
    started = time.monotonic()
    status, body = http(
        f"{stack.base}/api/v1/sessions/{session_id}/answers",
        {"question_id": question["question_id"], "text": text},
        token,
    )
    graded = json.loads(body) if status == 200 else {}
    return {
        "question_id": question["question_id"],
        "status": status,
        "seconds": round(time.monotonic() - started, 2),
        "score": graded.get("score"),
        "off_topic": graded.get("off_topic"),
        "feedback_chars": len(graded.get("feedback", "")),
    }


def check(stack: Stack, results: dict[str, Any]) -> None:
    base = stack.base
    probes = {path: http(base + path)[0] for path in ("/health", "/ready", "/metrics")}
    status, page = http(base + "/")
    probes["/ (chat page)"] = status if "<html" in page.lower() else -status
    probes["mlflow :5000/health"] = http("http://127.0.0.1:5000/health")[0]
    status, body = http("http://127.0.0.1:3000/graphql", {"query": "{ version }"})
    probes["dagster :3000/graphql"] = status if '"version"' in body else -status
    probes["evidently :8001/"] = http("http://127.0.0.1:8001/")[0]
    results["http"] = probes

    # A candidate, as the REST API documents it; the marker shows where the answer text went.
    marker = f"stackcheck{secrets.token_hex(4)}"
    answer = (
        f"Переобучение ({marker}) — модель запоминает шум обучающей выборки и плохо обобщает; "
        "помогают регуляризация, кросс-валидация, больше данных и ранняя остановка."
    )
    flow: dict[str, Any] = {}
    user = {"username": f"check_{secrets.token_hex(4)}", "password": secrets.token_urlsafe(12)}
    status, body = http(base + "/api/v1/accounts", user)
    flow["register"] = status
    status, body = http(base + "/api/v1/tokens", user)
    flow["sign_in"] = status
    token = json.loads(body)["token"]
    session = {"level": "junior", "topics": ["ml_basics"], "questions": 3}
    status, body = http(base + "/api/v1/sessions", session, token)
    flow["session"] = status
    session_id = json.loads(body)["session_id"]
    flow["answer"] = answer_one(stack, token, session_id, answer)
    flow["rows_in_postgres"] = int(
        stack.psql(f"SELECT count(*) FROM answers WHERE text LIKE '%{marker}%'")
    )
    flow["redis_buckets"] = len(stack.compose("exec", "-T", "redis", "redis-cli", "--scan").split())
    results["candidate_flow"] = flow

    # PostgreSQL restarted under the running app: refused while down, then served again.
    fault: dict[str, Any] = {}
    stack.compose("stop", "postgres")
    fault["ready_while_down"] = http(base + "/ready")[0]
    fault["answer_while_down"] = answer_one(stack, token, session_id, answer)
    stack.compose("start", "postgres")
    fault["seconds_to_ready_again"] = wait_for(lambda: http(base + "/ready")[0] == 200, 120)
    fault["answer_after"] = answer_one(stack, token, session_id, answer)
    fault["rows_in_postgres"] = int(
        stack.psql(f"SELECT count(*) FROM answers WHERE text LIKE '%{marker}%'")
    )
    results["postgres_restart"] = fault

    logs = stack.compose("logs", "--no-color", "app")
    lines = [line.split("|", 1)[1].strip() for line in logs.splitlines() if "|" in line]
    parsed = 0
    for line in lines:
        try:
            parsed += isinstance(json.loads(line), dict)
        except ValueError:
            pass
    not_json = [line[:160] for line in lines if not line.startswith("{")][:5]
    results["logs"] = {
        "lines": len(lines),
        "json_lines": parsed,
        "not_json_sample": not_json,
        "answer_text_in_logs": marker in logs,
    }
    results["app_uid"] = stack.compose("exec", "-T", "app", "id", "-u").strip()
    # The restarted PostgreSQL's own healthcheck needs a few seconds to report again.
    wait_for(lambda: all(stack.health(name) == "healthy" for name in SERVICES), 120)
    results["services"] = {name: stack.health(name) for name in SERVICES}


def image_sizes(env: dict[str, str]) -> dict[str, str]:
    names = [f"feedbackfirst:{env.get('FEEDBACKFIRST_IMAGE_TAG', 'latest')}"]
    names += [env[key] for key in OFFLINE_IMAGES if key in env]
    sizes = {}
    for name in names:
        out = subprocess.run(
            ["docker", "image", "inspect", "-f", "{{.Size}}", name],
            capture_output=True, text=True, check=False,
        ).stdout.strip()  # fmt: skip
        sizes[name] = f"{int(out) / 1e6:.0f} MB" if out else "absent"
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offline", action="store_true", help="use deploy/offline/ stand-ins")
    parser.add_argument("--no-cache", action="store_true", help="build the image from scratch")
    parser.add_argument("--keep", action="store_true", help="leave the stack running")
    parser.add_argument("--project", default="feedbackfirst-check")
    parser.add_argument("--port", type=int, default=int(os.environ.get("FEEDBACKFIRST_PORT", 8000)))
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/stack_check.json")
    args = parser.parse_args()

    env = dict(os.environ)
    env["FEEDBACKFIRST_PORT"] = str(args.port)
    # Fresh secrets for a fresh project; a real deployment keeps its own in .env.
    env["POSTGRES_PASSWORD"] = secrets.token_hex(24)
    env["FEEDBACKFIRST_CHAT_AUTH_SECRET"] = secrets.token_hex(24)
    if args.offline:
        env.update(OFFLINE_IMAGES)
        missing = [i for i in OFFLINE_IMAGES.values() if subprocess.call(
            ["docker", "image", "inspect", i], stdout=subprocess.DEVNULL) != 0]  # fmt: skip
        if missing:
            subprocess.run(["bash", "deploy/offline/build.sh"], cwd=ROOT, check=True)
        if not (ROOT / ".docker-wheels/COMPLETE").exists():
            subprocess.run(["make", "docker-wheels"], cwd=ROOT, check=True)
    stack = Stack(args.project, env, args.port)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "docker": subprocess.run(
            ["docker", "version", "-f", "{{.Server.Version}}"], capture_output=True, text=True
        ).stdout.strip(),
        "compose": stack.compose("version", "--short").strip(),
        "images": {key: env.get(key, "(default: official pinned tag)") for key in OFFLINE_IMAGES},
    }
    stack.compose("down", "-v", "--remove-orphans")
    started = time.monotonic()
    # One build: every service of ours runs this image (compose v1 would build it once each).
    stack.compose("build", *(["--no-cache"] if args.no_cache else []), "app")
    results["build_seconds"] = round(time.monotonic() - started, 1)
    results["build_cache"] = not args.no_cache
    results["image_sizes"] = image_sizes(env)

    started = time.monotonic()
    stack.compose("up", "-d")

    def all_healthy() -> bool:
        return all(stack.health(name) == "healthy" for name in SERVICES)

    ready = wait_for(lambda: http(stack.base + "/ready")[0] == 200 and all_healthy(), 900, 3)
    results["first_start_seconds_to_ready"] = (
        round(time.monotonic() - started, 1) if ready is not None else None
    )
    try:
        if ready is None:
            results["services"] = {name: stack.health(name) for name in SERVICES}
            results["app_log_tail"] = stack.compose("logs", "--no-color", "--tail=40", "app")
        else:
            check(stack, results)
    finally:
        if not args.keep:
            stack.compose("down", "-v")
    results["ok"] = _verdict(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0 if results["ok"] else 1


def _verdict(r: dict[str, Any]) -> bool:
    flow, fault, logs = (
        r.get("candidate_flow", {}),
        r.get("postgres_restart", {}),
        r.get("logs", {}),
    )
    return bool(
        r.get("first_start_seconds_to_ready") is not None
        and all(status == 200 for status in r.get("http", {0: 0}).values())
        and flow.get("answer", {}).get("status") == 200
        and flow.get("rows_in_postgres") == 1
        and flow.get("redis_buckets", 0) > 0
        and fault.get("ready_while_down") == 503
        and fault.get("seconds_to_ready_again") is not None
        and fault.get("answer_after", {}).get("status") == 200
        and fault.get("rows_in_postgres") == 2  # none while down: /next was refused
        and logs.get("json_lines") == logs.get("lines")
        and logs.get("answer_text_in_logs") is False
        and r.get("app_uid") == "10001"
        and all(s == "healthy" for s in r.get("services", {"x": "missing"}).values())
    )


if __name__ == "__main__":
    sys.exit(main())
