"""Per-chat state of the interview, kept in Chainlit's user session."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Stages: level -> mode -> (vacancy -> experience | topic) -> plan (-> add_topic) ->
# confidence -> question <-> feedback -> finished
PERSISTED = ("stage", "level", "session_id", "question_id", "number", "plan", "count")


@dataclass
class ChatState:
    candidate_id: str
    stage: str = "level"
    level: str = "middle"
    session_id: str | None = None
    question_id: str | None = None
    number: int = 0
    # Onboarding: the vacancy and experience texts, then the editable plan [(topic, weight)].
    vacancy: str | None = None
    plan: list[tuple[str, float]] = field(default_factory=list)
    count: int = 5
    # The answer a follow-up question was asked about; the reply is graded together with it.
    follow_up_of: str | None = None
    # Buttons of the last message, removed when the next message comes.
    actions: list[Any] = field(default_factory=list)
    # The plan message, edited in place while the candidate changes the plan.
    plan_message: Any = None

    def snapshot(self) -> dict[str, Any]:
        """What a resumed chat needs (no texts of the candidate, no UI objects)."""
        data = asdict(self)
        return {key: data[key] for key in PERSISTED}

    @classmethod
    def restore(cls, candidate_id: str, snapshot: dict[str, Any]) -> ChatState:
        known = {k: v for k, v in snapshot.items() if k in PERSISTED}
        known["plan"] = [tuple(p) for p in known.get("plan") or []]
        return cls(candidate_id=candidate_id, **known)
