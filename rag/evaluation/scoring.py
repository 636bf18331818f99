"""Scoring: extraction records against gold, by the guide's matching rules. Pure functions.

Indicators match one-to-one when value and unit are equal and spans overlap; then kind,
comparator, year, change and metric name are compared on the matched pairs. Outline headings match
on level and (folded) title; slogans on (folded) name. All text comparison folds traditional to
simplified and full-width to half-width.

The development corpus (`../shared/corpus/`) has rules of its own, implemented at the end exactly as
its reference scorer applies them: a tolerant metric comparison, lenient `change` readings, zones
(precision), traps and document facts.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rag.core.spans import Span
from rag.ingest.cleaning import fold


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


# ---- the development corpus (../shared/corpus/README.md) ---------------------------------------
# Its rules, exactly as its reference scorer applies them, so the two give the same figures: units
# and answers fold by NFKC without spaces (no traditional-to-simplified step), numbers agree within
# 1e-6 of the gold value, gold items take predictions greedily in gold order.

CORPUS_FIELDS = ("change", "comparator", "kind", "year", "metric")
# Where annotators legitimately differ on `change`, either reading is right.
_LENIENT_CHANGE = {"新增就业": ("level", "delta"), "涨幅": ("level", "growth"), "价格": ("level", "growth")}
_NEW_COUNT_WORDS = ("新建", "新培育", "新组建", "建成", "新设")
_REGION_EXTRA = 6  # characters a predicted region may add to the gold one (a parent's name)


def corpus_fold(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").replace(" ", "")


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def spans_overlap(a: Any, b: Any) -> bool:
    return bool(a and b and a[0] < b[1] and b[0] < a[1])


def _near(value: Any, gold: float) -> bool:
    number = _number(value)
    return number is not None and abs(number - gold) <= 1e-6 * max(1.0, abs(gold))


def same_quantity(predicted: dict, gold: dict) -> bool:
    """Value (and `value_max` of a gold range) equal and units equal after folding."""
    if not _near(predicted.get("value"), gold["value"]):
        return False
    if gold.get("value_max") is not None and not _near(predicted.get("value_max"), gold["value_max"]):
        return False
    return corpus_fold(predicted.get("unit")) == corpus_fold(gold["unit"])


def corpus_metric_agrees(predicted: str | None, gold: str) -> bool:
    """≥60% of the gold metric's characters in the predicted one and ≥50% of the predicted one's in the gold."""
    p, g = set(corpus_fold(predicted)), set(corpus_fold(gold))
    return bool(p and g) and len(p & g) / len(g) >= 0.6 and len(p & g) / len(p) >= 0.5


def corpus_field_ok(name: str, predicted: dict, gold: dict) -> bool:
    if name == "metric":
        return corpus_metric_agrees(predicted.get("metric"), gold["metric"])
    if name == "change":
        lenient = next((ok for word, ok in _LENIENT_CHANGE.items() if word in gold["metric"]), None)
        if lenient is not None:
            return predicted.get("change") in lenient
        if gold["change"] in ("level", "delta") and any(w in gold["quote"] for w in _NEW_COUNT_WORDS):
            return predicted.get("change") in ("level", "delta")
    return predicted.get(name) == gold[name]


@dataclass
class CorpusMatch:
    """Greedy one-to-one matching of predictions to gold, in gold order."""

    matched: int = 0
    all_fields: int = 0
    fields: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CORPUS_FIELDS, 0))
    missed: list[dict] = field(default_factory=list)
    wrong_fields: list[tuple[dict, dict, list[str]]] = field(default_factory=list)  # (prediction, gold, fields)
    unmatched: list[dict] = field(default_factory=list)  # predictions no gold item took


def match_corpus(predicted: list[dict], gold: list[dict]) -> CorpusMatch:
    result, used = CorpusMatch(), set()
    for g in gold:
        hit = next((i for i, p in enumerate(predicted)
                    if i not in used and p.get("span") and same_quantity(p, g) and spans_overlap(p["span"], g["span"])), None)
        if hit is None:
            result.missed.append(g)
            continue
        used.add(hit)
        result.matched += 1
        wrong = [name for name in CORPUS_FIELDS if not corpus_field_ok(name, predicted[hit], g)]
        for name in CORPUS_FIELDS:
            result.fields[name] += name not in wrong
        result.all_fields += not wrong
        if wrong:
            result.wrong_fields.append((predicted[hit], g, wrong))
    result.unmatched = [p for i, p in enumerate(predicted) if i not in used]
    return result


def in_zone(predicted: dict, zone_span: list[int]) -> bool:
    """A prediction belongs to a zone when its span's midpoint is inside the zone."""
    span = predicted.get("span")
    return span is not None and len(span) == 2 and zone_span[0] <= (span[0] + span[1]) / 2 < zone_span[1]


def trap_taken(predicted: list[dict], trap: dict) -> bool:
    """Some prediction has the trap's value and a span over the trap's numeral."""
    return any((n := _number(p.get("value"))) is not None and abs(n - trap["value"]) < 1e-9
               and spans_overlap(p.get("span"), trap["span"]) for p in predicted)


def corpus_fact_right(name: str, predicted: Any, gold: Any) -> bool:
    """Equal, except `region`: the gold name inside the predicted one, which adds at most a parent."""
    if name != "region":
        return predicted == gold
    p, g = corpus_fold(str(predicted)) if predicted is not None else "", corpus_fold(gold)
    return g in p and len(p) <= len(g) + _REGION_EXTRA


