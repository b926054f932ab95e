"""LLM drafts stay pending and unserved until a reviewer approves them; no LLM, no drafts."""

from __future__ import annotations

from app.bank.drafts import load_drafts, set_review
from app.bank.schema import ReviewStatus, Source
from app.bootstrap import open_store
from app.config import Settings
from app.interview.selection import next_question
from app.llm.client import build_llm
from pipelines.augment import augment
from pipelines.clean import clean
from tests.conftest import MINI_BANK
from tests.llm_server import FakeLLM, Reply
from tests.pipelines.factories import KMEANS_DRAFT, draft_reply, scraped


def _settings(tmp_path, **extra):
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'ff.db'}",
        lancedb_uri=str(tmp_path / "lancedb"),
        bank_dir=MINI_BANK,
        drafts_dir=tmp_path / "drafts",
        embedding_cache=tmp_path / "cache.sqlite",
        _env_file=None,
        **extra,
    )


def _pick_unsupervised(store):
    return next_question(
        store,
        topics=["unsupervised"],
        level="middle",
        asked_ids=[],
        position=0,
        vacancy_text=None,
        seed="s",
    )


def test_without_llm_the_step_records_a_skip(embedder, tmp_path):
    settings = _settings(tmp_path)
    kept, _ = clean([scraped("Как выбрать число кластеров в k-means?")], [], embedder)
    report = augment(kept, build_llm(settings), settings.drafts_dir)
    assert report.skipped and "LLM" in report.reason
    assert report.drafted == 0
    assert load_drafts(settings.drafts_dir) == ([], [])


def test_draft_is_served_only_after_approval(embedder, tmp_path):
    item = scraped("Как выбрать число кластеров в k-means?", spider="habr")
    with FakeLLM() as llm:
        llm.replies.append(Reply(content=draft_reply()))
        settings = _settings(tmp_path, llm_base_url=llm.base_url, llm_model="fake-model")
        from app.bank.loader import load_bank

        kept, _ = clean([item], load_bank(MINI_BANK).questions, embedder)
        report = augment(kept, build_llm(settings), settings.drafts_dir)
        assert "k-means" in llm.last_request.text
    assert report.drafted == 1 and not report.skipped
    (draft,), errors = load_drafts(settings.drafts_dir)
    assert errors == []
    assert draft.question.source is Source.generated
    assert draft.question.review_status is ReviewStatus.pending
    assert draft.question.topic == KMEANS_DRAFT["topic"]
    assert draft.origin.spider == "habr"

    store = open_store(settings, embedder)
    assert draft.question.id not in {q.id for q in store.questions}
    assert _pick_unsupervised(store) is None

    # Drafted once: a rerun does not ask the LLM about the same item again.
    assert augment(kept, None, settings.drafts_dir).already_drafted == 1

    set_review(settings.drafts_dir, draft.question.id, ReviewStatus.approved)
    store = open_store(settings, embedder)
    picked = _pick_unsupervised(store)
    assert picked is not None and picked.id == draft.question.id
