"""Canonical metrics: the key of a metric in the registry (`lexicon/metrics.toml`), whatever a
report calls it (`全省生产总值`, `GDP`, `经济` in `经济增长5%左右` → `gdp`).

Every indicator carries the key where one applies, so regions and years are compared by it. The
lookup is exact on folded text: a written form, preceded only by the region's own words and
followed only by words of movement. Anything else (another place's figure, a sector's, a scope the
registry keeps apart) has no key rather than a wrong one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from rag.core.lexicon import lexicon

_QUOTES = "“”‘’\"'「」《》 \u3000"


@dataclass(frozen=True)
class _Registry:
    names: dict[str, str]  # key → display name
    forms: tuple[tuple[str, str, bool], ...]  # (form, key, growth only), longest first
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if ch not in _QUOTES).upper()


@cache
def _registry() -> _Registry:
    data = lexicon("metrics")
    names: dict[str, str] = {}
    forms: list[tuple[str, str, bool]] = []
    for key, entry in data["metric"].items():
        names[key] = entry["name"]
        forms += [(_fold(form), key, False) for form in entry.get("forms", [])]
        forms += [(_fold(form), key, True) for form in entry.get("growth_forms", [])]
    forms.sort(key=lambda item: -len(item[0]))
    by_length = lambda words: tuple(sorted((_fold(w) for w in words), key=len, reverse=True))  # noqa: E731
    return _Registry(names, tuple(forms), by_length(data["prefixes"]["words"]), by_length(data["prefixes"]["suffixes"]))


def metric_names() -> dict[str, str]:
    """Every canonical key with its display name (`gdp` → `地区生产总值`)."""
    return dict(_registry().names)


def _region_words(region: str | None) -> tuple[str, ...]:
    if not region:
        return ()
    name = _fold(region)
    short = name
    for end in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市", "区", "县", "旗", "盟", "州"):
        if name.endswith(end) and len(name) - len(end) >= 2:
            short = name[: -len(end)]
            break
    return tuple(dict.fromkeys((name, short)))


def _strip_prefixes(metric: str, words: tuple[str, ...]) -> str:
    changed = True
    while changed:
        changed = False
        for word in words:
            if word and metric.startswith(word) and len(metric) > len(word):
                metric, changed = metric[len(word):], True
                break
    return metric


@lru_cache(maxsize=65536)  # reports repeat their metrics; each record asks again on every validation
def canonical_metric(metric: str, change: str | None = None, region: str | None = None) -> str | None:
    """The registry key of `metric` (as written), or None when no form matches it whole.

    `change` is the indicator's change (`growth` lets `经济增长` name GDP); `region` is the
    document's region, whose name may open the metric (`海南省地区生产总值`)."""
    registry = _registry()
    folded = _strip_prefixes(_fold(metric), registry.prefixes + _region_words(region))
    candidates = [folded] + [folded[: -len(s)] for s in registry.suffixes if folded.endswith(s) and len(folded) > len(s)]
    for form, key, growth_only in registry.forms:
        if growth_only and change != "growth":
            continue
        if form in candidates:
            return key
    return None


def metrics_named(text: str) -> set[str]:
    """The canonical keys whose written forms stand in `text` (a question), longest forms first so
    `人均地区生产总值` is not also `地区生产总值`; growth-only forms only where the text asks for growth."""
    registry = _registry()
    folded = _fold(text)
    growth = any(word in folded for word in ("增长", "增速", "增幅"))
    covered = [False] * len(folded)
    keys: set[str] = set()
    for form, key, growth_only in registry.forms:
        if (growth_only and not growth) or len(form) < 2:
            continue
        start = folded.find(form)
        while start >= 0:
            if not any(covered[start : start + len(form)]):
                keys.add(key)
                covered[start : start + len(form)] = [True] * len(form)
            start = folded.find(form, start + 1)
    return keys
