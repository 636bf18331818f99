"""The record's invariants and its JSON Schemas."""

from __future__ import annotations

import pytest
from conftest import REPO
from pydantic import ValidationError

from rag.core.records import DocumentRecord, Indicator, OutlineNode, Slogan, stale_schemas

GOOD = dict(metric="地区生产总值", change="growth", value=8, unit="%", comparator="at_least", kind="target",
            year=2014, hedge=None, quote="地区生产总值同比增长8%以上", span=[10, 24])


def test_a_valid_indicator_round_trips_as_the_guide_shape():
    indicator = Indicator(**GOOD)
    dumped = indicator.model_dump(mode="json")
    assert dumped["span"] == [10, 24] and dumped["change"] == "growth"
    assert Indicator.model_validate(dumped) == indicator


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value_max": 9}, "only for comparator 'range'"),
        ({"comparator": "range"}, "needs value_max"),
        ({"comparator": "range", "value_max": 5}, "below value"),
        ({"span": [10, 20]}, "covers 10 characters"),
        ({"span": [24, 10]}, "not a [start, end)"),
        ({"change": "rise"}, "change"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_invalid_indicators_are_rejected(changes, message):
    with pytest.raises(ValidationError) as info:
        Indicator(**{**GOOD, **changes})
    assert message in str(info.value)


def test_outline_and_slogan_spans_must_fit_their_text():
    OutlineNode(level=1, marker="一、", title="主要目标", span=[2, 6])
    with pytest.raises(ValidationError):
        OutlineNode(level=5, marker="", title="主要目标", span=[2, 6])
    with pytest.raises(ValidationError):
        Slogan(name="五大战略", count=5, items=[], quote="五大战略", span=[0, 3])


def test_years_must_be_plausible():
    with pytest.raises(ValidationError):
        DocumentRecord(doc_id="x", plan_year=20144)


def test_json_schemas_are_current():
    stale = stale_schemas(REPO / "schemas")
    assert not stale, f"regenerate with `python -m rag.core.records --write schemas/`: {stale}"
