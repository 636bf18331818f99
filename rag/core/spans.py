"""Spans: half-open [start, end) intervals in code points of a document's decoded original text.

Every item and citation that leaves the program carries one; `span.of(text) == quote` must hold.
A NamedTuple so that spans serialise as the guide's `[start, end]` and validate from it.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Sequence
from typing import NamedTuple


class Span(NamedTuple):
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start

    def of(self, text: str) -> str:
        return text[self.start : self.end]

    def is_valid_in(self, text: str) -> bool:
        return 0 <= self.start <= self.end <= len(text)

    def grounds(self, text: str, quote: str) -> bool:
        """True when the span is in range and the text at it is exactly `quote`."""
        return self.is_valid_in(text) and text[self.start : self.end] == quote

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def shift(self, offset: int) -> Span:
        return Span(self.start + offset, self.end + offset)

    def strip(self, text: str, chars: str | None = None) -> Span:
        """The same span without leading and trailing whitespace (or `chars`)."""
        start, end = self.start, self.end
        while start < end and (text[start] in chars if chars else text[start].isspace()):
            start += 1
        while end > start and (text[end - 1] in chars if chars else text[end - 1].isspace()):
            end -= 1
        return Span(start, end)


class SpanLookup:
    """Which of many spans holds a position, answered in O(log n) as a scan in list order would
    answer it (the first span that holds it), overlapping spans included.

    Extraction asks this for every figure of a report (which section, which period zone); scanning
    every zone for every figure grew with the square of a long text.
    """

    def __init__(self, spans: Sequence[Span]) -> None:
        self._bounds = sorted({s.start for s in spans} | {s.end for s in spans})
        by_start = sorted(range(len(spans)), key=lambda i: spans[i].start)
        self._owner: list[int] = []
        open_spans: list[int] = []  # indexes of spans begun, lowest first; ended ones leave lazily
        cursor = 0
        for bound in self._bounds[:-1]:  # the elementary piece [bound, next bound)
            while cursor < len(by_start) and spans[by_start[cursor]].start <= bound:
                heapq.heappush(open_spans, by_start[cursor])
                cursor += 1
            while open_spans and spans[open_spans[0]].end <= bound:
                heapq.heappop(open_spans)
            self._owner.append(open_spans[0] if open_spans else -1)

    def first(self, position: int) -> int | None:
        """The index of the first span (in the order given) with start <= position < end."""
        piece = bisect_right(self._bounds, position) - 1
        if piece < 0 or piece >= len(self._owner):
            return None
        owner = self._owner[piece]
        return owner if owner >= 0 else None

    def covers(self, position: int) -> bool:
        return self.first(position) is not None
