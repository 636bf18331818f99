"""Views of an extraction record for people: a rich terminal rendering and a Markdown report.

Document text is shown as text, never as markup: rich gets `Text` objects and Markdown cells are
escaped, so a document cannot style or break the output.
"""

from __future__ import annotations

from typing import Any

from rag.core.records import DocumentRecord, OutlineNode, value_text

_KIND_LABEL = {"target": "target", "actual": "actual", "baseline": "baseline"}
def _facts(record: DocumentRecord) -> list[tuple[str, str]]:
    return [
        ("title", record.title or "—"), ("region", record.region or "—"), ("type", record.doc_type.value),
        ("review year", str(record.review_year or "—")), ("plan year", str(record.plan_year or "—")),
    ]


def print_record(record: DocumentRecord, console: Any) -> None:
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    header = Text(record.doc_id, style="bold cyan")
    for key, value in _facts(record):
        header.append(f"\n  {key}: ", style="dim")
        header.append(value)
    console.print(header)

    tree = Tree(Text(f"outline ({len(record.walk_outline())} headings)", style="bold"))

    def grow(branch: Any, nodes: list[OutlineNode]) -> None:
        for node in nodes:
            label = Text(f"{node.marker}{node.title}" if node.marker else node.title)
            label.append(f"  [{node.level}] @{node.span.start}", style="dim")
            grow(branch.add(label), node.children)

    grow(tree, record.outline)
    console.print(tree)

    table = Table(title=f"indicators ({len(record.indicators)})", title_justify="left", show_lines=False)
    for column in ("metric", "value", "change", "kind", "year", "hedge", "quote", "span"):
        table.add_column(column, overflow="fold")
    for item in record.indicators:
        table.add_row(Text(item.metric), value_text(item), item.change.value, _KIND_LABEL[item.kind.value],
                      str(item.year or ""), item.hedge or "", Text(item.quote), f"{item.span.start}–{item.span.end}")
    console.print(table)

    if record.slogans:
        slogans = Table(title=f"slogans ({len(record.slogans)})", title_justify="left")
        for column in ("name", "count", "members", "span"):
            slogans.add_column(column, overflow="fold")
        for slogan in record.slogans:
            slogans.add_row(Text(f"“{slogan.name}”"), str(slogan.count or ""), Text("、".join(slogan.items)),
                            f"{slogan.span.start}–{slogan.span.end}")
        console.print(slogans)


def md_escape(value: str) -> str:
    """Text safe inside a Markdown table cell or paragraph."""
    out = value.replace("\\", "\\\\").replace("\r", "").replace("\n", " ")
    for ch in "|*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def record_markdown(record: DocumentRecord) -> str:
    lines = [f"# {md_escape(record.title or record.doc_id)}", ""]
    lines += [f"- **{key}**: {md_escape(value)}" for key, value in _facts(record)]
    lines += ["", "## Outline", ""]

    def outline(nodes: list[OutlineNode], depth: int) -> None:
        for node in nodes:
            lines.append(f"{'  ' * depth}- {md_escape(node.marker + node.title)} `[{node.span.start}, {node.span.end})`")
            outline(node.children, depth + 1)

    outline(record.outline, 0)
    lines += ["", "## Indicators", "", "| metric | value | change | kind | year | hedge | quote | span |", "|---|---|---|---|---|---|---|---|"]
    for item in record.indicators:
        lines.append(
            f"| {md_escape(item.metric)} | {md_escape(value_text(item))} | {item.change.value} | {item.kind.value} | "
            f"{item.year or ''} | {md_escape(item.hedge or '')} | {md_escape(item.quote)} | [{item.span.start}, {item.span.end}) |"
        )
    if record.slogans:
        lines += ["", "## Slogans", "", "| name | count | members | span |", "|---|---|---|---|"]
        for slogan in record.slogans:
            lines.append(f"| “{md_escape(slogan.name)}” | {slogan.count or ''} | {md_escape('、'.join(slogan.items))} | "
                         f"[{slogan.span.start}, {slogan.span.end}) |")
    return "\n".join(lines) + "\n"


