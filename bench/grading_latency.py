"""Latency and memory of one grading without an LLM: p50/p95/p99 and peak RSS, written to a file.

Run: .venv/bin/python bench/grading_latency.py [--runs 100] [--words 150] [--short]
Uses the served bank (built first if missing) and answers of about --words words made from other
questions' references, so every answer is realistic text of the target length. With --short, the
English short-reference answers of tests/data/short_answers.jsonl against their own one-line
references (the MiniLM path), and the time of the first one, which loads the token model.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from app.bootstrap import build_grader, open_store
from app.config import Settings
from app.grading.dataset import load_dataset
from app.grading.evaluate import build_targets
from app.grading.targets import neighbours_of, target_for_question
from app.nlp.embedder import build_embedder

RESULTS = Path(__file__).resolve().parent / "results"
SHORT_ANSWERS = Path(__file__).resolve().parents[1] / "tests" / "data" / "short_answers.jsonl"


def _answer(texts: list[str], words: int, rng: random.Random) -> str:
    chosen: list[str] = []
    pool = texts[:]
    rng.shuffle(pool)
    for text in pool:
        chosen.extend(text.split())
        if len(chosen) >= words:
            break
    return " ".join(chosen[:words]).rstrip(",;:") + "."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--words", type=int, default=150)
    parser.add_argument("--short", action="store_true")
    args = parser.parse_args()
    rng = random.Random(0)
    settings = Settings()
    embedder = build_embedder(settings)
    store = open_store(settings, embedder)
    questions = store.questions
    if args.short:
        rows = load_dataset(SHORT_ANSWERS)
        targets = build_targets(rows, embedder, store)
        grader = build_grader(settings, embedder, targets.neighbours)
        cases = [(targets.by_question[r.question.lower()], r.answer) for r in rows]
    else:
        grader = build_grader(settings, embedder, neighbours_of(store))
        references = [q.reference_answer for q in questions]
        cases = [
            (target_for_question(q, store), _answer(references, args.words, rng))
            for q in rng.sample(questions, min(len(questions), args.runs))
        ]
    start = time.perf_counter()
    grader.grade(*cases[0])
    first_ms = (time.perf_counter() - start) * 1000
    for target, answer in cases[1:3]:  # warm caches (lemmas, model) before timing
        grader.grade(target, answer)
    timings = []
    for i in range(args.runs):
        target, answer = cases[i % len(cases)]
        start = time.perf_counter()
        grader.grade(target, answer)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()

    def pct(p: float) -> float:
        return round(timings[min(len(timings) - 1, int(p * len(timings)))], 1)

    result = {
        "benchmark": "one grading without LLM",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "embedding": f"{embedder.model_id} ({embedder.backend})",
        "bank_questions": len(questions),
        "answers": "tests/data/short_answers.jsonl" if args.short else f"{args.words} words",
        "runs": args.runs,
        "first_grading_ms": round(first_ms, 1),
        "latency_ms": {
            "p50": pct(0.50),
            "p95": pct(0.95),
            "p99": pct(0.99),
            "mean": round(statistics.fmean(timings), 1),
        },
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    out = RESULTS / ("grading_latency_short.json" if args.short else "grading_latency.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
