"""Consistency of the store: what `rag doctor` checks, and what it repairs.

A consistent store has a readable manifest; for every document its original text, with every chunk
span inside it; in Chroma exactly the manifest's chunk ids, once each; a lexical index of the
manifest's generation over the same chunk ids; and no leftovers (unreferenced texts, tokens or
records, staging folders and temporary files of a writer that was killed).

Repairs, under the write lock: an unreadable manifest is rebuilt from Chroma's metadata and the
content-addressed texts; missing vectors are re-embedded from the stored text; orphan vectors are
deleted; the lexical index is rebuilt; leftovers are removed. A document whose text is gone is
dropped from the store and named, so it can be ingested again.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rag.core.errors import StoreError, VectorsUnavailableError
from rag.index.store import DocEntry, Manifest, Store, _safe_name, interruption_line, now_iso

_PAGE = 2000


@dataclass
class Finding:
    problem: str
    repaired: bool = False

    def line(self) -> str:
        return f"{'repaired' if self.repaired else 'problem'}: {self.problem}"


@dataclass
class Checkup:
    documents: int = 0
    chunks: int = 0
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be checked, and why

    @property
    def healthy(self) -> bool:
        return all(f.repaired for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "chunks": self.chunks, "healthy": self.healthy,
                "findings": [{"problem": f.problem, "repaired": f.repaired} for f in self.findings], "notes": self.notes}


def _chroma_ids(store: Store) -> dict[str, dict[str, Any]]:
    """Every chunk id in the collection with its metadata, page by page."""
    from rag.core.errors import NotFoundError

    try:
        collection = store.collection()
    except NotFoundError:
        return {}
    out: dict[str, dict[str, Any]] = {}
    offset = 0
    while True:
        page = store._chroma_call(collection.get, include=["metadatas"], limit=_PAGE, offset=offset)
        for cid, meta in zip(page["ids"], page["metadatas"]):
            out[cid] = meta or {}
        if len(page["ids"]) < _PAGE:
            return out
        offset += _PAGE


def _recover_manifest(store: Store, vectors: dict[str, dict[str, Any]], facts_of: FactsOf | None) -> Manifest:
    """A manifest rebuilt from Chroma's chunk metadata and the texts named by their content hash."""
    grouped: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for cid, meta in vectors.items():
        if "doc_id" in meta:
            grouped.setdefault(meta["doc_id"], []).append((cid, meta))
    manifest = Manifest(embedder=None)
    for doc_id, chunks in grouped.items():
        prefix = chunks[0][0].split(":")[-2]  # chunk ids are doc_id:sha256[:12]:index
        text_file = f"{_safe_name(doc_id)}-{prefix}.txt"
        try:
            with open(store.root / "texts" / text_file, encoding="utf-8", newline="") as handle:
                text = handle.read()
        except OSError:
            continue
        from rag.ingest.chunking import chunk_document

        chunks = sorted(chunks, key=lambda c: int(c[0].rsplit(":", 1)[1]))
        sections = {c.span.start: c.section for c in chunk_document(doc_id, text)}
        manifest.documents[doc_id] = DocEntry(
            doc_id=doc_id, source="(recovered by rag doctor)", sha256=prefix, index_key="recovered", encoding="unknown",
            chars=len(text), size_bytes=0, text_file=text_file, ingested_at=now_iso(),
            chunks=[(int(m["start"]), int(m["end"]), sections.get(int(m["start"]), "")) for _, m in chunks],
            facts=facts_of(text) if facts_of is not None else {},
        )
    return manifest


# What the extraction stage lends the checkup (the store knows nothing of rules): the facts of a
# text, for a manifest rebuilt from scratch, and the records version, to tell stale cached records.
FactsOf = Callable[[str], dict[str, Any]]


@dataclass
class _Rules:
    facts_of: FactsOf | None
    records_version: str | None


def check(store: Store, repair: bool = False, on_wait: Callable[[str], None] | None = None, *,
          facts_of: FactsOf | None = None, records_version: str | None = None) -> Checkup:
    """The store checked (and repaired, with `repair`): manifest, texts, vectors, lexical index, leftovers."""
    checkup = Checkup()
    if not store.root.exists():
        raise StoreError(f"no store at {store.root}")
    rules = _Rules(facts_of, records_version)
    interrupted = store.interrupted_write()  # asked before this checkup takes the lock itself
    store.interruption_checked = True  # a finding below, not a note besides
    if interrupted is not None:
        checkup.findings.append(Finding(interruption_line(store.root, interrupted), repair))
    if repair:
        if store.is_read_only():
            raise StoreError(f"{store.root} is read-only: `rag doctor` can check it but not repair it")
        with store.write_lock(on_wait=on_wait, operation="repair"):
            _check(store, checkup, True, rules)
    else:
        _check(store, checkup, False, rules)
    return checkup


def _check(store: Store, checkup: Checkup, repair: bool, rules: _Rules) -> None:
    try:
        vectors: dict[str, dict[str, Any]] | None = _chroma_ids(store)
    except VectorsUnavailableError as exc:  # a read-only store: the rest is still checked
        vectors = None
        checkup.notes.append(f"{exc}: its vectors were not checked")
    manifest = _manifest(store, checkup, vectors or {}, repair, rules.facts_of)
    if manifest is None:
        return
    _check_texts(store, checkup, manifest, repair)
    if vectors is not None:
        _check_vectors(store, checkup, manifest, vectors, repair)
    _check_lexical(store, checkup, manifest, repair)
    _check_leftovers(store, checkup, manifest, repair, rules.records_version)


