"""Evaluation: how far to trust the tool, measured the same way every time.

Extraction: every engine's records for the seeds against the hand-made gold in `evals/gold/`.
Question answering: retrieval over the seeds for every case of `evals/questions.json`, for our
hybrid pipeline and, beside it, a plain pipeline of the kind most tutorials build (fixed-size
character chunks, dense-only retrieval with the same embedder). Stores are built afresh in a
temporary folder, so a report never depends on what the user has ingested.

With a corpus folder (`rag eval --corpus`, the development corpus of real reports beside the
repository), the report gains a `corpus` section scored by that corpus's own rules.

A report records what produced it (engines, settings without secrets, hashes of the schemas,
prompts, gold and questions, and the corpus folder and its gold) and a flat `metrics` map that
`--baseline` compares and `--min` gates.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rag.core.spans import Span
from rag.evaluation.scoring import PRF, Agreement, RetrievalScore, grounded_share, score_indicators, score_outline, score_slogans

if TYPE_CHECKING:
    from rag.core.settings import Settings

REPO = Path(__file__).resolve().parents[2]
EVALS = REPO / "evals"
FACT_FIELDS = ("title", "region", "doc_type", "review_year", "plan_year")
RANK_DEPTH = 10
PEER_CHUNK, PEER_OVERLAP = 500, 50


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def configuration(settings: Settings, gold_dir: Path, questions: Path) -> dict[str, Any]:
    from rag import __version__
    from rag.core.records import json_schemas

    schema_text = "".join(text for _, text in sorted(json_schemas().items()))
    return {
        "plan_rag_version": __version__,
        "settings": settings.public_dict(),
        "schema_hash": hashlib.sha256(schema_text.encode()).hexdigest()[:16],
        "prompts_hash": _digest([p for p in (REPO / "prompts").glob("*") if p.is_file()]),
        "gold_hash": _digest(list(gold_dir.glob("*.json"))),
        "questions_hash": _digest([questions]) if questions.exists() else None,
    }


# ---- extraction --------------------------------------------------------------------------------

def evaluate_extraction(engine: Any, gold_dir: Path, seeds_dir: Path) -> dict[str, Any]:
    from rag.extract.verify import verify_record
    from rag.ingest.loading import load_document

    indicators, outline, slogans = PRF(), PRF(), PRF()
    fields: dict[str, Agreement] = {k: Agreement() for k in ("kind", "comparator", "year", "change", "metric")}
    parent = Agreement()
    facts = {k: Agreement() for k in FACT_FIELDS}
    members_found = members_gold = grounded = items = 0
    per_document: dict[str, Any] = {}
    started = time.perf_counter()
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        doc_id = gold["doc_id"]
        text = load_document(seeds_dir / f"{doc_id}.txt").text
        raw = engine.extract(doc_id, text)
        # Grounding is measured on what the engine produced, before the verifier drops anything.
        ok, total = grounded_share(raw.to_json_dict(), text)
        grounded, items = grounded + ok, items + total
        predicted = verify_record(raw, text)[0].to_json_dict()

        ind = score_indicators(predicted["indicators"], gold["indicators"])
        out = score_outline(predicted["outline"], gold["outline"])
        slo = score_slogans(predicted["slogans"], gold["slogans"])
        indicators.add(ind.match)
        outline.add(out.match)
        slogans.add(slo.match)
        for key, agreement in ind.fields.items():
            fields[key].agree += agreement.agree
            fields[key].total += agreement.total
        parent.agree += out.parent.agree
        parent.total += out.parent.total
        members_found += slo.members_found
        members_gold += slo.members_gold
        for key in FACT_FIELDS:
            facts[key].add(predicted.get(key) == gold.get(key))
        per_document[doc_id] = {
            "indicators_f1": round(ind.match.f1, 4), "outline_f1": round(out.match.f1, 4), "slogans_f1": round(slo.match.f1, 4),
            "missed_indicators": [i["quote"] for i in ind.missed], "spurious_indicators": [i["quote"] for i in ind.spurious],
            "facts_wrong": [k for k in FACT_FIELDS if predicted.get(k) != gold.get(k)],
        }
    return {
        "indicators": {**indicators.to_dict(), **{f"{k}_accuracy": round(v.accuracy, 4) for k, v in fields.items()}},
        "outline": {**outline.to_dict(), "parent_accuracy": round(parent.accuracy, 4)},
        "slogans": {**slogans.to_dict(), "member_recall": round(members_found / members_gold if members_gold else 1.0, 4)},
        "facts": {**{k: round(v.accuracy, 4) for k, v in facts.items()},
                  "accuracy": round(sum(v.agree for v in facts.values()) / max(1, sum(v.total for v in facts.values())), 4)},
        "grounding": {"grounded": grounded, "items": items, "share": round(grounded / items if items else 1.0, 4)},
        "cost": getattr(engine, "cost", lambda: {"llm_calls": 0, "tokens_in": 0, "tokens_out": 0, "cache_hits": 0})(),
        "seconds": round(time.perf_counter() - started, 3),
        "per_document": per_document,
    }


# ---- question answering ------------------------------------------------------------------------

class PlainPipeline:
    """The usual tutorial pipeline: fixed-size character windows, dense-only search, same embedder."""

    name = "peer"

    def __init__(self, folder: Path, settings: Settings, seeds: list[tuple[str, str]]) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        from rag.index.embeddings import embedding_function

        self.embed = embedding_function(settings)
        client = chromadb.PersistentClient(path=str(folder), settings=ChromaSettings(anonymized_telemetry=False))
        self.collection: Any = client.get_or_create_collection(
            "peer_fixed", embedding_function=cast(Any, self.embed), configuration={"hnsw": {"space": "cosine"}}
        )
        ids: list[str] = []
        texts: list[str] = []
        metadatas: list[Any] = []
        for doc_id, text in seeds:
            for start in range(0, len(text), PEER_CHUNK - PEER_OVERLAP):
                end = min(len(text), start + PEER_CHUNK)
                ids.append(f"{doc_id}:{start}")
                texts.append(text[start:end])
                metadatas.append({"doc_id": doc_id, "start": start, "end": end})
                if end == len(text):
                    break
        self.collection.add(ids=ids, documents=texts, metadatas=metadatas, embeddings=self.embed(texts))
        self.chunks = len(ids)

    def ranked(self, question: str, k: int) -> list[tuple[str, Span]]:
        result = self.collection.query(query_embeddings=[self.embed([question])[0]], n_results=k, include=["metadatas"])
        return [(m["doc_id"], Span(m["start"], m["end"])) for m in result["metadatas"][0]]


def _retrieval_summary(name: str, score: RetrievalScore, latencies: list[float], chunks: int) -> dict[str, Any]:
    ordered = sorted(latencies)
    return {
        "pipeline": name, "chunks": chunks, "questions": score.questions,
        **{f"recall@{k}": round(score.recall(k), 4) for k in score.ks},
        "mrr": round(score.mrr, 4),
        "latency_ms_p50": round(statistics.median(ordered), 2) if ordered else None,
        "latency_ms_p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2) if ordered else None,
    }


def _fresh_settings(settings: Settings, folder: Path) -> Any:
    """The settings with a local store in `folder`, so an eval never touches the user's store."""
    from rag.core.settings import Settings

    return Settings(**{**settings.model_dump(), "store": folder / "store", "chroma_url": None})


