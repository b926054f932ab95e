"""Turns the evidence of an analysis into a 0-10 score."""

from __future__ import annotations

from app.grading.analysis import Analysis

GRADER_VERSION = "embedded-0.1"

OFF_TOPIC_CAP = 2.0
SHORT_ANSWER_WORDS = 6
SHORT_ANSWER_CAP = 3.0


def overall_score(analysis: Analysis) -> float:
    """Coverage of key points weighs most; closeness to the reference fills in the rest."""
    raw = 10.0 * (0.6 * analysis.coverage + 0.4 * analysis.similarity_norm)
    if analysis.off_topic.flagged:
        raw = min(raw, OFF_TOPIC_CAP)
    if analysis.word_count < SHORT_ANSWER_WORDS:
        raw = min(raw, SHORT_ANSWER_CAP)
    return round(max(0.0, min(10.0, raw)), 1)
