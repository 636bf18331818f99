"""The answering seam: what every answering engine returns (`Answer`, `Citation`) and offers
(`Answerer`). The engines are `offline` and `model`; `rag.app.answerer` picks one from settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from rag.core.spans import Span

if TYPE_CHECKING:  # the retriever (numpy, bm25) is not loaded to answer from the indicator table
    from rag.index.retrieval import Hit

NOT_FOUND = "语料中没有找到这个问题的答案。"


@dataclass
class Citation:
    id: int
    doc_id: str
    section: str
    span: Span
    quote: str
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "doc_id": self.doc_id, "section": self.section, "span": list(self.span), "quote": self.quote}
        if self.page is not None:
            out["page"] = self.page
        return out


@dataclass
class Answer:
    question: str
    answer: str
    found: bool
    citations: list[Citation]
    engine: str
    retrieved: list[Hit]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question, "answer": self.answer, "found": self.found,
            "citations": [c.to_dict() for c in self.citations], "engine": self.engine,
            "retrieved": [h.to_dict() for h in self.retrieved], "notes": self.notes,
        }


class Answerer(Protocol):
    """What every answering engine offers: a question in, a cited answer (or "not found") out."""

    def answer(self, question: str, k: int = 8, doc_ids: list[str] | None = None) -> Answer: ...


def sentence_around(text: str, span: Span) -> Span:
    """The sentence (or sentences) containing `span`, cut at 。！？ and line ends."""
    start = span.start
    while start > 0 and text[start - 1] not in "。！？!?\n":
        start -= 1
    end = span.end
    while end < len(text) and text[end] not in "。！？!?\n":
        end += 1
    if end < len(text) and text[end] in "。！？!?":
        end += 1
    return Span(start, end).strip(text)
