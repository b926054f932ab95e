"""Monitoring of production data with Evidently: drift, bank quality, pilot metrics."""
