"""Extraction (rules): the offline engine. Deterministic, no model, no network.

From one decoded document it builds a `DocumentRecord`: the outline (from `rag.ingest.structure`), the
indicators (from `rag.extract.rules.indicators`), the slogans and the document facts. Every item's span indexes
the original text; `rag.extract.verify` checks that afterwards, as it does for any engine.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any, cast

from rag.core.lexicon import lexicon
from rag.core.records import DocType, DocumentRecord, OutlineNode, Slogan
from rag.core.spans import Span
from rag.extract.rules.identity import five_year_plan_period, head_span, is_government_report, read_region, read_years
from rag.extract.rules.indicators import Context, read_indicators
from rag.extract.rules.periods import period_zones

# The versions of the rules and of the facts they read are hashed in rag/extract/versions.py from the
# files, without importing them (a question answered from the indicator table checks them there).
from rag.extract.versions import FACTS_VERSION as FACTS_VERSION
from rag.extract.versions import RULES_VERSION as RULES_VERSION
from rag.ingest.cleaning import content_segments, fold
from rag.ingest.structure import CN_DIGITS, Heading, Outline, parse_outline


class RulesEngine:
    """The offline engine: `extract(doc_id, text)` → a grounded DocumentRecord."""

    name = "offline"

    def extract(self, doc_id: str, text: str, *, segments: list[Span] | None = None, outline: Outline | None = None) -> DocumentRecord:
        """`segments` and `outline`, when given, are the text's own (an ingest has them already)."""
        folded = fold(text)
        segments = segments if segments is not None else content_segments(text)
        outline = outline if outline is not None else parse_outline(text, segments)
        facts, context = _facts(text, folded, outline, segments)
        return DocumentRecord(
            doc_id=doc_id, **facts,
            outline=[_node(h, text) for h in outline.roots],
            indicators=read_indicators(text, folded, context),
            slogans=find_slogans(text, folded, outline),
        )


def document_facts(text: str, outline: Outline | None = None, segments: list[Span] | None = None) -> dict[str, Any]:
    """Title, region, type and years: the cheap part of a record, kept in the manifest at ingest."""
    segments = segments if segments is not None else content_segments(text)
    outline = outline or parse_outline(text, segments)
    facts, _ = _facts(text, fold(text), outline, segments)
    return {**facts, "doc_type": facts["doc_type"].value}


def record_facts(record: DocumentRecord) -> dict[str, Any]:
    """`document_facts` of a record the rules extracted (they are its first fields): no second reading."""
    facts = record.model_dump(include=set(_FACT_FIELDS))
    return {**facts, "doc_type": record.doc_type.value}


_FACT_FIELDS = ("title", "region", "region_code", "region_parent", "doc_type", "review_year", "plan_year")
_PLAUSIBLE_YEARS = (1949, 2100)


def _facts(text: str, folded: str, outline: Outline, segments: list[Span]) -> tuple[dict[str, Any], Context]:
    title = _title(text, outline)
    head = head_span(segments, len(text))
    government = is_government_report(folded, title, head)
    plan_period = five_year_plan_period(title)
    plan_year: int | None
    review_year: int | None
    if plan_period is not None:  # a five-year plan plans its period's first year and reviews the one before
        plan_year, review_year = plan_period[0], plan_period[0] - 1
    else:
        plan_year, review_year = read_years(folded, outline, title, head, government)
    if not all(year is None or _PLAUSIBLE_YEARS[0] <= year <= _PLAUSIBLE_YEARS[1] for year in (plan_year, review_year)):
        plan_year = review_year = None  # `1930年…` in a title is no report's year here (records refuse it)
    region = read_region(text, folded, outline, title, head)
    context = _zones(text, folded, outline, segments)
    context.plan_year, context.review_year = plan_year, review_year
    context.period_zones = period_zones(folded, outline, review_year, plan_year, default=plan_period)
    if plan_period is not None:
        doc_type = DocType.five_year_plan
    else:
        doc_type = DocType.government_work_report if government else _doc_type(folded, outline, title, context)
    return {"title": title, "region": region.name, "region_code": region.code, "region_parent": region.parent,
            "doc_type": doc_type, "review_year": review_year, "plan_year": plan_year}, context


