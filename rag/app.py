"""Composition: the stages put together for the commands.

Ingestion (files → decoded documents → chunks, tokens and facts → the store, under the write lock)
runs the extraction's facts at ingest and hands them to the store, so the store never imports the
rules; `check_store` lends the rules to the store's checkup the same way.

A document is keyed by its id (the file name stem) and an index key (content hash + chunker
version + chunk sizes): an unchanged file is passed over, a changed one replaces its chunks, and
nothing is duplicated. A bad file is reported and skipped; the rest of the batch goes in.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag.core.errors import InputFileError
from rag.extract.rules.engine import FACTS_VERSION, RULES_VERSION, RulesEngine, document_facts, record_facts
from rag.extract.table import Rows, prepare_rows, put_rows, sync_table
from rag.extract.verify import verify_record
from rag.index.hashing import hash_embed
from rag.index.lexical import DocumentTerms, tokenize_folded
from rag.index.store import DocEntry, Manifest, Store, chunk_id, now_iso
from rag.ingest.chunking import CHUNKER_VERSION, chunk_document
from rag.ingest.cleaning import content_segments, fold
from rag.ingest.loading import SourceDocument, discover, doc_id_for, load_document
from rag.ingest.structure import parse_outline

if TYPE_CHECKING:
    from rag.core.settings import Settings

# Chunks written to Chroma in one go; several small documents share a batch.
_FLUSH_CHUNKS = 1000
# Below this many files a process pool costs more than it saves.
_PARALLEL_FROM = 8
# Documents each worker may have prepared ahead of the writer (enough that a slow one never idles the others).
_AHEAD_PER_WORKER = 8
# The manifest is saved at least this often during a long ingest, so an interruption loses little.
_SAVE_EVERY_SECONDS = 10.0
# ... and less often when a save itself takes long (the whole manifest is written each time: a
# second at 10,000 documents), so saving stays under a twentieth of the ingest.
_SAVE_SHARE = 20


@dataclass
class Skipped:
    path: str
    reason: str


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Skipped] = field(default_factory=list)  # the same bytes as a stored document: not an error
    chunks: int = 0
    characters: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.unchanged)} unchanged, {len(self.replaced)} replaced, "
            f"{len(self.skipped)} skipped"
            + (f", {len(self.duplicates)} duplicate{'s' if len(self.duplicates) != 1 else ''}" if self.duplicates else "")
            + f"; {self.chunks} chunks written; {self.seconds:.1f} s"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added, "replaced": self.replaced, "unchanged": self.unchanged,
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "duplicates": [{"path": s.path, "reason": s.reason} for s in self.duplicates],
            "chunks": self.chunks, "characters": self.characters, "seconds": round(self.seconds, 3), "notes": self.notes,
        }


def index_key(sha256: str, settings: Settings) -> str:
    return f"{sha256}:c{CHUNKER_VERSION}:{settings.chunk_target}:{settings.chunk_max}"


@dataclass
class _Pending:
    document: SourceDocument
    chunks: list[tuple[int, int, str]]  # start, end, section (as the manifest keeps them; texts are slices)
    terms: DocumentTerms  # the chunks' term counts, for the lexical index
    facts: dict[str, Any]
    embeddings: Any  # precomputed by the worker for the offline embedder, else None
    previous: DocEntry | None = None
    record: str | None = None  # the rules' verified record (JSON), read by the worker for the indicator table
    rows: Rows | None = None  # the record's rows of the indicator table


@dataclass
class _Unchanged:
    doc_id: str
    facts: dict[str, Any] | None = None  # recomputed when the stored facts came from other rules


_Job = tuple[str, str, tuple[str | None, bool], dict[str, Any]]


def _prepare(job: _Job) -> _Pending | _Unchanged | InputFileError:
    """Everything about one file that needs no store: decode, outline, chunks, tokens, facts, vectors.

    Runs in worker processes, so the two cores share the work while the main process writes."""
    path, doc_id, known, params = job
    known_key, facts_current = known
    if known_key is not None and facts_current and _same_key(Path(path), known_key, params["settings"], params["max_bytes"]):
        return _Unchanged(doc_id)  # the bytes it was stored from: no need to decode them again
    try:
        document = load_document(Path(path), max_bytes=params["max_bytes"])
    except InputFileError as problem:
        return problem
    document = replace(document, doc_id=doc_id)
    if index_key(document.sha256, params["settings"]) == known_key:
        return _Unchanged(document.doc_id, None if facts_current else document_facts(document.text))
    segments = content_segments(document.text)
    outline = parse_outline(document.text, segments)
    chunks = chunk_document(document.doc_id, document.text, target=params["settings"].chunk_target,
                            max_chars=params["settings"].chunk_max, segments=segments, outline=outline)
    sections: dict[str, str] = {}  # one string per section, not one per chunk (the manifest holds them all)
    spans = [(c.span.start, c.span.end, sections.setdefault(c.section, c.section)) for c in chunks]
    folded = fold(document.text)  # folded once here (the stages above folded this same text: a cached copy)
    folded_chunks = [folded[start:end] for start, end, _ in spans]
    embeddings = hash_embed(folded_chunks, params["dim"], folded=True) if params["dim"] else None
    # The record the indicator table is built from, read here so both cores share the extraction.
    payload, rows, facts = None, None, None
    try:
        extracted = RulesEngine().extract(document.doc_id, document.text, segments=segments, outline=outline)
        facts = record_facts(extracted)
        record = verify_record(extracted, document.text)[0]
        payload = record.model_dump_json()
        rows = prepare_rows(document.doc_id, spans, record)
    except Exception as exc:  # the rules failing on one text never costs the batch; the table says why later
        document = replace(document, notes=(*document.notes, f"its indicators could not be read ({type(exc).__name__}: {exc})".splitlines()[0]))
    return _Pending(document, spans, DocumentTerms.of(map(tokenize_folded, folded_chunks)), facts or document_facts(document.text, outline, segments), embeddings,
                    record=payload, rows=rows)


def _same_key(path: Path, known_key: str, settings: Settings, max_bytes: int) -> bool:
    """The file still holds the bytes its document was stored from (a regular file of a readable size:
    anything else goes to `load_document`, which names the problem)."""
    import stat

    try:
        info = path.stat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        return False
    sha256 = _file_sha256(path)
    return sha256 is not None and index_key(sha256, settings) == known_key


def _prepared(jobs: list[_Job], workers: int) -> Iterator[Any]:
    """Prepared documents in file order; in a process pool when the batch is worth it.

    At most a few documents per worker are prepared ahead of the one being written: when Chroma's
    insertion is the slower side, finished documents (text, chunks, vectors, record) would
    otherwise pile up in memory, a quarter of a megabyte each."""
    if workers <= 1 or len(jobs) < _PARALLEL_FROM:
        yield from map(_prepare, jobs)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_die_with_parent, initargs=(os.getpid(),))
    try:
        waiting = iter(jobs)
        ahead: deque[Future[Any]] = deque(pool.submit(_prepare, job) for _, job in zip(range(workers * _AHEAD_PER_WORKER), waiting))
        while ahead:
            result = ahead.popleft().result()
            following = next(waiting, None)
            if following is not None:
                ahead.append(pool.submit(_prepare, following))
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _die_with_parent(parent: int) -> None:
    """A worker ends when the ingest that started it ends, even by `kill -9`, instead of lingering."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def ingest_paths(
    paths: Iterable[Path | str],
    store: Store,
    *,
    on_file: Callable[[Path, int, int], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    on_note: Callable[[str], None] | None = None,
    on_indicators: Callable[[int, int], None] | None = None,
    meta: dict[str, dict[str, Any]] | None = None,
) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    files, problems = discover(paths)

    def skip(problem: InputFileError) -> None:
        skipped = Skipped(str(problem.path), problem.reason)
        report.skipped.append(skipped)
        if on_skip is not None:
            on_skip(skipped)

    for problem in problems:
        skip(problem)
    if not files and not meta:
        report.seconds = time.perf_counter() - started
        return report

    settings = store.settings
    with store.write_lock(on_wait=on_wait, operation="ingest"):
        manifest = store.load_manifest()
        manifest.embedder = store.check_embedder(manifest)
        # Texts replaced by the previous ingest go now, not then: a reader that loaded the older
        # manifest while that ingest ran may still have needed them.
        store.prune_texts(manifest)
        store.clean_interrupted_writes()
        params = {"settings": settings, "max_bytes": int(settings.max_file_mb * 2**20),
                  "dim": settings.embedding_dim if settings.embedder == "hash" else 0}
        ids = assign_ids(files, manifest)

        def known(doc_id: str) -> tuple[str | None, bool]:
            entry = manifest.documents.get(doc_id)
            return (entry.index_key, entry.facts_version == FACTS_VERSION) if entry else (None, True)

        jobs = [(str(p), ids[p], known(ids[p]), params) for p in files]
        batch = _Batch(store, manifest, report, on_note)
        for number, (path, result) in enumerate(zip(files, _prepared(jobs, settings.ingest_workers)), start=1):
            if on_file is not None:
                on_file(path, number, len(files))
            if isinstance(result, InputFileError):
                skip(result)
            elif isinstance(result, _Unchanged):
                batch.unchanged(path, result)
            else:
                batch.take(path, result)
        batch.finish(meta, on_indicators)
    report.seconds = time.perf_counter() - started
    return report


