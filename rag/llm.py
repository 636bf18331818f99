"""The OpenAI-compatible model, the one place `ChatOpenAI` is built.

Every request has a timeout (LangChain sets none by default) and a bounded number of retries.
The structured-output method is chosen per server: `json_schema` where the server supports it
(OpenAI, vLLM, Ollama, llama.cpp), `json_mode` with the schema written into the prompt for servers
that reject `json_schema` (DeepSeek, most DashScope models). Token usage is summed per command.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rag.errors import ConfigError

# Base-URL fragments of servers that reject `json_schema` response formats.
JSON_MODE_SERVERS = ("deepseek", "dashscope", "aliyuncs", "moonshot", "zhipu", "bigmodel")


def structured_method(settings: Any) -> str:
    if settings.llm_method != "auto":
        return settings.llm_method
    base = (settings.openai_base_url or "").lower()
    return "json_mode" if any(fragment in base for fragment in JSON_MODE_SERVERS) else "json_schema"


def schema_hint(schema: type, method: str) -> str:
    """The JSON Schema in the prompt, for `json_mode` servers that are not told it otherwise."""
    if method != "json_mode":
        return ""
    return "Reply with one JSON object only, matching this JSON Schema:\n" + json.dumps(schema.model_json_schema(), ensure_ascii=False)


def chat_model(settings: Any) -> Any:
    if not settings.model_configured:
        raise ConfigError("the openai engine needs OPENAI_API_KEY or OPENAI_BASE_URL (or RAG_OPENAI_*)")
    from langchain_openai import ChatOpenAI

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    return ChatOpenAI(
        model=settings.llm_model, base_url=settings.openai_base_url, api_key=key,
        timeout=settings.request_timeout, max_retries=settings.max_retries, temperature=settings.temperature,
    )


@dataclass
class Usage:
    calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cache_hits: int = 0

    def add(self, message: Any) -> None:
        self.calls += 1
        metadata = getattr(message, "usage_metadata", None) or {}
        self.tokens_in += int(metadata.get("input_tokens", 0) or 0)
        self.tokens_out += int(metadata.get("output_tokens", 0) or 0)

    def to_dict(self) -> dict[str, int]:
        return {"llm_calls": self.calls, "tokens_in": self.tokens_in, "tokens_out": self.tokens_out, "cache_hits": self.cache_hits}


def model_error_message(exc: BaseException) -> str:
    """A one-line description of a failed model request, never carrying the API key."""
    name = type(exc).__name__
    message = getattr(exc, "message", None) or str(exc)
    return f"{name}: {message}".splitlines()[0][:300]
