"""Stress: `rag ask` and `rag search` run over and over while `rag ingest` rewrites the store.

Reports how many reads ran, how many failed and how (exit code, first stderr line), so a crash
of a reader during a write (issue: SIGSEGV, "Failed to apply logs to the hnsw segment writer")
shows as a figure rather than as a rare test failure.

    .venv/bin/python evals/bench/stress_reads.py --rounds 5 --docs 40
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

# A store this large has gone wrong (an unlocked reader once grew Chroma's link_lists.bin until
# the disk was full): the run stops and says so.
MAX_STORE_BYTES = 2 * 2**30


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


READS = [
    ["ask", "2014年开发区地区生产总值的增长目标是多少？", "--engine", "offline", "--format", "json"],
    ["search", "固定资产投资", "--format", "json"],
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="ingests, each of a freshly generated folder")
    parser.add_argument("--docs", type=int, default=40, help="documents per generated folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="rag-stress-"))
    env = {**os.environ, "RAG_STORE": str(work / "store")}
    rag = [sys.executable, "-m", "rag"]
    subprocess.run([*rag, "ingest", str(ROOT / "seeds")], env=env, check=True, capture_output=True)
    reads = 0
    failures: collections.Counter[str] = collections.Counter()
    started = time.perf_counter()
    for round_number in range(args.rounds):
        folder = work / f"round-{round_number}"
        generate(args.docs, folder, seed=round_number)
        writer = subprocess.Popen([*rag, "ingest", str(folder)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        while writer.poll() is None:
            if _size(work / "store") > MAX_STORE_BYTES:
                writer.kill()
                failures[f"store grew past {MAX_STORE_BYTES / 2**30:.0f} GB; stopped"] += 1
                break
            for read in READS:
                result = subprocess.run([*rag, *read], env=env, capture_output=True, text=True)
                reads += 1
                if result.returncode != 0:
                    first = (result.stderr.strip().splitlines() or [""])[-1][:160]
                    failures[f"exit {result.returncode}: {first}"] += 1
        if failures and any("store grew" in f for f in failures):
            break
        if writer.wait() != 0:
            failures[f"ingest exit {writer.returncode}: {writer.stderr.read().strip()[:160] if writer.stderr else ''}"] += 1
    print(json.dumps({"rounds": args.rounds, "docs_per_round": args.docs, "reads": reads,
                      "failed_reads": sum(failures.values()), "failures": dict(failures),
                      "seconds": round(time.perf_counter() - started, 1)}, ensure_ascii=False, indent=2))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
