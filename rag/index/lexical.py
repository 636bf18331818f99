"""Lexical side of retrieval: jieba's words of folded text, ranked with BM25 over segments of our own.

Documents are cut by jieba-rs (`rjieba`: jieba's dictionary and search mode, in Rust, about 15
times faster than jieba, which was half of an ingest's work); questions are read against the
index's own vocabulary, so no dictionary is loaded to answer one.

Local Chroma has no sparse or hybrid search, so this index is ours. It is kept in immutable
segments, each the postings (term → chunk, count) of some documents' chunks, memory-mapped when
read. Terms are 64-bit hashes of the tokens, so a segment is a few flat arrays and a lookup is a
binary search, with no vocabulary to load. An ingest adds a segment for what it wrote; a replaced
document's old version stays in its old segment but is no longer live (liveness is read from the
manifest), and small or mostly dead segments are merged. So an ingest costs what it changed, not
the corpus, and nothing ever holds every token in memory.

A generation file lists the segments; `CURRENT` names the generation and is switched atomically,
so a reader never sees a half-written index. BM25 statistics (chunk count, mean length, document
frequencies) are those of the live chunks, computed when a query is scored.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any

import numpy as np

from rag.ingest.cleaning import fold

# Domain terms jieba should keep whole (it also emits their parts in search mode).
DOMAIN_WORDS = (
    "地区生产总值", "生产总值", "固定资产投资", "社会消费品零售总额", "规模以上", "高新技术企业",
    "高新技术产业", "一般公共预算收入", "地方财政收入", "财政总收入", "实到外资", "合同外资", "实到内资",
    "外贸出口", "进出口总额", "工业增加值", "服务业增加值", "城镇居民人均可支配收入", "农村居民人均可支配收入",
    "世界500强", "招商引资", "专精特新", "乡村振兴", "营商环境", "双招双引", "个百分点", "同比增长",
)

_STOPWORDS = frozenset(["的", "了", "和", "与", "及", "等", "是", "在", "对", "为", "将", "把", "要", "并", "以", "也", "都", "就", "而", "从", "之", "其", "这", "那", "有", "着", "又", "或", "中", "上", "下", "个", "一", "年", "我们", "进一步", "全面", "加快", "推进"])
_KEEP_TOKEN_RE = re.compile(r"[\w%.]")

_CURRENT = "CURRENT"
# BM25 as Lucene scores it (bm25s's default), so rankings match what the index gave before.
K1, B = 1.5, 0.75
# A segment is written once it holds this many postings (about 500 reports of 10,000 characters),
# so building one never holds more than a few tens of megabytes.
SEGMENT_POSTINGS = 2_000_000
# Segments below a quarter of that, or with more dead postings than live, are merged once there
# are this many of them (or at once, for the mostly dead).
MERGE_AT = 6


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import rjieba

    for word in DOMAIN_WORDS:
        rjieba.add_word(word, 200000, None)
    return rjieba


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens of the folded text (HMM on), without punctuation and the commonest words."""
    return tokenize_folded(fold(text))


def tokenize_folded(folded: str) -> list[str]:
    """`tokenize` of a text already folded (an ingest folds each document once, not each chunk again)."""
    if len(_KEPT_TOKENS) >= _CACHED_TOKENS:
        _KEPT_TOKENS.clear()
    kept = _KEPT_TOKENS
    tokens = []
    for token in _segmenter().cut_for_search(folded, True):
        word = kept.get(token)
        if word is None:
            word = kept[token] = _kept(token)
        if word:
            tokens.append(word)
    return tokens


# Each token jieba gave, with what is kept of it ("": nothing): the genre repeats its words.
_KEPT_TOKENS: dict[str, str] = {}
# Each cache of tokens starts afresh at this many (about 60 MB): a worker's memory stays bounded
# whatever the vocabulary, and the common words are back in it within a few documents.
_CACHED_TOKENS = 500_000


def _kept(token: str) -> str:
    token = token.strip()
    return token if token and token not in _STOPWORDS and _KEEP_TOKEN_RE.search(token) else ""


