"""The offline embedder's vectors: hashed character n-grams of folded text, without Chroma.

Folded text (traditional → simplified, full-width → half-width) is cut into character unigrams and
bigrams, hashed into a signed vector with sublinear weights and L2-normalised; deterministic across
processes and machines (no Python `hash`), vectorised with numpy. Kept apart from `embeddings` (the
Chroma embedding functions) so that ingest workers and a question answered without Chroma never
import chromadb.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from rag.ingest.cleaning import fold

HASH_EMBEDDER = "plan_rag_hash"
HASH_EMBEDDER_VERSION = 1

_NON_WORD_RE = re.compile(r"[\W_]+")
_SPACE = 32
_UNIGRAM_WEIGHT = 0.5
_BIGRAM_WEIGHT = 1.0
_MIX = np.uint64(0x9E3779B97F4A7C15)


def hash_embed(texts: list[str], dim: int, *, folded: bool = False) -> np.ndarray:
    """One vector per text; `folded` says the texts are folded already (an ingest folds each document once)."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for row, text in enumerate(texts):
        out[row] = _hash_vector(text if folded else fold(text), dim)
    return out


def _hash_vector(folded: str, dim: int) -> np.ndarray:
    cleaned = _NON_WORD_RE.sub(" ", folded)
    codes = np.frombuffer(cleaned.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if codes.size == 0:
        return np.zeros(dim, dtype=np.float32)
    is_space = codes == _SPACE
    unigrams = codes[~is_space] * np.uint64(2) + np.uint64(1)
    keep_bigram = ~(is_space[:-1] | is_space[1:])
    bigrams = ((codes[:-1] << np.uint64(21)) | codes[1:])[keep_bigram] * np.uint64(2)
    keys = np.concatenate([unigrams, bigrams])
    weights = np.concatenate(
        [np.full(unigrams.size, _UNIGRAM_WEIGHT), np.full(bigrams.size, _BIGRAM_WEIGHT)]
    )
    with np.errstate(over="ignore"):
        mixed = keys * _MIX
    mixed ^= mixed >> np.uint64(31)
    index = (mixed % np.uint64(dim)).astype(np.int64)
    sign = np.where((mixed >> np.uint64(47)) & np.uint64(1), 1.0, -1.0)
    vector = np.bincount(index, weights=sign * weights, minlength=dim)
    vector = np.sign(vector) * np.log1p(np.abs(vector))
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm > 0 else vector.astype(np.float32)


def hash_signature(dim: int) -> dict[str, Any]:
    """What a store built by this embedder records of it (as Chroma's embedding function reports it)."""
    return {"name": HASH_EMBEDDER, "config": {"dim": dim, "version": HASH_EMBEDDER_VERSION}}
