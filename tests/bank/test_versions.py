"""Incremental builds (only changed questions embedded), bank versions, pinning and rollback."""

from __future__ import annotations

from app.bank.loader import load_bank
from app.bank.store import QuestionStore, bank_versions, build_version, rollback
from app.bootstrap import open_store
from app.config import Settings
from app.nlp.embedder import Embedder, Kind, Vectors
from tests.conftest import MINI_BANK


class CountingEmbedder:
    """Passes texts through to a real embedder and remembers every text it was asked for."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.model_id, self.backend, self.dim = inner.model_id, inner.backend, inner.dim
        self.texts: list[str] = []

    def embed(self, texts: list[str], kind: Kind = "passage") -> Vectors:
        self.texts += texts
        return self.inner.embed(texts, kind=kind)


def test_rebuild_with_one_changed_question_embeds_only_it(embedder, tmp_path):
    uri = str(tmp_path / "lancedb")
    questions = load_bank(MINI_BANK).questions
    first = CountingEmbedder(embedder)
    report = build_version(questions, first, uri)
    assert sorted(report.embedded_ids) == sorted(q.id for q in questions)

    changed = questions[1].model_copy(
        update={"question": "Чем precision отличается от recall и когда какая из них важнее?"}
    )
    counting = CountingEmbedder(embedder)
    report = build_version([questions[0], changed, *questions[2:]], counting, uri)

    assert report.embedded_ids == [changed.id]
    assert (report.version.embedded, report.version.reused) == (1, len(questions) - 1)
    assert counting.texts.count(changed.question) == 1
    others = {t for q in questions if q.id != changed.id for t in (q.question, *q.key_points)}
    assert not others & set(counting.texts)
    # An unchanged rebuild embeds nothing at all.
    idle = CountingEmbedder(embedder)
    assert build_version([questions[0], changed, *questions[2:]], idle, uri).embedded_ids == []
    assert idle.texts == []


def test_reused_vectors_equal_fresh_ones_and_versions_pin_and_roll_back(embedder, tmp_path):
    uri = str(tmp_path / "lancedb")
    questions = load_bank(MINI_BANK).questions
    build_version(questions, embedder, uri)
    changed = questions[0].model_copy(update={"question": "Что такое переобучение модели?"})
    build_version([changed, *questions[1:]], embedder, uri)

    latest, pinned = QuestionStore(uri, embedder), QuestionStore(uri, embedder, version=1)
    assert latest.get(changed.id).question == "Что такое переобучение модели?"
    assert pinned.get(changed.id).question == questions[0].question
    kept = questions[2].id
    assert (latest.key_point_vectors(kept) == pinned.key_point_vectors(kept)).all()
    assert (latest.reference_vector(kept) == pinned.reference_vector(kept)).all()
    assert latest.search("переобучение модели", limit=1)[0].question.id == changed.id

    entry = rollback(uri, 1)
    assert entry.version == 3 and entry.note == "rollback to 1"
    assert QuestionStore(uri, embedder).get(changed.id).question == questions[0].question
    assert [v.version for v in bank_versions(uri)] == [1, 2, 3]
    # Versions stay readable after the rollback: version 2 still has the changed question.
    assert QuestionStore(uri, embedder, version=2).get(changed.id).question == changed.question

    # The chat's composition root honours the pin and does not rebuild a pinned bank.
    pinned_settings = Settings(
        lancedb_uri=uri,
        bank_dir=MINI_BANK,
        drafts_dir=tmp_path / "drafts",
        embedding_cache=tmp_path / "cache.sqlite",
        bank_version=2,
        _env_file=None,
    )
    served = open_store(pinned_settings, embedder)
    assert served.get(changed.id).question == changed.question
    assert [v.version for v in bank_versions(uri)] == [1, 2, 3]
