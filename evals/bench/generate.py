"""Deterministic benchmark corpora: documents of about 10,000 characters recombined from the seeds.

Each document takes a title, then top-level sections drawn from the seeds (renumbered), with
regions, years and numbers varied. A share is converted to traditional characters and a share
written as GBK with CRLF line ends, as real collections arrive. Same seed, same corpus.

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
TRADITIONAL_SHARE = 0.2
GBK_SHARE = 0.2


def seed_sections() -> list[str]:
    """Top-level sections of the seeds, each as its text from heading to the next heading."""
    sections: list[str] = []
    for path in sorted((REPO / "seeds").glob("*.txt")):
        text = load_document(path).text
        roots = [h for h in parse_outline(text).roots if h.level == 1]
        for index, heading in enumerate(roots):
            end = roots[index + 1].start if index + 1 < len(roots) else len(text)
            sections.append(text[heading.start : end].strip())
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
        body = re.sub(rf"^[{CN_NUMERALS}]{{1,3}}、", f"{CN_NUMERALS[index % 10]}、", body)
        for name in SEED_REGIONS:
            body = body.replace(name, region)
        body = re.sub(r"20\d\d年", lambda m: f"{year + rng.choice([-1, 0])}年", body)
        body = _vary_numbers(body, rng)
        parts.append(body)
        length += len(body)
        index += 1
    return f"gen_{number:05d}_{region}", "\n".join(parts) + "\n"


def generate(count: int, out: Path, seed: int = 20261121) -> list[Path]:
    import opencc

    rng = random.Random(seed)
    to_traditional = opencc.OpenCC("s2t")
    sections = seed_sections()
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
    args = parser.parse_args()
    paths = generate(args.count, args.out, args.seed)
    print(f"{len(paths)} documents in {args.out}, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB")
