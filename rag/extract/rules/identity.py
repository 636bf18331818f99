"""Document identity: which region a report is for, which years it reviews and plans, what kind it is.

Everything downstream keys on these facts, so they come from the strongest evidence first:
the meeting line (`——2026年1月27日在吉林省第十四届人民代表大会第五次会议上`), the title
(`2026年安徽省政府工作报告`), the speaker line (`海拉尔区人民政府区长 张天喜`), then the body's own
words. Places are resolved against the gazetteer (`rag.extract.rules.gazetteer`), so a region is the unit's full
name (`内蒙古自治区`, `海拉尔区`) with its parent where the text or the gazetteer knows it; units the
gazetteer cannot know (`XX经济开发区`, `XX街道`) are read by their suffix; a document that names no
unit at all keeps what it calls itself (`园区`). Years follow the title and the meeting date before
any heading, and a horizon (`到2035年`, the 十五五 goals for 2030) never becomes the plan year.

Words live in `rag/core/lexicon/identity.toml`; every phrasing has a case row in tests/unit/test_identity.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rag.core.lexicon import lexicon
from rag.core.spans import Span
from rag.extract.rules.gazetteer import Place, gazetteer
from rag.ingest.cleaning import fold
from rag.ingest.structure import Outline

_HEAD_CHARS = 700  # how far into the content the title block, meeting and speaker lines reach
_CN_YEAR_DIGITS = {ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")} | {"零": "0", "o": "0", "O": "0"}
_CN_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}


@cache
def _words() -> dict:
    return lexicon("identity")


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def compact(text: str) -> str:
    """Without whitespace: `政 府 工 作 报 告` reads as `政府工作报告`."""
    return re.sub(r"\s+", "", text)


# ---- region ------------------------------------------------------------------------------------

@dataclass
class Region:
    name: str | None
    code: str | None = None
    parent: str | None = None


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    words = _words()["region"]
    return {
        # `在呼伦贝尔市海拉尔区第十五届人民代表大会`, `在中国共产党XX县第十四次代表大会上`
        "meeting": re.compile(r"在(?:中国共产党)?(?P<unit>[^在,。;:\s]{2,30}?)(?:第?[一二三四五六七八九十百〇零\d]+(?:届|次))?"
                              rf"(?:[一二三四五六七八九十\d]+次)?(?:{_alternation(words['meeting_words'])})"),
        # `2026年安徽省政府工作报告`; a plan's `兰考县国民经济和社会发展第十四个五年规划…`, `某市“十四五”规划纲要`
        "title": re.compile(r"^(?:[\d〇一二三四五六七八九零]{4}年(?:度)?)?(?P<unit>[^\d年“]{2,30}?)"
                            r"(?:(?:人民)?政府工作报告|国民经济和社会发展第|“?十[一二三四五六七]五”?(?:规划|时期))"),
        # `海拉尔区人民政府区长 张天喜`, `安徽省省长 王清宪`
        "speaker": re.compile(rf"^(?P<unit>[^\s,。]{{2,30}}?)(?:人民政府|政府)?(?:{_alternation(words['speaker_titles'])})(?:\s|$)"),
        # `我代表海拉尔区人民政府向大会报告工作`
        "on_behalf": re.compile(r"代表(?P<unit>[^\s,。]{2,20}?)人民政府"),
        "local": re.compile(rf"(?P<unit>[^\d\s年、,。:(“\"]{{1,10}}?(?:{_alternation(words['local_units'])}))"),
    }


def read_region(text: str, folded: str, outline: Outline, title: str | None, head: Span) -> Region:
    """The region a document is for, from its head lines, then its body, else what it calls itself."""
    words = _words()["region"]
    lines = [compact(line) for line in head.of(folded).splitlines() if line.strip()]
    title_line = compact(title or "")
    patterns = _patterns()
    # The meeting line names the unit exactly; the title and the speaker line next.
    for key, candidates in (("meeting", lines), ("title", [title_line, *lines]), ("speaker", lines), ("on_behalf", lines)):
        for line in candidates:
            for match in patterns[key].finditer(line) if key in ("meeting", "on_behalf") else [patterns[key].match(line)]:
                if match is None:
                    continue
                region = _unit_region(match.group("unit"), words["not_regions"])
                if region is not None:
                    return _as_written(region, text, folded)
    legacy = _legacy_region(text, folded, outline, title, words)
    return _as_written(legacy, text, folded) if legacy is not None else Region(None)


def _unit_region(unit: str, not_regions: list[str]) -> Region | None:
    """The most specific place a unit phrase names (`呼伦贝尔市海拉尔区` → 海拉尔区 of 呼伦贝尔市),
    or a local unit the gazetteer cannot know (`XX经济开发区`)."""
    if not unit or unit in not_regions:
        return None
    g = gazetteer()
    mentions = [m for m in g.mentions(unit) if not m.short or m.places[0].level == 1 or m.span.end == len(unit)]
    if mentions:
        places = g.resolve(mentions)
        place = places[-1]
        # A local unit after the place (`XX市高新区`) is narrower than the place.
        tail = unit[mentions[-1].span.end :]
        local = _patterns()["local"].fullmatch(tail) if tail else None
        if local is not None and tail not in not_regions:
            return Region(unit[mentions[0].span.start :], None, place.name)
        return _place_region(place, places[:-1], len(mentions[-1].places) > 1)
    local = _patterns()["local"].search(unit)
    if local is not None and local.group("unit") not in not_regions and local.end() == len(unit):
        return Region(local.group("unit"))
    return None


def resolve_region(name: str, parent: str | None = None) -> Region:
    """A region a user names (`rag ingest --meta`), with the gazetteer's code and parent when the
    name (with its parent, if given) is one unit; otherwise as given, with no code."""
    return _unit_region(fold((parent or "") + name), _words()["region"]["not_regions"]) or Region(name, None, parent)


def _as_written(region: Region, text: str, folded: str) -> Region:
    """A unit the gazetteer does not know keeps the document's own spelling (`XX街道`, not `xx街道`)."""
    name = region.name
    position = folded.find(name) if name and region.code is None else -1
    if name and position >= 0:
        region.name = text[position : position + len(name)]
    return region


