"""Extraction speed by text size: is the offline engine linear in the text?

    python evals/bench/extract_speed.py --sizes 0.01,0.1,1,5,10,20

Each text is one long report of about that many MB of UTF-8, made by joining real reports (the
corpus beside the repository, else the seeds) end to end, as a long compendium or a year's
collection pasted into one file reads. One process, the engine warmed on a small text first
(jieba's dictionaries load once per process: the first call, on one real report, is reported apart). Reports figures; never fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def source_texts() -> list[str]:
    from generate import REPORTS

    from rag.ingest.loading import discover, load_document

    folder = REPORTS if REPORTS.is_dir() else REPO / "seeds"
    files, _ = discover([folder])
    return [load_document(p).text for p in sorted(files) if not p.name.upper().startswith("README")]


def text_of(megabytes: float, sources: list[str]) -> str:
    parts, size, index = [], 0, 0
    while size < megabytes * 1e6:
        piece = sources[index % len(sources)]
        parts.append(piece)
        size += len(piece.encode("utf-8"))
        index += 1
    text = "\n".join(parts)
    encoded = text.encode("utf-8")[: int(megabytes * 1e6)]
    return encoded.decode("utf-8", "ignore")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.01,0.1,1,5,10,20", help="MB of UTF-8 text")
    args = parser.parse_args()
    from rag.extract.rules.engine import RulesEngine
    from rag.extract.verify import verify_record

    sources = source_texts()
    started = time.perf_counter()  # real reports, so every dictionary the rules use loads here
    RulesEngine().extract("warm", text_of(0.2, sources))
    warm = time.perf_counter() - started
    rows = []
    for megabytes in (float(s) for s in args.sizes.split(",")):
        text = text_of(megabytes, sources)
        started = time.perf_counter()
        record, _ = verify_record(RulesEngine().extract("long", text), text)
        seconds = time.perf_counter() - started
        actual = len(text.encode("utf-8")) / 1e6
        rows.append({"mb": round(actual, 3), "characters": len(text), "seconds": round(seconds, 2),
                     "mb_per_s": round(actual / seconds, 2), "indicators": len(record.indicators)})
        print(json.dumps(rows[-1]), flush=True)
    print(json.dumps({"first_call_s": round(warm, 2), "sizes": rows}))


if __name__ == "__main__":
    main()
