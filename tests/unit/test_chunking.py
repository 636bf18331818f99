"""Chunks follow the outline, never carry boilerplate, and index the original text exactly."""

from __future__ import annotations

import pytest
from conftest import SEED_IDS, SEEDS

from rag.ingest.chunking import chunk_document
from rag.ingest.cleaning import boilerplate_spans, content_segments
from rag.ingest.loading import load_document


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_chunks_cover_the_content_and_slice_exactly(doc_id: str):
    text = load_document(SEEDS / f"{doc_id}.txt").text
    chunks = chunk_document(doc_id, text, target=360, max_chars=800)
    assert chunks
    covered = bytearray(len(text))
    previous_end = 0
    for index, chunk in enumerate(chunks):
        assert chunk.index == index
        assert chunk.span.of(text) == chunk.text
        assert chunk.span.start >= previous_end, "chunks are in order and do not overlap"
        assert chunk.span.length <= 800
        previous_end = chunk.span.end
        covered[chunk.span.start : chunk.span.end] = b"\x01" * chunk.span.length
    for span in boilerplate_spans(text):
        assert not any(covered[span.start : span.end]), "boilerplate reached a chunk"
    for segment in content_segments(text):
        for position in range(segment.start, segment.end):
            assert covered[position] or text[position].isspace(), f"content at {position} is in no chunk"


def test_section_paths_follow_headings_and_items():
    text = load_document(SEEDS / "000_6df439c02bdb466d.txt").text
    sections = [c.section for c in chunk_document("000", text)]
    assert "二、深入实施产业强区战略 › 一是树立战略眼光" in sections
    assert any(s.startswith("五、深入实施党建引领战略") for s in sections)


def test_a_new_level_one_heading_starts_a_chunk():
    text = load_document(SEEDS / "002_89cb96821d4ce65b.txt").text
    starts = {c.text[:2] for c in chunk_document("002", text)}
    assert {"一、", "二、", "三、", "四、", "五、", "六、", "七、"} <= starts


def test_a_long_line_without_punctuation_is_cut_to_size():
    text = "一、目标\n" + "数" * 5000 + "\n"
    chunks = chunk_document("long", text, target=300, max_chars=500)
    assert all(c.span.length <= 500 for c in chunks)
    assert sum(c.text.count("数") for c in chunks) == 5000


def test_crlf_text_keeps_offsets():
    text = "一、主要目标\r\n地区生产总值增长8%。\r\n二、重点任务\r\n扩大有效投资。\r\n"
    chunks = chunk_document("crlf", text)
    assert [c.text for c in chunks] == ["一、主要目标\r\n地区生产总值增长8%。", "二、重点任务\r\n扩大有效投资。"]
    assert all(c.span.of(text) == c.text for c in chunks)