def _node(heading: Heading, text: str) -> OutlineNode:
    return OutlineNode(
        level=cast(Any, heading.level), marker=heading.marker, title=heading.title(text), span=heading.title_span,
        children=[_node(child, text) for child in heading.children],
    )


# ---- document facts ----------------------------------------------------------------------------

def _title(text: str, outline: Outline) -> str | None:
    """The first line of the title block that names a document (not a bare date or label)."""
    for span in outline.title_block:
        line = span.of(text).strip()
        if len(line) >= 6:
            return line
    return None


def _doc_type(folded: str, outline: Outline, title: str | None, context: Context) -> DocType:
    heading = fold(title or "")
    words = lexicon("identity")["type"]
    party = "(?:" + "|".join(map(re.escape, words["party_bodies"])) + f"|[{words['party_body_suffix']}]委)"
    meetings = "|".join(map(re.escape, words["party_meetings"]))
    if re.search(rf"{party}[^。]{{0,12}}报告", heading) or re.search(rf"(?:{meetings})上的报告", heading):
        return DocType.party_work_report
    if any(word in heading for word in words["plan_title_words"]):
        return DocType.work_plan
    # `讯 ` (a dateline: `本报讯 `) is a pattern, not a word.
    if any(word in folded[:400] for word in words["news_markers"]) or re.search(r"讯\s", folded[:400]):
        return DocType.news_report
    if context.plan_zones or context.plan_year is not None:
        return DocType.work_plan
    return DocType.other


# ---- review and plan zones ---------------------------------------------------------------------

_ZONE_WORDS = lexicon("zones")
_REVIEW_HEADING = tuple(_ZONE_WORDS["review_heading"])
_REVIEW_OPENING = tuple(_ZONE_WORDS["review_opening"])
_PLAN_HEADING = tuple(_ZONE_WORDS["plan_opening"])


def _zones(text: str, folded: str, outline: Outline, segments: list[Span]) -> Context:
    """Top-level sections classified as review (actuals) or plan (targets) by their heading and opening."""
    context = Context()
    roots = [h for h in outline.roots if h.level != "item"]
    if not roots:
        return context
    end_of_text = segments[-1].end if segments else len(text)
    for index, heading in enumerate(roots):
        zone = Span(heading.start, roots[index + 1].start if index + 1 < len(roots) else end_of_text)
        title = heading.title_span.of(folded)
        opening = folded[heading.title_span.start : min(zone.end, heading.title_span.end + 60)]
        if any(cue in title for cue in _REVIEW_HEADING) or any(cue in opening for cue in _REVIEW_OPENING):
            context.review_zones.append(zone)
        elif any(cue in opening for cue in _PLAN_HEADING) or "年" in opening:
            context.plan_zones.append(zone)
    return context


# ---- slogans -----------------------------------------------------------------------------------

_QUOTED_RE = re.compile(r"[“\"「『]([^”\"」』\n]{1,12})[”\"」』]")
_NUMERAL_SET_RE = re.compile(rf"^[{CN_DIGITS}两百]{{1,2}}[\u4e00-\u9fff\d]{{1,6}}$")
_TRAILING_NUMERAL_RE = re.compile(rf"^[\u4e00-\u9fffxX]{{2,6}}?([{CN_DIGITS}两]{{1,2}})[条点项招]$")
_FORMULA_RE = re.compile(r"^\d{1,2}(?:\+\d{1,2})+$|^\d{3}$")
# What a formula names when it is a slogan rather than a code or a plan's name (`“3550”`, `“572”计划`).
_SLOGAN_WORDS = lexicon("slogans")
_SET_NOUNS = tuple(_SLOGAN_WORDS["set_nouns"])
_NOT_A_SET = tuple(_SLOGAN_WORDS["not_a_set"])
_NUMERALS = {ch: i + 1 for i, ch in enumerate(CN_DIGITS)} | {"两": 2}


