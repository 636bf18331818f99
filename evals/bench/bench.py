"""Benchmark: ingestion, re-ingestion, retrieval, answering, extraction and start-up, beside the
usual LangChain + Chroma pipeline, at several corpus sizes. Reports figures; never fails on speed.

    python evals/bench/bench.py --sizes 10,100,1000,10000 --repeats 3 --out evals/bench/out

Corpora come from `generate.py` (fixed seed; the seeds' and the real reports' sections
recombined) plus the five seeds, so retrieval quality is measured on the eval questions with
distractors around them. Every timed command runs as its own process under `/usr/bin/time`, which
also gives its peak memory (RSS). Ingests of ours and the usual pipeline alternate, each into a
fresh store, `--repeats` times; the figures are medians (peak memory: the largest).

The usual pipeline is what most tutorials build: `RecursiveCharacterTextSplitter` (500/50) and
`langchain_chroma.Chroma.add_texts`, with the same hashed n-gram embedder (so the comparison is
of the pipelines, not the embedders). Our ingest includes everything it does: outline chunks,
tokens, vectors, facts and the rules' extraction into the indicator table. The floor is a raw
Chroma `upsert` of our chunks' precomputed vectors and metadata (what we ask of Chroma), untimed
embedding.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

PYTHON = sys.executable
RAG = [PYTHON, "-m", "rag"]
QUESTIONS = REPO / "evals" / "questions.json"


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """(seconds, peak RSS in MB, stdout) of one process."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M", *command], capture_output=True, text=True,
                            env={**os.environ, **(env or {})}, cwd=REPO)
    if result.returncode != 0:
        raise RuntimeError(f"{command[:4]} failed: {result.stderr[-800:]}")
    seconds, kilobytes = result.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kilobytes) // 1024, result.stdout


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * share))], 2)


def folder_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


# ---- the usual pipeline and the floor, each run in a process of its own ------------------------

class HashEmbeddings:
    """Our offline embedder behind LangChain's `Embeddings` interface."""

    def __init__(self, dim: int = 512) -> None:
        self.dim = dim

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        from rag.index.embeddings import hash_embed

        return hash_embed(texts, self.dim).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def _documents(corpus: Path) -> list[tuple[str, str]]:
    from rag.ingest.loading import discover, load_document

    files, _ = discover([corpus])
    return [(p.stem, load_document(p).text) for p in files]


def usual_ingest(corpus: Path, store: Path) -> dict[str, Any]:
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    class Adapter(HashEmbeddings, Embeddings):
        pass

    documents = _documents(corpus)
    started = time.perf_counter()
    splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50, add_start_index=True)
    texts, metadatas = [], []
    for doc_id, text in documents:
        for piece in splitter.create_documents([text], metadatas=[{"doc_id": doc_id}]):
            texts.append(piece.page_content)
            metadatas.append(piece.metadata)
    store_ = Chroma(collection_name="usual", embedding_function=Adapter(), persist_directory=str(store))
    for start in range(0, len(texts), 1000):
        store_.add_texts(texts[start : start + 1000], metadatas=metadatas[start : start + 1000])
    return {"seconds": time.perf_counter() - started, "chunks": len(texts)}


def usual_recall(store: Path, k: int = 5) -> dict[str, Any]:
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

    from rag.core.spans import Span
    from rag.evaluation.scoring import RetrievalScore

    class Adapter(HashEmbeddings, Embeddings):
        pass

    store_ = Chroma(collection_name="usual", embedding_function=Adapter(), persist_directory=str(store))
    score, latencies = RetrievalScore(ks=(k,)), []
    for case in json.loads(QUESTIONS.read_text(encoding="utf-8")):
        if not case["answers"]:
            continue
        started = time.perf_counter()
        found = store_.similarity_search(case["question"], k=k)
        latencies.append((time.perf_counter() - started) * 1000)
        score.add([(d.metadata["doc_id"], Span(d.metadata["start_index"], d.metadata["start_index"] + len(d.page_content))) for d in found],
                  case["evidence"])
    return {"recall@5": round(score.recall(k), 4), "p50_ms": percentile(latencies, 0.5), "p95_ms": percentile(latencies, 0.95)}


