"""How fast `rag ask` answers, as figures (not a timed test).

    python evals/bench/ask_speed.py --store STORE [--runs 7] [--batch 200]

One process per question (median of `--runs` after a first, warming run), peak memory of that
process, and `rag ask --batch` over `--batch` questions in one process (questions per second,
start-up included), for questions the indicator table answers; then the same per process for a
passage question naming its region and year (searched among that report's chunks, without Chroma)
and one naming neither (Chroma's whole index). The store must hold reports the questions are about
(the seeds, in the benchmark's corpora).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSAGES = {"scoped": "2014年开发区如何优化营商环境？", "unscoped": "如何优化营商环境？"}
QUESTIONS = ["比较各省2026年GDP增长目标", "2025年哪个省GDP增长最高？", "哪些省份2026年GDP增长目标是5%左右？", "比较各省2026年城镇调查失业率目标"]


def run(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds and peak resident KB of one `rag` process (GNU time's %M where available)."""
    started = time.perf_counter()
    probe = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    done = subprocess.run([*probe, sys.executable, "-m", "rag", *args], capture_output=True, text=True, env=env, check=True)
    seconds = time.perf_counter() - started
    peak = int(done.stderr.strip().splitlines()[-1]) if probe else 0
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    env = {**os.environ, "RAG_STORE": args.store}
    run(["ask", QUESTIONS[0]], env)  # the first run may bring the table up to date
    timings = [run(["ask", QUESTIONS[i % len(QUESTIONS)]], env) for i in range(args.runs)]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
        handle.write("\n".join(QUESTIONS[i % len(QUESTIONS)] for i in range(args.batch)) + "\n")
    batch_seconds, batch_peak = run(["ask", "--batch", handle.name], env)
    Path(handle.name).unlink()
    figures = {
        "ask_median_s": round(statistics.median(t for t, _ in timings), 3),
        "ask_peak_mb": round(max(p for _, p in timings) / 1024, 1),
        "batch_questions": args.batch, "batch_s": round(batch_seconds, 2),
        "batch_per_s": round(args.batch / batch_seconds, 1), "batch_peak_mb": round(batch_peak / 1024, 1),
    }
    for label, question in PASSAGES.items():
        run(["ask", question], env)
        runs = [run(["ask", question], env) for _ in range(args.runs)]
        figures[f"{label}_passages_median_s"] = round(statistics.median(t for t, _ in runs), 3)
        figures[f"{label}_passages_peak_mb"] = round(max(p for _, p in runs) / 1024, 1)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
