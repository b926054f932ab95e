"""Interview flow: planning topics, choosing questions, recording answers, summaries."""
