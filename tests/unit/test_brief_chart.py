"""The briefing's chart draws single-year growth rates only: never a level in %, a gap in
个百分点 or a five-year average beside them (a reader compares the bars as one kind of figure)."""

from __future__ import annotations

import re

from rag.brief.briefing import build_briefing
from rag.extract.rules.engine import RulesEngine
from rag.render.html import to_html

TEXT = ("2026年某某省政府工作报告\n各位代表：\n一、“十五五”时期主要目标\n“十五五”时期，全省地区生产总值年均增长5%以上。\n"
        "二、2026年工作安排\n今年主要预期目标是：地区生产总值增长5.5%左右，城镇调查失业率5.5%左右，"
        "居民收入增长快于经济增长1个百分点，固定资产投资增长6%。\n")


def test_the_chart_draws_single_year_growth_rates_only():
    record = RulesEngine().extract("case", TEXT)
    page = to_html(build_briefing([(record, TEXT)], lambda doc_id, position: ""))
    chart = re.search(r"<svg class=\"chart\".*?</svg>", page, re.S)
    assert chart is not None
    labels = re.findall(r'text-anchor="end">([^<]+)<', chart.group())
    assert labels == ["地区生产总值", "固定资产投资"], labels