def print_summary(records: list[DocumentRecord], console: Any) -> None:
    """One row per document: what it is and how much was extracted."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="extracted (offline engine)", title_justify="left")
    for column in ("doc_id", "type", "region", "review", "plan", "headings", "indicators", "targets", "slogans"):
        table.add_column(column, overflow="fold")
    for record in records:
        targets = sum(1 for i in record.indicators if i.kind.value == "target")
        table.add_row(record.doc_id, record.doc_type.value, Text(record.region or "—"), str(record.review_year or "—"),
                      str(record.plan_year or "—"), str(len(record.walk_outline())), str(len(record.indicators)),
                      str(targets), str(len(record.slogans)))
    console.print(table)


def print_indicators(record: DocumentRecord, console: Any, kind: str | None = None, limit: int = 12) -> None:
    from rich.table import Table
    from rich.text import Text

    items = [i for i in record.indicators if kind is None or i.kind.value == kind][:limit]
    table = Table(title=f"{record.doc_id}: {kind or 'all'} indicators", title_justify="left")
    for column in ("metric", "value", "year", "hedge", "quote [span]"):
        table.add_column(column, overflow="fold")
    for item in items:
        table.add_row(Text(item.metric), value_text(item), str(item.year or ""), item.hedge or "",
                      Text(f"{item.quote} [{item.span.start}, {item.span.end})"))
    console.print(table)


# ---- eval reports ------------------------------------------------------------------------------

_EXTRACTION_ROWS = [
    ("indicators", ["precision", "recall", "f1", "kind_accuracy", "comparator_accuracy", "year_accuracy", "change_accuracy", "metric_accuracy"]),
    ("outline", ["precision", "recall", "f1", "parent_accuracy"]),
    ("slogans", ["precision", "recall", "f1", "member_recall"]),
    ("facts", ["title", "region", "doc_type", "review_year", "plan_year", "accuracy"]),
]
_ANSWER_COLUMNS = ["accuracy", "citation_precision", "citation_recall", "no_answer_accuracy", "latency_ms_p50", "latency_ms_p95"]
_QA_COLUMNS = ["recall@1", "recall@3", "recall@5", "recall@10", "mrr", "latency_ms_p50", "latency_ms_p95", "chunks"]


_CORPUS_EXTRACTION_ROWS = [
    ("facts", "facts right"), ("headline_recall", "headline recall"), ("headline_all_fields", "headline, all fields right"),
    ("headline_change", "headline change"), ("headline_comparator", "headline comparator"), ("headline_kind", "headline kind"),
    ("headline_year", "headline year"), ("headline_metric", "headline metric"), ("zone_precision", "zone precision"),
    ("zone_recall", "zone recall"), ("zone_all_fields", "zone, all fields right"), ("traps_avoided", "traps avoided"),
    ("grounding", "grounding"),
]
_CORPUS_ANSWER_ROWS = [("accuracy", "answer accuracy"), ("citation_hit", "citation hit"),
                       ("no_answer_accuracy", "correct refusals"), ("foreign_free", "foreign-free answers")]
_CORPUS_EXTRACTION_COLUMNS = ["facts", "headline R", "headline all", "zone P", "zone R", "traps taken"]
_CORPUS_QUESTION_COLUMNS = ["questions right", "cited", "refusals"]


def _corpus_overall(corpus: dict[str, Any], deltas: dict[str, tuple[float, float | None]] | None) -> list[tuple[str, str, str]]:
    """(section, measure, value) rows of the corpus section: each extraction engine, then each answerer."""
    rows = []
    for engine, result in corpus.get("extraction", {}).items():
        counts = result["counts"]
        detail = {"facts": f" ({counts['facts_right']}/{counts['facts']})",
                  "headline_recall": f" ({counts['headline_matched']}/{counts['headline_gold']})",
                  "zone_precision": f" ({counts['zone_matched']}/{counts['zone_predicted']})",
                  "zone_recall": f" ({counts['zone_matched']}/{counts['zone_gold']})",
                  "traps_avoided": f" ({counts['traps_taken']}/{counts['traps']} taken)"}
        for key, label in _CORPUS_EXTRACTION_ROWS:
            flat_key = f"corpus.{engine}.{key}"
            rows.append((f"extraction: {engine}", label, f"{result['scores'][key]}{detail.get(key, '')}{_delta_text(flat_key, deltas)}"))
    for name, summary in corpus.get("questions", {}).get("answers", {}).items():
        counts = summary["counts"]
        detail = {"accuracy": f" ({counts['correct']}/{counts['answerable']})", "citation_hit": f" ({counts['cited']}/{counts['answerable']})",
                  "no_answer_accuracy": f" ({counts['no_answer_right']}/{counts['no_answer']})",
                  "foreign_free": f" ({counts['foreign']}/{counts['answerable']} foreign)"}
        for key, label in _CORPUS_ANSWER_ROWS:
            flat_key = f"corpus.answers.{name}.{key}"
            rows.append((f"questions: {name}", label, f"{summary['scores'][key]}{detail[key]}{_delta_text(flat_key, deltas)}"))
    across = corpus.get("questions", {}).get("across")
    for key, label, part in (("compare_accuracy", "compare cells right", "compare"), ("track_accuracy", "track verdicts right", "track")):
        if across and key in across["scores"]:
            counts = across["counts"]
            rows.append(("across documents", label, f"{across['scores'][key]} ({counts[part + '_right']}/{counts[part + '_cases']})"
                         f"{_delta_text('corpus.across.' + key, deltas)}"))
    return rows


def _extraction_cells(result: dict[str, Any], doc_id: str) -> list[str]:
    counts, scores = result["per_document"][doc_id]["counts"], result["per_document"][doc_id]["scores"]
    return [f"{counts['facts_right']}/{counts['facts']}", *(f"{scores[k]:.2f}" for k in ("headline_recall", "headline_all_fields", "zone_precision", "zone_recall")),
            f"{counts['traps_taken']}/{counts['traps']}"]


def _question_cells(summary: dict[str, Any], doc_id: str) -> list[str]:
    q = summary["per_document"][doc_id]["counts"]
    return [f"{q['correct'] + q['no_answer_right']}/{q['answerable'] + q['no_answer']}", f"{q['cited']}/{q['answerable']}",
            f"{q['no_answer_right']}/{q['no_answer']}"]


def _corpus_documents(corpus: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, columns, rows) per extraction engine, a row per document; question columns from the first answerer."""
    answers = corpus.get("questions", {}).get("answers", {})
    answerer = next(iter(answers), None)
    tables = []
    for engine, result in (corpus.get("extraction") or {None: None}).items():
        columns, rows = ["document"], [[doc_id] for doc_id in corpus["documents"]]
        if result is not None:
            columns += _CORPUS_EXTRACTION_COLUMNS
            for row in rows:
                row += _extraction_cells(result, row[0])
        if answerer is not None:
            columns += _CORPUS_QUESTION_COLUMNS
            for row in rows:
                row += _question_cells(answers[answerer], row[0])
        title = ", ".join(part for part in (engine and f"extraction: {engine}", answerer and f"questions: {answerer}") if part)
        tables.append((title, columns, rows))
    return tables


