"""The verifier: whatever an engine returns, an item whose span does not hold its quote is dropped,
and an outline heading that is dropped hands its valid children to its parent."""

from __future__ import annotations

from rag.core.records import DocumentRecord, Indicator, OutlineNode, Slogan
from rag.core.spans import Span
from rag.extract.verify import verify_record

TEXT = "一、总体要求\n（一）稳增长\n地区生产总值增长6%左右。\n（二）促改革\n实施“三大攻坚”。\n"


def node(title: str, children: list[OutlineNode] | None = None, shift: int = 0, level: object = 1) -> OutlineNode:
    start = TEXT.index(title) + shift
    return OutlineNode(level=level, marker="", title=title, span=Span(start, start + len(title)), children=children or [])  # type: ignore[arg-type]


def indicator(quote: str, shift: int = 0) -> Indicator:
    start = TEXT.index(quote) + shift
    return Indicator(metric="地区生产总值", change="growth", value=6, unit="%", comparator="about", kind="target",
                     year=2026, quote=quote, span=Span(start, start + len(quote)))


def test_grounded_items_pass_untouched():
    record = DocumentRecord(doc_id="d", outline=[node("总体要求", [node("稳增长", level=2)])],
                            indicators=[indicator("地区生产总值增长6%左右")],
                            slogans=[Slogan(name="三大攻坚", count=3, quote="三大攻坚", span=Span(TEXT.index("三大攻坚"), TEXT.index("三大攻坚") + 4))])
    verified, report = verify_record(record, TEXT)
    assert verified == record and report.dropped == [] and report.checked == 4 and report.grounded_share == 1.0


def test_an_item_whose_span_misses_its_quote_is_dropped_and_reported():
    # A span one character off (what a model's offsets often are) no longer holds the quote.
    record = DocumentRecord(doc_id="d", indicators=[indicator("地区生产总值增长6%左右"), indicator("地区生产总值增长6%左右", shift=1)],
                            slogans=[Slogan(name="三大攻坚", count=3, quote="三大攻坚", span=Span(0, 4))])
    verified, report = verify_record(record, TEXT)
    assert len(verified.indicators) == 1 and verified.slogans == []
    assert len(report.dropped) == 2 and report.grounded_share == 1 / 3
    assert any(line.startswith("indicator") for line in report.dropped) and any(line.startswith("slogan") for line in report.dropped)


def test_a_dropped_heading_hands_its_valid_children_to_its_parent():
    bad_chapter = node("总体要求", [node("稳增长", level=2), node("促改革", level=2, shift=2)], shift=3)
    verified, report = verify_record(DocumentRecord(doc_id="d", outline=[bad_chapter]), TEXT)
    # The chapter and one child are off; the valid child moves up to the top level.
    assert [n.title for n in verified.outline] == ["稳增长"]
    assert len(report.dropped) == 2