# How documents get into a store: lent by the caller (`rag.app.ingest_paths`), since ingesting runs
# the extraction and composition above this stage.
Ingest = Callable[[list[Path], Any], Any]


def _ingested(settings: Settings, paths: list[Path], ingest: Ingest | None) -> Any:
    """A retriever over a new store holding `paths`."""
    from rag.index.retrieval import Retriever
    from rag.index.store import Store

    if ingest is None:
        raise ValueError("scoring questions needs an ingest function (rag.app.ingest_paths)")
    store = Store(settings)
    ingest(paths, store)
    return Retriever(store)


# How an answering engine of a kind (`offline`, `openai`) is made: lent by the caller
# (`rag.app.answerer`), where engines are chosen.
MakeAnswerer = Callable[[Any, str], Any]


def _answerers(retriever: Any, answer_engines: tuple[str, ...], make: MakeAnswerer | None) -> list[Any]:
    if make is None:
        raise ValueError("scoring answers needs an answerer factory (rag.app.answerer)")
    return [make(retriever, kind) for kind in answer_engines]


def _answer_cost(answerer: Any) -> dict[str, int]:
    usage = getattr(answerer, "usage", None)
    return usage.to_dict() if usage else {"llm_calls": 0, "tokens_in": 0, "tokens_out": 0, "cache_hits": 0}


