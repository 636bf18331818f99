"""Indicator rules: find the quantities a planning document reports or commits to.

Works on the folded copy of the text (same length as the original), so every position found here
is a position in the original; quotes are cut from the original. Three steps:

1. quantities: a numeral (Arabic with decimals and thousands separators, or Chinese, converted by
   `cn2an` on the numeral span only) with its unit from the table, a range partner, and the
   comparator words around it; numbers in names, years, dates, ordinals, quoted codes and book
   titles never become quantities;
2. roles: a quantity that only qualifies what is counted (`5亿元以上企业`) is dropped;
3. reading: metric, change, sign, comparator, hedge, kind and year from the clause and its section.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from rag.core.lexicon import lexicon
from rag.core.records import Change, Comparator, Indicator, Kind, Scope
from rag.core.spans import Span, SpanLookup
from rag.extract.rules.periods import PeriodZone, period_span_re, sentence_period
from rag.extract.rules.words import Endings, ends_with_word, starts_with_word, tagged
from rag.extract.rules.words import words as segmented

# ---- the tables --------------------------------------------------------------------------------

_UNIT_WORDS = lexicon("units")
_COUNT_UNITS = list(_UNIT_WORDS["count_units"])
_UNITS = sorted([*_UNIT_WORDS["units"], *(u for u in _COUNT_UNITS if u not in _UNIT_WORDS["count_units_not_alone"])],
                key=len, reverse=True)
# A unit is complete as written: `万`/`亿` followed by a unit belong with it (`万亿元`, `万标准箱`,
# `亿斤`, `万人次`, `万名`, `万架次`), never cut at the magnitude.
_MAGNITUDES = {name: float(factor) for name, factor in _UNIT_WORDS["magnitudes"].items()}
_AFTER_MAGNITUDE = [*_UNIT_WORDS["after_magnitude"], *_COUNT_UNITS]
# A one-character count unit after a magnitude is a unit (`1万名乡村医生`, `3万家企业`) unless it
# opens a word with the next character: `1.5万个体工商户` is 1.5万 个体工商户, `2.3万村民` 2.3万 村民.
_WORDS_FROM_A_COUNT = frozenset(_UNIT_WORDS["words_from_a_count"])
_PLAIN_UNITS = frozenset(_UNITS)  # the units as listed, before compounds after a magnitude
_UNITS = sorted(set(_UNITS) | {m + u for m in _MAGNITUDES for u in _AFTER_MAGNITUDE if len(m) == 1 or u in ("元", "美元")},
                key=len, reverse=True)
_UNIT_RE = re.compile("|".join(re.escape(u) for u in _UNITS))
_MONEY_UNITS = set(_UNIT_WORDS["money_units"])
_PER_UNIT_RE = re.compile("/(?:" + "|".join(map(re.escape, sorted(_UNIT_WORDS["per_units"], key=len, reverse=True))) + ")")
_ALTERNATIVE_UNIT_RE = re.compile(rf"\((?:{'|'.join(map(re.escape, _COUNT_UNITS))})\)")
_BASE_UNITS = {unit: (float(factor), base) for unit, (factor, base) in _UNIT_WORDS["base_units"].items()}

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CHINESE = r"[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?"
_NUMERAL_RE = re.compile(rf"百分之(?P<pct>{_CHINESE}|{_ARABIC})|(?P<ar>{_ARABIC})|(?P<cn>{_CHINESE})")
_RANGE_DASH_RE = re.compile(r"\s*(?:—{1,2}|–|-|~|～|至|到)\s*")

_COMPARATOR_WORDS = lexicon("indicators")["comparators"]
_AT_LEAST_AFTER = tuple(_COMPARATOR_WORDS["at_least_after"])
_AT_MOST_AFTER = tuple(_COMPARATOR_WORDS["at_most_after"])
_ABOUT_AFTER = tuple(_COMPARATOR_WORDS["about_after"])
_AT_LEAST_BEFORE = tuple(_COMPARATOR_WORDS["at_least_before"])
_AT_MOST_BEFORE = tuple(_COMPARATOR_WORDS["at_most_before"])
_ABOUT_BEFORE = tuple(_COMPARATOR_WORDS["about_before"])
_COMPARATOR_BEFORE = Endings(_AT_LEAST_BEFORE + _AT_MOST_BEFORE + _ABOUT_BEFORE)
# In this order: `不超过` is at most, though it ends in `超过`, an at-least word.
_COMPARATORS_BEFORE = ((Endings(_AT_MOST_BEFORE), Comparator.at_most), (Endings(_AT_LEAST_BEFORE), Comparator.at_least),
                       (Endings(_ABOUT_BEFORE), Comparator.about))

@dataclass(frozen=True)
class _KindWords:
    """The words of `rag/core/lexicon/indicators.toml` [kind], with the derived lists completed."""

    hedges: tuple[str, ...]
    hedge_not_after: tuple[str, ...]
    next_year: tuple[str, ...]
    target_openers: tuple[str, ...]
    actual_markers: tuple[str, ...]
    target_cues: tuple[str, ...]
    secured_after_zhengqu: tuple[str, ...]
    review_clause_breaks: tuple[str, ...]
    not_after: dict[str, tuple[str, ...]]


def _kind_words() -> _KindWords:
    words = lexicon("indicators")["kind"]
    time = tuple(words["this_year"]) + tuple(words["next_year"])
    return _KindWords(
        hedges=tuple(words["hedges"]), hedge_not_after=tuple(words["hedge_not_after"]), next_year=tuple(words["next_year"]),
        target_openers=tuple(words["hedges"]) + time + tuple(words["target_openers"]),
        actual_markers=tuple(words["actual_markers"]),
        target_cues=tuple(words["hedges"]) + time + tuple(words["target_cues"]),
        secured_after_zhengqu=tuple(words["secured_after_zhengqu"]),
        review_clause_breaks=tuple(words["review_clause_breaks"]),
        not_after={**{h: tuple(words["hedge_not_after"]) for h in words["hedges"]},
                   **{cue: tuple(before) for cue, before in words["cue_not_after"].items()}},
    )


KIND_WORDS = _kind_words()
HEDGES = KIND_WORDS.hedges
_CHANGE_WORDS = lexicon("indicators")["change"]
_GROWTH_WORDS = tuple(_CHANGE_WORDS["growth_words"])
_FALL_WORDS = tuple(_CHANGE_WORDS["fall_words"])
_LEVEL_AFTER = _CHANGE_WORDS["level_after"]
_METRIC_WORDS = lexicon("indicators")["metric"]
_SCOPE_WORDS = lexicon("indicators")["scope"]
# `比2020年`, `较“十三五”末`, `较上年`: the base a change is measured from, never part of a name.
_COMPARISON_BASE_RE = re.compile(r"(?:比|较)(?:(?:19|20)\d\d年|“?十[一二三四五六]五”?(?:时期)?|上年|去年|同期)(?:末|底)?(?:的[\d.]+[万亿]*元)?$")
_JOINT_METRICS = {joint: tuple(parts) for joint, parts in lexicon("indicators")["joint_metrics"].items()}

# Words that open a clause but are not part of a metric's name.
_LEADING_NOISE = sorted([*_METRIC_WORDS["leading_noise"], *HEDGES], key=len, reverse=True)
_TRAILING_NOISE = sorted(_METRIC_WORDS["trailing_noise"], key=len, reverse=True)
_TRAILING_NOISE_ENDINGS = Endings(_TRAILING_NOISE)

_CLAUSE_BREAK = set(",，、:：")
_SENTENCE_BREAK = set("。;；!?！？\n")
_QUOTE_PAIRS = {"“": "”", "\"": "\"", "‘": "’", "「": "」", "《": "》", "『": "』"}
_NOUN_STOP = set("的和与及、,，。;；:：等以或暨（(")


@dataclass
class Quantity:
    start: int  # first character of the numeral (or of 百分之 / 翻)
    end: int  # after unit and trailing comparator
    value: float
    value_max: float | None
    unit: str
    comparator: Comparator
    numeral_end: int
    unit_end: int
    noun_after: Span | None = None


@dataclass
class Context:
    """What the reader needs to know about the document around a quantity."""

    review_zones: list[Span] = field(default_factory=list)
    plan_zones: list[Span] = field(default_factory=list)
    plan_year: int | None = None
    review_year: int | None = None
    period_zones: list[PeriodZone] = field(default_factory=list)

    # Looked up for every figure, so indexed once; the zones are complete before the first lookup
    # (the engine fills them, then reads indicators).
    @cached_property
    def _review(self) -> SpanLookup:
        return SpanLookup(self.review_zones)

    @cached_property
    def _plan(self) -> SpanLookup:
        return SpanLookup(self.plan_zones)

    @cached_property
    def _periods(self) -> SpanLookup:
        return SpanLookup([zone.span for zone in self.period_zones])

    def section_kind(self, position: int) -> Kind | None:
        """Actual in a review section, target in a plan section, else undecided by the section."""
        if self._review.covers(position):
            return Kind.actual
        if self._plan.covers(position):
            return Kind.target
        return None

    def period_at(self, position: int) -> tuple[int, int] | None:
        """The five-year period of the zone holding `position`, if any."""
        index = self._periods.first(position)
        if index is None:
            return None
        zone = self.period_zones[index]
        return zone.first, zone.last


# ---- step 1: quantities ------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _chinese_value(numeral: str) -> float | None:
    import cn2an

    try:
        return float(cn2an.cn2an(numeral.replace("〇", "零"), "strict"))
    except (ValueError, KeyError, TypeError):
        pass
    try:  # cn2an's strict mode refuses a bare `两` (`两处`, `两所`); it is two
        return float(cn2an.cn2an(numeral.replace("〇", "零").replace("两", "二"), "strict"))
    except (ValueError, KeyError, TypeError):
        return None


def _match_unit(folded: str, position: int) -> str | None:
    match = _UNIT_RE.match(folded, position)  # alternatives longest first: the longest unit wins
    if match is None:
        return None
    unit = match.group()
    magnitude = unit[:-1]
    if (magnitude in _MAGNITUDES and unit[-1] in _COUNT_UNITS and unit not in _PLAIN_UNITS
            and any(folded.startswith(word, match.end() - 1) for word in _WORDS_FROM_A_COUNT)):
        return magnitude  # the count character opens a word
    return unit


def _quoted_regions(folded: str) -> list[Span]:
    """Short quoted names and book titles: numbers inside them are names, not quantities."""
    regions: list[Span] = []
    for opening, closing in _QUOTE_PAIRS.items():
        start = folded.find(opening)
        while start >= 0:
            end = folded.find(closing, start + 1)
            if end < 0:
                break
            if opening == "《" or end - start <= 14:
                regions.append(Span(start, end + 1))
            start = folded.find(opening, end + 1)
    return regions


class _Intervals:
    """Spans merged into sorted, disjoint intervals: whether a position or a span falls in one, in
    log time (a long report has thousands of quoted names and figures)."""

    def __init__(self, spans: list[Span]) -> None:
        merged: list[list[int]] = []
        for span in sorted(spans, key=lambda s: s.start):
            if merged and span.start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], span.end)
            else:
                merged.append([span.start, span.end])
        self.starts = [m[0] for m in merged]
        self.ends = [m[1] for m in merged]

    def covers(self, position: int) -> bool:
        index = bisect.bisect_right(self.starts, position) - 1
        return index >= 0 and position < self.ends[index]

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.starts, end - 1) - 1  # the last interval starting before `end`
        return index >= 0 and self.ends[index] > start


def find_quantities(folded: str) -> list[Quantity]:
    quoted = _Intervals(_quoted_regions(folded))
    out: list[Quantity] = []
    position = 0
    while True:
        match = _NUMERAL_RE.search(folded, position)
        if match is None:
            break
        position = match.end()
        quantity = _read_quantity(folded, match)
        if quantity is None:
            continue
        if quoted.covers(quantity.start):
            continue
        out.append(quantity)
        position = max(position, quantity.end)
    out.extend(_doublings(folded, quoted))
    taken = _Intervals([Span(q.start, q.end) for q in out])
    out.extend(q for q in _bare_magnitudes(folded) if not taken.overlaps(q.start, q.end))
    out.sort(key=lambda q: q.start)
    return out


_BARE_OPENERS = tuple(sorted(lexicon("indicators")["bare_magnitudes"]["openers"], key=len, reverse=True))
_BARE_RE = re.compile(r"(?P<m>[百千])?(?P<more>余|多)?")
_BARE_WORDS = lexicon("indicators")["bare_magnitudes"]
_BARE_IDIOMS = tuple(_BARE_WORDS["idioms"])
_BARE_ENDS = tuple(_BARE_WORDS["may_follow"])


def _bare_magnitudes(folded: str) -> list[Quantity]:
    """`超千亿元`, `突破万亿元`, `突破百万辆`, `带动千余家`: a magnitude with no numeral before it is
    the number (千 = 1000, 百 = 100, a bare 万亿元 = one 万亿元), after a word that states an amount."""
    out: list[Quantity] = []
    starts = [opener.end() for opener in re.finditer("|".join(_BARE_OPENERS), folded)]
    # `千余家`, `百余个`: 余/多 after a bare 百/千 makes it a number wherever it stands.
    starts += [m.start() for m in re.finditer(r"(?<![一二两三四五六七八九十百千万\d])[百千](?=余|多)", folded)]
    for position in sorted(set(starts)):
        match = _BARE_RE.match(folded, position)
        if match is None:
            continue
        cursor = match.end()
        unit = _match_unit(folded, cursor)
        if unit is None:
            continue
        if match.group("m"):
            value = 100.0 if match.group("m") == "百" else 1000.0
            if unit not in _COUNT_UNITS and not unit.startswith(tuple(_MAGNITUDES)):
                continue
        elif unit.startswith(tuple(_MAGNITUDES)) and unit not in _MAGNITUDES:
            if match.group("more"):
                continue
            value = 1.0
        else:
            continue
        after_unit = folded[cursor + len(unit) : cursor + len(unit) + 2]
        if folded.startswith(_BARE_IDIOMS, match.start()):
            continue  # `千家万户`, `千方百计`
        names_next = "\u4e00" <= after_unit[:1] <= "\u9fff" and not after_unit.startswith(_BARE_ENDS) and not match.group("more")
        if names_next and (not match.group("m") or folded[position - 1 : position] in "超过"):
            continue  # `万元地区生产总值能耗`, `超百亿元项目`: the magnitude names or classes what follows
        if not match.group("m") and not match.group("more") and match.start() != cursor:
            continue
        comparator = Comparator.at_least if match.group("more") else Comparator.exact
        start = match.start() if match.group("m") else cursor
        unit_end = cursor + len(unit)
        after = _comparator_after(folded, unit, unit_end)
        end = unit_end
        if after is not None and comparator is Comparator.exact:
            comparator, end = after
        out.append(Quantity(start, end, value, None, unit, comparator, cursor, unit_end))
    return out


def _read_quantity(folded: str, match: re.Match[str]) -> Quantity | None:
    start, numeral_end = match.start(), match.end()
    if _inside_a_code(folded, start, numeral_end):
        return None
    if match.group("pct") is not None:
        raw = match.group("pct")
        value = float(raw.replace(",", "")) if raw[0].isdigit() else _chinese_value(raw)
        if value is None:
            return None
        return Quantity(start, numeral_end, value, None, "%", Comparator.exact, numeral_end, numeral_end)
    is_chinese = match.group("cn") is not None
    # A Chinese numeral is converted only once its unit and context make it a quantity (below).
    value = 0.0 if is_chinese else float(match.group("ar").replace(",", ""))

    cursor = numeral_end
    comparator = Comparator.exact
    if folded.startswith(("余", "多"), cursor) and not is_chinese:
        comparator = Comparator.at_least
        cursor += 1
    unit = _match_unit(folded, cursor)
    value_max = None
    if (unit is None or unit == "%") and not is_chinese:
        ranged = _range_partner(folded, cursor, unit)
        if ranged is not None:
            value_max, unit, cursor = ranged
            comparator = Comparator.range
    if unit is None or unit in ("年", "月", "日"):
        return None
    unit_end = cursor + len(unit)
    if unit in _MAGNITUDES and folded[unit_end : unit_end + 1] in ("多", "余") and comparator is Comparator.exact:
        # `1.2万多户`, `3亿多元`: the count unit after 多 completes the unit; 多 makes it a floor.
        rest = _match_unit(folded, unit_end + 1)
        if rest is not None and rest not in _MAGNITUDES and unit + rest in _UNITS:
            unit, unit_end, comparator = unit + rest, unit_end + 1 + len(rest), Comparator.at_least
    if is_chinese:
        converted = _chinese_value(match.group("cn")) if _chinese_counts(folded, start, unit_end, unit) else None
        if converted is None:
            return None
        value = converted
    following = folded[unit_end : unit_end + 3]
    if following.startswith(("范围", "半径", "以外", "外", "强")) or (unit == "亿" and following.startswith("元")):
        return None  # `500米范围`, 世界500强
    alternative = _ALTERNATIVE_UNIT_RE.match(folded, unit_end) or _PER_UNIT_RE.match(folded, unit_end)
    if alternative:  # `2.6万户（套）`, `810元/月`, `12万吨/日`: the unit as written, to its end
        unit, unit_end = unit + alternative.group(), alternative.end()
    end = unit_end
    after = _comparator_after(folded, unit, unit_end) if comparator is not Comparator.range else None
    if after is not None:
        comparator, end = after
    return Quantity(start, end, value, value_max, unit, comparator, numeral_end, unit_end)


def _inside_a_code(folded: str, start: int, numeral_end: int) -> bool:
    """`第3`, `PM2.5`, `5G`, `“8+4”`: a numeral that is part of an ordinal, a code or a formula."""
    before = folded[max(0, start - 2) : start]
    after = folded[numeral_end : numeral_end + 1]
    if before.endswith(("第", "+")) or (before and before[-1].isascii() and before[-1].isalpha()):
        return True
    return after.isascii() and (after.isalpha() or after == "+")


def _range_partner(folded: str, cursor: int, unit: str | None) -> tuple[float, str, int] | None:
    """A range: `5%—5.5%`, `500—1000米`, `5-5.5%`: (upper value, unit, position after the upper value)."""
    dash = _RANGE_DASH_RE.match(folded, cursor + (1 if unit == "%" else 0))
    if not dash:
        return None
    partner = re.compile(_ARABIC).match(folded, dash.end())
    if not partner:
        return None
    partner_unit = _match_unit(folded, partner.end())
    if partner_unit is None or (unit is not None and partner_unit != unit):
        return None
    return float(partner.group().replace(",", "")), partner_unit, partner.end()


def _comparator_after(folded: str, unit: str, unit_end: int) -> tuple[Comparator, int] | None:
    """`以上`, `以内`, `左右` after the unit (and `多` after a count): the comparator and the new end."""
    for words, kind in ((_AT_LEAST_AFTER, Comparator.at_least), (_AT_MOST_AFTER, Comparator.at_most), (_ABOUT_AFTER, Comparator.about)):
        word = next((w for w in words if folded.startswith(w, unit_end)), None)
        if word and not (word == "多" and unit not in _COUNT_UNITS) and word != "强":
            return kind, unit_end + len(word)
    return None


_CHINESE_COUNT_WORDS = lexicon("indicators")["chinese_counts"]
_COUNT_LIST_MARKS = "|".join(_CHINESE_COUNT_WORDS["list_marks"])
_COUNT_RESULTS = tuple(_CHINESE_COUNT_WORDS["results"])
_COUNT_WORK_VERBS = tuple(_CHINESE_COUNT_WORDS["work_verbs"])
_COUNT_OPENING_REACH = 40
_COUNT_PLACE_ENDS = tuple(_CHINESE_COUNT_WORDS["place_ends"])


def _chinese_counts(folded: str, start: int, unit_end: int, unit: str) -> bool:
    """A Chinese numeral is a quantity only where the text treats it as one.

    `三个以上`, `一千五百户`, `建成一个大型社区医院` count; `五大战略`, `四个标准化`, `六个方面`, `三项指标`
    name sets or refer back, and are not quantities.
    """
    if unit not in _COUNT_UNITS and unit not in ("倍", "万", "亿"):
        return False
    if unit == "批":
        return False  # `一批`, `两批`: a batch, not a count
    after = folded[unit_end : unit_end + 3]
    if after.startswith(("以上", "左右", "以内")):
        return True
    numeral = folded[start:unit_end - len(unit)]
    before = folded[max(0, start - 3) : start]
    if before.endswith(("新增", "引进", "建成", "达到", "完成", "新建", "培育", "招引")):
        return True
    if numeral == "一":
        return False  # `一个小区一个品牌`, `说一件、干一件、成一件`: idioms, not counts
    # `改造老旧小区一百二十个，`: a composed numeral, or one that ends its clause, counts.
    if (len(numeral) >= 2 and any(ch in numeral for ch in "十百千")) or after[:1] in (",", "。", ";"):
        return True
    if unit == "次" or folded[max(0, start - 1) : start] == "届":
        return False  # `一个小区一个品牌`, `十三届四次全会`: idioms and meeting numbers
    clause_start = start
    while clause_start > max(0, start - _COUNT_OPENING_REACH) and folded[clause_start - 1] not in ",，;；。:：\n":
        clause_start -= 1
    opening = folded[clause_start:start]
    rest = re.split(r"[,，;；。:：]", folded[unit_end : unit_end + 20], maxsplit=1)[0]
    result = any(0 < rest.find(word) <= 8 for word in _COUNT_RESULTS)
    listed = re.search(rf"(?:{_COUNT_LIST_MARKS})[\u4e00-\u9fff]{{1,10}}$", opening) is not None and not opening.endswith("等")
    places = opening.endswith(_COUNT_PLACE_ENDS)  # `哈萨尔大街和西头道街两条西出口路`
    work = any(verb in opening for verb in _COUNT_WORK_VERBS) or any(0 <= rest.find(w) <= 8 for w in _COUNT_WORK_VERBS)
    if listed and (result or work or places):
        # `启动了东园、西园、南园三个园区建设`: the numeral sums the places listed before it, in a
        # clause about work done; `统筹发展和安全两件大事` names a set.
        return True
    return len(opening) <= 4 and result  # `两所中职学校实现升格`


def _doublings(folded: str, quoted: _Intervals) -> list[Quantity]:
    out = []
    for match in re.finditer(r"翻了?(一|两|二|三)?番|(?<=实现)倍增|(?<=实现了)倍增", folded):
        if quoted.covers(match.start()):
            continue
        # `实现倍增`: doubled; `实施…倍增` (a programme's name) is no figure.
        times = {"一": 1, None: 1, "两": 2, "二": 2, "三": 3}[match.group(1)]
        out.append(Quantity(match.start(), match.end(), float(2 ** times), None, "倍", Comparator.exact, match.end(), match.end()))
    return out


# ---- step 2 and 3: reading a quantity in its clause --------------------------------------------

def _sentence_bounds(folded: str, position: int) -> Span:
    start = position
    while start > 0 and folded[start - 1] not in _SENTENCE_BREAK:
        start -= 1
    end = position
    while end < len(folded) and folded[end] not in _SENTENCE_BREAK:
        end += 1
    return Span(start, end)


def _clause_start(folded: str, position: int, floor: int) -> int:
    start = position
    while start > floor and folded[start - 1] not in _CLAUSE_BREAK and folded[start - 1] not in _SENTENCE_BREAK:
        start -= 1
    while start < position and folded[start] in " \t\u3000":
        start += 1
    return start


def _base_unit(unit: str) -> tuple[float, str] | None:
    """(factor, base unit): `亿元` → (1e8, 元), `万亿元` → (1e12, 元); None for a unit with no base."""
    if unit in _BASE_UNITS:
        return _BASE_UNITS[unit]
    for magnitude, factor in _MAGNITUDES.items():
        rest = unit[len(magnitude):]
        if unit.startswith(magnitude) and rest and rest in _AFTER_MAGNITUDE:
            inner = _BASE_UNITS.get(rest, (1, rest))
            return factor * inner[0], inner[1]
    return None


_MEASURE_CHARS = frozenset("率量额数值")


def _strip_noise(phrase: str, offset: int) -> tuple[str, int]:
    """Remove leading and trailing non-metric words; return the rest and its offset."""
    changed = True
    while changed and phrase:
        changed = False
        # Only the words the phrase opens or closes with are tried (by their first or last character).
        for word in _LEADING_BY_CHAR.get(phrase[0], ()):
            if phrase.startswith(word) and len(phrase) > len(word) and starts_with_word(phrase, word):
                phrase, offset, changed = phrase[len(word):], offset + len(word), True
                break
        for word in _TRAILING_BY_CHAR.get(phrase[-1], ()) if phrase else ():
            after_measure = phrase[-len(word) - 1 : -len(word)] in _MEASURE_CHARS  # `解决率达`: 达 is the verb
            if phrase.endswith(word) and len(phrase) > len(word) and (after_measure or ends_with_word(phrase, word)):
                phrase, changed = phrase[: -len(word)], True
                break
    return phrase, offset


def _by_char(words: list[str], index: int) -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for word in words:  # already longest first
        table.setdefault(word[index], []).append(word)
    return {char: tuple(group) for char, group in table.items()}


_LEADING_BY_CHAR = _by_char(_LEADING_NOISE, 0)
_TRAILING_BY_CHAR = _by_char(_TRAILING_NOISE, -1)


# A clause whose subject is followed by one of these verbs measures what the verb does (`完成投资`).
_TRAILING_VERB_RE = re.compile(r"(?:完成|实现|达到|累计完成)[\u4e00-\u9fff]{0,4}$")
_NOUN_VERB_STOP = tuple(_METRIC_WORDS["noun_verb_stop"])


# Verbs that open what follows an amount directly (no 的): the amount's purpose, not its name.
_VERB_OPENINGS = tuple(_METRIC_WORDS["verb_openings"])


_JOINED_MEMBER_MAX = 6
_QUOTED_NAME_MAX = 20
_STATUS_WORDS = tuple(sorted(_METRIC_WORDS["status_after"], key=len, reverse=True))


def _joins_nouns(folded: str, position: int, limit: int) -> bool:
    """`一级和二级供热管网`: a 和/及/与 inside one noun, where no other figure follows before the
    clause ends (`112万方安置房和41.5万方人才专用房` joins two figures)."""
    if folded[position] not in "和及与、":
        return False
    rest = folded[position + 1 : limit]
    clause = re.split(r"[,，;；。:：]", rest, maxsplit=1)[0]
    if folded[position] == "、" and (len(clause) > _JOINED_MEMBER_MAX or "、" in clause):
        return False  # `200个智能车间、智能工厂`: one short last member, not a list of names
    return bool(clause) and "\u4e00" <= clause[0] <= "\u9fff" and not re.search(r"\d|[一二两三四五六七八九十百千]+[个项家条座所]", clause)


def _noun_after(folded: str, quantity: Quantity, limit: int) -> Span | None:
    """`34个省市重点技改项目`, `83.6万方商业平台`, `3亿元的人才专项资金`: what the number measures,
    when it follows the number."""
    if quantity.unit in ("个百分点", "百分点", "倍") or (quantity.unit == "%" and not folded.startswith("的", quantity.end)):
        return None  # a rate measures what stands before it, except `超60%的行政村…`
    start = quantity.end
    if folded.startswith("的", start):
        start += 1
    if folded[start : start + 1].isdigit():
        # `58家5亿元以上企业`: a qualifying amount opens the name.
        qualifier = re.match(rf"(?:{_ARABIC})(?:[\u4e00-\u9fff]{{1,3}}?(?:以上|以下)|千伏|万伏|兆瓦级|万吨级)", folded[start:limit])
        if qualifier is None:
            return None
    end = start
    while end < limit and end - start < 12 and not folded[end].isspace():
        if folded.startswith(("以上", "及以上"), end) and folded[end - 1 : end] == "级":
            end += 3 if folded[end] == "及" else 2  # `市级以上龙头企业`: a rank inside the name
            continue
        if folded[end] in _NOUN_STOP and not (end > start and _joins_nouns(folded, end, limit)):
            break
        if end > start and folded.startswith(_NOUN_VERB_STOP, end):
            break
        end += 1
    if folded.count("“", start, end) > folded.count("”", start, end):
        # A name is never cut inside its quotation marks: it ends at the closing mark, or before the
        # opening one when that is out of reach (`“15分钟高品质生活服务圈”`, `入选全国“高效办成…`).
        opening = folded.rfind("“", start, end)
        closing = folded.find("”", end, min(limit, opening + _QUOTED_NAME_MAX))
        end = closing + 1 if closing >= 0 else opening
    phrase = folded[start:end]
    if len(phrase) < 2 or phrase.startswith(("以上", "左右", "以内", "以下", "同比", "增长", "的")):
        return None
    if phrase.startswith(tuple(_LEVEL_AFTER["verbs"])) or phrase.startswith(_STATUS_WORDS) or phrase.startswith(_BARE_ENDS):
        return None  # `由729万人增加到732万人`, `其中5条实现通车`: what follows is a change or a status
    if start == quantity.end and phrase.startswith(_VERB_OPENINGS):
        return None  # `债券资金1327亿元支持项目建设`: what the money does, not what it is
    return Span(start, end)


def _is_noise(phrase: str) -> bool:
    return (phrase in _LEADING_NOISE or phrase in _TRAILING_NOISE or phrase in ("较去年", "比去年", "比上年")
            or re.fullmatch(r"近?\d{1,2}年(?:来|间)?", phrase) is not None)  # `近3年提升18个百分点`: a duration


_QUALIFIER_WORDS = _UNIT_WORDS["qualifiers"]
_CAPACITY_UNITS = tuple(_QUALIFIER_WORDS["capacity_units"])
_FACILITY_HEADS = tuple(_QUALIFIER_WORDS["facility_heads"])
_SIZE_OPENERS = tuple(_QUALIFIER_WORDS["size_openers"])
_STREAK_OPENERS = tuple(_QUALIFIER_WORDS["streak_openers"])
_THRESHOLD_OPENERS = tuple(_QUALIFIER_WORDS["threshold_openers"])
_CLASS_MARKS = tuple(_QUALIFIER_WORDS["class_marks"])
_CLASS_BOUNDS = tuple(_QUALIFIER_WORDS["class_bounds"])
_DESCRIPTOR_UNITS = tuple(_QUALIFIER_WORDS["descriptor_units"])
_NAMED_RUN_MAX = 14
_CAPACITY_VERBS = tuple(_QUALIFIER_WORDS["capacity_verbs"])


def _after_a_verb(folded: str, position: int) -> bool:
    """The figure opens its clause or follows a verb of work (`布局建设700万千瓦…`), not a name."""
    before = folded[max(0, position - 6) : position]
    return not before or before[-1] in ",，、;；。:：\n" or before.endswith(_CAPACITY_VERBS) or before.endswith(tuple(_LEADING_NOISE))


def _sizes_a_name(folded: str, quantity: Quantity) -> bool:
    """`华能80万吨煤制烯烃项目`, `30万吨级泊位`, `年产5000台`, `连续15个月`, `过三百亿的县`,
    `144小时过境免签政策`: a number that sizes, ranks or classes what is named after it."""
    before = folded[max(0, quantity.start - 3) : quantity.start]
    after = folded[quantity.unit_end : quantity.unit_end + 1]
    if before.endswith(_SIZE_OPENERS) or before.endswith(_STREAK_OPENERS) or after in _CLASS_MARKS:
        return True
    bound = next((b for b in _CLASS_BOUNDS if folded.startswith(b, quantity.unit_end)), None)
    if bound and quantity.unit not in _RATE_UNITS and "\u4e00" <= folded[quantity.unit_end + len(bound) : quantity.unit_end + len(bound) + 1] <= "\u9fff":  # `10万千瓦及以下燃煤机组`
        return True
    following = folded[quantity.end : quantity.end + 1]
    threshold = before.endswith(_THRESHOLD_OPENERS) and not before[:-1].endswith(("超", "通", "经", "不", "越"))  # not 超过/通过/经过
    if threshold and "\u4e00" <= following <= "\u9fff" and quantity.unit not in _RATE_UNITS:
        return True  # `过三百亿的县`, `营收过百亿元农产品加工企业`, `投资过亿元或千万美元项目`: a class
    if quantity.unit in _DESCRIPTOR_UNITS and "\u4e00" <= folded[quantity.end : quantity.end + 1] <= "\u9fff" and quantity.comparator is Comparator.exact:
        return True
    if quantity.unit.endswith(_CAPACITY_UNITS) and not _after_a_verb(folded, quantity.start):
        run = re.sub(r"[^\u4e00-\u9fff“”].*", "", folded[quantity.end : quantity.end + _NAMED_RUN_MAX], flags=re.S)
        head = min((p for p in (run.find(h) for h in _FACILITY_HEADS) if p >= 0), default=-1)
        if head >= 0 and not folded.startswith(("的", "以上", "以下"), quantity.end):
            return True
    return False


def _is_qualifier(folded: str, quantity: Quantity) -> bool:
    """`5亿元以上企业`, `50亿元、100亿元以上重特大项目`: an amount that only names a class."""
    if _sizes_a_name(folded, quantity):
        return True
    tail = folded[quantity.end : quantity.end + 30]
    if quantity.unit in _MONEY_UNITS | {"万人", "人"}:
        # `50亿元、100亿元以上重特大项目`: a chain of amounts that ends in a class of things.
        chained = re.match(rf"(?:、(?:{_ARABIC}){re.escape(quantity.unit)})+(?:以上|以下)(?:的)?[\u4e00-\u9fff]{{0,6}}(?:企业|项目|工程)", tail)
        if chained:
            return True
        if quantity.comparator in (Comparator.at_least, Comparator.at_most) and re.match(r"(?:的)?[\u4e00-\u9fff]{0,6}(?:企业|项目|工程|集团|大项目)", tail):
            return True
    return bool(folded[max(0, quantity.start - 2):quantity.start].endswith(("投资过", "收入过")))


# Short members of a `分别` list share the last member's head, which opens with one of these words
# (`交通、水利、能源领域投资额`, `城镇、农村居民人均可支配收入`, `一产、二产、三产增加值`), when the
# last member's own part is as long as the others (± 1): `GDP、一般公共预算收入` share nothing.
_SHARED_HEAD_MEMBER_MAX = 4
_SHARED_HEADS = tuple(_METRIC_WORDS["shared_heads"])


def _shared_head(folded: str, members: list[Span]) -> Span | None:
    last = members[-1].of(folded)
    found = sorted({p for p in (last.find(word, 1) for word in _SHARED_HEADS) if p > 0})
    others = [m.length for m in members[:-1]]
    if max(others) > _SHARED_HEAD_MEMBER_MAX:
        return None
    for position in found:  # `城镇居民、农村居民人均可支配收入`: the head whose stem is as long as the others
        stem = last[:position].removesuffix("等")
        if all(abs(length - len(stem)) <= 1 for length in others):
            return Span(members[-1].start + position, members[-1].end)
    # `急难型、支出型临时救助最低标准`: members that end in a modifier (`型`, `类`) share what follows
    # the last one's stem, when that stem is as long as they are and ends at one of its words.
    length = others[0]
    modifiers = all(folded[m.end - 1] in _MODIFIER_ENDS for m in members[:-1])
    if modifiers and all(o == length for o in others) and len(last) > length + 2 and length in _word_ends(last):
        return Span(members[-1].start + length, members[-1].end)
    return None


_MODIFIER_ENDS = frozenset(_METRIC_WORDS["modifier_ends"])


def _word_ends(phrase: str) -> set[int]:
    ends, cut = set(), 0
    for word in segmented(phrase):
        cut += len(word)
        ends.add(cut)
    return ends


def _members_before(folded: str, clause: Span, count: int) -> Span | None:
    """The clause before a `分别` run, without its closing verbs (`再次提高`), when it lists exactly
    `count` members."""
    start = clause.end
    while start > clause.start and folded[start - 1] not in ",，:：;；":
        start -= 1
    text = folded[start : clause.end]
    for verb in _MEMBER_VERBS:
        if text.endswith(verb):
            text = text[: -len(verb)]
            break
    else:
        return None
    text = _strip_noise_words(text[::-1], tuple(a[::-1] for a in _MEMBER_ADVERBS))[0][::-1]  # `稳步`, `较快`
    if len(re.split(r"、|和|及", text)) != count:
        return None
    stripped, offset = _strip_noise(text, start)
    return Span(offset, offset + len(stripped))


_ORDINAL_RUN_RE = re.compile(r"([一二三]{2,3})产")
_MEMBER_VERBS = tuple(sorted(_METRIC_WORDS["member_verbs"], key=len, reverse=True))
_MEMBER_ADVERBS = tuple(_METRIC_WORDS["member_adverbs"])


def _run_members(folded: str, start: int, run: list[Quantity]) -> list[Quantity]:
    """The figures of a `分别` run: the first close after it, the rest joined by 、/和/及/与."""
    members: list[Quantity] = []
    for quantity in run:
        gap = folded[(members[-1].end if members else start) : quantity.start]
        if (members and gap not in ("、", "和", "及", ",", "与")) or (not members and len(gap) > 6):
            break
        members.append(quantity)
    return members


def _respectively(folded: str, quantities: list[Quantity]) -> dict[int, tuple[str, Span, Span | None]]:
    """`规模以上工业增加值、固定资产投资分别增长7.4%、10.2%`: the n-th number belongs to the n-th subject,
    and every number of the run reads its change from the first. Returns, by quantity start, the
    verb phrase to read the change from, the subject span, and the head the subject shares with the
    last member (`交通、水利、能源领域投资额` → `交通` + `领域投资额`), if any."""
    out: dict[int, tuple[str, Span, Span | None]] = {}
    earlier: tuple[Span, list[Span], list[Span | None]] | None = None  # the last run: sentence, subjects, heads
    starts = [q.start for q in quantities]  # in text order: a run's figures are found by bisection
    for match in re.finditer(r"分别", folded):
        sentence = _sentence_bounds(folded, match.start())
        run = quantities[bisect.bisect_left(starts, match.end()) : bisect.bisect_left(starts, sentence.end)]
        members = _run_members(folded, match.end(), run)
        if len(members) < 2:
            continue
        verb = folded[match.end() : members[0].start]
        subject_start = match.start()
        while subject_start > sentence.start and folded[subject_start - 1] not in ",，:：;；":
            subject_start -= 1
        base_year = _COMPARISON_BASE_RE.search(folded[subject_start : match.start()])
        subject = Span(subject_start, subject_start + base_year.start() if base_year else match.start())
        last = members[-1]
        for member in members[:-1]:  # `分别稳定在310万吨和750万吨左右`: the last comparator is every member's
            if member.comparator is Comparator.exact and last.comparator in (Comparator.about, Comparator.at_least, Comparator.at_most):
                member.comparator = last.comparator
        spans, heads = _member_names(folded, sentence, subject, len(members))
        if not spans:
            stripped, offset = _strip_noise(subject.of(folded), subject.start)
            spans = [Span(offset, offset + len(stripped))] * len(members)
            if not stripped and earlier is not None and earlier[0] == sentence and len(earlier[1]) == len(members):
                # `城镇、农村居民收入分别达到X元和Y元，分别增长A%和B%`: the second run's members are the first's
                spans, heads = earlier[1], earlier[2]
        for quantity, span, head in zip(members, spans, heads, strict=True):
            out[quantity.start] = (verb, span, head)
        earlier = (sentence, spans, heads)
    return out


def _member_names(folded: str, sentence: Span, subject: Span, count: int) -> tuple[list[Span], list[Span | None]]:
    """The name of each member of a `分别` run and the head it shares: from the subject split at
    、/和/及, one numeral each (`一二三产增加值`), or the clause before (`A、B和C再次提高，月人均分别…`);
    no names when the subject is one noun (every member then reads it whole)."""
    parts = re.split(r"、|和|及", subject.of(folded))
    run = _ORDINAL_RUN_RE.search(subject.of(folded))
    if len(parts) == 1 and run and len(run.group(1)) == count:
        first = subject.start + run.start(1)  # `一二三产增加值`: one numeral per member, the rest shared
        return [Span(first + i, first + i + 1) for i in range(count)], [Span(first + count, subject.end)] * count
    measure: Span | None = None
    if len(parts) == 1 and subject.start > sentence.start + 1:
        named = _members_before(folded, Span(sentence.start, subject.start - 1), count)
        if named is not None:
            own = _strip_noise(subject.of(folded), subject.start)
            measure = Span(own[1], own[1] + len(own[0])) if len(own[0]) >= 2 else None  # `月人均`
            subject, parts = named, re.split(r"、|和|及", named.of(folded))
    if len(parts) != count:
        return [], [measure] * count  # one noun for every member (`城乡居民收入分别增长…`)
    spans: list[Span] = []
    cursor = subject.start
    for index, part in enumerate(parts):
        position = folded.find(part, cursor, subject.end)
        if index == 0:
            part, position = _strip_noise(part, position)
        elif part.endswith(tuple(_SCOPE_WORDS["average"])):  # `…服务业企业营收年均分别增长`: the run's scope
            part = _strip_noise(part, position)[0]
        spans.append(Span(position, position + len(part)))
        cursor = position + len(part)
    head = _shared_head(folded, spans)  # `交通、水利、能源领域投资额`: short members share `领域投资额`
    return spans, ([head] * (count - 1) + [None]) if head is not None else [measure] * count


@dataclass
class _Clause:
    """Where a quantity stands: its sentence, its clause, and the words before it."""

    quantity: Quantity
    sentence: Span
    start: int  # the clause's start
    left: str  # the clause up to the quantity (folded)
    paired: tuple[str, Span, Span | None] | None  # its member of a `分别` run, if any
    change_left: str  # the words the change is read from (a `分别` run's verb stands once)


def read_indicators(text: str, folded: str, context: Context) -> list[Indicator]:
    """Every indicator of a document, in text order: the quantities (step 1) read one by one (step 3)."""
    indicators: list[Indicator] = []
    last_metric: tuple[int, str, Change] | None = None  # (sentence start, metric, change) for clauses that omit it
    previous: tuple[int, Change, str] | None = None  # (sentence start, change, unit) of the previous indicator
    quantities = find_quantities(folded)
    respectively = _respectively(folded, quantities)
    for quantity in quantities:
        if _is_qualifier(folded, quantity):
            continue
        clause = _clause_of(folded, quantity, respectively.get(quantity.start))
        change = _change(folded, clause, previous)
        named = _metric(text, folded, clause, last_metric)
        if named is None:
            continue
        metric, quote_span = named
        last_metric = (clause.sentence.start, metric, change)
        previous = (clause.sentence.start, change, quantity.unit)
        indicator = _indicator(text, folded, clause, context, metric, change, quote_span)
        if indicator is not None:
            indicators.append(indicator)
    return _split_joint(indicators, folded)


def _split_joint(indicators: list[Indicator], folded: str) -> list[Indicator]:
    """`城乡低保标准提高到每月780元和590元`, `城乡居民收入分别增长5%、6%`: two figures of one joint
    metric (`城乡…`) are the town's and the country's, in that order; each gets its own metric."""
    out = list(indicators)
    for index in range(len(out) - 1):
        first, second = out[index], out[index + 1]
        joint = next((j for j in _JOINT_METRICS if first.metric.startswith(j)), None)
        if (joint is None or second.metric != first.metric or first.unit != second.unit
                or (first.change, first.kind) != (second.change, second.kind) or first.kind is Kind.baseline
                or any(ch in _SENTENCE_BREAK for ch in folded[first.span.start : second.span.start])):
            continue  # `提高到670元，增加30元`, `由750元提高到800元`: a level and its change, no pair
        third = out[index + 2] if index + 2 < len(out) else None
        if third is not None and third.metric == first.metric and (third.unit, third.change) == (first.unit, first.change):
            continue  # three figures of one metric are no town-and-country pair
        town, country = _JOINT_METRICS[joint]
        out[index] = first.model_copy(update={"metric": town + first.metric[len(joint):]})
        out[index + 1] = second.model_copy(update={"metric": country + second.metric[len(joint):]})
    return out


def _clause_of(folded: str, quantity: Quantity, paired: tuple[str, Span, Span | None] | None) -> _Clause:
    sentence = _sentence_bounds(folded, quantity.start)
    start = _clause_start(folded, quantity.start, sentence.start)
    left = folded[start : quantity.start]
    return _Clause(quantity, sentence, start, left, paired, paired[0] if paired is not None else left)


def _comparator(clause: _Clause) -> Comparator:
    """The quantity's own comparator, else one standing before it (`至少提高1.5个百分点`: comparator
    words may stand before the change verb)."""
    if clause.quantity.comparator is not Comparator.exact:
        return clause.quantity.comparator
    bare_left = clause.change_left
    noise = _TRAILING_NOISE_ENDINGS.longest(bare_left, unless=_COMPARATOR_BEFORE.words)
    if noise is not None:
        bare_left = bare_left[: -len(noise)]
    lefts = [clause.change_left, bare_left]
    lefts += [left[:-1] for left in lefts if left.endswith("了")]
    for endings, kind in _COMPARATORS_BEFORE:
        if any(endings.ends(left) for left in lefts):
            return kind
    return Comparator.exact


_LEVEL_AFTER_RE = re.compile(rf"(?:{'|'.join(_LEVEL_AFTER['verbs'])})(?:{'|'.join(_LEVEL_AFTER['marks'])})(?:了)?(?:每月|每年|每人|人均|月人均)?$")
_IMPROVEMENT_FALLS = _CHANGE_WORDS["improvement_falls"]


def _change(folded: str, clause: _Clause, previous: tuple[int, Change, str] | None) -> Change:
    quantity, change_left = clause.quantity, clause.change_left
    tail_words = change_left[-6:]
    if quantity.unit == "倍" and quantity.start < len(folded) and folded[quantity.start] in "翻倍":
        return Change.multiple
    if _LEVEL_AFTER_RE.search(change_left):
        return Change.level  # `下降到800元`, `提高至65%`: the level reached
    if quantity.unit in ("个百分点", "百分点"):
        return Change.delta
    if quantity.unit == "%" and any(w in tail_words for w in _GROWTH_WORDS) and "占" not in change_left[-8:] and "率" not in change_left[-4:]:
        return Change.growth
    if quantity.unit == "倍" and any(w in tail_words for w in ("增长", "提高")):
        return Change.multiple
    if quantity.unit != "%" and _is_delta(change_left, tail_words, quantity.unit):
        return Change.delta
    if change_left.lstrip().startswith("其中") and previous is not None and previous[0] == clause.sentence.start and previous[2] == quantity.unit:
        return previous[1]  # `新增高企43家,其中国家高企14家`: a part reads like its whole
    if (previous is not None and previous[0] == clause.sentence.start and previous[1] is Change.delta
            and clause.start > 0 and folded[clause.start - 1] == "、" and quantity.unit not in _RATE_UNITS
            and not any(word in change_left for word in ("达到", "累计", "总", "增至", "达"))
            and not change_left.rstrip().endswith(_FLOW_HEADS) and _comparator(clause) is Comparator.exact):
        return Change.delta  # `新增科技型中小企业7227家、高新技术企业3200家`: 新增 governs the list of stocks
    return Change.level


def _signed(clause: _Clause, change: Change) -> tuple[float, float | None]:
    """Value and upper end, negative for a fall (`下降3%` → -3; a falling range keeps low ≤ high)."""
    value, value_max = clause.quantity.value, clause.quantity.value_max
    tail = clause.change_left[-6:]
    improved = any(w in tail for w in _IMPROVEMENT_FALLS["verbs"]) and any(m in clause.left for m in _IMPROVEMENT_FALLS["metrics"])
    opening, _ = _strip_noise_words(clause.change_left.strip(), ("年内", "今年", "全年", "当年", *HEDGES, "再", "要", "将"))
    falls = any(w in tail for w in _FALL_WORDS) or opening.startswith(_FALL_WORDS)  # `精简行政许可事项45个`
    if change in (Change.growth, Change.delta) and (falls or improved):
        value, value_max = -value, (-value_max if value_max is not None else None)
        if value_max is not None:
            value, value_max = value_max, value
    return value, value_max


_VERBS_KEPT = tuple(sorted(_METRIC_WORDS["verbs_before_short_nouns"], key=len, reverse=True))
_SHORT_NOUN_MAX = 5


def _with_verbs(folded: str, floor: int, phrase: str, offset: int) -> tuple[str, int]:
    """`新增就业`, `建成跨江大桥`, `开工改造老旧小区`: a short noun keeps the verbs just before it,
    which tell what of it is counted (built or under way, new or in all)."""
    if not 1 <= len(phrase) <= _SHORT_NOUN_MAX or folded[offset : offset + len(phrase)] != phrase:
        return phrase, offset
    start = offset
    while True:
        verb = next((v for v in _VERBS_KEPT if start - len(v) >= floor and folded.startswith(v, start - len(v))), None)
        if verb is None:
            break
        start -= len(verb)
    return folded[start : offset + len(phrase)], start


_LIST_MEMBER_MAX = 8


def _listed_start(folded: str, clause: _Clause) -> int:
    """`新培育智能工厂、数字化车间200个`: nouns listed before one figure, none with a figure of its
    own, are all its metric; where the list starts."""
    start = clause.start
    own, _ = _strip_noise(clause.left.strip(), 0)
    if clause.paired is not None or not 2 <= len(own) <= _LIST_MEMBER_MAX or "等" in own[:-1] or _is_noise(own):
        return start  # `…5.53万亿元、稳居全国前十强、增长4.8%`: no noun of its own; `A、B等C`: C is the noun
    if clause.left.strip().startswith(_VERBS_KEPT + _OPENING_DELTA):
        return start  # `稳就业、保民生、新增城镇就业1.5万人`: the figure's own verb opens its noun
    while start > clause.sentence.start and folded[start - 1] == "、":
        previous = _clause_start(folded, start - 1, clause.sentence.start)
        member = folded[previous : start - 1]
        if not member or len(member) > _LIST_MEMBER_MAX or re.search(r"\d|分别", member):
            break
        start = previous
    return start


def _metric_phrase(folded: str, clause: _Clause) -> tuple[str, int]:
    """The subject before the quantity, stripped of verbs, times and other quantities, and its offset."""
    left, base = clause.left, clause.start
    listed = _listed_start(folded, clause)
    if listed < base:
        left, base = folded[listed : clause.quantity.start], listed
    # `门楼镇8个村的集中连片治理和高疃镇21个村`: a metric starts after the previous quantity's phrase.
    earlier = list(re.finditer(rf"(?:{_ARABIC})[^\d]*?(?:和|及|与|、|的)", left))
    if earlier and re.search(r"[和及与、]", left[earlier[-1].start():]):
        joiner = max(left.rfind(j) for j in "和及与、")
        left, base = left[joiner + 1 :], base + joiner + 1
    # `304个省列重大项目完成投资2929亿元`: a count that opens the clause qualifies the subject; the
    # metric is what follows it.
    opening_count = re.match(rf"\s*(?:{_ARABIC})(?:{'|'.join(_COUNT_UNITS)})(?=[\u4e00-\u9fff]{{2}})", left)
    if opening_count and _TRAILING_VERB_RE.search(left[opening_count.end():]):
        left, base = left[opening_count.end():], base + opening_count.end()
    phrase, offset = _strip_noise(left.strip(), base + (len(left) - len(left.lstrip())))
    trimmed = phrase.lstrip(" ,、:")
    offset += len(phrase) - len(trimmed)  # `新建、续建商贸项目`: the mark left by a stripped verb
    phrase, offset = _strip_noise(trimmed, offset)
    phrase = phrase.rstrip(" ,、:")
    marker = re.match(r"\d{1,2}[.、．]", phrase)
    if marker:  # `2.实现城镇新增就业`: a list number
        phrase, offset = _strip_noise(phrase[marker.end():], offset + marker.end())
    phrase, offset = _with_verbs(folded, base, phrase, offset)
    # `城镇化率从2020年的58.2%提高到2025年的65%`: the metric is what stands before 从.
    starting_point = re.search(r"(?:从|由)(?=(?:19|20)\d\d年|上年|去年|平均|\d|$)", phrase)
    if starting_point and starting_point.start() >= 2:
        phrase = phrase[: starting_point.start()]  # `常住人口由上年729万人增加到…`: the metric is before 由
    excluding = _EXCLUDING_RE.search(phrase)
    if excluding and excluding.start() >= 2:  # `一般公共预算收入剔除虚增空转因素后`: how it is counted, not its name
        phrase = phrase[: excluding.start()]
    base_year = _COMPARISON_BASE_RE.search(phrase)
    if base_year and base_year.start() >= 2:
        phrase = phrase[: base_year.start()]  # `死亡人数比2020年下降58.3%`: the base year is no part of the name
    plan_phrase = re.match(r"(?:“?十[一二三四五六七]五”?(?:时期|期间)?|今后五年|未来五年|五年来)[,，]?", phrase)
    if plan_phrase and plan_phrase.end() < len(phrase):  # `“十五五”时期地区生产总值`: the period is the figure's scope
        phrase, offset = _strip_noise(phrase[plan_phrase.end():], offset + plan_phrase.end())
    time_phrase = re.match(r"(?:到|至|在)?(?:19|20)\d\d年?(?:\s*(?:—{1,2}|–|-|至|到)\s*(?:19|20)\d\d年)?(?:底|末|前)?", phrase)
    if time_phrase:
        phrase, offset = _strip_noise(phrase[time_phrase.end():], offset + time_phrase.end())
    return ("" if _is_noise(phrase) else phrase), offset


_GENERIC_HEADS = frozenset(_METRIC_WORDS["generic_heads"])
_SUBJECT_ENDS = tuple(sorted(_METRIC_WORDS["subject_ends"], key=len, reverse=True))
_MEASURE_ENDS = tuple(sorted({*_METRIC_WORDS["generic_heads"], *_METRIC_WORDS["measure_ends"]}, key=len, reverse=True))
_SUBJECT_VERBS = tuple(_METRIC_WORDS["subject_verbs"])
_TIME_WORDS = frozenset(_METRIC_WORDS["time_words"])
_RATE_UNITS = frozenset({"%", "个百分点", "百分点", "倍", "‰"})
_SUBJECT_SENTENCE_MAX = 30
_OUTLINE_MARKER_RE = re.compile(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[、.．])\s*")


_TOPIC_HEADS = tuple(_METRIC_WORDS["topic_heads"])
_TOPIC_REACH = 300
_TOPIC_SENTENCES = 5
_NOMINAL_TAGS = ("n", "a", "j", "vn", "l", "an", "b")


_SUBJECT_AFTER_RE = re.compile(r"[,，](?:重点)?(?:实施了?|推进|建设)")


def _subject_after(folded: str, clause: _Clause) -> Span | None:
    """`全年计划投资5.6亿元，实施农牧业重点项目28个`: the projects the next clause names."""
    verb = _SUBJECT_AFTER_RE.match(folded, clause.quantity.end)
    if verb is None:
        return None
    start, end = verb.end(), verb.end()
    while end < clause.sentence.end and folded[end] not in ",，、;；。:：" and not folded[end].isdigit() and end - start < _PROJECT_MAX:
        end += 1
    phrase, offset = _strip_noise(folded[start:end], start)
    counted = re.match(rf"(?:{_ARABIC})(?:{'|'.join(_COUNT_UNITS)})(?=[,，;；。]|$)", folded[end : clause.sentence.end + 1])
    if len(phrase) < 2 or re.search(r"[一二两三四五六七八九十百千]+$", phrase) or (folded[end : end + 1].isdigit() and not counted):
        return None  # `实施了中心城区26公里供水…`: a figure inside the phrase, not the projects' count
    return Span(offset, offset + len(phrase))


def _paragraph_topic(folded: str, position: int) -> Span | None:
    """`新材料产业聚焦高端化发展。……。产值超过260亿元`: the industry, programme or zone that one of
    the few sentences before opens with (the nearest), when a bare figure names none; jieba's parts
    of speech find where its opening nouns end (a few characters, never the paragraph)."""
    floor = max(0, position - _TOPIC_REACH)
    cursor = position
    for _ in range(_TOPIC_SENTENCES):
        start = cursor - 1
        while start > floor and folded[start - 1] not in "。;；!?！？\n":
            start -= 1
        if start <= floor and floor > 0:
            return None
        topic = _topic_at(folded, start, cursor)
        if topic is not None or start <= 0 or folded[start - 1] == "\n":
            return topic
        cursor = start - 1
    return None


def _topic_at(folded: str, start: int, limit: int) -> Span | None:
    while start < limit and folded[start].isspace():
        start += 1
    opening = folded[start : min(limit, start + 16)]
    cut, topic = 0, 0
    for word, tag in tagged(opening):
        if not tag.startswith(_NOMINAL_TAGS) or word in "“”":
            break
        cut += len(word)
        if opening[:cut].endswith(_TOPIC_HEADS):
            topic = cut  # the longest opening nouns that end in a topic head (`新能源产业` of `新能源产业深度…`)
    return Span(start, start + topic) if topic >= 3 else None


_BENEFIT_VERBS = tuple(_METRIC_WORDS["benefit_verbs"])


def _benefit(text: str, folded: str, clause: _Clause) -> str:
    """`实施学前一年免费教育政策，惠及8万儿童`: when a clause opens with a beneficiary verb, the policy
    of the clause before and the verb (`学前一年免费教育政策惠及`); else nothing."""
    opening = folded[clause.start : clause.quantity.start].lstrip()
    opening, _ = _strip_noise_words(opening, ("年内", "全年", "共", "累计", "直接"))
    verb = next((v for v in _BENEFIT_VERBS if opening.startswith(v)), None)
    if verb is None or clause.start <= clause.sentence.start + 1:
        return ""
    subject = _subject_before(folded, clause)
    return subject.of(text) + verb if subject is not None else ""


def _opens_with_noun(phrase: str) -> bool:
    """The phrase's first word (past quotation marks) is a noun: `园区…` is a subject, `扩大…` a verb."""
    first = next((tag for word, tag in tagged(phrase[:8]) if word not in "“”\"'"), "")
    return first.startswith(_NOMINAL_TAGS)


