"""FeedbackFirst: the domain of the mock-interview trainer (bank, grading, interview)."""