def evaluate_answers(answerer: Any, cases: list[dict[str, Any]]) -> dict[str, Any]:
    """Answer accuracy, citations, no-answer accuracy and latency of one answerer over a question set."""
    from rag.evaluation.scoring import AnswerScore

    score = AnswerScore()
    latencies: list[float] = []
    wrong: list[str] = []
    for case in cases:
        t0 = time.perf_counter()
        answer = answerer.answer(case["question"])
        latencies.append((time.perf_counter() - t0) * 1000)
        if not score.add(case, answer.answer, answer.found, [(c.doc_id, c.span) for c in answer.citations]):
            wrong.append(case["id"])
    ordered = sorted(latencies)
    return {
        "engine": answerer.name, "questions": len(cases),
        "accuracy": round(score.accuracy, 4), "citation_precision": round(score.citation_precision, 4),
        "citation_recall": round(score.citation_recall, 4), "no_answer_accuracy": round(score.no_answer_accuracy, 4),
        "latency_ms_p50": round(statistics.median(ordered), 2) if ordered else None,
        "latency_ms_p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2) if ordered else None,
        "wrong": wrong,
    }


def evaluate_qa(settings: Settings, questions_path: Path, seeds_dir: Path, holdout: Path | None = None,
                answer_engines: tuple[str, ...] = ("offline",), ingest: Ingest | None = None, make_answerer: MakeAnswerer | None = None) -> dict[str, Any]:
    from rag.ingest.loading import load_document

    cases = json.loads(questions_path.read_text(encoding="utf-8"))
    answerable = [c for c in cases if c.get("answers")]
    seeds = [(p.stem, load_document(p).text) for p in sorted(seeds_dir.glob("*.txt"))]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rag-eval-") as folder:
        local = _fresh_settings(settings, Path(folder))
        retriever = _ingested(local, [seeds_dir], ingest)
        peer = PlainPipeline(Path(folder) / "peer", local, seeds)
        answers = {}
        holdout_cases = json.loads(holdout.read_text(encoding="utf-8")) if holdout is not None and holdout.exists() else None
        for answerer in _answerers(retriever, answer_engines, make_answerer):
            answers[answerer.name] = evaluate_answers(answerer, cases)
            if holdout_cases is not None:
                answers[f"{answerer.name}_holdout"] = evaluate_answers(answerer, holdout_cases)
            answers[answerer.name]["cost"] = _answer_cost(answerer)

        def run(ranked: Callable[[str], list[tuple[str, Span]]]) -> tuple[RetrievalScore, list[float]]:
            score, latencies = RetrievalScore(), []
            for case in answerable:
                t0 = time.perf_counter()
                ranking = ranked(case["question"])
                latencies.append((time.perf_counter() - t0) * 1000)
                score.add(ranking, case["evidence"])
            return score, latencies

        ours, ours_ms = run(lambda q: [(h.doc_id, h.span) for h in retriever.search(q, k=RANK_DEPTH)])
        plain, plain_ms = run(lambda q: peer.ranked(q, RANK_DEPTH))
        chunk_count = sum(len(e.chunks) for e in retriever.manifest.documents.values())
        pipelines = {
            "hybrid": _retrieval_summary("outline chunks, dense + BM25, RRF, query expansion", ours, ours_ms, chunk_count),
            "peer": _retrieval_summary(f"{PEER_CHUNK}-char windows, dense only, same embedder", plain, plain_ms, peer.chunks),
        }
    return {
        "questions": len(cases), "with_answer": len(answerable), "without_answer": len(cases) - len(answerable),
        "pipelines": pipelines, "answers": answers, "seconds": round(time.perf_counter() - started, 3),
    }


# ---- the development corpus --------------------------------------------------------------------
# Real reports with gold beside the repository (`../shared/corpus/`, see its README): extraction
# scored by the corpus rules (headline recall and fields, zones, traps, facts), and its questions
# answered from one store holding every corpus document and the seeds.

ANSWER_PREVIEW = 160  # characters of a wrong answer kept in the report


def corpus_golds(corpus_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((corpus_dir / "gold").glob("*.json"))]


