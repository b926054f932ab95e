"""The Chainlit chat: thin handlers over the interview service."""
