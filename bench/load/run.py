"""Load test: N simulated candidates against `feedbackfirst serve` on a fresh PostgreSQL database.

Run: .venv/bin/python -m bench.load.run [--users 500] [--think 5 15] [--ramp-up 30]
Starts the loopback FakeLLM (answers in 1-2 s) and configures the server with it, serves the mini
bank, drives every candidate through register, start, next, answer, finish, and writes
bench/results/load.json: p50/p95/p99 of POST answers, throughput, errors, server CPU seconds and
the stored-answer count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

import yaml
from sqlalchemy import create_engine, text

from bench.load.driver import Plan, Results, percentile, run
from tests.e2e.support import free_port, wait_http
from tests.llm_server import FakeLLM, Reply

ROOT = Path(__file__).resolve().parents[2]
MINI_BANK = ROOT / "tests" / "data" / "bank"
RESULTS = ROOT / "bench" / "results" / "load.json"
POSTGRES_ADMIN_URL = os.environ.get(
    "FEEDBACKFIRST_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TICK = os.sysconf("SC_CLK_TCK")


def answer_texts(bank_dir: Path) -> dict[str, list[str]]:
    """Per question: the reference, its first half, the key points joined, and a vague line."""
    texts: dict[str, list[str]] = {}
    for path in sorted(bank_dir.glob("*.yaml")):
        for q in yaml.safe_load(path.read_text("utf-8")):
            sentences = re.split(r"(?<=[.!?])\s+", q["reference_answer"])
            texts[q["id"]] = [
                q["reference_answer"],
                " ".join(sentences[: max(1, len(sentences) // 2)]),
                ". ".join(q["key_points"]) + ".",
                "Честно, помню смутно: " + sentences[0],
            ]
    return texts


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    """User + system CPU so far of a process and its live children (uvicorn's workers)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = _stat(int(entry.name))
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def server_command(port: int, workers: int) -> list[str]:
    return [sys.executable, "-m", "app", "serve", "--port", str(port), "--workers", str(workers)]


def machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return float(sum(values) - idle), float(sum(values))


def fresh_database() -> tuple[str, str]:
    name = f"ff_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, f"{POSTGRES_ADMIN_URL.rpartition('/')[0]}/{name}"


def drop_database(name: str) -> None:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def stored(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT status, count(*) FROM answers GROUP BY status")).all()
        grades = conn.execute(text("SELECT count(*) FROM grades")).scalar_one()
    engine.dispose()
    return {**{str(s): int(n) for s, n in rows}, "grades": int(grades)}


def summary(results: Results, plan: Plan) -> dict[str, object]:
    lat = results.answer_latencies
    duration = results.ended - results.started
    requests = len(lat) + len(results.other_latencies)
    return {
        "answers_ok": results.answers_ok,
        "sessions_finished": results.sessions_finished,
        "errors": results.errors,
        "error_count": sum(results.errors.values()),
        "answer_latency_s": {
            "p50": percentile(lat, 50),
            "p95": percentile(lat, 95),
            "p99": percentile(lat, 99),
            "max": max(lat) if lat else None,
        },
        "other_latency_s": {
            "p50": percentile(results.other_latencies, 50),
            "p95": percentile(results.other_latencies, 95),
        },
        "step_latency_s": {
            step: {"p50": percentile(v, 50), "p95": percentile(v, 95), "n": len(v)}
            for step, v in results.step_latencies.items()
        },
        "duration_s": round(duration, 1),
        "throughput_rps": round(requests / duration, 2) if duration else None,
        "answers_per_s": round(len(lat) / duration, 2) if duration else None,
        "users": plan.users,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=500)
    # A candidate reads a question and types an answer: 20-60 s between actions, arriving over
    # the first minute. `--think 5 15 --ramp-up 30` is the compressed (harsher) variant.
    parser.add_argument("--think", type=float, nargs=2, default=(20.0, 60.0))
    parser.add_argument("--ramp-up", type=float, default=60.0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    texts = answer_texts(MINI_BANK)
    plan = Plan(
        users=args.users,
        think=(args.think[0], args.think[1]),
        ramp_up=args.ramp_up,
        topics=tuple(sorted({qid.split(".")[0] for qid in texts})),
    )

    rng = random.Random(1)
    db_name, db_url = fresh_database()
    with (
        FakeLLM(responder=lambda _body: "Хорошо, продолжим.") as llm,
        tempfile.TemporaryDirectory() as tmp,
    ):
        # Every LLM call, if any reaches it, takes 1-2 s.
        llm.default = Reply(delay=rng.uniform(1.0, 2.0))
        port = free_port()
        env = dict(
            os.environ,
            FEEDBACKFIRST_BANK_DIR=str(MINI_BANK),
            FEEDBACKFIRST_LANCEDB_URI=str(Path(tmp) / "lancedb"),
            FEEDBACKFIRST_EMBEDDING_CACHE=str(Path(tmp) / "cache.sqlite"),
            FEEDBACKFIRST_DATABASE_URL=db_url,
            FEEDBACKFIRST_DRAFTS_DIR=str(Path(tmp) / "drafts"),
            FEEDBACKFIRST_CHAT_AUTH_SECRET="load-secret-" + "x" * 32,
            FEEDBACKFIRST_LLM_BASE_URL=llm.base_url,
            FEEDBACKFIRST_LLM_MODEL="fake-model",
            FEEDBACKFIRST_LLM_API_KEY="load",
            FEEDBACKFIRST_MLFLOW_ENABLED="false",
        )
        with (Path(tmp) / "server.log").open("wb") as log:
            server = subprocess.Popen(  # noqa: S603 - our own CLI
                server_command(port, args.workers),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                base = f"http://127.0.0.1:{port}"
                wait_http(base + "/", server)
                # Warm the grader (first call loads the model) outside the measurement.
                warm_plan = Plan(users=1, think=(0, 0), ramp_up=0, topics=plan.topics, seed=0)
                warm = asyncio.run(run(base, warm_plan, texts))
                cpu_before, machine_before = cpu_seconds(server.pid), machine_cpu()
                results = asyncio.run(run(base, plan, texts))
                cpu_used = cpu_seconds(server.pid) - cpu_before
                machine_after = machine_cpu()
            finally:
                server.terminate()
                server.wait(timeout=30)
        rows = stored(db_url)
        llm_calls = len(llm.requests)
        drop_database(db_name)

    report = summary(results, plan)
    busy = (machine_after[0] - machine_before[0]) / max(1.0, machine_after[1] - machine_before[1])
    answers = max(1, len(results.answer_latencies))
    report.update(
        {
            "benchmark": "load: simulated candidates on the REST API",
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "server": (
                "feedbackfirst serve (one uvicorn worker)"
                if args.workers <= 1
                else f"uvicorn app.server:create_app, {args.workers} workers"
            )
            + ", PostgreSQL 127.0.0.1:5432",
            "database": db_name,
            "bank": "tests/data/bank (mini, 5 questions)",
            "think_time_s": list(plan.think),
            "ramp_up_s": plan.ramp_up,
            "llm": "loopback FakeLLM, 1-2 s per call",
            "llm_calls": llm_calls,
            "server_cpu_s": round(cpu_used, 1),
            "server_cpu_s_per_request": round(
                cpu_used / max(1, answers + len(results.other_latencies)), 4
            ),
            "server_cpu_s_per_candidate": round(cpu_used / max(1, plan.users), 4),
            "machine_cpu_busy": round(busy, 3),
            "stored": rows,
            # Every answer the API acknowledged is a graded row with its grade (warm-up included).
            "every_answer_stored": rows.get("graded", 0)
            == rows["grades"]
            == results.answers_ok + warm.answers_ok,
        }
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
