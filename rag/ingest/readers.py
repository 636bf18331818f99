"""Loading (formats): PDF, Word and web pages turned into the text that spans index.

For these formats the text is ours to make, so it is made clean: PDF pages lose running headers,
footers and page numbers, lines broken inside a Chinese sentence are joined, full-width indentation
goes; a `.docx` keeps its automatic numbering as text (`一、`, `（一）`, `1.`) so the outline finds it;
a web page keeps its main content only. The text is then stored like any other document, and a
PDF's page starts are kept so citations can name the page.

Libraries: `pypdf` (BSD) for PDF text layers, `python-docx` (MIT) for Word, `selectolax` (MIT) for
HTML — small, maintained, permissive (PyMuPDF is AGPL; trafilatura brings a dozen dependencies).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

CJK = r"\u3400-\u9fff"
_PAGE_NUMBER_RE = re.compile(r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[/,，]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*$")
_SENTENCE_END = "。！？；：」”’）)!?;:"


@dataclass
class Extracted:
    text: str
    pages: list[int] | None = None  # start offset of each page in `text`
    notes: list[str] = field(default_factory=list)


# ---- PDF ---------------------------------------------------------------------------------------

def pdf_text(data: bytes) -> Extracted:
    import logging
    import warnings

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf reports what it repairs on its own logger and as warnings (`EOF marker not found`); the
    # user gets one line per file from us, so those stay quiet.
    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    reader.decrypt("")
                except Exception:
                    raise ValueError("encrypted PDF") from None
            pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"unreadable PDF ({exc})") from None
    finally:
        pypdf_logger.setLevel(level)
    if not pages:
        raise ValueError("a PDF without pages")
    lines_by_page = [[line.translate(_COMPATIBILITY).replace("\u3000", " ").strip() for line in page.splitlines()] for page in pages]
    running = _running_lines(lines_by_page)
    kept_by_page = [[line for line in lines if line and line not in running and not _PAGE_NUMBER_RE.match(line)]
                    for lines in lines_by_page]
    # A page with nothing but headers and page numbers has no text layer of its own: a scan.
    empty = [number for number, kept in enumerate(kept_by_page, start=1) if not kept]
    if len(empty) == len(pages):
        raise ValueError("no text layer on any page (a scan? run OCR first)")
    notes = [f"page {', '.join(map(str, empty))} has no text layer (a scanned page?) and is left out"] if empty else []
    text_parts: list[str] = []
    starts: list[int] = []
    length = 0
    for kept in kept_by_page:
        page_text = _join_broken_lines(kept)
        starts.append(length)
        if page_text:
            text_parts.append(page_text + "\n")
            length += len(page_text) + 1
    return Extracted("".join(text_parts), starts, notes)


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Headers and footers: a line near the top or bottom of most pages, the same on each (a title, a
    printed date, a web page's address) or the same but for a number that rises with the page (`6/35`,
    `第6页 共35页`, `gd.html 6/35`). A line whose numbers change some other way is content."""
    if len(pages) < 3:
        return set()
    needed = max(2, int(len(pages) * 0.6))
    exact: Counter[str] = Counter()
    by_key: dict[str, list[tuple[int, str]]] = {}
    for index, lines in enumerate(pages):
        content = [line for line in lines if line]
        edges = set(content[:2] + content[-2:])
        exact.update(edges)
        for line in edges:
            by_key.setdefault(_running_key(line), []).append((index, line))
    running = {line for line, seen in exact.items() if seen >= needed and (len(line) <= 100 or _ADDRESS_RE.search(line))}
    for key, seen in by_key.items():
        if len(seen) >= needed and len(key) <= 200 and _counts_pages(seen, needed) and all(
                _PAGE_COUNTER_RE.search(line) or _ADDRESS_RE.search(line) or _PAGE_NUMBER_RE.match(line) for _, line in seen):
            running |= {line for _, line in seen}
    return running


# What a rising number must stand in to be a page counter (`6/35`, `第6页 共35页`, `Page 6 of 35`), and
# not a heading or item that happens to open each page (`附件3`, `第3项重点任务`, `2021年…`).
_PAGE_COUNTER_RE = re.compile(r"\d+\s*/\s*\d+\s*$|第\s*\d+\s*页|共\s*\d+\s*页|\b[Pp]age\s*\d+")


