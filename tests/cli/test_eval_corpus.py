"""`rag eval --corpus`: the development corpus scored by its own rules, as its reference scorer does."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
from conftest import REPO

from rag.core.spans import Span
from rag.evaluation.scoring import (
    CorpusAnswerTally,
    corpus_fact_right,
    corpus_field_ok,
    in_zone,
    match_corpus,
    trap_taken,
)


def ind(value, unit="%", span=(0, 10), **fields):
    return {"metric": "地区生产总值", "change": "growth", "value": value, "value_max": None, "unit": unit, "comparator": "about",
            "kind": "target", "year": 2026, "quote": "地区生产总值增长6%左右", "span": list(span), **fields}


# ---- the rules, on hand-made cases -------------------------------------------------------------

def test_metric_agrees_by_character_overlap_both_ways():
    gold = ind(6)
    assert corpus_field_ok("metric", ind(6, metric="地区生产总值"), gold)
    assert corpus_field_ok("metric", ind(6, metric="全市地区生产总值"), gold)  # 6 of 8 characters are gold's
    assert not corpus_field_ok("metric", ind(6, metric="生产"), gold)  # a fragment: 2 of 6 gold characters
    assert not corpus_field_ok("metric", ind(6, metric="地区生产总值年均增长速度目标"), gold)  # too long: under half is gold's


def test_change_is_lenient_where_annotators_differ():
    jobs = ind(3, unit="万人", metric="城镇新增就业", change="level", quote="城镇新增就业3万人")
    assert corpus_field_ok("change", {**jobs, "change": "delta"}, jobs)
    assert not corpus_field_ok("change", {**jobs, "change": "growth"}, jobs)
    prices = ind(3, metric="居民消费价格涨幅", change="level")
    assert corpus_field_ok("change", {**prices, "change": "growth"}, prices)
    built = ind(1500, unit="个", metric="5G基站", change="delta", quote="新建5G基站1500个")
    assert corpus_field_ok("change", {**built, "change": "level"}, built)
    assert not corpus_field_ok("change", {**ind(6), "change": "level"}, ind(6))


def test_matching_needs_value_range_unit_and_overlap_and_is_one_to_one_in_gold_order():
    assert match_corpus([ind(6, unit="％")], [ind(6)]).matched == 1  # units fold to half-width
    assert match_corpus([ind(6, span=(10, 20))], [ind(6)]).matched == 0
    assert match_corpus([ind(6.0000001)], [ind(6)]).matched == 1
    assert match_corpus([ind(6)], [ind(6, value_max=7)]).matched == 0
    result = match_corpus([ind(6), ind(6, comparator="exact")], [ind(6), ind(6)])
    assert (result.matched, result.all_fields, result.fields["comparator"]) == (2, 1, 1)
    assert match_corpus([ind(6)], [ind(6), ind(6)]).missed == [ind(6)]


def test_zones_traps_and_facts():
    assert in_zone(ind(6, span=(90, 120)), [100, 200]) and not in_zone(ind(6, span=(40, 120)), [100, 200])
    trap = {"value": 9, "span": [81, 82], "context": "连续9年"}
    assert trap_taken([ind(9, unit="年", span=(80, 83))], trap)
    assert not trap_taken([ind(9, unit="年", span=(90, 93))], trap) and not trap_taken([ind(8, span=(80, 83))], trap)
    assert corpus_fact_right("region", "呼伦贝尔市海拉尔区", "海拉尔区")
    assert not corpus_fact_right("region", "内蒙古自治区呼伦贝尔市海拉尔区", "海拉尔区")
    assert not corpus_fact_right("region", None, "海拉尔区") and corpus_fact_right("plan_year", 2026, 2026)


def test_answer_tally_counts_refusals_citations_and_foreign_documents():
    tally = CorpusAnswerTally()
    case = {"answers": ["6%"], "evidence": [{"doc_id": "a", "span": [10, 20]}]}
    assert tally.add_case(case, "a", "增长６％左右", True, [("a", Span(15, 30)), ("b", Span(0, 5))])
    assert not tally.add_case(case, "a", "增长6%", False, [])
    assert not tally.add_case({"answers": [], "evidence": []}, "a", "…", False, [("a", Span(0, 5))])
    assert tally.add_case({"answers": [], "evidence": []}, "a", "没有找到", False, [])
    assert tally.rates() == {"accuracy": 0.5, "citation_hit": 0.5, "no_answer_accuracy": 0.5, "foreign_free": 0.5}


# ---- agreement with the corpus's reference scorer ----------------------------------------------

def _reference_scorer(corpus_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_score", corpus_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _reference_counts(score: ModuleType, predicted: dict, gold: dict) -> dict[str, int]:
    """score.py's counts for one document: its `match` and `field_ok`, its zone, trap and fact rules."""
    misses: list[str] = []
    preds = predicted["indicators"]
    matched, all_fields, per_field, _ = score.match(preds, gold["headline_targets"] + gold["headline_actuals"], misses, "h")
    counts = {"headline_matched": matched, "headline_all_fields": all_fields, "headline_fields": per_field,
              "zone_matched": 0, "zone_predicted": 0, "zone_all_fields": 0, "traps_taken": 0, "facts_right": 0}
    for zone in gold["zones"]:
        s, e = zone["span"]
        inside = [q for q in preds if q.get("span") and s <= (q["span"][0] + q["span"][1]) / 2 < e]
        zone_matched, zone_all, _, _ = score.match(inside, zone["indicators"], misses, "z")
        counts["zone_matched"] += zone_matched
        counts["zone_predicted"] += len(inside)
        counts["zone_all_fields"] += zone_all
    for trap in gold["traps"]:
        counts["traps_taken"] += any(score.num(q.get("value")) is not None and abs(score.num(q.get("value")) - trap["value"]) < 1e-9
                                     and score.overlap(q.get("span"), trap["span"]) for q in preds)
    for name in ("region", "doc_type", "review_year", "plan_year"):
        got = predicted.get(name)
        folded = score.fold(str(got))
        counts["facts_right"] += (score.fold(gold[name]) in folded and len(folded) <= len(score.fold(gold[name])) + 6
                                  if name == "region" else got == gold[name])
    return counts


