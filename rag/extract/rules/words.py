"""Word edges in small windows: jieba's segmentation of a metric's few characters around a number.

The indicator rules strip words that are not part of a metric (`新增`, `过`, `各`); a single
character is stripped only where it stands as a word of its own, so `过江通道`, `各类违建`,
`新能源汽车` and `月人均` keep their first or last character. Segmentation runs on a few
characters at a time (never a whole document: jieba reads about 0.2 MB/s). jieba's default
tokenizer is extraction's alone: the lexical index, which teaches its tokenizer domain terms, cuts
with jieba-rs, so nothing changes what extraction reads. One tokenizer, so its dictionary and the
parts-of-speech table (which `jieba.posseg` loads for the default tokenizer on import) load once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

_WINDOW = 8  # characters segmented at either end of a phrase


@cache
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.initialize()
    return jieba.dt


@lru_cache(maxsize=65536)
def words(phrase: str) -> tuple[str, ...]:
    """jieba's words of a short phrase (HMM on, so unlisted words like `过江` hold together)."""
    return tuple(_tokenizer().lcut(phrase))


def starts_with_word(phrase: str, word: str) -> bool:
    """`word` opens `phrase` as a word of its own, not as the start of a longer one (`过` of `过江通道`)."""
    if not phrase.startswith(word):
        return False
    cut, window = 0, words(phrase[: max(_WINDOW, len(word) + 4)])
    for token in window:
        cut += len(token)
        if cut >= len(word):
            return cut == len(word)
    return True


def ends_with_word(phrase: str, word: str) -> bool:
    """`word` closes `phrase` as a word of its own, not as the end of a longer one (`均` of `人均`)."""
    if not phrase.endswith(word):
        return False
    cut, window = 0, words(phrase[-max(_WINDOW, len(word) + 4):])
    for token in reversed(window):
        cut += len(token)
        if cut >= len(word):
            return cut == len(word)
    return True


class Endings:
    """A word list asked which of its words a text ends with: a look-up per word length, not a scan
    of the list (the rules ask it for every figure's left context)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        if "" in self.words:
            raise ValueError("an empty word ends every text; the word list has one")
        self._lengths = sorted({len(w) for w in self.words}, reverse=True)

    def longest(self, text: str, *, unless: frozenset[str] = frozenset()) -> str | None:
        """The longest listed word `text` ends with, passing over those in `unless`."""
        for length in self._lengths:
            word = text[-length:]
            if len(word) == length and word in self.words and word not in unless:
                return word
        return None

    def ends(self, text: str) -> bool:
        return self.longest(text) is not None


@cache
def _pos_tokenizer() -> Any:
    from jieba import posseg

    _tokenizer()
    return posseg.dt


@lru_cache(maxsize=16384)
def tagged(phrase: str) -> tuple[tuple[str, str], ...]:
    """jieba's words of a short phrase with their parts of speech (`n`, `v`, `vn`, …)."""
    return tuple((pair.word, pair.flag) for pair in _pos_tokenizer().lcut(phrase))
