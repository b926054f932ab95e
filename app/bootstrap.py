"""The composition root: settings in, every service of a process out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.accounts.service import AccountService
from app.bank.build import ensure_bank
from app.bank.store import QuestionStore
from app.config import Settings
from app.grading.grader import Grader
from app.grading.scoring import ScoreModel
from app.grading.targets import neighbours_of
from app.grading.types import Neighbours
from app.interview.service import InterviewService
from app.llm.client import LLMClient, build_llm
from app.nlp.cache import CachedEmbedder
from app.nlp.embedder import Embedder, build_embedder
from app.nlp.tokens import MiniLMTokenEncoder
from app.observability import Metrics
from app.storage.db import make_engine, make_sessionmaker, upgrade


@dataclass
class Services:
    settings: Settings
    embedder: Embedder
    store: QuestionStore
    grader: Grader
    engine: Engine
    sessions: sessionmaker[Session]
    interview: InterviewService
    accounts: AccountService
    llm: LLMClient | None = None


def build_grader(
    settings: Settings, embedder: Embedder, neighbours: Neighbours | None = None
) -> Grader:
    model = ScoreModel.load(settings.grader_model) if settings.grader_model else None
    return Grader(
        embedder,
        neighbours,
        max_answer_chars=settings.max_answer_chars,
        model=model,
        tokens=MiniLMTokenEncoder(),
    )


def bank_embedder(settings: Settings, embedder: Embedder) -> CachedEmbedder:
    """The embedder for bank texts: cached on disk, never used for candidates' answers."""
    return CachedEmbedder(embedder, settings.embedding_cache)


def prepare_bank(settings: Settings, embedder: Embedder) -> bool:
    """Build the served bank from the curated YAML if missing or stale; True when it was built."""
    if settings.bank_version is not None:  # a pinned bank is served as it was built
        return False
    cached = bank_embedder(settings, embedder)
    try:
        return ensure_bank(settings.bank_dir, settings.lancedb_uri, cached, settings.drafts_dir)
    finally:
        cached.close()


def open_store(settings: Settings, embedder: Embedder) -> QuestionStore:
    """The served bank; built from the curated YAML first if it is missing."""
    prepare_bank(settings, embedder)
    return QuestionStore(settings.lancedb_uri, embedder, settings.bank_version)


def build_services(
    settings: Settings, embedder: Embedder | None = None, metrics: Metrics | None = None
) -> Services:
    """Every service of a process; `metrics`, when given, is told of answers and LLM calls."""
    embedder = embedder or build_embedder(settings)
    store = open_store(settings, embedder)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    grader = build_grader(settings, embedder, neighbours_of(store))
    interview = InterviewService(
        store,
        grader,
        sessions,
        relearn_after=timedelta(minutes=settings.relearn_after_minutes),
        on_answer=metrics.answer if metrics else None,
    )
    llm = build_llm(settings, metrics.llm_call if metrics else None)
    accounts = AccountService(sessions)
    return Services(settings, embedder, store, grader, engine, sessions, interview, accounts, llm)


@lru_cache(maxsize=1)
def shared_metrics() -> Metrics:
    """The process's metrics, shared by the API's /metrics and the services that feed them."""
    return Metrics()


@lru_cache(maxsize=1)
def shared_services() -> Services:
    """The process's services, built on first use (the chat and the API share them)."""
    return build_services(Settings(), metrics=shared_metrics())