def _place_region(place: Place, named_before: list[Place], shared_name: bool) -> Region:
    """The place with its parent; a name several places share (`铁西区`) without a parent in the
    text is kept as written, with no code or parent guessed."""
    g = gazetteer()
    parents = g.ancestors(place)
    parent = next((p for p in named_before if p in parents), None)
    if parent is None and shared_name:
        return Region(place.name)
    if parent is None and place.level == 3 and parents:
        parent = parents[0]
    return Region(place.name, place.code, parent.name if parent else None)


def _legacy_region(text: str, folded: str, outline: Outline, title: str | None, words: dict) -> Region | None:
    """Documents without a meeting or speaker line: news items, plan summaries, party reports."""
    candidates = [title or ""] + [span.of(text) for span in outline.title_block]
    units = _alternation(["经济开发区", "开发区", "高新区", "新区", "街道", "县", "区", "市", "镇"])
    for line in candidates:
        # `在2023年XX街道党工委工作会议上的报告`: the unit before the meeting words.
        match = re.search(rf"(?:\d{{4}}年)?([^\d\s年、,，。：:（(“\"]{{1,8}}?(?:{units}))(?:\d{{2,4}}|党|工作|计划|政府|人民|第|委)", line)
        if match and match.group(1) not in words["not_regions"]:
            return _unit_region(fold(match.group(1)), words["not_regions"]) or Region(match.group(1))
        lead = re.match(r"^(?:[\d.\s]+)?([\u4e00-\u9fff]{2,3})(?:围绕|圍繞|召开|召開|举行|舉行)", line)
        if lead:
            return Region(lead.group(1))
    body = re.search(r"(?:^|\n|,|。)\s*(?:\d{4}年,)?([\u4e00-\u9fffx]{1,6}?)(?:将|要)深入", folded)
    if body and body.group(1) not in words["not_regions"]:
        start = body.start(1)
        return Region(text[start : start + len(body.group(1))])
    # A document that never names itself calls itself by its kind of unit (`园区`, `开发区`).
    counts = {word: folded.count(word) for word in words["self_designations"]}
    word, count = max(counts.items(), key=lambda kv: kv[1])
    if count >= 3:
        position = folded.find(word)
        return Region(text[position : position + len(word)])
    return None


# ---- years -------------------------------------------------------------------------------------

def _year_of(token: str) -> int | None:
    digits = "".join(_CN_YEAR_DIGITS.get(ch, ch) for ch in token)
    return int(digits) if digits.isdigit() and 1949 <= int(digits) <= 2100 else None


@cache
def _year_patterns() -> dict[str, re.Pattern[str]]:
    years = _words()["years"]
    year = r"((?:19|20)\d\d|[〇零一二三四五六七八九]{4})"
    return {
        "meeting_date": re.compile(rf"{year}年(\d{{1,2}}|[一二三四五六七八九十]{{1,3}})月[^。\n]{{0,16}}?在[^。\n]{{2,40}}?(?:会议|大会)"),
        "title": re.compile(rf"{year}年(?:度)?[^。\n]{{0,30}}?(?:政府工作报告|工作报告)"),
        "plan": re.compile(rf"{year}年(?:{_alternation(years['plan_after_year'])})"),
        "review_after": re.compile(rf"{year}年(?:{_alternation(years['review_after_year'])})"),
        "review_before": re.compile(rf"(?:{_alternation(years['review_before_year'])}){year}年"),
        "horizon": re.compile(rf"(?:{_alternation(years['horizon_before'])}){year}年|{year}年(?:{_alternation(years['horizon_after'])})"),
    }