def _delta_text(key: str, deltas: dict[str, tuple[float, float | None]] | None) -> str:
    if not deltas or key not in deltas or deltas[key][1] is None:
        return ""
    change = deltas[key][1]
    return " (=)" if change == 0 else f" ({change:+.4f})"


def eval_markdown(report: dict[str, Any], deltas: dict[str, tuple[float, float | None]] | None = None) -> str:
    config = report["config"]
    lines = ["# plan-rag evaluation", "",
             f"- created: {report['created_at']}; engines: {', '.join(report['engines'])}; split: {report['split']}; "
             f"{report['seconds']} s",
             f"- version {config['plan_rag_version']}; schema {config['schema_hash']}; prompts {config['prompts_hash']}; "
             f"gold {config['gold_hash']}; questions {config['questions_hash']}",
             f"- embedder: {config['settings']['embedder']} (dim {config['settings']['embedding_dim']})", ""]
    for engine, result in report.get("extraction", {}).items():
        lines += [f"## Extraction: {engine} engine", "", "| section | metric | value |", "|---|---|---|"]
        for section, keys in _EXTRACTION_ROWS:
            for key in keys:
                flat_key = f"{engine}.{section}.{key}"
                lines.append(f"| {section} | {key} | {result[section][key]}{_delta_text(flat_key, deltas)} |")
        grounding = result["grounding"]
        lines.append(f"| grounding | text[span] == quote | {grounding['share']} ({grounding['grounded']}/{grounding['items']}) |")
        cost = result["cost"]
        lines += ["", f"Cost: {cost['llm_calls']} LLM calls, {cost['tokens_in']} tokens in, {cost['tokens_out']} out, "
                  f"{cost['cache_hits']} cache hits. {result['seconds']} s.", ""]
        lines += ["| document | indicators F1 | outline F1 | slogans F1 | facts wrong |", "|---|---|---|---|---|"]
        for doc_id, doc in result["per_document"].items():
            lines.append(f"| {doc_id} | {doc['indicators_f1']} | {doc['outline_f1']} | {doc['slogans_f1']} | {', '.join(doc['facts_wrong']) or '—'} |")
        lines.append("")
    if "qa" in report:
        qa = report["qa"]
        lines += ["## Retrieval", "",
                  f"{qa['questions']} questions ({qa['with_answer']} with an answer in the corpus, scored here; "
                  f"{qa['without_answer']} without).", "",
                  "| pipeline | " + " | ".join(_QA_COLUMNS) + " |", "|---" * (len(_QA_COLUMNS) + 1) + "|"]
        for name, summary in qa["pipelines"].items():
            cells = [f"{summary[c]}{_delta_text(f'qa.{name}.{c}', deltas)}" for c in _QA_COLUMNS]
            lines.append(f"| {name}: {summary['pipeline']} | " + " | ".join(cells) + " |")
        lines.append("")
        lines += ["## Answers", "", "| question set | engine | questions | accuracy | citation precision | citation recall | no-answer accuracy | p50 ms | p95 ms |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for name, summary in qa.get("answers", {}).items():
            cells = [f"{summary[c]}{_delta_text(f'answers.{name}.{c}', deltas)}" for c in _ANSWER_COLUMNS]
            lines.append(f"| {name} | {summary['engine']} | {summary['questions']} | " + " | ".join(cells) + " |")
        lines.append("")
    if "corpus" in report:
        lines += _corpus_markdown(report, deltas)
    return "\n".join(lines) + "\n"


def _corpus_markdown(report: dict[str, Any], deltas: dict[str, tuple[float, float | None]] | None) -> list[str]:
    corpus, config = report["corpus"], report["config"]
    lines = ["## Development corpus", "",
             f"{len(corpus['documents'])} documents from {md_escape(config['corpus_path'])} (gold {config['corpus_gold_hash']}), "
             "scored by the corpus's own rules.", "", "| section | measure | value |", "|---|---|---|"]
    lines += [f"| {section} | {label} | {value} |" for section, label, value in _corpus_overall(corpus, deltas)]
    for title, columns, rows in _corpus_documents(corpus):
        lines += ["", f"Per document ({title}):", "", "| " + " | ".join(columns) + " |", "|---" * len(columns) + "|"]
        lines += ["| " + " | ".join(md_escape(cell) for cell in row) + " |" for row in rows]
    for engine, result in corpus.get("extraction", {}).items():
        wrong_facts = [f"- {md_escape(doc_id)}: {name} {md_escape(repr(fact['predicted']))} ≠ {md_escape(repr(fact['gold']))}"
                       for doc_id, doc in result["per_document"].items() for name, fact in doc["facts_wrong"].items()]
        if wrong_facts:
            lines += ["", f"Wrong facts ({engine}):", "", *wrong_facts]
    across_misses = corpus.get("questions", {}).get("across", {}).get("misses", [])
    if across_misses:
        lines += ["", "Comparison and tracking misses:", "", *(f"- {md_escape(m)}" for m in across_misses)]
    for name, summary in corpus.get("questions", {}).get("answers", {}).items():
        if summary["wrong"]:
            lines += ["", f"Wrong answers ({name}):", ""]
            lines += [f"- {md_escape(w['id'])}: want {md_escape(', '.join(w['expected']) or 'no answer')}; "
                      f"got {md_escape(w['answer'])}" for w in summary["wrong"]]
    lines.append("")
    return lines


def print_eval(report: dict[str, Any], console: Any, deltas: dict[str, tuple[float, float | None]] | None = None) -> None:
    from rich.table import Table

    config = report["config"]
    console.print(f"plan-rag {config['plan_rag_version']} · engines {', '.join(report['engines'])} · split {report['split']} · "
                  f"{report['seconds']} s · schema {config['schema_hash']} · gold {config['gold_hash']}", markup=False)
    for engine, result in report.get("extraction", {}).items():
        table = Table(title=f"extraction: {engine}", title_justify="left")
        table.add_column("section")
        table.add_column("metric")
        table.add_column("value", justify="right")
        for section, keys in _EXTRACTION_ROWS:
            for key in keys:
                table.add_row(section, key, f"{result[section][key]}{_delta_text(f'{engine}.{section}.{key}', deltas)}")
        grounding = result["grounding"]
        table.add_row("grounding", "share", f"{grounding['share']} ({grounding['grounded']}/{grounding['items']})")
        cost = result["cost"]
        table.add_row("cost", "LLM calls / tokens", f"{cost['llm_calls']} / {cost['tokens_in']}+{cost['tokens_out']}")
        console.print(table)
    if "qa" in report:
        table = Table(title=f"retrieval ({report['qa']['with_answer']} answerable questions)", title_justify="left")
        table.add_column("pipeline")
        for column in _QA_COLUMNS:
            table.add_column(column, justify="right")
        for name, summary in report["qa"]["pipelines"].items():
            table.add_row(name, *[f"{summary[c]}{_delta_text(f'qa.{name}.{c}', deltas)}" for c in _QA_COLUMNS])
        console.print(table)
        answers = Table(title="answers", title_justify="left")
        answers.add_column("question set")
        answers.add_column("n", justify="right")
        for column in _ANSWER_COLUMNS:
            answers.add_column(column, justify="right")
        for name, summary in report["qa"].get("answers", {}).items():
            answers.add_row(name, str(summary["questions"]), *[f"{summary[c]}{_delta_text(f'answers.{name}.{c}', deltas)}" for c in _ANSWER_COLUMNS])
        console.print(answers)
    if "corpus" in report:
        _print_corpus(report, console, deltas)


def _print_corpus(report: dict[str, Any], console: Any, deltas: dict[str, tuple[float, float | None]] | None) -> None:
    from rich.table import Table
    from rich.text import Text

    corpus = report["corpus"]
    table = Table(title=f"corpus: {len(corpus['documents'])} documents, gold {report['config']['corpus_gold_hash']}", title_justify="left")
    for column in ("section", "measure"):
        table.add_column(column)
    table.add_column("value", justify="right")
    for row in _corpus_overall(corpus, deltas):
        table.add_row(*row)
    console.print(table)
    for title, columns, rows in _corpus_documents(corpus):
        documents = Table(title=f"corpus per document ({title})", title_justify="left")
        documents.add_column(columns[0], no_wrap=True)
        for column in columns[1:]:
            documents.add_column(column, justify="right")
        for doc_id, *cells in rows:
            documents.add_row(Text(doc_id), *cells)
        console.print(documents)


# ---- passages and answers ----------------------------------------------------------------------

def _source_header(number: int, doc_id: str, section: str, span: Any, extra: str = "", page: int | None = None) -> Any:
    """`[n] doc_id · p. 3 · section · [start, end)`: where a passage or citation comes from."""
    from rich.text import Text

    header = Text(f"[{number}] ", style="bold")
    header.append(doc_id, style="cyan")
    if page is not None:
        header.append(f" · p. {page}")
    if section:
        header.append(f" · {section}")
    header.append(f" · [{span.start}, {span.end}){extra}", style="dim")
    return header


def print_hits(query: str, hits: list[Any], console: Any) -> None:
    from rich.text import Text

    if not hits:
        console.print(f"no passages match {query!r}", markup=False)
        return
    for number, hit in enumerate(hits, start=1):
        console.print(_source_header(number, hit.doc_id, hit.section, hit.span, f"  score {hit.score:.4f}", hit.page))
        console.print(Text(hit.text.strip().replace("\r\n", "\n")))
        console.print()


def print_answer(answer: Any, passages: dict[int, tuple[str, Any]], console: Any) -> None:
    """The answer, then each source: document, section, span, and its passage with the cited words marked.

    `passages` maps a citation id to (passage text, passage span) around the citation."""
    from rich.text import Text

    console.print(Text(answer.answer, style="bold" if answer.found else "yellow"))
    if not answer.found:
        for note in answer.notes:
            console.print(Text(note, style="dim"))
        return
    console.print()
    for citation in answer.citations:
        console.print(_source_header(citation.id, citation.doc_id, citation.section, citation.span, page=citation.page))
        passage, span = passages[citation.id]
        body = Text(passage.replace("\r\n", "\n").replace("\r", "\n"))
        offset = citation.span.start - span.start
        # Shown with LF line ends, so each CRLF before the citation moves it one character left.
        start = offset - passage[:offset].count("\r\n")
        body.stylize("bold yellow reverse", start, start + len(citation.quote.replace("\r\n", "\n")))
        console.print(body)
        console.print()
    console.print(Text(f"engine: {answer.engine}", style="dim"))
