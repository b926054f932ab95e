"""An optional LLM behind the OpenAI-compatible Chat Completions API; the product works without it."""
