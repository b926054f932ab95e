"""The bank's data pipeline as plain functions: clean, augment, embed and load (no orchestrator)."""