def _subject_before(folded: str, clause: _Clause, rate: bool = False) -> Span | None:
    """What a bare `投资`/`产值` amount belongs to: the subject of the clause before it in its
    sentence (`全年实施现代化农牧业项目27个，完成投资1.75亿元`), its paragraph's topic, or the subject
    of a short sentence or heading just before (`园区基础设施建设取得新进展。全年完成投资8.7亿元`)."""
    sentence = clause.sentence
    if clause.start > sentence.start + 1:
        end = clause.start - 1
        start = _clause_start(folded, end, sentence.start)
    else:
        # A short sentence just before that opens with its subject (`园区基础设施建设取得新进展。`)
        # names it; else the topic a few sentences back (`新材料产业聚焦…。加快…建设。产值…`).
        end = sentence.start - 1
        while end > 0 and folded[end - 1].isspace():
            end -= 1
        previous = _sentence_bounds(folded, max(0, end - 1))
        short = _subject_of(folded, Span(previous.start, end), rate) if end > 0 and previous.length <= _SUBJECT_SENTENCE_MAX else None
        opening = previous.start + len(folded[previous.start : end]) - len(folded[previous.start : end].lstrip())
        skipped = folded[opening : short.start] if short is not None else ""
        if short is not None and (not skipped or _OUTLINE_MARKER_RE.fullmatch(skipped)) and _opens_with_noun(short.of(folded)):
            return short
        return _paragraph_topic(folded, sentence.start) or short
    return _subject_of(folded, Span(start, end), rate)


