"""Scoring: extraction records against gold, by the guide's matching rules. Pure functions.

Indicators match one-to-one when value and unit are equal and spans overlap; then kind,
comparator, year, change and metric name are compared on the matched pairs. Outline headings match
on level and (folded) title; slogans on (folded) name. All text comparison folds traditional to
simplified and full-width to half-width.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rag.cleaning import fold
from rag.spans import Span


@dataclass
class PRF:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.true_positives += other.true_positives
        self.predicted += other.predicted
        self.gold += other.gold

    def to_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.true_positives, "predicted": self.predicted, "gold": self.gold}


@dataclass
class Agreement:
    """Share of matched pairs that agree on a field."""

    agree: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return self.agree / self.total if self.total else 1.0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.agree += int(ok)


@dataclass
class IndicatorScore:
    match: PRF = field(default_factory=PRF)
    fields: dict[str, Agreement] = field(default_factory=lambda: {k: Agreement() for k in ("kind", "comparator", "year", "change", "metric")})
    pairs: list[tuple[dict, dict]] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    spurious: list[dict] = field(default_factory=list)


def _span(item: dict[str, Any]) -> Span:
    return Span(*item["span"])


def _same_number(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def metric_agrees(predicted: str, gold: str) -> bool:
    """Metric names agree when one (folded) contains the other."""
    p, g = fold(predicted), fold(gold)
    return bool(p) and bool(g) and (p in g or g in p)


def score_indicators(predicted: list[dict], gold: list[dict]) -> IndicatorScore:
    score = IndicatorScore()
    score.match.predicted, score.match.gold = len(predicted), len(gold)
    used: set[int] = set()
    # Greedy one-to-one: gold in order, each takes the best unused prediction (largest overlap).
    for g in gold:
        best, best_overlap = None, 0
        for index, p in enumerate(predicted):
            if index in used or fold(p["unit"]) != fold(g["unit"]) or not _same_number(abs(p["value"]), abs(g["value"])):
                continue
            overlap = min(_span(p).end, _span(g).end) - max(_span(p).start, _span(g).start)
            if overlap > best_overlap:
                best, best_overlap = index, overlap
        if best is None:
            score.missed.append(g)
            continue
        used.add(best)
        p = predicted[best]
        score.match.true_positives += 1
        score.pairs.append((p, g))
        for key in ("kind", "comparator", "year", "change"):
            score.fields[key].add(p.get(key) == g.get(key))
        score.fields["metric"].add(metric_agrees(p.get("metric", ""), g.get("metric", "")))
    score.spurious = [p for i, p in enumerate(predicted) if i not in used]
    return score


def _flatten(nodes: list[dict], parent: tuple | None = None) -> list[tuple[tuple, tuple | None]]:
    out = []
    for node in nodes:
        key = (str(node["level"]), fold(node["title"]).strip())
        out.append((key, parent))
        out.extend(_flatten(node.get("children", []), key))
    return out


@dataclass
class OutlineScore:
    match: PRF = field(default_factory=PRF)
    parent: Agreement = field(default_factory=Agreement)
    missed: list[tuple] = field(default_factory=list)
    spurious: list[tuple] = field(default_factory=list)


def score_outline(predicted: list[dict], gold: list[dict]) -> OutlineScore:
    score = OutlineScore()
    pred, gold_nodes = _flatten(predicted), _flatten(gold)
    score.match.predicted, score.match.gold = len(pred), len(gold_nodes)
    remaining = list(pred)
    for key, parent in gold_nodes:
        found = next((i for i, (k, _) in enumerate(remaining) if k == key), None)
        if found is None:
            score.missed.append(key)
            continue
        score.match.true_positives += 1
        score.parent.add(remaining[found][1] == parent)
        remaining.pop(found)
    score.spurious = [k for k, _ in remaining]
    return score


@dataclass
class SloganScore:
    match: PRF = field(default_factory=PRF)
    members_found: int = 0
    members_gold: int = 0

    @property
    def member_recall(self) -> float:
        return self.members_found / self.members_gold if self.members_gold else 1.0


def score_slogans(predicted: list[dict], gold: list[dict]) -> SloganScore:
    score = SloganScore()
    by_name = {fold(p["name"]): p for p in predicted}
    score.match.predicted, score.match.gold = len(by_name), len(gold)
    for g in gold:
        p = by_name.get(fold(g["name"]))
        gold_items = [fold(i) for i in g.get("items", [])]
        score.members_gold += len(gold_items)
        if p is None:
            continue
        score.match.true_positives += 1
        predicted_items = [fold(i) for i in p.get("items", [])]
        score.members_found += sum(1 for item in gold_items if any(item in q or q in item for q in predicted_items if q))
    return score


def grounded_share(record: dict, text: str) -> tuple[int, int]:
    """(grounded, total) over every item of a record: outline titles, indicator and slogan quotes."""
    total = grounded = 0

    def check(span: list[int], quote: str) -> None:
        nonlocal total, grounded
        total += 1
        grounded += int(text[span[0] : span[1]] == quote)

    def walk(nodes: list[dict]) -> None:
        for node in nodes:
            check(node["span"], node["title"])
            walk(node.get("children", []))

    walk(record.get("outline", []))
    for item in record.get("indicators", []):
        check(item["span"], item["quote"])
    for item in record.get("slogans", []):
        check(item["span"], item["quote"])
    return grounded, total


# ---- question answering ------------------------------------------------------------------------

def answer_correct(answer: str, expected: list[str]) -> bool:
    """Right when the answer contains every expected string, after folding both."""
    folded = fold(answer).replace(" ", "")
    return all(fold(item).replace(" ", "") in folded for item in expected)


def overlaps_evidence(doc_id: str, span: Span, evidence: list[dict]) -> bool:
    return any(doc_id == e["doc_id"] and span.overlaps(Span(*e["span"])) for e in evidence)


@dataclass
class RetrievalScore:
    """Recall@k (share of a question's evidence passages found in the top k) and MRR, averaged."""

    ks: tuple[int, ...] = (1, 3, 5, 10)
    recall_sums: dict[int, float] = field(default_factory=dict)
    reciprocal_rank_sum: float = 0.0
    questions: int = 0

    def add(self, ranked: list[tuple[str, Span]], evidence: list[dict]) -> None:
        self.questions += 1
        for k in self.ks:
            found = sum(1 for e in evidence if any(d == e["doc_id"] and s.overlaps(Span(*e["span"])) for d, s in ranked[:k]))
            self.recall_sums[k] = self.recall_sums.get(k, 0.0) + found / len(evidence)
        for rank, (doc_id, span) in enumerate(ranked, start=1):
            if overlaps_evidence(doc_id, span, evidence):
                self.reciprocal_rank_sum += 1.0 / rank
                break

    def recall(self, k: int) -> float:
        return self.recall_sums.get(k, 0.0) / self.questions if self.questions else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal_rank_sum / self.questions if self.questions else 0.0


@dataclass
class AnswerScore:
    """Answer accuracy, citation precision/recall and no-answer accuracy over a question set."""

    answered: int = 0  # questions with an answer in the corpus
    correct: int = 0
    citations: int = 0
    citations_right: int = 0
    evidence: int = 0
    evidence_cited: int = 0
    no_answer_questions: int = 0
    no_answer_right: int = 0

    def add(self, case: dict, answer: str, found: bool, citations: list[tuple[str, Span]]) -> bool:
        """Score one case; returns whether it was right."""
        evidence = case.get("evidence", [])
        if not case.get("answers"):
            self.no_answer_questions += 1
            right = not found and not citations
            self.no_answer_right += int(right)
            self.citations += len(citations)
            return right
        self.answered += 1
        right = found and answer_correct(answer, case["answers"])
        self.correct += int(right)
        self.citations += len(citations)
        self.citations_right += sum(1 for d, s in citations if overlaps_evidence(d, s, evidence))
        self.evidence += len(evidence)
        self.evidence_cited += sum(1 for e in evidence if any(d == e["doc_id"] and s.overlaps(Span(*e["span"])) for d, s in citations))
        return right

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 1.0

    @property
    def citation_precision(self) -> float:
        return self.citations_right / self.citations if self.citations else 1.0

    @property
    def citation_recall(self) -> float:
        return self.evidence_cited / self.evidence if self.evidence else 1.0

    @property
    def no_answer_accuracy(self) -> float:
        return self.no_answer_right / self.no_answer_questions if self.no_answer_questions else 1.0
