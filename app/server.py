"""The web process: the REST API (/api/v1, docs at /docs) with the Chainlit chat mounted at /."""

from __future__ import annotations

import os

from fastapi import FastAPI

from app.config import PROJECT_ROOT, Settings

CHAT_SCRIPT = PROJECT_ROOT / "app" / "chat" / "main.py"


def create_app() -> FastAPI:
    """Factory for uvicorn; the chat's config and translations are read from the project root."""
    os.environ.setdefault("CHAINLIT_APP_ROOT", str(PROJECT_ROOT))
    from chainlit.utils import mount_chainlit

    from app.api.app import create_api
    from app.bootstrap import shared_metrics, shared_services
    from app.chat.auth import auth_secret
    from app.logs import configure_logging

    settings = Settings()
    # Each uvicorn worker is a fresh process: it sets up the JSON logs itself.
    configure_logging(settings.log_level, settings.log_file)
    # Chainlit signs its login tokens with this variable only.
    os.environ.setdefault("CHAINLIT_AUTH_SECRET", auth_secret(settings))

    app = create_api(shared_services, shared_metrics())
    # Mounted last: the API routes and /docs match first, everything else is the chat.
    mount_chainlit(app=app, target=str(CHAT_SCRIPT), path="")
    return app
