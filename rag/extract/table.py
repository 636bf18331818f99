"""The indicator table: every verified indicator of every stored document with its document's facts,
in SQLite beside the manifest (`indicators.sqlite`), so comparisons, tracking and exports read rows
instead of extracting at question time.

It is brought up to date at ingest (under the write lock) and whenever the rules or a document's
facts changed since: each document's rows carry the key they were built from (text hash, rules
version, facts), and only documents whose key differs are read again. A store that cannot be
written (a read-only share) gets the same table in memory.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.core.errors import StoreError
from rag.core.records import DocumentRecord, Indicator
from rag.extract.versions import RULES_VERSION
from rag.index.store import DocEntry, Manifest, Store

TABLE_FILE = "indicators.sqlite"
SCHEMA_VERSION = 2

COLUMNS = (
    "doc_id", "region", "region_parent", "region_code", "doc_type", "review_year", "plan_year", "title",
    "canonical", "metric", "kind", "year", "period_first", "period_last", "scope", "change", "value", "value_max",
    "unit", "comparator", "hedge", "stated", "quote", "start", "end", "section", "base_value", "base_unit",
)
DOCUMENT_COLUMNS = ("doc_id", "key", "region", "region_parent", "region_code", "doc_type", "review_year", "plan_year", "title")
_NUMERIC = {"review_year", "plan_year", "year", "period_first", "period_last", "value", "value_max", "start", "end", "base_value"}
_WHOLE_NUMBER_COLUMNS = _NUMERIC - {"value", "value_max", "base_value"}  # a figure keeps its REAL form
_COMPARATOR_BEFORE = ("不低于", "不少于", "不超过", "不高于", "控制在", "超过", "突破", "至少", "达到", "约", "近", "超")


def record_of(store: Store, entry: DocEntry, manifest: Manifest | None = None) -> DocumentRecord:
    """The rule engine's verified record of a stored document (cached in `records/`), with the facts
    the user set over it. Pass the manifest when you hold it: reading it again per document is slow."""
    from rag.extract.rules.engine import RulesEngine
    from rag.extract.verify import verify_record

    def compute() -> DocumentRecord:
        text = store.text(entry.doc_id, manifest, cache=False)  # one pass over many documents keeps none
        return verify_record(RulesEngine().extract(entry.doc_id, text), text)[0]

    record: DocumentRecord = store.cached_record(entry, RULES_VERSION, compute)
    return record.model_copy(update=entry.overrides) if entry.overrides else record


def stated(indicator: Indicator) -> str:
    """The value as the report states it (`5%左右`, `5%—5.5%`, `不低于5%`), cut from the quote."""
    quote = indicator.quote
    number = f"{abs(indicator.value):g}"
    position = quote.rfind(number) if indicator.value_max is None else quote.rfind(number, 0, max(0, quote.rfind(f"{indicator.value_max:g}")))
    if position < 0:
        position = next((m.start() for m in re.finditer(r"[\d一二三四五六七八九十百千万两]", quote)), 0)
    before = next((w for w in _COMPARATOR_BEFORE if quote[:position].endswith(w)), "")
    return quote[position - len(before):]


def _key(entry: DocEntry, version: str) -> str:
    facts = json.dumps(entry.effective_facts(), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(f"{entry.sha256}|{version}|{facts}".encode()).hexdigest()[:16]


def _section(chunks: list[tuple[int, int, str]], position: int) -> str:
    at = bisect.bisect_right(chunks, (position, float("inf"))) - 1
    return chunks[at][2] if at >= 0 and chunks[at][0] <= position < chunks[at][1] else ""


def rows_of(doc_id: str, chunks: list[tuple[int, int, str]], record: DocumentRecord) -> list[dict[str, Any]]:
    """One row per indicator, with the facts of its document (the record's, with the user's over them);
    `chunks` are the document's (start, end, section), which name each indicator's section."""
    facts = {k: getattr(record, k) for k in ("region", "region_parent", "region_code", "title", "review_year", "plan_year")}
    rows = []
    for indicator in record.indicators:
        rows.append({
            "doc_id": doc_id, **facts, "doc_type": record.doc_type.value,
            "canonical": indicator.canonical, "metric": indicator.metric, "kind": indicator.kind.value, "year": indicator.year,
            "period_first": indicator.period[0] if indicator.period else None,
            "period_last": indicator.period[1] if indicator.period else None,
            "scope": indicator.scope.value, "change": indicator.change.value, "value": indicator.value,
            "value_max": indicator.value_max, "unit": indicator.unit, "comparator": indicator.comparator.value,
            "hedge": indicator.hedge, "stated": stated(indicator), "quote": indicator.quote,
            "start": indicator.span.start, "end": indicator.span.end, "section": _section(chunks, indicator.span.start),
            "base_value": indicator.base_value, "base_unit": indicator.base_unit,
        })
    return rows


def _create(connection: sqlite3.Connection) -> None:
    held = connection.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
    if held and connection.execute("SELECT value FROM meta WHERE key='schema'").fetchone() != (str(SCHEMA_VERSION),):
        connection.executescript("DROP TABLE IF EXISTS indicators; DROP TABLE IF EXISTS documents; DROP TABLE IF EXISTS meta;")
    columns = ", ".join(f'"{c}" {"REAL" if c in _NUMERIC else "TEXT"}' for c in COLUMNS)
    documents = ", ".join(f'"{c}" {"REAL" if c in _NUMERIC else "TEXT"}' + (" PRIMARY KEY" if c == "doc_id" else "") for c in DOCUMENT_COLUMNS)
    connection.executescript(f"""
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE IF NOT EXISTS documents ({documents});
        CREATE TABLE IF NOT EXISTS indicators ({columns});
        CREATE INDEX IF NOT EXISTS by_doc ON indicators (doc_id);
        CREATE INDEX IF NOT EXISTS by_canonical ON indicators (canonical, kind, year);
    """)
    connection.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))


def _stale(connection: sqlite3.Connection, manifest: Manifest, version: str) -> tuple[list[str], list[DocEntry]]:
    """Documents whose rows are gone from the manifest, and documents whose rows are missing or old."""
    held = dict(connection.execute("SELECT doc_id, key FROM documents").fetchall())
    gone = [doc_id for doc_id in held if doc_id not in manifest.documents]
    changed = [entry for doc_id, entry in sorted(manifest.documents.items()) if held.get(doc_id) != _key(entry, version)]
    return gone, changed


@dataclass
class Rows:
    """A document's table rows as an ingest worker prepares them (no key: that needs the stored entry)."""

    indicators: list[tuple[Any, ...]]
    document: dict[str, Any]


