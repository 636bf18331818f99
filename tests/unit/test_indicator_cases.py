"""Indicator readings on real-report phrasings: one case row per phrasing the rules handle.

Every text is written for these tests in the genre's style (a 2026 provincial report's review of
2025 and of the 十四五, its 十五五 goals, its 2026 plan); none is copied from a corpus file. A row
names the figure by its value and unit and gives the fields the rules must read for it.
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


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "metric"),
    [
        # `A、B、C领域投资额分别达…`: short members share the last member's head; the hedge is not a member.
        ("力争全年铁路、公路、港航领域投资额分别达300亿元、500亿元、120亿元。", 300, "亿元", "铁路领域投资额"),
        ("力争全年铁路、公路、港航领域投资额分别达300亿元、500亿元、120亿元。", 500, "亿元", "公路领域投资额"),
        ("力争全年铁路、公路、港航领域投资额分别达300亿元、500亿元、120亿元。", 120, "亿元", "港航领域投资额"),
        # Long members keep their own names.
        ("规模以上工业增加值、社会消费品零售总额分别增长6.1%、4.8%。", 6.1, "%", "规模以上工业增加值"),
        ("规模以上工业增加值、社会消费品零售总额分别增长6.1%、4.8%。", 4.8, "%", "社会消费品零售总额"),
    ],
)
def test_metric_of_a_respectively_list(sentence: str, value: float, unit: str, metric: str):
    indicator = find(read(HEAD + "三、2026年工作安排\n" + sentence + "\n"), value, unit)
    assert indicator.metric == metric
    assert metric[:2] in indicator.quote  # the quote names the member's own subject


@pytest.mark.parametrize(("number", "years"), [(11, (2006, 2010)), (13, (2016, 2020)), (14, (2021, 2025)), (15, (2026, 2030))])
def test_five_year_plan_years(number: int, years: tuple[int, int]):
    assert plan_years(number) == years


def test_an_unnumbered_chapter_line_up_to_thirty_characters_is_a_heading():
    text = HEAD + "“十五五”时期经济社会发展主要目标和2026年重点工作安排\n今年是开局之年，主要预期目标是地区生产总值增长5%左右。\n"
    titles = [h.title(text) for h in parse_outline(text).roots]
    assert "“十五五”时期经济社会发展主要目标和2026年重点工作安排" in titles


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "base"),
    [
        # A unit is never cut at 万/亿 when the text goes on.
        ("全省经济总量迈上4.2万亿元台阶。", 4.2, "万亿元", (4.2e12, "元")),
        ("港口集装箱吞吐量达到860万标准箱。", 860, "万标准箱", None),
        ("粮食总产量稳定在720亿斤以上。", 720, "亿斤", None),
        ("接待游客1.3亿人次，机场旅客吞吐量2100万人次。", 1.3, "亿人次", None),
        ("通用机场起降3.6万架次。", 3.6, "万架次", None),
        ("培训高素质农民2.4万名。", 2.4, "万名", None),
        ("一般公共预算收支累计分别突破6千亿元、2万亿元。", 6, "千亿元", (6e11, "元")),
        ("一般公共预算收支累计分别突破6千亿元、2万亿元。", 2, "万亿元", (2e12, "元")),
        # Plain units stay as they were.
        ("完成固定资产投资350亿元。", 350, "亿元", (3.5e10, "元")),
        ("新增城镇就业6.5万人。", 6.5, "万人", (6.5e4, "人")),
    ],
)
def test_units_are_complete_as_written(sentence: str, value: float, unit: str, base: tuple[float, str] | None):
    indicator = find(read(HEAD + "一、2025年工作回顾\n" + sentence + "\n"), value, unit)
    if base is not None:
        assert indicator.base_value == pytest.approx(base[0]) and indicator.base_unit == base[1]


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "metric", "kind"),
    [
        # A count opening the clause qualifies the subject: the metric is what the projects did.
        ("218个市级重点项目完成投资1460亿元。", 1460, "亿元", "市级重点项目完成投资", "actual"),
        ("218个市级重点项目完成投资1460亿元。", 218, "个", "市级重点项目", "actual"),
        # What an amount does (no 的) is not its name.
        ("发行政府债券资金420亿元支持城市更新。", 420, "亿元", "政府债券资金", "actual"),
        ("安排省级财政资金15亿元用于老旧小区改造。", 15, "亿元", "省级财政资金", "actual"),
        # With 的, what follows is the name, as before.
        ("设立总规模50亿元的产业引导基金。", 50, "亿元", "产业引导基金", "actual"),
        # A review's 争取 reports what was secured.
        ("争取中央预算内投资96亿元，争取国家试点示范23项。", 96, "亿元", "中央预算内投资", "actual"),
        ("争取中央预算内投资96亿元，争取国家试点示范23项。", 23, "项", "国家试点示范", "actual"),
    ],
)
def test_metric_and_kind_in_a_review(sentence: str, value: float, unit: str, metric: str, kind: str):
    indicator = find(read(HEAD + "一、2025年工作回顾\n" + sentence + "\n"), value, unit)
    assert (indicator.metric, indicator.kind.value) == (metric, kind), indicator.quote


def test_a_plan_keeps_zhengqu_as_a_hedge():
    indicator = find(read(HEAD + "二、2026年工作安排\n争取中央预算内投资100亿元以上。\n"), 100, "亿元")
    assert (indicator.kind.value, indicator.hedge) == ("target", "争取")


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


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "metric_part"),
    [
        # The character after 万 opens a word: the unit stops at 万.
        ("全省新增1.5万个体工商户。", 1.5, "万", "个体工商户"),
        ("带动2.3万村民增收。", 2.3, "万", "村民"),
        ("惠及5万家庭。", 5, "万", "家庭"),
        ("服务1.2亿人口。", 1.2, "亿", "人口"),
        # A verb after an amount is its purpose, but a noun that starts like one is a name.
        ("新建2万套保障性租赁住房。", 2, "万套", "保障性租赁住房"),
        ("发放2.3亿元补助资金。", 2.3, "亿元", "补助资金"),
    ],
)
def test_a_unit_stops_where_a_word_begins(sentence: str, value: float, unit: str, metric_part: str):
    indicator = find(read(HEAD + "一、2025年工作回顾\n" + sentence + "\n"), value, unit)
    assert metric_part in indicator.metric


@pytest.mark.parametrize(
    ("sentence", "metrics"),
    [
        ("工业、农业、服务业增加值分别增长6.8%、3.9%、5.6%。", ["工业增加值", "农业增加值", "服务业增加值"]),
        ("城镇、农村常住居民人均可支配收入分别增长4.6%、6.3%。", ["城镇常住居民人均可支配收入", "农村常住居民人均可支配收入"]),
        ("一产、二产、三产增加值分别增长3.8%、6.1%、5.0%。", ["一产增加值", "二产增加值", "三产增加值"]),
        ("纺织、食品等产业增加值分别增长7.2%、8.5%。", ["纺织产业增加值", "食品等产业增加值"]),
        ("税收、一般公共预算收入分别增长4.2%、3.1%。", ["税收", "一般公共预算收入"]),
        ("出口、实际使用外资分别增长9%、12%。", ["出口", "实际使用外资"]),
    ],
)
def test_respectively_members_share_a_head_only_when_parallel(sentence: str, metrics: list[str]):
    indicators = [i for i in read(HEAD + "一、2025年工作回顾\n" + sentence + "\n") if i.unit == "%"]
    assert [i.metric for i in indicators] == metrics


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [
        # A count unit after 万 followed by what it counts is still the unit.
        ("组织1万名乡村教师参加轮训。", 1, "万名"),
        ("全市高新技术企业从0.52万家增加到0.81万家。", 0.52, "万家"),
        ("2.6万名退役军人实现就业。", 2.6, "万名"),
    ],
)
def test_a_count_unit_after_a_magnitude_before_its_noun(sentence: str, value: float, unit: str):
    find(read(HEAD + "一、2025年工作回顾\n" + sentence + "\n"), value, unit)


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "comparator", "value_max"),
    [
        ("引进亿元以上项目30余个。", 30, "个", "at_least", None),
        ("新增市场主体1.2万多户。", 1.2, "万户", "at_least", None),
        ("地区生产总值增长5%—5.5%。", 5, "%", "range", 5.5),
        ("居民消费价格涨幅控制在3%左右。", 3, "%", "about", None),
        ("单位生产总值能耗下降3%以上。", -3, "%", "at_least", None),
    ],
)
def test_comparators_before_and_after_the_unit(sentence: str, value: float, unit: str, comparator: str, value_max: float | None):
    indicator = find(read(HEAD + "二、2026年工作安排\n" + sentence + "\n"), value, unit)
    assert (indicator.comparator.value, indicator.value_max) == (comparator, value_max)


@pytest.mark.parametrize(
    ("section", "sentence", "value", "unit", "kind", "hedge"),
    [
        # One list of hedges: `努力` and `力争` read alike wherever they govern the figure.
        ("review", "全年努力实现地区生产总值增长8%。", 8, "%", "target", "努力"),
        ("review", "全年力争实现地区生产总值增长8%。", 8, "%", "target", "力争"),
        ("plan", "努力实现地区生产总值增长6%。", 6, "%", "target", "努力"),
        # In a review, an earlier clause's effort does not promise this clause's result.
        ("review", "我们努力克服困难，全省地区生产总值达到2.1万亿元。", 2.1, "万亿元", "actual", None),
        ("review", "经过不懈努力，全市地区生产总值增长6.1%。", 6.1, "%", "actual", None),
        # `稳预期` is a policy, not an expectation.
        ("review", "全省上下着力稳就业、稳预期，地区生产总值增长5%。", 5, "%", "actual", None),
    ],
)
def test_one_list_of_hedges_and_where_they_govern(section: str, sentence: str, value: float, unit: str, kind: str, hedge: str | None):
    heading = "一、2025年工作回顾" if section == "review" else "二、2026年工作安排"
    indicator = find(read(HEAD + heading + "\n" + sentence + "\n"), value, unit)
    assert (indicator.kind.value, indicator.hedge) == (kind, hedge), indicator.quote