class _Headings(list):  # type: ignore[type-arg]
    """A document's headings with the first clause of each title, folded, read once: every slogan is
    matched against them (a long report has hundreds of slogans and headings)."""

    def __init__(self, headings: list[Heading], folded: str) -> None:
        super().__init__(headings)
        self.clauses = [re.split(r"[,，;；]", heading.title(folded))[0] for heading in headings]
        self.by_last_character: dict[str, list[int]] = {}
        for index, clause in enumerate(self.clauses):
            if clause:
                self.by_last_character.setdefault(clause[-1], []).append(index)
        self._by_start = sorted(range(len(headings)), key=lambda i: headings[i].title_span.start)
        self._starts = [headings[i].title_span.start for i in self._by_start]
        ends = [headings[i].title_span.end for i in self._by_start]
        self._titles_apart = all(a <= b for a, b in zip(ends, self._starts[1:], strict=False))

    def around(self, position: int, reach: int) -> list[Heading]:
        """Headings whose title holds `position` or ends fewer than `reach` characters before it, in
        the list's order; looked up by position where titles do not overlap (they never do in an outline)."""
        def near(heading: Heading) -> bool:
            return heading.title_span.start <= position < heading.title_span.end + reach

        if not self._titles_apart:
            return [heading for heading in self if near(heading)]
        found: list[int] = []
        cursor = bisect_right(self._starts, position) - 1
        while cursor >= 0 and self[self._by_start[cursor]].title_span.end + reach > position:
            found.append(self._by_start[cursor])  # ends only fall going back, so the first miss ends it
            cursor -= 1
        return [self[index] for index in sorted(found)]


def find_slogans(text: str, folded: str, outline: Outline) -> list[Slogan]:
    found: dict[str, Slogan] = {}
    headings = _Headings(outline.walk(), folded)
    explained_formulas: dict[str, bool] = {}
    for match in _QUOTED_RE.finditer(folded):
        name_span = Span(match.start(1), match.end(1))
        name_folded = match.group(1)
        if name_folded in found:
            continue
        count = _slogan_count(name_folded)
        is_formula = bool(_FORMULA_RE.match(name_folded))
        if count is None and not is_formula and not _is_composite(name_folded) and not _TRAILING_NUMERAL_RE.match(name_folded):
            continue
        if is_formula and name_folded not in explained_formulas:  # the same for every occurrence
            explained_formulas[name_folded] = _formula_explained(folded, name_folded)
        if is_formula and not (explained_formulas[name_folded] or _names_a_system(folded, match)):
            continue
        if is_formula:
            items = _formula_parts(text, folded, name_folded, name_span, headings)
        else:
            items = _members(text, folded, name_span, count or _composite_size(name_folded), headings)
        found[name_folded] = Slogan(name=name_span.of(text), count=count, items=items,
                                    quote=name_span.of(text), span=name_span)
    return list(found.values())


def _names_a_system(folded: str, match: re.Match[str]) -> bool:
    """`“1+4”招商体系`, `“1+7”的园区格局`: a formula followed, in its clause, by what it organises."""
    clause = folded[match.end() : match.end() + 16]
    clause = re.split(r"[。,;:]", clause, maxsplit=1)[0]
    return any(noun in clause for noun in _SET_NOUNS)


def _slogan_count(name: str) -> int | None:
    trailing = _TRAILING_NUMERAL_RE.match(name)
    if trailing and not any(w in name for w in _NOT_A_SET):
        return _NUMERALS.get(trailing.group(1)[-1]) if len(trailing.group(1)) == 1 else None
    if not _NUMERAL_SET_RE.match(name) or any(w in name for w in _NOT_A_SET):
        return None
    # `五个一`: five things each named `一个…`.
    each = re.match(rf"^([{CN_DIGITS}两])个一$", name)
    if each:
        return _NUMERALS[each.group(1)]
    numerals = [ch for ch in name if ch in _NUMERALS]
    if len(numerals) != 1 or name[0] not in _NUMERALS:
        return None
    if len(name) > 1 and name[1] == "十":
        return None
    # `一条主线`, `一号工程`: one thing is not a set.
    count = _NUMERALS[name[0]]
    return count if count >= 2 else None