def _subject_of(folded: str, segment_span: Span, rate: bool) -> Span | None:
    """The subject of a clause: after its opening words, counts and amounts, before its predicate,
    without its own measure (`马铃薯总产量达到30万吨` → `马铃薯`); None where the clause reports a
    parallel result rather than naming what the amount belongs to."""
    start, segment = segment_span.start, segment_span.of(folded)
    marker = _OUTLINE_MARKER_RE.match(segment)
    if marker:
        start, segment = start + marker.end(), segment[marker.end():]
    phrase, offset = _strip_noise(segment.strip(), start + len(segment) - len(segment.lstrip()))
    while phrase.startswith("、"):  # `新建、续建商贸项目`: a list of verbs
        phrase, offset = _strip_noise(phrase[1:], offset + 1)
    for opening in (_OPENING_COUNT_RE, _OPENING_AMOUNT_RE):
        # `实施800个以上市重点项目`, `总投资12.6亿元的城北…工程`: the projects, not their number or cost
        found = opening.match(phrase)
        if found:
            phrase, offset = phrase[found.end():], offset + found.end()
    cut = next((i for i in range(len(phrase)) if phrase[i].isdigit() or (i > 0 and phrase.startswith(_SUBJECT_ENDS, i))), len(phrase))
    counted = re.match(rf"(?:{_ARABIC})\s*(?:{'|'.join(_COUNT_UNITS)})", phrase[cut:]) is not None
    measured = cut < len(phrase) and re.search(r"\d", phrase[cut:]) is not None
    phrase, offset = _strip_noise(phrase[:cut], offset)  # `特色果品总产量增长12%`: without its verb
    # `举全区之力推进棚户区改造工程`: the subject is what the last action verb acts on.
    acted = max((phrase.rfind(v) + len(v) for v in _SUBJECT_VERBS if v in phrase), default=0)
    if 0 < acted < len(phrase):
        phrase, offset = phrase[acted:], offset + acted
    measure = next((m for m in _MEASURE_ENDS if phrase.endswith(m) and len(phrase) > len(m)), "")
    phrase = phrase[: len(phrase) - len(measure)].rstrip("的、")
    if phrase in _TIME_WORDS:
        return None  # `力争年末，完成投资…`: a time, not a subject
    if measured and not (counted or measure):
        return None  # `落实规模指标3076亩，实现投资…`: a parallel result, not what the money built
    if rate and not measure:
        return None  # `地区生产总值增长6.1%，投资增长8%`: a macro rate keeps its own name
    if len(phrase) < 2 or any(ch in phrase for ch in ",，。;；:：或") or re.search(r"[一二三四五六七八九十百千万\d]", phrase[-1]):
        return None
    return Span(offset, offset + len(phrase))