def read_years(folded: str, outline: Outline, title: str | None, head: Span, government_report: bool) -> tuple[int | None, int | None]:
    """(plan year, review year): from the title and the meeting date, then headings, then the body."""
    patterns = _year_patterns()
    head_text = compact(head.of(folded))
    plan = review = None
    title_match = patterns["title"].search(compact(title or ""))
    if title_match:
        plan = _year_of(title_match.group(1))
    if plan is None:
        date = patterns["meeting_date"].search(head_text)
        if date:
            year, month = _year_of(date.group(1)), date.group(2)
            month_number = int(month) if month.isdigit() else _CN_MONTH.get(month, 0)
            if year is not None:
                plan = year + 1 if month_number in _words()["years"]["next_year_months"] else year
    headings = [h.title_span.of(folded) for h in outline.walk() if h.level != "item"]
    if plan is None:
        plan = _first_year(patterns["plan"], headings, exclude=None)
    review = _first_year(patterns["review_after"], headings, exclude=plan) or _first_year(patterns["review_before"], headings, exclude=plan)
    if plan is None or review is None:
        legacy_plan, legacy_review = _legacy_years(folded)
        plan = plan or legacy_plan
        review = review or (legacy_review if legacy_review != plan else None)
    if review is not None and plan is not None and review >= plan:
        review = None
    if review is None and plan is not None and (government_report or any(cue in folded for cue in ("过去的一年", "过去一年", "一年来"))):
        review = plan - 1
    if plan is None and review is not None and any(cue in folded for cue in ("今年", "明年")):
        plan = review + 1
    return plan, review


def _first_year(pattern: re.Pattern[str], texts: list[str], exclude: int | None) -> int | None:
    for text in texts:
        for match in pattern.finditer(compact(text)):
            year = _year_of(next(g for g in match.groups() if g))
            if year is not None and year != exclude:
                return year
    return None


_YEAR = r"(20\d\d|19\d\d)"


def _legacy_years(folded: str) -> tuple[int | None, int | None]:
    """The body's own words, for documents without a dated title or meeting line."""
    plan_patterns = [
        rf"部署{_YEAR}年", rf"{_YEAR}年(?:是|,|的主要目标|主要目标|工作任务|的工作|工作要点|工作安排)",
        rf"{_YEAR}年[^。]{{0,6}}(?:将|要)", rf"今年[^。]{{0,4}}{_YEAR}", rf"在{_YEAR}年[^。]{{0,20}}工作会议",
    ]
    review_patterns = [rf"回顾(?:总结)?[^。]{{0,8}}?{_YEAR}年", rf"{_YEAR}年(?:主要)?工作(?:回顾|总结)", rf"过去的{_YEAR}年"]
    horizons = {m.start() for m in _year_patterns()["horizon"].finditer(folded)}
    review = _first_body_year(review_patterns, folded, None, horizons)
    head = folded[: max(2000, len(folded) // 3)]
    # A year the document looks back on is not the year it plans for.
    plan = _first_body_year(plan_patterns, head, review, horizons) or _first_body_year(plan_patterns, folded, review, horizons)
    return plan, review


def _first_body_year(patterns: list[str], text: str, exclude: int | None, horizons: set[int]) -> int | None:
    hits = []
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            year = int(match.group(1))
            # `到2035年`: a horizon of one sentence, not the document's year.
            if year == exclude or any(abs(match.start(1) - h) <= 4 for h in horizons):
                continue
            hits.append((match.start(), year))
    return min(hits)[1] if hits else None


# ---- type --------------------------------------------------------------------------------------

_PLAN_NUMBER_RE = re.compile(r"第(十[一二三四五六七])个五年|十([一二三四五六七])五")


def five_year_plan_period(title: str | None) -> tuple[int, int] | None:
    """The years of the five-year plan a title names as a plan (`第十四个五年规划…纲要` → 2021–2025)."""
    from rag.extract.rules.periods import PLAN_NUMERALS, plan_years

    compact_title = compact(title or "")
    if not any(word in compact_title for word in _words()["type"]["five_year_plan_titles"]):
        return None
    match = _PLAN_NUMBER_RE.search(compact_title)
    if match is None:
        return None
    return plan_years(PLAN_NUMERALS[match.group(1) or "十" + match.group(2)])


def is_government_report(folded: str, title: str | None, head: Span) -> bool:
    """A government work report whatever its title's spacing (`政 府 工 作 报 告`)."""
    words = _words()["type"]
    opening = compact(head.of(folded)).replace(",", "")
    return (words["government_report"] in compact(title or "") or words["government_report"] in compact(head.of(folded)[:300])
            or any(phrase in opening for phrase in words["government_report_openings"]))


def head_span(segments: list[Span], text_length: int) -> Span:
    """The document's head: from the first content to a few hundred characters on."""
    start = segments[0].start if segments else 0
    return Span(start, min(text_length, start + _HEAD_CHARS))
