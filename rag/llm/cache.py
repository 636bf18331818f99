"""Response cache: model replies in SQLite, so the same request is never paid for twice.

The key is a hash of everything that decides a reply — model, base URL, structured-output method,
temperature, prompt and schema hashes, and the messages — and never includes the API key. A cache
file that cannot be read is moved aside and rebuilt, with a note; losing a cache costs money, not
correctness.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any


def cache_key(parts: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


class ResponseCache:
    def __init__(self, path: Path, on_note: Any = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._connection = self._open(on_note)

    def _open(self, on_note: Any) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            self.path.replace(aside)
            if on_note is not None:
                on_note(f"response cache {self.path} was unreadable ({exc}); moved to {aside.name} and rebuilt")
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30)
        connection.execute("CREATE TABLE IF NOT EXISTS replies (key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL)")
        connection.execute("SELECT count(*) FROM replies").fetchone()  # a damaged file fails here
        connection.commit()
        return connection

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._connection.execute("SELECT value FROM replies WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return json.loads(row[0])
        except ValueError:
            return None

    def put(self, key: str, value: dict[str, Any]) -> None:
        with self._lock:
            self._connection.execute("INSERT OR REPLACE INTO replies (key, value, created) VALUES (?, ?, ?)",
                                     (key, json.dumps(value, ensure_ascii=False), time.time()))
            self._connection.commit()

    def close(self) -> None:
        with self._lock:
            self._connection.close()