_OPENING_COUNT_RE = re.compile(rf"(?:{_ARABIC})(?:{'|'.join(_COUNT_UNITS)})(?:以上|多|余)?")
_OPENING_AMOUNT_RE = re.compile(rf"(?:总投资|投资)?(?:{_ARABIC})(?:{'|'.join(map(re.escape, _MONEY_UNITS))})的")
_STATUS_AFTER = "|".join(sorted(map(re.escape, _METRIC_WORDS["status_after"]), key=len, reverse=True))
_ACTIONS_AFTER = "|".join(sorted(map(re.escape, _METRIC_WORDS["actions_after"]), key=len, reverse=True))
_TAIL_END = r"(?=[,，;；。、]|$)"
_PREDICATE_MAX = 8
_PREDICATE_OPENERS = tuple(_METRIC_WORDS["predicate_openers"])


def _noun_tail(text: str, folded: str, noun: Span, limit: int, metric: str, quote_end: int) -> tuple[str, int]:
    """`12条次干道开工建设`, `4条主干道路的改造`: a status or action that closes the clause after the
    noun says which of them are counted; it joins the metric (without 的) and the quote."""
    tail = folded[noun.end : limit]
    status = re.match(rf"(?:{_STATUS_AFTER}){_TAIL_END}", tail)
    if status:
        return metric + text[noun.end : noun.end + status.end()], noun.end + status.end()
    action = (re.match(rf"(?:的|进行)((?:综合|全面|集中|整体|立面|规范)?(?:{_ACTIONS_AFTER})(?:工作|任务)?){_TAIL_END}", tail)
              or re.match(rf"((?:{_ACTIONS_AFTER})){_TAIL_END}", tail))  # `41万平方米棚户区改造`
    if action:
        return metric + text[noun.end + action.start(1) : noun.end + action.end(1)], noun.end + action.end()
    # `两所高校实现升格`, `13.2万脱贫人口实现稳岗就业`: a short predicate closing the clause says
    # which of them are counted.
    predicate = re.match(rf"[\u4e00-\u9fff“”]{{2,{_PREDICATE_MAX}}}{_TAIL_END}", tail)
    balanced = predicate is not None and predicate.group().count("“") == predicate.group().count("”")
    if predicate and balanced and tail.startswith(_NOUN_VERB_STOP + _PREDICATE_OPENERS) and not tail.startswith(("全部", "建设任务")):
        return metric + text[noun.end : noun.end + predicate.end()], noun.end + predicate.end()
    return metric, quote_end


