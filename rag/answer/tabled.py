"""Questions the indicator table answers (`哪些省份…`, `比较各省…`, `…最高`, `…完成了吗`, `…的变化`),
composed into cited lines, with or without the retriever: `rag ask` tries this first and never
loads the vector index (nor chromadb) when the table answers.
"""

from __future__ import annotations

from typing import Any, Protocol

from rag.answer.across import AcrossQuestion, Cell, compare, read_question, track
from rag.answer.base import NOT_FOUND, Answer, Citation
from rag.answer.routing import scope_question
from rag.core.spans import Span
from rag.extract.table import IndicatorTable, open_table
from rag.index.store import Manifest, Store

KIND_WORDS = {"target": "目标", "actual": "实际", "baseline": "基期"}
VERDICT_WORDS = {"met": "完成", "not_met": "未完成", "within": "在容差内", "no_result": "未报告结果"}


class Citer(Protocol):
    def cite(self, doc_id: str, span: Span) -> str: ...


def _cited(composer: Citer, cell: Cell) -> str:
    return composer.cite(cell.doc_id or "", Span(*cell.span)) if cell.span else ""


def across_lines(table: IndicatorTable, asked: AcrossQuestion, named: list[str], composer: Citer) -> list[str]:
    """The cited lines answering a question across documents; `named` are the regions it names."""
    if asked.mode == "compare":
        return _compared(table, asked, named, composer)
    if len(named) != 1:
        return []
    return _tracked(table, asked, named[0], composer) if asked.mode == "met" else _series(table, asked, named[0], composer)


def _compared(table: IndicatorTable, asked: AcrossQuestion, named: list[str], composer: Citer) -> list[str]:
    years = [d["plan_year" if asked.kind == "target" else "review_year"] for d in table.documents()]
    year = asked.years[0] if asked.years else max((y for y in years if y), default=None)
    if year is None:
        return []
    level = "province" if asked.provinces and len(named) < 2 else "all"
    comparison = compare(table, [asked.metric.key or asked.metric.asked], year, asked.kind, asked.change, level, sort=asked.order is not None)
    entries = [e for e in comparison.regions if not named or len(named) < 2 or e["region"] in named]
    if asked.order == "lowest":
        entries = [e for e in reversed(entries) if e["cells"][0].status == "stated"] + [e for e in entries if e["cells"][0].status != "stated"]
    kind = KIND_WORDS[asked.kind]
    lines = []
    stated = [e for e in entries if e["cells"][0].status == "stated"]
    if asked.value is not None:
        chosen = [e for e in stated if e["cells"][0].value == asked.value and e["cells"][0].value_max is None
                  and asked.comparator in (None, e["cells"][0].comparator)]
        lines.append(f"{year}年{kind}{comparison.metrics[0].label}为{asked.value:g}%{asked.comparator_word}的地区共{len(chosen)}个："
                     + "、".join(e["region"] for e in chosen))
        entries = chosen
    elif asked.order is not None and stated:
        lines.append(f"{'最高' if asked.order == 'highest' else '最低'}：{stated[0]['region'] if asked.order == 'highest' else entries[0]['region']}")
    for entry in entries:
        cell = entry["cells"][0]
        if cell.status == "stated":
            lines.append(f"{entry['region']} {year}年{kind} {cell.metric}：{cell.stated} {_cited(composer, cell)}")
        else:
            lines.append(f"{entry['region']}：{'报告未提及' if cell.status == 'not_stated' else f'语料中没有{year}年的报告'}")
    return lines


def _tracked(table: IndicatorTable, asked: AcrossQuestion, region: str, composer: Citer) -> list[str]:
    lines = []
    for item in (t for t in track(table, region, asked.metric.key) if not asked.years or t.year in asked.years):
        target = f"目标 {item.target.stated} {_cited(composer, item.target)}"
        result = f"实际 {item.result.stated} {_cited(composer, item.result)}" if item.result.status == "stated" else "次年报告未给出结果"
        lines.append(f"{region} {item.year}年 {item.metric}：{target}，{result}——{VERDICT_WORDS[item.verdict]}")
    return lines


def _series(table: IndicatorTable, asked: AcrossQuestion, region: str, composer: Citer) -> list[str]:
    first, last = min(asked.years), max(asked.years)
    rows = [r for r in table.rows(region=region, canonical=asked.metric.key, kind=asked.kind, scope="year")
            if r["period_first"] is None and r["year"] is not None and first <= r["year"] <= last
            and (asked.change is None or r["change"] == asked.change)]
    lines, seen = [], set()
    for row in sorted(rows, key=lambda r: (r["year"], r["change"] != "growth")):
        if (row["year"], row["change"]) in seen:
            continue
        seen.add((row["year"], row["change"]))
        cell = Cell("stated", row["doc_id"], row["stated"], row["value"], span=(int(row["start"]), int(row["end"])), metric=row["metric"])
        lines.append(f"{region} {row['year']}年{KIND_WORDS[asked.kind]} {row['metric']}：{row['stated']} {_cited(composer, cell)}")
    return lines


class _TableComposer:
    """Citations numbered in order of use, each checked against the stored text."""

    def __init__(self, store: Store, manifest: Any) -> None:
        self.store, self.manifest = store, manifest
        self.citations: list[Citation] = []

    def cite(self, doc_id: str, span: Span) -> str:
        for citation in self.citations:
            if citation.doc_id == doc_id and citation.span == span:
                return f"[{citation.id}]"
        entry = self.manifest.documents[doc_id]
        quote = span.of(self.store.text(doc_id, self.manifest))
        section = next((section for start, end, section in entry.chunks if start <= span.start < end), "")
        self.citations.append(Citation(len(self.citations) + 1, doc_id, section, span, quote, entry.page_at(span.start)))
        return f"[{len(self.citations)}]"


def answer_from_table(store: Store, question: str, engine: str = "offline") -> tuple[Answer, Manifest] | None:
    """The answer when the question asks across documents and the table holds what it asks, with the
    manifest it was read under (its citations' texts are that manifest's); None hands the question
    on to the answerer (which searches)."""
    asked = read_question(question)
    if asked is None or not store.manifest_path.exists():
        return None
    table = open_table(store)
    try:
        documents = table.documents()
        facts = {d["doc_id"]: d for d in documents}
        scope = scope_question(question, facts)
        if scope.refusal is not None:
            return Answer(question, NOT_FOUND, False, [], engine, [], notes=scope.notes), table.manifest
        named = sorted({facts[d]["region"] for d in scope.doc_ids or [] if facts[d].get("region")})
        composer = _TableComposer(store, table.manifest)
        lines = across_lines(table, asked, named, composer)
        if not lines:
            return None
        return Answer(question, "\n".join(lines), True, composer.citations, engine, [], scope.notes), table.manifest
    finally:
        table.close()