class _Batch:
    """One ingest's writes: documents added or replaced in flushes, duplicates and moves recognised,
    the manifest saved as it goes and at the end."""

    def __init__(self, store: Store, manifest: Manifest, report: IngestReport, on_note: Callable[[str], None] | None) -> None:
        self.store, self.manifest, self.report, self.on_note = store, manifest, report, on_note
        self.changed = self.facts_changed = False
        self.contents_in_batch: dict[str, tuple[str, Path]] = {}
        self.stored_contents = {entry.sha256: entry.doc_id for entry in manifest.documents.values()}
        self.pending: list[_Pending] = []
        self.deferred: list[tuple[Path, _Pending, str]] = []
        self.rows: list[tuple[DocEntry, Rows, str]] = []  # written, their indicator rows not yet in the table
        # Vectors of replaced versions, deleted only once a saved manifest no longer points at them:
        # deleted before, a kill left the old version listed without its vectors.
        self.stale: list[str] = []
        self.last_save = time.monotonic()
        self.save_seconds = 0.0  # how long the last save took: the manifest grows with the store

    def note(self, message: str) -> None:
        self.report.notes.append(message)
        if self.on_note is not None:
            self.on_note(message)

    def duplicate(self, path: Path, reason: str) -> None:
        self.report.duplicates.append(Skipped(str(path), reason))
        if self.on_note is not None:
            self.on_note(f"{path}: {reason}")

    def unchanged(self, path: Path, result: _Unchanged) -> None:
        self.report.unchanged.append(result.doc_id)
        entry = self.manifest.documents[result.doc_id]
        if result.facts is not None:  # the rules changed: the stored facts follow them
            entry.facts, entry.facts_version = result.facts, FACTS_VERSION
            self.facts_changed = True
        if _source_key(entry.source) != _source_key(str(path)):  # moved under its own name
            entry.source = _source_of(path)
            self.facts_changed = True

    def take(self, path: Path, result: _Pending) -> None:
        """A new or changed file: stored, unless its bytes are already (a copy, or a moved file)."""
        sha, doc_id = result.document.sha256, result.document.doc_id
        in_batch = self.contents_in_batch.get(sha)
        twin = in_batch[0] if in_batch else self.stored_contents.get(sha)
        if twin is None or twin == doc_id:
            self.contents_in_batch[sha] = (doc_id, path)
            self.add(path, result)
            return
        if in_batch:
            self.duplicate(path, f"the same content as document {twin!r} ({in_batch[1]}, in this batch); not stored twice")
            return
        twin_entry = self.manifest.documents[twin]
        if _source_exists(twin_entry.source):
            # Decided at the end of the batch: the stored twin may yet be replaced by a later file.
            self.deferred.append((path, result, twin))
            return
        # The stored file was renamed or moved: the document keeps its id and follows the file.
        twin_entry.source = _source_of(path)
        self.report.unchanged.append(twin)
        self.facts_changed = True
        self.note(f"{path}: the same file as stored document {twin!r}, whose old path is gone; its source is now this path")

    def add(self, path: Path, result: _Pending) -> None:
        result.previous = self.manifest.documents.get(result.document.doc_id)
        if result.previous is not None and self.stored_contents.get(result.previous.sha256) == result.document.doc_id:
            del self.stored_contents[result.previous.sha256]  # those bytes are no longer stored
        for note in result.document.notes:
            self.note(f"{path}: {note}")
        self.pending.append(result)
        self.report.characters += len(result.document.text)
        if sum(len(p.chunks) for p in self.pending) >= _FLUSH_CHUNKS:
            self.flush()
            if time.monotonic() - self.last_save > max(_SAVE_EVERY_SECONDS, _SAVE_SHARE * self.save_seconds):
                started = time.monotonic()
                self.save()
                self.last_save = time.monotonic()
                self.save_seconds = self.last_save - started

    def flush(self) -> None:
        if self.pending:
            rows, stale = _flush(self.pending, self.store, self.manifest, self.report)
            self.rows += rows
            self.stale += stale
            self.pending = []
            self.changed = True

    def save(self) -> None:
        """The manifest saved as a new generation; the indicator rows of its new documents just before it,
        so a reader never finds a document of its manifest without them (rows of a document its manifest
        lacks are passed over)."""
        put_rows(self.store, self.rows)
        self.rows = []
        self.manifest.generation += 1
        self.store.save_manifest(self.manifest)
        self.store.delete_chunks(self.stale)
        self.stale = []

    def finish(self, meta: dict[str, dict[str, Any]] | None, on_indicators: Callable[[int, int], None] | None = None) -> None:
        for path, result, twin in self.deferred:
            held = next((p.document.sha256 for p in self.pending if p.document.doc_id == twin), self.manifest.documents[twin].sha256)
            if held == result.document.sha256:
                self.duplicate(path, f"the same content as document {twin!r} ({self.manifest.documents[twin].source}); not stored twice")
            else:  # its twin was replaced in this batch: these bytes are stored nowhere else
                self.add(path, result)
        self.flush()
        if meta:
            self.facts_changed |= _apply_meta(meta, self.manifest, self.report, self.on_note)
        if self.changed or self.facts_changed:
            self.save()
        if self.changed or not self.store.lexical_is_current(self.manifest):
            self.store.sync_lexical(self.manifest)
        # The indicator table follows the manifest (and the rules), so no question extracts.
        sync_table(self.store, self.manifest, on_indicators)


