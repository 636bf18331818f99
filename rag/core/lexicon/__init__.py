"""The genre's knowledge as data: word lists and patterns in TOML files beside this module.

Procedures stay in Python; the words they use come from here, so a new phrasing is one edit in a
lexicon file and one case row in the tests. Files are package data, read once per process.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def lexicon(name: str) -> dict[str, Any]:
    """The lexicon file `name.toml` as a dict."""
    return tomllib.loads(resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8"))
