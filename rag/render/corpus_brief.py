"""A briefing of a whole store (`rag brief --all` over many reports), built from the indicator table:
the headline metrics as matrices (targets of the latest plan year, results of the year before),
one sorted bar chart per metric (rates only, single-year figures only), and a short section per
region. Every cell is cited with its document and span; Markdown, one self-contained HTML page, or
JSON. Chinese labels by default, English with `lang="en"`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from html import escape
from typing import Any

from rag.answer.across import Cell, Comparison, compare, same_changes
from rag.core.metrics import metric_names
from rag.extract.table import IndicatorTable

MATRIX_METRICS = 8
CHART_BARS = 40
LABELS = {
    "zh": {"title": "语料简报", "documents": "份报告", "targets": "{year}年主要目标", "actuals": "{year}年主要结果",
           "charts": "各地比较", "regions": "分地区", "sources": "出处", "region": "地区", "not_stated": "未提及",
           "no_report": "无报告", "chart": "{metric}（{kind}，%）", "target": "目标", "actual": "实际", "years": "年份",
           "report": "报告"},
    "en": {"title": "Corpus briefing", "documents": " reports", "targets": "Main targets for {year}", "actuals": "Main results of {year}",
           "charts": "Regions compared", "regions": "By region", "sources": "Sources", "region": "region", "not_stated": "not stated",
           "no_report": "no report", "chart": "{metric} ({kind}, %)", "target": "target", "actual": "actual", "years": "years",
           "report": "report"},
}


class _Sources:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._index: dict[tuple[str, int, int], int] = {}

    def cite(self, cell: Cell) -> int | None:
        if cell.status != "stated" or cell.span is None or cell.doc_id is None:
            return None
        key = (cell.doc_id, cell.span[0], cell.span[1])
        if key not in self._index:
            self.items.append({"id": len(self.items) + 1, "doc_id": cell.doc_id, "span": list(cell.span), "quote": cell.quote})
            self._index[key] = len(self.items)
        return self._index[key]


def _headline_keys(table: IndicatorTable, kind: str, year: int) -> list[str]:
    """The canonical metrics most regions state for that year, most stated first."""
    rows = table.rows(kind=kind, year=year, scope="year")
    regions: dict[str, set[str]] = {}
    for row in rows:
        if row["canonical"] and row["period_first"] is None:
            regions.setdefault(row["canonical"], set()).add(row["region"] or row["doc_id"])
    counts = Counter({key: len(found) for key, found in regions.items() if len(found) >= 2})
    return [key for key, _ in counts.most_common(MATRIX_METRICS)]


def build(table: IndicatorTable) -> dict[str, Any]:
    documents = table.documents()
    plan_years = Counter(d["plan_year"] for d in documents if d.get("plan_year"))
    year = max(plan_years, key=lambda y: plan_years[y]) if plan_years else None  # the year most reports plan
    sources = _Sources()
    sections: dict[str, Any] = {"documents": len(documents), "year": year, "matrices": [], "charts": [], "regions": []}
    if year is None:
        return {**sections, "sources": []}
    for kind, matrix_year in (("target", year), ("actual", year - 1)):
        keys = _headline_keys(table, kind, matrix_year)
        if not keys:
            continue
        comparison = compare(table, keys, matrix_year, kind, level="all")
        regions = [r for r in comparison.regions if any(c.status == "stated" for c in r["cells"])]
        sections["matrices"].append({
            "kind": kind, "year": matrix_year, "metrics": [m.label for m in comparison.metrics],
            "rows": [{"region": r["region"], "doc_id": r["doc_id"],
                      "cells": [{**asdict(c), "source": sources.cite(c)} for c in r["cells"]]} for r in regions],
        })
        sections["charts"] += _charts(comparison, kind, regions)
    sections["regions"] = _regions(table, documents, sources)
    return {**sections, "sources": sources.items}


def _charts(comparison: Comparison, kind: str, regions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One chart per metric whose stated cells are single-year rates in %: sorted, highest first."""
    charts = []
    for index, metric in enumerate(comparison.metrics):
        cells = [(r["region"], r["cells"][index]) for r in regions if r["cells"][index].status == "stated"]
        growth = ("growth", *same_changes(metric.key)) if "growth" in same_changes(metric.key) else ("growth",)
        rates = [(region, cell) for region, cell in cells if cell.unit == "%" and cell.change in growth and cell.value is not None]
        if len(rates) < 2:
            continue
        rates.sort(key=lambda item: -(item[1].value_max if item[1].value_max is not None else item[1].value or 0.0))
        charts.append({"metric": metric.label, "kind": kind, "year": comparison.year,
                       "bars": [{"region": region, "value": cell.value_max if cell.value_max is not None else cell.value,
                                 "stated": cell.stated} for region, cell in rates[:CHART_BARS]]})
    return charts


