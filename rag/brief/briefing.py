"""Briefing: what a region promises, in numbers, and where it says so — built from extraction records.

One document: its facts, its strategy at a glance (slogans decoded, top-level priorities), its
targets and last year's actuals (paired where a metric has both), and the projects it names with
amounts. Several documents: the metrics they share side by side, the themes each stresses (by share
of its outline), and their slogans. Every line carries source ids; every source is a span of the
original text with its quote. Rendering to Markdown and JSON is here; HTML is in `briefing_html`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from rag.core.lexicon import lexicon
from rag.core.records import DocumentRecord, Indicator, OutlineNode, value_text
from rag.core.spans import Span
from rag.ingest.cleaning import fold

if TYPE_CHECKING:
    from rag.core.settings import Settings

_THEME_WORDS = lexicon("themes")
THEMES: dict[str, tuple[str, ...]] = {name: tuple(words) for name, words in _THEME_WORDS["themes"].items()}
_PROJECT_WORDS = tuple(_THEME_WORDS["projects"]["words"])


@dataclass
class Source:
    id: int
    doc_id: str
    section: str
    span: Span
    quote: str


@dataclass
class Row:
    """One figure: what, how much, and where the document says it."""

    metric: str
    value: str
    kind: str
    year: int | None
    hedge: str | None
    change: str
    sources: list[int]
    number: float | None = None
    unit: str = ""
    scope: str = "year"  # `average` / `cumulative` for a five-year figure: never charted beside one year's


@dataclass
class DocBrief:
    doc_id: str
    title: str | None
    region: str | None
    doc_type: str
    review_year: int | None
    plan_year: int | None
    slogans: list[dict[str, Any]] = field(default_factory=list)
    priorities: list[dict[str, Any]] = field(default_factory=list)
    targets: list[Row] = field(default_factory=list)
    actuals: list[Row] = field(default_factory=list)
    pairs: list[dict[str, Any]] = field(default_factory=list)
    projects: list[Row] = field(default_factory=list)
    themes: dict[str, float] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.region or self.title or self.doc_id


@dataclass
class Briefing:
    documents: list[DocBrief]
    sources: list[Source]
    comparison: dict[str, Any] | None = None
    summary: list[dict[str, Any]] = field(default_factory=list)  # model-written sentences, each cited
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, Span):
                return list(value)
            if isinstance(value, list):
                return [plain(v) for v in value]
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            return value

        return {
            "documents": [plain(asdict(d)) for d in self.documents],
            "sources": [plain(asdict(s)) for s in self.sources],
            "comparison": plain(self.comparison), "summary": self.summary, "notes": self.notes,
        }


class _Sources:
    def __init__(self, sections: Any) -> None:
        self.sections = sections  # (doc_id, position) -> section path
        self.items: list[Source] = []
        self._by_key: dict[tuple[str, Span], int] = {}

    def cite(self, doc_id: str, span: Span, text: str) -> int:
        key = (doc_id, span)
        if key not in self._by_key:
            if not 0 <= span.start <= span.end <= len(text):
                raise ValueError(f"a source span {list(span)} outside {doc_id} ({len(text)} characters)")
            quote = span.of(text)
            self.items.append(Source(len(self.items) + 1, doc_id, self.sections(doc_id, span.start), span, quote))
            self._by_key[key] = len(self.items)
        return self._by_key[key]


def metric_key(metric: str) -> str:
    """Metrics compared across documents and years by their folded, written-out name."""
    from rag.index.retrieval import expand_abbreviations

    return re.sub(r"[\W_]+", "", expand_abbreviations(fold(metric)))


def _row(indicator: Indicator, source: int) -> Row:
    return Row(indicator.metric, value_text(indicator), indicator.kind.value, indicator.year, indicator.hedge,
               indicator.change.value, [source], indicator.value, indicator.unit,
               "year" if indicator.period is None and indicator.scope.value == "year" else indicator.scope.value)


def _themes(outline: list[OutlineNode]) -> dict[str, float]:
    """Share of headings (every level) that speak to each theme; a heading may speak to several."""
    nodes: list[OutlineNode] = []

    def walk(children: list[OutlineNode]) -> None:
        for node in children:
            nodes.append(node)
            walk(node.children)

    walk(outline)
    if not nodes:
        return {theme: 0.0 for theme in THEMES}
    return {theme: round(sum(1 for n in nodes if any(w in fold(n.title) for w in words)) / len(nodes), 3)
            for theme, words in THEMES.items()}


def brief_document(record: DocumentRecord, text: str, sources: _Sources) -> DocBrief:
    brief = DocBrief(record.doc_id, record.title, record.region, record.doc_type.value, record.review_year, record.plan_year)
    for slogan in record.slogans:
        if slogan.items:
            brief.slogans.append({"name": slogan.name, "count": slogan.count, "items": slogan.items,
                                  "sources": [sources.cite(record.doc_id, slogan.span, text)]})
    for node in record.outline:
        if node.level != "item":
            brief.priorities.append({"title": node.title, "marker": node.marker, "sources": [sources.cite(record.doc_id, node.span, text)]})
    for indicator in record.indicators:
        row = _row(indicator, sources.cite(record.doc_id, indicator.span, text))
        if indicator.kind.value == "target":
            brief.targets.append(row)
        elif indicator.kind.value == "actual":
            brief.actuals.append(row)
        if indicator.unit in ("亿元", "万元", "亿美元", "亿") and any(w in fold(indicator.metric + indicator.quote) for w in _PROJECT_WORDS):
            brief.projects.append(row)
    # `地区生产总值增长: 2013年实际 7.2% → 2014年目标 8%以上`: the same metric and kind of change, both.
    for target in brief.targets:
        actual = next((a for a in brief.actuals if metric_key(a.metric) == metric_key(target.metric)
                       and a.change == target.change and a.unit == target.unit), None)
        if actual is not None:
            brief.pairs.append({"metric": target.metric, "change": target.change, "actual": asdict(actual), "target": asdict(target)})
    brief.themes = _themes(record.outline)
    return brief


_CATEGORIES = {
    "growth targets": lambda r: r.kind == "target" and r.change == "growth" and r.scope == "year",
    "investment": lambda r: "投资" in fold(r.metric),
    "new enterprises": lambda r: r.kind == "target" and any(w in fold(r.metric) for w in ("企业", "高企")) and r.unit in ("家", "户", "个"),
    "projects": lambda r: r.kind == "target" and "项目" in fold(r.metric) and r.unit in ("个", "项", "宗", "户"),
}


def compare(briefs: list[DocBrief]) -> dict[str, Any]:
    """Regions side by side: shared metrics, categories of figures, themes and slogans."""
    by_metric: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for brief in briefs:
        for row in brief.targets + brief.actuals:
            by_metric.setdefault(metric_key(row.metric), {}).setdefault(brief.doc_id, []).append(asdict(row))
    shared = {key: cells for key, cells in by_metric.items() if len(cells) >= 2}
    categories = {name: {b.doc_id: [asdict(r) for r in b.targets + b.actuals if test(r)] for b in briefs}
                  for name, test in _CATEGORIES.items()}
    return {
        "regions": {b.doc_id: b.label for b in briefs},
        "shared_metrics": shared,
        "categories": categories,
        "themes": {b.doc_id: b.themes for b in briefs},
        "slogans": {b.doc_id: b.slogans for b in briefs},
    }


def build_briefing(documents: list[tuple[DocumentRecord, str]], sections: Any) -> Briefing:
    sources = _Sources(sections)
    briefs = [brief_document(record, text, sources) for record, text in documents]
    return Briefing(briefs, sources.items, compare(briefs) if len(briefs) > 1 else None)


# ---- Markdown ----------------------------------------------------------------------------------

def section_lookup(texts: dict[str, str]) -> Any:
    """(doc_id, position) → the section path there, from the same chunking the store uses."""
    from rag.ingest.chunking import chunk_document

    chunks = {doc_id: chunk_document(doc_id, text) for doc_id, text in texts.items()}

    def lookup(doc_id: str, position: int) -> str:
        for chunk in chunks.get(doc_id, []):
            if chunk.span.start <= position < chunk.span.end:
                return chunk.section
        return ""

    return lookup


# ---- a model-written summary -------------------------------------------------------------------

def narrate(briefing: Briefing, settings: Settings, on_note: Any = None) -> Any:
    """Add a short summary written by the model from the records only; every sentence cited, and a
    sentence whose numbers are not in the records it cites is dropped. Returns the model's usage."""
    import json as _json

    from langchain_core.messages import HumanMessage, SystemMessage
    from pydantic import BaseModel, Field

    from rag.llm.client import StructuredModel, Usage, ask_validated, open_cache, schema_hint
    from rag.llm.prompts import load_prompt

    class Sentence(BaseModel):
        text: str
        sources: list[int] = Field(description="Ids of the facts the sentence states.")

    class Summary(BaseModel):
        sentences: list[Sentence] = Field(default_factory=list)

    prompt = load_prompt("brief_summary.v1")
    usage = Usage()
    structured = StructuredModel(settings, Summary, prompt.sha, usage, open_cache(settings, on_note))
    facts = []
    for brief in briefing.documents:
        facts.append({"document": brief.doc_id, "region": brief.region, "plan_year": brief.plan_year, "review_year": brief.review_year})
        for row in brief.targets + brief.actuals:
            facts.append({"id": row.sources[0], "region": brief.label, "metric": row.metric, "value": row.value,
                          "kind": row.kind, "year": row.year})
        for slogan in brief.slogans:
            facts.append({"id": slogan["sources"][0], "region": brief.label, "slogan": slogan["name"], "items": slogan["items"]})
    system, user = prompt.render(facts=_json.dumps(facts, ensure_ascii=False), schema_hint=schema_hint(Summary, structured.method))
    outcome = ask_validated(structured, [SystemMessage(system), HumanMessage(user)], accept=lambda parsed: parsed,
                            reask="Your reply failed validation: {problem} Reply again with valid JSON for the schema.")
    if outcome.value is None:
        briefing.notes.append(f"no model summary: {outcome.problem}")
        return usage
    known = {s.id: s for s in briefing.sources}
    # What the model was shown for each fact: its quote, and the years it belongs to.
    shown: dict[int, str] = {s.id: s.quote for s in briefing.sources}
    for brief in briefing.documents:
        for row in brief.targets + brief.actuals:
            shown[row.sources[0]] += f" {row.year or ''} {brief.plan_year or ''} {brief.review_year or ''}"
    for sentence in outcome.value.sentences:
        cited = [known[i] for i in sentence.sources if i in known]
        numbers = re.findall(r"\d+(?:\.\d+)?", fold(sentence.text))
        support = fold(" ".join(shown[s.id] for s in cited))
        if not cited or len(cited) != len(sentence.sources):
            briefing.notes.append(f"summary sentence dropped (cites unknown sources): {sentence.text[:60]}")
        elif any(n not in support for n in numbers):
            briefing.notes.append(f"summary sentence dropped (a number is not in its sources): {sentence.text[:60]}")
        else:
            briefing.summary.append({"text": sentence.text.strip(), "sources": sentence.sources})
    return usage


class Summarizer(Protocol):
    """Adds a summary to a briefing; returns what it cost (None when it asked no model)."""

    def summarize(self, briefing: Briefing) -> Any: ...


class NoSummary:
    """The offline engine writes no prose: the briefing's tables and citations are the summary."""

    def summarize(self, briefing: Briefing) -> Any:
        return None


class ModelSummary:
    """A short summary written by the model from the records only (see `narrate`)."""

    def __init__(self, settings: Settings, on_note: Any = None) -> None:
        self.settings, self.on_note = settings, on_note

    def summarize(self, briefing: Briefing) -> Any:
        return narrate(briefing, self.settings, on_note=self.on_note)