def _running_key(line: str) -> str:
    return re.sub(r"\d+", "#", line)


def _counts_pages(seen: list[tuple[int, str]], needed: int) -> bool:
    """One of the numbers of these lines (the same place in each) rises with the page, from any start."""
    offsets: Counter[tuple[int, int]] = Counter()
    for index, line in seen:
        for place, number in enumerate(re.findall(r"\d+", line)):
            offsets[(place, int(number) - index)] += 1
    return any(count >= needed for count in offsets.values())


# A printed web page's address in its footer (long, so the length rule alone would keep it).
_ADDRESS_RE = re.compile(r"(?:https?|file)://\S+")
# Ligatures (`ﬁ`) and the Kangxi radicals some PDF makers write for common hanzi (`⼀` for `一`,
# `⽣` for `生`), folded to the characters they stand for; full-width punctuation is the genre's own
# and stays.
_COMPATIBILITY = {code: unicodedata.normalize("NFKC", chr(code))
                  for low, high in ((0xFB00, 0xFB06), (0x2F00, 0x2FD5), (0x2E80, 0x2EF3))
                  for code in range(low, high + 1) if unicodedata.normalize("NFKC", chr(code)) != chr(code)}


_HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))")


def _join_broken_lines(lines: list[str]) -> str:
    """Lines a PDF broke inside a sentence are joined. A line keeps its break after it when it ends
    a sentence, is a heading, or stops well short of the page's full lines (a paragraph's end)."""
    out = ""
    full = max((len(line) for line in lines), default=0)
    previous_line = ""
    for line in lines:
        if not out:
            out = previous_line = line
            continue
        previous = out[-1]
        ends_paragraph = (len(previous_line) < 0.7 * full) or (_HEADING_START.match(previous_line) and len(previous_line) <= 30)
        starts_heading = _HEADING_START.match(line)
        previous_line = line
        if previous not in _SENTENCE_END and not ends_paragraph and not starts_heading and re.match(rf"[{CJK}\w“‘（(]", line):
            out += line if re.match(rf"[{CJK}]", previous) or re.match(rf"[{CJK}]", line) else " " + line
        else:
            out += "\n" + line
    return out


# ---- Word --------------------------------------------------------------------------------------

_CN = "零一二三四五六七八九十"


def _chinese_number(value: int) -> str:
    if value <= 10:
        return _CN[value]
    if value < 20:
        return "十" + (_CN[value - 10] if value > 10 else "")
    tens, ones = divmod(value, 10)
    return _CN[tens] + "十" + (_CN[ones] if ones else "")


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified",
               "taiwaneseCounting", "taiwaneseCountingThousand", "ideographDigital"):
        return _chinese_number(value)
    if fmt == "lowerLetter":
        return chr(ord("a") + value - 1)
    if fmt == "upperLetter":
        return chr(ord("A") + value - 1)
    if fmt == "bullet" or fmt == "none":
        return ""
    return str(value)


