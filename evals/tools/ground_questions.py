"""Fill and check the evidence spans of the question set.

    python evals/tools/ground_questions.py evals/questions.json [--check]

Each evidence item is written as {"doc_id": ..., "quote": "...", "span": null} (plus an optional
"after": "..." hint when the quote occurs more than once); the span is found by plain substring
search in the decoded seed and the hint removed. With --check nothing is written and every span is
verified to hold its quote. Questions with no answer have "answers": [] and "evidence": [].
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from rag.ingest.loading import load_document  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    cases = json.loads(args.questions.read_text(encoding="utf-8"))
    texts: dict[str, str] = {}
    problems: list[str] = []
    ids: set[str] = set()
    for case in cases:
        where = case.get("id", "?")
        if where in ids:
            problems.append(f"{where}: duplicate id")
        ids.add(where)
        if not case.get("question"):
            problems.append(f"{where}: no question")
        if bool(case.get("answers")) != bool(case.get("evidence")):
            problems.append(f"{where}: answers and evidence must both be empty or both be given")
        for item in case.get("evidence", []):
            doc_id = item["doc_id"]
            if doc_id not in texts:
                texts[doc_id] = load_document(REPO / "seeds" / f"{doc_id}.txt").text
            text = texts[doc_id]
            quote = item.get("quote", "")
            if item.get("span") is None:
                if args.check:
                    problems.append(f"{where}: evidence without span")
                    continue
                start_from = 0
                if item.get("after"):
                    anchor = text.find(item["after"])
                    if anchor < 0:
                        problems.append(f"{where}: hint {item['after']!r} not in {doc_id}")
                        continue
                    start_from = anchor
                position = text.find(quote, start_from) if quote else -1
                if position < 0:
                    problems.append(f"{where}: {quote!r} not in {doc_id}")
                    continue
                item["span"] = [position, position + len(quote)]
            item.pop("after", None)
            start, end = item["span"]
            if text[start:end] != quote:
                problems.append(f"{where}: {doc_id}{item['span']} is {text[start:end]!r}, not {quote!r}")
    for problem in problems:
        print(problem, file=sys.stderr)
    if not args.check:
        args.questions.write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    no_answer = sum(1 for c in cases if not c.get("answers"))
    print(f"{len(cases)} questions, {no_answer} without an answer: {'problems' if problems else 'ok'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
