"""`rag table`, `rag compare`, `rag track` over a real store of reports written for the tests: values as
stated, like with like, every region accounted for, verdicts by the comparator's meaning."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

REPORTS = {
    "山西省2026.txt": "2026年山西省政府工作报告\n各位代表：\n一、2025年工作回顾\n全省地区生产总值增长5.4%，城镇调查失业率5.1%。\n"
                   "“十四五”时期，全省地区生产总值年均增长5.8%。\n二、2026年工作安排\n今年主要预期目标是：地区生产总值增长5%左右，"
                   "城镇调查失业率5.5%左右，居民消费价格涨幅2%左右。\n",
    "陕西省2026.txt": "2026年陕西省政府工作报告\n各位代表：\n一、2025年工作回顾\n全省地区生产总值增长5.9%。\n二、2026年工作安排\n"
                   "今年主要预期目标是：经济增长5.5%以上，城镇新增就业60万人以上。\n",
    "丙区2014.txt": "2014年丙区政府工作报告\n各位代表：\n一、2013年工作回顾\n地区生产总值增长9%。\n二、2014年工作安排\n"
                   "地区生产总值增长10%，城镇登记失业率控制在4%以内，社会消费品零售总额增长12%。\n",
    "丙区2015.txt": "2015年丙区政府工作报告\n各位代表：\n一、2014年工作回顾\n地区生产总值增长9.6%，城镇登记失业率3.8%，"
                   "社会消费品零售总额稳中有升。\n二、2015年工作安排\n地区生产总值增长8%。\n",
}


@pytest.fixture
def across(cli, isolated_env: Path, tmp_path: Path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert cli("ingest", str(folder)).exit_code == 0
    return cli


def test_compare_gives_every_province_the_value_as_stated(across):
    payload = across("compare", "GDP", "城镇调查失业率", "--year", "2026", "--format", "json").json()
    cells = {r["region"]: [c["stated"] or c["status"] for c in r["cells"]] for r in payload["regions"]}
    assert cells == {"山西省": ["5%左右", "5.5%左右"], "陕西省": ["5.5%以上", "not_stated"]}
    # every stated cell cites its document and span
    jia = next(r for r in payload["regions"] if r["region"] == "山西省")
    assert jia["doc_id"] and jia["cells"][0]["span"] and jia["cells"][0]["quote"].endswith("5%左右")


def test_compare_never_puts_a_five_year_average_in_a_single_year_column(across):
    payload = across("compare", "gdp", "--year", "2025", "--kind", "actual", "--sort", "--format", "json").json()
    assert [(r["region"], r["cells"][0]["value"]) for r in payload["regions"]] == [("陕西省", 5.9), ("山西省", 5.4)]


def test_compare_says_when_a_region_has_no_report_for_the_year(across):
    payload = across("compare", "gdp", "--year", "2015", "--level", "all", "--format", "json").json()
    statuses = {r["region"]: r["cells"][0]["status"] for r in payload["regions"]}
    assert statuses == {"山西省": "no_report", "陕西省": "no_report", "丙区": "stated"}


def test_track_judges_each_target_by_the_next_report(across):
    payload = across("track", "丙区", "--format", "json").json()
    verdicts = {(t["year"], t["key"]): (t["verdict"], t["result"]["stated"]) for t in payload["tracks"]}
    assert verdicts[(2014, "gdp")] == ("not_met", "9.6%")
    assert verdicts[(2014, "registered_unemployment")] == ("met", "3.8%")  # 以内, lower is better
    assert verdicts[(2014, "retail_sales")] == ("no_result", "")  # 稳中有升 is words, never the target in its place
    assert verdicts[(2015, "gdp")] == ("no_result", "")  # no report reviews 2015


def test_table_exports_rows_a_spreadsheet_can_check(across):
    out = across("table", "--region", "山西省", "--metric", "gdp", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["地区", "文档", "指标"] and len(rows) == 4  # 2025 growth, 十四五 average, 2026 target
    assert all(row[0] == "山西省" for row in rows[1:])
    english = across("table", "--region", "山西省", "--format", "md", "--lang", "en").stdout
    assert "| region | document | metric |" in english


def test_an_unknown_region_is_a_one_line_error(across):
    result = across("track", "丁县")
    assert result.exit_code == 1 and "丁县" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def ask(cli, question: str) -> dict:
    result = cli("ask", question, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_which_regions_lists_every_match_with_a_citation(across):
    payload = ask(across, "哪些省份2026年GDP增长目标是5%左右？")
    assert payload["answer"].splitlines()[0].endswith("共1个：山西省")
    assert len(payload["citations"]) == 1 and payload["citations"][0]["quote"].endswith("5%左右")


def test_the_highest_comes_first_and_every_region_is_accounted_for(across):
    lines = ask(across, "2025年哪个省GDP增长最高？")["answer"].splitlines()
    assert lines[0] == "最高：陕西省" and "陕西省" in lines[1] and "山西省" in lines[2]


def test_was_the_target_met_is_answered_from_both_reports(across):
    payload = ask(across, "丙区2014年的GDP目标完成了吗？")
    assert "目标 10%" in payload["answer"] and "实际 9.6%" in payload["answer"] and "未完成" in payload["answer"]
    assert {c["doc_id"] for c in payload["citations"]} == {"丙区2014", "丙区2015"}


def test_a_change_over_years_is_one_cited_line_per_year(across):
    lines = ask(across, "丙区2013年到2014年地区生产总值增长的变化")["answer"].splitlines()
    assert lines[0].startswith("丙区 2013年实际") and "9%" in lines[0] and lines[1].startswith("丙区 2014年实际") and "9.6%" in lines[1]


def test_a_comparison_exports_as_a_spreadsheet(across, tmp_path: Path):
    import zipfile
    from xml.etree import ElementTree

    target = tmp_path / "compare.xlsx"
    assert across("compare", "gdp", "--year", "2026", "--format", "xlsx", "--out", str(target)).exit_code == 0
    with zipfile.ZipFile(target) as archive:
        assert {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} <= set(archive.namelist())
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    texts = [t.text for t in sheet.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}t")]
    assert texts[:2] == ["地区", "地区生产总值"] and "5%左右" in texts and "山西省" in texts
    assert across("compare", "gdp", "--format", "xlsx").exit_code == 2  # a spreadsheet needs a file


def test_a_batch_of_questions_is_answered_as_json_lines(across, tmp_path: Path):
    questions = tmp_path / "questions.txt"
    questions.write_text("2025年哪个省GDP增长最高？\n\n丙区2014年的GDP目标完成了吗？\n", encoding="utf-8")
    result = across("ask", "--batch", str(questions))
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["line"], line["found"]) for line in lines] == [(1, True), (3, True)]
    assert lines[0]["answer"].startswith("最高：陕西省") and lines[1]["citations"]
    assert across("ask").exit_code == 2  # a question or a batch


def test_the_rules_failing_on_one_text_cost_neither_the_batch_nor_the_table(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from rag.extract.rules.engine import RulesEngine

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "甲区2024年政府工作报告.txt").write_text("甲区2024年政府工作报告\n一、主要目标\n地区生产总值增长5%左右。\n", encoding="utf-8")
    (folder / "乙区2024年政府工作报告.txt").write_text("乙区2024年政府工作报告\n一、主要目标\n地区生产总值增长6%。\n规则在此出错。\n", encoding="utf-8")
    extract = RulesEngine.extract

    def failing(self, doc_id, text, **parsed):
        if "规则在此出错" in text:
            raise ValueError("a broken rule")
        return extract(self, doc_id, text, **parsed)

    monkeypatch.setattr(RulesEngine, "extract", failing)
    ingest = cli("ingest", str(folder), "--format", "json")
    assert ingest.exit_code == 0, ingest.stderr
    assert len(ingest.json()["added"]) == 2
    assert "its indicators could not be read (ValueError: a broken rule)" in " ".join(ingest.json()["notes"])
    rows = cli("table", "--format", "json").json()["rows"]
    assert {r["doc_id"] for r in rows} == {"甲区2024年政府工作报告"}
