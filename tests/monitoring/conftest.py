"""A small simulated pilot on the mini bank, shared by the monitoring tests of a run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.bank.store import QuestionStore
from app.grading.grader import Grader
from app.grading.targets import neighbours_of
from app.nlp.embedder import Embedder
from app.pilot.memo import MemoEmbedder
from app.pilot.simulate import SimulationResult, simulate
from app.storage.db import make_engine, make_sessionmaker, upgrade

PILOT_START = datetime(2026, 11, 1, tzinfo=UTC)
PILOT_END = datetime(2026, 11, 28, 23, 59, tzinfo=UTC)


@dataclass(frozen=True)
class SimulatedPilot:
    url: str
    path: Path
    sessions: sessionmaker[Session]
    result: SimulationResult


def run_simulation(
    path: Path, index: str, embedder: Embedder, users: int, seed: int = 7
) -> SimulatedPilot:
    """What `pilot simulate` does, on the mini bank's index and a fresh SQLite file."""
    url = f"sqlite:///{path}"
    upgrade(url)
    sessions = make_sessionmaker(make_engine(url))
    store = QuestionStore(index, MemoEmbedder(embedder))
    grader = Grader(store.embedder, neighbours_of(store))
    result = simulate(store, grader, sessions, users, seed=seed, start=PILOT_START, days=28)
    return SimulatedPilot(url, path, sessions, result)


@pytest.fixture(scope="session")
def simulated(
    tmp_path_factory: pytest.TempPathFactory, mini_index: str, embedder: Embedder
) -> SimulatedPilot:
    """Eight synthetic users over four weeks of November 2026 (read-only for the tests)."""
    return run_simulation(tmp_path_factory.mktemp("pilot") / "ff.db", mini_index, embedder, 8)
