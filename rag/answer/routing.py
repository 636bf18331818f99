"""Routing: which documents a question is about, by the region and the year it names.

A question's places are found with the gazetteer (full or short names, simplified or traditional:
`广西`, `廣西壯族自治區`, `海拉尔`, `内蒙古`) and with the corpus's own region names (units the
gazetteer cannot know, `经济开发区`, `XX街道`). Only documents about a named place answer: a
district's report does not answer for its province, a document whose region is unknown answers no
question that names a region, and a place no document covers gets "not in the corpus". A year
narrows the documents to those that plan or review it; a question with no year, or with `今年`, is
about each region's latest report, and the answer says which year that is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rag.core.lexicon import lexicon
from rag.core.spans import Span
from rag.extract.rules.gazetteer import PROVINCE, Place, gazetteer
from rag.ingest.cleaning import fold

_YEAR_RE = re.compile(r"((?:19|20)\d\d)年")
# A short county or city name counts as a place where a question puts one: first, or before a year.
_PLACE_CONTEXT_RE = re.compile(r"^(?:(?:19|20)\d\d年|今年|去年|明年|[的在]|\d)")


@dataclass
class Scope:
    """The documents that may answer a question, and what the question named."""

    doc_ids: list[str] | None  # None: the question names no region, any document may answer
    places: list[str] = field(default_factory=list)  # the regions named, as the answer should call them
    forms: list[str] = field(default_factory=list)  # the words of the question that name them
    years: list[int] = field(default_factory=list)
    refusal: str | None = None  # why no document may answer
    notes: list[str] = field(default_factory=list)


def question_places(question: str, facts: dict[str, dict[str, Any]]) -> tuple[list[Place], list[tuple[Span, str]]]:
    """The gazetteer places a question names, and where (for the parser to leave them out of the terms)."""
    g = gazetteer()
    folded = fold(question)
    corpus_names = {fold(f.get("region") or "") for f in facts.values()}
    corpus_shorts = {g.short_form(name) for name in corpus_names if name}
    places: list[Place] = []
    spans: list[tuple[Span, str]] = []
    mentions = g.mentions(folded)
    for mention, place in zip(mentions, g.resolve(mentions)):
        after = folded[mention.span.end :]
        well_placed = mention.span.start == 0 or bool(_PLACE_CONTEXT_RE.match(after))
        if mention.short and place.level != PROVINCE and mention.form not in corpus_shorts and not well_placed:
            continue  # `朝阳`, `新华` inside a phrase are words, not places
        if not mention.short and len(mention.form) <= 2 and mention.form not in corpus_names and not well_placed:
            continue  # `城区`, `矿区` as words
        if place not in places:
            places.append(place)
        spans.append((mention.span, mention.form))
    return places, spans


def _documents_of(place: Place, facts: dict[str, dict[str, Any]]) -> list[str]:
    g = gazetteer()
    out = []
    for doc_id, f in facts.items():
        if f.get("region_code"):
            if f["region_code"] == place.code:
                out.append(doc_id)
        elif f.get("region") and (fold(f["region"]) == place.name or (g.short_form(fold(f["region"])) == g.short_form(place.name)
                                  and place.level != PROVINCE and not any(fold(f["region"]).endswith(u) for u in _local_units()))):
            out.append(doc_id)
    return out


def _local_documents(question: str, facts: dict[str, dict[str, Any]], taken: list[tuple[Span, str]]) -> tuple[list[str], list[Span]]:
    """Documents whose region the gazetteer does not know, named in the question as the document names
    itself (or by its kind of unit, `经济开发区` → `开发区`); the longest name wins (`XX街道` is not `X`)."""
    folded = fold(question)
    matches: list[tuple[Span, str]] = []
    for doc_id, f in facts.items():
        if f.get("region_code") or not f.get("region"):
            continue
        for name in region_forms(fold(f["region"])):
            for match in re.finditer(re.escape(name), folded):
                span = Span(match.start(), match.end())
                if not any(s.overlaps(span) for s, _ in taken):
                    matches.append((span, doc_id))
    kept = [(s, d) for s, d in matches if not any(o.contains(s) and o.length > s.length for o, _ in matches)]
    return sorted({d for _, d in kept}), [s for s, _ in kept]


def _local_units() -> list[str]:
    """What a unit the gazetteer cannot know calls itself (`开发区`, `园区`, `街道`)."""
    return lexicon("identity")["region"]["self_designations"]


def region_forms(region: str) -> list[str]:
    """How a question may name a region: as written, or by its kind of unit (`经济开发区` → `开发区`)."""
    if not region:
        return []
    forms = [region]
    for unit in _local_units():
        if region.endswith(unit) and region != unit:
            forms.append(unit)
    return forms


def scope_question(question: str, facts: dict[str, dict[str, Any]], kind: str | None = None) -> Scope:
    """The documents a question is about. `facts` maps each candidate document to its facts."""
    folded = fold(question)
    years = [int(y) for y in _YEAR_RE.findall(folded)]
    places, spans = question_places(question, facts)
    local, local_spans = _local_documents(question, facts, spans)
    # `海门园区`: a place name right before a unit the corpus knows qualifies that unit.
    qualifiers = [(span, form) for span, form in spans if any(span.end == unit.start for unit in local_spans)]
    if qualifiers:
        gone = {form for _, form in qualifiers}
        places = [p for p in places if not any(fold(p.name).startswith(f) or p.name == f for f in gone)]
        spans = [(span, form) for span, form in spans if (span, form) not in qualifiers]
    forms = [form for _, form in spans] + [form for d in local for form in region_forms(fold(facts[d]["region"]))]
    if not places and not local:
        return Scope(None, years=years)
    by_place: dict[str, list[str]] = {}
    for place in places:
        by_place[place.name] = _documents_of(place, facts)
    for doc_id in local:
        by_place.setdefault(facts[doc_id]["region"], []).append(doc_id)
    missing = [name for name, docs in by_place.items() if not docs]
    present = {name: docs for name, docs in by_place.items() if docs}
    notes = [f"语料中没有{name}的报告" for name in missing]
    if not present:
        return Scope([], list(by_place), forms, years, "；".join(notes), notes)
    chosen: list[str] = []
    for name, docs in present.items():
        picked = _by_year(docs, facts, years, kind)
        if not picked:
            notes.append(f"语料中没有{name}{'、'.join(str(y) for y in years)}年的报告")
            continue
        if not years:
            latest = max((facts[d].get("plan_year") or 0) for d in picked)
            if latest:
                notes.append(f"{name}：问题未指明年份，按最新报告（{latest}年）回答")
        chosen.extend(d for d in picked if d not in chosen)
    if not chosen:
        return Scope([], list(present), forms, years, "；".join(notes), notes)
    return Scope(chosen, list(present), forms, years, None, notes)


# How far ahead a report's goals reach for routing: the five-year plan it opens (`到2030年`).
_HORIZON_YEARS = 5


def _by_year(docs: list[str], facts: dict[str, dict[str, Any]], years: list[int], kind: str | None) -> list[str]:
    """A region's documents for the years asked; with no year, its latest report (all of that year)."""
    if years:
        planning = [d for d in docs if facts[d].get("plan_year") in years]
        reviewing = [d for d in docs if facts[d].get("review_year") in years]
        if kind == "target":
            # `到2030年…的目标`: a horizon no report plans is set by the latest report before it.
            horizon = [d for d in docs if any(0 < y - (facts[d].get("plan_year") or y) <= _HORIZON_YEARS for y in years)]
            if not planning and horizon:
                latest = max(facts[d]["plan_year"] for d in horizon)
                return [d for d in horizon if facts[d]["plan_year"] == latest]
            return planning
        # `2012年城镇新增就业多少人`: a year asked without a target word asks what happened, which
        # the next year's report states; the year's own plan answers only where none reviews it.
        return reviewing or ([] if kind == "actual" else planning)
    dated = [d for d in docs if facts[d].get("plan_year")]
    if not dated:
        return docs
    latest = max(facts[d]["plan_year"] for d in dated)
    return [d for d in dated if facts[d]["plan_year"] == latest]