def _opening_verb(left: str) -> str:
    """The verb of `_VERBS_KEPT` that opens a clause, after its time and hedge words."""
    opening, _ = _strip_noise_words(left.strip(), ("年内", "今年", "全年", "当年", *HEDGES, "再", "要", "将", "共", "累计"))
    return next((v for v in _VERBS_KEPT if opening.startswith(v)), "")


_TOTAL_WORDS = tuple(_METRIC_WORDS["total_words"])
_EXCLUDING_RE = re.compile(rf"(?:{'|'.join(_METRIC_WORDS['excluding_openers'])})[^,，。;；]{{1,14}}?后$")
_COMPARED_RE = re.compile(rf"(?:{'|'.join(_METRIC_WORDS['compared_openers'])})")


def _metric_from_left(text: str, folded: str, clause: _Clause, phrase: tuple[str, int],
                      last_metric: tuple[int, str, Change] | None) -> str | None:
    """The metric named before the quantity: its own subject, else the sentence's previous metric
    (with the comparison of a gap), else the clause as written; None when nothing stands before it."""
    quantity, sentence, left = clause.quantity, clause.sentence, clause.left
    metric_phrase, metric_offset = phrase
    same_sentence = last_metric is not None and last_metric[0] == sentence.start
    compared = same_sentence and _COMPARED_RE.match(metric_phrase) is not None
    # The left phrase names the metric unless it is only verbs, or ends where a list or another
    # quantity leaves off (`112万方安置房和41.5万方人才专用房`).
    weak_left = len(metric_phrase) < 2 or metric_phrase.endswith(("的", "和", "等", "及", "、"))
    if (last_metric is not None and same_sentence and not weak_left and len(metric_phrase) <= 3
            and left.lstrip().startswith("其中")):
        part_name = text[metric_offset : metric_offset + len(metric_phrase)]
        if part_name[-1] in _MODIFIER_ENDS:  # `新增高新技术企业120家，其中国家级20家`: 国家级 + the whole
            return part_name + _strip_noise_words(last_metric[1], _VERBS_KEPT)[0]
        whole = segmented(last_metric[1])
        if len(whole) >= 2:  # `新增铁路运营里程420公里，其中高铁260公里`: 高铁 + the whole's head
            return part_name + "".join(whole[1:])
    alone = _strip_noise_words(left.strip(" 、,，"), ("年内", "全年", "共", "再"))[0]
    if (last_metric is not None and same_sentence and alone in _VERBS_KEPT
            and (verb := next((v for v in _VERBS_KEPT if last_metric[1].startswith(v)), None))):
        return alone + last_metric[1][len(verb):]  # `建成过江通道4座、在建8座`, `开工项目120个、竣工85个`
    if last_metric is not None and same_sentence and metric_phrase in _TOTAL_WORDS:
        # `外贸进出口增长8.4%，总额突破8000亿元`: the total of the figure just named
        return re.sub(rf"(?:{'|'.join(_TOTAL_WORDS)})$", "", last_metric[1]) + metric_phrase
    benefit = _benefit(text, folded, clause)
    if benefit and not weak_left:
        named = text[metric_offset : metric_offset + len(metric_phrase)]
        verb = next((v for v in _BENEFIT_VERBS if benefit.endswith(v) and named.startswith(v)), "")
        return benefit + named[len(verb):]  # `…政策，拉动消费160亿元`; `…工程，惠及农村人口35万人`: the verb once
    if not weak_left and not compared:
        metric = text[metric_offset : metric_offset + len(metric_phrase)]
        if metric_phrase in _GENERIC_HEADS and clause.paired is None:
            rate = quantity.unit in _RATE_UNITS
            subject = (None if rate else _subject_after(folded, clause)) or _subject_before(folded, clause, rate)
            if subject is not None:
                metric = subject.of(text) + metric  # `完成投资2.3亿元` after `城东污水处理厂扩建工程全面完工`
        return metric
    if last_metric is not None and same_sentence:
        if compared:
            # `规上工业增加值增长6.5%、高于全国1.7个百分点`: the gap is the earlier figure's
            return last_metric[1] + ("增长" if last_metric[2] is Change.growth else "") + text[metric_offset : metric_offset + len(metric_phrase)]
        metric = last_metric[1]
        status = re.match(rf"(?:{_STATUS_AFTER}){_TAIL_END}", folded[quantity.end : sentence.end])
        if status:  # `12条次干道开工建设，其中5条实现通车`: the whole's noun with the part's status
            noun = re.sub(rf"(?:{_STATUS_AFTER})$", "", metric)
            return noun + text[quantity.end : quantity.end + status.end()]
        head = next((h for h in _MEASURE_ENDS if metric.endswith(h) and len(metric) > len(h) + 1), None)
        if head is not None and quantity.unit.endswith(tuple(_COUNT_UNITS)):
            metric = metric[: -len(head)]  # `棚户区改造投资X亿元，完成Y万户`: the households are not the money
        return metric
    if len(left.strip()) >= 1:
        return text[clause.start : quantity.start].strip() or "(unnamed)"
    return None


