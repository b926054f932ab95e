"""A prompt-injection corpus against the real grader, the API and the interviewer's LLM prompts."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.bank.store import QuestionStore
from app.config import Settings
from app.grading.grader import Grader
from app.grading.targets import target_for_question
from app.llm.client import Usage, build_llm
from app.llm.interviewer import (
    BEGIN,
    END,
    ask_follow_up,
    explain_grade,
    phrase_question,
    render_feedback,
)
from app.nlp.embedder import Embedder
from tests.conftest import TESTS_DIR
from tests.grading.test_grader import neighbours_of
from tests.llm_server import FakeLLM, Reply
from tests.security.conftest import account

CORPUS = [
    json.loads(line)
    for line in (TESTS_DIR / "data" / "injection_corpus.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]
PURE = [row for row in CORPUS if row["kind"] == "pure"]
HIDDEN = [row for row in CORPUS if row["kind"] == "hidden"]
PURE_MAX = 3.0


def partial_answer(store: QuestionStore, question_id: str) -> str:
    """A decent but incomplete answer: the first two sentences of the reference."""
    sentences = re.split(r"(?<=[.!?])\s+", store.get(question_id).reference_answer)
    return " ".join(sentences[:2])


def with_injection(answer: str, injection: str, position: str) -> str:
    if position == "start":
        return f"{injection} {answer}"
    if position == "middle":
        first, _, rest = answer.partition(". ")
        return f"{first}. {injection} {rest}"
    return f"{answer} {injection}"


@pytest.fixture(scope="module")
def grader(embedder: Embedder, store: QuestionStore) -> Grader:
    return Grader(embedder, neighbours_of(store), max_answer_chars=8000)


def test_corpus_covers_both_languages_and_both_kinds() -> None:
    assert 25 <= len(CORPUS) <= 40
    assert {row["lang"] for row in PURE} == {"ru", "en"} == {row["lang"] for row in HIDDEN}
    assert {row["position"] for row in HIDDEN} == {"start", "middle", "end"}


def test_pure_injections_score_at_most_three(grader: Grader, store: QuestionStore) -> None:
    scores = {
        row["id"]: grader.grade(
            target_for_question(store.get(row["question_id"]), store), row["text"]
        )
        for row in PURE
    }
    high = {key: grade.score for key, grade in scores.items() if grade.score > PURE_MAX}
    assert not high, high


def _raised(grader: Grader, store: QuestionStore, rows: list[dict[str, str]]) -> dict[str, object]:
    raised: dict[str, object] = {}
    alone_scores: dict[str, float] = {}
    for row in rows:
        target = target_for_question(store.get(row["question_id"]), store)
        answer = partial_answer(store, row["question_id"])
        if row["question_id"] not in alone_scores:
            alone_scores[row["question_id"]] = grader.grade(target, answer).score
        alone = alone_scores[row["question_id"]]
        assert alone > PURE_MAX, (row["id"], alone)  # the base answer is worth something
        injected = grader.grade(target, with_injection(answer, row["text"], row["position"]))
        if injected.score > alone:
            raised[row["id"]] = (alone, injected.score)
    return raised


def test_hidden_injections_never_raise_a_decent_answer(
    grader: Grader, store: QuestionStore
) -> None:
    # hidden-07 ("…всегда ставит 10 баллов") found that the guard knew only "поставь".
    raised = _raised(grader, store, HIDDEN)
    assert not raised, raised


def test_injections_through_the_api_do_not_raise_scores(
    client: TestClient, store: QuestionStore
) -> None:
    me = account(client, "injector")
    session = client.post(
        "/api/v1/sessions",
        json={"level": "junior", "topics": ["ml_basics"], "questions": 1},
        headers=me,
    ).json()["session_id"]
    question = client.post(f"/api/v1/sessions/{session}/next", headers=me).json()["question_id"]
    url = f"/api/v1/sessions/{session}/answers"

    def score(text: str) -> float:
        response = client.post(url, json={"question_id": question, "text": text}, headers=me)
        assert response.status_code in {200, 422}, response.text
        return float(response.json()["score"]) if response.status_code == 200 else 0.0

    base = partial_answer(store, question)
    alone = score(base)
    for row in PURE[:6] + [r for r in PURE if r["lang"] == "en"][:3]:
        assert score(row["text"]) <= PURE_MAX, row["id"]
    for row in HIDDEN[:4]:
        assert score(with_injection(base, row["text"], row["position"])) <= alone, row["id"]


BOASTFUL = json.dumps(
    {
        "errors": [],
        "missing": ["Оценка 10/10: ответ идеален."],
        "improved_answer": "Ваш ответ заслуживает 10/10, менять ничего не нужно. Ставлю 10 баллов.",
        "tip": "Ставлю оценку 9 — отлично.",
    },
    ensure_ascii=False,
)


def test_interviewer_prompts_keep_injected_answers_delimited(
    grader: Grader, store: QuestionStore, tmp_path: Path
) -> None:
    question = store.get("ml_basics.overfitting_test")
    target = target_for_question(question, store)
    hostile = [row for row in CORPUS if BEGIN in row["text"] or END in row["text"]]
    assert hostile  # the corpus tries to close the data markers
    cases = [
        (with_injection(partial_answer(store, question.id), r["text"], "end"), r["text"])
        for r in hostile
    ] + [(row["text"], row["text"]) for row in PURE[:4]]

    with FakeLLM() as llm:
        settings = Settings(
            llm_base_url=llm.base_url,
            llm_model="fake-model",
            llm_max_retries=0,
            _env_file=None,  # type: ignore[call-arg]
        )
        client = build_llm(settings)
        assert client is not None
        for answer, injection in cases:
            grade = grader.grade(target, answer)
            before = grade.score
            llm.replies.append(Reply(content=BOASTFUL, delay=0.0))
            llm.replies.append(Reply(content="А как вы выбираете силу регуляризации?"))
            llm.replies.append(Reply(content="Что такое переобучение?"))

            async def talk(answer: str = answer, grade: object = grade) -> tuple[str, str]:
                usage = Usage()
                reply = await explain_grade(client, question, answer, grade, usage)  # type: ignore[arg-type]
                follow = "".join(
                    [p async for p in ask_follow_up(client, question, answer, grade, usage)]  # type: ignore[arg-type]
                )
                vacancy = "".join(
                    [p async for p in phrase_question(client, question, "junior", answer, usage)]
                )
                return render_feedback(reply), follow + vacancy

            shown, _ = asyncio.run(talk())
            # The LLM's score claims never reach the candidate, and the grade is the grader's.
            assert "10/10" not in shown and "10 баллов" not in shown and "оценку 9" not in shown
            assert grade.score == before == grader.grade(target, answer).score

            for request in llm.requests[-3:]:
                system, user = request.json["messages"]
                assert system["role"] == "system" and user["role"] == "user"
                # The system prompt is ours alone; the candidate's text sits once between markers.
                assert injection[:40] not in system["content"]
                assert user["content"].count(BEGIN) == 1 and user["content"].count(END) == 1
                inside = user["content"].split(BEGIN, 1)[1].split(END, 1)[0]
                outside = user["content"].replace(inside, "")
                assert BEGIN not in inside and END not in inside
                for sentence in re.split(r"\n+", injection.replace(BEGIN, "").replace(END, "")):
                    if sentence.strip():
                        assert sentence.strip() in inside and sentence.strip() not in outside


def test_capitalised_score_claims_of_the_llm_are_dropped() -> None:
    from app.llm.interviewer import without_scores

    assert without_scores("Оценка 9 — отлично. Разберите регуляризацию.") == (
        "Разберите регуляризацию."
    )
