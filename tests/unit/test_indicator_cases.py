"""Indicator readings that need a passage, not a sentence: five-year periods, chapter lines, and
cues that hold for a section. (One-sentence phrasings are rows of tests/cases/indicators.tsv.)

Every text is written for these tests in the genre's style (a 2026 provincial report's review of
2025 and of the 十四五, its 十五五 goals, its 2026 plan); none is copied from a corpus file.
"""

from __future__ import annotations

import pytest

from rag.core.records import Indicator
from rag.extract.rules.engine import RulesEngine
from rag.extract.rules.periods import plan_years
from rag.ingest.structure import parse_outline

HEAD = "2026年某某省政府工作报告\n——2026年1月20日在某某省第十四届人民代表大会第五次会议上\n各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议。\n"

# A 2026 report in the layout most provinces used: review of 2025 and the 十四五 in one chapter,
# the 十五五 goals in the next, the 2026 plan last.
REPORT = HEAD + """一、2025年和“十四五”时期工作回顾
刚刚过去的2025年，全省地区生产总值增长5.2%，城镇新增就业41万人。
2025年是“十四五”收官之年。五年来，我们接续奋斗，城镇新增就业累计210万人，全社会研发投入年均增长9.5%。
这五年，开放步伐明显加快。外贸进出口总值年均增长8.8%，2025年实际使用外资12.5亿美元。
二、“十五五”时期主要目标任务
“十五五”时期是基本实现现代化夯实基础的关键时期。到2030年，常住人口城镇化率达68%左右，城镇新增就业200万人以上。
三、2026年工作安排
今年是“十五五”开局之年。主要预期目标是：地区生产总值增长5%左右，城镇新增就业40万人以上。
这些目标衔接“十五五”规划目标。力争全年铁路、公路、港航领域投资额分别达300亿元、500亿元、120亿元。
"""

# Unnumbered chapter lines (as copied from a web page), the 十四五 summary before the year's review.
UNNUMBERED = HEAD + """“十四五”时期发展成就和2025年工作回顾
“十四五”时期是极不平凡的五年。经济总量达到3.1万亿元，累计新增城镇就业95万人。
刚刚过去的2025年，全区地区生产总值增长4.9%。
“十五五”时期主要目标和2026年重点工作
“十五五”时期，要努力实现以下目标：居民人均可支配收入年均增长5.5%左右。
今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。
"""


def read(text: str) -> list[Indicator]:
    return RulesEngine().extract("case", text).indicators


def find(indicators: list[Indicator], value: float, unit: str) -> Indicator:
    found = [i for i in indicators if i.value == value and i.unit == unit]
    assert found, f"no indicator {value}{unit} in {[(i.value, i.unit, i.quote) for i in indicators]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit", "kind", "year", "period"),
    [
        # One year's review: the review year, no period.
        (REPORT, 5.2, "%", "actual", 2025, None),
        (REPORT, 41, "万人", "actual", 2025, None),
        # `收官之年。五年来`: the paragraph speaks of the period just ended.
        (REPORT, 210, "万人", "actual", 2025, (2021, 2025)),
        (REPORT, 9.5, "%", "actual", 2025, (2021, 2025)),
        (REPORT, 8.8, "%", "actual", 2025, (2021, 2025)),
        # A sentence that names one year inside a five-year paragraph is that year's.
        (REPORT, 12.5, "亿美元", "actual", 2025, None),
        # The 十五五 goals chapter: targets of 2030.
        (REPORT, 68, "%", "target", 2030, (2026, 2030)),
        (REPORT, 200, "万人", "target", 2030, (2026, 2030)),
        # `今年是“十五五”开局之年`: one year again; a mention of the 十五五 targets does not change that.
        (REPORT, 5, "%", "target", 2026, None),
        (REPORT, 40, "万人", "target", 2026, None),
        (REPORT, 300, "亿元", "target", 2026, None),
        # Chapter lines without numbers are chapters too; the one naming 十四五 and 2025 is read by paragraph.
        (UNNUMBERED, 3.1, "万亿元", "actual", 2025, (2021, 2025)),
        (UNNUMBERED, 95, "万人", "actual", 2025, (2021, 2025)),
        (UNNUMBERED, 4.9, "%", "actual", 2025, None),
        (UNNUMBERED, 5.5, "%", "target", 2030, (2026, 2030)),
        (UNNUMBERED, 5, "%", "target", 2026, None),
    ],
)
def test_year_kind_and_five_year_period(text: str, value: float, unit: str, kind: str, year: int, period: tuple[int, int] | None):
    indicator = find(read(text), value, unit)
    assert (indicator.kind.value, indicator.year, indicator.period) == (kind, year, period), indicator.quote


@pytest.mark.parametrize(("number", "years"), [(11, (2006, 2010)), (13, (2016, 2020)), (14, (2021, 2025)), (15, (2026, 2030))])
def test_five_year_plan_years(number: int, years: tuple[int, int]):
    assert plan_years(number) == years


def test_an_unnumbered_chapter_line_up_to_thirty_characters_is_a_heading():
    text = HEAD + "“十五五”时期经济社会发展主要目标和2026年重点工作安排\n今年是开局之年，主要预期目标是地区生产总值增长5%左右。\n"
    titles = [h.title(text) for h in parse_outline(text).roots]
    assert "“十五五”时期经济社会发展主要目标和2026年重点工作安排" in titles


# Reviewers' counterexamples: cues that must not spread, and period spans that must not cut a period.
SCOPES = HEAD + """一、2025年工作回顾
2021—2025年，全省累计完成固定资产投资3.2万亿元。2021年至2025年，城镇新增就业累计188万人。
二、“十五五”时期主要目标
“十五五”时期是基本实现现代化的关键五年。居民人均可支配收入年均增长5.5%左右。
三、2026年工作安排
（一）稳住经济大盘。到2030年，数字经济核心产业增加值占比达12%。
（二）扩大有效投资。完成固定资产投资500亿元，改造老旧小区80个。
"""


@pytest.mark.parametrize(
    ("value", "unit", "kind", "year", "period", "metric"),
    [
        (3.2, "万亿元", "actual", 2025, (2021, 2025), None),
        (188, "万人", "actual", 2025, (2021, 2025), "城镇新增就业"),
        # `的关键五年` does not turn the 十五五 goals into the past period's results.
        (5.5, "%", "target", 2030, (2026, 2030), None),
        # `到2030年` binds its sentence; the next sub-section is 2026's again.
        (12, "%", "target", 2030, None, None),
        (500, "亿元", "target", 2026, None, None),
        (80, "个", "target", 2026, None, None),
    ],
)
def test_period_cues_keep_to_their_section(value: float, unit: str, kind: str, year: int, period: tuple[int, int] | None, metric: str | None):
    indicator = find(read(SCOPES), value, unit)
    assert (indicator.kind.value, indicator.year, indicator.period) == (kind, year, period), indicator.quote
    if metric is not None:
        assert indicator.metric == metric


@pytest.mark.parametrize(
    ("value", "unit", "years", "answers"),
    [
        (188, "万人", [2025], False),  # a 十四五 total is not 2025's figure
        (188, "万人", [2021, 2025], True),  # asked for the whole period
        (5.5, "%", [2030], True),  # a 十五五 goal is the target for 2030
        (5.5, "%", [2026], False),
    ],
)
def test_a_period_figure_answers_only_for_its_period_or_horizon(value: float, unit: str, years: list[int], answers: bool):
    from rag.answer.offline import _period_asked

    assert _period_asked(find(read(SCOPES), value, unit), years) is answers
