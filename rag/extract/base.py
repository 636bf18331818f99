"""The extraction seam: what every extraction engine offers. The engines are the offline rules
(`rules.engine.RulesEngine`) and the model (`model.OpenAIEngine`); `rag.app.extractor` picks one from
settings, and `verify` checks whatever either returns."""

from __future__ import annotations

from typing import Protocol

from rag.core.records import DocumentRecord


class Extractor(Protocol):
    """A document's text in, a record out; every item's span indexes that text."""

    name: str

    def extract(self, doc_id: str, text: str) -> DocumentRecord: ...
