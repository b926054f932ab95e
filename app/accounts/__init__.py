"""Accounts, API tokens, and a candidate's own data: export and deletion."""
