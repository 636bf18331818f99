"""The briefing as one self-contained HTML page: inline CSS and SVG, no script, no network, printable.

Every piece of document text goes through `html.escape`, so a document containing `<script>` shows
it as text. Citations are links to the source list; hovering or focusing one shows its quoted passage.
"""

from __future__ import annotations

from html import escape

from rag.brief.briefing import THEMES, Briefing, DocBrief, Row
from rag.render.labels import words

CSS = """
:root { --ink:#1f2328; --muted:#57606a; --line:#d0d7de; --accent:#0b5cad; --target:#2f81f7; --actual:#8c959f; --fall:#cf222e; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 980px; padding: 32px 28px 64px; color: var(--ink); background: #fff;
  font: 16px/1.75 "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", sans-serif; }
h1 { font-size: 1.7em; line-height: 1.35; margin: 0 0 .3em; }
h2 { font-size: 1.3em; margin: 1.8em 0 .5em; border-bottom: 1px solid var(--line); padding-bottom: .2em; }
h3 { font-size: 1.05em; margin: 1.4em 0 .4em; color: var(--muted); }
.facts { color: var(--muted); margin: 0 0 1em; } .facts b { color: var(--ink); font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; font-size: .95em; }
th, td { border-bottom: 1px solid var(--line); padding: .35em .6em; text-align: left; vertical-align: top; }
th { font-weight: 600; background: #f6f8fa; }
td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
ul { padding-left: 1.3em; } li { margin: .15em 0; }
a.cite { position: relative; color: var(--accent); text-decoration: none; font-size: .8em; vertical-align: super; padding: 0 .1em; }
a.cite:hover::after, a.cite:focus::after { content: attr(data-quote); position: absolute; left: 0; top: 1.6em; z-index: 10;
  width: max-content; max-width: 26em; white-space: normal; background: #fffbe6; color: var(--ink); border: 1px solid #e3c46b;
  padding: .4em .6em; font-size: .85rem; line-height: 1.5; box-shadow: 0 2px 8px rgba(0,0,0,.15); }
.pair { font-variant-numeric: tabular-nums; }
.chart { margin: .5em 0 1.2em; } .chart text { font-size: 12px; fill: var(--ink); }
ol.sources { font-size: .9em; color: var(--muted); } ol.sources li:target { background: #fffbe6; }
ol.sources q { color: var(--ink); }
.summary p { margin: .3em 0; }
@media print { body { max-width: none; padding: 0; font-size: 11pt; } a.cite::after { display: none !important; }
  h2 { break-after: avoid; } table, svg { break-inside: avoid; } }
"""


def _cite(ids: list[int], quotes: dict[int, str]) -> str:
    return "".join(f'<a class="cite" href="#src-{i}" data-quote="{escape(quotes.get(i, ""), quote=True)}">[{i}]</a>' for i in ids)


