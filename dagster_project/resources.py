"""Resources built from the app's own Settings: paths, the bank's cached embedder, the LLM."""

from pathlib import Path
from typing import Any

from dagster import ConfigurableResource, InitResourceContext, ResourceDefinition

from app.bank.schema import TOPICS
from app.bootstrap import bank_embedder
from app.config import Settings
from app.llm.client import build_llm
from app.nlp.embedder import build_embedder


class PipelineSettings(ConfigurableResource):  # type: ignore[type-arg]
    """The app's Settings (environment, .env) with optional per-deployment overrides."""

    bank_dir: str | None = None
    drafts_dir: str | None = None
    raw_dir: str | None = None
    lancedb_uri: str | None = None
    interim_dir: str = "data/interim"
    # Topics the served bank must cover; empty means every canonical topic.
    required_topics: list[str] = []

    def settings(self) -> Settings:
        overrides: dict[str, Any] = {
            key: value
            for key, value in (
                ("bank_dir", self.bank_dir),
                ("drafts_dir", self.drafts_dir),
                ("raw_dir", self.raw_dir),
                ("lancedb_uri", self.lancedb_uri),
            )
            if value is not None
        }
        return Settings(**overrides)

    @property
    def clean_path(self) -> Path:
        return Path(self.interim_dir) / "clean.jsonl"

    @property
    def topics(self) -> list[str]:
        return list(self.required_topics) or list(TOPICS)


def _embedder(context: InitResourceContext) -> Any:
    settings = context.resources.pipeline_settings.settings()
    return bank_embedder(settings, build_embedder(settings))


def _llm(context: InitResourceContext) -> Any:
    return build_llm(context.resources.pipeline_settings.settings())


# Built when a run starts, never when the code location loads.
embedder_resource = ResourceDefinition(
    resource_fn=_embedder, required_resource_keys={"pipeline_settings"}
)
llm_resource = ResourceDefinition(resource_fn=_llm, required_resource_keys={"pipeline_settings"})