class _Numbering:
    """Word's automatic numbering (numbering.xml) turned into the labels a reader sees."""

    def __init__(self, document: object) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
        except (KeyError, AttributeError, NotImplementedError):
            return
        abstract = {}
        for node in numbering.findall(qn("w:abstractNum")):
            levels = {}
            for level in node.findall(qn("w:lvl")):
                fmt = level.find(qn("w:numFmt"))
                text = level.find(qn("w:lvlText"))
                start = level.find(qn("w:start"))
                levels[int(level.get(qn("w:ilvl")))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "%1.",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )
            abstract[node.get(qn("w:abstractNumId"))] = levels
        for num in numbering.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                for ilvl, spec in abstract.get(ref.get(qn("w:val")), {}).items():
                    self.levels[(num.get(qn("w:numId")), ilvl)] = spec

    def label(self, paragraph: Any) -> str:
        numbering = self._numbering_of(paragraph)
        if numbering is None or numbering.numId is None:
            return ""
        num_id = str(numbering.numId.val)
        ilvl = int(numbering.ilvl.val) if numbering.ilvl is not None else 0
        spec = self.levels.get((num_id, ilvl))
        if spec is None:
            return ""
        _fmt, pattern, start = spec
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for deeper in [k for k in self.counters if k[0] == num_id and k[1] > ilvl]:
            del self.counters[deeper]  # a new item restarts the levels under it
        label = pattern
        for level in range(ilvl + 1):
            value = self.counters.get((num_id, level), self.levels.get((num_id, level), ("decimal", "", 1))[2])
            level_fmt = self.levels.get((num_id, level), ("decimal", "", 1))[0]
            label = label.replace(f"%{level + 1}", _format_number(value, level_fmt))
        return label.strip()


    @staticmethod
    def _numbering_of(paragraph: Any) -> Any | None:
        """The paragraph's own numbering, else its style's (`List Number`), following `basedOn`."""
        properties = paragraph._p.pPr
        if properties is not None and properties.numPr is not None:
            return properties.numPr
        style = paragraph.style
        while style is not None:
            style_properties = style.element.pPr
            if style_properties is not None and style_properties.numPr is not None:
                return style_properties.numPr
            style = style.base_style
        return None


def docx_text(data: bytes) -> Extracted:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ValueError(f"unreadable Word document ({exc})") from None
    numbering = _Numbering(document)
    lines = []
    for paragraph in document.paragraphs:
        text = paragraph.text.replace("\u3000", " ").strip()
        if not text:
            continue
        label = numbering.label(paragraph)
        lines.append(f"{label}{text}" if label and not text.startswith(label) else text)
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text.strip() for cell in row.cells if cell.text.strip()]
            if cells:
                lines.append(" | ".join(dict.fromkeys(cells)))
    return Extracted("\n".join(lines) + "\n")


# ---- web pages ---------------------------------------------------------------------------------

_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button", "select")
_BOILERPLATE_ATTR = re.compile(r"nav|menu|share|social|related|footer|header|sidebar|breadcrumb|comment|recommend|toolbar|"
                               r"copyright|advert|banner|login|search|pager|pagination|bshare|jiathis|xgwz|fxd", re.I)
_MAIN_SELECTORS = ("article", "main", ".TRS_Editor", "#zoom", ".article", "#article", ".content", "#content",
                   ".main-content", ".pages_content", ".detail", "#UCAP-CONTENT", ".wp_articlecontent")
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "section", "article", "table", "blockquote", "pre"}


def html_text(html: str) -> Extracted:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    title_node = tree.css_first("h1") or tree.css_first("title")
    title = title_node.text(strip=True) if title_node is not None else ""
    for tag in _DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    for node in list(tree.css("[class], [id]")):
        marker = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _BOILERPLATE_ATTR.search(marker) and len(node.text(strip=True)) < 2000:
            node.decompose()
    candidates = [n for selector in _MAIN_SELECTORS for n in tree.css(selector)]
    body = max(candidates, key=lambda n: len(re.findall(rf"[{CJK}]", n.text())), default=None) or tree.body
    if body is None:
        raise ValueError("a web page without a body")
    lines = _block_lines(body)
    if title and (not lines or title not in lines[0]):
        lines.insert(0, title)
    text = "\n".join(line for line in lines if line) + "\n"
    if not re.search(rf"[{CJK}A-Za-z]", text):
        raise ValueError("no text in the page's main content")
    return Extracted(text)


def _block_lines(node: object) -> list[str]:
    """The node's text with a line break at every block element, whitespace collapsed."""
    parts: list[str] = []

    def walk(current: object) -> None:
        child = current.child  # type: ignore[attr-defined]
        while child is not None:
            if child.tag == "-text":
                parts.append(child.text(deep=False))
            elif child.tag in _BLOCKS:
                parts.append("\n")
                walk(child)
                parts.append("\n")
            else:
                walk(child)
            child = child.next

    walk(node)
    lines = [re.sub(r"[ \t\u00a0\u3000]+", " ", line).strip() for line in "".join(parts).split("\n")]
    return [line for line in lines if line]
