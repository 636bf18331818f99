"""`rag extract`: files or ingested documents, the guide's JSON shape, Markdown, --out, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SEED_IDS, SEEDS

from rag.ingest.loading import load_document

GUIDE_KEYS = {"doc_id", "title", "region", "region_code", "region_parent", "doc_type", "review_year", "plan_year", "outline", "indicators", "slogans"}


def test_extract_a_file_prints_the_guide_shape_with_grounded_spans(cli):
    path = SEEDS / "001_79fffe570bc6bca6.txt"
    result = cli("extract", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    record = result.json()
    assert set(record) == GUIDE_KEYS
    assert (record["review_year"], record["plan_year"]) == (2013, 2014)
    text = load_document(path).text
    for item in record["indicators"] + record["slogans"]:
        assert text[item["span"][0] : item["span"][1]] == item["quote"]
    gdp_target = [i for i in record["indicators"] if i["quote"] == "地区生产总值同比增长8%以上"]
    assert gdp_target and gdp_target[0] | {"span": None} == {
        "metric": "地区生产总值", "change": "growth", "value": 8.0, "value_max": None, "unit": "%",
        "comparator": "at_least", "kind": "target", "year": 2014, "period": None, "scope": "year", "canonical": "gdp", "hedge": None,
        "quote": "地区生产总值同比增长8%以上",
        "span": None, "base_value": None, "base_unit": None,
    }


def test_extract_an_ingested_document_by_id(cli):
    cli("ingest", str(SEEDS))
    result = cli("extract", "004_572a5b6ae4dc3c11", "--format", "json")
    assert result.exit_code == 0, result.stderr
    slogans = {s["name"]: s for s in result.json()["slogans"]}
    assert slogans["六大突破"]["count"] == 6 and len(slogans["六大突破"]["items"]) == 6
    assert slogans["126"]["items"] == ["一條主線", "兩面大旗", "六大突破"]


def test_batch_to_out_folder_and_text_view(cli, tmp_path: Path):
    out = tmp_path / "records"
    result = cli("extract", str(SEEDS), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.stem for p in out.glob("*.json")) == SEED_IDS
    assert "indicators" in result.stdout and "outline" in result.stdout
    record = json.loads((out / "000_6df439c02bdb466d.json").read_text(encoding="utf-8"))
    assert {s["name"] for s in record["slogans"]} >= {"五大战略", "5+4+1", "1+7"}


def test_markdown_report(cli):
    result = cli("extract", str(SEEDS / "000_6df439c02bdb466d.txt"), "--format", "md")
    assert result.exit_code == 0
    assert result.stdout.startswith("# 01-以“五个新突破”为抓手建设现代化开放创新之区")
    assert "| 世界500强项目 | ≥ 3个 |" in result.stdout


def test_bad_and_unknown_targets_are_reported_and_the_rest_extracted(cli, tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = cli("extract", str(empty), "no-such-doc", str(SEEDS / "003_d4342bbcb50befa8.txt"), "--format", "json")
    assert result.exit_code == 1
    records = result.json()
    assert [r["doc_id"] for r in records] == ["003_d4342bbcb50befa8"]
    lines = result.stderr.strip().splitlines()
    assert any("empty.txt" in line and "empty file" in line for line in lines)
    assert any("no-such-doc" in line for line in lines)


def test_document_text_cannot_write_outside_the_out_folder(cli, tmp_path: Path):
    source = tmp_path / "docs"
    source.mkdir()
    (source / "..evil.txt").write_text("一、目标\n地区生产总值增长8%。\n", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("extract", str(source / "..evil.txt"), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in out.iterdir()] == ["evil.json"]
