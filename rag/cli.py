"""The command line: a thin typer layer over the stages. Nothing heavy is imported at start-up.

Every command that prints results takes `--format json` (one JSON document on stdout, nothing else
there). Errors become one line on stderr and exit 1 (2 for usage errors); `RAG_DEBUG=1` shows the
traceback.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from collections.abc import Callable

    from rag.core.settings import Settings

app = typer.Typer(
    name="rag",
    help="Index, search and question Chinese local-government planning documents, with every answer grounded to its characters.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class EngineChoice(str, Enum):
    offline = "offline"
    openai = "openai"
    auto = "auto"


EngineOption = Annotated[
    EngineChoice | None,
    typer.Option("--engine", help="`offline` (rules, no model), `openai` (the configured model, its output verified against the text), "
                                  "or `auto` (openai when a key or base URL is set; env RAG_ENGINE).", show_default=False),
]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the model response cache.")]

FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="`text` for people, `json` for programs (one JSON document on stdout).")
]


class TableFormat(str, Enum):
    """The formats of tables (`rag table`, `compare`, `track`); rag/render/tables.py renders each."""

    text = "text"
    md = "md"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class Language(str, Enum):
    zh = "zh"
    en = "en"


TableFormatOption = Annotated[
    TableFormat, typer.Option("--format", "-f", help="`text` for people, `md` for reports, `csv` or `xlsx` for spreadsheets (xlsx needs --out), `json` for programs.")
]
TableOutOption = Annotated[Path | None, typer.Option("--out", help="Write to this file instead of stdout.", show_default=False)]
LanguageOption = Annotated[Language, typer.Option("--lang", help="Headers and labels in Chinese (`zh`) or English (`en`).")]


class Kind(str, Enum):
    target = "target"
    actual = "actual"
    baseline = "baseline"


# ---- shared options and output -----------------------------------------------------------------

def _version(value: bool) -> None:
    if value:
        from rag import __version__

        typer.echo(f"plan-rag {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
    ctx: typer.Context,
    store: Annotated[Path | None, typer.Option("--store", help="Store folder (default .rag/ here; env RAG_STORE).", show_default=False)] = None,
    chroma_url: Annotated[str | None, typer.Option("--chroma-url", help="Use a Chroma server, e.g. http://127.0.0.1:8000 (env RAG_CHROMA_URL).", show_default=False)] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Options every command shares."""
    ctx.obj = {"store": store, "chroma_url": chroma_url}


def _settings(ctx: typer.Context) -> Any:
    from rag.core.settings import load_settings

    root = ctx.find_root()
    return load_settings(**(root.obj or {}))


def _store(ctx: typer.Context) -> Any:
    return _open_store(_settings(ctx))


def _open_store(settings: Any) -> Any:
    """The store, telling the user on stderr what they should know of it (an interrupted write, a
    read-only store answering in part), once each."""
    from rag.index.store import Store

    return Store(settings, on_note=lambda message: _note(f"note: {message}"))


def _emit_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _note(message: str) -> None:
    """A line for people on stderr; stdout stays clean for `--format json`."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


# ---- ingest ------------------------------------------------------------------------------------

@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (searched recursively) of .txt, .md, .pdf, .docx, .html documents.", show_default=False)] = None,
    meta: Annotated[Path | None, typer.Option("--meta", help="CSV or JSON of facts to set by document (doc_id or file → region, region_parent, review_year, plan_year, doc_type, title); they win over the rules and survive re-ingest.", show_default=False)] = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Add documents to the store; unchanged files are passed over and changed ones replaced.

    A file that cannot be read is reported on stderr and skipped, the rest go in, and the exit
    status is then 1. Facts read by older rules are read again.
    """
    from rag.core.errors import UsageError

    if not paths and meta is None:
        raise UsageError("give files or folders to ingest (or --meta FILE)")
    facts = None
    if meta is not None:
        from rag.app import read_meta
        from rag.core.errors import InputFileError

        try:
            facts = read_meta(meta)
        except InputFileError as problem:
            raise UsageError(str(problem)) from None
    store = _store(ctx)
    report = _run_ingest(store, paths or [], show_progress=fmt is OutputFormat.text, meta=facts)
    if fmt is OutputFormat.json:
        _emit_json({"store": str(store.root), "chroma": store.describe(), **report.to_dict()})
    else:
        where = str(store.root) + (f" (vectors on {store.settings.chroma_url})" if store.settings.chroma_url else "")
        _console().print(f"ingested into {where}: {report.summary()}", markup=False)
    if report.skipped:
        raise typer.Exit(1)