def _source_of(path: Path) -> str:
    """The source recorded for a document: absolute, so that it means the same file from any folder."""
    return str(path.absolute())


def _source_key(source: str) -> str:
    return os.path.realpath(source)


def _source_exists(source: str) -> bool:
    return Path(source).exists()


def _same_bytes(path: Path, sha256: str) -> bool:
    return _file_sha256(path) == sha256


def _file_sha256(path: Path) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def assign_ids(files: list[Path], manifest: Manifest) -> dict[Path, str]:
    """Each file's document id: the id its path already has in the store, else its name's stem.

    A stem already taken by another file that still exists gets the parent folder's name
    (`报告~2025`), so two reports with one file name in two folders are both kept. A stored
    document whose file is gone gives its id to a file with its bytes (it moved); a file with other
    bytes gets a new id, so nothing stored is replaced by a file it merely shares a name with."""
    by_source = {_source_key(entry.source): entry.doc_id for entry in manifest.documents.values()}
    assigned: dict[Path, str] = {}
    taken: set[str] = set()
    for path in files:
        doc_id = by_source.get(_source_key(str(path)))
        if doc_id is None or doc_id in taken:
            stem = doc_id_for(path)
            entry = manifest.documents.get(stem)
            if stem not in taken and (entry is None or (not _source_exists(entry.source) and _same_bytes(path, entry.sha256))):
                doc_id = stem
            else:
                base = f"{stem}~{path.absolute().parent.name or 'root'}"
                doc_id, number = base, 2
                while doc_id in taken or (doc_id in manifest.documents
                                          and _source_key(manifest.documents[doc_id].source) != _source_key(str(path))):
                    doc_id, number = f"{base}-{number}", number + 1
        taken.add(doc_id)
        assigned[path] = doc_id
    return assigned