def corpus_answer_right(answer: str, found: bool, expected: list[str]) -> bool:
    folded = corpus_fold(answer)
    return found and all(corpus_fold(item) in folded for item in expected)


def _rate(count: int, total: int) -> float:
    return round(count / max(total, 1), 4)


@dataclass
class CorpusTally:
    """Extraction counts of one corpus document, or of many added together."""

    headline_gold: int = 0
    headline_matched: int = 0
    headline_all_fields: int = 0
    headline_fields: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CORPUS_FIELDS, 0))
    zone_gold: int = 0
    zone_predicted: int = 0
    zone_matched: int = 0
    zone_all_fields: int = 0
    traps: int = 0
    traps_taken: int = 0
    facts: int = 0
    facts_right: int = 0

    def add(self, other: CorpusTally) -> None:
        for name, value in vars(other).items():
            if name == "headline_fields":
                for key, count in value.items():
                    self.headline_fields[key] += count
            else:
                setattr(self, name, getattr(self, name) + value)

    def counts(self) -> dict[str, Any]:
        return {**vars(self), "headline_fields": dict(self.headline_fields)}

    def rates(self) -> dict[str, float]:
        """Shares by the corpus scorer's conventions (an empty denominator counts as one)."""
        return {
            "facts": _rate(self.facts_right, self.facts),
            "headline_recall": _rate(self.headline_matched, self.headline_gold),
            "headline_all_fields": _rate(self.headline_all_fields, self.headline_matched),
            **{f"headline_{name}": _rate(count, self.headline_matched) for name, count in self.headline_fields.items()},
            "zone_precision": _rate(self.zone_matched, self.zone_predicted),
            "zone_recall": _rate(self.zone_matched, self.zone_gold),
            "zone_all_fields": _rate(self.zone_all_fields, self.zone_matched),
            "traps_avoided": round(1 - self.traps_taken / max(self.traps, 1), 4),
        }


def _indicator_text(item: dict) -> str:
    return f"{item.get('metric')} {item.get('value')}{item.get('unit')}"


def _match_misses(where: str, match: CorpusMatch) -> list[str]:
    misses = [f"{where}: missed {_indicator_text(g)} ({g['kind']} {g['year']}) «{g['quote']}»" for g in match.missed]
    misses += [f"{where}: fields {_indicator_text(g)}: " + "; ".join(f"{n} {p.get(n)}≠{g[n]}" for n in wrong)
               for p, g, wrong in match.wrong_fields]
    return misses


def score_corpus_document(predicted: dict, gold: dict) -> tuple[CorpusTally, dict[str, dict[str, Any]], list[str]]:
    """(counts, wrong facts as {fact: {predicted, gold}}, misses for people) of one verified record."""
    tally, misses = CorpusTally(), []
    indicators = predicted.get("indicators") or []
    headline = match_corpus(indicators, gold["headline_targets"] + gold["headline_actuals"])
    tally.headline_gold = len(gold["headline_targets"]) + len(gold["headline_actuals"])
    tally.headline_matched, tally.headline_all_fields = headline.matched, headline.all_fields
    tally.headline_fields = dict(headline.fields)
    misses += _match_misses("headline", headline)
    for zone in gold.get("zones", []):
        inside = [p for p in indicators if in_zone(p, zone["span"])]
        found = match_corpus(inside, zone["indicators"])
        tally.zone_gold += len(zone["indicators"])
        tally.zone_predicted += len(inside)
        tally.zone_matched += found.matched
        tally.zone_all_fields += found.all_fields
        misses += _match_misses(zone["label"], found)
        misses += [f"{zone['label']}: extra {_indicator_text(p)} «{p.get('quote')}»" for p in found.unmatched]
    for trap in gold["traps"]:
        tally.traps += 1
        if trap_taken(indicators, trap):
            tally.traps_taken += 1
            misses.append(f"trap taken: {trap['value']:g} «{trap['context']}»")
    wrong_facts = {}
    for name in ("region", "doc_type", "review_year", "plan_year"):
        tally.facts += 1
        if corpus_fact_right(name, predicted.get(name), gold[name]):
            tally.facts_right += 1
        else:
            wrong_facts[name] = {"predicted": predicted.get(name), "gold": gold[name]}
    return tally, wrong_facts, misses


@dataclass
class CorpusAnswerTally:
    """Question counts of one corpus document, or of many added together."""

    answerable: int = 0
    correct: int = 0
    cited: int = 0
    no_answer: int = 0
    no_answer_right: int = 0
    foreign: int = 0  # answers citing a document the question is not about

    def add_case(self, case: dict, doc_id: str, answer: str, found: bool, citations: list[tuple[str, Span]]) -> bool:
        """Score one case of document `doc_id`; returns whether it was right."""
        if not case["answers"]:
            right = not found and not citations
            self.no_answer += 1
            self.no_answer_right += right
            return right
        right = corpus_answer_right(answer, found, case["answers"])
        self.answerable += 1
        self.correct += right
        self.cited += any(d == e["doc_id"] and spans_overlap(s, e["span"]) for d, s in citations for e in case["evidence"])
        self.foreign += any(d != doc_id for d, _ in citations)
        return right

    def add(self, other: CorpusAnswerTally) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)

    def rates(self) -> dict[str, float]:
        return {
            "accuracy": _rate(self.correct, self.answerable),
            "citation_hit": _rate(self.cited, self.answerable),
            "no_answer_accuracy": _rate(self.no_answer_right, self.no_answer),
            "foreign_free": round(1 - self.foreign / max(self.answerable, 1), 4),
        }
