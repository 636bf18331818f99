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


PLAN_TEXT = ("2026年某某省政府工作报告\n各位代表：\n一、“十四五”时期工作回顾\n"
             "“十四五”时期，全省地区生产总值年均增长5.8%。2025年地区生产总值增长5.4%。\n"
             "二、“十五五”时期主要目标\n“十五五”时期，全省地区生产总值年均增长5%以上。\n"
             "三、2026年工作安排\n今年主要预期目标是：经济增长5%左右，城镇调查失业率5.5%左右。\n")


def answer(question: str) -> tuple[float, str, str]:
    record = RulesEngine().extract("plan", PLAN_TEXT)
    part = _parse(question, ["某某省"], lambda text: list(words(text)))[0]
    best = _best_indicator(record, part, part.years, PLAN_TEXT)
    assert best is not None, part
    return best.value, best.comparator.value, best.scope.value


def test_a_metric_named_another_way_is_the_same_metric():
    # `GDP` asked, `经济增长5%左右` stated: the registry makes them one metric.
    assert answer("某某省2026年GDP增长目标是多少？") == (5.0, "about", "year")


def test_a_plan_period_is_answered_with_the_period_figure():
    assert answer("某某省“十五五”时期地区生产总值年均增长目标是多少？") == (5.0, "at_least", "average")
    assert answer("某某省十四五时期地区生产总值年均增长多少？") == (5.8, "exact", "average")


def test_a_single_year_is_never_answered_with_a_five_year_average():
    assert answer("某某省2025年地区生产总值增长多少？") == (5.4, "exact", "year")


def test_a_qualifier_inside_a_metric_answers_but_a_subcategory_does_not():
    from rag.answer.offline import metric_match

    assert metric_match("棚户区改造工程投资", "棚户区改造投资") > 0
    assert metric_match("旅游外汇收入", "旅游收入") == 0
    assert metric_match("工业技改投资", "工业投资") == 0
