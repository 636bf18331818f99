"""Document structure: paragraphs and the document's own outline (headings of every level).

Chunking cuts along this outline and extraction reports it. Matching runs on the folded copy of
the text (same length as the original), so every span here indexes the original text.

Levels, by rank (a lower rank contains a higher one; a level a document skips is simply absent):
  1 `一、`   2 `（一）`/`(一)`   3 `1、`/`1.`/`1．` at a paragraph start   4 `（1）`/`①`
  lead (line)   a short heading on a line of its own (`當好省會龍頭`)
  lead (run-in) a short sentence opening a paragraph, when two or more sibling paragraphs open so
  item          in-paragraph enumerations: `一是…二是…`, `第一，…第二，…`, `一方面…另一方面…`
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.core.spans import Span
from rag.ingest.cleaning import content_segments, fold

CN_DIGITS = "一二三四五六七八九十"
_CN_VALUE = {ch: i + 1 for i, ch in enumerate(CN_DIGITS)}

RANK_LINE_LEAD = 5.0
RANK_RUN_IN_LEAD = 6.0
RANK_ITEM = 7.0

# Marker patterns on folded text (full-width brackets and dots are already half-width there).
# A five-year plan's outline stands above the reports' (`第一篇` › `第一章` › `第一节` › `一、`).
_PLAN_MARKERS: list[tuple[str, float, re.Pattern[str]]] = [
    (level, rank, re.compile(rf"第([{CN_DIGITS}百零〇]{{1,4}}){word}\s*"))
    for level, rank, word in (("part", 0.2, "篇"), ("chapter", 0.4, "章"), ("section", 0.6, "节"))
]
_MARKERS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"([{CN_DIGITS}]{{1,3}})\s*[、.]")),
    (2, re.compile(rf"\(\s*([{CN_DIGITS}]{{1,3}})\s*\)\s*[、.]?")),
    (3, re.compile(r"(\d{1,2})\s*(?:、|\.(?!\d))")),
    (4, re.compile(r"\(\s*(\d{1,2})\s*\)|([\u2460-\u2473])")),
]
# `第一、二轮督察` is a list of ordinals, not an item: no numeral right after the ordinal's mark.
_ITEM_RE = re.compile(rf"另一方面|一方面|第[{CN_DIGITS}]{{1,2}}(?=[,、:])(?![,、:][{CN_DIGITS}])|[{CN_DIGITS}]{{1,2}}是(?!否|非|因为|由于|指)")
_ITEM_MAY_FOLLOW = set("。;:!?,、") | {"\n"}
_TITLE_END = "。"
_ITEM_TITLE_END = "。;"
_LEAD_FORBIDDEN = set(",;:!?。")
_LINE_LEAD_MAX = 30
_RUN_IN_LEAD_MIN, _RUN_IN_LEAD_MAX = 4, 20
_TITLE_BLOCK_MAX = 60
_SHARED_OPENING = 6  # characters sibling run-in leads with a comma must open with alike
_LABEL_MAX = 30


@dataclass
class Heading:
    level: int | str  # "part"/"chapter"/"section" (a plan's 篇/章/节), 1..4, "lead" or "item"
    marker: str
    start: int  # where the heading, marker included, begins
    title_span: Span
    rank: float
    children: list[Heading] = field(default_factory=list)

    def title(self, text: str) -> str:
        return self.title_span.of(text)

    def label(self, text: str) -> str:
        """A short name for section paths: the marker and the title up to its first comma."""
        title = self.title(text)
        for sep in ",，;；:：":
            title = title.split(sep, 1)[0]
        title = title.strip()
        if len(title) > _LABEL_MAX:
            title = title[: _LABEL_MAX - 1] + "…"
        return f"{self.marker}{title}"


@dataclass
class Outline:
    roots: list[Heading]
    paragraphs: list[Span]
    title_block: list[Span]
    # (position, active heading path) in order: the path that holds from that position on.
    path_changes: list[tuple[int, tuple[Heading, ...]]]

    def walk(self) -> list[Heading]:
        out: list[Heading] = []

        def visit(nodes: list[Heading]) -> None:
            for node in nodes:
                out.append(node)
                visit(node.children)

        visit(self.roots)
        return out


def paragraphs(text: str, segments: list[Span] | None = None) -> list[Span]:
    """Non-blank lines of the content segments, each stripped of surrounding whitespace."""
    if segments is None:
        segments = content_segments(text)
    out: list[Span] = []
    for segment in segments:
        pos = segment.start
        while pos < segment.end:
            newline = text.find("\n", pos, segment.end)
            end = segment.end if newline < 0 else newline
            line = Span(pos, end).strip(text)
            if line.length:
                out.append(line)
            pos = end + 1
    return out


def parse_outline(text: str, segments: list[Span] | None = None) -> Outline:
    folded = fold(text)
    paras = paragraphs(text, segments)
    title_block = _title_block(folded, paras)
    body = paras[len(title_block):]

    # Pass 1: marker headings and line leads, and run-in lead candidates grouped by their parent.
    flat: list[tuple[Span, Heading | None]] = []
    candidates: dict[int, list[tuple[int, Heading]]] = {}
    parent_key = -1
    for index, para in enumerate(body):
        heading = _marker_heading(text, folded, para) or _line_lead(folded, para, index, body)
        if heading is not None:
            parent_key = index
            flat.append((para, heading))
            continue
        candidate = _run_in_lead(folded, para)
        if candidate is not None:
            candidates.setdefault(parent_key, []).append((len(flat), candidate))
        flat.append((para, None))
    for group in candidates.values():
        for slot, candidate in _sibling_leads(folded, group):
            flat[slot] = (flat[slot][0], candidate)

    # Pass 2: items inside paragraphs, and the tree.
    roots: list[Heading] = []
    stack: list[Heading] = []
    changes: list[tuple[int, tuple[Heading, ...]]] = [(0, ())]
    item_next = 1  # the number the next item must carry to continue a sequence

    def push(node: Heading) -> None:
        while stack and stack[-1].rank >= node.rank:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
        changes.append((node.start, tuple(stack)))

    for para, heading in flat:
        if heading is not None:
            push(heading)
            item_next = 1
        search_from = heading.title_span.start if heading is not None else para.start
        items = _items(text, folded, para, search_from, item_next)
        if not items and stack and stack[-1].level == "item":
            # A paragraph that does not continue the enumeration closes it.
            while stack and stack[-1].level == "item":
                stack.pop()
            changes.append((para.start, tuple(stack)))
            item_next = 1
        for item, number in items:
            push(item)
            item_next = number + 1
    return Outline(roots=roots, paragraphs=paras, title_block=title_block, path_changes=changes)


def _title_block(folded: str, paras: list[Span]) -> list[Span]:
    """Leading short lines with no sentence end: the title and subtitles, not outline."""
    block: list[Span] = []
    for para in paras:
        line = para.of(folded)
        if len(line) > _TITLE_BLOCK_MAX or "。" in line or _match_marker(line) is not None:
            break
        block.append(para)
    # A lone short first line followed by body text is still a title; but if every paragraph is
    # short, the document is a list, not a title.
    return block if len(block) < len(paras) else []


def _match_marker(line: str) -> tuple[int | str, float, re.Match[str]] | None:
    """(level, rank, match) of the heading marker a line opens with, if any."""
    for plan_level, plan_rank, plan_pattern in _PLAN_MARKERS:
        match = plan_pattern.match(line)
        if match and match.end() < len(line):
            return plan_level, plan_rank, match
    for level, pattern in _MARKERS:
        match = pattern.match(line)
        if match and match.end() < len(line):
            return level, float(level), match
    return None


def _marker_heading(text: str, folded: str, para: Span) -> Heading | None:
    found = _match_marker(para.of(folded))
    if found is None:
        return None
    level, rank, match = found
    marker_end = para.start + match.end()
    title_start = Span(marker_end, para.end).strip(folded).start
    stop = folded.find(_TITLE_END, title_start, para.end)
    title = Span(title_start, para.end if stop < 0 else stop).strip(folded)
    if title.length == 0:
        return None
    marker = Span(para.start, marker_end).strip(folded)
    return Heading(level=level, marker=marker.of(text), start=para.start, title_span=title, rank=rank)


def _line_lead(folded: str, para: Span, index: int, body: list[Span]) -> Heading | None:
    line = para.of(folded)
    if not (2 <= len(line) <= _LINE_LEAD_MAX) or index + 1 >= len(body):
        return None
    if any(ch in _LEAD_FORBIDDEN for ch in line) or line[-1] in "、" or line[0].isdigit():
        # A line opening with a number is a dateline or a figure, not a heading.
        return None
    # A heading line introduces a longer paragraph or another heading, not a run of short lines.
    return Heading(level="lead", marker="", start=para.start, title_span=para, rank=RANK_LINE_LEAD)


def _sibling_leads(folded: str, group: list[tuple[int, Heading]]) -> list[tuple[int, Heading]]:
    """Run-in leads are the candidates that two or more sibling paragraphs share a form with.

    Plain short sentences (`坚持规划引领。`) need only a sibling; a sentence with a comma in it
    (`全面深化改革,我们必须先行先试、走在前列。`) only counts when its siblings open with the same words.
    """
    plain = [(slot, h) for slot, h in group if not any(ch in _LEAD_FORBIDDEN for ch in h.title(folded))]
    accepted = plain if len(plain) >= 2 else []
    with_comma = [(slot, h) for slot, h in group if (slot, h) not in plain]
    by_opening: dict[str, list[tuple[int, Heading]]] = {}
    for slot, heading in with_comma:
        by_opening.setdefault(heading.title(folded)[:_SHARED_OPENING], []).append((slot, heading))
    for members in by_opening.values():
        if len(members) >= 2:
            accepted.extend(members)
    return accepted


def _run_in_lead(folded: str, para: Span) -> Heading | None:
    stop = folded.find("。", para.start, para.end)
    if stop < 0 or stop + 1 >= para.end:
        return None
    sentence = Span(para.start, stop)
    if not (_RUN_IN_LEAD_MIN <= sentence.length <= _RUN_IN_LEAD_MAX):
        return None
    if any(ch in "!?;:" for ch in sentence.of(folded)):
        return None
    if _ITEM_RE.match(folded, para.start):
        return None
    return Heading(level="lead", marker="", start=para.start, title_span=sentence, rank=RANK_RUN_IN_LEAD)


def _item_number(marker: str) -> int:
    if marker == "一方面":
        return 1
    if marker == "另一方面":
        return 2
    digits = marker.removeprefix("第").removesuffix("是")
    if len(digits) == 1:
        return _CN_VALUE[digits]
    if digits[0] == "十":
        return 10 + _CN_VALUE.get(digits[1], 0)
    return _CN_VALUE[digits[0]] * 10 + (_CN_VALUE.get(digits[1], 0) if digits[1] != "十" else 0)


def _items(text: str, folded: str, para: Span, search_from: int, expect: int) -> list[tuple[Heading, int]]:
    """The enumeration items of a paragraph that continue the sequence numbered `expect`."""
    found: list[tuple[Heading, int]] = []
    family: str | None = None
    for match in _ITEM_RE.finditer(folded, search_from, para.end):
        before = folded[para.start : match.start()].rstrip()
        if before and before[-1] not in _ITEM_MAY_FOLLOW:
            continue
        marker = match.group()
        if marker == "一方面" and match.start() > 0 and folded[match.start() - 1] == "另":
            continue
        number = _item_number(marker)
        kind = "side" if marker.endswith("方面") else ("ordinal" if marker.startswith("第") else "shi")
        if number != expect or (family is not None and kind != family):
            continue
        family = kind
        title_start = match.end()
        while title_start < para.end and folded[title_start] in " ,、:":
            title_start += 1
        stop = min((p for p in (folded.find(ch, title_start, para.end) for ch in _ITEM_TITLE_END) if p >= 0), default=para.end)
        title = Span(title_start, stop).strip(folded)
        if title.length == 0:
            continue
        found.append((Heading(level="item", marker=text[match.start() : match.end()], start=match.start(), title_span=title, rank=RANK_ITEM), number))
        expect = number + 1
    return found

