"""Property tests: the decoder, cleaner, outline parser and chunker never raise and keep spans exact."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.core.errors import InputFileError
from rag.ingest.chunking import chunk_document
from rag.ingest.cleaning import boilerplate_spans, content_segments, fold
from rag.ingest.loading import decode_bytes
from rag.ingest.structure import parse_outline

# Text built from the genre's pieces, so the interesting paths are reached, plus arbitrary text.
PIECES = st.sampled_from([
    "一、", "二、", "（一）", "(二)", "1、", "2.", "３．", "（1）", "①", "一是", "二是", "第一，", "一方面，", "另一方面，",
    "坚持规划引领。", "地区生产总值增长8%以上", "，", "。", "；", "\n", "\r\n", "\n\n", "　", " ", "“126”", "亿元",
    "---此处隐藏1099字,下载后查看---", "第22页 共22页", "分享到:", "下载", "展开阅读全文", "當好省會龍頭", "12.09",
])
GENRE_TEXT = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=60).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=400))
def test_decoder_either_decodes_or_names_the_problem(data: bytes):
    try:
        text, encoding = decode_bytes(data, "x.txt")
    except InputFileError as error:
        assert "x.txt" in str(error)
    else:
        assert isinstance(text, str) and encoding


@settings(max_examples=300, deadline=None)
@given(GENRE_TEXT)
def test_fold_keeps_length(text: str):
    assert len(fold(text)) == len(text)


@settings(max_examples=300, deadline=None)
@given(GENRE_TEXT)
def test_outline_spans_are_in_range_and_exact(text: str):
    outline = parse_outline(text)
    for node in outline.walk():
        assert node.title_span.is_valid_in(text)
        assert node.title_span.length > 0
        assert node.title(text) == text[node.title_span.start : node.title_span.end]


@settings(max_examples=300, deadline=None)
@given(GENRE_TEXT, st.integers(min_value=50, max_value=400))
def test_chunks_are_exact_ordered_bounded_and_cover_the_clean_text(text: str, target: int):
    max_chars = target * 2
    chunks = chunk_document("p", text, target=target, max_chars=max_chars)
    covered = [False] * len(text)
    end = 0
    for chunk in chunks:
        assert chunk.span.is_valid_in(text) and chunk.span.of(text) == chunk.text
        assert chunk.span.start >= end and 0 < chunk.span.length <= max_chars
        end = chunk.span.end
        for i in range(chunk.span.start, chunk.span.end):
            covered[i] = True
    for span in boilerplate_spans(text):
        assert not any(covered[span.start : span.end])
    for segment in content_segments(text):
        for i in range(segment.start, segment.end):
            assert covered[i] or text[i].isspace()


_texts = st.text(alphabet=st.sampled_from('甲乙"\\\n 一、2025年政府工作报告：»\u2028'), max_size=20)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(_texts, st.tuples(_texts, st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), _texts), max_size=4),
                                          st.none() | st.dictionaries(_texts, _texts | st.integers() | st.none(), max_size=3)), max_size=4),
       st.lists(_texts, max_size=3))
def test_the_manifest_written_piece_by_piece_is_the_json_of_the_whole(documents, retired):
    """The manifest is streamed document by document; it reads back as written, and is the same
    JSON as the whole structure dumped at once."""
    import json

    from rag.index.store import DocEntry, Manifest

    manifest = Manifest(generation=3, embedder={"name": "plan_rag_hash", "config": {"dim": 512}}, retired=retired, documents={
        doc_id: DocEntry(doc_id=doc_id, source=source, sha256="0" * 64, index_key="k", encoding="utf-8", chars=1, size_bytes=1,
                         text_file="t.txt", ingested_at="2026", chunks=chunks, facts=facts)
        for doc_id, (source, chunks, facts) in documents.items()})
    whole = {"version": manifest.version, "generation": 3, "embedder": manifest.embedder,
             "documents": {k: vars(v) for k, v in sorted(manifest.documents.items())}, "retired": retired}
    written = manifest.to_json()
    assert written == json.dumps(whole, ensure_ascii=False, separators=(",", ":"))
    assert Manifest.from_json(written) == manifest


def test_a_manifest_write_that_fails_midway_leaves_the_old_file_and_no_part(tmp_path):
    from rag.index.store import write_atomic

    path = tmp_path / "manifest.json"
    write_atomic(path, '{"old": true}')

    def failing(handle):
        handle.write('{"documents":{')
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_atomic(path, failing)
    assert path.read_text(encoding="utf-8") == '{"old": true}'
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]