def _regions(table: IndicatorTable, documents: list[dict[str, Any]], sources: _Sources) -> list[dict[str, Any]]:
    names = metric_names()
    out = []
    for region in sorted({d["region"] for d in documents if d.get("region")}):
        docs = sorted((d for d in documents if d.get("region") == region), key=lambda d: d.get("plan_year") or 0)
        lines = []
        for doc in docs[-2:]:  # the latest two reports of a region: enough to see a year move
            seen: set[tuple[str, str, str]] = set()
            for row in table.rows(doc_id=doc["doc_id"]):
                if not row["canonical"] or row["scope"] != "year" or row["period_first"] is not None or row["kind"] not in ("target", "actual"):
                    continue
                key = (row["canonical"], row["kind"], row["change"])
                if key in seen:
                    continue
                seen.add(key)
                cell = Cell("stated", row["doc_id"], row["stated"], row["value"], row["value_max"], row["unit"], row["comparator"],
                            row["change"], row["metric"], row["quote"], (int(row["start"]), int(row["end"])))
                lines.append({"year": row["year"], "kind": row["kind"], "metric": names.get(row["canonical"], row["metric"]),
                              "stated": row["stated"], "source": sources.cite(cell)})
        out.append({"region": region, "reports": [{"doc_id": d["doc_id"], "title": d.get("title"), "plan_year": d.get("plan_year")} for d in docs],
                    "lines": lines})
    return out


# ---- rendering ---------------------------------------------------------------------------------

def _cell_text(cell: dict[str, Any], words: dict[str, str]) -> str:
    if cell["status"] == "stated":
        return f"{cell['stated']}[{cell['source']}]"
    return words["not_stated"] if cell["status"] == "not_stated" else words["no_report"]


def to_markdown(brief: dict[str, Any], lang: str = "zh") -> str:
    words = LABELS[lang]
    out = [f"# {words['title']}", "", f"{brief['documents']}{words['documents']}", ""]
    for matrix in brief["matrices"]:
        title = words["targets" if matrix["kind"] == "target" else "actuals"].format(year=matrix["year"])
        out += [f"## {title}", "", "| " + " | ".join([words["region"], *matrix["metrics"]]) + " |", "|---" * (len(matrix["metrics"]) + 1) + "|"]
        out += ["| " + " | ".join([row["region"], *(_cell_text(c, words) for c in row["cells"])]).replace("\n", " ") + " |" for row in matrix["rows"]]
        out.append("")
    if brief["charts"]:
        out += [f"## {words['charts']}", ""]
        for chart in brief["charts"]:
            out.append(f"**{words['chart'].format(metric=chart['metric'], kind=words[chart['kind']])} {chart['year']}**: "
                       + "；".join(f"{bar['region']} {bar['stated']}" for bar in chart["bars"]))
            out.append("")
    out += [f"## {words['regions']}", ""]
    for region in brief["regions"]:
        reports = "、".join(f"{r['title'] or r['doc_id']}" for r in region["reports"])
        out += [f"### {region['region']}", "", reports, ""]
        out += [f"- {line['year']}{'年' if lang == 'zh' else ''} {words[line['kind']]} {line['metric']}：{line['stated']} [{line['source']}]"
                for line in region["lines"]]
        out.append("")
    out += [f"## {words['sources']}", ""]
    out += [f"{s['id']}. {s['doc_id']} [{s['span'][0]}, {s['span'][1]}) «{s['quote']}»" for s in brief["sources"]]
    return "\n".join(out) + "\n"