def _chart(rows: list[Row], title: str) -> str:
    """Horizontal bars of single-year growth rates in %, one per metric (ranges to their upper end):
    a level (`失业率5.5%`), a gap in 个百分点 or a five-year average is never drawn beside them."""
    bars = [r for r in rows if r.unit == "%" and r.change == "growth" and r.scope == "year" and r.number is not None][:14]
    if not bars:
        return ""
    width, label_width, row_height = 860, 300, 26
    largest = max(abs(r.number or 0) for r in bars) or 1.0
    scale = (width - label_width - 90) / largest
    height = row_height * len(bars) + 34
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title, quote=True)}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f'<text x="0" y="16" font-weight="600">{escape(title)}</text>']
    for index, row in enumerate(bars):
        y = 28 + index * row_height
        length = max(2.0, abs(row.number or 0) * scale)
        colour = "var(--fall)" if (row.number or 0) < 0 else "var(--target)"
        label = row.metric if len(row.metric) <= 18 else row.metric[:17] + "…"
        parts.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row_height - 8}" rx="3" fill="{colour}"/>')
        parts.append(f'<text x="{label_width + length + 6:.1f}" y="{y + 15}">{escape(row.value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _rows_table(rows: list[Row], quotes: dict[int, str], w: dict[str, str]) -> str:
    body = "".join(
        f"<tr><td>{escape(r.metric)}</td><td class=num>{escape(r.value)}</td><td class=num>{r.year or ''}</td>"
        f"<td>{escape(r.hedge or '')}</td><td>{_cite(r.sources, quotes)}</td></tr>" for r in rows)
    head = "".join(f"<th>{escape(w[k])}</th>" for k in ("metric", "value", "year", "hedge", "source"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _document(brief: DocBrief, quotes: dict[int, str], heading: str, w: dict[str, str]) -> str:
    out = [f"<{heading}>{escape(brief.title or brief.doc_id)}</{heading}>",
           f'<p class="facts"><b>{w["region"]}</b> {escape(brief.region or "—")} · <b>{w["type"]}</b> {escape(brief.doc_type)} · '
           f"<b>{w['review_year']}</b> {brief.review_year or '—'} · <b>{w['plan_year']}</b> {brief.plan_year or '—'} · "
           f"<b>{w['document']}</b> <code>{escape(brief.doc_id)}</code></p>"]
    sub = "h3" if heading == "h2" else "h2"
    out.append(f"<{sub}>{w['strategy']}</{sub}><ul>")
    out += [f"<li>“{escape(s['name'])}”：{escape('、'.join(s['items']))} {_cite(s['sources'], quotes)}</li>" for s in brief.slogans]
    out += [f"<li>{escape(p['marker'] + p['title'])} {_cite(p['sources'], quotes)}</li>" for p in brief.priorities]
    out.append("</ul>")
    if brief.pairs:
        out.append(f"<{sub}>{w['pairs']}</{sub}><ul>")
        for pair in brief.pairs:
            a, t = pair["actual"], pair["target"]
            out.append(f'<li class="pair">{escape(pair["metric"])}：{a["year"] or ""}年实际 {escape(a["value"])} {_cite(a["sources"], quotes)} → '
                       f'{t["year"] or ""}年目标 {escape(t["value"])} {_cite(t["sources"], quotes)}</li>')
        out.append("</ul>")
    if brief.targets:
        out.append(f"<{sub}>{w['targets']}</{sub}>")
        growth = [r for r in brief.targets if r.change == "growth"]
        out.append(_chart(growth, w["growth_chart"].format(label=brief.label)))
        out.append(_rows_table(brief.targets, quotes, w))
    if brief.actuals:
        out.append(f"<{sub}>{w['actuals']}</{sub}>" + _rows_table(brief.actuals, quotes, w))
    if brief.projects:
        out.append(f"<{sub}>{w['projects']}</{sub}>" + _rows_table(brief.projects, quotes, w))
    return "\n".join(out)


def _comparison(briefing: Briefing, quotes: dict[int, str], w: dict[str, str]) -> str:
    comparison = briefing.comparison or {}
    regions = comparison["regions"]
    ids = list(regions)
    head = "<tr><th></th>" + "".join(f"<th>{escape(regions[i])}</th>" for i in ids) + "</tr>"
    out = [f"<h2>{w['side_by_side']}</h2>"]
    for name, cells in comparison["categories"].items():
        if not any(cells.values()):
            continue
        row = "".join("<td>" + "<br>".join(f"{escape(r['metric'])} {escape(r['value'])} {_cite(r['sources'], quotes)}" for r in cells[i][:8]) + "</td>"
                      if cells[i] else "<td>—</td>" for i in ids)
        out.append(f"<h3>{escape(w['projects_category'] if name == 'projects' else w[name])}</h3><table><thead>{head}</thead><tbody><tr><th></th>{row}</tr></tbody></table>")
    theme_rows = "".join(f"<tr><th>{escape(w[theme])}</th>" + "".join(f"<td class=num>{comparison['themes'][i][theme]:.0%}</td>" for i in ids) + "</tr>"
                         for theme in THEMES)
    out.append(f"<h3>{w['themes']}</h3><table><thead>{head}</thead><tbody>{theme_rows}</tbody></table>")
    slogan_row = "".join("<td>" + "<br>".join(f"“{escape(s['name'])}” {_cite(s['sources'], quotes)}" for s in comparison["slogans"][i]) + "</td>"
                         for i in ids)
    out.append(f"<h3>{w['slogans']}</h3><table><thead>{head}</thead><tbody><tr><th></th>{slogan_row}</tr></tbody></table>")
    growth = [r for b in briefing.documents for r in _labelled(b)]
    out.append(_chart(growth, w["growth_by_region"]))
    return "\n".join(out)


def _labelled(brief: DocBrief) -> list[Row]:
    rows = []
    for row in brief.targets:
        if row.change == "growth" and row.unit == "%" and row.scope == "year":
            rows.append(Row(f"{brief.label} · {row.metric}", row.value, row.kind, row.year, row.hedge, row.change, row.sources,
                            row.number, row.unit, row.scope))
    return rows


def to_html(briefing: Briefing, lang: str = "zh") -> str:
    w = words(lang)
    quotes = {s.id: s.quote for s in briefing.sources}
    single = len(briefing.documents) == 1
    title = briefing.documents[0].title or briefing.documents[0].doc_id if single else f"{w['comparison']}: " + "、".join(d.label for d in briefing.documents)
    body = [f"<h1>{escape(title)}</h1>" if not single else ""]
    if briefing.summary:
        body.append(f'<section class="summary"><h2>{w["summary"]}</h2>' +
                    "".join(f"<p>{escape(s['text'])} {_cite(s['sources'], quotes)}</p>" for s in briefing.summary) + "</section>")
    for brief in briefing.documents:
        body.append(_document(brief, quotes, "h1" if single else "h2", w))
    if briefing.comparison:
        body.append(_comparison(briefing, quotes, w))
    body.append(f'<h2>{w["sources"]}</h2><ol class="sources">')
    for source in briefing.sources:
        section = f" · {escape(source.section)}" if source.section else ""
        body.append(f'<li id="src-{source.id}"><code>{escape(source.doc_id)}</code>{section} · '
                    f"[{source.span.start}, {source.span.end}) <q>{escape(source.quote)}</q></li>")
    body.append("</ol>")
    if briefing.notes:
        body.append(f"<h2>{w['notes']}</h2><ul>" + "".join(f"<li>{escape(n)}</li>" for n in briefing.notes) + "</ul>")
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")