_PROJECT_STOPS = tuple(sorted({*_METRIC_WORDS["status_after"], *_METRIC_WORDS["project_ends"]}, key=len, reverse=True))
_PROJECT_MAX = 24
_INVESTED_VERBS_RE = re.compile(r"[,，]?(?:重点)?(?:实施了?|对|用于|完成了?)")


def _invested_project(folded: str, clause: _Clause) -> Span | None:
    """What an investment was spent on, when the money follows `投资` (or continues a chain of them,
    `投资2600万元的A、1800万元的B`) and the project follows it: after 的 (`…万元的背街小巷改造`),
    or after a verb (`…亿元实施城区供热管网改造工程`, `…万元，对城区雨水管网进行全面改造`)."""
    quantity, sentence = clause.quantity, clause.sentence
    own = folded[clause.start : quantity.start]
    chained = own == "" and clause.start > sentence.start and folded[clause.start - 1] == "、" and "投资" in folded[sentence.start : clause.start]
    if not (own.endswith("投资") or chained):
        return None
    start = quantity.end
    if folded.startswith("的", start):
        start += 1
    else:
        verb = _INVESTED_VERBS_RE.match(folded, start)
        if verb is None or verb.end() == start:
            return None
        start = verb.end() + folded.startswith("的", verb.end())  # `投资1.27亿元实施的主城区…`
    count = re.match(rf"(?:{_ARABIC})(?:{'|'.join(_COUNT_UNITS)})", folded[start : sentence.end])
    if count:  # `投资2.3亿元完成了21条道路的改扩建`: the roads' works, not their number
        start += count.end()
    end = start
    while end < sentence.end and end - start < _PROJECT_MAX and folded[end] not in ",，;；。:：" and not folded[end].isdigit():
        if end > start and folded.startswith(_PROJECT_STOPS, end):
            break
        if folded[end] == "、" and folded[end + 1 : end + 2].isdigit():
            break  # `…的A改造、1800万元的B改造`: the next item has its own amount
        end += 1
    if end - start < 2 or (end < sentence.end and folded[end].isdigit()):
        return None
    if count and folded.startswith("的", start):
        start += 1
    return Span(start, end)


