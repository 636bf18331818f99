"""Loading and decoding: find document files and turn their bytes into the one text all spans index.

The decoded text is kept exactly as decoded (CRLF stays, no NFKC, no conversion); only a byte-order
mark is dropped, because it is part of the encoding, not of the text.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rag.core.errors import InputFileError

TEXT_SUFFIXES = frozenset({".txt", ".md"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx", ".html", ".htm"}

# Magic numbers of formats people drop into a folder of reports by mistake.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file; give it the .pdf suffix"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"7z\xbc\xaf", "a 7z archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "an executable"),
)

# A decoded text with more control characters than this is binary, whatever decoded it.
_MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class SourceDocument:
    doc_id: str
    path: Path
    text: str
    encoding: str
    sha256: str
    size_bytes: int
    pages: tuple[int, ...] | None = None  # a PDF's page starts in `text`
    notes: tuple[str, ...] = ()  # what the user should know, e.g. a page without a text layer


def doc_id_for(path: Path) -> str:
    """A document's id: its file name without the suffix, with anything unprintable (a newline, a
    tab, a control character) as `_`, so ids print on one line; the file name itself is kept as the
    document's source, and two names that come out alike get distinct ids at ingest."""
    printable = "".join(ch if ch.isprintable() else "_" for ch in path.stem).strip()
    return printable or "document"


def discover(paths: Iterable[Path | str]) -> tuple[list[Path], list[InputFileError]]:
    """Expand files and folders (recursively) into document files, in a stable order.

    Files named explicitly are always returned so that an unsupported one gets its own error;
    inside folders, only supported suffixes are taken and hidden entries are passed over.
    """
    found: list[Path] = []
    problems: list[InputFileError] = []
    seen: set[Path] = set()

    def add(file: Path) -> None:
        try:
            key = file.resolve()
        except (OSError, RuntimeError):  # a symlink loop: it gets its own error when read
            key = file.absolute()
        if key not in seen:
            seen.add(key)
            found.append(file)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in _walk(path):
                add(file)
        elif path.exists() or path.is_symlink():
            add(path)
        else:
            problems.append(InputFileError(path, "no such file or folder"))
    return found, problems


def _walk(folder: Path) -> Iterator[Path]:
    # followlinks=False: a symlinked folder loop must not recurse forever.
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                yield Path(root) / name


def load_document(path: Path, max_bytes: int | None = None) -> SourceDocument:
    """Read and decode one file; raise InputFileError naming it when it is not a usable document."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise InputFileError(path, f"unsupported file type {path.suffix or '(none)'!r} (supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})")
    try:
        info = path.stat()
        if path.is_dir():
            raise InputFileError(path, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(path, "not a regular file (a pipe, socket or device), skipped")
        if max_bytes is not None and info.st_size > max_bytes and path.suffix.lower() not in (".pdf", ".docx"):
            raise InputFileError(path, f"{info.st_size / 2**20:.0f} MB is larger than the {max_bytes / 2**20:.0f} MB limit "
                                       "(RAG_MAX_FILE_MB); split it or raise the limit")
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputFileError(path, "is a folder, not a file") from None
    except PermissionError:
        raise InputFileError(path, "permission denied") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror or exc}") from None
    if not data:
        raise InputFileError(path, "empty file")
    pages: tuple[int, ...] | None = None
    notes: tuple[str, ...] = ()
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text, encoding = decode_bytes(data, path)
        if encoding == "cp932":
            notes = ("reads as Japanese (Shift-JIS), not Chinese: its facts and figures may not be found",)
    else:
        from rag.ingest import readers

        try:
            if suffix == ".pdf":
                extracted, encoding = readers.pdf_text(data), "pdf"
            elif suffix == ".docx":
                extracted, encoding = readers.docx_text(data), "docx"
            else:
                html, charset = decode_bytes(data, path)
                extracted, encoding = readers.html_text(html), f"html ({charset})"
        except ValueError as exc:
            raise InputFileError(path, f"{exc}, skipped") from None
        text = extracted.text
        pages = tuple(extracted.pages) if extracted.pages is not None else None
        notes = tuple(extracted.notes)
    if not text.strip():
        raise InputFileError(path, "contains only whitespace")
    return SourceDocument(
        doc_id=doc_id_for(path), path=path, text=text, encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data), pages=pages, notes=notes,
    )


def decode_bytes(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode a document's bytes: BOM, UTF-8, then GB18030 (a superset of GBK), Big5 or Shift-JIS by
    which reads as common characters, then charset detection."""
    if not data:
        return "", "empty"
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _checked(_decode_strict(data, encoding, path), encoding, path)

    head = data[:4096]
    for signature, what in _BINARY_SIGNATURES:
        if head.startswith(signature):
            raise InputFileError(path, f"binary file ({what}), skipped")

    if b"\x00" in head:
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise InputFileError(path, "binary file (contains NUL bytes), skipped")
        return _checked(_decode_strict(data[: len(data) - len(data) % 2], utf16, path), utf16, path)

    text = _decode_lenient_tail(data, "utf-8")
    if text is not None:
        return _checked(text, "utf-8", path)
    legacy = _legacy_encoding(data)
    if legacy != "gb18030":
        whole = _decode_lenient_tail(data, legacy)
        if whole is not None and _control_share(whole) <= _MAX_CONTROL_SHARE:
            return whole, legacy
    mixed = _decode_by_line(data)
    if mixed is not None:
        return _checked(*mixed, path)

    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputFileError(path, "cannot detect the text encoding, skipped")
    return _checked(str(best), best.encoding, path)


