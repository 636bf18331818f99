"""Question routing by region and year: which documents may answer, and what is refused."""

from __future__ import annotations

import pytest

from rag.answer.routing import scope_question

FACTS = {
    "anhui-2026": {"region": "安徽省", "region_code": "34", "plan_year": 2026, "review_year": 2025},
    "anhui-2025": {"region": "安徽省", "region_code": "34", "plan_year": 2025, "review_year": 2024},
    "nmg-2026": {"region": "内蒙古自治区", "region_code": "15", "plan_year": 2026, "review_year": 2025},
    "hlr-2012": {"region": "海拉尔区", "region_code": "150702", "region_parent": "呼伦贝尔市", "plan_year": 2012, "review_year": 2011},
    "hlr-2013": {"region": "海拉尔区", "region_code": "150702", "region_parent": "呼伦贝尔市", "plan_year": 2013, "review_year": 2012},
    "zone": {"region": "经济开发区", "region_code": None, "plan_year": 2014, "review_year": 2013},
    "unknown": {"region": None, "region_code": None, "plan_year": 2026, "review_year": 2025},
}


@pytest.mark.parametrize(
    "question, kind, doc_ids",
    [
        ("安徽省2026年地区生产总值增长的预期目标是多少？", "target", ["anhui-2026"]),
        ("安徽2025年新增高新技术企业多少家？", None, ["anhui-2026"]),  # a year's results: the next year's report
        ("安徽2025年地区生产总值的预期目标是多少？", "target", ["anhui-2025"]),
        ("安徽今年的经济增长目标是多少？", "target", ["anhui-2026"]),  # no year: the latest report
        ("內蒙古2026年城镇新增就业的预期目标是多少？", "target", ["nmg-2026"]),  # traditional, short name
        ("海拉尔2012年城镇新增就业多少人？", None, ["hlr-2013"]),
        ("海拉尔区2012年地区生产总值的预期目标是多少？", "target", ["hlr-2012"]),
        ("呼伦贝尔市海拉尔区2013年的旅游收入目标是多少？", "target", ["hlr-2013"]),
        ("2014年开发区地区生产总值的增长目标是多少？", "target", ["zone"]),
        ("内蒙古到2030年城镇化率的目标是多少？", "target", ["nmg-2026"]),  # a 十五五 goal: the report that sets it
    ],
)
def test_a_question_goes_to_the_documents_of_its_region_and_year(question, kind, doc_ids):
    scope = scope_question(question, FACTS, kind)
    assert scope.refusal is None and scope.doc_ids == doc_ids


@pytest.mark.parametrize(
    "question, kind",
    [
        ("台湾省2026年地区生产总值增长的预期目标是多少？", "target"),  # a region no document covers
        ("西藏2026年城镇新增就业的预期目标是多少？", "target"),
        ("海拉尔区2020年地区生产总值的预期目标是多少？", "target"),  # a year no document covers
        ("内蒙古2032年城镇新增就业的预期目标是多少？", "target"),  # beyond any report's five-year horizon
    ],
)
def test_a_region_or_year_no_document_covers_is_refused(question, kind):
    scope = scope_question(question, FACTS, kind)
    assert scope.doc_ids == [] and scope.refusal


def test_a_district_does_not_answer_for_its_province():
    facts = {k: v for k, v in FACTS.items() if k.startswith("hlr")}
    scope = scope_question("内蒙古2012年地区生产总值是多少？", facts)
    assert scope.doc_ids == [] and "内蒙古自治区" in scope.refusal


def test_a_question_without_a_region_may_use_any_document_but_not_one_of_unknown_region_when_named():
    assert scope_question("地区生产总值增长目标是多少？", FACTS).doc_ids is None
    named = scope_question("安徽省2026年地区生产总值增长目标是多少？", FACTS, "target")
    assert "unknown" not in named.doc_ids


def test_the_answer_says_which_year_a_question_without_one_is_answered_for():
    scope = scope_question("安徽地区生产总值增长目标是多少？", FACTS, "target")
    assert scope.doc_ids == ["anhui-2026"] and any("2026" in note for note in scope.notes)
