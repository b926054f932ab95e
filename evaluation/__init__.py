"""Experiments around the domain: MLflow runs of the evaluations, Ragas metrics."""
