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
