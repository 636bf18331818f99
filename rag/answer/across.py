"""Across documents: regions compared on a metric, and a region's targets tracked against the results
its next report gives, both read from the indicator table (`rag/extract/table.py`).

Like is compared with like: one year's figure with one year's (a five-year `年均` or `累计` figure is
never in a single-year column), growth with growth, a level with a level. Metrics are joined by their
canonical key (`rag/core/lexicon/metrics.toml`), or by their written name where the registry has none.
Every cell keeps its document and span, so it can be cited and checked.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from rag.core.lexicon import lexicon
from rag.core.metrics import canonical_metric, metric_names, metrics_named
from rag.extract.table import IndicatorTable
from rag.ingest.cleaning import fold

_LOWER_IS_BETTER = frozenset(key for key, entry in lexicon("metrics")["metric"].items() if entry.get("lower_is_better"))
_TOLERANCE = lexicon("metrics")["tolerance"]
_SAME_CHANGES = {key: tuple(entry["same_changes"]) for key, entry in lexicon("metrics")["metric"].items() if "same_changes" in entry}
_PROVINCE_ENDS = ("省", "自治区", "市")


@dataclass
class Metric:
    """A metric asked for: its canonical key, or the written name where the registry has none."""

    asked: str
    key: str | None
    label: str

    def matches(self, row: dict[str, Any]) -> bool:
        if self.key is not None:
            return row["canonical"] == self.key
        return fold(self.asked) in fold(row["metric"])


def resolve(asked: str) -> Metric:
    """`GDP`, `地区生产总值`, `gdp` → the gdp key; anything else is matched as written."""
    names = metric_names()
    if asked in names:
        return Metric(asked, asked, names[asked])
    key = canonical_metric(asked) or canonical_metric(asked, "growth") or next(iter(sorted(metrics_named(asked))), None)
    return Metric(asked, key, names[key] if key else asked)


@dataclass
class Cell:
    status: str  # `stated`, `not_stated` (its report says nothing), `no_report` (no report for that year)
    doc_id: str | None = None
    stated: str = ""
    value: float | None = None
    value_max: float | None = None
    unit: str = ""
    comparator: str = ""
    change: str = ""
    metric: str = ""
    quote: str = ""
    span: tuple[int, int] | None = None


@dataclass
class Comparison:
    year: int
    kind: str
    metrics: list[Metric]
    regions: list[dict[str, Any]] = field(default_factory=list)  # {"region", "doc_id", "cells": [Cell]}

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "kind": self.kind, "metrics": [asdict(m) for m in self.metrics],
                "regions": [{**r, "cells": [asdict(c) for c in r["cells"]]} for r in self.regions]}


def same_changes(key: str | None) -> tuple[str, ...]:
    """The changes that are one figure for this metric (a price rise as a level or a growth)."""
    return _SAME_CHANGES.get(key or "", ())


def _level(document: dict[str, Any]) -> str:
    region = document.get("region") or ""
    if document.get("region_parent") is None and region.endswith(_PROVINCE_ENDS):
        return "province"
    return "local"


def _single_year(row: dict[str, Any], kind: str, year: int) -> bool:
    return row["kind"] == kind and row["year"] == year and row["scope"] == "year" and row["period_first"] is None


def _pick(rows: list[dict[str, Any]], change: str | None) -> dict[str, Any] | None:
    """The figure a reader would quote: of the change asked (growth before level when not asked;
    a metric whose changes are one, like a price rise, takes either), the first the report states
    (the headline comes before the chapters)."""
    for wanted in ([change] if change else ["growth", "level", "delta", "multiple"]):
        found = [r for r in rows if r["change"] == wanted or (wanted in _SAME_CHANGES.get(r["canonical"], ()) and r["change"] in _SAME_CHANGES[r["canonical"]])]
        if found:
            return found[0]
    return None


def _cell(row: dict[str, Any] | None, doc_id: str | None) -> Cell:
    if doc_id is None:
        return Cell("no_report")
    if row is None:
        return Cell("not_stated", doc_id)
    return Cell("stated", doc_id, row["stated"], row["value"], row["value_max"], row["unit"], row["comparator"],
                row["change"], row["metric"], row["quote"], (int(row["start"]), int(row["end"])))


def compare(table: IndicatorTable, asked: list[str], year: int, kind: str = "target", change: str | None = None,
            level: str = "province", sort: bool = False) -> Comparison:
    """Every region of the level asked, each metric asked: the figure its report for `year` states
    (`target`: the report planning that year; `actual`: the one reviewing it), or why there is none."""
    metrics = [resolve(a) for a in asked]
    documents = [d for d in table.documents() if d.get("region") and (level == "all" or _level(d) == level)]
    regions = sorted({d["region"] for d in documents})
    year_field = "plan_year" if kind == "target" else "review_year"
    comparison = Comparison(year, kind, metrics)
    of_the_year: dict[str, dict[str, Any]] = {}  # each region's first report for the year (table order)
    for d in documents:
        if d[year_field] == year:
            of_the_year.setdefault(d["region"], d)
    for region in regions:
        doc = of_the_year.get(region)
        rows = [r for r in table.rows(doc_id=doc["doc_id"], kind=kind, year=year, scope="year") if _single_year(r, kind, year)] if doc else []
        cells = [_cell(_pick([r for r in rows if m.matches(r)], change), doc["doc_id"] if doc else None) for m in metrics]
        comparison.regions.append({"region": region, "doc_id": doc["doc_id"] if doc else None, "cells": cells})
    if sort:
        def order(entry: dict[str, Any]) -> tuple[int, float]:
            cell = entry["cells"][0]
            return (0, -(cell.value_max if cell.value_max is not None else cell.value)) if cell.value is not None else (1, 0.0)
        comparison.regions.sort(key=order)
    return comparison


# ---- tracking ----------------------------------------------------------------------------------

@dataclass
class Track:
    year: int
    metric: str
    key: str | None
    target: Cell
    result: Cell
    verdict: str  # `met`, `not_met`, `within` (inside the stated tolerance), `no_result`
    why: str = ""  # the rule: `about`, `range`, `at_least`, `at_most`, `lower_is_better`, `no_next_report`, `no_figure`


def judge(target: dict[str, Any], actual: float) -> tuple[str, str]:
    """The verdict and the rule it follows (a code `rag/render/tables.py` words): the comparator's
    meaning (`左右` within a tolerance, `以上` at least, `以内` at most, a range) and the metric's direction."""
    lower = target["canonical"] in _LOWER_IS_BETTER
    low, high = target["value"], target["value_max"] if target["value_max"] is not None else target["value"]
    comparator = target["comparator"]
    if comparator == "about":
        tolerance = _TOLERANCE["about_points"] if target["unit"] in ("%", "个百分点") else abs(low) * _TOLERANCE["about_share"]
        if abs(actual - low) <= tolerance + 1e-9:
            return ("met" if (actual <= low if lower else actual >= low) else "within"), "about"
    if comparator == "range" and low <= actual <= high:
        return "met", "range"
    if comparator == "at_most" or (lower and comparator != "at_least"):
        return ("met" if actual <= high + 1e-9 else "not_met"), "lower_is_better" if lower else "at_most"
    return ("met" if actual >= low - 1e-9 else "not_met"), "at_least"


