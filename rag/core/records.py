"""The extraction record: Pydantic models for a document's facts, outline, indicators and slogans.

Field names and values are those of `shared/spec/annotation-guide.md`, so extractor output and gold
files share one shape. Validators enforce what holds whatever produced a record: spans are
well-formed and as long as their quote, `value_max` only with a range. Whether a span really points
at its quote in the document is the verifier's job (`rag/extract/verify.py`), since it needs the text.

`python -m rag.core.records --write schemas/` regenerates the JSON Schemas in `schemas/`.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rag.core.metrics import canonical_metric
from rag.core.spans import Span


class DocType(str, Enum):
    government_work_report = "government_work_report"
    work_plan = "work_plan"
    party_work_report = "party_work_report"
    news_report = "news_report"
    five_year_plan = "five_year_plan"
    other = "other"


class Change(str, Enum):
    level = "level"
    growth = "growth"
    delta = "delta"
    multiple = "multiple"


class Comparator(str, Enum):
    exact = "exact"
    at_least = "at_least"
    at_most = "at_most"
    about = "about"
    range = "range"


class Kind(str, Enum):
    target = "target"
    actual = "actual"
    baseline = "baseline"


class Scope(str, Enum):
    """The time a figure covers: one year, or a period read as a yearly average (`年均增长5.5%`) or as
    its total (`累计新增就业300万人`). Only a `year` figure answers a single year's question."""

    year = "year"
    average = "average"
    cumulative = "cumulative"


OutlineLevel = Literal["part", "chapter", "section", 1, 2, 3, 4, "item", "lead"]


def _check_span(span: Span, quote: str, what: str) -> None:
    if span.start < 0 or span.end < span.start:
        raise ValueError(f"{what} span {list(span)} is not a [start, end) interval")
    if span.length != len(quote):
        raise ValueError(f"{what} span {list(span)} covers {span.length} characters but the quote has {len(quote)}")


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class OutlineNode(_Record):
    level: OutlineLevel
    marker: str = Field(description="The heading's marker as written (`一、`, `(一)`, `1.`, `一是`); empty for a lead.")
    title: str = Field(min_length=1, description="The heading text without its marker, up to the first `。` (or `；` for items).")
    span: Span = Field(description="[start, end) of the title in the original text.")
    children: list[OutlineNode] = Field(default_factory=list)

    @model_validator(mode="after")
    def _span_fits_title(self) -> OutlineNode:
        _check_span(self.span, self.title, "outline")
        return self


class Indicator(_Record):
    metric: str = Field(min_length=1, description="What is measured, in the document's words, without verb, number or unit.")
    change: Change
    value: float
    value_max: float | None = Field(default=None, description="Upper end of a range; only with comparator `range`.")
    unit: str = Field(description="The unit as written, folded to simplified and half-width (`%`, `亿元`, `个百分点`).")
    comparator: Comparator
    kind: Kind
    year: int | None = None
    period: tuple[int, int] | None = Field(default=None, description="First and last year of a figure over a five-year period (a 十四五 result: [2021, 2025], its year the last).")
    scope: Scope = Field(default=Scope.year, description="`average` for a yearly average over a period (`年均`), `cumulative` for a period's total (`累计`), else `year`.")
    canonical: str | None = Field(default=None, description="The metric's key in the registry of canonical metrics (`gdp` for `地区生产总值`, `GDP`, `经济增长`), when one applies.")
    hedge: str | None = Field(default=None, description="The modal word as written (`力争`, `确保`), if any.")
    quote: str = Field(min_length=1, description="The shortest clause stating the indicator, verbatim.")
    span: Span
    base_value: float | None = Field(default=None, description="The value in base units (`114.23亿元` → 11423000000).")
    base_unit: str | None = Field(default=None, description="The base unit of base_value (`元`, `平方米`).")

    @model_validator(mode="after")
    def _invariants(self) -> Indicator:
        _check_span(self.span, self.quote, "indicator")
        if self.comparator == Comparator.range:
            if self.value_max is None:
                raise ValueError("a range needs value_max")
            if self.value_max < self.value:
                raise ValueError("value_max is below value")
        elif self.value_max is not None:
            raise ValueError("value_max is only for comparator 'range'")
        return self