def evaluate_corpus_extraction(engine: Any, corpus_dir: Path, golds: list[dict[str, Any]]) -> dict[str, Any]:
    from rag.evaluation.scoring import CorpusTally, score_corpus_document
    from rag.extract.verify import verify_record
    from rag.ingest.loading import load_document

    total = CorpusTally()
    grounded = items = 0
    per_document: dict[str, Any] = {}
    started = time.perf_counter()
    for gold in golds:
        document = load_document(corpus_dir / gold["path"])
        raw = engine.extract(document.doc_id, document.text)
        # Grounding is measured on what the engine produced, before the verifier drops anything.
        ok, count = grounded_share(raw.to_json_dict(), document.text)
        grounded, items = grounded + ok, items + count
        tally, wrong_facts, misses = score_corpus_document(verify_record(raw, document.text)[0].to_json_dict(), gold)
        total.add(tally)
        per_document[gold["doc_id"]] = {"scores": {**tally.rates(), "grounding": round(ok / count if count else 1.0, 4)},
                                        "counts": tally.counts(), "facts_wrong": wrong_facts, "misses": misses}
    return {
        "scores": {**total.rates(), "grounding": round(grounded / items if items else 1.0, 4)},
        "counts": {**total.counts(), "grounded": grounded, "items": items},
        "cost": getattr(engine, "cost", lambda: {"llm_calls": 0, "tokens_in": 0, "tokens_out": 0, "cache_hits": 0})(),
        "seconds": round(time.perf_counter() - started, 3),
        "per_document": per_document,
    }


def _corpus_answers(answerer: Any, golds: list[dict[str, Any]]) -> dict[str, Any]:
    from rag.evaluation.scoring import CorpusAnswerTally

    total = CorpusAnswerTally()
    per_document: dict[str, Any] = {}
    wrong: list[dict[str, Any]] = []
    latencies: list[float] = []
    for gold in golds:
        tally = CorpusAnswerTally()
        for case in gold["questions"]:
            t0 = time.perf_counter()
            answer = answerer.answer(case["question"])
            latencies.append((time.perf_counter() - t0) * 1000)
            citations = [(c.doc_id, c.span) for c in answer.citations]
            if not tally.add_case(case, gold["doc_id"], answer.answer, answer.found, citations):
                wrong.append({"id": case["id"], "question": case["question"], "expected": case["answers"], "found": answer.found,
                              "answer": answer.answer[:ANSWER_PREVIEW], "cited": [f"{d}:{s.start}-{s.end}" for d, s in citations]})
        total.add(tally)
        per_document[gold["doc_id"]] = {"scores": tally.rates(), "counts": vars(tally)}
    return {
        "engine": answerer.name, "questions": total.answerable + total.no_answer, "scores": total.rates(), "counts": vars(total),
        "latency_ms_p50": round(statistics.median(latencies), 2) if latencies else None,
        "cost": _answer_cost(answerer), "wrong": wrong, "per_document": per_document,
    }


