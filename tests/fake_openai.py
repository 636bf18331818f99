"""A fake OpenAI-compatible HTTP server for tests: real HTTP on 127.0.0.1, an ephemeral port,
scripted replies and a request log. The real `openai` client talks to it unmodified.

Embeddings are answered deterministically from the input text (a hashed bag of characters), so a
store built through it is searchable. Chat replies are scripted by the tests that need them.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

EMBEDDING_DIM = 64


def fake_embedding(text: str, dim: int = EMBEDDING_DIM) -> list[float]:
    vector = [0.0] * dim
    for ch in text:
        digest = hashlib.blake2b(ch.encode("utf-8"), digest_size=4).digest()
        vector[int.from_bytes(digest, "little") % dim] += 1.0
    norm = sum(v * v for v in vector) ** 0.5 or 1.0
    return [v / norm for v in vector]


def _encode(vector: list[float], as_base64: bool) -> list[float] | str:
    """Floats, or base64 of little-endian float32 as the real API sends when asked for it."""
    if not as_base64:
        return vector
    import base64
    import struct

    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None


@dataclass
class FakeOpenAI:
    requests: list[Request] = field(default_factory=list)
    # Scripted handlers by path suffix; each returns (status, headers, json body).
    handlers: dict[str, Callable[[Request], tuple[int, dict[str, str], Any]]] = field(default_factory=dict)
    # Chat replies, used in order: a string (the content), a dict (a JSON object sent as content),
    # a (status, headers, body) tuple, or a callable(request) returning one of these.
    chat: list[Any] = field(default_factory=list)
    delay_seconds: float = 0.0
    server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> FakeOpenAI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                raw = self.rfile.read(length) if length else b""
                headers = {key.lower(): value for key, value in self.headers.items()}
                request = Request("POST", self.path, headers, json.loads(raw) if raw else None)
                fake.requests.append(request)
                status, headers, body = fake.dispatch(request)
                # Bytes are sent as they are: a truncated or garbled reply.
                payload = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test); nothing to answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A short poll: shutting the server down waits for one poll.
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def dispatch(self, request: Request) -> tuple[int, dict[str, str], Any]:
        for suffix, handler in self.handlers.items():
            if request.path.endswith(suffix):
                return handler(request)
        if request.path.endswith("/chat/completions"):
            return self._chat(request)
        if request.path.endswith("/embeddings"):
            inputs = request.body["input"] if request.body else []
            inputs = [inputs] if isinstance(inputs, str) else inputs
            as_base64 = request.body.get("encoding_format") == "base64"
            data = [{"object": "embedding", "index": i, "embedding": _encode(fake_embedding(t), as_base64)} for i, t in enumerate(inputs)]
            usage = {"prompt_tokens": sum(len(t) for t in inputs), "total_tokens": sum(len(t) for t in inputs)}
            return 200, {}, {"object": "list", "data": data, "model": request.body.get("model"), "usage": usage}
        return 404, {}, {"error": {"message": f"no route {request.path}", "type": "invalid_request_error"}}

    def chat_requests(self) -> list[Request]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def _chat(self, request: Request) -> tuple[int, dict[str, str], Any]:
        import time

        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        if not self.chat:
            return 500, {}, {"error": {"message": "no scripted reply left", "type": "server_error"}}
        reply = self.chat.pop(0)
        if callable(reply):
            reply = reply(request)
        if isinstance(reply, tuple):
            return reply
        content = reply if isinstance(reply, str) else json.dumps(reply, ensure_ascii=False)
        body = {
            "id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion", "created": 0,
            "model": (request.body or {}).get("model", "fake"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        }
        return 200, {}, body
