"""A question in parts answered from one document's indicators (no store): each part finds its own
figure, and a part that only names a unit (`完成了多少户`) is answered from the sentence just cited."""

from __future__ import annotations

from rag.answer.offline import _best_indicator, _parse, sentence_around
from rag.core.spans import Span
from rag.extract.rules.engine import RulesEngine
from rag.extract.rules.words import words

TEXT = ("2026年某某区政府工作报告\n各位代表：\n一、2025年工作回顾\n"
        "棚户区改造工程全面推进。全年投资52.3亿元，完成1.2万户、86万平方米棚改任务。"
        "交通建设加快，完成交通投资18.6亿元。\n二、2026年工作安排\n推进300个区级重点项目、完成投资420亿元以上，力争全年完成交通投资26亿元。\n")


def answers(question: str) -> list[tuple[float, str]]:
    record = RulesEngine().extract("case", TEXT)
    parts = _parse(question, ["某某区"], lambda text: list(words(text)))
    found, near, before = [], None, ""
    for part in parts:
        best = _best_indicator(record, part, part.years, TEXT, near, before)
        before = part.terms
        assert best is not None, part
        near = Span(best.span.end, sentence_around(TEXT, best.span).end)
        found.append((best.value, best.unit))
    return found


def test_a_part_that_names_only_a_unit_takes_the_figure_beside_the_first():
    assert answers("某某区2025年棚户区改造投资多少，完成了多少户？") == [(52.3, "亿元"), (1.2, "万户")]


def test_the_second_part_prefers_the_sentence_of_the_first():
    assert answers("某某区2026年计划推进多少个区级重点项目、完成多少投资？") == [(300.0, "个"), (420.0, "亿元")]