def _next_items_noun(folded: str, quantity: Quantity, limit: int) -> Span | None:
    """`2.1万户、96万平方米棚户区改造`: the noun after the last of figures listed with 、."""
    match = _NUMERAL_RE.match(folded, quantity.end + 1)
    following = _read_quantity(folded, match) if match and match.group("ar") else None
    if following is None:
        return None
    noun = _noun_after(folded, following, limit)
    if noun is None:
        return None
    tail = re.match(rf"(?:{_ACTIONS_AFTER})(?:工作|任务)?", folded[noun.end : limit])
    return Span(noun.start, noun.end + (tail.end() if tail else 0))


def _metric(text: str, folded: str, clause: _Clause, last_metric: tuple[int, str, Change] | None) -> tuple[str, Span] | None:
    """The metric (what is measured) and the quote's span; None when nothing names the quantity."""
    quantity, sentence, left = clause.quantity, clause.sentence, clause.left
    metric_phrase, metric_offset = _metric_phrase(folded, clause)
    invested = re.match(rf"的(?:{_ARABIC}|[一二两三四五六七八九十]+)(?:个|项|家)([\u4e00-\u9fff]{{2,10}}?)(?=[,，。;；、]|不|$)", folded[quantity.end : sentence.end])
    noun = _noun_after(folded, quantity, sentence.end)
    project = _invested_project(folded, clause) if quantity.unit in _MONEY_UNITS else None
    if quantity.unit in _MONEY_UNITS and "投资" in left[-6:] and invested:
        # `总投资500亿元的30个重点在谈项目`: the money is those projects' investment.
        metric = text[quantity.end + invested.start(1) : quantity.end + invested.end(1)] + ("总投资" if "总投资" in left else "投资")
        quote_end = quantity.end
    elif project is not None:
        # `投资3200万元的城西污水处理厂提标改造工程`, `投资2.1亿元实施城区供热管网改造工程`
        project_name = re.sub(rf"的(?=(?:综合|全面)?(?:{_ACTIONS_AFTER}))", "", project.of(text))  # `道路的改扩建` → `道路改扩建`
        metric, quote_end = project_name + ("总投资" if "总投资" in left[-6:] else "投资"), project.end
    elif noun is None and folded.startswith("、", quantity.end) and (shared := _next_items_noun(folded, quantity, sentence.end)):
        metric, quote_end = shared.of(text), shared.end  # `完成2.1万户、96万平方米棚户区改造`: the items share the noun
    elif noun is not None:
        # What follows an amount (`3亿元的人才专项资金`, `300亿产能规模`) is what it measures.
        metric, quote_end = noun.of(text), noun.end
        metric, quote_end = _noun_tail(text, folded, noun, sentence.end, metric, quote_end)
        benefit = _benefit(text, folded, clause)
        if benefit:
            metric = benefit + metric  # `实施学前一年免费教育政策，惠及8万儿童`
        elif noun.length <= 2:
            comma = max(folded.rfind(mark, sentence.start, quantity.start) for mark in ",，:：")
            verb = _opening_verb(folded[max(comma + 1, sentence.start) : quantity.start])
            if verb:
                metric = verb + metric  # `新开通…8条航线`: the verb says which lines are counted
    else:
        named = _metric_from_left(text, folded, clause, (metric_phrase, metric_offset), last_metric)
        if named is None:
            return None
        metric = named
        quote_end = quantity.end
        # `8个村的集中连片治理`: a one- or two-character noun after a count belongs in the quote.
        short_noun = re.match(r"[\u4e00-\u9fff]{1,2}(?=的|[,，、;；。]|$)", folded[quantity.end : sentence.end])
        if quantity.unit in _COUNT_UNITS and short_noun:
            quote_end = quantity.end + short_noun.end()
    paired = clause.paired
    if paired is not None and paired[1].length:
        metric = paired[1].of(text) + (paired[2].of(text) if paired[2] is not None else "")
    quote_start = clause.start
    if quantity.start - quote_start > 30:
        quote_start = metric_offset if metric_offset < quantity.start else quantity.start
    if paired is not None and paired[1].length and paired[1].start < quote_start:
        quote_start = paired[1].start  # the quote names the member's subject
    return metric, Span(quote_start, quote_end).strip(text)


