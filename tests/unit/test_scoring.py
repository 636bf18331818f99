"""The scorer itself, on small hand-made cases."""

from __future__ import annotations

import pytest

from rag.core.spans import Span
from rag.evaluation.scoring import AnswerScore, RetrievalScore, answer_correct, score_indicators, score_outline, score_slogans


def ind(value, unit="%", span=(0, 10), **fields):
    return {"metric": "地区生产总值", "change": "growth", "value": value, "unit": unit, "comparator": "at_least",
            "kind": "target", "year": 2014, "quote": "x" * (span[1] - span[0]), "span": list(span), **fields}


def test_exact_match():
    score = score_indicators([ind(8)], [ind(8)])
    assert (score.match.precision, score.match.recall, score.match.f1) == (1.0, 1.0, 1.0)
    assert all(a.accuracy == 1.0 for a in score.fields.values())


def test_unit_mismatch_is_no_match():
    score = score_indicators([ind(8, unit="亿元")], [ind(8, unit="%")])
    assert score.match.true_positives == 0 and score.match.f1 == 0.0


def test_units_fold_before_comparing():
    assert score_indicators([ind(8, unit="％")], [ind(8, unit="%")]).match.true_positives == 1


def test_overlapping_spans_match_disjoint_do_not():
    assert score_indicators([ind(8, span=(5, 20))], [ind(8, span=(0, 10))]).match.true_positives == 1
    assert score_indicators([ind(8, span=(10, 20))], [ind(8, span=(0, 10))]).match.true_positives == 0


def test_duplicates_match_one_to_one():
    score = score_indicators([ind(8), ind(8)], [ind(8)])
    assert score.match.true_positives == 1 and score.match.precision == 0.5 and score.match.recall == 1.0
    assert len(score.spurious) == 1


def test_empty_predictions():
    score = score_indicators([], [ind(8)])
    assert (score.match.precision, score.match.recall, score.match.f1) == (0.0, 0.0, 0.0)
    assert score_indicators([], []).match.f1 == 1.0


def test_field_disagreement_is_counted_on_matched_pairs():
    score = score_indicators([ind(8, kind="actual", year=2013, metric="GDP")], [ind(8, metric="地区生产总值")])
    assert score.fields["kind"].accuracy == 0.0 and score.fields["year"].accuracy == 0.0
    assert score.fields["comparator"].accuracy == 1.0 and score.fields["metric"].accuracy == 0.0


def test_outline_levels_titles_and_parents():
    gold = [{"level": 1, "title": "主要目标", "children": [{"level": "item", "title": "扩大投资", "children": []}]}]
    flat = [{"level": 1, "title": "主要目标", "children": []}, {"level": "item", "title": "扩大投资", "children": []}]
    score = score_outline(flat, gold)
    assert score.match.f1 == 1.0 and score.parent.accuracy == 0.5  # the root agrees, the item does not
    wrong_level = score_outline([{"level": 2, "title": "主要目标", "children": []}], gold)
    assert wrong_level.match.true_positives == 0


def test_slogans_fold_names_and_count_members():
    gold = [{"name": "六大突破", "items": ["突破雙招雙引", "突破項目建設"]}]
    score = score_slogans([{"name": "六大突破", "items": ["突破双招双引"]}], gold)
    assert score.match.f1 == 1.0 and score.member_recall == 0.5


def test_answers_fold_traditional_and_width():
    assert answer_correct("目標為增長８％以上", ["8%"])
    assert answer_correct("章丘將實施六大突破：雙招雙引…", ["双招双引"])
    assert not answer_correct("增长7.2%", ["8%"])


def test_a_no_answer_case_answered_wrongly():
    score = AnswerScore()
    case = {"answers": [], "evidence": []}
    assert not score.add(case, "2015年目标为增长8%", True, [("001", Span(0, 10))])
    assert score.no_answer_accuracy == 0.0 and score.citations == 1
    assert score.add(case, "语料中没有这一信息", False, [])
    assert score.no_answer_accuracy == 0.5


def test_citations_precision_and_recall():
    case = {"answers": ["8%"], "evidence": [{"doc_id": "a", "span": [0, 10]}, {"doc_id": "b", "span": [5, 9]}]}
    score = AnswerScore()
    assert score.add(case, "8%", True, [("a", Span(2, 4)), ("c", Span(0, 5))])
    assert score.citation_precision == 0.5 and score.citation_recall == 0.5 and score.accuracy == 1.0


def test_retrieval_recall_at_k_and_mrr():
    score = RetrievalScore(ks=(1, 3))
    evidence = [{"doc_id": "a", "span": [100, 110]}]
    score.add([("a", Span(0, 50)), ("a", Span(90, 120)), ("b", Span(0, 5))], evidence)
    assert score.recall(1) == 0.0 and score.recall(3) == 1.0
    assert score.mrr == pytest.approx(0.5)
