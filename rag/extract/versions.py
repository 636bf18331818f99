"""The versions of the offline rules and of the document facts they read: hashes of the rule modules'
source and the lexicons, computed from the files without importing them, so a reader can tell a
stale cache (records, indicator table) without loading the rules."""

from __future__ import annotations

import hashlib
from pathlib import Path

_RAG = Path(__file__).resolve().parents[1]
# The source files whose change changes what the rules read (paths inside the package).
_RULE_FILES = ("ingest/cleaning.py", "ingest/structure.py", "extract/rules/indicators.py", "extract/rules/periods.py",
               "extract/rules/engine.py", "extract/versions.py", "extract/rules/identity.py", "extract/rules/gazetteer.py", "extract/rules/words.py",
               "core/records.py", "core/metrics.py",
               "extract/verify.py")
_FACT_FILES = ("ingest/cleaning.py", "ingest/structure.py", "extract/rules/identity.py", "extract/rules/gazetteer.py",
               "extract/rules/engine.py", "core/lexicon/identity.toml", "core/lexicon/zones.toml")


def _rules_version() -> str:
    """A hash of the rule modules' source and the lexicons: records cached under another version are stale."""
    digest = hashlib.sha256()
    for name in _RULE_FILES:
        digest.update((_RAG / name).read_bytes())
    for lexicon_file in sorted((_RAG / "core" / "lexicon").glob("*.toml")):
        digest.update(lexicon_file.read_bytes())  # the words are rules too
    return digest.hexdigest()[:12]


RULES_VERSION = _rules_version()


def _facts_version() -> str:
    """A hash of what reads the document facts: stored facts of another version are recomputed."""
    digest = hashlib.sha256()
    for name in _FACT_FILES:
        digest.update((_RAG / name).read_bytes())
    return digest.hexdigest()[:12]


FACTS_VERSION = _facts_version()
