"""Decoding: every encoding real reports arrive in, and every way a file can be unusable."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from conftest import SEEDS, TRADITIONAL_SEED
from hypothesis import given, settings
from hypothesis import strategies as st

from rag.core.errors import InputFileError
from rag.ingest.loading import decode_bytes, discover, load_document

REPORT = "一、主要目标\r\n地区生产总值增长8%以上；规模以上工业增加值增长７．５％。\r\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_gbk_with_crlf_keeps_every_character(tmp_path: Path):
    doc = load_document(write(tmp_path, "gbk.txt", REPORT.encode("gbk")))
    assert doc.encoding == "gb18030"
    assert doc.text == REPORT
    assert doc.text.count("\r\n") == 2  # no newline translation


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_unicode_encodings_with_or_without_bom(tmp_path: Path, encoding: str):
    data = REPORT.encode(encoding)
    doc = load_document(write(tmp_path, f"{encoding}.txt", data))
    assert doc.text == REPORT


def test_utf8_bom_is_not_part_of_the_text(tmp_path: Path):
    doc = load_document(write(tmp_path, "bom.txt", codecs.BOM_UTF8 + REPORT.encode()))
    assert doc.text == REPORT and doc.encoding == "utf-8-sig"


def test_truncated_multibyte_tail_loses_only_that_character(tmp_path: Path):
    data = REPORT.strip().encode("gbk")[:-1]
    doc = load_document(write(tmp_path, "cut.txt", data))
    assert REPORT.strip().startswith(doc.text)
    assert len(doc.text) == len(REPORT.strip()) - 1


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \r\n\t\n", "only whitespace"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
        ("archive.txt", b"PK\x03\x04" + os.urandom(200), "ZIP"),
        ("nul.txt", b"abc\x00\x01\x02\xff\xfe\x00" * 50, "binary"),
        ("report.xlsx", b"PK\x03\x04", "unsupported file type"),
        ("broken.pdf", b"%PDF-1.7\n", "PDF"),
    ],
)
def test_unusable_files_raise_an_error_naming_the_file(tmp_path: Path, name: str, data: bytes, reason: str):
    path = write(tmp_path, name, data)
    with pytest.raises(InputFileError) as info:
        load_document(path)
    assert str(path) in str(info.value)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


def test_decode_detects_legacy_encodings_through_charset_normalizer():
    text = "Привет, это отчёт о работе правительства за прошлый год. " * 5
    decoded, encoding = decode_bytes(text.encode("cp1251"))
    assert decoded == text
    assert encoding


def test_discover_walks_folders_skips_hidden_and_foreign_files(tmp_path: Path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / ".hidden").mkdir()
    write(tmp_path / "a", "one.txt", b"x")
    write(tmp_path / "a" / "b", "two.md", b"x")
    write(tmp_path / "a" / "b", "photo.jpg", b"x")
    write(tmp_path / "a" / ".hidden", "three.txt", b"x")
    (tmp_path / "a" / "b" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    files, problems = discover([tmp_path / "a", tmp_path / "missing.txt"])
    assert [p.name for p in files] == ["one.txt", "two.md"]
    assert len(problems) == 1 and "missing.txt" in str(problems[0]) and "no such file" in str(problems[0])


def test_file_names_with_spaces_and_chinese(tmp_path: Path):
    doc = load_document(write(tmp_path, "2024年 政府工作报告.txt", REPORT.encode()))
    assert doc.doc_id == "2024年 政府工作报告"


# ---- legacy encodings: GB18030, Big5 and Shift-JIS overlap in their bytes ----------------------

def _sentences(text: str) -> list[str]:
    import re

    return [s for s in re.split(r"(?<=[。；！？\n])", text) if len(s.strip()) >= 8]


_SIMPLIFIED = [s for p in sorted(SEEDS.glob("*.txt")) if p.stem != TRADITIONAL_SEED for s in _sentences(p.read_text(encoding="utf-8"))]
_TRADITIONAL = _sentences((SEEDS / f"{TRADITIONAL_SEED}.txt").read_text(encoding="utf-8"))
# Sentences of our own in the style of a Japanese city's policy address.
_JAPANESE = [
    "令和六年度の市政方針について申し上げます。", "本市は、人口減少と少子高齢化が進む中、地域経済の活性化に取り組んでまいりました。",
    "今年度は、子育て支援の充実、中小企業の振興、防災体制の強化を三つの柱といたします。", "一般会計の予算総額は一千二百億円となりました。",
    "市民の皆様とともに、誰もが安心して暮らせるまちづくりを進めてまいります。", "観光客数は前年比で一割以上増加いたしました。",
    "デジタル化の推進により、行政手続きのオンライン化を図ります。", "公共交通の利便性を高め、脱炭素社会の実現を目指します。",
]


def _report(pool: list[str], picks: list[int]) -> str:
    return "".join(pool[i % len(pool)] for i in picks)


@settings(max_examples=40, deadline=None)
@given(picks=st.lists(st.integers(0, 10_000), min_size=6, max_size=40), crlf=st.booleans())
def test_simplified_text_in_gb18030_is_read_as_gb18030(picks: list[int], crlf: bool):
    text = _report(_SIMPLIFIED, picks).replace("—", "-")
    text = text.replace("\n", "\r\n") if crlf else text
    assert decode_bytes(text.encode("gb18030")) == (text, "gb18030")


@settings(max_examples=40, deadline=None)
@given(picks=st.lists(st.integers(0, 10_000), min_size=4, max_size=40), codec=st.sampled_from(["big5", "cp950", "big5hkscs"]))
def test_traditional_text_in_big5_is_read_as_big5(picks: list[int], codec: str):
    text = _report(_TRADITIONAL, picks)
    decoded, encoding = decode_bytes(text.encode(codec))
    assert decoded == text and encoding == "big5hkscs"


@settings(max_examples=40, deadline=None)
@given(picks=st.lists(st.integers(0, 10_000), min_size=3, max_size=30), codec=st.sampled_from(["shift_jis", "cp932"]))
def test_japanese_text_in_shift_jis_is_read_as_japanese_and_named(picks: list[int], codec: str, tmp_path_factory):
    text = _report(_JAPANESE, picks)
    assert decode_bytes(text.encode(codec)) == (text, "cp932")
    path = tmp_path_factory.mktemp("ja") / "市政方針.txt"
    path.write_bytes(text.encode(codec))
    assert any("Japanese" in note for note in load_document(path).notes)


def test_traditional_text_in_gbk_stays_gb18030():
    text = (SEEDS / f"{TRADITIONAL_SEED}.txt").read_text(encoding="utf-8")
    assert decode_bytes(text.encode("gb18030")) == (text, "gb18030")


@settings(max_examples=60, deadline=None)
@given(picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=12))
def test_traditional_text_in_gb18030_stays_gb18030_however_short(picks: list[int]):
    # GBK holds traditional characters too; read as Shift-JIS they once looked like half-width kana.
    text = _report(_TRADITIONAL, picks)
    assert decode_bytes(text.encode("gb18030")) == (text, "gb18030")


def test_a_line_of_traditional_gb18030_that_once_read_as_shift_jis():
    text = "(四)抓產業促增長,在實現跨越發展上奮力爭先\n"
    assert decode_bytes(text.encode("gb18030")) == (text, "gb18030")


def test_the_control_character_class_is_unicodes_categories_but_whitespace() -> None:
    """The binary check counts exactly the characters whose category is Cc, Cs or Co, but `\\t\\n\\v\\f\\r`."""
    import sys
    import unicodedata

    from rag.ingest.loading import _CONTROL_RE

    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        expected = ch not in "\r\n\t\f\v" and unicodedata.category(ch) in ("Cc", "Cs", "Co")
        assert bool(_CONTROL_RE.match(ch)) == expected, hex(code)
