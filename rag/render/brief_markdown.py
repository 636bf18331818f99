"""A briefing as Markdown: per document (targets, results, slogans, priorities, target against
result) or a comparison of several, with numbered sources at the end."""

from __future__ import annotations

from rag.brief.briefing import THEMES, Briefing, Row
from rag.render.labels import words
from rag.render.views import md_escape


def _refs(ids: list[int]) -> str:
    return "".join(f"[{i}]" for i in ids)


def _row_line(row: Row) -> str:
    return (f"| {md_escape(row.metric)} | {md_escape(row.value)} | {row.year or ''} | "
            f"{md_escape(row.hedge or '')} | {_refs(row.sources)} |")


def to_markdown(briefing: Briefing, lang: str = "zh") -> str:
    w = words(lang)
    lines: list[str] = []
    single = len(briefing.documents) == 1
    if not single:
        lines += [f"# {w['comparison']}: {md_escape('、'.join(d.label for d in briefing.documents))}", ""]
    if briefing.summary:
        lines += [f"## {w['summary']}", ""] + [f"{md_escape(s['text'])} {_refs(s['sources'])}" for s in briefing.summary] + [""]
    for brief in briefing.documents:
        level = "#" if single else "##"
        lines += [f"{level} {md_escape(brief.title or brief.doc_id)}", "",
                  f"- **{w['region']}**: {md_escape(brief.region or '—')} · **{w['type']}**: {brief.doc_type} · "
                  f"**{w['review_year']}**: {brief.review_year or '—'} · **{w['plan_year']}**: {brief.plan_year or '—'} · **{w['document']}**: `{brief.doc_id}`", ""]
        lines += [f"{level}# {w['strategy']}", ""]
        for slogan in brief.slogans:
            lines.append(f"- “{md_escape(slogan['name'])}”: {md_escape('、'.join(slogan['items']))} {_refs(slogan['sources'])}")
        for priority in brief.priorities:
            lines.append(f"- {md_escape(priority['marker'] + priority['title'])} {_refs(priority['sources'])}")
        if brief.pairs:
            lines += ["", f"{level}# {w['pairs']}", ""]
            for pair in brief.pairs:
                a, t = pair["actual"], pair["target"]
                lines.append(f"- {md_escape(pair['metric'])}: {a['year'] or ''}年实际 {md_escape(a['value'])} {_refs(a['sources'])} → "
                             f"{t['year'] or ''}年目标 {md_escape(t['value'])} {_refs(t['sources'])}")
        for title, rows in ((w["targets"], brief.targets), (w["actuals"], brief.actuals), (w["projects"], brief.projects)):
            if rows:
                head = " | ".join(w[k] for k in ("metric", "value", "year", "hedge", "source"))
                lines += ["", f"{level}# {title}", "", f"| {head} |", "|---|---|---|---|---|"]
                lines += [_row_line(r) for r in rows]
        lines.append("")
    if briefing.comparison:
        lines += _comparison_markdown(briefing, w)
    lines += [f"## {w['sources']}", ""]
    for source in briefing.sources:
        section = f" · {md_escape(source.section)}" if source.section else ""
        lines.append(f"{source.id}. `{source.doc_id}`{section} · [{source.span.start}, {source.span.end}): “{md_escape(source.quote)}”")
    if briefing.notes:
        lines += ["", f"## {w['notes']}", ""] + [f"- {md_escape(n)}" for n in briefing.notes]
    return "\n".join(lines) + "\n"


def _comparison_markdown(briefing: Briefing, w: dict[str, str]) -> list[str]:
    comparison = briefing.comparison or {}
    regions = comparison["regions"]
    ids = list(regions)
    header = "| | " + " | ".join(md_escape(regions[i]) for i in ids) + " |"
    rule = "|---" * (len(ids) + 1) + "|"
    lines = [f"## {w['side_by_side']}", ""]
    for name, cells in comparison["categories"].items():
        if not any(cells.values()):
            continue
        lines += [f"### {w['projects_category'] if name == 'projects' else w[name]}", "", header, rule]
        cell_text = [md_escape("；".join(f"{r['metric']} {r['value']}" for r in cells[i][:6])) + " " + _refs([s for r in cells[i][:6] for s in r["sources"]])
                     if cells[i] else "—" for i in ids]
        lines += ["| | " + " | ".join(cell_text) + " |", ""]
    if comparison["shared_metrics"]:
        lines += [f"### {w['shared']}", "", header, rule]
        for cells in comparison["shared_metrics"].values():
            name = next(iter(cells.values()))[0]["metric"]
            row = [md_escape("；".join(f"{r['year'] or ''} {r['kind']} {r['value']}" for r in cells.get(i, []))) + " " +
                   _refs([s for r in cells.get(i, []) for s in r["sources"]]) if cells.get(i) else "—" for i in ids]
            lines.append(f"| {md_escape(name)} | " + " | ".join(row) + " |")
        lines.append("")
    lines += [f"### {w['themes']}", "", header, rule]
    for theme in THEMES:
        lines.append(f"| {w[theme]} | " + " | ".join(f"{comparison['themes'][i][theme]:.0%}" for i in ids) + " |")
    lines += ["", f"### {w['slogans']}", "", header, rule,
              "| | " + " | ".join(md_escape("、".join(f"“{s['name']}”" for s in comparison["slogans"][i])) or "—" for i in ids) + " |", ""]
    return lines