def _run_ingest(store: Any, paths: list[Path], show_progress: bool, meta: dict[str, Any] | None = None) -> Any:
    from rag.app import ingest_paths

    def on_skip(skipped: Any) -> None:
        _note(f"skipped {skipped.path}: {skipped.reason}")

    def on_note(message: str) -> None:
        _note(f"note: {message}")

    if not (show_progress and sys.stderr.isatty()):
        return ingest_paths(paths, store, on_skip=on_skip, on_wait=_note, on_note=on_note, meta=meta)

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=_console(stderr=True), transient=True) as progress:
        task = progress.add_task("ingesting", total=None)

        def on_file(path: Path, number: int, total: int) -> None:
            progress.update(task, completed=number - 1, total=total, description=f"ingesting {path.name[:40]}")

        def on_wait(message: str) -> None:
            progress.console.print(message, markup=False)

        def on_skip_progress(skipped: Any) -> None:
            progress.console.print(f"skipped {skipped.path}: {skipped.reason}", markup=False)

        def on_indicators(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, description="reading indicators")

        report = ingest_paths(paths, store, on_file=on_file, on_wait=on_wait, on_skip=on_skip_progress,
                              on_note=lambda m: progress.console.print(f"note: {m}", markup=False), on_indicators=on_indicators, meta=meta)
        progress.update(task, completed=progress.tasks[0].total or 0)
    return report


# ---- docs --------------------------------------------------------------------------------------

def _short_source(source: str) -> str:
    """A source as the table shows it: relative to here when below it, else its folder and name."""
    path = Path(source)
    try:
        shown = str(path.relative_to(Path.cwd()))
    except ValueError:
        shown = str(Path(path.parent.name) / path.name)
    # A newline or tab in a file name is shown escaped, so each document stays on its row.
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in shown)


@app.command()
def docs(ctx: typer.Context, fmt: FormatOption = OutputFormat.text) -> None:
    """List the documents in the store: region, years, type and title (`*` marks a fact set with
    `rag ingest --meta`), sizes and chunk counts."""
    store = _store(ctx)
    manifest = store.load_manifest()
    rows = [
        {"doc_id": e.doc_id, **{k: e.effective_facts().get(k) for k in ("region", "region_parent", "plan_year", "review_year", "doc_type", "title")},
         "overridden": sorted(e.overrides), "chars": e.chars, "chunks": len(e.chunks), "bytes": e.size_bytes, "encoding": e.encoding,
         "source": e.source, "sha256": e.sha256, "ingested_at": e.ingested_at}
        for e in sorted(manifest.documents.values(), key=lambda e: e.doc_id)
    ]
    if fmt is OutputFormat.json:
        _emit_json({"store": str(store.root), "documents": rows})
        return
    if not rows:
        _console().print(f"no documents in {store.root}; run `rag ingest PATH`", markup=False)
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} documents in {store.root}", title_justify="left")
    # Narrow enough for a terminal: the id whole, the rest folded; JSON has every field.
    table.add_column("doc_id", no_wrap=True)
    for column in ("region", "plan", "review", "type", "chunks", "source"):
        table.add_column(column, justify="right" if column in ("chunks", "plan", "review") else "left", overflow="fold")

    def shown(row: dict[str, Any], key: str) -> str:
        value = "—" if row[key] is None else str(row[key])
        return value + ("*" if key in row["overridden"] else "")

    for row in rows:
        table.add_row(row["doc_id"], shown(row, "region"), shown(row, "plan_year"), shown(row, "review_year"), shown(row, "doc_type"),
                      str(row["chunks"]), _short_source(row["source"]))
    _console().print(table)


