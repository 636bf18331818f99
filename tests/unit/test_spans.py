from rag.core.spans import Span


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
