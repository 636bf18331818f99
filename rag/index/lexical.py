"""Lexical side of retrieval: jieba tokens of folded text, ranked with BM25 (bm25s).

Local Chroma has no sparse or hybrid search, so this index is ours: built over every chunk in the
store, saved as a numbered generation beside the Chroma data and switched to atomically through a
`CURRENT` pointer, so a reader never sees a half-written index.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
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


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    for word in DOMAIN_WORDS:
        jieba.add_word(word, freq=200000)
    return jieba


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens of the folded text, without punctuation and the commonest words."""
    tokens = []
    for token in _jieba().cut_for_search(fold(text)):
        token = token.strip()
        if token and token not in _STOPWORDS and _KEEP_TOKEN_RE.search(token):
            tokens.append(token)
    return tokens


_LONGEST_WORD = 8


def vocabulary_tokens(text: str, vocabulary: Any) -> list[str]:
    """Every vocabulary word that occurs in the folded text, as jieba's search mode would emit it.

    Queries are tokenized against the index's own vocabulary: a word outside it scores nothing in
    BM25, so nothing is lost, and jieba's dictionary need not be loaded to answer a question."""
    folded = fold(text)
    tokens: list[str] = []
    covered = [False] * len(folded)
    for start in range(len(folded)):
        for length in range(min(_LONGEST_WORD, len(folded) - start), 1, -1):
            word = folded[start : start + length]
            if word in vocabulary and word not in _STOPWORDS and _KEEP_TOKEN_RE.search(word):
                tokens.append(word)
                covered[start : start + length] = [True] * length
    # A single character counts only where no longer word does (as in jieba's segmentation).
    for position, char in enumerate(folded):
        if not covered[position] and char in vocabulary and char not in _STOPWORDS and _KEEP_TOKEN_RE.search(char):
            tokens.append(char)
    return tokens


def segment(text: str, words: Any) -> list[str]:
    """Forward maximum matching against `words`: the longest known word at each position, else one
    character. Good enough for short questions, and needs no dictionary beyond the index's."""
    folded = fold(text)
    out, position = [], 0
    while position < len(folded):
        for length in range(min(_LONGEST_WORD, len(folded) - position), 0, -1):
            word = folded[position : position + length]
            if length == 1 or word in words:
                out.append(word)
                position += length
                break
    return out


@dataclass
class LexicalIndex:
    chunk_ids: list[str]
    retriever: object | None  # bm25s.BM25; None for an empty store

    @classmethod
    def build(cls, chunk_ids: list[str], token_lists: list[list[str]]) -> LexicalIndex:
        import bm25s

        if not chunk_ids:
            return cls(chunk_ids=[], retriever=None)  # bm25s cannot index an empty corpus
        retriever = bm25s.BM25()
        retriever.index(token_lists, show_progress=False)
        return cls(chunk_ids=list(chunk_ids), retriever=retriever)

    @property
    def vocabulary(self) -> dict[str, int]:
        return self.retriever.vocab_dict if self.retriever is not None else {}  # type: ignore[attr-defined]

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        if not self.chunk_ids or self.retriever is None:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        vocab = self.retriever.vocab_dict  # type: ignore[attr-defined]
        known = [t for t in query_tokens if t in vocab]
        if not known:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        return np.asarray(self.retriever.get_scores(known), dtype=np.float32)[: len(self.chunk_ids)]  # type: ignore[attr-defined]

    def save(self, folder: Path, generation: int) -> None:
        """Write generation `generation` and point CURRENT at it; keep one previous generation."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"g{generation:08d}"
        # The caller holds the write lock, so any staging folder here was left by a killed writer.
        for leftover in folder.glob(".staging-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        staging = folder / f".staging-{os.getpid()}"
        staging.mkdir(parents=True)
        if self.retriever is not None:
            self.retriever.save(str(staging), show_progress=False)  # type: ignore[attr-defined]
        (staging / "chunk_ids.json").write_text(json.dumps(self.chunk_ids, ensure_ascii=False), encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(staging, target)
        from rag.index.store import write_atomic

        write_atomic(folder / _CURRENT, target.name)
        keep = {target.name}
        generations = sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name.startswith("g"))
        if len(generations) > 1:
            keep.add(generations[-2] if generations[-1] == target.name else generations[-1])
        for name in generations:
            if name not in keep:
                shutil.rmtree(folder / name, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        import bm25s

        pointer = folder / _CURRENT
        if not pointer.exists():
            return None
        target = folder / pointer.read_text(encoding="utf-8").strip()
        chunk_ids = json.loads((target / "chunk_ids.json").read_text(encoding="utf-8"))
        retriever = bm25s.BM25.load(str(target), show_progress=False) if chunk_ids else None
        return cls(chunk_ids=chunk_ids, retriever=retriever)

    @staticmethod
    def current_generation(folder: Path) -> int | None:
        pointer = folder / _CURRENT
        if not pointer.exists():
            return None
        name = pointer.read_text(encoding="utf-8").strip()
        return int(name[1:]) if name.startswith("g") and name[1:].isdigit() else None

