"""Verification: every item any engine produced must point at its own words in the original text.

An indicator or slogan whose `text[span] != quote` is dropped; an outline node whose title does not
sit at its span is dropped and its valid children move up to its parent. What was dropped is
reported, so no engine can pass an ungrounded item to the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.core.records import DocumentRecord, OutlineNode


@dataclass
class Verification:
    checked: int = 0
    dropped: list[str] = field(default_factory=list)

    @property
    def grounded_share(self) -> float:
        return 1.0 if self.checked == 0 else (self.checked - len(self.dropped)) / self.checked


def verify_record(record: DocumentRecord, text: str) -> tuple[DocumentRecord, Verification]:
    report = Verification()

    def grounded(span, quote: str, what: str) -> bool:
        report.checked += 1
        if span.grounds(text, quote):
            return True
        report.dropped.append(f"{what} {quote[:30]!r} at {list(span)}")
        return False

    def keep_nodes(nodes: list[OutlineNode]) -> list[OutlineNode]:
        kept: list[OutlineNode] = []
        for node in nodes:
            children = keep_nodes(node.children)
            if grounded(node.span, node.title, "outline"):
                kept.append(node.model_copy(update={"children": children}))
            else:
                kept.extend(children)
        return kept

    verified = record.model_copy(update={
        "outline": keep_nodes(record.outline),
        "indicators": [i for i in record.indicators if grounded(i.span, i.quote, "indicator")],
        "slogans": [s for s in record.slogans if grounded(s.span, s.quote, "slogan")],
    })
    return verified, report