def _indicator(text: str, folded: str, clause: _Clause, context: Context, metric: str, change: Change, quote_span: Span) -> Indicator | None:
    """The reading assembled: comparator, sign, kind, year, period, hedge, base unit."""
    quantity, sentence = clause.quantity, clause.sentence
    comparator = _comparator(clause)
    value, value_max = _signed(clause, change)
    kind = _kind(folded, sentence, clause.start, quantity, context)
    year = _year(folded, sentence, quantity, kind, context)
    period = _period(folded, sentence, quantity, kind, context)
    if period is not None:
        year = period[1]
        kind = Kind.actual if period[1] == context.review_year else Kind.target
    scope = _scope(folded, clause, period)
    base = _base_unit(quantity.unit)
    unit = quantity.unit
    written = text[quantity.unit_end - len(unit) : quantity.unit_end]
    if unit != written and written.lower() == unit:
        unit = unicodedata.normalize("NFKC", written)  # `万P`: Latin letters as written, not as folded
    try:
        return Indicator(
            metric=metric, change=change, value=value, value_max=value_max if comparator is Comparator.range else None,
            unit=unit, comparator=comparator, kind=kind, year=year, period=period, scope=scope,
            hedge=_hedge(text, folded, sentence, quantity, context), quote=quote_span.of(text), span=quote_span,
            base_value=round(value * base[0], 6) if base else None, base_unit=base[1] if base else None,
        )
    except ValueError:
        return None  # a reading the model rejects (e.g. an inverted range) is not reported


_OPENING_DELTA = tuple(_CHANGE_WORDS["opening_delta"])
_AMOUNT_DELTA = tuple(_CHANGE_WORDS["amount_delta"])


_NOT_A_CHANGE = tuple(_CHANGE_WORDS["not_a_change"])
# A flow (`产量`, `发电量`, `就业`) in a 新增 list is the year's level, not an addition to a stock.
_FLOW_HEADS = tuple(_CHANGE_WORDS["flow_heads"])


def _is_delta(left: str, tail_words: str, unit: str) -> bool:
    """A change by an amount: `新增X`, `增加X`; `提高/下降X` only of an amount, since `提升7个示范村`
    upgrades seven villages rather than adding seven."""
    opening, _ = _strip_noise_words(left.strip(), ("年内", "今年", "全年", "当年", *HEDGES, "再", "要", "将"))
    # Words that hold a change word without saying a change (`增加值`, `改造提升`).
    cleaned = left
    for compound in _NOT_A_CHANGE:
        cleaned = cleaned.replace(compound, "·" * len(compound))
    tail_words = cleaned[-len(tail_words):] if tail_words else tail_words
    if opening.startswith(_OPENING_DELTA) or any(w in tail_words for w in ("新增", "净增", "增加", "减少")):
        return True
    if unit in _COUNT_UNITS:
        return False
    return any(left.endswith(w) or w in tail_words for w in _AMOUNT_DELTA if w != "增") or left.endswith("增")


def _strip_noise_words(phrase: str, words: tuple[str, ...]) -> tuple[str, int]:
    removed = 0
    changed = True
    while changed:
        changed = False
        for word in words:
            if phrase.startswith(word):
                phrase, removed, changed = phrase[len(word):], removed + len(word), True
    return phrase, removed


# What a review says it secured (`争取国家政策性资金`, `争取中央预算内投资`, `争取试点`).


def _governs(text: str, cue: str) -> bool:
    """`cue` stands in `text` as a commitment: a hedge after `经过`/`通过`/`不懈` tells how a result was
    won, and `稳预期` names a policy."""
    guard = KIND_WORDS.not_after.get(cue, ())
    position = text.find(cue)
    while position >= 0:
        if not guard or not text[:position].endswith(guard):
            return True
        position = text.find(cue, position + 1)
    return False


def _kind(folded: str, sentence: Span, clause_start: int, quantity: Quantity, context: Context) -> Kind:
    before = folded[sentence.start : quantity.start]
    after = folded[quantity.end : sentence.end]
    if re.search(r"从(?:19|20)\d\d年(?:底|末)?的?$", before):
        return Kind.baseline  # `从2020年的58.2%提高到…`
    if re.search(r"(?:从|由)[^,，;；]{0,12}$", before) and re.match(rf"(?:的水平)?(?:{'|'.join(_LEVEL_AFTER['verbs'])})(?:{'|'.join(_LEVEL_AFTER['marks'])})", after):
        return Kind.baseline  # `由平均2600元下降到800元`: where it started
    # `在现有8个…的基础上`: a stock the plan starts from.
    opening = before.rfind("在")
    if opening >= 0 and "基础上" in after[:40] and ("现有" in before[opening:] or "基础上" in after[:40]):
        closing = after.find("基础上")
        if "。" not in after[:closing] and "," not in after[:closing].replace("、", ""):
            return Kind.baseline
    section = context.section_kind(quantity.start)
    sentence_text = folded[sentence.start : sentence.end]
    governing = folded[_governing_start(folded, sentence, quantity, context) : quantity.start]
    cues = [cue for cue in KIND_WORDS.target_openers if _governs(governing, cue)]
    if cues == ["争取"] and section is Kind.actual and governing[governing.rfind("争取") + 2 :].startswith(KIND_WORDS.secured_after_zhengqu):
        cues = []  # a review's `争取中央预算内投资X亿元` reports funds secured, not a goal
    reached = [int(y) for y in re.findall(r"到((?:19|20)\d\d)年", governing)]
    if cues == ["到20"] and reached and context.review_year is not None and max(reached) <= context.review_year:
        cues = []  # `从2020年的53.2%提升到2025年的57.7%` in a review of 2025: a year reached, not a goal
    if cues:
        return Kind.target
    if any(cue in sentence_text for cue in KIND_WORDS.actual_markers):
        return Kind.actual
    if section is not None:
        return section
    if any(_governs(sentence_text, cue) for cue in KIND_WORDS.target_cues):
        return Kind.target
    return Kind.target if context.plan_year is not None or not context.review_zones else Kind.actual


def _year(folded: str, sentence: Span, quantity: Quantity, kind: Kind, context: Context) -> int | None:
    before = folded[sentence.start : quantity.start]
    if kind is Kind.baseline:
        start_year = re.search(r"从((?:19|20)\d\d)年(?:底|末)?的?$", before)
        if start_year:
            return int(start_year.group(1))
        if re.search(r"(?:从|由)(?:上年|去年)", before):
            # `由上年729万人增加到732万人`: the year before the one the sentence speaks of (a review's
            # year, or in a plan the plan year)
            current = context.plan_year if context.section_kind(quantity.start) is Kind.target else context.review_year
            return current - 1 if current is not None else None
        return None
    # `比2020年下降`: a base; `实现2035年远景目标`: a slogan's horizon; neither is the figure's year.
    explicit = list(re.finditer(r"(?<![比较从由])(?:到|至|在)?(20\d\d|19\d\d)年(?!以来|远景)", before))
    if explicit:
        return int(explicit[-1].group(1))
    if kind is Kind.target:
        if any(w in before for w in KIND_WORDS.next_year) and context.plan_year is not None:
            return context.plan_year + 1
        return context.plan_year
    return context.review_year


def _period(folded: str, sentence: Span, quantity: Quantity, kind: Kind, context: Context) -> tuple[int, int] | None:
    """The five-year period a figure belongs to: its paragraph's, unless the sentence names another
    year before it (`2025年接待游客…` in a 十四五 paragraph is one year's) or it is a starting point."""
    if kind is Kind.baseline:
        return None
    before = folded[sentence.start : quantity.start]
    period = context.period_at(quantity.start) or sentence_period(before, context.review_year, context.plan_year)
    if period is None:
        return None
    before = period_span_re(period).sub("", before)  # the period's own span names no single year
    explicit = list(re.finditer(r"(到|至)?(20\d\d|19\d\d)年(?!代|远景)", before))
    if explicit and not (explicit[-1].group(1) and int(explicit[-1].group(2)) == period[1] and period[0] == context.plan_year):
        return None  # only `到2030年` in a 十五五 paragraph names the period's own horizon
    return period


def _scope(folded: str, clause: _Clause, period: tuple[int, int] | None) -> Scope:
    """`年均增长5.5%` is a yearly average wherever it stands; `累计` totals a period only when the figure
    belongs to one (a year's review says `累计完成投资` of that year)."""
    own = clause.change_left if clause.paired is None else folded[clause.paired[1].start : clause.quantity.start]
    own = own.replace("年均浓度", "")  # `PM2.5年均浓度`: a concentration's name, not a period's average
    if any(word in own for word in _SCOPE_WORDS["average"]):
        return Scope.average
    if period is not None and any(word in own for word in _SCOPE_WORDS["cumulative"]):
        return Scope.cumulative
    return Scope.year


def _hedge(text: str, folded: str, sentence: Span, quantity: Quantity, context: Context) -> str | None:
    """The hedge governing the figure, as written; in a review only one in the figure's own clause."""
    start = _governing_start(folded, sentence, quantity, context)
    before = folded[start : quantity.start]
    position, hedge = max(((before.rfind(h), h) for h in HEDGES if _governs(before, h)), default=(-1, ""))
    if position < 0:
        return None
    return text[start + position : start + position + len(hedge)]


def _governing_start(folded: str, sentence: Span, quantity: Quantity, context: Context) -> int:
    """Where the words that can promise a figure begin: its sentence, or in a review its own clause
    (`努力加快高质量发展步伐，全省地区生产总值达到X` reports a result)."""
    if context.section_kind(quantity.start) is not Kind.actual:
        return sentence.start
    before = folded[sentence.start : quantity.start]
    return sentence.start + max(before.rfind(b) for b in KIND_WORDS.review_clause_breaks) + 1
