"""Spans: half-open [start, end) intervals in code points of a document's decoded original text.

Every item and citation that leaves the program carries one; `span.of(text) == quote` must hold.
A NamedTuple so that spans serialise as the guide's `[start, end]` and validate from it.
"""

from __future__ import annotations

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
