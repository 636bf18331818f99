"""The lexicon files: every one loads, and no list holds a word twice (a word is written once)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rag.core.lexicon import lexicon

FILES = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "rag" / "core" / "lexicon").glob("*.toml"))


def _lists(table: dict[str, Any], prefix: str = "") -> list[tuple[str, list[Any]]]:
    out: list[tuple[str, list[Any]]] = []
    for key, value in table.items():
        if isinstance(value, dict):
            out += _lists(value, f"{prefix}{key}.")
        elif isinstance(value, list):
            out.append((prefix + key, value))
    return out


@pytest.mark.parametrize("name", FILES)
def test_a_lexicon_loads_and_no_list_repeats_a_word(name: str):
    lists = _lists(lexicon(name))
    assert lists, f"{name}.toml holds no word list"
    repeated = {key: sorted({w for w in words if words.count(w) > 1}) for key, words in lists if len(set(map(str, words))) != len(words)}
    assert not repeated, repeated


def test_the_question_words_reach_the_question_reader():
    from rag.answer.offline import _QUESTION_SET, question_kind

    assert "多少" in _QUESTION_SET and question_kind("预期目标是多少") == "target"


_CONSTANTS = {
    "rag.extract.rules.indicators": {
        list: "_COUNT_UNITS _UNITS _AFTER_MAGNITUDE _LEADING_NOISE _TRAILING_NOISE",
        tuple: "_AT_LEAST_AFTER _AT_MOST_AFTER _ABOUT_AFTER _AT_LEAST_BEFORE _AT_MOST_BEFORE _ABOUT_BEFORE _GROWTH_WORDS "
               "_FALL_WORDS _NOUN_VERB_STOP _VERB_OPENINGS _SHARED_HEADS _OPENING_DELTA _AMOUNT_DELTA",
        frozenset: "_PLAIN_UNITS _WORDS_FROM_A_COUNT", set: "_MONEY_UNITS", dict: "_MAGNITUDES _BASE_UNITS",
    },
    "rag.extract.rules.engine": {tuple: "_REVIEW_HEADING _REVIEW_OPENING _PLAN_HEADING _SET_NOUNS _NOT_A_SET"},
    "rag.answer.offline": {list: "_QUESTION_WORDS", frozenset: "_QUESTION_SET",
                           tuple: "_TARGET_HINTS _ACTUAL_HINTS _QUANTITY_HINTS _PER_DOCUMENT_HINTS"},
    "rag.index.retrieval": {tuple: "EQUIVALENCES"},
}


@pytest.mark.parametrize("module", sorted(_CONSTANTS))
def test_the_loaded_word_tables_keep_their_types(module: str):
    import importlib

    loaded = importlib.import_module(module)
    for kind, names in _CONSTANTS[module].items():
        for name in names.split():
            value = getattr(loaded, name)
            assert type(value) is kind and value, name
    if module == "rag.extract.rules.indicators":  # longest first, as the procedures match them
        for name in ("_UNITS", "_LEADING_NOISE", "_TRAILING_NOISE"):
            lengths = [len(word) for word in getattr(loaded, name)]
            assert lengths == sorted(lengths, reverse=True), name