def _metric_key(row: dict[str, Any]) -> str:
    return row["canonical"] or re.sub(r"[\W_]+", "", fold(row["metric"]))


def track(table: IndicatorTable, region: str, asked: str | None = None) -> list[Track]:
    """Year by year: each target of report N (for year N) beside the result report N+1 gives for it."""
    documents = sorted((d for d in table.documents() if d.get("region") == region and d.get("plan_year")), key=lambda d: d["plan_year"])
    wanted = resolve(asked) if asked else None
    tracks: list[Track] = []
    for doc in documents:
        year = doc["plan_year"]
        targets = [r for r in table.rows(doc_id=doc["doc_id"], kind="target", year=year, scope="year")
                   if _single_year(r, "target", year) and (wanted is None or wanted.matches(r))]
        following = next((d for d in documents if d.get("review_year") == year), None)
        actuals = ([r for r in table.rows(doc_id=following["doc_id"], kind="actual", year=year, scope="year") if _single_year(r, "actual", year)]
                   if following else [])
        seen: set[tuple[str, str]] = set()
        for target in targets:
            key = (_metric_key(target), target["change"])
            if key in seen or (wanted is None and target["canonical"] is None):
                continue  # one line per metric and change; untracked names only when asked for
            seen.add(key)
            result = next((a for a in actuals if (_metric_key(a), a["change"]) == key and a["unit"] == target["unit"]), None)
            if following is None:
                verdict, why = "no_result", "no_next_report"
            elif result is None:
                verdict, why = "no_result", "no_figure"
            else:
                verdict, why = judge(target, result["value"])
            tracks.append(Track(year, target["metric"], target["canonical"], _cell(target, doc["doc_id"]),
                                _cell(result, following["doc_id"] if following else None), verdict, why))
    return tracks


# ---- questions across documents ------------------------------------------------------------------

_ACROSS = lexicon("questions")["across"]


@dataclass
class AcrossQuestion:
    """What a question across documents asks: the mode, the metric, the year(s), target or actual."""

    mode: str  # `compare`, `met`, `series`
    metric: Metric
    kind: str
    change: str | None
    years: list[int]
    order: str | None = None  # `highest`, `lowest`
    value: float | None = None  # `哪些省份…是5%左右`: the value asked about
    provinces: bool = False
    comparator: str | None = None  # and its comparator (`左右` → about), when the question says one
    comparator_word: str = ""


def read_question(question: str) -> AcrossQuestion | None:
    """The question's mode when it names a canonical metric and asks across documents; else None."""
    folded = fold(question)
    keys = metrics_named(folded)
    if len(keys) != 1:
        return None
    key = next(iter(keys))
    metric = Metric(key, key, metric_names()[key])
    years = [int(y) for y in re.findall(r"((?:19|20)\d\d)年", folded)]
    kind = "target" if any(w in folded for w in ("目标", "计划", "预期")) else "actual"
    change = "growth" if any(w in folded for w in ("增长", "增速", "增幅")) else None
    order = "highest" if any(w in folded for w in _ACROSS["highest"]) else "lowest" if any(w in folded for w in _ACROSS["lowest"]) else None
    asked_value = re.search(r"(\d+(?:\.\d+)?)\s*%(左右|以上|以内|以下)?", folded)
    value = float(asked_value.group(1)) if asked_value else None
    word = asked_value.group(2) or "" if asked_value else ""
    comparator = {"左右": "about", "以上": "at_least", "以内": "at_most", "以下": "at_most"}.get(word)
    provinces = any(w in folded for w in _ACROSS["province_words"])
    if any(w in folded for w in _ACROSS["met"]):
        return AcrossQuestion("met", metric, "target", change, years)
    if len(years) >= 2 and (any(w in folded for w in _ACROSS["series"]) or re.search(r"\d{4}年(?:到|至|—|-)\d{4}年", folded)):
        return AcrossQuestion("series", metric, kind, change, years)
    if any(w in folded for w in _ACROSS["compare"]) or order is not None:
        return AcrossQuestion("compare", metric, kind, change, years, order, value, provinces, comparator, word)
    return None
