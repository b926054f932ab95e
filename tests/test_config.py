from pathlib import Path

import pytest
from pydantic import ValidationError

from app.config import Settings


def test_defaults_are_embedded_and_need_no_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "LANCEDB_URI", "LLM_BASE_URL", "LLM_MODEL"):
        monkeypatch.delenv(f"FEEDBACKFIRST_{name}", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("var/feedbackfirst.db")
    assert settings.lancedb_uri.endswith("var/lancedb")
    assert settings.embedding_model == "intfloat/multilingual-e5-small"
    assert not settings.llm_configured


def test_environment_and_dotenv_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "FEEDBACKFIRST_LLM_BASE_URL=http://127.0.0.1:9/v1\nFEEDBACKFIRST_LLM_MODEL=local\n"
        "FEEDBACKFIRST_LLM_API_KEY=sk-secret\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("FEEDBACKFIRST_DATABASE_URL", "postgresql://u@h/db")
    settings = Settings(_env_file=env_file)  # type: ignore[call-arg]
    assert settings.database_url == "postgresql://u@h/db"
    assert settings.llm_configured
    assert settings.llm_api_key is not None
    assert "sk-secret" not in repr(settings)


def test_unknown_embedding_backend_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(embedding_backend="magic", _env_file=None)  # type: ignore[call-arg]