def evaluate_corpus_questions(settings: Settings, corpus_dir: Path, golds: list[dict[str, Any]], seeds_dir: Path,
                              answer_engines: tuple[str, ...] = ("offline",), ingest: Ingest | None = None, make_answerer: MakeAnswerer | None = None) -> dict[str, Any]:
    """Every gold question, answered from one fresh store of all corpus documents and the seeds."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rag-corpus-") as folder:
        local = _fresh_settings(settings, Path(folder))
        retriever = _ingested(local, [corpus_dir / gold["path"] for gold in golds] + [seeds_dir], ingest)
        answers = {answerer.name: _corpus_answers(answerer, golds) for answerer in _answerers(retriever, answer_engines, make_answerer)}
        across = _corpus_across(retriever.store, golds)
    return {"answers": answers, "across": across, "seconds": round(time.perf_counter() - started, 3)}


def _corpus_across(store: Any, golds: list[dict[str, Any]]) -> dict[str, Any]:
    """`rag compare` and `rag track` against the gold headline items (rag/evaluation/across.py)."""
    from rag.evaluation.across import score_across
    from rag.extract.table import open_table

    table = open_table(store)
    try:
        return score_across(table, golds)
    finally:
        table.close()


def evaluate_corpus(settings: Settings, engines: list[Any], corpus_dir: Path, seeds_dir: Path, split: str = "all",
                    answer_engines: tuple[str, ...] = ("offline",), ingest: Ingest | None = None, make_answerer: MakeAnswerer | None = None) -> dict[str, Any]:
    """The corpus section of a report: extraction per engine and/or the questions, by `split`."""
    golds = corpus_golds(corpus_dir)
    result: dict[str, Any] = {"documents": [gold["doc_id"] for gold in golds]}
    if split in ("extraction", "all"):
        result["extraction"] = {engine.name: evaluate_corpus_extraction(engine, corpus_dir, golds) for engine in engines}
    if split in ("qa", "all"):
        result["questions"] = evaluate_corpus_questions(settings, corpus_dir, golds, seeds_dir, answer_engines, ingest, make_answerer)
    return result


# ---- the report --------------------------------------------------------------------------------

def run_evaluation(settings: Settings, engines: list[Any], split: str, gold_dir: Path = EVALS / "gold",
                   questions: Path = EVALS / "questions.json", seeds_dir: Path = REPO / "seeds",
                   holdout: Path | None = EVALS / "questions_holdout.json",
                   answer_engines: tuple[str, ...] = ("offline",), corpus_dir: Path | None = None,
                   ingest: Ingest | None = None, make_answerer: MakeAnswerer | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    report: dict[str, Any] = {
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "split": split,
        "engines": [e.name for e in engines], "config": configuration(settings, gold_dir, questions),
    }
    if split in ("extraction", "all"):
        report["extraction"] = {engine.name: evaluate_extraction(engine, gold_dir, seeds_dir) for engine in engines}
    if split in ("qa", "all"):
        report["qa"] = evaluate_qa(settings, questions, seeds_dir, holdout, answer_engines, ingest, make_answerer)
    if corpus_dir is not None:
        report["config"]["corpus_path"] = str(corpus_dir.resolve())
        report["config"]["corpus_gold_hash"] = _digest(list((corpus_dir / "gold").glob("*.json")))
        report["corpus"] = evaluate_corpus(settings, engines, corpus_dir, seeds_dir, split, answer_engines, ingest, make_answerer)
    report["seconds"] = round(time.perf_counter() - started, 3)
    report["metrics"] = flat_metrics(report)
    return report


def flat_metrics(report: dict[str, Any]) -> dict[str, float]:
    flat: dict[str, float] = {}
    for engine, result in report.get("extraction", {}).items():
        for section in ("indicators", "outline", "slogans", "facts"):
            for key, value in result[section].items():
                if key not in ("tp", "predicted", "gold"):
                    flat[f"{engine}.{section}.{key}"] = value
        flat[f"{engine}.grounding.share"] = result["grounding"]["share"]
    for name, summary in report.get("qa", {}).get("pipelines", {}).items():
        for key, value in summary.items():
            if isinstance(value, (int, float)) and key not in ("chunks", "questions"):
                flat[f"qa.{name}.{key}"] = value
    for name, summary in report.get("qa", {}).get("answers", {}).items():
        for key, value in summary.items():
            if isinstance(value, (int, float)) and key != "questions":
                flat[f"answers.{name}.{key}"] = value
    flat.update(_corpus_flat(report.get("corpus", {})))
    return flat


def _corpus_flat(corpus: dict[str, Any]) -> dict[str, float]:
    flat: dict[str, float] = {}
    for engine, result in corpus.get("extraction", {}).items():
        for key, value in result["scores"].items():
            flat[f"corpus.{engine}.{key}"] = value
    for name, summary in corpus.get("questions", {}).get("answers", {}).items():
        for key, value in summary["scores"].items():
            flat[f"corpus.answers.{name}.{key}"] = value
    for key, value in corpus.get("questions", {}).get("across", {}).get("scores", {}).items():
        flat[f"corpus.across.{key}"] = value
    return flat


def deltas(current: dict[str, float], baseline: dict[str, float]) -> dict[str, tuple[float, float | None]]:
    """(value, change against the baseline or None when the baseline lacks the key), by key."""
    return {key: (value, round(value - baseline[key], 4) if key in baseline else None) for key, value in current.items()}


def below_thresholds(metrics: dict[str, float], minimums: dict[str, float]) -> list[str]:
    """Failures as `key=value < minimum`; an unknown key is a failure too, so a renamed metric is noticed."""
    failures = []
    for key, minimum in minimums.items():
        if key not in metrics:
            failures.append(f"{key} is not a metric of this report")
        elif metrics[key] < minimum:
            failures.append(f"{key}={metrics[key]} < {minimum}")
    return failures