def floor_ingest(ours: Path, store: Path) -> dict[str, Any]:
    """Raw Chroma upsert of our own chunks with embeddings computed beforehand (not timed)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from rag.core.settings import Settings
    from rag.index.embeddings import hash_embed
    from rag.index.store import Store

    source = Store(Settings(store=ours))
    manifest = source.load_manifest()
    ids, texts, metadatas = [], [], []
    for entry in manifest.documents.values():
        text = source.text(entry.doc_id, manifest, cache=False)
        for cid, (s, e, _) in zip(entry.chunk_ids(), entry.chunks):
            ids.append(cid)
            texts.append(text[s:e])
            metadatas.append({"doc_id": entry.doc_id, "start": s, "end": e})
    vectors = hash_embed(texts, 512)
    client = chromadb.PersistentClient(path=str(store), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("floor", embedding_function=None, configuration={"hnsw": {"space": "cosine"}})
    started = time.perf_counter()
    for start in range(0, len(ids), 1000):
        collection.upsert(ids=ids[start : start + 1000], embeddings=vectors[start : start + 1000], metadatas=metadatas[start : start + 1000])
    return {"seconds": time.perf_counter() - started, "chunks": len(ids)}


def query_floor(ours: Path) -> dict[str, Any]:
    """One query of our collection by a bare Chroma client: what any question searched in Chroma
    costs, nothing of ours (Chroma loads the collection's whole HNSW index to answer it)."""
    import chromadb
    import numpy as np
    from chromadb.config import Settings as ChromaSettings

    from rag.core.settings import Settings
    from rag.index.hashing import hash_embed

    started = time.perf_counter()
    client = chromadb.PersistentClient(path=str(ours / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_collection(Settings().collection)
    vector = np.asarray(hash_embed(["2014年开发区地区生产总值的增长目标是多少"], 512))
    collection.query(query_embeddings=vector, n_results=5, include=["metadatas", "distances"])
    return {"seconds": round(time.perf_counter() - started, 2)}


def ours_retrieval(store: Path, k: int = 5) -> dict[str, Any]:
    from rag.answer.offline import OfflineAnswerer
    from rag.core.settings import Settings
    from rag.evaluation.scoring import RetrievalScore
    from rag.index.retrieval import Retriever
    from rag.index.store import Store

    started = time.perf_counter()
    retriever = Retriever(Store(Settings(store=store)))
    load_seconds = time.perf_counter() - started
    cases = [c for c in json.loads(QUESTIONS.read_text(encoding="utf-8")) if c["answers"]]
    score, latencies = RetrievalScore(ks=(k,)), []
    for case in cases:
        t0 = time.perf_counter()
        hits = retriever.search(case["question"], k=k)
        latencies.append((time.perf_counter() - t0) * 1000)
        score.add([(h.doc_id, h.span) for h in hits], case["evidence"])
    answerer = OfflineAnswerer(retriever)
    ask_ms = []
    for case in cases[:20]:
        t0 = time.perf_counter()
        answerer.answer(case["question"])
        ask_ms.append((time.perf_counter() - t0) * 1000)
    return {"recall@5": round(score.recall(k), 4), "p50_ms": percentile(latencies, 0.5), "p95_ms": percentile(latencies, 0.95),
            "retriever_load_s": round(load_seconds, 3), "ask_p50_ms": percentile(ask_ms, 0.5), "ask_p95_ms": percentile(ask_ms, 0.95)}


def extraction_throughput(corpus: Path) -> dict[str, Any]:
    from rag.extract.rules.engine import RulesEngine
    from rag.extract.verify import verify_record

    documents = _documents(corpus)
    engine = RulesEngine()
    engine.extract("warm", documents[0][1])
    characters = sum(len(t) for _, t in documents)
    started = time.perf_counter()
    for doc_id, text in documents:
        verify_record(engine.extract(doc_id, text), text)
    seconds = time.perf_counter() - started
    megabytes = sum(len(t.encode("utf-8")) for _, t in documents) / 1e6
    return {"chars_per_s": round(characters / seconds), "mb_per_s": round(megabytes / seconds, 2), "documents": len(documents)}


# ---- the run -----------------------------------------------------------------------------------

def measure(size: int, workdir: Path, repeats: int) -> dict[str, Any]:
    from generate import generate

    corpus = workdir / f"corpus-{size}"
    paths = generate(size, corpus)
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        shutil.copy(seed, corpus / seed.name)  # the questions' evidence, among distractors
    characters = sum(len(p.read_bytes().decode("utf-8", "ignore")) for p in paths)
    documents = len(paths) + 5
    result: dict[str, Any] = {"size": size, "documents": documents, "mb_on_disk": folder_mb(corpus), "repeats": repeats}

    ours_runs, usual_runs = [], []
    ours = workdir / f"ours-{size}"
    for run in range(repeats):  # alternating, each into a fresh store
        shutil.rmtree(ours, ignore_errors=True)
        seconds, rss, out = timed([*RAG, "ingest", str(corpus), "--format", "json"], {"RAG_STORE": str(ours)})
        ours_runs.append({"seconds": seconds, "peak_rss_mb": rss, "chunks": json.loads(out)["chunks"]})
        usual = workdir / f"usual-{size}"
        shutil.rmtree(usual, ignore_errors=True)
        seconds, rss, out = timed([PYTHON, __file__, "_usual_ingest", str(corpus), str(usual)])
        usual_runs.append({"seconds": seconds, "peak_rss_mb": rss, "chunks": json.loads(out)["chunks"], "store_mb": folder_mb(usual)})
        print(f"  {size}: run {run + 1}: ours {ours_runs[-1]['seconds']:.1f} s, usual {usual_runs[-1]['seconds']:.1f} s", file=sys.stderr, flush=True)
    env = {"RAG_STORE": str(ours)}
    ours_s = statistics.median(r["seconds"] for r in ours_runs)
    usual_s = statistics.median(r["seconds"] for r in usual_runs)
    result["ingest"] = {"seconds": ours_s, "runs": [r["seconds"] for r in ours_runs], "docs_per_s": round(documents / ours_s, 1),
                        "chars_per_s": round(characters / ours_s), "peak_rss_mb": max(r["peak_rss_mb"] for r in ours_runs),
                        "store_mb": folder_mb(ours), "chunks": ours_runs[-1]["chunks"]}
    result["usual_ingest"] = {"seconds": usual_s, "runs": [r["seconds"] for r in usual_runs], "docs_per_s": round(documents / usual_s, 1),
                              "peak_rss_mb": max(r["peak_rss_mb"] for r in usual_runs), "store_mb": usual_runs[-1]["store_mb"],
                              "chunks": usual_runs[-1]["chunks"]}
    result["speed_ratio"] = round(usual_s / ours_s, 2)  # above 1: ours is faster

    unchanged, changed_runs = [], []
    share = max(1, len(paths) // 100)
    for run in range(repeats):
        unchanged.append(timed([*RAG, "ingest", str(corpus), "--format", "json"], env)[0])
        for path in paths[run * share : (run + 1) * share]:  # another 1% each time
            raw = path.read_bytes()
            path.write_bytes(raw + "\n今年新增项目10个。\n".encode("gb18030" if b"\r\n" in raw[:2000] else "utf-8"))
        changed_runs.append(timed([*RAG, "ingest", str(corpus), "--format", "json"], env)[0])
    result["reingest_unchanged_s"] = statistics.median(unchanged)
    result["reingest_1pct_changed_s"] = statistics.median(changed_runs)
    result["reingest_1pct_share"] = round(result["reingest_1pct_changed_s"] / ours_s, 3)

    _, rss, out = timed([PYTHON, __file__, "_floor", str(ours), str(workdir / f"floor-{size}")])
    result["floor_upsert_s"] = round(json.loads(out)["seconds"], 2)
    result["floor_peak_rss_mb"] = rss  # Chroma's own memory for our vectors (plus the vectors held to upsert)
    shutil.rmtree(workdir / f"floor-{size}", ignore_errors=True)

    seconds, rss, _ = timed([PYTHON, __file__, "_query_floor", str(ours)])
    result["query_floor"] = {"process_s": seconds, "peak_rss_mb": rss}

    _, rss, out = timed([PYTHON, __file__, "_ours_retrieval", str(ours)])
    result["retrieval"] = {"ours": json.loads(out), "usual": json.loads(timed([PYTHON, __file__, "_usual_recall", str(workdir / f"usual-{size}")])[2])}
    result["retrieval"]["ours"]["peak_rss_mb"] = rss

    cli_search = [timed([*RAG, "search", "2014年地区生产总值增长目标", "--format", "json"], env)[0] for _ in range(5)]
    cli_ask = [timed([*RAG, "ask", "2014年开发区地区生产总值的增长目标是多少？", "--engine", "offline", "--format", "json"], env) for _ in range(5)]
    result["cli"] = {"search_p50_s": statistics.median(cli_search), "ask_p50_s": statistics.median(s for s, _, _ in cli_ask),
                     "ask_peak_rss_mb": max(r for _, r, _ in cli_ask)}
    for folder in (ours, workdir / f"usual-{size}"):
        shutil.rmtree(folder, ignore_errors=True)
    return result


def startup() -> dict[str, float]:
    help_runs = [timed([*RAG, "--help"])[0] for _ in range(7)]
    bare_runs = [timed([PYTHON, "-c", "pass"])[0] for _ in range(7)]
    return {"rag_help_s": statistics.median(help_runs), "python_pass_s": statistics.median(bare_runs)}


def markdown(report: dict[str, Any]) -> str:
    machine = report["machine"]
    lines = [f"Benchmark of {report['created_at']} on {machine['cpus']} cores, {machine['memory_gb']} GB, {machine['python']} "
             f"({machine['platform']}); corpora of ~10,000-character documents recombined from the seeds and real reports, "
             "plus the five seeds. Ingest: medians of the runs, ours and the usual pipeline alternating; peak memory the largest.", "",
             "| documents | runs | ingest s (ours / usual) | ratio | floor upsert s (peak MB) | re-ingest unchanged s | re-ingest 1% changed s (share) "
             "| ingest peak MB (ours / usual) | store MB (ours / usual) | search p50/p95 ms | recall@5 (ours / usual) | `rag ask` process s | ask peak MB (Chroma's query floor) |",
             "|---" * 13 + "|"]
    for r in report["sizes"]:
        ours, usual = r["retrieval"]["ours"], r["retrieval"]["usual"]
        lines.append(
            f"| {r['documents']} | {r['repeats']} | {r['ingest']['seconds']:.1f} / {r['usual_ingest']['seconds']:.1f} | {r['speed_ratio']:.2f}x "
            f"| {r['floor_upsert_s']} ({r.get('floor_peak_rss_mb', '-')}) | {r['reingest_unchanged_s']:.2f} | {r['reingest_1pct_changed_s']:.2f} ({r['reingest_1pct_share']:.0%}) | "
            f"{r['ingest']['peak_rss_mb']} / {r['usual_ingest']['peak_rss_mb']} | {r['ingest']['store_mb']} / {r['usual_ingest']['store_mb']} | "
            f"{ours['p50_ms']} / {ours['p95_ms']} | {ours['recall@5']} / {usual['recall@5']} | {r['cli']['ask_p50_s']:.2f} | {r['cli']['ask_peak_rss_mb']} ({r.get('query_floor', {}).get('peak_rss_mb', '-')}) |")
    start = report["startup"]
    lines += ["", f"`rag --help`: {start['rag_help_s']:.2f} s (bare `python -c pass`: {start['python_pass_s']:.2f} s)."]
    if "extraction" in report:
        extract = report["extraction"]
        lines[-1] += (f" Offline extraction (with verification): {extract['chars_per_s']:,} characters/s = {extract['mb_per_s']} MB/s of "
                      f"UTF-8 text over {extract['documents']} documents.")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--out", type=Path, default=REPO / "evals" / "bench" / "out")
    parser.add_argument("--repeats", type=int, default=3, help="ingests of each pipeline per size (medians)")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora and stores")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="rag-bench-"))
    sizes = [int(s) for s in args.sizes.split(",")]
    report: dict[str, Any] = {
        "created_at": time.strftime("%Y-%m-%d %H:%M"),
        "machine": {"cpus": os.cpu_count(), "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
                    "python": platform.python_version(), "platform": platform.platform(terse=True)},
        "startup": startup(), "sizes": [],
    }
    try:
        for size in sizes:
            print(f"measuring {size} documents ...", file=sys.stderr, flush=True)
            report["sizes"].append(measure(size, workdir, args.repeats))
            args.out.mkdir(parents=True, exist_ok=True)  # what is measured so far, in case a later size fails
            (args.out / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        report["extraction"] = json.loads(timed([PYTHON, __file__, "_extract", str(workdir / f"corpus-{sizes[min(len(sizes) - 1, 2)]}")])[2])
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (args.out / "bench.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))


if __name__ == "__main__":
    commands = {"_usual_ingest": lambda a: usual_ingest(Path(a[0]), Path(a[1])), "_usual_recall": lambda a: usual_recall(Path(a[0])),
                "_floor": lambda a: floor_ingest(Path(a[0]), Path(a[1])), "_ours_retrieval": lambda a: ours_retrieval(Path(a[0])),
                "_query_floor": lambda a: query_floor(Path(a[0])),
                "_extract": lambda a: extraction_throughput(Path(a[0]))}
    if len(sys.argv) > 1 and sys.argv[1] in commands:
        print(json.dumps(commands[sys.argv[1]](sys.argv[2:])))
    else:
        main()
