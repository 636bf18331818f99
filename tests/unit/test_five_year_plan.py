"""A second genre on the same rules: a five-year plan outline (纲要), proving the recipe in
rag/extract/rules/README.md. The plan is written for this test; it copies no real document."""

from __future__ import annotations

from rag.core.records import DocType, Indicator
from rag.extract.rules.engine import RulesEngine

PLAN = """某某市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要
第一篇 开启全面建设社会主义现代化新征程
第一章 发展环境
第一节 “十三五”时期发展成就
“十三五”时期是全市发展极不平凡的五年。地区生产总值年均增长7.2%，城镇新增就业累计38万人。
第二节 面临的形势
当今世界正经历百年未有之大变局，我市发展仍处于重要战略机遇期。
第二章 指导思想和主要目标
第一节 主要目标
到2025年，地区生产总值年均增长6%左右，常住人口城镇化率达到70%。
第二篇 构建现代产业体系
第三章 做强先进制造业
实施制造业倍增计划，培育规模以上工业企业500家以上。
"""


def record():
    return RulesEngine().extract("plan", PLAN)


def find(value: float, unit: str) -> Indicator:
    return next(i for i in record().indicators if i.value == value and i.unit == unit)


def test_a_five_year_plan_is_known_by_its_title_and_plans_its_periods_first_year():
    facts = record()
    assert (facts.doc_type, facts.plan_year, facts.review_year) == (DocType.five_year_plan, 2021, 2020)


def test_parts_chapters_and_sections_nest_as_the_plan_writes_them():
    outline = record().outline
    assert [(n.level, n.title) for n in outline] == [("part", "开启全面建设社会主义现代化新征程"), ("part", "构建现代产业体系")]
    chapters = outline[0].children
    assert [(c.level, c.title) for c in chapters] == [("chapter", "发展环境"), ("chapter", "指导思想和主要目标")]
    assert [(s.level, s.title) for s in chapters[0].children] == [("section", "“十三五”时期发展成就"), ("section", "面临的形势")]


def test_the_review_of_the_last_period_and_the_goals_of_this_one_carry_their_periods():
    past = find(7.2, "%")
    assert (past.kind.value, past.year, past.period) == ("actual", 2020, (2016, 2020))
    jobs = find(38, "万人")
    assert (jobs.kind.value, jobs.period) == ("actual", (2016, 2020))
    goal = find(6, "%")
    assert (goal.kind.value, goal.year, goal.period, goal.comparator.value) == ("target", 2025, (2021, 2025), "about")
    assert find(70, "%").year == 2025
