"""Embeddings: the offline hashed character n-gram embedder and an OpenAI-compatible one.

Both are registered with Chroma under names of our own, so a collection always records which one
built it and Chroma's default embedding function (which downloads a model) is never reached.

The offline embedder's vectors are made in `hashing` (hashed character n-grams of folded text),
which needs no Chroma.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from rag.core.errors import ConfigError, RagError
from rag.index.hashing import HASH_EMBEDDER, HASH_EMBEDDER_VERSION, hash_embed

if TYPE_CHECKING:
    from rag.core.settings import Settings

OPENAI_EMBEDDER = "plan_rag_openai"


@register_embedding_function
class HashEmbeddingFunction(EmbeddingFunction[Documents]):
    """Offline, download-free embeddings: hashed character unigrams and bigrams of folded text."""

    def __init__(self, dim: int = 512) -> None:
        self.dim = int(dim)

    def __call__(self, input: Documents) -> Embeddings:
        return list(hash_embed(list(input), self.dim))

    @staticmethod
    def name() -> str:
        return HASH_EMBEDDER

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"dim": self.dim, "version": HASH_EMBEDDER_VERSION}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> HashEmbeddingFunction:
        return HashEmbeddingFunction(dim=int(config.get("dim", 512)))


@register_embedding_function
class OpenAICompatibleEmbeddingFunction(EmbeddingFunction[Documents]):
    """Embeddings from any OpenAI-compatible `/embeddings` endpoint (OpenAI, vLLM, Ollama, TEI).

    The API key is never part of the config Chroma persists; it is read from settings at run time.
    """

    _BATCH = 64

    def __init__(self, model: str, base_url: str | None = None, api_key: str | None = None, timeout: float = 60.0) -> None:
        self.model = model
        self.base_url = base_url
        self._api_key = api_key
        self.timeout = timeout
        self._client: Any = None

    def _openai(self) -> Any:
        if self._client is None:
            import openai

            self._client = openai.OpenAI(
                api_key=self._api_key or "not-needed", base_url=self.base_url, timeout=self.timeout, max_retries=2
            )
        return self._client

    def __call__(self, input: Documents) -> Embeddings:
        import openai

        vectors: list[np.ndarray] = []
        texts = list(input)
        for start in range(0, len(texts), self._BATCH):
            try:
                reply = self._openai().embeddings.create(model=self.model, input=texts[start : start + self._BATCH])
            except openai.APIError as exc:
                raise RagError(f"embeddings endpoint {self.base_url or 'OpenAI'} failed: {type(exc).__name__}: {getattr(exc, 'message', exc)}") from None
            vectors.extend(np.asarray(item.embedding, dtype=np.float32) for item in sorted(reply.data, key=lambda d: d.index))
        return vectors

    @staticmethod
    def name() -> str:
        return OPENAI_EMBEDDER

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model, "base_url": self.base_url}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAICompatibleEmbeddingFunction:
        from rag.core.settings import load_settings

        settings = load_settings()
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        return OpenAICompatibleEmbeddingFunction(config["model"], config.get("base_url"), key, settings.request_timeout)


def embedding_function(settings: Settings) -> EmbeddingFunction[Documents]:
    """The embedding function the settings ask for."""
    if settings.embedder == "hash":
        return HashEmbeddingFunction(dim=settings.embedding_dim)
    if settings.embedder == "openai":
        if settings.openai_api_key is None and settings.openai_base_url is None:
            raise ConfigError("embedder 'openai' needs OPENAI_API_KEY or OPENAI_BASE_URL (or RAG_OPENAI_*)")
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        return OpenAICompatibleEmbeddingFunction(settings.embedding_model, settings.openai_base_url, key, settings.request_timeout)
    raise ConfigError(f"unknown embedder {settings.embedder!r}")


def embedder_signature(function: EmbeddingFunction[Documents]) -> dict[str, Any]:
    """What a store records about the embedder that built it; a different one cannot search it."""
    return {"name": function.name(), "config": function.get_config()}
