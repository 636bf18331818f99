"""PDF, Word and web pages: the text that reaches the store, the outline it yields, and page citations.

The fixtures are generated here: a PDF with Chinese text over three pages (a running header, page
numbers, a sentence broken across lines, a page that is only an image), a DOCX with heading styles
and automatic numbering, an HTML page with navigation, a share bar and related articles.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.core.errors import InputFileError
from rag.ingest.loading import load_document
from rag.ingest.structure import parse_outline


def make_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pages = [
        ["一、主要目标", "今年全区地区生产总值增长6%左右，固定资产投资", "增长8%以上。"],
        ["二、重点任务", "（一）扩大有效投资。全年实施重点项目120个，", "完成投资300亿元。"],
    ]
    for number, lines in enumerate(pages, start=1):
        pdf.setFont("STSong-Light", 10)
        pdf.drawString(72, 800, "临河区人民政府公报")
        pdf.setFont("STSong-Light", 12)
        for row, line in enumerate(lines):
            pdf.drawString(72, 740 - row * 20, line)
        pdf.setFont("STSong-Light", 10)
        pdf.drawString(290, 40, f"- {number} -")
        pdf.showPage()
    pdf.setFont("STSong-Light", 10)
    pdf.drawString(72, 800, "临河区人民政府公报")
    pdf.rect(100, 300, 300, 300, fill=1)  # a scanned page: an image, no text
    pdf.showPage()
    pdf.save()


def test_pdf_text_without_headers_page_numbers_or_broken_lines(tmp_path: Path):
    path = tmp_path / "gazette.pdf"
    make_pdf(path)
    document = load_document(path)
    text = document.text
    assert "临河区人民政府公报" not in text and "- 1 -" not in text
    assert "固定资产投资增长8%以上。" in text, "a line broken inside the sentence is joined"
    assert document.pages is not None and len(document.pages) == 3
    assert text.index("二、重点任务") >= document.pages[1]
    assert any("page 3" in note and "text layer" in note for note in document.notes)
    titles = [(n.level, n.title(text)) for n in parse_outline(text).walk()]
    assert (1, "主要目标") in titles and (2, "扩大有效投资") in titles


def test_pdf_citations_name_their_page(cli, tmp_path: Path):
    path = tmp_path / "gazette.pdf"
    make_pdf(path)
    result = cli("ingest", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "page 3" in result.stderr and "text layer" in result.stderr
    answer = cli("ask", "今年重点项目多少个？", "--engine", "offline", "--format", "json").json()
    assert answer["found"] and "120个" in answer["answer"]
    assert answer["citations"][0]["page"] == 2
    hits = cli("search", "地区生产总值", "--format", "json").json()["hits"]
    assert hits[0]["page"] == 1


def test_a_pdf_without_any_text_layer_is_reported(tmp_path: Path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(100, 100, 300, 300, fill=1)
    pdf.showPage()
    pdf.save()
    with pytest.raises(InputFileError) as info:
        load_document(path)
    assert "no text layer" in str(info.value) and "scan.pdf" in str(info.value)


def make_docx(path: Path) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_heading("2025年临河区政府工作报告", level=0)
    # A Chinese-counting list (一、二、) as Word numbers headings, defined in numbering.xml.
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        paragraph = document.add_paragraph(text, style="Heading 1" if level == 0 else "Heading 2")
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    numbered("主要目标", 0)
    document.add_paragraph("地区生产总值增长6%左右。")
    numbered("重点任务", 0)
    numbered("扩大有效投资", 1)
    document.add_paragraph("全年实施重点项目120个。")
    document.add_paragraph("抓好项目建设", style="List Number")
    document.add_paragraph("优化营商环境", style="List Number")
    numbered("改善民生", 1)
    document.add_paragraph("新建保障性住房1500套。")
    document.save(str(path))


def test_docx_numbering_becomes_outline(tmp_path: Path):
    path = tmp_path / "report.docx"
    make_docx(path)
    text = load_document(path).text
    assert "一、主要目标" in text and "二、重点任务" in text and "（一）扩大有效投资" in text and "（二）改善民生" in text
    titles = [(n.level, n.title(text)) for n in parse_outline(text).walk()]
    assert (1, "主要目标") in titles and (1, "重点任务") in titles
    assert (2, "扩大有效投资") in titles and (2, "改善民生") in titles
    assert (3, "抓好项目建设") in titles and (3, "优化营商环境") in titles


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>临河区2025年政府工作报告_临河区人民政府</title>
<script>var tracker = 1;</script><style>.x{}</style></head><body>
<div class="nav"><a href="/">首页</a><a href="/zw">政务公开</a><a href="/hd">互动交流</a></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 政府工作报告</div>
<div class="main"><h1>临河区2025年政府工作报告</h1>
<div class="info">发布时间：2025-01-10 来源：区政府办</div>
<div class="TRS_Editor"><p>一、2024年工作回顾</p><p>过去一年，全区地区生产总值增长5.8%。</p>
<p>二、2025年主要目标</p><p>今年全区地区生产总值增长6%左右，<b>固定资产投资</b>增长8%以上。</p></div>
<div class="bshare-custom">分享到：微信 微博 QQ空间</div>
<div class="related"><h3>相关文章</h3><ul><li><a href="/a">关于印发某某方案的通知</a></li><li><a href="/b">某某区召开常务会议</a></li></ul></div>
</div><div class="footer">版权所有：临河区人民政府 网站标识码 1234567890</div></body></html>"""