# The legacy encodings a Chinese report (or a stray Japanese file) comes in, and where each puts
# its common characters: GB2312's punctuation rows and first level of hanzi, Big5's symbols and
# frequent characters, Shift-JIS's symbols, kana and first level of kanji. Their byte ranges
# overlap, so most texts decode without error in all three; what tells them apart is that a text
# decoded with its own encoding is almost all common characters, and decoded with another is not.
_LEGACY_COMMON: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = (
    ("gb18030", ((0xA1, 0xA3), (0xB0, 0xD7))),
    ("big5hkscs", ((0xA1, 0xA3), (0xA4, 0xC6))),
    # Not its half-width katakana (single bytes 0xA1-0xDF): every GB2312 lead byte is one of them, so
    # GB text read as Shift-JIS would look common; Japanese shows in its kana and kanji rows anyway.
    ("cp932", ((0x81, 0x84), (0x88, 0x98))),
)
_LEGACY_SAMPLE = 65536
_LEGACY_MIN_CHARACTERS = 16  # fewer non-ASCII characters decide nothing: GB18030, as before


def _legacy_encoding(data: bytes) -> str:
    """GB18030, Big5 or Shift-JIS, for bytes that are not UTF-8: the one whose decoding is most
    made of that encoding's common characters (GB18030 on a tie, and for too little text)."""
    sample = data[:_LEGACY_SAMPLE]
    if len(data) > _LEGACY_SAMPLE and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # never half a character at the cut
    best, best_share = "gb18030", -1.0
    for encoding, common in _LEGACY_COMMON:
        text = _decode_lenient_tail(sample, encoding)
        if text is None:
            continue
        # Each distinct character weighed once, by how often it occurs (a report repeats its characters).
        wide = {ch: n for ch, n in Counter(text).items() if ord(ch) > 0x7F}
        total = sum(wide.values())
        if total < _LEGACY_MIN_CHARACTERS:
            return "gb18030"
        hits = 0
        for ch, n in wide.items():
            try:
                lead = ch.encode(encoding)[0]
            except UnicodeEncodeError:
                continue
            hits += n * any(low <= lead <= high for low, high in common)
        share = hits / total
        if share > best_share + 0.05:  # a clear margin, so GB18030 keeps a close call
            best, best_share = encoding, share
    return best


def _decode_strict(data: bytes, encoding: str, path: Path | str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputFileError(path, f"not valid {encoding} at byte {exc.start}, skipped") from None


def _decode_lenient_tail(data: bytes, encoding: str) -> str | None:
    """Strict decoding, except that a multi-byte character cut off at the very end is dropped.

    Files truncated by a download or a copy lose at most that one character, not the document.
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason in ("unexpected end of data", "incomplete multibyte sequence"):
            try:
                return data[: exc.start].decode(encoding)
            except UnicodeDecodeError:
                return None
        return None


def _decode_by_line(data: bytes) -> tuple[str, str] | None:
    """UTF-8 where a line is valid UTF-8, GB18030 (a superset of GBK) where it is not.

    A GBK file comes out exactly as decoding it whole would (GBK Chinese is practically never valid
    UTF-8), and a file pasted together from both encodings keeps every line readable."""
    lines = data.splitlines(keepends=True)
    out: list[str] = []
    used: set[str] = set()
    for index, line in enumerate(lines):
        try:
            out.append(line.decode("utf-8"))
            if not line.isascii():
                used.add("utf-8")
            continue
        except UnicodeDecodeError:
            pass
        try:
            text: str | None = line.decode("gb18030")
        except UnicodeDecodeError:
            # Only the last line may end in half a character (a file cut off while copying).
            text = _decode_lenient_tail(line, "gb18030") if index == len(lines) - 1 else None
        if text is None:
            return None
        out.append(text)
        used.add("gb18030")
    return "".join(out), "+".join(sorted(used)) or "ascii"


def _bomless_utf16(data: bytes) -> str | None:
    """Recognise UTF-16 without a BOM: zero bytes on one side only, and it decodes to real text.

    Chinese UTF-16 has zero bytes only in its ASCII (newlines, digits), so their share is small;
    what decides is that the decoded text is almost all CJK, ASCII and punctuation.
    """
    sample = data[:8192]
    sample = sample[: len(sample) - len(sample) % 2]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    best: tuple[float, str] | None = None
    for encoding, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros == 0 or other >= zeros:
            continue
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        share = _plausible_share(text)
        if share >= 0.9 and (best is None or share > best[0]):
            best = (share, encoding)
    return best[1] if best else None


def _plausible_share(text: str) -> float:
    """Share of characters a Chinese report is made of: CJK, ASCII, punctuation, full-width forms."""
    if not text:
        return 0.0
    good = 0
    for ch in text:
        code = ord(ch)
        if (
            (0x20 <= code < 0x7F) or ch in "\r\n\t"
            or 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF
            or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or 0x2000 <= code <= 0x206F
        ):
            good += 1
    return good / len(text)


# Unicode's control (Cc), surrogate (Cs) and private-use (Co) characters but the whitespace controls
# `\t\n\v\f\r`: what binary bytes decode to (a test holds it to `unicodedata.category`).
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    return len(_CONTROL_RE.findall(sample)) / len(sample)


def _checked(text: str, encoding: str, path: Path | str) -> tuple[str, str]:
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise InputFileError(path, "binary file (decodes to control characters), skipped")
    return text, encoding
