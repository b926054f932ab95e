# FeedbackFirst: the chat and the REST API (`python -m app serve`); the same image runs the MLflow
# server, Dagster and the Evidently UI in docker-compose.yml.
# Pinned by exact tag; for a reproducible release pin the digest too:
#   docker buildx imagetools inspect python:3.11.14-slim-bookworm   (then FROM python:...@sha256:...)
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG UV_VERSION=0.13.9
# torch is locked as 2.13.0+cpu: the CPU wheel comes from PyTorch's CPU index (PyPI's default build
# pulls GBs of CUDA). Offline: `make docker-wheels`, below. The lock holds the dev extra too (one
# lock for every machine); its tools (tests, linters) leave the venv here.
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
WORKDIR /build
# The wildcard lets the build go on when .docker-wheels/ does not exist. `make docker-wheels` fills it
# with every locked file, uv and the sdists' build backend, and marks it COMPLETE: then no index is
# asked at all (an air-gapped host, or one whose TLS proxy the image does not trust); else only the
# wheels found there are taken from it, the rest from PyPI (the hashes in the lock hold either way).
COPY requirements.lock .docker-wheels* /build/
RUN if [ -e /build/COMPLETE ]; then pip_src="--no-index" uv_src="--no-index"; \
    else pip_src="" uv_src="--extra-index-url ${TORCH_INDEX} --index-strategy unsafe-best-match"; fi \
 && pip install $pip_src --find-links /build "uv==${UV_VERSION}" \
 && uv venv --python /usr/local/bin/python /opt/venv \
 && uv pip sync --python /opt/venv/bin/python --no-cache --find-links /build $uv_src requirements.lock \
 && uv pip uninstall --python /opt/venv/bin/python \
      pytest pytest-timeout playwright ruff mypy types-pyyaml schemathesis \
      hypothesis hypothesis-graphql

FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    FEEDBACKFIRST_HOST=0.0.0.0 \
    FEEDBACKFIRST_PORT=8000 \
    DAGSTER_HOME=/app/var/dagster
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=app:app pyproject.toml chainlit.md ./
COPY --chown=app:app .chainlit/ .chainlit/
COPY --chown=app:app app/ app/
COPY --chown=app:app bank/ bank/
COPY --chown=app:app data/drafts/ data/drafts/
COPY --chown=app:app pipelines/ pipelines/
COPY --chown=app:app scrapers/ scrapers/
COPY --chown=app:app monitoring/ monitoring/
COPY --chown=app:app evaluation/ evaluation/
COPY --chown=app:app dagster_project/ dagster_project/
# var/ holds the LanceDB bank, the embedding cache, the SQLite fallback and Dagster's home; a named
# volume mounted here starts as a copy of it, owned by the app user.
RUN mkdir -p /app/var/dagster /app/var/evidently /app/var/mlflow \
 && chown app:app /app && chown -R app:app /app/var /app/.chainlit
USER app
EXPOSE 8000
# Liveness only; readiness (database + bank) is GET /ready for an orchestrator.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
CMD ["python", "-m", "app", "serve"]
