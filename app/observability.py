"""Prometheus metrics of one process: requests, latency, grading, answers stored, LLM calls."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

# Answer analysis must finish within 3 s (the design's SLA), so buckets are fine around it.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0)


@dataclass
class Metrics:
    """The metrics of a process; labels are routes and outcomes, never users or free text."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.requests = Counter(
            "feedbackfirst_http_requests",
            "HTTP requests by route template, method and status.",
            ["route", "method", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "feedbackfirst_http_request_seconds",
            "HTTP request latency by route template and method.",
            ["route", "method"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.grading = Histogram(
            "feedbackfirst_grading_seconds",
            "Time to grade one answer, by outcome (graded, rejected, failed).",
            ["outcome"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.answers = Counter(
            "feedbackfirst_answers_stored",
            "Answers stored, by what grading made of them.",
            ["outcome"],
            registry=r,
        )
        self.llm = Counter(
            "feedbackfirst_llm_requests",
            "LLM calls by outcome: ok, error (a failed attempt) or circuit_open (skipped).",
            ["outcome"],
            registry=r,
        )

    def request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route, method).observe(seconds)

    def answer(self, outcome: str, seconds: float) -> None:
        """An answer was stored, then graded in `seconds` with `outcome`."""
        self.answers.labels(outcome).inc()
        self.grading.labels(outcome).observe(seconds)

    def llm_call(self, outcome: str) -> None:
        self.llm.labels(outcome).inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