def _is_composite(name: str) -> bool:
    """`三改一拆`, `四美一绿`, `两清查一攻坚`: several numerals naming a set of actions."""
    numerals = [ch for ch in name if ch in _NUMERALS]
    return (
        bool(_NUMERAL_SET_RE.match(name)) and len(numerals) >= 2 and name[0] in _NUMERALS
        and not any(w in name for w in _NOT_A_SET) and len(name) <= 8
    )


def _composite_size(name: str) -> int | None:
    """How many members a composite names: `四美一绿` 5, `三办法一考核` 4, `四个一批`/`五位一体` 4/5."""
    if not _is_composite(name):
        return None
    each = re.match(rf"^([{CN_DIGITS}两])(?:个|位)一", name)
    if each:
        return _NUMERALS[each.group(1)]
    return sum(_NUMERALS[ch] for ch in name if ch in _NUMERALS)


def _formula_explained(folded: str, name: str) -> bool:
    """A digit formula is a slogan when the text names its parts (`“126”布局中的“1”,就是…`) or builds it
    from slogans around it (`“五大工业集群”…“四大服务业态”…“5+4+1”`)."""
    parts = name.split("+") if "+" in name else list(name)
    explained = _explained_quotes(folded)
    first = folded.find(name)
    for part in parts:
        for position in explained.get(part, ()):
            sentence_start = max(folded.rfind(ch, 0, position) for ch in "。\n") + 1
            if name in folded[sentence_start:position] or 0 <= position - first < 300:
                return True
    position = first
    window = folded[max(0, position - 200) : position]
    return "+" in name and len(re.findall(r"[“\"][一二三四五六七八九十两]大", window)) >= 1


@lru_cache(maxsize=4)
def _explained_quotes(folded: str) -> dict[str, list[int]]:
    """Where each short quoted name is explained (`“1”,就是…`), found once per document."""
    found: dict[str, list[int]] = {}
    for match in re.finditer(r"[“\"]([^”\"\n]{1,8})[”\"][^。]{0,3}(?:就是|即|是指)", folded):
        found.setdefault(match.group(1), []).append(match.start())
    return found


# Verbs that open the clause a list of members stands in, not part of the first member.
_LIST_VERBS = sorted(
    ["深入推进", "深入实施", "全面实施", "实施", "深入", "全力打造", "加快打造", "打造", "突出", "形成", "大力推行", "推行", "构建", "围绕",
     "依托", "按照", "坚持", "统筹推进", "推进", "建设", "培育", "强化", "聚焦", "抓好", "进一步", "健全完善", "完善",
     "健全", "倡树", "大力", "积极", "全面", "着力", "继续发挥", "发挥", "加快", "实行", "以", "即", "就是", "包括",
     "重点", "集中", "深化", "落实", "抓牢", "扛好", "当好", "做好", "提升", "优化", "开展", "全力"],
    key=len, reverse=True,
)


def _strip_list_verbs(phrase: str) -> str:
    changed = True
    while changed:
        changed = False
        for verb in _LIST_VERBS:
            if fold(phrase).startswith(verb) and len(phrase) > len(verb) + 1:
                phrase, changed = phrase[len(verb):], True
                break
    return phrase


def _members(text: str, folded: str, name: Span, size: int | None, headings: list[Heading]) -> list[str]:
    """A numbered set's members, from the first place that lists exactly `size` of them."""
    if size is None:
        return []
    for where in (_listed_before, _listed_after, _child_headings, _headings_of_one_level, _quoted_names):
        items = where(text, folded, name, headings, size)
        if len(items) == size:
            return items
    return []


