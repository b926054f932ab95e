"""`feedbackfirst bank review|versions|rollback` as a user runs them: a real process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime

from app.bank.drafts import load_drafts, save_draft
from app.bank.loader import load_bank
from app.bank.schema import ReviewStatus
from pipelines.augment import DraftReply, to_draft
from pipelines.clean import CleanItem
from tests.conftest import MINI_BANK
from tests.pipelines.factories import KMEANS_DRAFT


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=os.environ | env,
        timeout=120,
    )


def _pending_draft(drafts_dir):
    item = CleanItem(
        id="0123456789ab",
        question="Как выбрать число кластеров в k-means?",
        answer=None,
        language="ru",
        topic="unsupervised",
        level="middle",
        topic_similarity=0.9,
        source_url="https://habr.com/ru/articles/1/",
        spider="habr",
    )
    draft = to_draft(item, DraftReply.model_validate(KMEANS_DRAFT), "fake-model")
    save_draft(drafts_dir, draft)
    assert draft.origin.generated_at <= datetime.now(UTC)
    return draft.question.id


def test_review_list_approve_reject(tmp_path):
    env = {"FEEDBACKFIRST_DRAFTS_DIR": str(tmp_path / "drafts")}
    draft_id = _pending_draft(tmp_path / "drafts")

    listed = _run(["bank", "review", "list", "--json"], env)
    assert listed.returncode == 0, listed.stderr
    assert [d["id"] for d in json.loads(listed.stdout)] == [draft_id]

    assert _run(["bank", "review", "approve", draft_id], env).returncode == 0
    (draft,), _ = load_drafts(tmp_path / "drafts")
    assert draft.question.review_status is ReviewStatus.approved
    assert json.loads(_run(["bank", "review", "list", "--json"], env).stdout) == []

    assert _run(["bank", "review", "reject", draft_id], env).returncode == 0
    (draft,), _ = load_drafts(tmp_path / "drafts")
    assert draft.question.review_status is ReviewStatus.rejected
    missing = _run(["bank", "review", "approve", "unsupervised.scraped_nope"], env)
    assert missing.returncode == 1 and "не найден" in missing.stderr


def test_versions_and_rollback(tmp_path, mini_index):
    uri = tmp_path / "lancedb"
    shutil.copytree(mini_index, uri)
    env = {"FEEDBACKFIRST_LANCEDB_URI": str(uri)}

    rolled = _run(["bank", "rollback", "1"], env)
    assert rolled.returncode == 0, rolled.stderr
    versions = json.loads(_run(["bank", "versions", "--json"], env).stdout)
    assert [(v["version"], v["note"]) for v in versions] == [(1, ""), (2, "rollback to 1")]
    served = len(load_bank(MINI_BANK).questions)
    assert [v["questions"] for v in versions] == [served, served]
    assert _run(["bank", "rollback", "7"], env).returncode == 1
