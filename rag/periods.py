"""Five-year periods: the stretches of a report that speak of a five-year plan period, not one year.

A 2026 provincial report reviews 2025 and the 十四五 (2021–2025), sets its 十五五 goals (2026–2030) and
plans 2026, often in one chapter each, sometimes paragraph by paragraph in one chapter. A figure of
a five-year stretch is not one year's: a 十四五 result belongs to the period (its year the period's
last, 2025) and a 十五五 goal to 2030. This module finds those stretches paragraph by paragraph;
`rag.indicators` stamps the period on each figure in them. The cue words are in
`rag/lexicon/periods.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rag.lexicon import lexicon
from rag.spans import Span
from rag.structure import Outline

# The n-th five-year plan from the third on runs 1966 + 5·(n − 3) … + 4 (the first two predate a gap).
_PLAN_NUMERALS = {"十一": 11, "十二": 12, "十三": 13, "十四": 14, "十五": 15, "十六": 16, "十七": 17}


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
    for numeral, number in _PLAN_NUMERALS.items():
        period = plan_years(number)
        # A named period counts when it is the one just reviewed or the one just starting.
        if period not in (past, future):
            continue
        cues += [(w.replace("{n}", numeral), period) for w in words["named_five"]]
        cues += [(w.replace("{n}", numeral).replace("“", "").replace("”", ""), period) for w in words["named_five"] if "“" in w]
        if period == future:
            cues += [(w.replace("{y}", str(period[1])), period) for w in words["by_year"]]
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
    """(found, period) for the cue that starts last in `text` (the longer on a tie)."""
    best: tuple[int, int, tuple[int, int] | None] | None = None
    for word, period in cues.cues:
        position = text.rfind(word)
        if position >= 0 and (best is None or (position, len(word)) > (best[0], best[1])):
            best = (position, len(word), period)
    return (False, None) if best is None else (True, best[2])


def period_zones(folded: str, outline: Outline, review_year: int | None, plan_year: int | None) -> list[PeriodZone]:
    """The paragraphs that speak of the five-year period just reviewed or just starting."""
    if review_year is None and plan_year is None:
        return []
    cues = _cues(review_year, plan_year)
    chapters = {h.start: h for h in outline.roots if h.level != "item"}
    zones: list[PeriodZone] = []
    state: tuple[int, int] | None = None
    for para in outline.paragraphs:
        chapter = chapters.get(para.start)
        if chapter is not None:
            # A chapter heading that names a period and no single year puts its paragraphs in it.
            title = chapter.title_span.of(folded)
            found, period = _last_cue(title, cues)
            state = period if found and period is not None and not any(w in title for w in cues.heading_single) else None
            rest = Span(chapter.title_span.end, para.end)
        else:
            rest = para
        if rest.length > 0:
            found, period = _last_cue(folded[rest.start : min(rest.end, rest.start + cues.opening)], cues)
            if found:
                state = period
        if state is not None:
            if zones and zones[-1].last == state[1] and zones[-1].first == state[0] and folded[zones[-1].span.end : para.start].strip() == "":
                zones[-1] = PeriodZone(Span(zones[-1].span.start, para.end), *state)
            else:
                zones.append(PeriodZone(para, *state))
    return zones


def period_at(position: int, zones: list[PeriodZone]) -> tuple[int, int] | None:
    for zone in zones:
        if zone.span.start <= position < zone.span.end:
            return zone.first, zone.last
    return None
