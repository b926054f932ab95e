"""Answer analysis, scoring and Russian feedback, with no LLM."""
