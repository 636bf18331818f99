"""The case tables in tests/cases/: one parametrized test per table, one case per row.

A failure names the table, the line and the row's `why`, so it says which phrasing broke.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from rag.extract.rules.engine import RulesEngine

CASES = Path(__file__).resolve().parents[1] / "cases"
HEAD = ("2026年某某省政府工作报告\n——2026年1月20日在某某省第十四届人民代表大会第五次会议上\n各位代表：\n"
        "现在，我代表省人民政府，向大会报告工作，请予审议。\n")
SECTIONS = {"review": "一、2025年工作回顾", "plan": "二、2026年工作安排"}


def rows(name: str) -> list[Any]:
    """The table's rows as pytest params, each with an id naming its line and why."""
    lines = (CASES / name).read_text(encoding="utf-8").splitlines()
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
    header, *body = numbered
    reader = csv.DictReader([header[1]] + [line for _, line in body], delimiter="\t", quoting=csv.QUOTE_NONE)
    return [pytest.param(row, id=f"{name}:{number} {row['why']}") for (number, _), row in zip(body, reader, strict=True)]


def _field(indicator: Any, name: str) -> Any:
    value = getattr(indicator, name)
    return value.value if hasattr(value, "value") else value


def _matches(indicator: Any, expectation: str) -> bool:
    key, _, wanted = expectation.partition("=")
    if key.endswith("!~"):
        return wanted not in str(_field(indicator, key[:-2]))
    if key.endswith("~"):
        return wanted in str(_field(indicator, key[:-1]))
    actual = _field(indicator, key)
    if wanted == "none":
        return actual is None
    if isinstance(actual, float) or key in ("year", "value_max", "base_value"):
        return actual is not None and float(actual) == pytest.approx(float(wanted))
    return str(actual) == wanted


@pytest.mark.parametrize("row", rows("indicators.tsv"))
def test_indicator_cases(row: dict[str, str]):
    text = HEAD + SECTIONS[row["section"]] + "\n" + row["sentence"] + "\n"
    indicators = RulesEngine().extract("case", text).indicators
    value, unit = float(row["value"]), row["unit"]
    if row["expect"] == "absent":  # a number that is not an indicator (a size in a name, a streak, a rank)
        taken = [(i.value, i.unit, i.quote) for i in indicators if i.value == value]
        assert not taken, f"{value:g} taken as an indicator: {taken}"
        return
    found = [i for i in indicators if i.value == value and i.unit == unit]
    assert found, f"no {value:g}{unit} in {[(i.value, i.unit, i.quote) for i in indicators]}"
    expectations = [e.strip() for e in (row["expect"] or "").split(" ; ") if e.strip()]
    wrong = [e for e in expectations if not _matches(found[0], e)]
    assert not wrong, f"{wrong} for {found[0].model_dump(include={'metric', 'kind', 'year', 'hedge', 'comparator', 'quote'})}"


@pytest.mark.parametrize("row", rows("outline.tsv"))
def test_outline_cases(row: dict[str, str]):
    from rag.ingest.structure import parse_outline

    # Behind a report head, so the first lines are body, not the document's title block.
    text = HEAD + row["text"].replace("\\n", "\n") + "\n"
    got = [f"{h.level}|{h.title(text)}" for h in parse_outline(text).walk()]
    expected = [e.strip() for e in row["expect"].split(" ; ") if e.strip()]
    assert got == expected


@pytest.mark.parametrize("row", rows("questions.tsv"))
def test_question_cases(row: dict[str, str]):
    from rag.answer.offline import question_kind

    assert (question_kind(row["question"]) or "none") == row["kind"]


@pytest.mark.parametrize("row", rows("slogans.tsv"))
def test_slogan_cases(row: dict[str, str]):
    text = HEAD + SECTIONS["plan"] + "\n" + row["sentence"] + "\n"
    slogans = {s.name: s for s in RulesEngine().extract("case", text).slogans}
    assert row["name"] in slogans, list(slogans)
    slogan = slogans[row["name"]]
    assert slogan.count == (None if row["count"] == "none" else int(row["count"]))
    assert "、".join(slogan.items) == (row["items"] or "")
    assert text[slogan.span.start : slogan.span.end] == slogan.quote


@pytest.mark.parametrize("row", rows("facts.tsv"))
def test_facts_cases(row: dict[str, str]):
    from rag.extract.rules.engine import document_facts

    facts = document_facts(row["head"].replace("\\n", "\n") + "\n")

    def wanted(name: str) -> object:
        value = row[name]
        return None if value == "none" else (int(value) if name.endswith("year") else value)

    assert {k: facts[k] for k in ("region", "plan_year", "review_year", "doc_type")} == {
        k: wanted(k) for k in ("region", "plan_year", "review_year", "doc_type")}


@pytest.mark.parametrize("row", rows("canonical.tsv"))
def test_canonical_metric_cases(row: dict[str, str]):
    from rag.core.metrics import canonical_metric

    assert (canonical_metric(row["metric"], row["change"], row["region"]) or "none") == row["key"]
