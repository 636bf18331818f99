"""The outline parser on every marker style the genre uses."""

from __future__ import annotations

from conftest import SEEDS

from rag.ingest.loading import load_document
from rag.ingest.structure import parse_outline


def outline_of(text: str) -> list[tuple[object, str, str, int]]:
    """(level, marker, title, depth) for every heading, in order."""
    out = []

    def visit(nodes, depth):
        for node in nodes:
            out.append((node.level, node.marker, node.title(text), depth))
            visit(node.children, depth + 1)

    visit(parse_outline(text).roots, 0)
    return out


def test_every_numbered_level_full_and_half_width():
    text = (
        "关于2025年工作的报告\n"
        "一、主要目标\n"
        "今年主要目标是地区生产总值增长6%左右。\n"
        "(一)扩大有效投资。全年实施重点项目120个。\n"
        "1．抓好项目建设。年内开工项目50个。\n"
        "（1）做好要素保障。新增用地1000亩。\n"
        "(2)优化审批服务。\n"
        "2.强化招商引资。引进项目30个。\n"
        "（二）培育新兴产业\n"
        "二、保障措施\n"
    )
    got = [(level, marker, title, depth) for level, marker, title, depth in outline_of(text)]
    assert got == [
        (1, "一、", "主要目标", 0),
        (2, "(一)", "扩大有效投资", 1),
        (3, "1．", "抓好项目建设", 2),
        (4, "（1）", "做好要素保障", 3),
        (4, "(2)", "优化审批服务", 3),
        (3, "2.", "强化招商引资", 2),
        (2, "（二）", "培育新兴产业", 1),
        (1, "二、", "保障措施", 0),
    ]


def test_decimal_numbers_and_dates_at_a_line_start_are_not_headings():
    text = "标题行\n1.5万亩土地完成整治。\n12.09 章丘召开会议\n2024年全区生产总值增长5%。\n"
    assert outline_of(text) == []


def test_items_in_a_paragraph_and_across_paragraphs():
    text = (
        "一、推进开放。一是优化招商模式，创新方式。二是突出招大引强；三是强化项目推进。\n"
        "二、改善民生。一方面，办好实事。另一方面，提升治理水平。第一，稳就业。第二，保民生。\n"
    )
    got = outline_of(text)
    assert got == [
        (1, "一、", "推进开放", 0),
        ("item", "一是", "优化招商模式，创新方式", 1),
        ("item", "二是", "突出招大引强", 1),
        ("item", "三是", "强化项目推进", 1),
        (1, "二、", "改善民生", 0),
        ("item", "一方面", "办好实事", 1),
        ("item", "另一方面", "提升治理水平", 1),
    ]


def test_run_in_leads_need_siblings_and_line_leads_stand_alone():
    text = (
        "（三）抓项目拓空间\n"
        "坚持规划引领。通过连片整备推动存量空间统筹。\n"
        "坚持多元路径。支持工业园区开展综合整治。\n"
        "当好省会龙头\n"
        "抓住这条主线，当好省会创新发展的龙头。\n"
        "（四）抓产业促增长\n"
        "坚持制造业当家。深耕产业链条。\n"
        "人以城为家，城以人为本。\n"
    )
    got = outline_of(text)
    assert ("lead", "", "坚持规划引领", 1) in got
    assert ("lead", "", "坚持多元路径", 1) in got
    assert ("lead", "", "当好省会龙头", 1) in got
    # A lone short opening sentence with no sibling opening the same way is prose, not a lead.
    assert all(title != "坚持制造业当家" for _, _, title, _ in got)


def test_traditional_seed_outline_spans_index_the_original():
    text = load_document(SEEDS / "004_572a5b6ae4dc3c11.txt").text
    outline = parse_outline(text)
    titles = [node.title(text) for node in outline.walk()]
    assert "當好省會龍頭" in titles and "突破雙招雙引" in titles and "突破營商環境" in titles
    for node in outline.walk():
        assert node.title_span.of(text) == node.title(text)
        assert node.title_span.is_valid_in(text)
