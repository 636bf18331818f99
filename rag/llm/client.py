"""The OpenAI-compatible model, the one place `ChatOpenAI` is built and called.

Every request has a timeout (LangChain sets none by default) and a bounded number of retries.
The structured-output method is chosen per server: `json_schema` where the server supports it
(OpenAI, vLLM, Ollama, llama.cpp), `json_mode` with the schema written into the prompt for servers
that reject `json_schema` (DeepSeek, most DashScope models). Replies are cached (`rag.llm.cache`),
re-validated with Pydantic whatever LangChain's parser said, and their token usage is summed.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from rag.core.errors import ConfigError
from rag.llm.cache import ResponseCache, cache_key

if TYPE_CHECKING:
    from rag.core.settings import Settings

# Base-URL fragments of servers that reject `json_schema` response formats.
JSON_MODE_SERVERS = ("deepseek", "dashscope", "aliyuncs", "moonshot", "zhipu", "bigmodel")


def structured_method(settings: Settings) -> str:
    if settings.llm_method != "auto":
        return settings.llm_method
    base = (settings.openai_base_url or "").lower()
    return "json_mode" if any(fragment in base for fragment in JSON_MODE_SERVERS) else "json_schema"


def schema_hint(schema: type[BaseModel], method: str) -> str:
    """The JSON Schema in the prompt, for `json_mode` servers that are not told it otherwise."""
    if method != "json_mode":
        return ""
    return "Reply with one JSON object only, matching this JSON Schema:\n" + json.dumps(schema.model_json_schema(), ensure_ascii=False)


class Breaker:
    """A command's budget of failed model requests, the client's own retries and concurrent requests
    included: once spent, every further request is refused at once, so a dead, overloaded or garbling
    server costs a fixed number of requests (`settings.max_failed_requests`) and the command says so."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.failures = 0
        self.in_flight = 0
        self._lock = threading.Lock()

    def fail(self, count: int = 1) -> None:
        with self._lock:
            self.failures += count

    @property
    def open(self) -> bool:
        return self.failures >= self.budget

    def take(self) -> bool:
        """A slot for one more request, counting those in flight as if they will fail (concurrent
        sections cannot overshoot the budget, except by the client's own retries of those in flight)."""
        with self._lock:
            if self.failures + self.in_flight >= self.budget:
                return False
            self.in_flight += 1
            return True

    def give_back(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def reason(self) -> str:
        return f"the model failed {self.failures} requests (the limit is {self.budget}, RAG_MAX_FAILED_REQUESTS); not asked again"



def chat_model(settings: Settings, breaker: Breaker | None = None) -> Any:
    if not settings.model_configured:
        raise ConfigError("the openai engine needs OPENAI_API_KEY or OPENAI_BASE_URL (or RAG_OPENAI_*)")
    import httpx
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    hooks: dict[str, list[Any]] = {}
    if breaker is not None:
        # Every HTTP answer that is an error counts, retries included (the client retries by itself).
        hooks["response"] = [lambda response: breaker.fail() if response.status_code >= 400 else None]
    key = settings.openai_api_key or SecretStr("not-needed")
    return ChatOpenAI(
        model=settings.llm_model, base_url=settings.openai_base_url, api_key=key,
        timeout=settings.request_timeout, max_retries=settings.max_retries, temperature=settings.temperature,
        http_client=httpx.Client(event_hooks=hooks, timeout=settings.request_timeout),
    )


@dataclass
class Usage:
    calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cache_hits: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def add(self, tokens_in: int, tokens_out: int) -> None:
        with self._lock:
            self.calls += 1
            self.tokens_in += tokens_in
            self.tokens_out += tokens_out

    def hit(self) -> None:
        with self._lock:
            self.cache_hits += 1

    def to_dict(self) -> dict[str, int]:
        return {"llm_calls": self.calls, "tokens_in": self.tokens_in, "tokens_out": self.tokens_out, "cache_hits": self.cache_hits}


def redact(text: str, settings: Settings | None) -> str:
    """`text` without the API key, whatever the server echoed back."""
    if settings is not None and settings.openai_api_key is not None:
        secret = settings.openai_api_key.get_secret_value()
        if secret:
            text = text.replace(secret, "***")
    return re.sub(r"sk-[A-Za-z0-9_\-]{6,}", "sk-***", text)


def model_error_message(exc: BaseException, settings: Settings | None = None) -> str:
    """A one-line description of a failed model request, never carrying the API key."""
    message = getattr(exc, "message", None) or str(exc)
    return redact(f"{type(exc).__name__}: {message}".splitlines()[0][:300], settings)


class ModelUnavailable(Exception):
    """A request failed for good: timeout, 429/5xx after retries, refused connection, bad key."""


@dataclass
class Reply:
    parsed: BaseModel | None
    error: str | None  # why the reply does not validate, for re-asking
    message: Any  # the AIMessage, to carry the conversation on when re-asking
    cached: bool
    key: str = ""


def _strip_fences(content: str) -> str:
    match = re.match(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", content, re.S)
    return match.group(1) if match else content


def open_cache(settings: Settings, on_note: Any = None) -> ResponseCache | None:
    if not settings.use_cache:
        return None
    return ResponseCache(settings.llm_cache or Path(settings.store) / "llm-cache.sqlite", on_note)


class StructuredModel:
    """One schema, one prompt: `invoke(messages)` → a validated reply, from the cache when it can."""

    def __init__(self, settings: Settings, schema: type[BaseModel], prompt_sha: str, usage: Usage,
                 cache: ResponseCache | None = None, model: Any = None, breaker: Breaker | None = None) -> None:
        self.settings = settings
        self.schema = schema
        self.method = structured_method(settings)
        self.prompt_sha = prompt_sha
        self.usage = usage
        self.cache = cache
        self.breaker = breaker or Breaker(settings.max_failed_requests)
        self.model = model or chat_model(settings, self.breaker)
        self._runnable = self.model.with_structured_output(schema, method=self.method, include_raw=True)
        self._schema_sha = cache_key({"schema": schema.model_json_schema()})[:16]

    def _key(self, messages: list[Any]) -> str:
        return cache_key({
            "model": self.settings.llm_model, "base_url": self.settings.openai_base_url, "method": self.method,
            "temperature": self.settings.temperature, "prompt": self.prompt_sha, "schema": self._schema_sha,
            "messages": [(m.type, m.content) for m in messages],
        })

    def invoke(self, messages: list[Any]) -> Reply:
        from langchain_core.messages import AIMessage

        key = self._key(messages)
        stored = self.cache.get(key) if self.cache is not None else None
        if stored is not None:
            self.usage.hit()
            message = AIMessage(content=stored.get("content", ""), tool_calls=stored.get("tool_calls", []))
            parsed, error = self._validate(message)
            return Reply(parsed, error, message, cached=True, key=key)
        if not self.breaker.take():
            raise ModelUnavailable(self.breaker.reason())
        try:
            result = self._runnable.invoke(messages)
            message = result.get("raw")
        except ValueError as exc:
            # Some methods raise on a reply that is not the schema's JSON instead of returning it.
            return Reply(None, f"the reply is not valid JSON for the schema ({model_error_message(exc, self.settings)})", None, False)
        except Exception as exc:
            if not _answered(exc):  # a timeout or a refused connection: every attempt went unanswered
                self.breaker.fail(1 + self.settings.max_retries)
            raise ModelUnavailable(model_error_message(exc, self.settings)) from None
        finally:
            self.breaker.give_back()
        metadata = getattr(message, "usage_metadata", None) or {}
        self.usage.add(int(metadata.get("input_tokens", 0) or 0), int(metadata.get("output_tokens", 0) or 0))
        parsed, error = self._validate(message)
        return Reply(parsed, error, message, cached=False, key=key)

    def remember(self, reply: Reply) -> None:
        """Cache a reply the caller has accepted; one that failed its checks is asked afresh next time."""
        if self.cache is None or reply.cached or reply.parsed is None or reply.message is None:
            return
        message = reply.message
        self.cache.put(reply.key, {"content": message.content if isinstance(message.content, str) else "",
                                   "tool_calls": [dict(c) for c in getattr(message, "tool_calls", []) or []]})

    def _validate(self, message: Any) -> tuple[BaseModel | None, str | None]:
        """Validate the raw reply with Pydantic ourselves; a parser's say-so is not enough."""
        try:
            tool_calls = getattr(message, "tool_calls", None) or []
            if tool_calls:
                return self.schema.model_validate(tool_calls[0]["args"]), None
            content = message.content if isinstance(message.content, str) else ""
            return self.schema.model_validate(json.loads(_strip_fences(content))), None
        except (ValidationError, ValueError, KeyError, TypeError) as exc:
            return None, f"the reply does not match the schema: {str(exc).splitlines()[0][:300]}"


def _answered(exc: BaseException) -> bool:
    """The server answered (an HTTP error, counted as it came) rather than never answering."""
    return getattr(exc, "status_code", None) is not None or getattr(exc, "response", None) is not None


class Rejected(Exception):
    """A reply that parsed but failed the caller's checks; the message says what to fix."""


@dataclass
class Outcome:
    value: Any  # what `accept` made of the reply; None when the loop gave up
    problem: str = ""  # why it gave up
    unavailable: bool = False  # the model did not answer (or the breaker is open), as opposed to answering badly


def ask_validated(structured: StructuredModel, messages: list[Any], accept: Any, reask: str) -> Outcome:
    """The one loop every model call goes through: ask; validate the schema, then the caller's checks
    (`accept(parsed)` returns the value or raises `Rejected`); re-ask with the error
    (`settings.max_reasks` times); then give up with the last problem for the caller to fall back on.

    Every failed request and every rejected reply spends the command's breaker; an accepted reply is
    cached. `reask` is the instruction sent after the error (`{problem}` is filled in)."""
    from langchain_core.messages import AIMessage, HumanMessage

    problem = ""
    for attempt in range(1 + structured.settings.max_reasks):
        try:
            reply = structured.invoke(messages)
        except ModelUnavailable as exc:
            return Outcome(None, str(exc) if structured.breaker.open else f"model request failed ({exc})", unavailable=True)
        try:
            if reply.parsed is None:
                raise Rejected(reply.error or "the reply did not match the schema.")
            value = accept(reply.parsed)
        except Rejected as rejected:
            problem = str(rejected)
            if not reply.cached:
                structured.breaker.fail()
            if attempt < structured.settings.max_reasks:
                if isinstance(reply.message, AIMessage):
                    messages = [*messages, reply.message]
                messages = [*messages, HumanMessage(reask.format(problem=problem))]
            continue
        structured.remember(reply)
        return Outcome(value)
    return Outcome(None, problem)