def _listed_before(text: str, folded: str, name: Span, headings: list[Heading], size: int) -> list[str]:
    """`开放带动、产业强区、…、党建引领“五大战略”`, or in a quotation before it: `“一个项目、一名领导、…”的“五个一”`."""
    clause_start = name.start - 1
    while clause_start > 0 and folded[clause_start - 1] not in ",，。;；:：\n":
        clause_start -= 1
    before = Span(clause_start, name.start - 1)
    quoted = list(re.finditer(r"[“\"]([^”\"]+)[”\"]", before.of(folded)))
    if quoted and "、" in quoted[-1].group(1) and not quoted[-1].group(1).endswith(("”", "\"")):
        inner = Span(before.start + quoted[-1].start(1), before.start + quoted[-1].end(1))
        return _split_members(text, folded, inner, strip_first=False)
    tail = before.of(folded)
    trimmed = len(tail) - len(tail.rstrip("的"))
    return _split_members(text, folded, Span(before.start, before.end - trimmed), strip_first=True)


def _listed_after(text: str, folded: str, name: Span, headings: list[Heading], size: int) -> list[str]:
    """`“三大攻坚”,即防范化解重大风险、精准脱贫和污染防治`."""
    after = re.match(r"[”\"」』]?[,，]?\s*(?:即|就是|包括|:|：)([^。;；,]+)", folded[name.end :])
    if not after:
        return []
    return _split_members(text, folded, Span(name.end + after.start(1), name.end + after.end(1)), strip_first=False)


def _child_headings(text: str, folded: str, name: Span, headings: list[Heading], size: int) -> list[str]:
    """Explained by the headings under the heading that names it: `实施“六大突破”` → its sub-headings."""
    near = headings.around(name.start, 2) if isinstance(headings, _Headings) else [
        h for h in headings if h.title_span.start <= name.start < h.title_span.end + 2]
    for heading in near:
        if len(heading.children) == size:
            return [child.title(text) for child in heading.children]
    return []


def _set_noun(folded: str, name: Span) -> str:
    return re.sub(rf"^[{CN_DIGITS}两]+[大个项支条]?", "", name.of(folded))


def _headings_of_one_level(text: str, folded: str, name: Span, headings: list[Heading], size: int) -> list[str]:
    """Named by as many headings of one level: `“四大工程”` → `（一）深入推进大引擎驱动工程…` ×4."""
    noun = _set_noun(folded, name)
    if len(noun) < 2:
        return []
    by_level: dict[object, list[str]] = {}
    if isinstance(headings, _Headings):  # only the headings whose first clause ends as the noun does
        candidates = [(headings[i], headings.clauses[i]) for i in headings.by_last_character.get(noun[-1], [])]
    else:
        candidates = [(h, re.split(r"[,，;；]", h.title(folded))[0]) for h in headings]
    for heading, first_clause in candidates:
        if not first_clause.endswith(noun):
            continue  # most headings: no regular expression needed
        hit = re.search(rf"[\u4e00-\u9fff]{{1,16}}{re.escape(noun)}$", first_clause)
        if hit and heading.level != "item":
            start = heading.title_span.start + hit.start()
            by_level.setdefault(heading.level, []).append(_strip_list_verbs(text[start : start + len(hit.group())]))
    return next((members for members in by_level.values() if len(members) == size), [])


def _quoted_names(text: str, folded: str, name: Span, headings: list[Heading], size: int) -> list[str]:
    """Quoted names ending in the set's noun: `“两港”` → `“东部人才港”`, `“东部科技港”`."""
    noun = _set_noun(folded, name)
    if not noun:
        return []
    names: list[str] = []
    for start, end, quoted in _all_quoted(folded).get(noun[-1], ()):
        if quoted.endswith(noun) and quoted != name.of(folded):
            member = text[start:end]
            if member not in names and not any(ch in _NUMERALS for ch in quoted[:1]):
                names.append(member)
    return names


