"""`rag track`'s verdicts: the comparator's meaning and the metric's direction, as the README states."""

from __future__ import annotations

import pytest

from rag.answer.across import judge


def target(value, comparator="exact", unit="%", canonical="gdp", value_max=None):
    return {"value": value, "value_max": value_max, "comparator": comparator, "unit": unit, "canonical": canonical}


@pytest.mark.parametrize(("row", "actual", "verdict"), [
    (target(8), 8.9, "met"),                                   # a plain target is met at or above
    (target(8), 7.9, "not_met"),
    (target(5, "at_least"), 5.0, "met"),                       # 以上
    (target(5, "about"), 4.6, "within"),                       # 左右: within 0.5 points below
    (target(5, "about"), 4.4, "not_met"),
    (target(5, "about"), 5.8, "met"),
    (target(300, "about", unit="亿元"), 295, "within"),         # 左右 of an amount: within 2%
    (target(4, "at_most", canonical="registered_unemployment"), 3.8, "met"),  # 以内, lower is better
    (target(5.5, "about", canonical="surveyed_unemployment"), 5.2, "met"),    # lower is better: below is met
    (target(5.5, "about", canonical="surveyed_unemployment"), 5.9, "within"),
    (target(5.5, "about", canonical="surveyed_unemployment"), 6.2, "not_met"),
    (target(5, "range", value_max=5.5), 5.3, "met"),
    (target(5, "range", value_max=5.5), 4.8, "not_met"),
])
def test_verdicts(row, actual, verdict):
    assert judge(row, actual)[0] == verdict
