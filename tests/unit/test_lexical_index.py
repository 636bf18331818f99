"""The segmented BM25 index: its rankings equal BM25 computed plainly over the live chunks, an
ingest reads only what changed, dead versions never score, and merging changes no ranking."""

from __future__ import annotations

import math
import random
from collections import Counter
from pathlib import Path

import pytest

from rag.index import lexical
from rag.index.lexical import DocumentTerms, LexicalIndex, sync, vocabulary_tokens

WORDS = ["地区生产总值", "增长", "固定资产投资", "项目", "开工", "建设", "就业", "城镇", "收入", "民生", "改革", "开放",
         "生态", "环境", "产业", "园区", "5%", "2025", "乡村振兴", "营商环境"]


def _document(rng: random.Random, chunks: int) -> list[list[str]]:
    return [[rng.choice(WORDS[: rng.randint(3, len(WORDS))]) for _ in range(rng.randint(3, 40))] for _ in range(chunks)]


def _plain_bm25(live: dict[str, list[list[str]]], query: list[str]) -> dict[str, float]:
    """BM25 (Lucene's idf and length norm, k1 1.5, b 0.75) written out, for every live chunk."""
    chunks = {f"{doc}:{i}": tokens for doc, lists in live.items() for i, tokens in enumerate(lists)}
    average = sum(len(t) for t in chunks.values()) / len(chunks)
    scores = dict.fromkeys(chunks, 0.0)
    for term, weight in Counter(query).items():
        frequency = sum(1 for tokens in chunks.values() if term in tokens)
        if not frequency:
            continue
        idf = math.log(1 + (len(chunks) - frequency + 0.5) / (frequency + 0.5))
        for cid, tokens in chunks.items():
            tf = tokens.count(term)
            if tf:
                scores[cid] += weight * idf * tf / (tf + 1.5 * (1 - 0.75 + 0.75 * len(tokens) / average))
    return scores


class _Corpus:
    """Documents by id and version, and a record of which ones the index asked for."""

    def __init__(self) -> None:
        self.versions: dict[str, tuple[str, list[list[str]]]] = {}
        self.read: list[str] = []

    def put(self, doc_id: str, sha12: str, tokens: list[list[str]]) -> None:
        self.versions[doc_id] = (sha12, tokens)

    def wanted(self) -> dict[str, str]:
        return {doc_id: sha for doc_id, (sha, _) in self.versions.items()}

    def terms_of(self, doc_id: str) -> DocumentTerms:
        self.read.append(doc_id)
        return DocumentTerms.of(self.versions[doc_id][1])


def _check_against_plain(index: LexicalIndex, corpus: _Corpus, rng: random.Random) -> None:
    live = {f"{doc_id}:{sha}": tokens for doc_id, (sha, tokens) in corpus.versions.items()}
    for _ in range(12):
        query = [rng.choice(WORDS) for _ in range(rng.randint(1, 4))]
        expected = {cid: s for cid, s in _plain_bm25(live, query).items() if s > 0}
        ranking = index.ranking(query, pool=10_000)
        assert set(ranking) == set(expected), query
        got = index.scores(query)
        ranked_scores = sorted((float(s) for s in got if s > 0), reverse=True)
        assert ranked_scores == pytest.approx(sorted(expected.values(), reverse=True), rel=1e-4)
        best = sorted(expected, key=lambda c: -expected[c])[0]
        assert expected[ranking[0]] == pytest.approx(expected[best], rel=1e-4)


def test_rankings_are_plain_bm25_over_the_live_chunks_across_segments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexical, "SEGMENT_POSTINGS", 60)  # several segments from a handful of documents
    rng, corpus = random.Random(7), _Corpus()
    for number in range(12):
        corpus.put(f"doc{number}", f"{number:012d}", _document(rng, rng.randint(1, 6)))
    index = sync(tmp_path, 1, corpus.wanted(), corpus.terms_of)
    assert len(index.segments) > 1
    _check_against_plain(index, corpus, rng)
    # A replaced document: its old version stays in its segment but neither scores nor counts.
    corpus.put("doc3", "f" * 12, _document(rng, 3))
    corpus.versions.pop("doc5")
    corpus.read.clear()
    index = sync(tmp_path, 2, corpus.wanted(), corpus.terms_of)
    assert corpus.read == ["doc3"], "only the changed document is read"
    assert not any(cid.startswith("doc5:") for cid in index.chunk_ids)
    assert [c for c in index.chunk_ids if c.startswith("doc3:")] == [f"doc3:{'f' * 12}:{i}" for i in range(3)]
    _check_against_plain(index, corpus, rng)
    # The same generation read back by a reader gives the same rankings.
    reloaded = LexicalIndex.load(tmp_path)
    assert reloaded is not None
    reloaded.bind(corpus.wanted())
    assert reloaded.ranking(["增长", "项目"], 50) == index.ranking(["增长", "项目"], 50)