def prepare_rows(doc_id: str, chunks: list[tuple[int, int, str]], record: DocumentRecord) -> Rows:
    indicators = [tuple(r[c] for c in COLUMNS) for r in rows_of(doc_id, chunks, record)]
    document = {"doc_id": doc_id, "doc_type": record.doc_type.value, **{k: getattr(record, k) for k in DOCUMENT_COLUMNS[2:] if k != "doc_type"}}
    return Rows(indicators, document)


def _put(connection: sqlite3.Connection, entry: DocEntry, record: DocumentRecord | Rows, version: str) -> None:
    """A document's rows, replacing any it had (`record` with the user's facts over it, or its rows prepared)."""
    rows = record if isinstance(record, Rows) else prepare_rows(entry.doc_id, entry.chunks, record)
    connection.execute("DELETE FROM indicators WHERE doc_id = ?", (entry.doc_id,))
    connection.execute("DELETE FROM documents WHERE doc_id = ?", (entry.doc_id,))
    connection.executemany(f"INSERT INTO indicators VALUES ({', '.join('?' for _ in COLUMNS)})", rows.indicators)
    document = {**rows.document, "key": _key(entry, version)}
    connection.execute(f"INSERT INTO documents VALUES ({', '.join('?' for _ in DOCUMENT_COLUMNS)})",
                       tuple(document[c] for c in DOCUMENT_COLUMNS))


def _fill(connection: sqlite3.Connection, store: Store, manifest: Manifest, version: str,
          progress: Callable[[int, int], None] | None) -> int:
    gone, changed = _stale(connection, manifest, version)
    for doc_id in gone:
        connection.execute("DELETE FROM indicators WHERE doc_id = ?", (doc_id,))
        connection.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
    for done, entry in enumerate(changed, start=1):
        try:
            record: DocumentRecord | Rows = record_of(store, entry, manifest)
        except Exception:  # the rules failing on one text: its facts, no indicators (the ingest said so)
            facts = entry.effective_facts()
            record = Rows([], {"doc_id": entry.doc_id, **{k: facts.get(k) for k in DOCUMENT_COLUMNS[2:]}})
        _put(connection, entry, record, version)
        if progress is not None:
            progress(done, len(changed))
    return len(changed)