def _manifest(store: Store, checkup: Checkup, vectors: dict[str, dict[str, Any]], repair: bool, facts_of: FactsOf | None) -> Manifest | None:
    """The manifest; unreadable, it is rebuilt from Chroma and the stored texts when repairing."""
    try:
        return store.load_manifest()
    except StoreError as exc:
        if not repair:
            checkup.findings.append(Finding(str(exc)))
            return None
    manifest = _recover_manifest(store, vectors, facts_of)
    manifest.embedder = store.check_embedder(manifest)
    checkup.findings.append(Finding(f"manifest was unreadable; rebuilt from Chroma and the stored texts ({len(manifest.documents)} documents)", True))
    manifest.generation += 1
    store.save_manifest(manifest)
    return manifest


def _check_texts(store: Store, checkup: Checkup, manifest: Manifest, repair: bool) -> None:
    """Every document's text, and every chunk inside it."""
    for doc_id, entry in sorted(manifest.documents.items()):
        try:
            text = store.text(doc_id, manifest, cache=False)
        except StoreError:
            checkup.findings.append(Finding(f"{doc_id}: its text is missing; dropped from the store, ingest {entry.source} again", repair))
            if repair:
                del manifest.documents[doc_id]
            continue
        bad = [c for c in entry.chunks if not (0 <= c[0] <= c[1] <= len(text))]
        if bad or len(text) != entry.chars:
            checkup.findings.append(Finding(f"{doc_id}: chunk spans do not fit its text; dropped, ingest {entry.source} again", repair))
            if repair:
                del manifest.documents[doc_id]
    checkup.documents = len(manifest.documents)
    checkup.chunks = sum(len(entry.chunks) for entry in manifest.documents.values())


def _check_vectors(store: Store, checkup: Checkup, manifest: Manifest, vectors: dict[str, dict[str, Any]], repair: bool) -> None:
    """Chroma holds exactly the manifest's chunks."""
    expected = {cid: (entry, index) for entry in manifest.documents.values() for index, cid in enumerate(entry.chunk_ids())}
    checkup.chunks = len(expected)
    missing = [cid for cid in expected if cid not in vectors]
    orphans = [cid for cid in vectors if cid not in expected]
    if missing:
        checkup.findings.append(Finding(f"{len(missing)} chunk(s) in the manifest have no vector in Chroma", repair))
        if repair:
            ids, texts, metadatas = [], [], []
            for cid in missing:
                entry, index = expected[cid]
                start, end, _section = entry.chunks[index]
                ids.append(cid)
                texts.append(store.text(entry.doc_id, manifest)[start:end])
                metadatas.append({"doc_id": entry.doc_id, "start": start, "end": end})
            store.upsert_chunks(ids, texts, metadatas)
    if orphans:
        checkup.findings.append(Finding(f"{len(orphans)} vector(s) in Chroma belong to no document of the manifest", repair))
        if repair:
            store.delete_chunks(orphans)


def _check_lexical(store: Store, checkup: Checkup, manifest: Manifest, repair: bool) -> None:
    """The lexical index holds every document in its stored version, in the manifest's generation."""
    try:
        lexical = store.load_lexical(manifest)
        unreadable = False
    except StoreError:
        lexical, unreadable = None, True
    wanted = {entry.doc_id: entry.sha256[:12] for entry in manifest.documents.values()}
    chunk_counts = {entry.doc_id: len(entry.chunks) for entry in manifest.documents.values()}
    covered = lexical is not None and lexical.covers(wanted, chunk_counts)
    if unreadable or not covered or not store.lexical_is_current(manifest):
        checkup.findings.append(Finding("the lexical index is unreadable" if unreadable else "the lexical index does not match the manifest", repair))
        if repair:
            manifest.generation += 1
            store.save_manifest(manifest)
            store.sync_lexical(manifest, rebuild=unreadable or not covered)
    elif repair and any(f.repaired for f in checkup.findings):
        manifest.generation += 1
        store.save_manifest(manifest)
        store.sync_lexical(manifest)


def _check_leftovers(store: Store, checkup: Checkup, manifest: Manifest, repair: bool, records_version: str | None) -> None:
    leftovers = _leftovers(store, manifest, records_version)
    if leftovers:
        checkup.findings.append(Finding(f"{len(leftovers)} leftover file(s) (unreferenced texts, tokens or records; interrupted writes)", repair))
        if repair:
            for path in leftovers:
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def _leftovers(store: Store, manifest: Manifest, records_version: str | None) -> list[Any]:
    root = store.root
    texts = {entry.text_file for entry in manifest.documents.values()}
    tokens = {f"{_safe_name(d)}.npz" for d in manifest.documents}
    records = {f"{_safe_name(e.doc_id)}-{e.sha256[:12]}-{records_version}.json" for e in manifest.documents.values()}
    out = []
    folders = (("texts", texts), ("tokens", tokens)) + ((("records", records),) if records_version is not None else ())
    for folder, keep in folders:
        if (root / folder).is_dir():
            out += [p for p in (root / folder).iterdir() if p.name not in keep]
    retired = {path for pattern in manifest.retired for path in root.glob(pattern)}
    out = [p for p in out if p not in retired]  # kept for readers of the previous generation
    out += [p for p in root.rglob(".*.tmp") if "chroma" not in p.parts]
    if store.lexical_path.is_dir():
        out += [p for p in store.lexical_path.iterdir() if p.name.startswith(".staging-")]
    return out
