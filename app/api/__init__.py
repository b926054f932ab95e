"""The REST API over the interview services (FastAPI; OpenAPI docs at /docs)."""