def _flush(pending: list[_Pending], store: Store, manifest: Manifest,
           report: IngestReport) -> tuple[list[tuple[DocEntry, Rows, str]], list[str]]:
    """Write a batch of documents: texts and terms, then vectors, then the manifest entry (in memory).
    Returns each entry with its prepared indicator rows and its record (JSON), for the table, and the
    ids of the vectors its replaced versions leave, to delete once the manifest is saved.

    Chroma keeps what search needs (the vector, and doc_id/start/end for filtering and recovery);
    the chunk text and section path are in the store, where every reader takes them from."""
    import numpy as np

    ids: list[str] = []
    texts: list[str] = []
    metadatas: list[dict[str, Any]] = []
    entries: list[DocEntry] = []
    for item in pending:
        document = item.document
        text_file = store.write_text(document.doc_id, document.sha256, document.text)
        store.write_terms(document.doc_id, document.sha256, item.terms)
        if item.record is not None:
            store.put_record(document.doc_id, document.sha256, RULES_VERSION, item.record)
        for index, (start, end, _) in enumerate(item.chunks):
            ids.append(chunk_id(document.doc_id, document.sha256, index))
            texts.append(document.text[start:end])
            metadatas.append({"doc_id": document.doc_id, "start": start, "end": end})
        entries.append(DocEntry(
            doc_id=document.doc_id, source=_source_of(document.path), sha256=document.sha256,
            index_key=index_key(document.sha256, store.settings), encoding=document.encoding, chars=len(document.text),
            size_bytes=document.size_bytes, text_file=text_file, ingested_at=now_iso(),
            chunks=item.chunks, facts=item.facts, facts_version=FACTS_VERSION,
            overrides=dict(item.previous.overrides) if item.previous is not None else {},
            pages=list(document.pages) if document.pages is not None else None,
        ))
    vectors = None
    if pending and all(item.embeddings is not None for item in pending):
        vectors = np.concatenate([item.embeddings for item in pending if len(item.chunks)]) if ids else None
    store.upsert_chunks(ids, texts, metadatas, embeddings=vectors)
    fresh = set(ids)
    stale = [cid for item in pending if item.previous is not None for cid in item.previous.chunk_ids() if cid not in fresh]
    for item, entry in zip(pending, entries):
        if item.previous is not None and item.previous.text_file != entry.text_file:
            manifest.retire(item.previous)
        manifest.documents[entry.doc_id] = entry
        (report.replaced if item.previous is not None else report.added).append(entry.doc_id)
        report.chunks += len(entry.chunks)
    rows = [(entry, item.rows, item.record) for item, entry in zip(pending, entries) if item.rows is not None and item.record is not None]
    return rows, stale


