from hypothesis import given
from hypothesis import strategies as st

from rag.core.spans import Span, SpanLookup


def test_span_slices_and_grounds_a_quote():
    text = "地区生产总值同比增长8%以上"
    span = Span(0, 6)
    assert span.of(text) == "地区生产总值"
    assert span.grounds(text, "地区生产总值")
    assert not span.grounds(text, "生产总值")
    assert not Span(10, 40).grounds(text, text[10:])


def test_span_relations():
    assert Span(0, 5).overlaps(Span(4, 9))
    assert not Span(0, 5).overlaps(Span(5, 9))
    assert Span(0, 10).contains(Span(2, 3))
    assert Span(2, 4).shift(3) == Span(5, 7)
    assert Span(0, 7).strip("  abc \n") == Span(2, 5)  # noqa: B005 (Span.strip takes the text, not characters)


def test_span_serialises_as_a_pair():
    import json

    assert json.dumps(Span(3, 9)) == "[3, 9]"


_SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)).map(lambda p: Span(p[0], p[0] + p[1])), max_size=12)


@given(spans=_SPANS, position=st.integers(-2, 95))
def test_span_lookup_answers_as_a_scan_in_list_order(spans: list[Span], position: int) -> None:
    # Overlapping, nested, empty and repeated spans: the first span holding the position, by list order.
    scanned = next((i for i, s in enumerate(spans) if s.start <= position < s.end), None)
    lookup = SpanLookup(spans)
    assert lookup.first(position) == scanned
    assert lookup.covers(position) == (scanned is not None)


def test_span_lookup_of_no_spans_holds_nothing() -> None:
    assert SpanLookup([]).first(0) is None