def test_html_main_content_only(tmp_path: Path):
    path = tmp_path / "report.html"
    path.write_bytes(PAGE.encode("utf-8"))
    text = load_document(path).text
    assert text.startswith("临河区2025年政府工作报告")
    assert "今年全区地区生产总值增长6%左右，固定资产投资增长8%以上。" in text
    for chrome in ("首页", "政务公开", "分享到", "相关文章", "版权所有", "tracker", "当前位置"):
        assert chrome not in text, chrome
    titles = [(n.level, n.title(text)) for n in parse_outline(text).walk()]
    assert (1, "2024年工作回顾") in titles and (1, "2025年主要目标") in titles


def test_a_gbk_web_page_is_decoded(tmp_path: Path):
    path = tmp_path / "gbk.htm"
    path.write_bytes(PAGE.replace('charset="utf-8"', 'charset="gbk"').encode("gbk"))
    assert "固定资产投资增长8%以上" in load_document(path).text


def test_broken_office_and_pdf_files_are_one_line_errors(tmp_path: Path):
    for name, data in (("bad.docx", b"PK\x03\x04not really a docx"), ("bad.pdf", b"%PDF-1.4 truncated")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InputFileError) as info:
            load_document(path)
        assert name in str(info.value) and "\n" not in str(info.value)


def test_a_damaged_pdf_is_one_line_naming_it_and_pypdf_says_nothing_else(tmp_path: Path):
    import os
    import subprocess
    import sys

    good = tmp_path / "report.pdf"
    make_pdf(good)
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 3])  # cut off mid-stream, no EOF marker
    # A real process: pypdf's logger reaches stderr there, as it would for a user.
    env = {**os.environ, "RAG_STORE": str(tmp_path / "store")}
    result = subprocess.run([sys.executable, "-m", "rag", "ingest", str(damaged), "--format", "json"],
                            env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(damaged) in lines[0] and "unreadable PDF" in lines[0], result.stderr


def make_printed_web_page_pdf(path: Path, total: int = 4) -> None:
    """A report saved from a browser: date and title at the top, the page's address and a page
    counter at the bottom; a maker that wrote Kangxi radicals for common hanzi and `ﬁ` ligatures."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))  # shipped with reportlab; it has the ligatures
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, total + 1):
        pdf.setFont("STSong-Light", 9)
        pdf.drawString(40, 815, "2026/1/20 10:31 某省2026年政府工作报告_某省人民政府门户网站")  # printed at once
        pdf.setFont("STSong-Light", 12)
        pdf.drawString(72, 740, f"{'⼀⼆三四'[number - 1]}、主要⽬标之{'甲乙丙丁'[number - 1]}")
        pdf.drawString(72, 720, "全省地区生产总值增长6%左右，固定资产投资保持合理增长，全年实施重点项目")
        pdf.drawString(72, 700, f"{number}20个，完成投资300亿元。")
        pdf.setFont("Vera", 10)
        pdf.drawString(72, 680, "Fiscal ofﬁce: ﬁnance ﬂows.")
        pdf.setFont("STSong-Light", 9)
        pdf.drawString(40, 30, "file:///C:/Users/analyst/Downloads/gd.html")
        pdf.drawString(520, 30, f"{number}/{total}")
        pdf.showPage()
    pdf.save()


def test_a_printed_web_page_loses_its_running_lines_and_compatibility_characters_are_folded(tmp_path: Path):
    path = tmp_path / "printed.pdf"
    make_printed_web_page_pdf(path)
    text = load_document(path).text
    for running in ("file://", "gd.html", "/4", "10:3", "门户网站"):
        assert running not in text, running
    assert "ﬁ" not in text and "ﬂ" not in text and "Fiscal office: finance flows." in text
    assert "⼀" not in text and "⽬" not in text
    assert "重点项目320个，完成投资300亿元。" in text  # no footer glued into the sentence
    titles = [n.title(text) for n in parse_outline(text).walk()]
    assert "主要目标之甲" in titles


@pytest.mark.parametrize(("top", "bottom", "dropped"), [
    (lambda n: "某市人民政府公报", lambda n: f"第{n}页 共12页", True),
    (lambda n: "2026/1/20 10:31", lambda n: f"file:///D:/下载/某区政府工作报告.html {n}/12", True),
    (lambda n: f"— {n + 4} —", lambda n: "某区2026年政府工作报告", True),  # numbered from the cover on
    (lambda n: f"全年完成投资{n * 7 % 5 + 10}亿元", lambda n: f"新增就业{(n * 3) % 4 + 1}千人", False),  # content
    (lambda n: f"附件{n}", lambda n: f"第{n}项重点任务清单", False),  # numbers rising with the page, not counting it
    (lambda n: f"{2012 + n}年工作回顾", lambda n: f"（{n}）推进重点项目建设", False),
])
def test_running_lines_are_the_same_on_most_pages_but_for_a_page_counter(top, bottom, dropped):
    from rag.ingest.readers import _running_lines

    pages = [[top(n), f"正文第{'一二三四五六七八九十'[n % 10]}段，推动高质量发展。", bottom(n)] for n in range(1, 13)]
    running = _running_lines(pages)
    assert [top(3) in running, bottom(3) in running] == [dropped, dropped]
    assert not any("正文" in line for line in running)
