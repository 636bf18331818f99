"""Deterministic benchmark corpora: documents of about 10,000 characters recombined from real reports.

Each document takes a title, then sections drawn from the seeds and, where `../shared/corpus` is
beside the repository (or `--reports` names a folder), from its real reports too: top-level
sections, or the subsections of a long one, renumbered, with regions, years and numbers varied. So
the vocabulary grows with the corpus as real collections' does (provinces' and districts' own
names, projects and figures), not only the seeds' few hundred words. A share is converted to
traditional characters and a share written as GBK with CRLF line ends, as real collections
arrive. Same seed and sources, same corpus.

    python evals/bench/generate.py --count 1000 --out /tmp/corpus-1000
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from rag.ingest.loading import load_document  # noqa: E402
from rag.ingest.structure import parse_outline  # noqa: E402

REGIONS = ["临河区", "东城区", "滨海新区", "青山县", "高新区", "南湖街道", "江北新区", "西峰区", "柳城县", "经济技术开发区",
           "东港区", "北辰区", "岚山区", "石门县", "云溪区", "开元街道"]
SEED_REGIONS = ["经济开发区", "XX街道", "章丘", "開發區", "开发区", "X区", "X"]
CN_NUMERALS = "一二三四五六七八九十"
TARGET_CHARS = 10_000
# A section longer than this is drawn by its subsections, so documents stay near TARGET_CHARS.
LONGEST_PIECE = 4_000
REPORTS = REPO.parent / "shared" / "corpus"
TRADITIONAL_SHARE = 0.2
GBK_SHARE = 0.2


def _pieces(text: str) -> list[str]:
    """A report's top-level sections, a long one by its subsections; paragraphs where it has no outline."""
    outline = parse_outline(text)
    roots = [h for h in outline.roots if h.level == 1]
    if not roots:
        return [text[p.start : p.end].strip() for p in outline.paragraphs if len(text[p.start : p.end].strip()) > 200]
    pieces: list[str] = []
    for index, heading in enumerate(roots):
        end = roots[index + 1].start if index + 1 < len(roots) else len(text)
        children = heading.children
        if end - heading.start <= LONGEST_PIECE or not children:
            pieces.append(text[heading.start : end].strip())
            continue
        for number, child in enumerate(children):
            child_end = children[number + 1].start if number + 1 < len(children) else end
            pieces.append(text[child.start : child_end].strip())
    return [p for p in pieces if p]


def seed_sections(reports: Path | None = None) -> list[str]:
    """Sections of the seeds and of the real reports under `reports` (when that folder exists)."""
    paths = sorted((REPO / "seeds").glob("*.txt"))
    if reports is not None and reports.is_dir():
        paths += sorted(p for p in reports.rglob("*.txt"))
    sections: list[str] = []
    for path in paths:
        sections.extend(_pieces(load_document(path).text))
    return sections


def _vary_numbers(text: str, rng: random.Random) -> str:
    def replace(match: re.Match[str]) -> str:
        raw = match.group()
        value = float(raw) * rng.uniform(0.6, 1.5)
        return f"{value:.{len(raw.split('.')[1])}f}" if "." in raw else str(max(1, round(value)))

    return re.sub(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.年])", replace, text)


def document(number: int, sections: list[str], rng: random.Random) -> tuple[str, str]:
    region = rng.choice(REGIONS)
    year = rng.randint(2012, 2025)
    kind = rng.choice(["政府工作报告", "工作计划", "计划总结", "党工委工作会议报告"])
    parts = [f"{region}{year}年{kind}", f"{year}年，{region}将深入贯彻落实上级决策部署，推动高质量发展。"]
    length = sum(len(p) for p in parts)
    index = 0
    while length < TARGET_CHARS:
        body = rng.choice(sections)
        body = re.sub(rf"^(?:[{CN_NUMERALS}]{{1,3}}、|[（(][{CN_NUMERALS}]{{1,3}}[）)])", f"{CN_NUMERALS[index % 10]}、", body)
        for name in SEED_REGIONS:
            body = body.replace(name, region)
        body = re.sub(r"20\d\d年", lambda m: f"{year + rng.choice([-1, 0])}年", body)
        body = _vary_numbers(body, rng)
        parts.append(body)
        length += len(body)
        index += 1
    return f"gen_{number:05d}_{region}", "\n".join(parts) + "\n"


def generate(count: int, out: Path, seed: int = 20261121, reports: Path | None = REPORTS) -> list[Path]:
    import opencc

    rng = random.Random(seed)
    to_traditional = opencc.OpenCC("s2t")
    sections = seed_sections(reports)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        name, text = document(number, sections, rng)
        roll = rng.random()
        path = out / f"{name}.txt"
        if roll < TRADITIONAL_SHARE:
            path.write_text(to_traditional.convert(text), encoding="utf-8")
        elif roll < TRADITIONAL_SHARE + GBK_SHARE:
            path.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
        else:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--reports", type=Path, default=REPORTS, help="real reports to recombine beside the seeds")
    args = parser.parse_args()
    paths = generate(args.count, args.out, args.seed, args.reports)
    print(f"{len(paths)} documents in {args.out}, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB")