# ---- removing documents ------------------------------------------------------------------------

@dataclass
class RemoveReport:
    removed: list[str] = field(default_factory=list)
    chunks: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"removed": self.removed, "chunks": self.chunks}


def remove_documents(doc_ids: list[str], store: Store, on_wait: Callable[[str], None] | None = None) -> RemoveReport:
    """Documents taken out of every index, under the write lock, as crash-safe as an ingest.

    The manifest saved without them is the commit: a reader from then on no longer sees them, and a
    kill before it leaves them whole. After it go their vectors, the lexical index's generation,
    their indicator rows, and their files; a kill among those leaves orphans the next write or
    `rag doctor --repair` clears, never a listed document without its parts."""
    from rag.core.errors import NotFoundError

    report = RemoveReport()
    with store.write_lock(on_wait=on_wait, operation="remove"):
        manifest = store.load_manifest()
        unknown = [doc_id for doc_id in doc_ids if doc_id not in manifest.documents]
        if unknown:  # nothing removed when any id is wrong: a typo never half-applies a list
            raise NotFoundError(f"no document {unknown[0]!r} in {store.root} (see `rag docs`); nothing removed")
        store.prune_texts(manifest)  # what the previous write retired
        entries = [manifest.documents.pop(doc_id) for doc_id in dict.fromkeys(doc_ids)]
        for entry in entries:
            manifest.retire(entry)
        manifest.generation += 1
        store.save_manifest(manifest)
        store.delete_chunks([cid for entry in entries for cid in entry.chunk_ids()])
        store.sync_lexical(manifest)
        sync_table(store, manifest)
        for entry in entries:
            store.delete_terms_of(entry)
            report.removed.append(entry.doc_id)
            report.chunks += len(entry.chunks)
    return report


# ---- facts the user sets -----------------------------------------------------------------------

META_FIELDS = {"title": str, "region": str, "region_parent": str, "doc_type": str, "review_year": int, "plan_year": int}


