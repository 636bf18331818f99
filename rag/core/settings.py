"""The one settings object. Every value comes from a `RAG_*` environment variable or a CLI option.

Eval reports save `Settings.public_dict()`, which never contains a secret.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

EmbedderName = Literal["hash", "openai"]
EngineName = Literal["offline", "openai", "auto"]
StructuredMethod = Literal["auto", "json_schema", "function_calling", "json_mode"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAG_", extra="ignore", populate_by_name=True)

    store: Path = Field(default=Path(".rag"), description="Folder of the index store (and, locally, of Chroma).")
    chroma_url: str | None = Field(default=None, description="Use a Chroma server (http://host:port) instead of the local store.")
    collection: str = Field(default="plan_rag", description="Chroma collection name.")

    embedder: EmbedderName = Field(default="hash", description="`hash` (offline, hashed character n-grams) or `openai` (an OpenAI-compatible embeddings endpoint).")
    embedding_dim: int = Field(default=512, ge=32, le=8192)
    embedding_model: str = Field(default="text-embedding-3-small")

    openai_base_url: str | None = Field(default=None, validation_alias=AliasChoices("RAG_OPENAI_BASE_URL", "OPENAI_BASE_URL", "openai_base_url"))
    openai_api_key: SecretStr | None = Field(default=None, validation_alias=AliasChoices("RAG_OPENAI_API_KEY", "OPENAI_API_KEY", "openai_api_key"))
    request_timeout: float = Field(default=60.0, gt=0, description="Seconds before any request to a model server is abandoned.")

    engine: EngineName = Field(default="auto", description="`offline`, `openai`, or `auto` (openai when a key or base URL is configured).")
    llm_model: str = Field(default="gpt-4o-mini", description="Chat model name on the OpenAI-compatible server.")
    llm_method: StructuredMethod = Field(default="auto", description="Structured-output method; `auto` picks by base URL.")
    max_retries: int = Field(default=2, ge=0, le=10, description="Retries of a failed request (429, 5xx, timeouts).")
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    concurrency: int = Field(default=4, ge=1, le=64, description="Model requests in flight at once.")
    max_reasks: int = Field(default=1, ge=0, le=5, description="Re-asks of a reply that fails validation, before falling back.")
    max_failed_requests: int = Field(default=6, ge=1, le=1000, description="Failed model requests (retries included) a command spends before it stops asking.")
    llm_cache: Path | None = Field(default=None, description="SQLite response cache (default: llm-cache.sqlite in the store).")
    use_cache: bool = Field(default=True, description="Read and write the response cache.")

    chunk_target: int = Field(default=360, ge=50, description="Characters a chunk aims for.")
    chunk_max: int = Field(default=800, ge=100, description="Characters no chunk exceeds.")
    lock_timeout: float = Field(default=900.0, ge=0, description="Seconds a writer waits for another writer's lock.")
    ingest_workers: int = Field(default=2, ge=1, le=64, description="Processes preparing documents during an ingest.")
    max_file_mb: float = Field(default=20.0, gt=0, description="Files larger than this are skipped with a message.")

    debug: bool = False

    @field_validator("chroma_url")
    @classmethod
    def _url_has_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value or None

    @property
    def model_configured(self) -> bool:
        return self.openai_api_key is not None or self.openai_base_url is not None

    def resolved_engine(self) -> str:
        """The engine `auto` stands for here and now."""
        if self.engine == "auto":
            return "openai" if self.model_configured else "offline"
        return self.engine

    def public_dict(self) -> dict[str, Any]:
        """Settings as saved into reports: secrets reduced to whether they are set."""
        data = self.model_dump(mode="json", exclude={"openai_api_key"})
        data["openai_api_key_set"] = self.openai_api_key is not None
        return data


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with explicit (non-None) overrides from the command line."""
    from pydantic import ValidationError

    from rag.core.errors import ConfigError

    try:
        return Settings(**{key: value for key, value in overrides.items() if value is not None})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from None