def term_hash(token: str) -> int:
    """The 64-bit key a token is indexed under (stable across processes, unlike `hash`)."""
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


_LONGEST_WORD = 8
# Tokens hashed so far in this process (an ingest worker meets the genre's words again and again).
_KNOWN_HASHES: dict[str, int] = {}


def _candidates(folded: str) -> set[str]:
    return {folded[s : s + n] for s in range(len(folded)) for n in range(1, min(_LONGEST_WORD, len(folded) - s) + 1)}


def _known(folded: str, vocabulary: Any) -> set[str]:
    """The substrings of `folded` (up to the longest word) that `vocabulary.known` holds, asked in one go."""
    return set(vocabulary.known(_candidates(folded)))


def vocabulary_tokens(text: str, vocabulary: Any) -> list[str]:
    """Every vocabulary word that occurs in the folded text, as jieba's search mode would emit it.

    Queries are tokenized against the index's own vocabulary: a word outside it scores nothing in
    BM25, so nothing is lost, and jieba's dictionary need not be loaded to answer a question."""
    folded = fold(text)
    known = _known(folded, vocabulary)
    tokens: list[str] = []
    covered = [False] * len(folded)
    for start in range(len(folded)):
        for length in range(min(_LONGEST_WORD, len(folded) - start), 1, -1):
            word = folded[start : start + length]
            if word in known and word not in _STOPWORDS and _KEEP_TOKEN_RE.search(word):
                tokens.append(word)
                covered[start : start + length] = [True] * length
    # A single character counts only where no longer word does (as in jieba's segmentation).
    for position, char in enumerate(folded):
        if not covered[position] and char in known and char not in _STOPWORDS and _KEEP_TOKEN_RE.search(char):
            tokens.append(char)
    return tokens


def segment(text: str, words: Any) -> list[str]:
    """Forward maximum matching against `words`: the longest known word at each position, else one
    character. Good enough for short questions, and needs no dictionary beyond the index's."""
    folded = fold(text)
    known = _known(folded, words)
    out, position = [], 0
    while position < len(folded):
        for length in range(min(_LONGEST_WORD, len(folded) - position), 0, -1):
            word = folded[position : position + length]
            if length == 1 or word in known:
                out.append(word)
                position += length
                break
    return out


# ---- one document's terms, as the ingest workers compute them --------------------------------

@dataclass
class DocumentTerms:
    """The term counts of one document's chunks: chunk i's terms are `hashes[offsets[i]:offsets[i+1]]`
    (sorted), with their `counts`; `lengths[i]` is its token count."""

    hashes: np.ndarray  # uint64
    counts: np.ndarray  # uint32
    offsets: np.ndarray  # int64, chunks + 1
    lengths: np.ndarray  # int32, one per chunk

    @classmethod
    def of(cls, token_lists: Iterable[list[str]]) -> DocumentTerms:
        if len(_KNOWN_HASHES) >= _CACHED_TOKENS:
            _KNOWN_HASHES.clear()
        keys = _KNOWN_HASHES
        every: list[int] = []  # the hash of every token, chunk after chunk
        lengths: list[int] = []
        for tokens in token_lists:
            every.extend([keys[t] if t in keys else keys.setdefault(t, term_hash(t)) for t in tokens])
            lengths.append(len(tokens))
        hashes = np.array(every, dtype=np.uint64)
        chunk_of = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        order = np.lexsort((hashes, chunk_of))  # by chunk, then by term
        hashes, chunk_of = hashes[order], chunk_of[order]
        first = np.ones(len(hashes), dtype=bool)  # where a (chunk, term) run begins
        first[1:] = (hashes[1:] != hashes[:-1]) | (chunk_of[1:] != chunk_of[:-1])
        starts = np.flatnonzero(first)
        counts = np.diff(np.append(starts, len(hashes))).astype(np.uint32)
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(np.bincount(chunk_of[starts], minlength=len(lengths)), out=offsets[1:])
        return cls(hashes[starts], counts, offsets, np.array(lengths, dtype=np.int32))

    @property
    def chunks(self) -> int:
        return len(self.lengths)

    def save(self, path: Path, sha256: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            np.savez(handle, sha256=np.array(sha256), hashes=self.hashes, counts=self.counts, offsets=self.offsets, lengths=self.lengths)
        os.replace(tmp, path)  # reaches the disk with the batch, before the manifest that lists it

    @classmethod
    def load(cls, path: Path, sha256: str) -> DocumentTerms | None:
        """The terms saved for this content, or None (missing, unreadable, or of other content)."""
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["sha256"]) != sha256:
                    return None
                return cls(data["hashes"], data["counts"], data["offsets"], data["lengths"])
        except (OSError, ValueError, KeyError, EOFError):
            return None