def test_small_and_dead_segments_are_merged_without_changing_a_ranking(tmp_path: Path) -> None:
    rng, corpus = random.Random(11), _Corpus()
    for number in range(30):
        corpus.put(f"doc{number:02d}", "a" * 12, _document(rng, 4))
    generation = 1
    sync(tmp_path, generation, corpus.wanted(), corpus.terms_of)
    segment_counts = []
    for round_ in range(lexical.MERGE_AT + 2):  # one small ingest after another, each replacing a document
        corpus.put(f"doc{round_:02d}", f"{round_ + 1:012d}", _document(rng, 4))
        generation += 1
        index = sync(tmp_path, generation, corpus.wanted(), corpus.terms_of)
        segment_counts.append(len(index.segments))
    assert max(segment_counts) < lexical.MERGE_AT, segment_counts
    _check_against_plain(index, corpus, rng)
    listed = {p.name for p in tmp_path.iterdir() if p.name.startswith("s")}
    assert listed >= {s.name for s in index.segments} and len(listed) <= 2 * lexical.MERGE_AT, "old segments are collected"


def test_a_rebuild_reads_everything_and_an_index_of_the_old_format_is_not_read(tmp_path: Path) -> None:
    corpus = _Corpus()
    corpus.put("a", "1" * 12, [["增长", "项目"], ["就业"]])
    (tmp_path / "g00000003").mkdir(parents=True)
    (tmp_path / "CURRENT").write_text("g00000003", encoding="utf-8")
    assert LexicalIndex.load(tmp_path) is None and LexicalIndex.current_generation(tmp_path) is None
    index = sync(tmp_path, 4, corpus.wanted(), corpus.terms_of)
    assert index.chunk_ids == ["a:111111111111:0", "a:111111111111:1"]
    assert not (tmp_path / "g00000003").exists()
    corpus.read.clear()
    sync(tmp_path, 5, corpus.wanted(), corpus.terms_of, rebuild=True)
    assert corpus.read == ["a"]


def test_questions_are_read_with_the_index_vocabulary(tmp_path: Path) -> None:
    corpus = _Corpus()
    corpus.put("a", "1" * 12, [["地区生产总值", "生产总值", "增长", "5%"]])
    index = sync(tmp_path, 1, corpus.wanted(), corpus.terms_of)
    assert set(index.vocabulary.known(["增长", "生产总值", "未见"])) == {"增长", "生产总值"}
    assert "增长" in index.vocabulary and "未见" not in index.vocabulary
    assert vocabulary_tokens("地区生产总值增长多少", index.vocabulary) == ["地区生产总值", "生产总值", "增长"]
    assert index.ranking(vocabulary_tokens("未见之词", index.vocabulary), 5) == []


def test_an_empty_store_has_an_index_that_finds_nothing(tmp_path: Path) -> None:
    index = sync(tmp_path, 1, {}, lambda doc_id: DocumentTerms.of([]))
    assert index.segments == [] and index.ranking(["增长"], 5) == [] and index.chunk_ids == []


def test_document_terms_count_each_chunks_terms_sorted_by_key() -> None:
    """The vectorised counting equals counting chunk by chunk, empty chunks and repeats included."""
    rng = random.Random(7)
    for _ in range(200):
        chunks = _document(rng, rng.randint(0, 6))
        chunks.insert(rng.randint(0, len(chunks)), [])  # a chunk with no token keeps its place
        terms = DocumentTerms.of(chunks)
        assert terms.chunks == len(chunks)
        for i, tokens in enumerate(chunks):
            expected = sorted((lexical.term_hash(t), n) for t, n in Counter(tokens).items())
            start, end = terms.offsets[i], terms.offsets[i + 1]
            assert list(zip(terms.hashes[start:end].tolist(), terms.counts[start:end].tolist())) == expected
            assert terms.lengths[i] == len(tokens)
