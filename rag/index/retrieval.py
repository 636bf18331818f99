"""Retrieval: hybrid search over the store.

Chroma's dense neighbours and our BM25 ranking are fused by reciprocal rank fusion, after the
query is expanded with a small curated list of the genre's abbreviations (`GDP` ↔ `地区生产总值`).
Hits carry the chunk's span into the original text, its section path and both ranks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rag.core.errors import NotFoundError, VectorsUnavailableError
from rag.core.lexicon import lexicon
from rag.core.spans import Span
from rag.index.hashing import hash_embed, hash_signature
from rag.index.lexical import segment, vocabulary_tokens
from rag.index.store import Manifest, Store
from rag.ingest.cleaning import fold

# Terms that name the same thing in these documents; a query with one also searches the others.
# Names of one thing (`高企` = `高新技术企业`), from rag/core/lexicon/equivalences.toml.
EQUIVALENCES: tuple[tuple[str, ...], ...] = tuple(tuple(group) for group in lexicon("equivalences")["groups"])

RRF_K = 60
# Up to this many chunks (a few documents), a scoped search ranks by exact vectors made here rather
# than asking Chroma: about 0.2 s of hashing against 0.7 s to import Chroma and its whole index.
EXACT_DENSE_CHUNKS = 2000


def expand_query(query: str) -> str:
    folded = fold(query)
    extras: list[str] = []
    for group in EQUIVALENCES:
        if any(fold(term) in folded for term in group):
            extras.extend(term for term in group if fold(term) not in folded and term not in extras)
    return f"{query} {' '.join(extras)}" if extras else query


class _Either:
    """Membership in the index's vocabulary or a small set of words, asked for many words at once."""

    def __init__(self, vocabulary: Any, extra: set[str]) -> None:
        self.vocabulary, self.extra = vocabulary, extra

    def known(self, words: Any) -> list[str]:
        words = list(words)
        found = set(self.vocabulary.known(words)) if self.vocabulary is not None else set()
        return [w for w in words if w in found or w in self.extra]


@dataclass
class Hit:
    chunk_id: str
    doc_id: str
    index: int
    span: Span
    section: str
    text: str
    score: float
    dense_rank: int | None
    lexical_rank: int | None
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "chunk_id": self.chunk_id, "doc_id": self.doc_id, "index": self.index, "section": self.section,
            "span": list(self.span), "score": round(self.score, 6), "dense_rank": self.dense_rank,
            "lexical_rank": self.lexical_rank, "text": self.text,
        }
        if self.page is not None:
            out["page"] = self.page
        return out


@dataclass(frozen=True)
class _ChunkRef:
    doc_id: str
    index: int
    span: Span
    section: str