# ---- segments ----------------------------------------------------------------------------------

@dataclass
class Segment:
    """Postings of some documents' chunks, by term hash. Immutable once written."""

    name: str
    documents: list[tuple[str, str, int, int]]  # (doc id, first 12 of its sha256, chunks, postings), in chunk order
    terms: np.ndarray  # uint64, sorted, unique
    indptr: np.ndarray  # int64: term i's postings are [indptr[i], indptr[i+1])
    chunks: np.ndarray  # int32: the chunk (numbered within the segment) of each posting
    counts: np.ndarray  # uint32: the term's count in that chunk
    lengths: np.ndarray  # int32: tokens per chunk
    starts: list[int] = field(default_factory=list)  # each document's first chunk

    def __post_init__(self) -> None:
        self.starts = list(accumulate((d[2] for d in self.documents[:-1]), initial=0)) if self.documents else []

    @property
    def postings(self) -> int:
        return len(self.chunks)

    def postings_of(self, key: int) -> tuple[np.ndarray, np.ndarray] | None:
        at = int(np.searchsorted(self.terms, np.uint64(key)))
        if at >= len(self.terms) or int(self.terms[at]) != key:
            return None
        lo, hi = int(self.indptr[at]), int(self.indptr[at + 1])
        return self.chunks[lo:hi], self.counts[lo:hi]

    def holds(self, keys: np.ndarray) -> np.ndarray:
        at = np.minimum(np.searchsorted(self.terms, keys), max(len(self.terms) - 1, 0))
        return self.terms[at] == keys if len(self.terms) else np.zeros(len(keys), dtype=bool)

    _ARRAYS = ("terms", "indptr", "chunks", "counts", "lengths")

    def write(self, folder: Path) -> None:
        staging = folder / f".staging-{self.name}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for name in self._ARRAYS:
            np.save(staging / f"{name}.npy", getattr(self, name))
        from rag.index.store import write_atomic

        # On the disk before the generation that lists it (`sync` flushes before switching).
        write_atomic(staging / "documents.json", json.dumps(self.documents, ensure_ascii=False), durable=False)
        os.replace(staging, folder / self.name)

    @classmethod
    def read(cls, folder: Path) -> Segment:
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in cls._ARRAYS}
        documents = [tuple(d) for d in json.loads((folder / "documents.json").read_text(encoding="utf-8"))]
        return cls(name=folder.name, documents=documents, **arrays)  # type: ignore[arg-type]