def read_meta(path: Path) -> dict[str, dict[str, Any]]:
    """Facts to set, by document: a CSV with a `doc_id` column (or `file`) and any of the fact
    columns, or JSON `{doc_id: {field: value}}` / `[{"doc_id": …, field: value}]`. A document may
    be named by its id, its file name or its path. Raises InputFileError naming the file."""
    import csv
    import json

    from rag.core.records import DocType

    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"cannot read the metadata file ({exc})") from None
    rows: list[dict[str, Any]]
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise InputFileError(path, f"not JSON ({exc})") from None
        rows = [{"doc_id": k, **v} for k, v in data.items()] if isinstance(data, dict) else data
    else:
        rows = list(csv.DictReader(raw.splitlines()))
    meta: dict[str, dict[str, Any]] = {}
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise InputFileError(path, f"row {number}: expected an object of facts")
        key = str(row.get("doc_id") or row.get("file") or "").strip()
        if not key:
            raise InputFileError(path, f"row {number}: no doc_id (or file) to say which document")
        facts: dict[str, Any] = {}
        for name, value in row.items():
            if name in ("doc_id", "file") or value in (None, ""):
                continue
            if name not in META_FIELDS:
                raise InputFileError(path, f"row {number}: unknown field {name!r} (use {', '.join(META_FIELDS)})")
            try:
                value = META_FIELDS[name](str(value).strip())
            except ValueError:
                raise InputFileError(path, f"row {number}: {name} {value!r} is not a year") from None
            if name.endswith("_year") and not 1949 <= value <= 2100:
                raise InputFileError(path, f"row {number}: {name} {value} is not a plausible year")
            if name == "doc_type" and value not in {t.value for t in DocType}:
                raise InputFileError(path, f"row {number}: doc_type {value!r} is not one of {', '.join(t.value for t in DocType)}")
            facts[name] = value
        if "region" in facts:
            from rag.extract.rules.identity import resolve_region

            region = resolve_region(facts["region"], facts.get("region_parent"))
            facts.update(region=region.name, region_code=region.code, region_parent=region.parent)
        meta[key] = facts
    return meta


def _apply_meta(meta: dict[str, dict[str, Any]], manifest: Manifest, report: IngestReport,
                on_note: Callable[[str], None] | None) -> bool:
    by_name: dict[str, str] = {}
    for entry in manifest.documents.values():
        by_name.setdefault(entry.source, entry.doc_id)
        by_name.setdefault(Path(entry.source).name, entry.doc_id)
    applied = False
    for key, facts in meta.items():
        doc_id = key if key in manifest.documents else by_name.get(key) or by_name.get(str(Path(key).resolve()))
        if doc_id is None:
            message = f"metadata for {key!r}: no such document in the store"
            report.notes.append(message)
            if on_note is not None:
                on_note(message)
            continue
        manifest.documents[doc_id].overrides.update(facts)
        applied = True
    return applied


def check_store(store: Store, repair: bool = False, on_wait: Callable[[str], None] | None = None) -> Any:
    """`rag doctor`: the store's checkup, lent the rules' facts and records version."""
    from rag.extract.rules.engine import RULES_VERSION
    from rag.index.doctor import check

    return check(store, repair=repair, on_wait=on_wait, facts_of=document_facts, records_version=RULES_VERSION)


if TYPE_CHECKING:
    from rag.answer.base import Answerer
    from rag.brief.briefing import Summarizer
    from rag.extract.base import Extractor


# ---- engines: chosen here, from settings, and nowhere else --------------------------------------

Note = Callable[[str], None]


def engine_kind(settings: Settings, kind: str | None = None) -> str:
    """`offline` or `openai`: the kind asked, else the settings' (`auto` → openai when a model is set)."""
    return kind or settings.resolved_engine()


def extractor(settings: Settings, kind: str | None = None, on_note: Note | None = None) -> Extractor:
    if engine_kind(settings, kind) == "openai":
        from rag.extract.model import OpenAIEngine

        return OpenAIEngine(settings, on_note=on_note)
    from rag.extract.rules.engine import RulesEngine

    return RulesEngine()


def answerer(retriever: Any, settings: Settings, kind: str | None = None, on_note: Note | None = None) -> Answerer:
    if engine_kind(settings, kind) == "openai":
        from rag.answer.model import LLMAnswerer

        return LLMAnswerer(retriever, settings, on_note=on_note)
    from rag.answer.offline import OfflineAnswerer

    return OfflineAnswerer(retriever)


def summarizer(settings: Settings, kind: str | None = None, on_note: Note | None = None) -> Summarizer:
    from rag.brief.briefing import ModelSummary, NoSummary

    return ModelSummary(settings, on_note) if engine_kind(settings, kind) == "openai" else NoSummary()
