"""Scoring comparisons and tracking against the development corpus's gold headline items.

- The comparison set: every gold headline target (and headline actual) whose metric has a canonical
  key, as a cell `rag compare` must fill for that region, year and kind of change with exactly the
  gold value (and upper end of a range).
- The tracking set: for a region's consecutive reports N and N+1, each gold headline target of N
  joined with the gold headline actual of N+1 of the same canonical metric, change and unit; its
  verdict is stated by applying the README's rule (`rag/answer/across.py`) to the gold values, and
  `rag track` must give the same pair of values and the same verdict. A target whose metric the gold
  of N+1 lacks is not scored: that gold covers only the opening summary, and the report may give the
  result in a later chapter (`rag track` finds it there). "No result reported" is tested on reports
  written for the tests (tests/cli/test_across.py).
"""

from __future__ import annotations

from typing import Any

from rag.answer.across import compare, judge, track
from rag.core.metrics import canonical_metric
from rag.extract.table import IndicatorTable


def _key(item: dict[str, Any], region: str) -> str | None:
    return canonical_metric(item["metric"], item["change"], region)


def _same(value: Any, gold: float | None) -> bool:
    if gold is None:
        return value is None
    return value is not None and abs(float(value) - gold) <= 1e-6 * max(1.0, abs(gold))


def comparison_cases(golds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cases = []
    for gold in golds:
        for kind, field, year in (("target", "headline_targets", gold["plan_year"]), ("actual", "headline_actuals", gold["review_year"])):
            seen: set[tuple[str, str]] = set()
            for item in gold[field]:
                key = _key(item, gold["region"])
                if key is None or (key, item["change"]) in seen or item.get("year") != year:
                    continue
                seen.add((key, item["change"]))  # the first item of a metric and change is the headline
                cases.append({"region": gold["region"], "doc_id": gold["doc_id"], "kind": kind, "year": year, "key": key,
                              "change": item["change"], "value": item["value"], "value_max": item.get("value_max"), "quote": item["quote"]})
    return cases


def tracking_cases(golds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_region: dict[str, list[dict[str, Any]]] = {}
    for gold in golds:
        by_region.setdefault(gold["region"], []).append(gold)
    cases = []
    for region, reports in by_region.items():
        for report in reports:
            following = next((g for g in reports if g["review_year"] == report["plan_year"]), None)
            if following is None:
                continue
            actuals = {(_key(a, region), a["change"], a["unit"]): a for a in following["headline_actuals"] if _key(a, region)}
            seen: set[tuple[str, str]] = set()
            for target in report["headline_targets"]:
                key = _key(target, region)
                if key is None or (key, target["change"]) in seen or target.get("year") != report["plan_year"]:
                    continue
                seen.add((key, target["change"]))
                actual = actuals.get((key, target["change"], target["unit"]))
                if actual is None:
                    continue  # the gold annotates only the opening summary: a result elsewhere is not scored
                row = {"canonical": key, "value": target["value"], "value_max": target.get("value_max"),
                       "comparator": target["comparator"], "unit": target["unit"]}
                verdict = judge(row, actual["value"])[0]
                cases.append({"region": region, "year": report["plan_year"], "key": key, "change": target["change"],
                              "target": target["value"], "result": actual["value"] if actual else None, "verdict": verdict})
    return cases


def score_across(table: IndicatorTable, golds: list[dict[str, Any]]) -> dict[str, Any]:
    """Comparison cells and tracking lines against the gold: scores, counts and the misses."""
    misses: list[str] = []
    compared = comparison_cases(golds)
    right = 0
    cache: dict[tuple[str, int, str, str], Any] = {}
    for case in compared:
        signature = (case["key"], case["year"], case["kind"], case["change"])
        if signature not in cache:
            result = compare(table, [case["key"]], case["year"], case["kind"], case["change"], level="all")
            cache[signature] = {entry["region"]: entry["cells"][0] for entry in result.regions}
        cell = cache[signature].get(case["region"])
        if cell is not None and _same(cell.value, case["value"]) and (case["value_max"] is None or _same(cell.value_max, case["value_max"])):
            right += 1
        else:
            # No quote of the corpus here: reports are kept out of the repository, and this line may land in one.
            misses.append(f"compare {case['region']} {case['year']} {case['kind']} {case['key']} {case['change']}: "
                          f"gold {case['value']:g}, got {getattr(cell, 'value', None) if getattr(cell, 'status', '') == 'stated' else getattr(cell, 'status', 'nothing')}")
    tracked = tracking_cases(golds)
    lines: dict[str, list[Any]] = {}
    track_right = 0
    for case in tracked:
        if case["region"] not in lines:
            lines[case["region"]] = track(table, case["region"])
        line = next((t for t in lines[case["region"]] if t.year == case["year"] and t.key == case["key"] and t.target.change == case["change"]
                     and _same(t.target.value, case["target"])), None)
        good = line is not None and line.verdict == case["verdict"] and (case["result"] is None or _same(line.result.value, case["result"]))
        track_right += good
        if not good:
            got = f"{line.verdict} {line.result.stated or ''}" if line else "no line"
            misses.append(f"track {case['region']} {case['year']} {case['key']} {case['change']}: gold {case['target']:g} → "
                          f"{case['result'] if case['result'] is not None else '—'} {case['verdict']}, got {got}")
    scores = {}  # a set with no case has no score (not a vacuous 1.0)
    if compared:
        scores["compare_accuracy"] = round(right / len(compared), 4)
    if tracked:
        scores["track_accuracy"] = round(track_right / len(tracked), 4)
    return {
        "scores": scores,
        "counts": {"compare_cases": len(compared), "compare_right": right, "track_cases": len(tracked), "track_right": track_right},
        "misses": misses,
    }