class _SegmentBuilder:
    """Documents' postings gathered until a segment's worth, then sorted by term and written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._reset()

    def _reset(self) -> None:
        self.documents: list[tuple[str, str, int, int]] = []
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # hashes, counts, chunk numbers
        self.lengths: list[np.ndarray] = []
        self.chunk_count = 0
        self.postings = 0

    def add(self, doc_id: str, sha12: str, hashes: np.ndarray, counts: np.ndarray, chunk_of: np.ndarray, lengths: np.ndarray) -> None:
        """One document: `chunk_of` numbers each posting's chunk within the document."""
        self.documents.append((doc_id, sha12, len(lengths), len(hashes)))
        self.parts.append((np.asarray(hashes, dtype=np.uint64), np.asarray(counts, dtype=np.uint32),
                           np.asarray(chunk_of, dtype=np.int32) + self.chunk_count))
        self.lengths.append(np.asarray(lengths, dtype=np.int32))
        self.chunk_count += len(lengths)
        self.postings += len(hashes)

    def add_terms(self, doc_id: str, sha12: str, terms: DocumentTerms) -> None:
        chunk_of = np.repeat(np.arange(terms.chunks, dtype=np.int32), np.diff(terms.offsets))
        self.add(doc_id, sha12, terms.hashes, terms.counts, chunk_of, terms.lengths)

    def write(self) -> Segment | None:
        if not self.documents:
            return None
        hashes = np.concatenate([p[0] for p in self.parts])
        counts = np.concatenate([p[1] for p in self.parts])
        chunks = np.concatenate([p[2] for p in self.parts])
        self.parts = []
        order = np.lexsort((chunks, hashes))
        hashes, counts, chunks = hashes[order], counts[order], chunks[order]
        del order
        terms, firsts = np.unique(hashes, return_index=True)
        indptr = np.append(firsts, len(hashes)).astype(np.int64)
        lengths = np.concatenate(self.lengths) if self.lengths else np.zeros(0, dtype=np.int32)
        built = Segment(f"s{secrets.token_hex(6)}", self.documents, terms, indptr, chunks, counts, lengths)
        built.write(self.folder)
        self._reset()
        return built


def _live_documents(segment: Segment, wanted: dict[str, str], seen: set[str]) -> Iterator[tuple[str, str, int, int, int]]:
    """(doc id, sha12, first chunk, chunks, postings) of the segment's documents the manifest still
    holds in that version, each document once across segments (`seen`)."""
    for (doc_id, sha12, count, postings), start in zip(segment.documents, segment.starts):
        if wanted.get(doc_id) == sha12 and doc_id not in seen:
            seen.add(doc_id)
            yield doc_id, sha12, start, count, postings


# ---- the index ---------------------------------------------------------------------------------

class Vocabulary:
    """Membership of words in any segment, by their hashes; `known` asks for many at once."""

    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments

    def known(self, words: Iterable[str]) -> list[str]:
        words = list(words)
        if not words or not self.segments:
            return []
        keys = np.array([term_hash(w) for w in words], dtype=np.uint64)
        found = np.zeros(len(words), dtype=bool)
        for part in self.segments:
            found |= part.holds(keys)
        return [w for w, hit in zip(words, found) if hit]

    def __contains__(self, word: str) -> bool:
        return bool(self.known([word]))


