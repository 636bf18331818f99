"""Tables for people and for the next program: indicator rows, comparison matrices and tracking
lines as text, Markdown, CSV or JSON, with headers in Chinese (default) or English.

Every text format is registered in `TABLE_FORMATS` (and `xlsx`, a spreadsheet, in `xlsx_bytes`); every
row keeps its document and span, so an export stays checkable against the originals.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from rag.answer.across import Comparison, Track

HEADERS = {
    "zh": {"region": "地区", "doc_id": "文档", "metric": "指标", "canonical": "规范指标", "kind": "类型", "year": "年份",
           "scope": "口径", "stated": "原文数值", "value": "数值", "unit": "单位", "comparator": "比较", "hedge": "措辞",
           "quote": "原文", "span": "位置", "section": "章节", "status": "状态", "target": "目标", "result": "结果",
           "verdict": "判断", "why": "依据"},
    "en": {"region": "region", "doc_id": "document", "metric": "metric", "canonical": "canonical", "kind": "kind", "year": "year",
           "scope": "scope", "stated": "as stated", "value": "value", "unit": "unit", "comparator": "comparator", "hedge": "hedge",
           "quote": "quote", "span": "span", "section": "section", "status": "status", "target": "target", "result": "result",
           "verdict": "verdict", "why": "why"},
}
WORDS = {
    "zh": {"target": "目标", "actual": "实际", "baseline": "基期", "year": "当年", "average": "年均", "cumulative": "累计",
           "stated": "已提出", "not_stated": "报告未提及", "no_report": "无该年报告", "met": "完成", "not_met": "未完成",
           "within": "在容差内", "no_result": "未报告结果", "about": "左右：±0.5个百分点或±2%以内为在容差内",
           "range": "在区间内", "at_least": "不低于目标为完成", "at_most": "不高于目标为完成",
           "lower_is_better": "越低越好：不高于目标为完成", "no_next_report": "语料中没有次年报告", "no_figure": "次年报告未给出该指标数值"},
    "en": {"target": "target", "actual": "actual", "baseline": "baseline", "year": "year", "average": "yearly average",
           "cumulative": "period total", "stated": "stated", "not_stated": "not stated in its report",
           "no_report": "no report for that year", "met": "met", "not_met": "not met", "within": "within tolerance",
           "no_result": "no result reported", "about": "左右: within ±0.5 points or ±2%", "range": "inside the range",
           "at_least": "met at or above the target", "at_most": "met at or below the target",
           "lower_is_better": "lower is better: met at or below", "no_next_report": "no next-year report in the corpus",
           "no_figure": "the next report gives no figure for it"},
}
ROW_COLUMNS = ("region", "doc_id", "metric", "canonical", "kind", "year", "scope", "stated", "value", "unit", "hedge", "quote", "span", "section")


def _word(value: Any, lang: str) -> Any:
    return WORDS[lang].get(value, value) if isinstance(value, str) else value


def indicator_grid(rows: list[dict[str, Any]], lang: str) -> tuple[list[str], list[list[Any]]]:
    head = [HEADERS[lang][c] for c in ROW_COLUMNS]
    body = [[f"{int(r['start'])}-{int(r['end'])}" if c == "span" else _word(r.get(c), lang) if c in ("kind", "scope") else r.get(c)
             for c in ROW_COLUMNS] for r in rows]
    return head, body


def comparison_grid(comparison: Comparison, lang: str) -> tuple[list[str], list[list[Any]]]:
    head = [HEADERS[lang]["region"]] + [m.label for m in comparison.metrics] + [HEADERS[lang]["doc_id"]]
    body = []
    for entry in comparison.regions:
        cells = [c.stated if c.status == "stated" else f"（{_word(c.status, lang)}）" for c in entry["cells"]]
        body.append([entry["region"], *cells, entry["doc_id"] or ""])
    return head, body


def tracking_grid(tracks: list[Track], lang: str) -> tuple[list[str], list[list[Any]]]:
    h = HEADERS[lang]
    head = [h["year"], h["metric"], h["target"], h["result"], h["verdict"], h["why"]]
    body = [[t.year, t.metric, t.target.stated, t.result.stated or "—", _word(t.verdict, lang), _word(t.why, lang)] for t in tracks]
    return head, body


def _text(head: list[str], body: list[list[Any]], title: str) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for name in head:
        table.add_column(name, overflow="fold")
    for row in body:
        table.add_row(*("" if v is None else str(v) for v in row))
    buffer = io.StringIO()
    Console(file=buffer, width=160, highlight=False, soft_wrap=False).print(table)
    return buffer.getvalue()


def _markdown(head: list[str], body: list[list[Any]], title: str) -> str:
    def cell(value: Any) -> str:
        return ("" if value is None else str(value)).replace("|", "\\|").replace("\n", " ")

    lines = [f"**{title}**", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in body]
    return "\n".join(lines) + "\n"


def _csv(head: list[str], body: list[list[Any]], title: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(head)
    writer.writerows(body)
    return buffer.getvalue()


TABLE_FORMATS: dict[str, Callable[[list[str], list[list[Any]], str], str]] = {"text": _text, "md": _markdown, "csv": _csv}


def render(fmt: str, head: list[str], body: list[list[Any]], title: str, payload: Any) -> str:
    """One table in one of `TABLE_FORMATS`, or `payload` as JSON for `json`."""
    if fmt == "json":
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    return TABLE_FORMATS[fmt](head, body, title)


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def xlsx_bytes(head: list[str], body: list[list[Any]], title: str) -> bytes:
    """One worksheet in the Office Open XML format (what spreadsheets open), written with the
    standard library: numbers as numbers, everything else as inline strings."""
    import zipfile
    from xml.sax.saxutils import escape as xml

    def cell(ref: str, value: Any) -> str:
        if isinstance(value, bool) or value is None or value == "":
            return "" if value in (None, "") else f'<c r="{ref}" t="inlineStr"><is><t>{xml(str(value))}</t></is></c>'
        if isinstance(value, (int, float)):
            return f'<c r="{ref}"><v>{value}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{xml(str(value))}</t></is></c>'

    rows = [head, *body]
    sheet_rows = "".join(
        f'<row r="{r + 1}">' + "".join(cell(f"{_column(c)}{r + 1}", v) for c, v in enumerate(row)) + "</row>" for r, row in enumerate(rows))
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f"<sheetData>{sheet_rows}</sheetData></worksheet>")
    name = xml(title[:31] or "Sheet1")
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files.items():
            archive.writestr(path, content)
    return buffer.getvalue()