def sync_table(store: Store, manifest: Manifest, progress: Callable[[int, int], None] | None = None) -> int:
    """Bring the store's table up to date with the manifest and the rules; the caller holds the
    write lock. Returns how many documents were read again."""
    path = store.root / TABLE_FILE
    with closing(sqlite3.connect(path)) as connection, connection:
        _create(connection)
        return _fill(connection, store, manifest, RULES_VERSION, progress)


def put_rows(store: Store, documents: list[tuple[DocEntry, Rows, str]]) -> None:
    """Rows of documents an ingest is writing, as its workers prepared them (with the record, JSON,
    for a document whose facts the user set), so the table fills while the workers go on rather
    than after them. The caller holds the write lock; `sync_table` at the end of the ingest passes
    over these and fixes anything else."""
    if not documents:
        return
    with closing(sqlite3.connect(store.root / TABLE_FILE)) as connection, connection:
        _create(connection)
        for entry, rows, payload in documents:
            if entry.overrides:
                _put(connection, entry, DocumentRecord.model_validate_json(payload).model_copy(update=entry.overrides), RULES_VERSION)
            else:
                _put(connection, entry, rows, RULES_VERSION)


@dataclass
class IndicatorTable:
    """Rows of the indicator table, filtered in SQL."""

    connection: sqlite3.Connection
    manifest: Manifest

    def rows(self, **where: Any) -> list[dict[str, Any]]:
        """Rows whose columns equal the given values (None values ignored), in document order;
        `metric` matches the canonical key or the metric as written (a substring)."""
        clauses, args = [], []
        metric = where.pop("metric", None)
        for column, value in where.items():
            if value is None:
                continue
            values = value if isinstance(value, (list, tuple, set)) else [value]
            clauses.append(f'"{column}" IN ({", ".join("?" for _ in values)})')
            args += list(values)
        if metric:
            clauses.append("(canonical = ? OR metric LIKE ?)")
            args += [metric, f"%{metric}%"]
        sql = "SELECT * FROM indicators" + (" WHERE " + " AND ".join(clauses) if clauses else "") + " ORDER BY doc_id, start"
        cursor = self.connection.execute(sql, args)
        names = [d[0] for d in cursor.description]
        held = self.manifest.documents
        return [_row_dict(names, row) for row in cursor.fetchall() if row[0] in held]

    def documents(self) -> list[dict[str, Any]]:
        """Every stored document's facts, whether or not it states any indicator."""
        cursor = self.connection.execute("SELECT * FROM documents ORDER BY doc_id")
        names = [d[0] for d in cursor.description]
        held = self.manifest.documents
        return [_row_dict(names, row, leave=("key",)) for row in cursor.fetchall() if row[0] in held]

    def close(self) -> None:
        self.connection.close()


def _row_dict(names: list[str], row: tuple[Any, ...], leave: tuple[str, ...] = ()) -> dict[str, Any]:
    """A row as a dict of its columns, whole numbers stored as REAL given back as ints (but figures)."""
    record = dict(zip(names, row, strict=True))
    for name in leave:
        record.pop(name, None)
    for name in _WHOLE_NUMBER_COLUMNS.intersection(record):
        value = record[name]
        if isinstance(value, float) and value.is_integer():
            record[name] = int(value)
    return record


def open_table(store: Store, on_wait: Callable[[str], None] | None = None,
               progress: Callable[[int, int], None] | None = None) -> IndicatorTable:
    """The store's indicator table, brought up to date first (under the write lock) when the rules or
    the documents changed since it was built; in memory when the store cannot be written."""
    manifest = store.load_manifest()
    path = store.root / TABLE_FILE
    if not _fresh(path, manifest, RULES_VERSION):
        try:
            with store.write_lock(on_wait=on_wait):
                manifest = store.load_manifest()
                sync_table(store, manifest, progress)
        except (OSError, StoreError, sqlite3.Error):
            memory = sqlite3.connect(":memory:")
            _create(memory)
            _fill(memory, store, manifest, RULES_VERSION, progress)
            return IndicatorTable(memory, manifest)
    return IndicatorTable(sqlite3.connect(f"file:{path}?mode=ro", uri=True), manifest)


def _fresh(path: Path, manifest: Manifest, version: str) -> bool:
    if not path.exists():
        return False
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            if connection.execute("SELECT value FROM meta WHERE key='schema'").fetchone() != (str(SCHEMA_VERSION),):
                return False
            _, changed = _stale(connection, manifest, version)
    except sqlite3.Error:
        return False
    # Rows of documents this manifest does not hold yet (an ingest writes a batch's rows just before
    # the manifest that lists them) are passed over by `IndicatorTable`, never shown.
    return not changed
