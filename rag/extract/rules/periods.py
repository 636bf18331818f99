"""Five-year periods: the stretches of a report that speak of a five-year plan period, not one year.

A 2026 provincial report reviews 2025 and the 十四五 (2021–2025), sets its 十五五 goals (2026–2030) and
plans 2026, often in one chapter each, sometimes paragraph by paragraph in one chapter. A figure of
a five-year stretch is not one year's: a 十四五 result belongs to the period (its year the period's
last, 2025) and a 十五五 goal to 2030. This module finds those stretches paragraph by paragraph;
`rag.extract.rules.indicators` stamps the period on each figure in them. The cue words are in
`rag/core/lexicon/periods.toml`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from rag.core.lexicon import lexicon
from rag.core.spans import Span
from rag.ingest.structure import Heading, Outline

# The n-th five-year plan from the third on runs 1966 + 5·(n − 3) … + 4 (the first two predate a gap).
PLAN_NUMERALS = {"十一": 11, "十二": 12, "十三": 13, "十四": 14, "十五": 15, "十六": 16, "十七": 17}


def plan_years(number: int) -> tuple[int, int]:
    """The years of the n-th five-year plan: 14 → (2021, 2025)."""
    first = 1966 + 5 * (number - 3)
    return first, first + 4


@dataclass(frozen=True)
class PeriodZone:
    span: Span
    first: int
    last: int


@dataclass(frozen=True)
class _Cues:
    # cue text → the period it names, or None for a cue that returns to a single year
    cues: tuple[tuple[str, tuple[int, int] | None], ...]
    heading_single: tuple[str, ...]
    opening: int


@cache
def _cues(review_year: int | None, plan_year: int | None) -> _Cues:
    words = lexicon("periods")
    past = (review_year - 4, review_year) if review_year is not None else None
    future = (plan_year, plan_year + 4) if plan_year is not None else None
    cues: list[tuple[str, tuple[int, int] | None]] = []
    if past is not None:
        cues += [(w, past) for w in words["past_five"]]
    if future is not None:
        cues += [(w, future) for w in words["future_five"]]
    for numeral, number in PLAN_NUMERALS.items():
        period = plan_years(number)
        # A named period counts when it is the one just reviewed or the one just starting.
        if period not in (past, future):
            continue
        cues += [(w.replace("{n}", numeral), period) for w in words["named_five"]]
        cues += [(w.replace("{n}", numeral).replace("“", "").replace("”", ""), period) for w in words["named_five"] if "“" in w]
    years = {"{r}": review_year, "{p}": plan_year}
    singles: list[str] = []
    for word in words["single_year"]:
        filled = _fill(word, years)
        if filled is not None:
            singles.append(filled)
    cues += [(w, None) for w in singles]
    heading = tuple(filled for w in words["heading_single_year"] if (filled := _fill(w, years)) is not None)
    return _Cues(tuple(cues), heading, int(words["opening_chars"]))


def _fill(word: str, years: dict[str, int | None]) -> str | None:
    for slot, year in years.items():
        if slot in word:
            if year is None:
                return None
            word = word.replace(slot, str(year))
    return word


def _last_cue(text: str, cues: _Cues) -> tuple[bool, tuple[int, int] | None]:
    """(found, period) for the cue that starts last in `text`; a cue inside a longer one found
    there does not count (`的五年` in `“十五五”时期是…的关键五年` is part of nothing longer, but `五年`
    cues never shadow `“十五五”时期`, which starts earlier and is read first)."""
    matches: list[tuple[int, int, tuple[int, int] | None]] = []
    for word, period in cues.cues:
        start = text.find(word)
        while start >= 0:
            matches.append((start, start + len(word), period))
            start = text.find(word, start + 1)
    inside = {m for m in matches for o in matches if o != m and o[0] <= m[0] and m[1] <= o[1] and (o[1] - o[0]) > (m[1] - m[0])}
    kept = sorted(set(matches) - inside, key=lambda m: (m[0], m[1]))
    return (False, None) if not kept else (True, kept[-1][2])


def period_zones(folded: str, outline: Outline, review_year: int | None, plan_year: int | None,
                 default: tuple[int, int] | None = None) -> list[PeriodZone]:
    """The paragraphs that speak of the five-year period just reviewed or just starting.

    A cue holds for the rest of the section it stands in: a chapter heading naming a period (and no
    single year) for its chapter, a lead-in paragraph (`回望过去五年，…`) for the rest of its section,
    sub-headings included, and a cue under `（一）` only until `（二）`. `default` is the period a
    document speaks of where no cue says otherwise (a five-year plan's own period)."""
    if review_year is None and plan_year is None:
        return []
    cues = _cues(review_year, plan_year)
    changes = outline.path_changes
    starts = [position for position, _ in changes]
    zones: list[PeriodZone] = []
    scoped: list[tuple[Heading | None, tuple[int, int] | None]] = []  # (section, state) innermost last
    root_ids = {id(root) for root in outline.roots}  # a long text has thousands of chapters
    for para in outline.paragraphs:
        path = tuple(h for h in changes[max(0, bisect_right(starts, para.start) - 1)][1] if h.level != "item")
        while scoped and scoped[-1][0] is not None and not any(h is scoped[-1][0] for h in path):
            scoped.pop()  # the section a cue held for has ended
        own = path[-1] if path and path[-1].start == para.start else None
        rest = para
        if own is not None:
            title = own.title_span.of(folded)
            found, period = _last_cue(title, cues)
            if found or id(own) in root_ids:  # a chapter starts afresh
                if not found:
                    named = default
                elif period is not None and not any(w in title for w in cues.heading_single):
                    named = period
                else:
                    named = None
                scoped.append((own, named))
            rest = Span(own.title_span.end, para.end)
        if rest.length > 0:
            found, period = _last_cue(folded[rest.start : min(rest.end, rest.start + cues.opening)], cues)
            if found:
                section = path[-1] if path else None
                if scoped and scoped[-1][0] is section:
                    scoped[-1] = (section, period)
                else:
                    scoped.append((section, period))
        state = scoped[-1][1] if scoped else default
        if state is not None:
            if zones and (zones[-1].first, zones[-1].last) == state and folded[zones[-1].span.end : para.start].strip() == "":
                zones[-1] = PeriodZone(Span(zones[-1].span.start, para.end), *state)
            else:
                zones.append(PeriodZone(para, *state))
    return zones


_RANGE_DASH = r"\s*(?:—{1,2}|–|-|~|～|至|到)\s*"


def period_span_re(period: tuple[int, int]) -> re.Pattern[str]:
    """`2021—2025年`, `2021年至2025年`, `2021-2025年`: a period written as its years."""
    return re.compile(rf"{period[0]}年?{_RANGE_DASH}{period[1]}年")


def sentence_period(before: str, review_year: int | None, plan_year: int | None) -> tuple[int, int] | None:
    """The period a sentence names before its figure (`2021—2025年，累计…`, `“十四五”期间累计…`)."""
    if review_year is None and plan_year is None:
        return None
    cues = _cues(review_year, plan_year)
    candidates = [p for p in ((review_year - 4, review_year) if review_year else None,
                              (plan_year, plan_year + 4) if plan_year else None) if p is not None]
    for candidate in candidates:
        if period_span_re(candidate).search(before):
            return candidate
    found, period = _last_cue(before, cues)
    return period if found else None