@app.command()
def remove(
    ctx: typer.Context,
    doc_ids: Annotated[list[str], typer.Argument(help="Ids of stored documents (see `rag docs`).", show_default=False)],
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Remove documents from the store: vectors, lexical index, manifest, texts and indicator rows.

    Under the write lock and crash-safe like ingest; nothing is removed when any id is unknown.
    The files they came from are not touched.
    """
    from rag.app import remove_documents

    store = _store(ctx)
    report = remove_documents(doc_ids, store, on_wait=_note)
    if fmt is OutputFormat.json:
        _emit_json({"store": str(store.root), **report.to_dict()})
        return
    _console().print(f"removed {len(report.removed)} document(s), {report.chunks} chunks, from {store.root}: "
                     f"{', '.join(report.removed)}", markup=False)


# ---- search ------------------------------------------------------------------------------------

@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What to look for, in simplified or traditional Chinese.", show_default=False)],
    k: Annotated[int, typer.Option("--k", "-k", min=1, max=200, help="How many passages to return.")] = 5,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only search this document id (repeatable).", show_default=False)] = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Hybrid search (dense + BM25, fused): ranked passages with document, section, span and score."""
    from rag.index.retrieval import Retriever

    _not_blank(query, "query")
    store = _store(ctx)
    hits = Retriever(store).search(query, k=k, doc_ids=doc or None)
    if fmt is OutputFormat.json:
        _emit_json({"query": query, "k": k, "hits": [h.to_dict() for h in hits]})
        return
    _print_hits(query, hits)


def _not_blank(text: str, what: str) -> None:
    from rag.core.errors import UsageError

    if not text.strip():
        raise UsageError(f"the {what} is empty; give some words to look for")


def _print_hits(query: str, hits: list[Any]) -> None:
    from rag.render.views import print_hits

    print_hits(query, hits, _console())


# ---- ask ---------------------------------------------------------------------------------------

@app.command()
def ask(
    ctx: typer.Context,
    question: Annotated[str | None, typer.Argument(help="A question in simplified or traditional Chinese.", show_default=False)] = None,
    batch: Annotated[str | None, typer.Option("--batch", help="Answer every line of this file (`-`: standard input) in one process, as JSON Lines.", show_default=False)] = None,
    k: Annotated[int, typer.Option("--k", "-k", min=1, max=50, help="How many passages to retrieve.")] = 8,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only use this document id (repeatable).", show_default=False)] = None,
    engine: EngineOption = None,
    no_cache: NoCacheOption = False,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Answer from the corpus with numbered citations, or say plainly that it does not hold the answer.

    Every citation is a span of the stored original text; its quote is checked against it.
    """
    from rag.core.errors import UsageError

    if (question is None) == (batch is None):
        raise UsageError("ask one QUESTION, or pass --batch FILE (one question per line; - for standard input)")
    if question is not None:
        _not_blank(question, "question")
    settings = _engine_settings(ctx, engine, no_cache)
    stamp = _manifest_stamp(Path(settings.store) / "manifest.json")  # before opening: a commit between is seen
    store = _open_store(settings)
    if question is not None and not doc and settings.resolved_engine() == "offline":
        # A question the indicator table answers needs no search: no vector index, no chromadb.
        from rag.answer.tabled import answer_from_table

        tabled = answer_from_table(store, question)
        if tabled is not None:
            _print_answer(tabled[0], fmt, None, store, tabled[1])
            return
    from rag.app import answerer as make_answerer
    from rag.index.retrieval import Retriever

    def opened(store: Any = None) -> tuple[Any, Any]:
        # A batch reopens with a new store after a commit: the old one caches texts of its manifest.
        retriever = Retriever(store or _open_store(settings))
        retriever.check_documents(doc or None)
        return retriever, make_answerer(retriever, settings, on_note=lambda m: _note(f"note: {m}"))

    retriever, answerer = opened(store)
    if batch is not None:
        _ask_batch(opened, (retriever, answerer), stamp, batch, k, doc or None)
        return
    assert question is not None
    usage = getattr(answerer, "usage", None)  # what a model engine spent; the offline engine spends nothing
    answer = answerer.answer(question, k=k, doc_ids=doc or None)
    _print_answer(answer, fmt, usage, retriever.store, retriever.manifest)


def _print_answer(answer: Any, fmt: OutputFormat, usage: Any, store: Any, manifest: Any = None) -> None:
    for note in answer.notes:
        _note(f"note: {note}")
    if fmt is OutputFormat.json:
        _emit_json({**answer.to_dict(), "usage": usage.to_dict() if usage else None})
        return
    from rag.render.views import print_answer

    manifest = manifest if manifest is not None else store.load_manifest()
    passages = {citation.id: _passage_around(store, manifest, citation) for citation in answer.citations}
    print_answer(answer, passages, _console())


# ---- across documents --------------------------------------------------------------------------

def _open_table(ctx: typer.Context) -> Any:
    """The store's indicator table; reading documents again (after a rules upgrade) shows a
    progress bar on a terminal."""
    from rag.extract.table import open_table

    store = _store(ctx)
    if not store.manifest_path.exists():
        raise _not_found(f"no documents in {store.root}; run `rag ingest PATH`")
    if not sys.stderr.isatty():
        return open_table(store, on_wait=_note)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=_console(stderr=True), transient=True) as progress:
        task = progress.add_task("reading indicators", total=None)
        return open_table(store, on_wait=_note, progress=lambda done, total: progress.update(task, completed=done, total=total))


def _not_found(message: str) -> Exception:
    from rag.core.errors import NotFoundError

    return NotFoundError(message)


def _print_table(fmt: TableFormat, grid: tuple[list[str], list[list[Any]]], title: str, payload: Any, out: Path | None = None) -> None:
    from rag.core.errors import UsageError
    from rag.render.tables import render, xlsx_bytes

    if fmt is TableFormat.xlsx:
        if out is None:
            raise UsageError("--format xlsx writes a file: add --out FILE.xlsx")
        out.write_bytes(xlsx_bytes(grid[0], grid[1], title))
        _note(f"wrote {out}")
        return
    content = render(fmt.value, grid[0], grid[1], title, payload)
    if out is None:
        sys.stdout.write(content)
    else:
        out.write_text(content, encoding="utf-8")
        _note(f"wrote {out}")


@app.command("table")
def table_command(
    ctx: typer.Context,
    region: Annotated[list[str] | None, typer.Option("--region", help="Only this region (repeatable).", show_default=False)] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only figures of this year.", show_default=False)] = None,
    kind: Annotated[Kind | None, typer.Option("--kind", help="Only targets, actuals or baselines.", show_default=False)] = None,
    metric: Annotated[str | None, typer.Option("--metric", help="A canonical key (`gdp`) or words of the metric as written.", show_default=False)] = None,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only this document id (repeatable).", show_default=False)] = None,
    lang: LanguageOption = Language.zh,
    fmt: TableFormatOption = TableFormat.text,
    out: TableOutOption = None,
) -> None:
    """Rows of the indicator table: every verified figure of every document with its region, year,
    kind, canonical metric, the value as stated, its quote and span."""
    from rag.answer.across import resolve
    from rag.render.tables import indicator_grid

    table = _open_table(ctx)
    wanted = resolve(metric) if metric else None
    rows = table.rows(region=region or None, year=year, kind=kind.value if kind else None, doc_id=doc or None,
                      metric=(wanted.key or wanted.asked) if wanted else None)
    _print_table(fmt, indicator_grid(rows, lang.value), f"{len(rows)} indicators", {"rows": rows}, out)


@app.command()
def compare(
    ctx: typer.Context,
    metrics: Annotated[list[str], typer.Argument(help="Metrics to compare: canonical keys (`gdp`) or names (`地区生产总值`, `GDP`).", show_default=False)],
    year: Annotated[int | None, typer.Option("--year", help="The year compared (default: the latest plan year in the store).", show_default=False)] = None,
    kind: Annotated[Kind, typer.Option("--kind", help="Targets of that year, or actuals reported for it.")] = Kind.target,
    change: Annotated[str | None, typer.Option("--change", help="`growth`, `level`, `delta` (default: growth where stated, else a level).", show_default=False)] = None,
    level: Annotated[str, typer.Option("--level", help="`province`, `local` (cities, districts, zones) or `all`.")] = "province",
    sort: Annotated[bool, typer.Option("--sort", help="Highest value of the first metric first.")] = False,
    lang: LanguageOption = Language.zh,
    fmt: TableFormatOption = TableFormat.text,
    out: TableOutOption = None,
) -> None:
    """A matrix, regions down and metrics across: each cell the value as the report states it, or why
    there is none (not stated in its report, or no report for that year)."""
    from rag.answer.across import compare as compare_regions
    from rag.render.tables import comparison_grid

    table = _open_table(ctx)
    if year is None:
        years = [d["plan_year"] if kind is Kind.target else d["review_year"] for d in table.documents()]
        year = max((y for y in years if y), default=None)
        if year is None:
            raise _not_found("no document in the store has a year; pass --year")
    comparison = compare_regions(table, metrics, year, kind.value, change, level, sort)
    title = f"{year}年{'目标' if kind is Kind.target else '实际'}" if lang is Language.zh else f"{kind.value}s of {year}"
    _print_table(fmt, comparison_grid(comparison, lang.value), title, comparison.to_dict(), out)


@app.command()
def track(
    ctx: typer.Context,
    region: Annotated[str, typer.Argument(help="The region, as its documents name it (`海拉尔区`).", show_default=False)],
    metric: Annotated[str | None, typer.Option("--metric", help="Only this metric (a canonical key or a name).", show_default=False)] = None,
    lang: LanguageOption = Language.zh,
    fmt: TableFormatOption = TableFormat.text,
    out: TableOutOption = None,
) -> None:
    """Year over year: the target of year N (from report N) beside the result for year N (from report
    N+1), judged met, not met or within the stated tolerance; "no result reported" where the next
    report gives none."""
    from dataclasses import asdict

    from rag.answer.across import track as track_region
    from rag.render.tables import tracking_grid

    table = _open_table(ctx)
    if not any(d.get("region") == region for d in table.documents()):
        raise _not_found(f"no document in the store is about {region!r}; `rag docs` lists the regions")
    tracks = track_region(table, region, metric)
    _print_table(fmt, tracking_grid(tracks, lang.value), region, {"region": region, "tracks": [asdict(t) for t in tracks]}, out)


def _ask_batch(opened: Callable[..., tuple[Any, Any]], first: tuple[Any, Any], stamp: Any, source: str, k: int,
               doc_ids: list[str] | None) -> None:
    """One JSON line per question line (blank lines skipped), answered by one answerer: the store, its
    indexes and the indicator table are opened once, and again when a write commits during the batch
    (a long batch beside an ingest answers from the newest committed state, and never from texts the
    next write has pruned)."""
    from rag.core.errors import InputFileError, StoreError

    if source == "-":
        lines = sys.stdin.read().splitlines()
    else:
        try:
            lines = Path(source).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputFileError(Path(source), f"cannot read the questions ({exc})") from None
    retriever, answerer = first
    manifest, seen = retriever.store.manifest_path, stamp
    for number, line in enumerate(lines, start=1):
        question = line.strip()
        if not question:
            continue
        if _manifest_stamp(manifest) != seen:
            seen = _manifest_stamp(manifest)
            retriever, answerer = opened()
        try:
            answer = answerer.answer(question, k=k, doc_ids=doc_ids)
        except StoreError:
            # Two writes committed while this question was answered: once more, from the newest state.
            seen = _manifest_stamp(manifest)
            retriever, answerer = opened()
            answer = answerer.answer(question, k=k, doc_ids=doc_ids)
        sys.stdout.write(json.dumps({"line": number, **answer.to_dict()}, ensure_ascii=False) + "\n")
        sys.stdout.flush()


def _manifest_stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_ino  # replaced atomically: a new file each commit


def _passage_around(store: Any, manifest: Any, citation: Any) -> tuple[str, Any]:
    """The sentence that holds a citation, to show it in context at a glance."""
    from rag.answer.base import sentence_around

    text = store.text(citation.doc_id, manifest)
    span = sentence_around(text, citation.span)
    return span.of(text), span


# ---- doctor ------------------------------------------------------------------------------------

@app.command()
def doctor(
    ctx: typer.Context,
    repair: Annotated[bool, typer.Option("--repair", help="Repair what can be repaired (takes the write lock).")] = False,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Check the store is consistent: manifest, texts, Chroma and the lexical index agree.

    Exit status 1 when a problem remains (run again with --repair).
    """
    from rag.app import check_store as check

    store = _store(ctx)
    checkup = check(store, repair=repair, on_wait=_note)
    if fmt is OutputFormat.json:
        _emit_json({"store": str(store.root), **checkup.to_dict()})
    else:
        console = _console()
        for finding in checkup.findings:
            console.print(finding.line(), markup=False)
        for note in checkup.notes:
            console.print(f"not checked: {note}", markup=False)
        state = "healthy" if checkup.healthy else "needs repair (rag doctor --repair)"
        console.print(f"{store.root}: {checkup.documents} documents, {checkup.chunks} chunks; {state}", markup=False)
    if not checkup.healthy:
        raise typer.Exit(1)


# ---- extract -----------------------------------------------------------------------------------

class ExtractFormat(str, Enum):
    text = "text"
    json = "json"
    md = "md"


@app.command()
def extract(
    ctx: typer.Context,
    targets: Annotated[list[str], typer.Argument(help="Files, folders, or ids of ingested documents.", show_default=False)],
    fmt: Annotated[ExtractFormat, typer.Option("--format", "-f", help="`text` (tree and tables), `json` (the record), `md` (a Markdown report).")] = ExtractFormat.text,
    out: Annotated[Path | None, typer.Option("--out", help="Write one <doc_id>.json per document into this folder.", show_default=False)] = None,
    engine_name: EngineOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Extract each document's facts, outline, indicators and slogans, every item tied to its span.

    Works on files directly (no ingest needed) or on documents already in the store. Every item
    is verified against the original text; anything that does not hold is dropped and reported.
    """
    from rag.extract.verify import verify_record

    settings = _engine_settings(ctx, engine_name, no_cache)
    engine = _extraction_engine(settings)
    records = []
    failures = 0
    for doc_id, text, problem in _extract_sources(ctx, targets):
        if problem is not None:
            _note(f"skipped {problem}")
            failures += 1
            continue
        record, verification = verify_record(engine.extract(doc_id, text), text)
        if verification.dropped:
            _note(f"{doc_id}: dropped {len(verification.dropped)} item(s) not found at their spans: {verification.dropped[0]}")
        records.append(record)
        if out is not None:
            _write_record(out, record)
    if fmt is ExtractFormat.json:
        payload = [r.to_json_dict() for r in records]
        _emit_json(payload[0] if len(targets) == 1 and len(payload) == 1 and not Path(targets[0]).is_dir() else payload)
    elif fmt is ExtractFormat.md:
        from rag.render.views import record_markdown

        sys.stdout.write("\n".join(record_markdown(r) for r in records))
    else:
        from rag.render.views import print_record

        console = _console()
        for record in records:
            print_record(record, console)
    if out is not None:
        _note(f"wrote {len(records)} record(s) to {out}")
    _report_model_use(engine)
    if failures:
        raise typer.Exit(1)


def _engine_settings(ctx: typer.Context, engine: Any, no_cache: bool) -> Any:
    settings = _settings(ctx)
    update: dict[str, Any] = {}
    if engine is not None:
        update["engine"] = engine.value
    if no_cache:
        update["use_cache"] = False
    return settings.model_copy(update=update) if update else settings


def _extraction_engine(settings: Settings) -> Any:
    from rag.app import extractor

    return extractor(settings, on_note=lambda m: _note(f"note: {m}"))


def _report_model_use(engine: Any) -> None:
    """One line on what the model cost and where it fell short, for the openai engine."""
    stats = getattr(engine, "stats", None)
    if stats is None:
        return
    usage = engine.usage.to_dict()
    aligned = ", ".join(f"{count} {how}" for how, count in stats.aligned.items())
    _note(f"openai engine: {stats.sections} sections, {stats.fallback_sections} fell back to rules, "
          f"items placed in the text {aligned}, {stats.dropped_unaligned} not found and dropped, {stats.dropped_invalid} invalid; "
          f"{usage['llm_calls']} calls, {usage['tokens_in']} tokens in, {usage['tokens_out']} out, {usage['cache_hits']} cache hits")
    for note in stats.notes[:3]:
        _note(f"note: {note}")


def _extract_sources(ctx: typer.Context, targets: list[str]):
    """(doc_id, text, None) for each document named, or (None, None, problem) for one that cannot be read."""
    from rag.core.errors import InputFileError
    from rag.ingest.loading import discover, load_document

    store = None
    for target in targets:
        path = Path(target)
        if path.exists():
            files, problems = discover([path])
            for problem in problems:
                yield None, None, str(problem)
            for file in files:
                try:
                    document = load_document(file)
                except InputFileError as problem:
                    yield None, None, str(problem)
                    continue
                yield document.doc_id, document.text, None
            continue
        store = store or _store(ctx)
        manifest = store.load_manifest()
        if target in manifest.documents:
            yield target, store.text(target, manifest), None
        else:
            yield None, None, f"{target}: no such file, and no document with that id in {store.root}"


def _output_path(folder: Path, stem: str, suffix: str) -> Path:
    """A file for `stem` (a document id, from a file name) directly inside `folder`, never outside it."""
    import re

    from rag.core.errors import RagError

    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.\-]", "_", stem).lstrip(".") or "document"
    target = (folder / f"{name}.{suffix}").resolve()
    if target.parent != folder.resolve():
        raise RagError(f"refusing to write outside {folder}: {stem!r}")
    return target


def _write_record(folder: Path, record: Any) -> None:
    _output_path(folder, record.doc_id, "json").write_text(
        json.dumps(record.to_json_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# ---- brief -------------------------------------------------------------------------------------

class BriefFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"


@app.command()
def brief(
    ctx: typer.Context,
    targets: Annotated[list[str] | None, typer.Argument(help="Files, folders or ingested document ids; several make a comparison.", show_default=False)] = None,
    all_documents: Annotated[bool, typer.Option("--all", help="Every document in the store, compared.")] = False,
    fmt: Annotated[BriefFormat, typer.Option("--format", "-f", help="`md`, `html` (one self-contained page) or `json`.")] = BriefFormat.md,
    out: Annotated[Path | None, typer.Option("--out", help="Write the briefing into this folder instead of stdout.", show_default=False)] = None,
    engine_name: EngineOption = None,
    no_cache: NoCacheOption = False,
    lang: LanguageOption = Language.zh,
) -> None:
    """Write a briefing: what a region promises, in numbers, and where it says so.

    One document: facts, slogans decoded, priorities, targets and actuals (paired), projects.
    Several: the same, plus metrics, themes and slogans side by side. Every line is cited.
    `--all` over more than a handful of reports: the headline metrics as matrices and sorted charts
    and a section per region, from the indicator table.
    """
    from rag.brief.briefing import build_briefing, section_lookup
    from rag.core.errors import UsageError
    from rag.extract.verify import verify_record
    from rag.render.brief_markdown import to_markdown

    settings = _engine_settings(ctx, engine_name, no_cache)
    if all_documents:
        store = _store(ctx)
        stored = sorted(store.load_manifest().documents)
        if len(stored) > _CORPUS_BRIEF_FROM and not targets:
            _corpus_brief(ctx, fmt, out, lang)
            return
        targets = stored + list(targets or [])
    if not targets:
        raise UsageError("name documents to brief, or pass --all")
    engine = _extraction_engine(settings)
    texts: dict[str, str] = {}
    records = []
    failures = 0
    for doc_id, text, problem in _extract_sources(ctx, targets):
        if problem is not None:
            _note(f"skipped {problem}")
            failures += 1
            continue
        texts[doc_id] = text
        records.append((verify_record(engine.extract(doc_id, text), text)[0], text))
    if not records:
        raise UsageError("no document could be read")
    briefing = build_briefing(records, section_lookup(texts))
    from rag.app import summarizer

    usage = summarizer(settings, on_note=lambda m: _note(f"note: {m}")).summarize(briefing)
    if usage is not None:
        _note(f"openai summary: {len(briefing.summary)} sentence(s) kept; {usage.to_dict()['llm_calls']} calls, "
              f"{usage.to_dict()['cache_hits']} cache hits")
    _report_model_use(engine)
    if fmt is BriefFormat.json:
        content = json.dumps(briefing.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif fmt is BriefFormat.html:
        from rag.render.html import to_html

        content = to_html(briefing, lang.value)
    else:
        content = to_markdown(briefing, lang.value)
    if out is None:
        sys.stdout.write(content)
    else:
        target = _output_path(out, records[0][0].doc_id if len(records) == 1 else "comparison", fmt.value)
        target.write_text(content, encoding="utf-8")
        _note(f"wrote {target}")
    if failures:
        raise typer.Exit(1)


# More documents than this in `rag brief --all` get the corpus briefing (matrices, charts, regions).
_CORPUS_BRIEF_FROM = 6


def _corpus_brief(ctx: typer.Context, fmt: Any, out: Path | None, lang: Language) -> None:
    from rag.render import corpus_brief

    table = _open_table(ctx)
    brief = corpus_brief.build(table)
    if fmt.value == "json":
        content = json.dumps(brief, ensure_ascii=False, indent=2) + "\n"
    elif fmt.value == "html":
        content = corpus_brief.to_html(brief, lang.value)
    else:
        content = corpus_brief.to_markdown(brief, lang.value)
    if out is None:
        sys.stdout.write(content)
        return
    target = _output_path(out, "corpus", fmt.value)
    target.write_text(content, encoding="utf-8")
    _note(f"wrote {target}")


# ---- eval --------------------------------------------------------------------------------------

class EvalEngine(str, Enum):
    offline = "offline"
    openai = "openai"
    all = "all"


class EvalSplit(str, Enum):
    extraction = "extraction"
    qa = "qa"
    all = "all"


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    md = "md"


@app.command("eval")
def evaluate(
    ctx: typer.Context,
    engine: Annotated[EvalEngine, typer.Option("--engine", help="Which extraction engine(s) to score; `all` scores every engine available.")] = EvalEngine.all,
    split: Annotated[EvalSplit, typer.Option("--split", help="`extraction` (gold records), `qa` (question set), or `all`.")] = EvalSplit.all,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="`table` on the terminal, `json` or `md`.")] = ReportFormat.table,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the report to this file (.json or .md by its suffix).", show_default=False)] = None,
    baseline: Annotated[Path | None, typer.Option("--baseline", help="An earlier JSON report: show changes against it.", show_default=False)] = None,
    minimum: Annotated[list[str] | None, typer.Option("--min", help="KEY=VALUE: exit 1 if metric KEY is below VALUE (repeatable).", show_default=False)] = None,
    thresholds: Annotated[Path | None, typer.Option("--thresholds", help="A JSON file of {KEY: minimum}, as --min.", show_default=False)] = None,
    corpus: Annotated[Path | None, typer.Option("--corpus", help="Also score a corpus folder of real reports with gold/ (e.g. ../shared/corpus); "
                                                                 "skipped with a note when absent, an error when CI=true.", show_default=False)] = None,
) -> None:
    """Score extraction against the gold records and retrieval against the question set.

    Runs offline on fresh temporary stores; the report records engines, settings (no secrets) and
    hashes of schemas, prompts, gold and questions. Retrieval is shown beside a plain pipeline
    (fixed-size chunks, dense only, same embedder). With --corpus, the report gains a `corpus`
    section: that folder's documents scored by its own rules, its questions answered from one store
    of all its documents and the seeds.
    """
    from rag.core.errors import UsageError
    from rag.evaluation.run import below_thresholds, deltas, run_evaluation

    minimums = _parse_minimums(minimum or [], thresholds)
    settings = _settings(ctx)
    if engine is EvalEngine.openai and not settings.model_configured:
        raise UsageError("--engine openai needs a model: set OPENAI_API_KEY or OPENAI_BASE_URL (or RAG_OPENAI_*)")
    use_model = engine is not EvalEngine.offline and settings.model_configured
    answer_engines = ("offline",) + (("openai",) if use_model else ())
    from rag.app import answerer, extractor, ingest_paths

    engines = [extractor(settings, kind, on_note=lambda m: _note(f"note: {m}")) for kind in answer_engines]
    report = run_evaluation(settings, engines, split.value, answer_engines=answer_engines, corpus_dir=_corpus_folder(corpus),
                            ingest=lambda paths, store: ingest_paths(paths, store),
                            make_answerer=lambda retriever, kind: answerer(retriever, settings, kind))
    changes = None
    if baseline is not None:
        try:
            changes = deltas(report["metrics"], json.loads(baseline.read_text(encoding="utf-8"))["metrics"])
        except (OSError, ValueError, KeyError) as exc:
            raise UsageError(f"--baseline {baseline}: not a JSON eval report ({exc})") from None
        report["baseline"] = {"file": str(baseline), "deltas": {k: d for k, (_, d) in changes.items() if d is not None}}
    from rag.render.views import eval_markdown, print_eval

    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        content = eval_markdown(report, changes) if out.suffix.lower() == ".md" else json.dumps(report, ensure_ascii=False, indent=2) + "\n"
        out.write_text(content, encoding="utf-8")
    if fmt is ReportFormat.json:
        _emit_json(report)
    elif fmt is ReportFormat.md:
        sys.stdout.write(eval_markdown(report, changes))
    else:
        print_eval(report, _console(), changes)
    failures = below_thresholds(report["metrics"], minimums)
    if failures:
        from rag.core.errors import RagError

        raise RagError(f"eval below thresholds: {'; '.join(failures)}")


def _corpus_folder(folder: Path | None) -> Path | None:
    """The corpus folder to score, or None: absent (or without gold/) it is skipped, except under CI."""
    if folder is None or (folder / "gold").is_dir():
        return folder
    if os.environ.get("CI") == "true":
        from rag.core.errors import RagError

        raise RagError(f"--corpus {folder}: no such corpus folder (with a gold/ folder); CI needs it")
    _note(f"note: corpus folder {folder} is absent (no gold/ folder there); skipping it, the seeds are still scored")
    return None


def _parse_minimums(pairs: list[str], thresholds: Path | None) -> dict[str, float]:
    from rag.core.errors import UsageError

    minimums: dict[str, float] = {}
    if thresholds is not None:
        try:
            minimums.update({k: float(v) for k, v in json.loads(thresholds.read_text(encoding="utf-8")).items()})
        except (OSError, ValueError, AttributeError) as exc:
            raise UsageError(f"--thresholds {thresholds}: expected a JSON object of numbers ({exc})") from None
    for pair in pairs:
        key, sep, value = pair.partition("=")
        try:
            minimums[key.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep or not key.strip():
            raise UsageError(f"--min {pair!r}: expected KEY=NUMBER, e.g. offline.indicators.f1=0.9")
    return minimums


# ---- demo --------------------------------------------------------------------------------------

DEMO_QUERIES = ("2014年地区生产总值增长目标", "章丘126布局中的六大突破", "招引世界500强项目")
DEMO_QUESTIONS = ("2014年开发区地区生产总值的增长目标是多少？", "章丘“126”布局中的“6”是哪六大突破？", "2015年开发区地区生产总值的增长目标是多少？")


@app.command()
def demo(
    ctx: typer.Context,
    seeds: Annotated[Path | None, typer.Option("--seeds", help="Folder of sample documents (default: the checkout's seeds/).", show_default=False)] = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Offline tour: ingest the sample corpus, search it, extract every document, ask, write a briefing."""
    from rag.app import answerer, extractor
    from rag.brief.briefing import build_briefing, section_lookup
    from rag.core.errors import RagError
    from rag.extract.verify import verify_record
    from rag.index.retrieval import Retriever
    from rag.render.html import to_html

    folder = seeds or Path(__file__).resolve().parent.parent / "seeds"
    if not folder.is_dir():
        raise RagError(f"sample corpus not found at {folder}; pass --seeds FOLDER")
    store = _store(ctx)
    report = _run_ingest(store, [folder], show_progress=fmt is OutputFormat.text)
    retriever = Retriever(store)
    searches = [(q, retriever.search(q, k=3)) for q in DEMO_QUERIES]
    engine = extractor(store.settings, "offline")
    texts = {doc_id: store.text(doc_id, retriever.manifest) for doc_id in sorted(retriever.manifest.documents)}
    records = [verify_record(engine.extract(doc_id, text), text)[0] for doc_id, text in texts.items()]
    offline = answerer(retriever, store.settings, "offline")
    answers = [offline.answer(q) for q in DEMO_QUESTIONS]
    briefing_path = Path(store.root) / "briefings" / "comparison.html"
    briefing_path.parent.mkdir(parents=True, exist_ok=True)
    briefing_path.write_text(to_html(build_briefing([(r, texts[r.doc_id]) for r in records], section_lookup(texts))), encoding="utf-8")
    if fmt is OutputFormat.json:
        _emit_json({"store": str(store.root), "chroma": store.describe(), "ingest": report.to_dict(),
                    "searches": [{"query": q, "hits": [h.to_dict() for h in hits]} for q, hits in searches],
                    "records": [r.to_json_dict() for r in records], "answers": [a.to_dict() for a in answers],
                    "briefing": str(briefing_path)})
        return
    console = _console()
    console.print(f"ingested {folder} into {store.describe()}: {report.summary()}", markup=False)
    console.print()
    ctx.invoke(docs, ctx=ctx, fmt=OutputFormat.text)
    for query, hits in searches:
        console.print()
        console.rule(f"rag search {query!r} --k 3")
        _print_hits(query, hits)
    from rag.render.views import print_indicators, print_summary

    console.print()
    console.rule("rag extract (every document)")
    print_summary(records, console)
    with_targets = max(records, key=lambda r: sum(1 for i in r.indicators if i.kind.value == "target"))
    print_indicators(with_targets, console, kind="target")
    from rag.render.views import print_answer

    for answer in answers:
        console.print()
        console.rule(f"rag ask {answer.question!r}")
        print_answer(answer, {c.id: _passage_around(store, retriever.manifest, c) for c in answer.citations}, console)
    console.print()
    console.print(f"Briefing of all five documents, with a chart and cited sources: {briefing_path}", markup=False)
    console.print("Next: `rag extract FILE|DOC_ID`, `rag ask QUESTION`, `rag brief --all --format html --out DIR`, `rag eval`.", markup=False)


# ---- entry point -------------------------------------------------------------------------------

def _debug() -> bool:
    return os.environ.get("RAG_DEBUG", "").strip().lower() not in ("", "0", "false", "no")


def main(argv: list[str] | None = None) -> None:
    try:
        result = app(args=argv, prog_name="rag", standalone_mode=False)
    except typer.Abort:
        _note("error: aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        _note("error: interrupted")
        sys.exit(130)
    except typer.TyperException as exc:
        # Usage errors (typer's own click): one line, and exit 2.
        ctx = getattr(exc, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        _note(f"error: {message}{hint}")
        sys.exit(getattr(exc, "exit_code", 2))
    except Exception as exc:
        from rag.core.errors import RagError

        if _debug():
            raise
        if isinstance(exc, RagError):
            _note(f"error: {exc}")
            sys.exit(exc.exit_code)
        _note(f"error: unexpected {type(exc).__name__}: {exc} (set RAG_DEBUG=1 for the traceback)")
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)
