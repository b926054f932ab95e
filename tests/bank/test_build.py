"""The served index follows the YAML: built when missing, rebuilt when a question changes."""

import shutil
from pathlib import Path

from app.bank.build import ensure_bank
from app.bank.store import QuestionStore
from app.nlp.cache import CachedEmbedder
from app.nlp.embedder import Embedder
from tests.conftest import MINI_BANK


def test_index_is_rebuilt_only_when_the_bank_changes(embedder: Embedder, tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(MINI_BANK, bank)
    uri = str(tmp_path / "lancedb")
    cached = CachedEmbedder(embedder, tmp_path / "cache.sqlite")
    assert ensure_bank(bank, uri, cached) is True
    assert ensure_bank(bank, uri, cached) is False
    path = bank / "mini.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Что такое переобучение", "Что такое переобучение модели"), "utf-8"
    )
    assert ensure_bank(bank, uri, cached) is True
    store = QuestionStore(uri, embedder)
    assert store.get("ml_basics.overfitting_test").question.startswith(
        "Что такое переобучение модели"
    )