def test_the_product_scorer_agrees_with_the_reference_scorer(corpus_dir: Path, cli, monkeypatch: pytest.MonkeyPatch):
    from rag.core.settings import load_settings
    from rag.evaluation.run import corpus_golds, evaluate_corpus
    from rag.extract.rules.engine import RulesEngine
    from rag.extract.verify import verify_record
    from rag.ingest.loading import load_document

    score = _reference_scorer(corpus_dir)
    golds = corpus_golds(corpus_dir)
    report = evaluate_corpus(load_settings(), [RulesEngine()], corpus_dir, REPO / "seeds", split="extraction")
    ours = report["extraction"]["offline"]
    assert report["documents"] == [g["doc_id"] for g in golds] and len(golds) >= 21
    engine = RulesEngine()
    for gold in golds:
        document = load_document(corpus_dir / gold["path"])
        predicted = verify_record(engine.extract(document.doc_id, document.text), document.text)[0].to_json_dict()
        reference = _reference_counts(score, predicted, gold)
        counts = ours["per_document"][gold["doc_id"]]["counts"]
        assert {key: counts[key] for key in reference} == reference, gold["doc_id"]

    # The whole of score.py's extraction, its `rag extract` runs served in-process by our CLI.
    def run(cmd: list[str], cwd: Path, timeout: int = 600) -> tuple[SimpleNamespace, float]:
        result = cli(*cmd[1:])
        return SimpleNamespace(stdout=result.stdout, stderr=result.stderr, returncode=result.exit_code), 0.0

    monkeypatch.setattr(score, "run", run)
    expected = score.extraction(["rag"], REPO, golds, corpus_dir, [])
    assert expected["failed"] == 0
    scores, counts = ours["scores"], ours["counts"]
    for key in ("headline_recall", "headline_all_fields", "headline_change", "headline_comparator", "headline_kind", "headline_year",
                "headline_metric", "zone_precision", "zone_recall", "zone_all_fields", "facts"):
        assert expected[key] == pytest.approx(scores[key], abs=6e-4), key
    assert expected["traps"] == f"{counts['traps_taken']}/{counts['traps']}"
    assert (expected["headline_gold"], expected["zone_gold"]) == (counts["headline_gold"], counts["zone_gold"])


