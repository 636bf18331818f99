"""The store: Chroma for vectors, and beside it what Chroma cannot keep for us.

Layout of the store folder (`.rag/` by default):
  chroma/          the Chroma PersistentClient (absent when `--chroma-url` points at a server)
  manifest.json    the truth about what is indexed: documents, hashes, chunk spans and sections
  texts/           each document's decoded original text, so any span can be checked later
  tokens/          each document's chunk term counts, from which its lexical postings are built
  lexical/         the BM25 index: immutable segments, listed by numbered generations
  write.lock       held by the one writer; Chroma is not safe with two writers on one path
  writing.json     left by a writer until it commits (its operation, process and start): found
                   with no writer holding write.lock, it tells readers a write was interrupted
  chroma.lock      held for each call into the local Chroma files (a batch, a query), so a reader
                   never applies Chroma's log while a writer appends to it

Writes go texts → Chroma → manifest → lexical index, so a crash leaves at worst orphan vectors or a
lexical index one generation behind; readers tolerate both, and the next write repairs them.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlparse

from rag.core.errors import ConfigError, NotFoundError, StoreError, VectorsUnavailableError
from rag.core.settings import Settings

MANIFEST_VERSION = 1


@dataclass
class DocEntry:
    doc_id: str
    source: str
    sha256: str
    index_key: str
    encoding: str
    chars: int
    size_bytes: int
    text_file: str
    ingested_at: str
    # (start, end, section) of each chunk, in document order.
    chunks: list[tuple[int, int, str]] = field(default_factory=list)
    # title, region, doc_type, review_year, plan_year: what questions and briefings select by.
    facts: dict[str, Any] = field(default_factory=dict)
    # A PDF's page starts in the text, so citations can name the page.
    pages: list[int] | None = None
    # The version of the rules that read `facts`; other rules recompute them.
    facts_version: str = ""
    # Facts the user set (`rag ingest --meta`): they win over what the rules read and survive re-ingest.
    overrides: dict[str, Any] = field(default_factory=dict)

    def effective_facts(self) -> dict[str, Any]:
        return {**self.facts, **self.overrides}

    def page_at(self, position: int) -> int | None:
        if not self.pages:
            return None
        import bisect

        return bisect.bisect_right(self.pages, position)

    def chunk_ids(self) -> list[str]:
        return [chunk_id(self.doc_id, self.sha256, i) for i in range(len(self.chunks))]


@dataclass
class Manifest:
    version: int = MANIFEST_VERSION
    generation: int = 0
    embedder: dict[str, Any] | None = None
    documents: dict[str, DocEntry] = field(default_factory=dict)
    # Files of versions this generation replaced or removed (glob patterns under the store): a reader
    # that loaded the previous manifest may still read them, so the next write deletes them, and
    # `rag doctor` does not count them as leftovers meanwhile.
    retired: list[str] = field(default_factory=list)

    def retire(self, entry: DocEntry) -> None:
        self.retired += [f"texts/{entry.text_file}", f"records/{_safe_name(entry.doc_id)}-{entry.sha256[:12]}-*.json"]

    def to_json(self) -> str:
        out = io.StringIO()
        self.write_json(out)
        return out.getvalue()

    def write_json(self, handle: TextIO) -> None:
        """The manifest as JSON, written document by document: at 10,000 documents the whole text is
        over 100 MB, and building it in one string doubled that for every save."""
        def dumps(value: Any) -> str:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

        handle.write(f'{{"version":{dumps(self.version)},"generation":{dumps(self.generation)},"embedder":{dumps(self.embedder)},"documents":{{')
        for number, (doc_id, entry) in enumerate(sorted(self.documents.items())):
            # `vars`, not `asdict`: asdict copies every chunk tuple, a second per save at 1,000 documents.
            handle.write(f"{',' if number else ''}{dumps(doc_id)}:{dumps(vars(entry))}")
        handle.write(f'}},"retired":{dumps(self.retired)}}}')

    @classmethod
    def from_json(cls, raw: str) -> Manifest:
        data = json.loads(raw)
        documents = {}
        for doc_id, entry in data.get("documents", {}).items():
            entry["chunks"] = [tuple(c) for c in entry.get("chunks", [])]
            documents[doc_id] = DocEntry(**entry)
        return cls(version=data.get("version", MANIFEST_VERSION), generation=data.get("generation", 0),
                   embedder=data.get("embedder"), documents=documents, retired=list(data.get("retired", [])))


def chunk_id(doc_id: str, sha256: str, index: int) -> str:
    return f"{doc_id}:{sha256[:12]}:{index}"


def _safe_name(doc_id: str) -> str:
    # Document ids come from file names; they never become paths themselves.
    return hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:20]


# Held Chroma locks of this process by lock file: [descriptor or None, users, lock for its threads].
_CHROMA_LOCKS: dict[str, list[Any]] = {}
_CHROMA_LOCKS_GUARD = threading.Lock()


def _lock_file(path: Path) -> int | None:
    """A POSIX lock on `path`: exclusive where we may write, shared where we may only read (it
    still waits for a writer). None where no lock can be had; then there is no writer to wait for."""
    import fcntl

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, kind = os.open(path, os.O_RDWR | os.O_CREAT, 0o644), fcntl.LOCK_EX
    except OSError:
        try:
            fd, kind = os.open(path, os.O_RDONLY), fcntl.LOCK_SH
        except OSError:
            return None
    try:
        # A POSIX lock belongs to this process alone: the ingest's forked workers never hold it.
        fcntl.lockf(fd, kind)
    except OSError:  # a file system without locks (some network mounts): go on without
        os.close(fd)
        return None
    return fd


def write_atomic(path: Path, content: str | Callable[[TextIO], None], durable: bool = True) -> None:
    """Write a file so that readers see the old content or the new, never a part. `durable=False`
    leaves reaching the disk to `flush_to_disk`, called once before the file that refers to it is
    written (a document's text, terms and record before the manifest): one sync per batch instead
    of three per document, which took a tenth of an ingest."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            if isinstance(content, str):
                handle.write(content)
            else:
                content(handle)  # writes it piece by piece
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)  # the old file stands; no half-written copy beside it
        raise
    os.replace(tmp, path)