class Slogan(_Record):
    name: str = Field(min_length=1, description="The formula without its quotation marks (`五大战略`, `126`).")
    count: int | None = Field(default=None, ge=0, description="The number the name states; null for composite formulas.")
    items: list[str] = Field(default_factory=list, description="Its members as the text names them.")
    quote: str = Field(min_length=1)
    span: Span

    @model_validator(mode="after")
    def _span_fits_quote(self) -> Slogan:
        _check_span(self.span, self.quote, "slogan")
        return self


class DocumentRecord(_Record):
    doc_id: str
    title: str | None = None
    region: str | None = Field(default=None, description="The unit the document is for, full name as written (`内蒙古自治区`, `海拉尔区`).")
    region_code: str | None = Field(default=None, description="Its GB/T 2260 division code, when the gazetteer knows the unit.")
    region_parent: str | None = Field(default=None, description="The unit it belongs to (`呼伦贝尔市` for `海拉尔区`), when known.")
    doc_type: DocType = DocType.other
    review_year: int | None = None
    plan_year: int | None = None
    outline: list[OutlineNode] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    slogans: list[Slogan] = Field(default_factory=list)

    @field_validator("review_year", "plan_year")
    @classmethod
    def _plausible_year(cls, value: int | None) -> int | None:
        if value is not None and not 1949 <= value <= 2100:
            raise ValueError(f"{value} is not a plausible year")
        return value

    @model_validator(mode="after")
    def _canonical_metrics(self) -> DocumentRecord:
        # Whatever produced the indicators (rules, a model, a stored record), each carries its
        # registry key, read with the document's region so `海南省地区生产总值` is GDP.
        for indicator in self.indicators:
            if indicator.canonical is None:
                indicator.canonical = canonical_metric(indicator.metric, indicator.change.value, self.region)
        return self

    def walk_outline(self) -> list[OutlineNode]:
        nodes: list[OutlineNode] = []

        def visit(children: list[OutlineNode]) -> None:
            for node in children:
                nodes.append(node)
                visit(node.children)

        visit(self.outline)
        return nodes

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", exclude_none=False)


# ---- JSON Schemas ------------------------------------------------------------------------------

SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "document_record": DocumentRecord,
    "outline_node": OutlineNode,
    "indicator": Indicator,
    "slogan": Slogan,
}


def json_schemas() -> dict[str, str]:
    """File name → JSON Schema text, for every top-level object."""
    return {
        f"{name}.schema.json": json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2) + "\n"
        for name, model in SCHEMA_MODELS.items()
    }


def stale_schemas(folder: Path) -> list[str]:
    """Names of schema files in `folder` that are missing or differ from the models."""
    return [name for name, text in json_schemas().items()
            if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text]


def write_schemas(folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in json_schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(name)
    return written


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Write or check the JSON Schemas of the extraction record.")
    parser.add_argument("--write", type=Path, help="write the schemas into this folder")
    parser.add_argument("--check", type=Path, help="exit 1 if the schemas in this folder are stale")
    args = parser.parse_args()
    if args.write:
        print("wrote", ", ".join(write_schemas(args.write)))
    if args.check:
        stale = stale_schemas(args.check)
        print("stale: " + ", ".join(stale) if stale else "schemas are current")
        raise SystemExit(1 if stale else 0)


_COMPARATOR_MARK = {"exact": "", "at_least": "≥ ", "at_most": "≤ ", "about": "≈ ", "range": ""}


def value_text(indicator: Indicator) -> str:
    """The value as a reader writes it: `≈ 5%`, `+8.2%`, `4.5–5%`, `×2`, `≥ 110万人`."""
    def number(value: float) -> str:
        return f"{value:g}"

    if indicator.comparator.value == "range" and indicator.value_max is not None:
        core = f"{number(indicator.value)}–{number(indicator.value_max)}"
    else:
        core = number(indicator.value)
    sign = "+" if indicator.change.value in ("growth", "delta") and indicator.value > 0 else ""
    if indicator.change.value == "multiple":
        return f"×{number(indicator.value)}"
    return f"{_COMPARATOR_MARK[indicator.comparator.value]}{sign}{core}{indicator.unit}"
