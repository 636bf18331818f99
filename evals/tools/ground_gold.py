"""Fill the spans of a hand-written gold file from its quotes, and check every span.

    python evals/tools/ground_gold.py evals/gold/<doc_id>.json [--check]

Items with `"span": null` are located by plain substring search in the decoded seed text: outline
nodes by their title, indicators and slogans by their quote. Lists are searched in order, each item
from where the previous one started; an `"after": "..."` hint moves the search past that text.
Hints are removed once used. With --check nothing is written; every span is verified.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from rag.ingest.loading import load_document  # noqa: E402


class GroundingError(Exception):
    pass


def _place(text: str, quote: str, cursor: int, after: str | None, what: str) -> tuple[int, int]:
    if not quote:
        raise GroundingError(f"{what}: empty quote")
    start_from = cursor
    if after:
        anchor = text.find(after, cursor)
        if anchor < 0:
            anchor = text.find(after)
        if anchor < 0:
            raise GroundingError(f"{what}: hint {after!r} not in the document")
        start_from = anchor + len(after)
    position = text.find(quote, start_from)
    if position < 0:
        position = text.find(quote)
        if position < 0:
            raise GroundingError(f"{what}: {quote!r} is not in the document")
    return position, position + len(quote)


def ground(record: dict, text: str, check_only: bool) -> list[str]:
    problems: list[str] = []

    def handle(item: dict, quote_key: str, cursor: int, what: str) -> int:
        quote = item.get(quote_key)
        span = item.get("span")
        if span is None:
            if check_only:
                problems.append(f"{what}: no span")
                return cursor
            try:
                start, end = _place(text, quote, cursor, item.pop("after", None), what)
            except GroundingError as error:
                problems.append(str(error))
                return cursor
            item["span"] = [start, end]
        else:
            item.pop("after", None)
        start, end = item["span"]
        if text[start:end] != quote:
            problems.append(f"{what}: text{item['span']} is {text[start:end]!r}, not {quote!r}")
        return start

    cursor = 0

    def walk(nodes: list[dict], path: str) -> None:
        nonlocal cursor
        for index, node in enumerate(nodes):
            where = f"{path}[{index}] {node.get('marker', '')}{node.get('title', '')[:20]}"
            cursor = handle(node, "title", cursor, where)
            walk(node.get("children", []), where + " >")

    walk(record.get("outline", []), "outline")
    cursor = 0
    for index, item in enumerate(record.get("indicators", [])):
        cursor = handle(item, "quote", cursor, f"indicators[{index}] {item.get('quote', '')[:24]}")
    for index, item in enumerate(record.get("slogans", [])):
        handle(item, "quote", 0, f"slogans[{index}] {item.get('name')}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, nargs="+")
    parser.add_argument("--check", action="store_true", help="verify only; write nothing")
    args = parser.parse_args()
    failed = False
    for path in args.gold:
        record = json.loads(path.read_text(encoding="utf-8"))
        text = load_document(REPO / "seeds" / f"{record['doc_id']}.txt").text
        problems = ground(record, text, args.check)
        for problem in problems:
            print(f"{path.name}: {problem}", file=sys.stderr)
        failed |= bool(problems)
        if not args.check:
            path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        counts = {k: len(record.get(k, [])) for k in ("outline", "indicators", "slogans")}
        print(f"{path.name}: {'problems' if problems else 'ok'} {counts}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