# ---- the command, on a tiny corpus worked out by hand ------------------------------------------

TINY_TEXT = """2026年湖州市人民政府工作报告

各位代表：

一、2025年工作回顾

过去一年，全市地区生产总值达到4200亿元，增长6.5%。城镇新增就业3.2万人。连续9年获评全省优秀。

二、2026年主要预期目标

今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，城镇新增就业3万人以上，居民消费价格涨幅3%左右。

三、2026年重点工作

新建5G基站1500个，实施重大项目120个。
"""


def _item(text: str, quote: str, metric: str, value: float, unit: str, kind: str, **fields) -> dict:
    start = text.index(quote)
    year = 2025 if kind == "actual" else 2026
    return {"metric": metric, "change": "level", "value": value, "value_max": None, "unit": unit, "comparator": "exact",
            "kind": kind, "year": year, "hedge": None, "quote": quote, "span": [start, start + len(quote)], **fields}


def _tiny_corpus(folder: Path) -> Path:
    (folder / "docs").mkdir(parents=True)
    (folder / "gold").mkdir()
    (folder / "docs" / "huzhou_2026.txt").write_text(TINY_TEXT, encoding="utf-8")
    t = TINY_TEXT
    at = t.index
    gold = {
        "doc_id": "huzhou_2026", "path": "docs/huzhou_2026.txt", "encoding": "utf-8", "title": "2026年湖州市人民政府工作报告",
        "region": "湖州市", "doc_type": "government_work_report", "review_year": 2025, "plan_year": 2026,
        "headline_actuals": [
            _item(t, "全市地区生产总值达到4200亿元", "地区生产总值", 4200, "亿元", "actual"),
            _item(t, "增长6.5%", "地区生产总值", 6.5, "%", "actual", change="growth"),
            _item(t, "城镇新增就业3.2万人", "城镇新增就业", 3.2, "万人", "actual"),  # the engine says delta: either reading
        ],
        "headline_targets": [
            _item(t, "地区生产总值增长6%左右", "地区生产总值", 6, "%", "target", change="growth", comparator="about"),
            # A range the engine does not read: missed.
            _item(t, "城镇新增就业3万人以上", "城镇新增就业", 3, "万人", "target", value_max=3.5, comparator="range"),
            # Matched, but the comparator differs: not all fields right.
            _item(t, "居民消费价格涨幅3%左右", "居民消费价格涨幅", 3, "%", "target", comparator="at_most"),
        ],
        # Exhaustive: 重大项目120个 is not an indicator here, so predicting it is a false positive (and a trap).
        "zones": [{"label": "plan", "span": [at("三、"), len(t)],
                   "indicators": [_item(t, "新建5G基站1500个", "5G基站", 1500, "个", "target", change="delta")]}],
        "traps": [{"context": "连续9年", "value": 9, "span": [at("9年"), at("9年") + 1]},
                  {"context": "实施重大项目120个", "value": 120, "span": [at("120"), at("120") + 3]}],
        "questions": [
            {"id": "huzhou_2026-q1", "question": "湖州市2026年地区生产总值增长的预期目标是多少？", "answers": ["6%"],
             "evidence": [{"doc_id": "huzhou_2026", "span": [at("地区生产总值增长6%"), at("地区生产总值增长6%") + 12]}]},
            {"id": "huzhou_2026-q2", "question": "湖州市2026年一般公共预算收入增长的预期目标是多少？", "answers": [], "evidence": []},
        ],
    }
    (folder / "gold" / "huzhou_2026.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return folder


def test_eval_with_a_tiny_corpus_reports_the_figures_worked_out_by_hand(cli, tmp_path: Path):
    corpus = _tiny_corpus(tmp_path / "corpus")
    result = cli("eval", "--engine", "offline", "--corpus", str(corpus), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert report["config"]["corpus_path"] == str(corpus.resolve()) and len(report["config"]["corpus_gold_hash"]) == 16
    assert "extraction" in report and "qa" in report  # the seeds are still scored
    section = report["corpus"]
    assert section["documents"] == ["huzhou_2026"]
    extraction = section["extraction"]["offline"]
    # Headline: 6 gold, 5 matched (the range is missed), 4 with every field right (the comparator of prices is not).
    assert extraction["counts"]["headline_fields"] == {"change": 5, "comparator": 4, "kind": 5, "year": 5, "metric": 5}
    # Zone: 1 gold, 2 predicted inside it (5G基站 and 重大项目), 1 matched with every field right.
    # Traps: 重大项目120个 taken, 连续9年 avoided. Facts: all four right.
    metrics = {k: v for k, v in report["metrics"].items() if k.startswith("corpus.")}
    assert metrics == {
        "corpus.offline.facts": 1.0, "corpus.offline.headline_recall": 0.8333, "corpus.offline.headline_all_fields": 0.8,
        "corpus.offline.headline_change": 1.0, "corpus.offline.headline_comparator": 0.8, "corpus.offline.headline_kind": 1.0,
        "corpus.offline.headline_year": 1.0, "corpus.offline.headline_metric": 1.0,
        "corpus.offline.zone_precision": 0.5, "corpus.offline.zone_recall": 1.0, "corpus.offline.zone_all_fields": 1.0,
        "corpus.offline.traps_avoided": 0.5, "corpus.offline.grounding": 1.0,
        "corpus.answers.offline.accuracy": 1.0, "corpus.answers.offline.citation_hit": 1.0,
        "corpus.answers.offline.no_answer_accuracy": 1.0, "corpus.answers.offline.foreign_free": 1.0,
        # Compare cells from the six headline items: all but the 城镇新增就业 range the engine misses
        # (no tracking case: one report has no next year).
        "corpus.across.compare_accuracy": 0.8333,
    }
    document = extraction["per_document"]["huzhou_2026"]
    assert document["facts_wrong"] == {}
    assert any("missed 城镇新增就业 3" in m for m in document["misses"])
    assert any("comparator about≠at_most" in m for m in document["misses"])
    assert any("extra 重大项目 120" in m for m in document["misses"]) and any("trap taken: 120" in m for m in document["misses"])
    answers = section["questions"]["answers"]["offline"]
    assert answers["counts"] == {"answerable": 1, "correct": 1, "cited": 1, "no_answer": 1, "no_answer_right": 1, "foreign": 0}
    assert answers["wrong"] == []

    markdown = cli("eval", "--engine", "offline", "--split", "extraction", "--corpus", str(corpus), "--format", "md")
    assert markdown.exit_code == 0
    assert "## Development corpus" in markdown.stdout
    assert "| huzhou\\_2026 | 4/4 | 0.83 | 0.80 | 0.50 | 1.00 | 1/2 |" in markdown.stdout
    table = cli("eval", "--engine", "offline", "--split", "qa", "--corpus", str(corpus))
    assert table.exit_code == 0 and "corpus per document (questions: offline)" in table.stdout
    assert "extraction" not in json.loads(cli("eval", "--split", "qa", "--corpus", str(corpus), "--format", "json").stdout)["corpus"]


def test_an_absent_corpus_is_skipped_with_a_note_except_under_ci(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    missing = tmp_path / "no-corpus"
    monkeypatch.delenv("CI", raising=False)
    result = cli("eval", "--split", "extraction", "--corpus", str(missing), "--format", "json")
    assert result.exit_code == 0
    assert "corpus" not in result.json() and "extraction" in result.json()
    assert len(result.stderr.strip().splitlines()) == 1 and str(missing) in result.stderr and "skipping" in result.stderr

    monkeypatch.setenv("CI", "true")
    failing = cli("eval", "--split", "extraction", "--corpus", str(missing), "--format", "json")
    assert failing.exit_code == 1 and failing.stdout == ""
    assert failing.stderr.strip().splitlines() == [failing.stderr.strip()] and str(missing) in failing.stderr
