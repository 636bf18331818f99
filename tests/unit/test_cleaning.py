"""Boilerplate never reaches chunks; folding keeps every offset."""

from __future__ import annotations

from conftest import SEED_IDS, SEEDS

from rag.ingest.cleaning import boilerplate_spans, content_segments, fold
from rag.ingest.loading import load_document

BOILERPLATE = ["此处隐藏1099字", "第22页 共22页", "展开阅读全文", "分享到", "相關文章", "下一篇", "更新时间", "资源描述"]


def seed_text(doc_id: str) -> str:
    return load_document(SEEDS / f"{doc_id}.txt").text


def test_seed_boilerplate_is_found_and_excluded():
    found = []
    for doc_id in SEED_IDS:
        text = seed_text(doc_id)
        spans = boilerplate_spans(text)
        found.extend(s.of(text) for s in spans)
        kept = "".join(s.of(text) for s in content_segments(text, spans))
        for phrase in BOILERPLATE:
            assert phrase not in kept, (doc_id, phrase)
    for phrase in BOILERPLATE:
        assert any(phrase in f for f in found), phrase


def test_page_chrome_lines(tmp_path):
    text = "正文第一段。\n下载\n打印\n【字号：大 中 小】\n上一篇：关于某事\n返回顶部\n正文第二段。\n"
    kept = "".join(s.of(text) for s in content_segments(text))
    assert "正文第一段" in kept and "正文第二段" in kept
    for chrome in ("下载", "打印", "字号", "上一篇", "返回顶部"):
        assert chrome not in kept


def test_body_sentences_that_mention_chrome_words_stay():
    text = "建立企业走访调研常态化制度，下载量增长30%。\n"
    assert content_segments(text) and "下载量" in content_segments(text)[0].of(text)


def test_fold_is_same_length_simplified_and_half_width():
    original = "佈局“126”加速濟東新區，增長８．５％　ＧＤＰ\r\n"
    folded = fold(original)
    assert len(folded) == len(original)
    assert folded == "布局“126”加速济东新区,增长8.5% gdp\r\n"
    # Offsets found in the folded copy index the original.
    start = folded.index("济东新区")
    assert original[start : start + 4] == "濟東新區"
