"""The embedded grader: validate, analyse, score and explain one answer."""

from __future__ import annotations

from dataclasses import dataclass

from app.grading.analysis import analyse
from app.grading.feedback import compose_feedback
from app.grading.scoring import GRADER_VERSION, ScoreModel, Scores, score
from app.grading.structure import describe
from app.grading.types import (
    Analysis,
    GradingTarget,
    KeyPointEvidence,
    Neighbours,
    OffTopic,
    Thresholds,
)
from app.grading.validation import clean_answer, is_dont_know
from app.nlp.embedder import Embedder
from app.nlp.tokens import TokenEncoder


@dataclass(frozen=True)
class Grade:
    scores: Scores
    off_topic: bool
    covered_key_points: list[int]
    feedback: str
    analysis: Analysis
    grader_version: str = GRADER_VERSION

    @property
    def score(self) -> float:
        return self.scores.overall

    def to_json(self) -> dict[str, object]:
        return {
            "score": self.score,
            "off_topic": self.off_topic,
            "covered_key_points": self.covered_key_points,
            "feedback": self.feedback,
        }


class Grader:
    """Grades answers with the embedder alone; holds the bank's references for off-topic checks."""

    def __init__(
        self,
        embedder: Embedder,
        neighbours: Neighbours | None = None,
        thresholds: Thresholds | None = None,
        max_answer_chars: int = 8000,
        model: ScoreModel | None = None,
        tokens: TokenEncoder | None = None,
    ) -> None:
        self._embedder = embedder
        self._neighbours = neighbours
        self._thresholds = thresholds or Thresholds()
        self._max_chars = max_answer_chars
        self._model = model or ScoreModel.load()
        # Without it, answers to short references are graded like any other.
        self._tokens = tokens

    def analyse(self, target: GradingTarget, answer: str) -> Analysis:
        """The evidence alone (for calibration); raises InvalidAnswer like `grade`."""
        text = clean_answer(answer, self._max_chars)
        return analyse(
            text,
            target,
            self._embedder,
            self._neighbours,
            self._thresholds,
            self._model.points,
            self._tokens,
        )

    def with_model(self, model: ScoreModel) -> Grader:
        """The same grader with another score model (calibration tries candidates)."""
        return Grader(
            self._embedder, self._neighbours, self._thresholds, self._max_chars, model, self._tokens
        )

    def grade(self, target: GradingTarget, answer: str) -> Grade:
        """Raises InvalidAnswer for input that cannot be graded; a 'не знаю' scores 0."""
        text = clean_answer(answer, self._max_chars)
        if is_dont_know(text):
            analysis = _nothing_said(target, text)
            scores = Scores(0.0, 0.0, 0.0, 0.0)
            return Grade(
                scores, False, [], compose_feedback(scores, analysis, target, True), analysis
            )
        analysis = self.analyse(target, text)
        scores = score(analysis, self._model)
        feedback = compose_feedback(scores, analysis, target)
        return Grade(
            scores, analysis.off_topic.flagged, analysis.covered_indexes, feedback, analysis
        )


def _nothing_said(target: GradingTarget, text: str) -> Analysis:
    points = [KeyPointEvidence(i, kp, 0.0, False, None) for i, kp in enumerate(target.key_points)]
    return Analysis(0.0, 0.0, points, OffTopic(False), describe([text], []), [])