@lru_cache(maxsize=4)
def _all_quoted(folded: str) -> dict[str, list[tuple[int, int, str]]]:
    """Every short quoted name of a document by its last character, found once (a report has hundreds
    of slogans to explain, each by the names ending in its noun)."""
    by_last: dict[str, list[tuple[int, int, str]]] = {}
    for m in re.finditer(r"[“\"]([^”\"\n]{2,10})[”\"]", folded):
        by_last.setdefault(m.group(1)[-1], []).append((m.start(1), m.end(1), m.group(1)))
    return by_last


def _split_members(text: str, folded: str, phrase: Span, strip_first: bool) -> list[str]:
    """`A、B、C和D` → A, B, C, D. Only the last piece splits on 和/及/与, and not at its start
    (`和谐园区` is one member)."""
    body = phrase.of(folded)
    if "、" not in body:
        return []
    pieces: list[Span] = []
    cursor = phrase.start
    for separator in re.finditer("、", body):
        pieces.append(Span(cursor, phrase.start + separator.start()))
        cursor = phrase.start + separator.end()
    last = Span(cursor, phrase.end)
    joiner = max(last.of(folded).rfind(word) for word in ("和", "及", "与"))
    if joiner >= 2 and last.length - joiner - 1 >= 2:
        pieces.append(Span(last.start, last.start + joiner))
        pieces.append(Span(last.start + joiner + 1, last.end))
    else:
        pieces.append(last)
    members = [text[p.start : p.end].strip() for p in pieces if p.length > 0]
    if strip_first and members:
        members[0] = _strip_list_verbs(members[0])
    return members


_PART_RE = r"[“\"]{part}[”\"][^。]{{0,3}}(?:就是|即|是指)"


def _formula_parts(text: str, folded: str, name: str, name_span: Span, headings: list[Heading]) -> list[str]:
    """The named parts of a formula: for `“126”`, the heading before each `“1”就是…`, or what follows
    就是; for `“5+4+1”`, the quoted sets built up before it (`“五大工业集群”`, `“四大服务业态”`)."""
    parts = name.split("+") if "+" in name else list(name)
    found: list[str] = []
    for part in parts:
        match = None
        for candidate in re.finditer(_PART_RE.format(part=re.escape(part)), folded):
            sentence_start = max(folded.rfind(ch, 0, candidate.start()) for ch in "。\n") + 1
            # `“126”布局中的“1”,就是…` explains 126; a bare `“1”就是…` explains the nearest formula before it.
            if name in folded[sentence_start : candidate.start()] or 0 <= candidate.start() - name_span.end < 300:
                match = candidate
                break
        if match is None:
            found = []
            break
        sentence_start = max(folded.rfind(ch, 0, match.start()) for ch in "。\n") + 1
        before = [h for h in headings if h.level == "lead" and h.title_span.end <= sentence_start]
        if before and sentence_start - before[-1].title_span.end < 6:
            found.append(_strip_list_verbs(before[-1].title(text)).strip("“”\""))
        else:
            clause = re.match(r"[^。,，;；]+", folded[match.end() :])
            phrase = _strip_list_verbs(text[match.end() : match.end() + (clause.end() if clause else 0)])
            folded_phrase = fold(phrase)
            if "等" in folded_phrase:
                phrase = phrase[folded_phrase.rfind("等") + 1 :]
            elif "的" in folded_phrase:
                phrase = phrase[: folded_phrase.find("的")]
            found.append(phrase)
    if found:
        return found
    # Built from quoted sets earlier in the sentence, in order of the formula's numbers.
    sentence_start = max(folded.rfind(ch, 0, name_span.start) for ch in "。\n") + 1
    named = [m for m in re.finditer(rf"[“\"]([{CN_DIGITS}两]大[^”\"]{{1,8}})[”\"]", folded[sentence_start : name_span.start])]
    members = [text[sentence_start + m.start(1) : sentence_start + m.end(1)] for m in named]
    return members if members and len(members) <= len(parts) else []
