"""Extraction (LLM): the OpenAI-compatible engine, producing the same records as the rule engine.

The rule engine's outline gives the cuts: each top-level section (split further when long) goes to
the model with the schema, `prompts/extract_section.v1.md` and the rule engine's candidates as hints,
in parallel up to `settings.concurrency`. A reply that fails validation is re-asked with the error
(`settings.max_reasks` times); then that section falls back to the rule engine's items, counted.
Every item the model returns is aligned to the source — exact, then after folding width and
traditional/simplified, then a fuzzy match above a threshold — and takes its span and quote from the
original text; what cannot be aligned is dropped and counted. Outline and document facts come from
the rule engine, which reads them from the layout more reliably than a model reads a fragment.
"""

from __future__ import annotations

import difflib
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError

from rag.core.records import Change, Comparator, DocumentRecord, Indicator, Kind, Slogan
from rag.core.spans import Span
from rag.extract.rules.engine import RulesEngine
from rag.ingest.cleaning import fold
from rag.llm.client import StructuredModel, Usage, ask_validated, open_cache, schema_hint
from rag.llm.prompts import load_prompt

if TYPE_CHECKING:
    from rag.core.settings import Settings

PROMPT = "extract_section.v1"
SECTION_MAX = 2500
FUZZY_THRESHOLD = 0.85


class ModelIndicator(BaseModel):
    metric: str
    change: Change
    value: float
    value_max: float | None = None
    unit: str
    comparator: Comparator
    kind: Kind
    year: int | None = None
    hedge: str | None = None
    quote: str = Field(description="Copied character for character from the section.")


class ModelSlogan(BaseModel):
    name: str
    count: int | None = None
    items: list[str] = Field(default_factory=list)
    quote: str


class SectionExtraction(BaseModel):
    """What the model finds in one section."""

    indicators: list[ModelIndicator] = Field(default_factory=list)
    slogans: list[ModelSlogan] = Field(default_factory=list)


@dataclass
class ExtractionStats:
    sections: int = 0
    fallback_sections: int = 0
    dropped_unaligned: int = 0
    dropped_invalid: int = 0
    # How the model's items were placed in the text: `exact`, `folded` (width, traditional), `fuzzy`.
    aligned: dict[str, int] = field(default_factory=lambda: {"exact": 0, "folded": 0, "fuzzy": 0})
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"sections": self.sections, "fallback_sections": self.fallback_sections,
                "dropped_unaligned": self.dropped_unaligned, "dropped_invalid": self.dropped_invalid, "aligned": dict(self.aligned)}


def align(text: str, within: Span, quote: str) -> Span | None:
    """The span of `quote` in `text[within]`: exact, folded, then the best fuzzy window above threshold."""
    placed = placement(text, within, quote)
    return placed[0] if placed is not None else None


def placement(text: str, within: Span, quote: str) -> tuple[Span, str] | None:
    """Where `quote` sits in `text[within]` and how it was found (`exact`, `folded`, `fuzzy`).

    Plain substring search on folded text, never the model's words as a pattern."""
    quote = quote.strip()
    if not quote:
        return None
    position = text.find(quote, within.start, within.end)
    if position >= 0:
        return Span(position, position + len(quote)), "exact"
    folded_text, folded_quote = fold(text), fold(quote)
    position = folded_text.find(folded_quote, within.start, within.end)
    if position >= 0:
        return Span(position, position + len(quote)), "folded"
    best: tuple[float, int] = (0.0, -1)
    size = len(folded_quote)
    matcher = difflib.SequenceMatcher(None, folded_quote, autojunk=False)
    for start in range(within.start, max(within.start, within.end - size) + 1):
        window = folded_text[start : start + size]
        if window[:1] != folded_quote[:1] and window[-1:] != folded_quote[-1:]:
            continue
        matcher.set_seq2(window)
        ratio = matcher.ratio()
        if ratio > best[0]:
            best = (ratio, start)
    if best[0] >= FUZZY_THRESHOLD:
        return Span(best[1], best[1] + size), "fuzzy"
    return None


