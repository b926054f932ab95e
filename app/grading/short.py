"""Evidence for answers to short references (a one-line fact), where key points say little.

Two signals, both with the question's own words demoted, since restating the question is no answer:
- token recall: how well each word of the reference is matched by some word of the answer
  (contextual token vectors, as in BERTScore), reference words close to the question weighing less;
- demoted similarity: the cosine of what the answer and the reference each add to the question
  (e5 vector of "question answer" minus that of the question, against the same for the reference).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.nlp.embedder import Embedder
from app.nlp.tokens import TokenEncoder, TokenVectors

# Context for the demoted similarity: enough of the answer to say what it adds, bounded cost.
CONTEXT_WORDS = 80
# English function words: matched everywhere, they are no evidence of content.
FUNCTION_WORDS = frozenset(
    "a an the of to in on at by for from with as and or is are was be it its this that".split()
)
MIN_WEIGHT = 0.05


@dataclass(frozen=True)
class ShortEvidence:
    token_recall: float
    demoted_similarity: float


def token_recall(reference: TokenVectors, answer: TokenVectors, question: TokenVectors) -> float:
    """Weighted mean over the reference's content words of their best match in the answer."""
    if not len(answer.vectors) or not len(reference.vectors):
        return 0.0
    best = (reference.vectors @ answer.vectors.T).max(axis=1)
    content = [
        i for i, t in enumerate(reference.tokens) if t.isalpha() and t not in FUNCTION_WORDS
    ] or list(range(len(reference.tokens)))
    near_question = (
        (reference.vectors @ question.vectors.T).max(axis=1)
        if len(question.vectors)
        else np.zeros(len(reference.tokens))
    )
    weights = np.clip(1.0 - near_question[content], MIN_WEIGHT, 1.0)
    return float((best[content] * weights).sum() / weights.sum())


def demoted_similarity(question: str, reference: str, answer: str, embedder: Embedder) -> float:
    """Cosine between what the answer and what the reference add to the question (e5)."""
    head = " ".join(answer.split()[:CONTEXT_WORDS])
    q, with_reference, with_answer = embedder.embed(
        [question, f"{question} {reference}", f"{question} {head}"], kind="query"
    )
    added_by_reference, added_by_answer = with_reference - q, with_answer - q
    norms = float(np.linalg.norm(added_by_reference) * np.linalg.norm(added_by_answer))
    return float(added_by_reference @ added_by_answer / norms) if norms > 0 else 0.0


def short_evidence(
    question: str, reference: str, answer: str, embedder: Embedder, tokens: TokenEncoder
) -> ShortEvidence:
    ref, ans, q = tokens.encode([reference, answer, question])
    return ShortEvidence(
        token_recall=token_recall(ref, ans, q),
        demoted_similarity=demoted_similarity(question, reference, answer, embedder),
    )
