"""Per-chat state of the interview, kept in Chainlit's user session."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ChatState:
    candidate_id: str
    stage: str = "level"  # level -> mode -> (vacancy | topic) -> question <-> feedback -> finished
    level: str = "middle"
    session_id: str | None = None
    question_id: str | None = None
    number: int = 0
    # The answer a follow-up question was asked about; the reply is graded together with it.
    follow_up_of: str | None = None
    # Buttons of the last message, removed when the next message comes.
    actions: list[Any] = field(default_factory=list)