class OpenAIEngine:
    """`extract(doc_id, text)` with a model; the same DocumentRecord as the rule engine."""

    name = "openai"

    def __init__(self, settings: Settings, model: Any = None, usage: Usage | None = None, on_note: Any = None) -> None:
        self.settings = settings
        self.prompt = load_prompt(PROMPT)
        self.usage = usage or Usage()
        self.structured = StructuredModel(settings, SectionExtraction, self.prompt.sha, self.usage,
                                          open_cache(settings, on_note), model)
        self.rules = RulesEngine()
        self.stats = ExtractionStats()
        self._lock = threading.Lock()

    def cost(self) -> dict[str, int]:
        return self.usage.to_dict()

    def extract(self, doc_id: str, text: str) -> DocumentRecord:
        base = self.rules.extract(doc_id, text)
        sections = _sections(base, text)
        with ThreadPoolExecutor(max_workers=self.settings.concurrency) as pool:
            results = list(pool.map(lambda section: self._section(base, text, section), sections))
        indicators: list[Indicator] = []
        slogans: dict[str, Slogan] = {}
        for section_indicators, section_slogans in results:
            for item in section_indicators:
                if not any(o.span.overlaps(item.span) and o.value == item.value and o.unit == item.unit for o in indicators):
                    indicators.append(item)
            for slogan in section_slogans:
                slogans.setdefault(fold(slogan.name), slogan)
        indicators.sort(key=lambda i: i.span.start)
        return base.model_copy(update={"indicators": indicators, "slogans": sorted(slogans.values(), key=lambda s: s.span.start)})

    def _section(self, base: DocumentRecord, text: str, section: Span) -> tuple[list[Indicator], list[Slogan]]:
        with self._lock:
            self.stats.sections += 1
        rule_items = ([i for i in base.indicators if section.contains(i.span)],
                      [s for s in base.slogans if section.contains(s.span)])
        hints = json.dumps([{"quote": i.quote, "value": i.value, "unit": i.unit, "kind": i.kind.value} for i in rule_items[0]],
                           ensure_ascii=False)
        system, user = self.prompt.render(
            doc_id=base.doc_id, plan_year=str(base.plan_year), review_year=str(base.review_year), section=section.of(text),
            hints=hints, schema_hint=schema_hint(SectionExtraction, self.structured.method))
        outcome = ask_validated(self.structured, [SystemMessage(system), HumanMessage(user)],
                                accept=lambda parsed: self._aligned(parsed, text, section),
                                reask="Your reply failed validation: {problem} Reply again with valid JSON for the schema.")
        if outcome.value is None:
            return self._fall_back(rule_items, outcome.problem if outcome.unavailable else f"reply failed validation ({outcome.problem})")
        return outcome.value  # type: ignore[no-any-return]

    def _fall_back(self, rule_items: tuple[list[Indicator], list[Slogan]], reason: str) -> tuple[list[Indicator], list[Slogan]]:
        with self._lock:
            self.stats.fallback_sections += 1
            if reason not in self.stats.notes:
                self.stats.notes.append(reason)
        return rule_items

    def _place(self, text: str, section: Span, *quotes: str) -> Span | None:
        """The first of `quotes` found in the section, counted by how it was found (or as dropped)."""
        for quote in quotes:
            placed = placement(text, section, quote)
            if placed is not None:
                with self._lock:
                    self.stats.aligned[placed[1]] += 1
                return placed[0]
        with self._lock:
            self.stats.dropped_unaligned += 1
        return None

    def _aligned(self, found: SectionExtraction, text: str, section: Span) -> tuple[list[Indicator], list[Slogan]]:
        indicators: list[Indicator] = []
        slogans: list[Slogan] = []
        for item in found.indicators:
            span = self._place(text, section, item.quote)
            if span is None:
                continue
            try:
                indicators.append(Indicator(**{**item.model_dump(), "quote": span.of(text), "span": span}))
            except ValidationError:
                with self._lock:
                    self.stats.dropped_invalid += 1
        for slogan in found.slogans:
            span = self._place(text, section, slogan.quote, slogan.name)
            if span is None:
                continue
            try:
                slogans.append(Slogan(name=slogan.name.strip("“”\""), count=slogan.count, items=slogan.items,
                                      quote=span.of(text), span=span))
            except ValidationError:
                with self._lock:
                    self.stats.dropped_invalid += 1
        return indicators, slogans


def _sections(record: DocumentRecord, text: str) -> list[Span]:
    """Top-level sections of the outline (and the text before the first), long ones cut at paragraphs."""
    starts = sorted({0} | {node.span.start - len(node.marker) for node in record.outline if node.span.start - len(node.marker) >= 0})
    spans = [Span(a, b) for a, b in zip(starts, [*starts[1:], len(text)]) if text[a:b].strip()]
    out: list[Span] = []
    for span in spans:
        start = span.start
        while span.end - start > SECTION_MAX:
            cut = text.rfind("\n", start + SECTION_MAX // 2, start + SECTION_MAX)
            if cut < 0:
                cut = max(text.rfind(ch, start + SECTION_MAX // 2, start + SECTION_MAX) for ch in "。；;") + 1 or start + SECTION_MAX
            out.append(Span(start, cut))
            start = cut
        out.append(Span(start, span.end))
    return out
