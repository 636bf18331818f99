"""Cleaning and normalising: what of a document is web boilerplate, and a folded copy for matching.

Nothing here edits the original text. Boilerplate is returned as spans to skip, and `fold` returns a
copy of exactly the same length (one code point for one code point), so an offset found in the
folded copy is the offset in the original: the position map back to the original is the identity,
by construction, and `fold` asserts it.

Folding: traditional → simplified (OpenCC `t2s`, character by character), full-width → half-width
for ASCII and digits (`８％` → `8%`, U+3000 → space), ASCII letters to lower case.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.core.spans import Span

# Whole lines of page chrome and download-site furniture. Matched against a stripped, folded line.
_BOILERPLATE_LINES = [
    r"-*\s*此处隐藏\s*\d+\s*字.{0,12}",
    r"第\s*\d+\s*页\s*[/,]?\s*共\s*\d+\s*页",
    r"共\s*\d+\s*页\s*[/,]?\s*第\s*\d+\s*页",
    r"展开阅读全文.{0,6}",
    r"(?:分享到|相关文章|相关阅读|相关推荐|热门推荐|猜你喜欢|延伸阅读|推荐阅读)\s*[:]?.{0,30}",
    r"(?:上一篇|下一篇|上一页|下一页)\s*[:].*",
    r"(?:更新时间|发布时间|发布日期|来源|作者|责任编辑|编辑|浏览次数|阅读次数|点击数|点击次数|字号)\s*[:].{0,60}",
    r"[【\[]?\s*字号\s*[:].{0,30}",
    r"资源描述|文档介绍|内容简介",
    r"(?:[【\[]\s*)?(?:下载|打印|全屏|收藏|关闭|关闭窗口|打印本页|返回顶部|返回|顶部|分享|举报|点赞|评论)(?:\s*[】\]])?",
    r"(?:[【\[]\s*(?:下载|打印|全屏|收藏|关闭|分享|大|中|小)\s*[】\]]\s*){2,}",
    r"(?:大|中|小)\s+(?:大|中|小)\s+(?:大|中|小)",
    # Copied news pages: breadcrumbs, dates and sources, font-size bars, photo credits.
    r"(?:您的位置|您现在的位置|当前位置|当前所在位置|所在位置)\s*[:]?.{0,80}",
    r"(?:首页|主页|网站首页)(?:\s*[>›»/].{0,60})?",
    r"[>›»]+",
    r"(?:发表时间|发稿时间|时间|日期|信息来源|文章来源|阅读量|浏览量|访问量|访问次数|字体|字号)\s*[:].{0,60}",
    r"[【\[]?\s*(?:字体|字号)\s*[:]?\s*(?:[大中小]|加大|还原|减小|默认|\s)*[】\]]?",
    r"[大中小]|加大|还原|减小|默认|[【】\[\]]",
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?",
    r".{0,80}(?:记者|摄影|通讯员|图片|图|摄影记者)[\s:]*[\u4e00-\u9fff·]{1,4}(?:\s*[\u4e00-\u9fff·]{1,4})?\s*(?:摄|/摄|供图)",
]
_BOILERPLATE_LINE_RE = re.compile(r"^(?:" + "|".join(f"(?:{p})" for p in _BOILERPLATE_LINES) + r")$")

# Inside a line: the hidden-text notice of document-sharing sites.
_BOILERPLATE_INLINE_RE = re.compile(r"-{2,}\s*此处隐藏\s*\d+\s*字[^-\n]{0,12}-{2,}")

_LINE_RE = re.compile(r"[^\n]*\n?")


# A label line whose value sits on the next line (`来源：` then `宁夏日报客户端`).
_LABEL_VALUES = [
    (re.compile(r"^(?:来源|信息来源|文章来源|作者|编辑|责任编辑)\s*[:]$"), re.compile(r"^(?!.*(?:报告|政府|\d{4}年)).{1,15}$")),
    (re.compile(r"^(?:阅读量|浏览量|访问量|点击量|阅读次数)\s*[:]$"), re.compile(r"^\d+$")),
]
_CRUMB_MAX = 10  # a breadcrumb item after a lone `>` is a short label, never a sentence


def boilerplate_spans(text: str) -> list[Span]:
    """Spans of the original text that are web boilerplate, in order, not overlapping."""
    folded = fold(text)
    spans: list[Span] = []
    previous = ""  # the previous non-blank line, if it was boilerplate
    for match in _LINE_RE.finditer(folded):
        line_span = Span(match.start(), match.end())
        if line_span.length == 0:
            continue
        content = line_span.strip(folded)
        if content.length == 0:
            continue
        line = content.of(folded)
        follows_label = any(label.match(previous) and value.match(line) for label, value in _LABEL_VALUES)
        follows_crumb = re.fullmatch(r"[>›»]+", previous) and content.length <= _CRUMB_MAX and "。" not in line
        previous = ""
        if content.length > 120:
            continue
        if _BOILERPLATE_LINE_RE.match(line) or follows_label or follows_crumb:
            spans.append(line_span)
            previous = line
            continue
        for inline in _BOILERPLATE_INLINE_RE.finditer(folded, content.start, content.end):
            spans.append(Span(inline.start(), inline.end()))
    return spans


def content_segments(text: str, boilerplate: list[Span] | None = None) -> list[Span]:
    """The complement of the boilerplate: runs of original text that may reach chunks."""
    if boilerplate is None:
        boilerplate = boilerplate_spans(text)
    segments: list[Span] = []
    cursor = 0
    for span in boilerplate:
        if span.start > cursor:
            segments.append(Span(cursor, span.start))
        cursor = max(cursor, span.end)
    if cursor < len(text):
        segments.append(Span(cursor, len(text)))
    return [s for s in segments if s.strip(text).length > 0]


# ---- folding -----------------------------------------------------------------------------------

_FOLD_TABLE: dict[int, str] = {}
_FOLDED_CHARS: set[str] = set()


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _fold_char(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        ch = chr(code - 0xFEE0)
    elif code == 0x3000:
        return " "
    if "A" <= ch <= "Z":
        return ch.lower()
    if code < 0x2E80:  # below the CJK blocks OpenCC has nothing to convert
        return ch
    converted = _t2s().convert(ch)
    # One code point for one: a conversion that would change the length is not taken.
    return converted if len(converted) == 1 else ch


# The last long texts folded, with their folded copies: a document's text is folded by several stages
# (boilerplate, outline, chunks, facts, extraction) and each fold reads every character.
_RECENT_FOLDS: list[tuple[str, str]] = []
_RECENT_FROM_CHARS = 4096
_RECENT_KEPT = 2


def fold(text: str) -> str:
    """Simplified, half-width, lower-case copy of `text`, of the same length."""
    if len(text) < _RECENT_FROM_CHARS:
        return _fold(text)
    for original, folded in _RECENT_FOLDS:
        if original is text:  # the very object (it is held here, so its id is not reused)
            return folded
    folded = _fold(text)
    _RECENT_FOLDS.insert(0, (text, folded))
    del _RECENT_FOLDS[_RECENT_KEPT:]
    return folded


def _fold(text: str) -> str:
    new = set(text) - _FOLDED_CHARS
    if new:
        for ch in new:
            folded = _fold_char(ch)
            if folded != ch:
                _FOLD_TABLE[ord(ch)] = folded
        _FOLDED_CHARS.update(new)
    result = text.translate(_FOLD_TABLE)
    if len(result) != len(text):  # every span of the folded copy must index the original
        raise RuntimeError(f"folding changed the length ({len(text)} → {len(result)}); a fold table entry is not one character")
    return result
