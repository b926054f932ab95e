"""Dagster wrapper of the bank pipeline: `dagster dev -m dagster_project` opens the asset graph."""

from dagster_project.definitions import defs

__all__ = ["defs"]