def flush_to_disk() -> None:
    """Everything written so far on its way to the disk before what refers to it is written."""
    if hasattr(os, "sync"):
        os.sync()


class Store:
    def __init__(self, settings: Settings, on_note: Callable[[str], None] | None = None) -> None:
        self.settings = settings
        self.root = Path(settings.store)
        self._texts: dict[str, str] = {}
        self._on_note = on_note
        self.notes: list[str] = []  # what a reader should be told about the store, once each
        self.interruption_checked = False
        self._operation: str | None = None  # the operation holding the write lock, if any
        self._marked = False

    def note(self, message: str) -> None:
        if message in self.notes:
            return
        self.notes.append(message)
        if self._on_note is not None:
            self._on_note(message)

    # ---- paths and description ---------------------------------------------------------------

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    @property
    def chroma_path(self) -> Path:
        return self.root / "chroma"

    @property
    def lexical_path(self) -> Path:
        return self.root / "lexical"

    def describe(self) -> str:
        return self.settings.chroma_url or str(self.root / "chroma")

    # ---- the write lock ----------------------------------------------------------------------

    @property
    def marker_path(self) -> Path:
        return self.root / "writing.json"

    def is_read_only(self) -> bool:
        """The store's folder cannot be written (a read-only share or mount)."""
        return (self.root.is_dir() and not os.access(self.root, os.W_OK)) or _on_read_only_mount(self.root)

    def interrupted_write(self) -> dict[str, Any] | None:
        """What a writer that never committed was doing (its marker), unless a writer is at work now."""
        found = self._marker_unless_writing()
        return found if isinstance(found, dict) else None

    def _marker_unless_writing(self) -> dict[str, Any] | str | None:
        """"writing" while a writer holds the lock; else the marker a writer left (None: none). The marker
        is read under a shared lock, so a writer that commits and lets go meanwhile is never taken
        for one that was killed."""
        import fcntl

        try:
            fd: int | None = os.open(self.root / "write.lock", os.O_RDONLY)
        except OSError:
            fd = None  # never written here, or a share without the lock file: no writer to ask
        try:
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # filelock's lock is a flock
                except BlockingIOError:
                    return "writing"
                except OSError:
                    pass  # a file system without flock: the marker alone decides
            return self._read_marker()
        finally:
            if fd is not None:
                os.close(fd)  # and with it the shared lock

    def _read_marker(self) -> dict[str, Any] | None:
        try:
            raw = self.marker_path.read_text(encoding="utf-8")
        except OSError:
            return None
        try:
            found = json.loads(raw)
            return found if isinstance(found, dict) else {}
        except ValueError:
            return {}  # a marker cut short by the crash itself

    def check_interrupted(self) -> None:
        """Tell a reader, once, that the last write did not finish (answers come from what it committed)."""
        if self.interruption_checked:
            return
        self.interruption_checked = True
        found = self.interrupted_write()
        if found is not None:
            again = " (or the same ingest again)" if found.get("operation") == "ingest" else ""
            self.note(f"{interruption_line(self.root, found)}; answers come from what it had committed. "
                      f"Run `rag doctor --repair`{again}")

    def begin_write(self) -> None:
        """Called before each change to the store: the first, under an operation's write lock, leaves
        the marker that stays until the operation commits. A write that stops before changing anything
        (an unknown id, another embedder) leaves none."""
        if self._operation is None or self._marked:
            return
        write_atomic(self.marker_path, json.dumps({"operation": self._operation, "pid": os.getpid(), "started": now_iso()}))
        self._marked = True

    @contextmanager
    def write_lock(self, on_wait: Callable[[str], None] | None = None, operation: str | None = None) -> Iterator[None]:
        """The one writer's lock. With `operation` (ingest, remove, repair) a marker stays in the store
        until the write commits, so readers can tell a write that was killed; a writer finding one
        left by another is told, and its own commit brings the indexes back in step."""
        from filelock import FileLock, Timeout

        self.root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.root / "write.lock"))
        try:
            lock.acquire(timeout=0.5)  # a reader asking whether anyone writes holds it for a moment
        except Timeout:
            if on_wait is not None:
                on_wait(f"another rag process is writing to {self.root}; waiting for it to finish")
            try:
                lock.acquire(timeout=self.settings.lock_timeout)
            except Timeout:
                raise StoreError(f"{self.root}: still locked by another writer after {self.settings.lock_timeout:.0f} s") from None
        try:
            if operation is None:
                yield
                return
            left = self._read_marker()
            if left is not None and on_wait is not None:
                on_wait(f"{interruption_line(self.root, left)}; this {operation} brings the indexes back in step")
            self._operation, self._marked = operation, False
            try:
                yield
            finally:
                self._operation = None
            # Only a write that completed takes a marker away (its own, or one a killed writer left:
            # it has brought the indexes back in step); an error or a kill leaves it.
            self.marker_path.unlink(missing_ok=True)
        except Exception as exc:
            if not disk_full(exc):
                raise
            raise StoreError(f"the disk holding {self.root} is full; the {operation or 'write'} stopped, and what it had "
                             "committed is safe (the store answers from its last saved state). Free some space and run the "
                             "same command again; `rag doctor` checks the store") from None
        finally:
            lock.release()

    @contextmanager
    def chroma_access(self) -> Iterator[None]:
        """One process at a time inside the local Chroma files.

        Chroma's local store is not safe with a reader applying its write-ahead log while a writer
        appends to it (a reader during an ingest died in native code, and once grew the index until
        the disk was full). Every call into a local Chroma store holds this lock: a writer for one
        batch, a reader for one query, so a reader waits at most one batch. A store whose lock file
        cannot be made (a read-only share) has no writer to wait for. Re-entrant, and shared by every
        Store of one folder in the process (a POSIX lock belongs to the process)."""
        if self.settings.chroma_url is not None:
            yield
            return
        key = os.path.realpath(self.root / "chroma.lock")
        with _CHROMA_LOCKS_GUARD:
            held = _CHROMA_LOCKS.get(key)
            if held is None:
                held = _CHROMA_LOCKS[key] = [_lock_file(Path(key)), 0, threading.RLock()]
            held[1] += 1
        try:
            with held[2]:  # threads of one process take turns too
                yield
        finally:
            with _CHROMA_LOCKS_GUARD:
                held[1] -= 1
                if held[1] == 0:
                    del _CHROMA_LOCKS[key]
                    if held[0] is not None:
                        os.close(held[0])  # closing the descriptor releases the lock

    # ---- manifest ----------------------------------------------------------------------------

    def load_manifest(self) -> Manifest:
        self.check_interrupted()
        if not self.manifest_path.exists():
            return Manifest()
        try:
            return Manifest.from_json(self.manifest_path.read_text(encoding="utf-8"))
        except (ValueError, TypeError, KeyError) as exc:
            raise StoreError(f"{self.manifest_path}: unreadable manifest ({exc})") from None

    def save_manifest(self, manifest: Manifest) -> None:
        self.begin_write()
        flush_to_disk()  # the texts, terms and records it points at first
        write_atomic(self.manifest_path, manifest.write_json)

    # ---- document texts and tokens -----------------------------------------------------------

    def write_text(self, doc_id: str, sha256: str, text: str) -> str:
        self.begin_write()
        # The content hash is in the name: until the manifest points at the new version, the
        # old text that its spans index stays where it was.
        name = f"{_safe_name(doc_id)}-{sha256[:12]}.txt"
        write_atomic(self.root / "texts" / name, text, durable=False)
        return name

    def clean_interrupted_writes(self) -> None:
        """Temporary files of a writer that was killed; only called under the write lock."""
        for folder in (self.root, self.root / "texts", self.root / "tokens", self.root / "records", self.lexical_path):
            if folder.is_dir():
                for leftover in folder.glob(".*.tmp"):
                    leftover.unlink(missing_ok=True)

    def prune_texts(self, manifest: Manifest) -> None:
        """Remove text files no manifest entry refers to, and the retired versions' records (left by
        replacements and removals of the previous write)."""
        folder = self.root / "texts"
        referenced = {entry.text_file for entry in manifest.documents.values()}
        if folder.is_dir():
            for path in folder.iterdir():
                if path.suffix == ".txt" and path.name not in referenced:
                    path.unlink(missing_ok=True)
        for pattern in manifest.retired:
            if pattern.startswith("records/"):
                for path in self.root.glob(pattern):
                    path.unlink(missing_ok=True)
        manifest.retired = []
        self._texts.clear()

    def delete_terms_of(self, entry: DocEntry) -> None:
        """A removed document's term counts (its text and records are retired, for readers mid-answer)."""
        self.begin_write()
        self._terms_path(entry.doc_id).unlink(missing_ok=True)

    def text(self, doc_id: str, manifest: Manifest | None = None, cache: bool = True) -> str:
        """The decoded original text of a document, exactly as its spans index it (kept for the next
        call unless `cache` is false, as a pass over every document asks)."""
        if doc_id in self._texts:
            return self._texts[doc_id]
        manifest = manifest or self.load_manifest()
        entry = manifest.documents.get(doc_id)
        if entry is None:
            raise NotFoundError(f"no document {doc_id!r} in {self.root}")
        try:
            with open(self.root / "texts" / entry.text_file, encoding="utf-8", newline="") as handle:
                text = handle.read()
        except OSError as exc:
            raise StoreError(f"{self.root}: text of {doc_id!r} is missing ({exc.strerror})") from None
        if cache:
            self._texts[doc_id] = text
        return text

    def _record_path(self, doc_id: str, sha256: str, version: str) -> Path:
        return self.root / "records" / f"{_safe_name(doc_id)}-{sha256[:12]}-{version}.json"

    def put_record(self, doc_id: str, sha256: str, version: str, payload: str) -> None:
        """Keep a record the ingest workers read (JSON), where `cached_record` finds it."""
        write_atomic(self._record_path(doc_id, sha256, version), payload, durable=False)

    def cached_record(self, entry: DocEntry, version: str, compute: Callable[[], Any]) -> Any:
        """The rule engine's record of a document, from `records/` when this text and these rules made
        one before. Content-addressed, written atomically, so readers may fill it without the lock."""
        from rag.core.records import DocumentRecord

        path = self._record_path(entry.doc_id, entry.sha256, version)
        try:
            return DocumentRecord.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        record = compute()
        try:
            write_atomic(path, record.model_dump_json())
        except OSError:
            pass  # a read-only store still answers, only slower
        return record

    def _terms_path(self, doc_id: str) -> Path:
        return self.root / "tokens" / f"{_safe_name(doc_id)}.npz"

    def write_terms(self, doc_id: str, sha256: str, terms: Any) -> None:
        """A document's chunk term counts (`lexical.DocumentTerms`), from which its postings are built."""
        self.begin_write()
        terms.save(self._terms_path(doc_id), sha256)

    def terms_of(self, entry: DocEntry) -> Any:
        from rag.index.lexical import DocumentTerms, tokenize

        terms = DocumentTerms.load(self._terms_path(entry.doc_id), entry.sha256)
        if terms is not None and terms.chunks == len(entry.chunks):
            return terms
        # Missing or stale: recomputed from the stored text rather than lose the document.
        text = self.text(entry.doc_id, cache=False)
        terms = DocumentTerms.of(tokenize(text[s:e]) for s, e, _ in entry.chunks)
        try:
            self.write_terms(entry.doc_id, entry.sha256, terms)
        except OSError:
            pass  # a read-only store
        return terms

    # ---- Chroma ------------------------------------------------------------------------------

    @cached_property
    def embedding_function(self) -> Any:
        from rag.index.embeddings import embedding_function

        return embedding_function(self.settings)

    @cached_property
    def client(self) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        url = self.settings.chroma_url
        if url is None:
            self.chroma_path.mkdir(parents=True, exist_ok=True)
            try:
                with self.chroma_access():
                    return chromadb.PersistentClient(path=str(self.chroma_path), settings=chroma_settings)
            except Exception as exc:  # Chroma raises bare Exceptions for a damaged store
                if self.is_read_only():  # Chroma writes as it opens: on a read-only share it cannot
                    raise VectorsUnavailableError(f"{self.root} is read-only and Chroma cannot open its vectors there") from None
                raise StoreError(f"{self.chroma_path}: cannot open the Chroma store ({exc})") from None
        parsed = urlparse(url)
        if not parsed.hostname:
            raise ConfigError(f"chroma url {url!r} has no host")
        port = parsed.port or (443 if parsed.scheme == "https" else 8000)
        try:
            client = chromadb.HttpClient(host=parsed.hostname, port=port, ssl=parsed.scheme == "https", settings=chroma_settings)
            client.heartbeat()
        except Exception as exc:
            raise StoreError(f"cannot reach the Chroma server at {url} ({type(exc).__name__}: {exc})") from None
        return client

    def collection(self, create: bool = False) -> Any:
        from chromadb.errors import NotFoundError as ChromaNotFound

        try:
            with self.chroma_access():
                return self._open_collection(create)
        except ChromaNotFound:
            raise NotFoundError(f"the store at {self.describe()} has no collection {self.settings.collection!r}; run `rag ingest` first") from None
        except ValueError as exc:
            if "embedding function" in str(exc).lower():
                raise ConfigError(f"the collection at {self.describe()} was built with another embedder ({exc})") from None
            raise StoreError(f"{self.describe()}: {exc}") from None

    def _open_collection(self, create: bool) -> Any:
        if create:
            return self.client.get_or_create_collection(
                name=self.settings.collection,
                embedding_function=self.embedding_function,
                configuration={"hnsw": {"space": "cosine"}},
            )
        return self.client.get_collection(name=self.settings.collection, embedding_function=self.embedding_function)

    def check_embedder(self, manifest: Manifest) -> dict[str, Any]:
        from rag.index.embeddings import embedder_signature

        signature = embedder_signature(self.embedding_function)
        if manifest.embedder is not None and manifest.embedder != signature:
            raise ConfigError(
                f"{self.root} was built with embedder {manifest.embedder} but the settings ask for {signature}; "
                "use another --store or rebuild this one"
            )
        return signature

    def upsert_chunks(self, ids: list[str], texts: list[str], metadatas: list[dict[str, Any]], embeddings: Any = None) -> None:
        """Vectors and their small metadata into Chroma; `embeddings` when already computed."""
        if not ids:
            return
        self.begin_write()
        collection = self.collection(create=True)
        batch = min(1000, self._max_batch())
        for start in range(0, len(ids), batch):
            part = slice(start, start + batch)
            vectors = embeddings[part] if embeddings is not None else self.embedding_function(texts[part])
            self._chroma_call(collection.upsert, ids=ids[part], embeddings=vectors, metadatas=metadatas[part])

    def delete_chunks(self, ids: list[str]) -> None:
        if not ids:
            return
        self.begin_write()
        collection = self.collection(create=True)
        batch = min(1000, self._max_batch())
        for start in range(0, len(ids), batch):
            self._chroma_call(collection.delete, ids=ids[start : start + batch])

    def _max_batch(self) -> int:
        try:
            with self.chroma_access():
                return int(self.client.get_max_batch_size())
        except Exception:
            return 1000

    def _chroma_call(self, method: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            with self.chroma_access():
                return method(**kwargs)
        except (StoreError, ConfigError):
            raise
        except Exception as exc:
            raise StoreError(f"Chroma at {self.describe()} failed: {type(exc).__name__}: {exc}") from None

    def dense_query(self, embedding: list[float], n_results: int, doc_ids: list[str] | None) -> list[tuple[str, float]]:
        """(chunk id, distance) of the nearest chunks, optionally only from `doc_ids`."""
        collection = self.collection()
        where: dict[str, Any] | None = None
        if doc_ids:
            where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": doc_ids}}
        result = self._chroma_call(
            collection.query, query_embeddings=[embedding], n_results=n_results, where=where, include=["distances"]
        )
        return list(zip(result["ids"][0], result["distances"][0]))

    # ---- lexical index -----------------------------------------------------------------------

    def sync_lexical(self, manifest: Manifest, rebuild: bool = False) -> None:
        """The lexical index brought to the manifest's documents, as its generation: only documents it
        does not hold in their stored version are read (all of them with `rebuild`)."""
        self.begin_write()
        from rag.index.lexical import sync

        wanted = {entry.doc_id: entry.sha256[:12] for entry in manifest.documents.values()}
        sync(self.lexical_path, manifest.generation, wanted, lambda doc_id: self.terms_of(manifest.documents[doc_id]), rebuild=rebuild)

    def lexical_is_current(self, manifest: Manifest) -> bool:
        from rag.index.lexical import LexicalIndex

        return LexicalIndex.current_generation(self.lexical_path) == manifest.generation

    def load_lexical(self, manifest: Manifest) -> Any:
        """The lexical index with the manifest's documents live, or None where there is none yet."""
        from rag.index.lexical import LexicalIndex

        try:
            index = LexicalIndex.load(self.lexical_path)
        except (OSError, ValueError, KeyError) as exc:
            raise StoreError(f"{self.lexical_path}: unreadable lexical index ({exc}); run `rag doctor --repair`") from None
        if index is None:
            return None
        return index.bind({entry.doc_id: entry.sha256[:12] for entry in manifest.documents.values()})


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def interruption_line(root: Path, found: dict[str, Any]) -> str:
    """`the last ingest of .rag (process 412, started …) did not finish`."""
    what = found.get("operation") or "write"
    when = ", ".join(part for part in (f"process {found['pid']}" if found.get("pid") else "",
                                        f"started {found['started']}" if found.get("started") else "") if part)
    return f"the last {what} of {root}{f' ({when})' if when else ''} did not finish"


def disk_full(exc: BaseException) -> bool:
    """A write that failed for want of space, however the library reporting it words it (numpy's
    short write, SQLite's `database or disk is full`, Chroma's wrapped `No space left on device`)."""
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    message = str(exc).lower()
    return any(words in message for words in ("no space left", "disk is full", "disk full", "quota exceeded")) or (
        isinstance(exc, OSError) and exc.errno is None and "requested and" in message and "written" in message)


def _on_read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False