@dataclass
class LexicalIndex:
    """The segments of one generation, bound to a manifest (which says which documents are live)."""

    segments: list[Segment]
    generation: int | None = None
    _live: list[np.ndarray] = field(default_factory=list)  # per segment: live flag of each chunk
    _bases: list[int] = field(default_factory=list)  # per segment: its first chunk in the index's numbering
    _documents: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # doc id -> (first, end, sha12), live only
    _order: list[tuple[int, str, str]] = field(default_factory=list)  # (first chunk, doc id, sha12), sorted
    _total_length: float = 0.0
    _live_chunks: int = 0

    def bind(self, wanted: dict[str, str]) -> LexicalIndex:
        """Mark live the chunks of the documents `wanted` holds in that version (doc id -> sha12)."""
        self._live, self._bases, self._documents, self._order = [], [], {}, []
        seen: set[str] = set()
        base, total, live_chunks = 0, 0.0, 0
        for part in self.segments:
            live = np.zeros(len(part.lengths), dtype=bool)
            for doc_id, sha12, start, count, _ in _live_documents(part, wanted, seen):
                live[start : start + count] = True
                self._documents[doc_id] = (base + start, base + start + count, sha12)
                self._order.append((base + start, doc_id, sha12))
            self._live.append(live)
            self._bases.append(base)
            total += float(np.asarray(part.lengths)[live].sum())
            live_chunks += int(live.sum())
            base += len(part.lengths)
        self._order.sort()
        self._total_length, self._live_chunks = total, live_chunks
        return self

    @property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary(self.segments)

    def covers(self, wanted: dict[str, str], chunk_counts: dict[str, int]) -> bool:
        """Every wanted document is live here with its number of chunks."""
        return all(doc_id in self._documents and self._documents[doc_id][1] - self._documents[doc_id][0] == chunk_counts[doc_id]
                   for doc_id in wanted)

    @property
    def chunk_ids(self) -> list[str]:
        """The live chunks, in the index's order."""
        return [f"{doc_id}:{sha12}:{i}" for first, doc_id, sha12 in self._order for i in range(self._documents[doc_id][1] - first)]

    def _chunk_id(self, number: int) -> str:
        import bisect

        at = bisect.bisect_right(self._order, (number, "\uffff")) - 1
        first, doc_id, sha12 = self._order[at]
        return f"{doc_id}:{sha12}:{number - first}"

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 of every chunk (the index's numbering) for the tokens; dead chunks score nothing."""
        size = self._bases[-1] + len(self.segments[-1].lengths) if self.segments else 0
        scores = np.zeros(size, dtype=np.float32)
        if not self._live_chunks:
            return scores
        average = self._total_length / self._live_chunks
        for token, weight in Counter(query_tokens).items():
            key = term_hash(token)
            found = []
            for part, live, base in zip(self.segments, self._live, self._bases):
                postings = part.postings_of(key)
                if postings is None:
                    continue
                chunks, counts = postings
                keep = live[chunks]
                if keep.any():
                    found.append((base, part, np.asarray(chunks)[keep], np.asarray(counts)[keep]))
            frequency = sum(len(c) for _, _, c, _ in found)
            if not frequency:
                continue
            idf = np.log1p((self._live_chunks - frequency + 0.5) / (frequency + 0.5))
            for base, part, chunks, counts in found:
                tf = counts.astype(np.float32)
                norm = K1 * (1 - B + B * np.asarray(part.lengths)[chunks] / average)
                scores[base + chunks] += np.float32(weight * idf) * tf / (tf + norm)
        return scores

    def ranking(self, query_tokens: list[str], pool: int, doc_ids: list[str] | None = None) -> list[str]:
        """The ids of the best `pool` chunks with a positive score (ties by position), optionally only of `doc_ids`."""
        scores = self.scores(query_tokens)
        if doc_ids:
            mask = np.zeros(scores.size, dtype=bool)
            for doc_id in doc_ids:
                if doc_id in self._documents:
                    first, end, _ = self._documents[doc_id]
                    mask[first:end] = True
            scores = np.where(mask, scores, 0.0)
        positive = int(np.count_nonzero(scores > 0))
        if positive == 0:
            return []
        top = min(pool, positive)
        best = np.argpartition(-scores, top - 1)[:top]
        best = best[np.lexsort((best, -scores[best]))]
        return [self._chunk_id(int(i)) for i in best]

    # ---- reading and writing -----------------------------------------------------------------

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        """The current generation (unbound), or None where there is none in this format."""
        pointer = folder / _CURRENT
        if not pointer.exists():
            return None
        name = pointer.read_text(encoding="utf-8").strip()
        generation = _generation_of(name)
        if generation is None:  # an index of an older format: rebuilt by the next write
            return None
        listing = json.loads((folder / name).read_text(encoding="utf-8"))
        return cls(segments=[Segment.read(folder / s) for s in listing["segments"]], generation=generation)

    @staticmethod
    def current_generation(folder: Path) -> int | None:
        pointer = folder / _CURRENT
        if not pointer.exists():
            return None
        return _generation_of(pointer.read_text(encoding="utf-8").strip())


def _generation_of(name: str) -> int | None:
    if name.startswith("gen-") and name.endswith(".json") and name[4:-5].isdigit():
        return int(name[4:-5])
    return None


def sync(folder: Path, generation: int, wanted: dict[str, str], terms_of: Callable[[str], DocumentTerms],
         rebuild: bool = False) -> LexicalIndex:
    """Bring the index in `folder` to the documents `wanted` (doc id -> sha12) as generation `generation`.

    Documents no segment holds in that version get new segments (their terms from `terms_of`); the
    rest stay where they are. Then small or mostly dead segments are merged, the generation file
    written and `CURRENT` switched; segments neither this generation nor the one before lists are
    deleted. Only called under the store's write lock."""
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob(".staging-*"):  # a killed writer's; we hold the lock
        shutil.rmtree(leftover, ignore_errors=True)
    previous = None if rebuild else LexicalIndex.load(folder)
    segments = list(previous.segments) if previous is not None else []
    held = {d[0]: d[1] for part in segments for d in part.documents if wanted.get(d[0]) == d[1]}
    builder = _SegmentBuilder(folder)
    for doc_id in sorted(wanted):
        if held.get(doc_id) == wanted[doc_id]:
            continue
        builder.add_terms(doc_id, wanted[doc_id], terms_of(doc_id))
        if builder.postings >= SEGMENT_POSTINGS:
            segments.append(builder.write())  # type: ignore[arg-type]
    if (last := builder.write()) is not None:
        segments.append(last)
    segments = _merged(folder, segments, wanted)
    listing = f"gen-{generation:08d}.json"
    from rag.index.store import flush_to_disk, write_atomic

    flush_to_disk()

    write_atomic(folder / listing, json.dumps({"segments": [s.name for s in segments]}))
    write_atomic(folder / _CURRENT, listing)
    _collect(folder, keep_listings={listing, *([f"gen-{previous.generation:08d}.json"] if previous and previous.generation is not None else [])})
    return LexicalIndex(segments, generation).bind(wanted)


def _merged(folder: Path, segments: list[Segment], wanted: dict[str, str]) -> list[Segment]:
    """Segments with no live document dropped; small or mostly dead ones merged into new ones."""
    seen: set[str] = set()
    live: list[tuple[Segment, list[tuple[str, str, int, int, int]], int]] = []
    for part in segments:
        documents = list(_live_documents(part, wanted, seen))
        if documents:
            live.append((part, documents, sum(d[4] for d in documents)))
    small = [item for item in live if item[2] < SEGMENT_POSTINGS // 4 or item[2] * 2 < item[0].postings]
    mostly_dead = any(item[2] * 2 < item[0].postings for item in small)
    if len(small) < MERGE_AT and not mostly_dead:
        return [part for part, _, _ in live]
    builder = _SegmentBuilder(folder)
    merged: list[Segment] = []
    for part, documents, _ in small:
        terms, chunks, counts = np.asarray(part.terms), np.asarray(part.chunks), np.asarray(part.counts)
        term_of_posting = np.repeat(np.arange(len(terms)), np.diff(np.asarray(part.indptr)))
        order = np.argsort(chunks, kind="stable")
        by_chunk = chunks[order]
        for doc_id, sha12, start, count, _ in documents:
            mine = order[np.searchsorted(by_chunk, start) : np.searchsorted(by_chunk, start + count)]
            builder.add(doc_id, sha12, terms[term_of_posting[mine]], counts[mine], chunks[mine] - start,
                        np.asarray(part.lengths)[start : start + count])
            if builder.postings >= SEGMENT_POSTINGS:
                merged.append(builder.write())  # type: ignore[arg-type]
    if (last := builder.write()) is not None:
        merged.append(last)
    chosen = {id(item[0]) for item in small}
    return [part for part, _, _ in live if id(part) not in chosen] + merged


def _collect(folder: Path, keep_listings: set[str]) -> None:
    """Delete generation files and segments no kept generation lists (and an older format's folders)."""
    keep_segments: set[str] = set()
    for listing in keep_listings:
        try:
            keep_segments.update(json.loads((folder / listing).read_text(encoding="utf-8"))["segments"])
        except (OSError, ValueError, KeyError):
            continue
    for path in folder.iterdir():
        if path.name == _CURRENT or path.name in keep_listings or path.name in keep_segments or path.name.startswith("."):
            continue
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