class Retriever:
    """Hybrid search over one store; load once, search many times."""

    def __init__(self, store: Store, manifest: Manifest | None = None) -> None:
        self.store = store
        self.manifest = manifest or store.load_manifest()
        if not self.manifest.documents:
            raise NotFoundError(f"the store at {store.root} holds no documents; run `rag ingest PATH` first")
        self._chunk_count = sum(len(e.chunks) for e in self.manifest.documents.values())
        self._lexical = store.load_lexical(self.manifest)
        self._vectors_unavailable = False
        self._vectors: dict[str, Any] = {}  # a document's chunk vectors, made for an exact search

    def _ref(self, cid: str) -> _ChunkRef | None:
        """A chunk of the manifest by id (`doc_id:sha12:index`); None for one it no longer has, as a
        lexical index a generation behind or an orphan vector may name."""
        doc_id, _, rest = cid.rpartition(":")
        doc_id, _, sha = doc_id.rpartition(":")
        entry = self.manifest.documents.get(doc_id)
        if entry is None or entry.sha256[:12] != sha or not rest.isdigit() or int(rest) >= len(entry.chunks):
            return None
        start, end, section = entry.chunks[int(rest)]
        return _ChunkRef(doc_id, int(rest), Span(start, end), section)

    def segment(self, text: str, extra_words: Any = ()) -> list[str]:
        """Words of a short text, by the index's vocabulary (and `extra_words`), without jieba."""
        vocabulary = self._lexical.vocabulary if self._lexical is not None else None
        return segment(text, _Either(vocabulary, set(extra_words)))

    def check_documents(self, doc_ids: list[str] | None) -> None:
        """Every id asked for is a stored document, else a one-line error naming the first that is not."""
        unknown = [d for d in doc_ids or [] if d not in self.manifest.documents]
        if unknown:
            raise NotFoundError(f"no document {unknown[0]!r} in the store (see `rag docs`)")

    def search(self, query: str, k: int = 5, doc_ids: list[str] | None = None) -> list[Hit]:
        self.check_documents(doc_ids)
        doc_ids = list(dict.fromkeys(doc_ids)) if doc_ids else None  # `--doc A --doc A` is A once
        expanded = expand_query(query)
        pool = max(4 * k, 20)
        dense = self._dense(expanded, pool, doc_ids)
        lexical = self._lexical_ranking(expanded, pool, doc_ids)

        fused: dict[str, float] = {}
        for ranking in (dense, lexical):
            for rank, cid in enumerate(ranking, start=1):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank)
        dense_rank = {cid: r for r, cid in enumerate(dense, start=1)}
        lexical_rank = {cid: r for r, cid in enumerate(lexical, start=1)}
        refs = {cid: ref for cid in fused if (ref := self._ref(cid)) is not None}
        ordered = sorted(refs, key=lambda cid: (-fused[cid], refs[cid].doc_id, refs[cid].index))[:k]
        hits = []
        for cid in ordered:
            ref = refs[cid]
            text = self.store.text(ref.doc_id, self.manifest)
            hits.append(Hit(cid, ref.doc_id, ref.index, ref.span, ref.section, ref.span.of(text),
                            fused[cid], dense_rank.get(cid), lexical_rank.get(cid),
                            self.manifest.documents[ref.doc_id].page_at(ref.span.start)))
        return hits

    def _dense(self, query: str, pool: int, doc_ids: list[str] | None) -> list[str]:
        candidates = sum(len(self.manifest.documents[d].chunks) for d in doc_ids) if doc_ids else self._chunk_count
        if candidates == 0:
            return []
        if doc_ids and candidates <= EXACT_DENSE_CHUNKS and self._offline_vectors():
            return self._exact_dense(query, pool, doc_ids)
        if self._vectors_unavailable:
            return []
        embedding = self.store.embedding_function([query])[0]
        try:
            pairs = self.store.dense_query(list(map(float, embedding)), min(pool, candidates), doc_ids)
        except VectorsUnavailableError as exc:
            # A team's store on a read-only share: words still find passages (documented degraded path).
            self._vectors_unavailable = True
            self.store.note(f"{exc}: searching by words only (BM25), without the vector half of hybrid search")
            return []
        return [cid for cid, _ in pairs if self._ref(cid) is not None]

    def _offline_vectors(self) -> bool:
        """The store's vectors are the offline embedder's, as these settings make them."""
        settings = self.store.settings
        return settings.embedder == "hash" and self.manifest.embedder == hash_signature(settings.embedding_dim)

    def _exact_dense(self, query: str, pool: int, doc_ids: list[str]) -> list[str]:
        """The nearest chunks of a few documents, computed here: the offline embedder's vectors of their
        chunks, made again from the stored text (0.1 ms a chunk), are exactly what Chroma holds, so a
        question scoped to a region and year is answered without importing Chroma or loading its whole
        index (a second and hundreds of MB at a thousand documents)."""
        import numpy as np

        dim = self.store.settings.embedding_dim
        vector = hash_embed([query], dim)[0]
        ids: list[str] = []
        matrices = []
        for doc_id in doc_ids:
            if doc_id not in self._vectors:
                entry = self.manifest.documents[doc_id]
                text = self.store.text(doc_id, self.manifest)
                self._vectors[doc_id] = hash_embed([text[s:e] for s, e, _ in entry.chunks], dim)
            ids += self.manifest.documents[doc_id].chunk_ids()
            matrices.append(self._vectors[doc_id])
        distances = 1.0 - np.concatenate(matrices) @ vector  # Chroma's cosine distance
        order = np.argsort(distances, kind="stable")[:pool]
        return [ids[i] for i in order]

    def _lexical_ranking(self, query: str, pool: int, doc_ids: list[str] | None) -> list[str]:
        if self._lexical is None:
            return []
        ranking = self._lexical.ranking(vocabulary_tokens(query, self._lexical.vocabulary), pool, doc_ids)
        return [cid for cid in ranking if self._ref(cid) is not None]


def expand_abbreviations(text: str) -> str:
    """Abbreviations of the genre written out (`高企` → `高新技术企业`, `GDP` → `地区生产总值`)."""
    folded = fold(text)
    for group in EQUIVALENCES:
        full = max(group, key=len)
        for short in group:
            if short == full:
                continue
            if fold(short) in folded and fold(full) not in folded:
                folded = folded.replace(fold(short), fold(full))
            else:  # `外贸进出口总值`: the short form beside its full form says nothing more
                folded = folded.replace(fold(short) + fold(full), fold(full)).replace(fold(full) + fold(short), fold(full))
    return folded
