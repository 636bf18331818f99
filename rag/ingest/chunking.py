"""Chunking: cut a document into passages along its own outline, a few hundred characters each.

Cut points are outline headings, enumeration items, line ends and sentence ends (`。！？；`). A new
heading or lead always starts a new chunk; an item starts one when the chunk so far is not tiny.
Chunks never include boilerplate, and each carries its span into the original text and its
section path (`二、深入实施产业强区战略 › 一是树立战略眼光`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from rag.core.spans import Span
from rag.ingest.cleaning import content_segments, fold
from rag.ingest.structure import Heading, Outline, parse_outline

# Bump when chunk boundaries change, so that unchanged files are re-chunked on the next ingest.
CHUNKER_VERSION = "1"

SECTION_SEPARATOR = " › "

_SENTENCE_END_RE = re.compile(r"[。!?;]+[”’\"』」)]*")
_SOFT_BREAK_CHARS = ",、 "

# How strongly a chunk must break before a piece; a segment edge (boilerplate between) always breaks.
_SEGMENT, _HARD, _SOFT, _PARAGRAPH, _NONE = 4, 3, 2, 1, 0
_LONE_HEADING_MAX = 30


@dataclass(frozen=True)
class Chunk:
    doc_id: str
    index: int
    span: Span
    section: str
    text: str


def chunk_document(
    doc_id: str,
    text: str,
    *,
    target: int = 360,
    max_chars: int = 800,
    segments: list[Span] | None = None,
    outline: Outline | None = None,
) -> list[Chunk]:
    if segments is None:
        segments = content_segments(text)
    if outline is None:
        outline = parse_outline(text, segments)
    folded = fold(text)
    pieces = _pieces(text, folded, segments, outline, max_chars)

    groups: list[list[tuple[Span, int, tuple[Heading, ...]]]] = []
    current: list[tuple[Span, int, tuple[Heading, ...]]] = []
    for piece in pieces:
        span, strength, _path = piece
        if current:
            length = span.end - current[0][0].start
            size_so_far = current[-1][0].end - current[0][0].start
            # A heading line with nothing under it before the next heading is kept with what follows.
            heading_only = len(current) == 1 and size_so_far <= _LONE_HEADING_MAX
            if (
                strength == _SEGMENT
                or (strength == _HARD and not heading_only)
                or length > max_chars
                or (strength == _SOFT and size_so_far >= target * 0.4)
                or (strength == _PARAGRAPH and size_so_far >= target * 0.6)
                or (length > target and size_so_far >= target * 0.5)
            ):
                groups.append(current)
                current = []
        current.append(piece)
    if current:
        groups.append(current)

    chunks: list[Chunk] = []
    for group in groups:
        span = Span(group[0][0].start, group[-1][0].end)
        path = _common_prefix([p for _, _, p in group])
        section = SECTION_SEPARATOR.join(h.label(text) for h in path)
        chunks.append(Chunk(doc_id=doc_id, index=len(chunks), span=span, section=section, text=span.of(text)))
    return chunks


def _pieces(
    text: str, folded: str, segments: list[Span], outline: Outline, max_chars: int
) -> list[tuple[Span, int, tuple[Heading, ...]]]:
    """Sentences and heading-delimited pieces, each with how strongly a chunk must break before it."""
    strength_at: dict[int, int] = {}
    path_at: dict[int, tuple[Heading, ...]] = {}
    previous_core: tuple[Heading, ...] = ()
    for position, path in outline.path_changes:
        core = tuple(h for h in path if h.level != "item")
        strength = _HARD if core != previous_core else _SOFT
        strength_at[position] = max(strength_at.get(position, _NONE), strength)
        path_at[position] = path
        previous_core = core
    for para in outline.paragraphs:
        strength_at[para.start] = max(strength_at.get(para.start, _NONE), _PARAGRAPH)

    change_positions = sorted(path_at)
    pieces: list[tuple[Span, int, tuple[Heading, ...]]] = []
    change_index = 0
    current_path: tuple[Heading, ...] = ()
    for segment in segments:
        cuts = {segment.start, segment.end}
        cuts.update(p for p in change_positions if segment.start < p < segment.end)
        cuts.update(p for p in strength_at if segment.start < p < segment.end)
        position = text.find("\n", segment.start, segment.end)
        while position >= 0:
            cuts.add(position + 1)
            position = text.find("\n", position + 1, segment.end)
        cuts.update(m.end() for m in _SENTENCE_END_RE.finditer(folded, segment.start, segment.end))
        ordered = sorted(c for c in cuts if segment.start <= c <= segment.end)
        first_in_segment = True
        for start, end in itertools.pairwise(ordered):
            while change_index < len(change_positions) and change_positions[change_index] <= start:
                current_path = path_at[change_positions[change_index]]
                change_index += 1
            piece = Span(start, end).strip(text)
            if piece.length == 0:
                continue
            strength = _SEGMENT if first_in_segment else strength_at.get(start, _NONE)
            first_in_segment = False
            for index, part in enumerate(_split_long(folded, piece, max_chars)):
                pieces.append((part, strength if index == 0 else _NONE, current_path))
    return pieces


def _split_long(folded: str, span: Span, max_chars: int) -> list[Span]:
    """Cut a piece longer than `max_chars` at a comma or space if there is one, else anywhere."""
    parts: list[Span] = []
    start = span.start
    while span.end - start > max_chars:
        limit = start + max_chars
        cut = max(folded.rfind(ch, start + max_chars // 2, limit) for ch in _SOFT_BREAK_CHARS)
        cut = cut + 1 if cut > start else limit
        parts.append(Span(start, cut))
        start = cut
    parts.append(Span(start, span.end))
    return parts


def _common_prefix(paths: list[tuple[Heading, ...]]) -> tuple[Heading, ...]:
    prefix = paths[0]
    for path in paths[1:]:
        length = 0
        while length < min(len(prefix), len(path)) and prefix[length] is path[length]:
            length += 1
        prefix = prefix[:length]
    return prefix