_STYLE = """
:root { --ink: #1d2433; --muted: #5b6475; --bar: #2f6db5; --line: #d9dee8; }
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); max-width: 1100px; margin: 2em auto; padding: 0 1em; }
table { border-collapse: collapse; margin: .6em 0 1.4em; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: .3em .6em; text-align: left; vertical-align: top; }
th { position: sticky; top: 0; background: #f6f8fb; }
.wide { overflow-x: auto; }
sup a { color: var(--muted); text-decoration: none; }
.chart text { font-size: 12px; fill: var(--ink); }
li { margin: .15em 0; }
ol.sources li { font-size: 13px; color: var(--muted); }
"""


def _svg(chart: dict[str, Any], words: dict[str, str]) -> str:
    bars = chart["bars"]
    width, label, row = 820, 150, 22
    largest = max(abs(b["value"]) for b in bars) or 1.0
    scale = (width - label - 90) / largest
    height = row * len(bars) + 34
    title = f"{words['chart'].format(metric=chart['metric'], kind=words[chart['kind']])} {chart['year']}"
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title, quote=True)}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><text x="0" y="16" font-weight="600">{escape(title)}</text>']
    for index, bar in enumerate(bars):
        y = 28 + index * row
        length = max(2.0, abs(bar["value"]) * scale)
        parts.append(f'<text x="{label - 8}" y="{y + 14}" text-anchor="end">{escape(bar["region"])}</text>'
                     f'<rect x="{label}" y="{y + 3}" width="{length:.1f}" height="{row - 7}" rx="3" fill="var(--bar)"/>'
                     f'<text x="{label + length + 6:.1f}" y="{y + 14}">{escape(bar["stated"])}</text>')
    return "".join(parts) + "</svg>"


def to_html(brief: dict[str, Any], lang: str = "zh") -> str:
    words = LABELS[lang]

    def cite(source: int | None) -> str:
        return f'<sup><a href="#s{source}">[{source}]</a></sup>' if source else ""

    body = [f"<h1>{escape(words['title'])}</h1>", f"<p>{brief['documents']}{escape(words['documents'])}</p>"]
    for matrix in brief["matrices"]:
        title = words["targets" if matrix["kind"] == "target" else "actuals"].format(year=matrix["year"])
        head = "".join(f"<th>{escape(m)}</th>" for m in [words["region"], *matrix["metrics"]])
        rows = "".join("<tr><th>" + escape(row["region"]) + "</th>" + "".join(
            f"<td>{escape(c['stated'])}{cite(c['source'])}</td>" if c["status"] == "stated"
            else f"<td>{escape(words['not_stated'] if c['status'] == 'not_stated' else words['no_report'])}</td>" for c in row["cells"]) + "</tr>"
            for row in matrix["rows"])
        body.append(f"<h2>{escape(title)}</h2><div class=wide><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>")
    if brief["charts"]:
        body.append(f"<h2>{escape(words['charts'])}</h2>" + "".join(_svg(chart, words) for chart in brief["charts"]))
    body.append(f"<h2>{escape(words['regions'])}</h2>")
    for region in brief["regions"]:
        reports = "、".join(escape(r["title"] or r["doc_id"]) for r in region["reports"])
        items = "".join(f"<li>{line['year']}{'年' if lang == 'zh' else ''} {escape(words[line['kind']])} {escape(line['metric'])}："
                        f"{escape(line['stated'])}{cite(line['source'])}</li>" for line in region["lines"])
        body.append(f"<h3>{escape(region['region'])}</h3><p>{reports}</p><ul>{items}</ul>")
    sources = "".join(f'<li id="s{s["id"]}">{escape(s["doc_id"])} [{s["span"][0]}, {s["span"][1]}) «{escape(s["quote"])}»</li>'
                      for s in brief["sources"])
    body.append(f"<h2>{escape(words['sources'])}</h2><ol class=sources>{sources}</ol>")
    return (f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f"<title>{escape(words['title'])}</title><style>{_STYLE}</style></head><body>" + "\n".join(body) + "</body></html>\n")
