"""Answering: questions answered from the corpus with citations, or a plain statement that it can't.

The offline answerer works structured first: a question about a quantity is answered from the
extracted indicators of the retrieved documents, a question about a slogan from its members; any
other question from the sentences of the retrieved passages that cover it best. A number for the
wrong year or region is a near miss, not an answer. Every citation is a span of the stored original
text, and `Citation.quote == text[span]` is checked before an answer leaves this module.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from rag.answer.across import AcrossQuestion, read_question
from rag.answer.base import NOT_FOUND, Answer, Citation, sentence_around
from rag.answer.routing import region_forms, scope_question
from rag.answer.tabled import across_lines
from rag.core.lexicon import lexicon
from rag.core.metrics import metrics_named
from rag.core.records import DocumentRecord, Indicator
from rag.core.spans import Span
from rag.extract.rules.periods import PLAN_NUMERALS, plan_years
from rag.index.retrieval import Hit, Retriever, expand_abbreviations
from rag.ingest.cleaning import fold

_WORDS = lexicon("questions")
_QUESTION_WORDS = sorted(_WORDS["question_words"], key=len, reverse=True)
_QUESTION_SET = frozenset(_QUESTION_WORDS) | frozenset(_WORDS["non_terms"])
_TARGET_HINTS = tuple(_WORDS["target_hints"])
_ACTUAL_HINTS = tuple(_WORDS["actual_hints"])
_QUANTITY_HINTS = tuple(_WORDS["quantity_hints"])
_PER_DOCUMENT_HINTS = tuple(_WORDS["per_document_hints"])
_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
_MIN_COVERAGE = 0.6
_MAX_REGIONS_APART = 4


@dataclass
class _Part:
    text: str
    years: list[int]
    kind: str | None
    words: list[str]  # the question's content words, folded, without question words, years and regions
    borrowed: bool = False  # its words are the part before's (`…投资多少，完成了多少户？`)
    period: tuple[int, int] | None = None  # the five-year plan it names (`十五五` → 2026–2030)
    metrics: frozenset[str] = frozenset()  # the canonical metrics it names (`GDP` → gdp)

    @property
    def terms(self) -> str:
        return "".join(self.words)


class Corpus:
    """The store's texts and records, extracted on first use and kept for the session."""

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever
        self.store = retriever.store
        self._records: dict[str, DocumentRecord] = {}
        self._facts: dict[str, dict[str, Any]] = {}

    def text(self, doc_id: str) -> str:
        return self.store.text(doc_id, self.retriever.manifest)

    def record(self, doc_id: str) -> DocumentRecord:
        if doc_id not in self._records:
            from rag.extract.table import record_of

            self._records[doc_id] = record_of(self.store, self.retriever.manifest.documents[doc_id], self.retriever.manifest)
        return self._records[doc_id]

    def facts(self, doc_id: str) -> dict[str, Any]:
        """A document's facts: the manifest's (kept at ingest), read again when other rules read
        them, and what the user set over them."""
        if doc_id not in self._facts:
            from rag.extract.rules.engine import FACTS_VERSION, document_facts

            entry = self.retriever.manifest.documents[doc_id]
            facts = entry.facts if entry.facts_version == FACTS_VERSION else document_facts(self.text(doc_id))
            self._facts[doc_id] = {**facts, **entry.overrides}
        return self._facts[doc_id]

    def region(self, doc_id: str) -> str:
        return self.facts(doc_id).get("region") or ""

    def doc_ids(self) -> list[str]:
        return sorted(self.retriever.manifest.documents)

    def section_at(self, doc_id: str, position: int) -> str:
        for start, end, section in self.retriever.manifest.documents[doc_id].chunks:
            if start <= position < end:
                return section
        return ""


class OfflineAnswerer:
    name = "offline"

    def __init__(self, retriever: Retriever) -> None:
        self.corpus = Corpus(retriever)
        self._table: Any = None  # the indicator table, opened on the first question across documents

    def _words(self, text: str) -> list[str]:
        """Words of a question, by the index's vocabulary and the question words (no jieba to load)."""
        from rag.index.lexical import DOMAIN_WORDS

        return self.corpus.retriever.segment(text, _QUESTION_SET | set(DOMAIN_WORDS))

    def answer(self, question: str, k: int = 8, doc_ids: list[str] | None = None) -> Answer:
        facts = {d: self.corpus.facts(d) for d in (doc_ids or self.corpus.doc_ids())}
        scope = scope_question(question, facts, question_kind(question))
        if scope.refusal is not None:
            # A region or year no document covers: never another region's or year's figure.
            return Answer(question, NOT_FOUND, False, [], self.name, [], notes=scope.notes)
        across = read_question(question)
        if across is not None:
            answered = self._across(question, across, scope.doc_ids, scope.notes)
            if answered is not None:
                return answered
        regions = scope.doc_ids or []
        if scope.doc_ids is None:
            hits = self.corpus.retriever.search(question, k=k, doc_ids=doc_ids)
        elif len(regions) <= _MAX_REGIONS_APART:
            # A question about a few documents gets passages from each of them.
            per_region = max(3, k // len(regions))
            hits = [h for d in regions for h in self.corpus.retriever.search(question, k=per_region, doc_ids=[d])]
        else:
            # A name many documents share (`开发区`): one search among them, and only those it finds.
            hits = self.corpus.retriever.search(question, k=k, doc_ids=regions)
            regions = list(dict.fromkeys(h.doc_id for h in hits))
        names = scope.forms + [form for d in regions for form in region_forms(fold(self.corpus.region(d)))]
        parts = _parse(question, names + _region_words(question), self._words)
        candidates = regions or sorted({h.doc_id for h in hits})
        composer = _Composer(self.corpus, candidates)

        slogan_lines = self._slogans(question, candidates, composer)
        if slogan_lines:
            return composer.finish(question, slogan_lines, hits, self.name, scope.notes)
        quantity = any(_is_quantity(p.text) for p in parts)
        if quantity:
            lines = self._quantities(parts, candidates, regions, composer)
            if lines:
                return composer.finish(question, lines, hits, self.name, scope.notes)
        per_document = len(regions) > 1 or any(h in fold(question) for h in _PER_DOCUMENT_HINTS)
        lines = self._sentences(parts, hits, regions, composer, quantity, per_document)
        return composer.finish(question, lines, hits, self.name, scope.notes)

    # ---- across documents --------------------------------------------------------------------

    def _across(self, question: str, asked: AcrossQuestion, doc_ids: list[str] | None, notes: list[str]) -> Answer | None:
        """`哪些省份…`, `各省…`, `…最高`, `…完成了吗`, `2012年到2016年…的变化`: from the indicator
        table, complete over the corpus (every region accounted for), one cited line per region or year."""
        from rag.extract.table import open_table

        if self._table is None:  # opened once per answerer: a batch of questions reads one table
            self._table = open_table(self.corpus.store)
        table = self._table
        composer = _Composer(self.corpus, self.corpus.doc_ids())
        named = sorted({self.corpus.region(d) for d in doc_ids or [] if self.corpus.region(d)})
        lines = across_lines(table, asked, named, composer)
        return composer.finish(question, lines, [], self.name, notes) if lines else None

    # ---- slogans -----------------------------------------------------------------------------

    def _slogans(self, question: str, candidates: list[str], composer: _Composer) -> list[str]:
        folded = fold(question)
        part_match = re.search(r"[“\"]([^”\"]+)[”\"][^“\"]{0,12}?中的?[“\"]([^”\"]+)[”\"]", folded)
        for doc_id in candidates:
            record = self.corpus.record(doc_id)
            for slogan in record.slogans:
                name = fold(slogan.name)
                if part_match and part_match.group(1) == name:
                    return self._slogan_part(doc_id, slogan, part_match.group(2), composer)
                if (f"“{name}”" in folded or f"\"{name}\"" in folded or (len(name) >= 3 and name in folded)) and slogan.items and not part_match:
                    cite = composer.cite(doc_id, sentence_around(self.corpus.text(doc_id), slogan.span))
                    return [f"“{slogan.name}”：{'、'.join(slogan.items)} {cite}"]
        return []

    def _slogan_part(self, doc_id: str, slogan: Any, part: str, composer: _Composer) -> list[str]:
        text = self.corpus.text(doc_id)
        folded = fold(text)
        parts = slogan.name.split("+") if "+" in slogan.name else list(slogan.name)
        record = self.corpus.record(doc_id)
        if part in parts and len(slogan.items) == len(parts):
            item = slogan.items[parts.index(part)]
            nested = next((s for s in record.slogans if fold(s.name) == fold(item) and s.items), None)
            if nested is not None:
                cite = composer.cite(doc_id, sentence_around(text, nested.span))
                return [f"“{slogan.name}”中的“{part}”是“{nested.name}”：{'、'.join(nested.items)} {cite}"]
        # Otherwise the sentence that explains the part, and the one after it.
        for match in re.finditer(rf"[“\"]{re.escape(part)}[”\"][^。]{{0,3}}(?:就是|即|是指)", folded):
            sentence = sentence_around(text, Span(match.start(), match.end()))
            following = _next_sentence(text, sentence.end)
            lines = [f"{sentence.of(text).strip()} {composer.cite(doc_id, sentence)}"]
            if following is not None:
                lines.append(f"{following.of(text).strip()} {composer.cite(doc_id, following)}")
            return lines
        return []

    # ---- quantities --------------------------------------------------------------------------

    def _quantities(self, parts: list[_Part], candidates: list[str], regions: list[str], composer: _Composer) -> list[str]:
        lines: list[str] = []
        per_document = len(regions) > 1
        for doc_id in candidates:
            record = self.corpus.record(doc_id)
            near: Span | None = None  # the rest of the sentence the previous part was answered from
            before = ""  # the previous part's words
            for part in parts:
                years = part.years
                if per_document and len(years) == len(regions):
                    years = [years[regions.index(doc_id)]]  # `X区2017年和开发区2014年分别…`
                text = self.corpus.text(doc_id)
                best = _best_indicator(record, part, years, text, near, before)
                before = part.terms
                if best is None:
                    continue
                sentence = sentence_around(text, best.span)
                near = Span(best.span.end, sentence.end)  # where the next part's figure is looked for first
                span = _with_siblings(record, best, text)
                line = f"{composer.label(doc_id, best)}：{span.of(text)} {composer.cite(doc_id, span)}"
                if line not in lines:
                    lines.append(line)
        return lines

    # ---- sentences ---------------------------------------------------------------------------

    def _sentences(self, parts: list[_Part], hits: list[Hit], regions: list[str], composer: _Composer,
                   quantity: bool, per_document: bool) -> list[str]:
        """The sentences of the retrieved passages that cover the question best.

        For a question about a number, a sentence whose numbers were already judged by the structured
        path (and found for another year, region or metric) is not offered again as an answer.
        """
        wanted = {b for p in parts for w in p.words for b in _bigrams(w)}
        if not wanted:
            return []
        years = {y for p in parts for y in p.years}
        scored: list[tuple[float, str, Span]] = []
        for hit in hits:
            if regions and hit.doc_id not in regions:
                continue
            record = self.corpus.record(hit.doc_id)
            if years and not years & {record.plan_year, record.review_year} and not any(str(y) in hit.text for y in years):
                continue
            text = self.corpus.text(hit.doc_id)
            for match in _SENTENCE_RE.finditer(hit.text):
                span = Span(hit.span.start + match.start(), hit.span.start + match.end()).strip(text)
                if span.length < 4:
                    continue
                if quantity and (any(span.overlaps(i.span) for i in record.indicators) or not re.search(r"\d", span.of(text))):
                    continue
                coverage = len(wanted & _bigrams(fold(span.of(text)))) / len(wanted)
                scored.append((coverage, hit.doc_id, span))
        scored.sort(key=lambda s: -s[0])
        if not scored or scored[0][0] < _MIN_COVERAGE:
            return []
        if per_document:
            lines, seen = [], set()
            for coverage, doc_id, span in scored:
                if coverage >= _MIN_COVERAGE and doc_id not in seen:
                    seen.add(doc_id)
                    lines.append(f"{composer.label(doc_id)}：{span.of(self.corpus.text(doc_id)).strip()} {composer.cite(doc_id, span)}")
            return lines
        best = scored[0]
        lines = [f"{composer.label(best[1])}：{best[2].of(self.corpus.text(best[1])).strip()} {composer.cite(best[1], best[2])}"]
        runner = next((s for s in scored[1:] if s[0] >= max(_MIN_COVERAGE, best[0] - 0.05) and s[2] != best[2]), None)
        if runner is not None:
            lines.append(f"{composer.label(runner[1])}：{runner[2].of(self.corpus.text(runner[1])).strip()} {composer.cite(runner[1], runner[2])}")
        return lines


_KIND_WORDS = {"target": "目标", "actual": "实际", "baseline": "基期"}
_SCOPE_WORDS = {"average": "（年均）", "cumulative": "（累计）"}
_FIVE_YEAR_RE = re.compile(r"年均|累计|五年|十[一二三四五六]五")


class _Composer:
    """Numbers citations in order of use and checks each against the stored text; labels each line
    with the region and year it comes from."""

    def __init__(self, corpus: Corpus, candidates: list[str]) -> None:
        self.corpus = corpus
        self.citations: list[Citation] = []
        regions = Counter(corpus.region(d) for d in candidates)
        self._shared = {r for r, n in regions.items() if r and n > 1}

    def label(self, doc_id: str, indicator: Indicator | None = None) -> str:
        """`安徽省 2026年目标 地区生产总值`, `海拉尔区 2011年实际`; a sentence gets its report's year."""
        facts = self.corpus.facts(doc_id)
        region = facts.get("region") or doc_id
        if region in self._shared:
            region = f"{region}（{doc_id}）"  # two reports of one region: say which
        if indicator is None:
            year = facts.get("plan_year")
            return f"{region} {year}年报告" if year else region
        year = indicator.year or facts.get("plan_year")
        kind = _KIND_WORDS.get(indicator.kind.value, "")
        scope = _SCOPE_WORDS.get(indicator.scope.value, "")
        if indicator.period is not None:  # `2021—2025年实际`: the figure is the period's, not one year's
            return " ".join(x for x in (region, f"{indicator.period[0]}—{indicator.period[1]}年{kind}{scope}", indicator.metric) if x)
        if scope:
            return " ".join(x for x in (region, f"{kind}{scope}", indicator.metric) if x)
        five = "（五年期）" if _FIVE_YEAR_RE.search(indicator.quote) else ""
        return " ".join(x for x in (region, f"{year}年{kind}{five}" if year else kind + five, indicator.metric) if x)

    def cite(self, doc_id: str, span: Span) -> str:
        for citation in self.citations:
            if citation.doc_id == doc_id and citation.span == span:
                return f"[{citation.id}]"
        text = self.corpus.text(doc_id)
        quote = span.of(text)
        assert span.grounds(text, quote)
        page = self.corpus.retriever.manifest.documents[doc_id].page_at(span.start)
        self.citations.append(Citation(len(self.citations) + 1, doc_id, self.corpus.section_at(doc_id, span.start), span, quote, page))
        return f"[{len(self.citations)}]"

    def finish(self, question: str, lines: list[str], hits: list[Hit], engine: str, notes: list[str] | None = None) -> Answer:
        if not lines:
            return Answer(question, NOT_FOUND, False, [], engine, hits, list(notes or []))
        return Answer(question, "\n".join(lines), True, self.citations, engine, hits, list(notes or []))


# ---- question parsing --------------------------------------------------------------------------

def _region_words(question: str) -> list[str]:
    """The place a question opens with (`海门园区…`, `X区…`), which may be no document's own name for
    itself; it is not a metric term. Places later in the question (`门楼镇和高疃镇`) are content."""
    match = re.match(r"[\u4e00-\u9fffXx]{1,4}?(?:区|县|市|街道|园区|新区|开发区)", fold(question))
    return [match.group()] if match else []


def _split_parts(question: str, regions: list[str], words: Any) -> list[str]:
    """One part per thing asked: `…多少？同比增长多少？`, `…多少个项目、完成多少实际投入`, and
    `持证农民比例和农民收入提升的目标分别是多少` (each side of 和 names its own metric)."""
    pieces = [p for p in re.split(r"[？?；;]", question) if p.strip()]
    out: list[str] = []
    for piece in pieces:
        halves = re.split(r"[、,，]", piece)
        if len(halves) > 1 and sum(1 for h in halves if _is_quantity(h)) >= 2:
            out.extend(h for h in halves if h.strip())
            continue
        conjuncts = re.split(r"和|及|与|、", piece)
        if _is_quantity(piece) and len(conjuncts) > 1 and all(len("".join(_terms(c, regions, words))) >= 2 for c in conjuncts):
            # Every side names its own metric; the question words of the last side ask for all.
            shared = re.search(r"(?:的|增长|目标|各|分别|是|要|为|多少|几).*$", conjuncts[-1])
            suffix = shared.group() if shared else "多少"
            out.extend(c if _is_quantity(c) else c + suffix for c in conjuncts)
            continue
        out.append(piece)
    return out


def _terms(text: str, regions: list[str], words: Any) -> list[str]:
    """A question's content: folded, without years, regions and question words.

    Question words go by word, not by substring, so `新` leaves `高新技术` whole."""
    terms = re.sub(r"(?:19|20)\d\d年", " ", fold(text))
    # `保持在多少以上`: a comparator after the question word is not part of the metric.
    terms = re.sub(r"(多少|几)(以上|以下|以内|左右)", r"\1", terms)
    for region in sorted({fold(r) for r in regions if r}, key=len, reverse=True):
        terms = re.sub(re.escape(region) + r"(?:区|县|市|镇|乡)?", " ", terms)
    tokens = [re.sub(r"[\W_]+", "", t) for t in words(terms) if t.strip() and not _only_question_words(t)]
    return [t for t in tokens if t]


def _only_question_words(token: str) -> bool:
    """`同比增长`, `是多少`: a token made of question words and nothing else."""
    if token in _QUESTION_SET:
        return True
    rest = token
    for word in _QUESTION_WORDS:
        rest = rest.replace(word, "")
    return not rest


def _is_quantity(text: str) -> bool:
    """Asks for a number: `多少`, `几个`; `哪几个村` asks for names."""
    folded = fold(text)
    return any(hint in folded for hint in _QUANTITY_HINTS) and not re.search(r"哪几[个项家所]", folded)


def question_kind(text: str) -> str | None:
    """`target` for `预期目标`, `计划`, `力争`; `actual` for `完成了`, `实现了`; else None."""
    folded = fold(text)
    return "target" if any(h in folded for h in _TARGET_HINTS) else ("actual" if any(h in folded for h in _ACTUAL_HINTS) else None)


def _parse(question: str, regions: list[str], words: Any) -> list[_Part]:
    parts: list[_Part] = []
    previous: _Part | None = None
    for raw in _split_parts(question, regions, words):
        folded = fold(raw)
        years = [int(y) for y in re.findall(r"((?:19|20)\d\d)年", folded)]
        part = _Part(raw, years, question_kind(raw), [expand_abbreviations(w) for w in _terms(raw, regions, words)])
        plan = re.search(r"十([一二三四五六七])五", folded)
        if plan:
            part.period = plan_years(PLAN_NUMERALS["十" + plan.group(1)])
        part.metrics = frozenset(metrics_named(folded))
        if previous is not None:
            # `…财政总收入多少？同比增长多少？`: what a part leaves out, it takes from the one before.
            if not part.years:
                part.years = previous.years
            if len(part.terms) < 2:
                part.words, part.borrowed, part.metrics = previous.words, True, previous.metrics
            if part.period is None:
                part.period = previous.period
            if part.kind is None:
                part.kind = previous.kind
        parts.append(part)
        previous = part
    return parts


def _bigrams(text: str) -> set[str]:
    cleaned = re.sub(r"[\W_]+", "", text)
    return {cleaned[i : i + 2] for i in range(len(cleaned) - 1)}


def _longest_common(a: str, b: str) -> tuple[int, int, int]:
    """(length, start in a, start in b) of the longest common substring."""
    best = (0, 0, 0)
    for i in range(len(a)):
        for j in range(len(b)):
            length = 0
            while i + length < len(a) and j + length < len(b) and a[i + length] == b[j + length]:
                length += 1
            if length > best[0]:
                best = (length, i, j)
    return best


_INSERTION_MAX = 2
# Words that may stand inside a metric without making it another one (`棚户区改造工程投资` answers
# `棚户区改造投资`; `旅游外汇收入` does not answer `旅游收入`).
_INSERTIONS = frozenset(lexicon("questions")["metric_insertions"])


def _one_insertion(short: str, long: str) -> bool:
    """`long` is `short` with one of `_INSERTIONS` inside it, each side at least two characters long
    (`棚户区改造` + `工程` + `投资`)."""
    extra = len(long) - len(short)
    return 0 < extra <= _INSERTION_MAX and any(
        long.startswith(short[:i]) and long.endswith(short[i:]) and long[i : i + extra] in _INSERTIONS
        for i in range(2, len(short) - 1))


def metric_match(metric: str, terms: str) -> float:
    """How well an indicator's metric answers a question's terms, 0 when it does not.

    The longest common run must be at least 2 characters and cover most of the metric; a metric and
    a question that each put a different qualifier before it (`工业增加值` / `服务业增加值`) are
    different things, however much they share.
    """
    metric = re.sub(r"[\W_]+", "", expand_abbreviations(metric))
    if not metric or not terms:
        return 0.0
    if metric in terms:
        return 1.0
    if _one_insertion(terms, metric):
        return len(terms) / len(metric)  # `棚户区改造投资` in `棚户区改造工程投资`: a qualifier between
    length, in_metric, in_terms = _longest_common(metric, terms)
    if length < 2 or (length / len(metric) < _MIN_COVERAGE and length / len(terms) < 0.8):
        return 0.0
    metric_before, terms_before = metric[:in_metric], terms[:in_terms]
    metric_after, terms_after = metric[in_metric + length :], terms[in_terms + length :]
    # Different qualifiers (`工业` / `服务业`) or different heads (`…投资` / `…增加值`): different things.
    if metric_before and terms_before and not set(metric_before) & set(terms_before):
        return 0.0
    if metric_after and terms_after and metric_after[:1] != terms_after[:1]:
        return 0.0
    return length / max(len(metric), 1)


# Heads that make a ratio of the metric before them (`单位地区生产总值能耗`, `研发投入占比`).
_RATIO_HEAD_RE = re.compile(r"能耗|排放|强度|比重|占比|密度")


_VERBS_RE = re.compile(r"^[\d.、]*(?:实现|完成|新引进|引进|新建)|新增|完成(?=投资)|实现(?=[\u4e00-\u9fff]{2})")


def _unit_asked(wanted: str) -> re.Match[str] | None:
    return re.search(r"多少(个|户|家|名|项|宗|所|套|亿元|万元|亿|万|亩|公里|人)|几(个|家|项|宗|所|名)", wanted)


def _other_head(metric: str, terms: str) -> bool:
    """`地区生产总值` for `单位地区生产总值能耗下降`: the question asks for a ratio of the metric."""
    metric = re.sub(r"[\W_]+", "", expand_abbreviations(metric))
    position = terms.find(metric) if metric else -1
    return position >= 0 and _RATIO_HEAD_RE.search(terms[position + len(metric) :]) is not None and not _RATIO_HEAD_RE.search(metric)


def _value_in_question(indicator: Indicator, wanted: str) -> bool:
    value = indicator.value
    shown = f"{value:g}" if value is not None else ""
    return bool(shown) and re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d.])\s*{re.escape(indicator.unit[:1])}", wanted) is not None


def _period_asked(indicator: Indicator, years: list[int]) -> bool:
    """A period's figure answers a question naming the whole period (`2021到2025年`), or, for a goal,
    its horizon (`到2030年…的目标`): the goal is that year's target."""
    if indicator.period is None:
        return False
    first, last = indicator.period
    return (first in years and last in years) or (indicator.kind.value == "target" and years == [last])


@dataclass
class _Asked:
    """One part of a question as `_best_indicator` weighs it."""

    part: _Part
    years: list[int]
    wanted: str  # the part's text, folded
    unit: str | None  # the unit it asks for (`多少户` → 户)
    near: Span | None  # the rest of the sentence that answered the part before
    before: str  # the part before's words


def _best_indicator(record: DocumentRecord, part: _Part, years: list[int], text: str = "", near: Span | None = None,
                    before: str = "") -> Indicator | None:
    """The indicator that answers one part of a question; `near` is the rest of the sentence that
    answered the part before and `before` that part's words, since `推进多少个项目、完成多少投资`
    asks about one sentence's figures and one subject."""
    wanted = fold(part.text)
    unit_asked = _unit_asked(wanted)
    asked = _Asked(part, years, wanted, (unit_asked.group(1) or unit_asked.group(2)) if unit_asked else None, near, before)
    best: tuple[float, Indicator] | None = None
    for indicator in record.indicators:
        match = _match(record, indicator, asked, text)
        if match == 0.0:
            continue
        score = _score(indicator, asked, match)
        if score is not None and (best is None or score > best[0]):
            best = (score, indicator)
    return best[1] if best else None


def _match(record: DocumentRecord, indicator: Indicator, asked: _Asked, text: str) -> float:
    """How well the indicator's metric answers the part (0: it does not), after the filters that
    rule it out whatever its name: another year or kind, a figure the question states, a level
    asked as a rate, a unit other than the one a borrowed part asks for."""
    part, wanted = asked.part, asked.wanted
    # The question's words leave out `新增`, `实现`; so does the metric when compared with them.
    match = max(metric_match(indicator.metric, part.terms), metric_match(_VERBS_RE.sub("", indicator.metric), part.terms))
    clause = re.split(r"[,，、;；。\n]", text[indicator.span.start :], maxsplit=1)[0] if text else indicator.quote
    if match == 0.0 and len(part.terms) >= 4 and part.terms in re.sub(r"[\W_]+", "", fold(clause)):
        match = 0.8  # `多少个创建示范党组织` ← `7个基层党组织创建示范党组织`: the clause says it
    if indicator.canonical is not None and indicator.canonical in part.metrics:
        match = max(match, 1.0)  # `GDP` asked, `经济增长5%左右` stated: one metric by the registry
    in_unit = asked.unit is not None and indicator.unit.endswith(asked.unit)
    if match == 0.0 and part.borrowed and _in_near(indicator, asked) and in_unit:
        match = 0.5  # `…改造投资多少，完成了多少户`: the households of the sentence just cited
    if match == 0.0 or _other_head(indicator.metric, part.terms):
        return 0.0
    if part.borrowed and asked.unit is not None and not in_unit:
        return 0.0  # `完成了多少户` asks for households, whatever else the sentence counts
    if _value_in_question(indicator, wanted):
        return 0.0  # `1550个省重点项目完成投资多少`: the question states that figure, it asks for another
    if ("增长" in wanted or "增速" in wanted or "涨幅" in wanted) and asked.unit is None and indicator.change.value != "growth":
        return 0.0  # a growth target is a rate, not an amount added
    years = asked.years
    if years and indicator.year not in years and not (indicator.year is None and record.plan_year is None and record.review_year is None):
        return 0.0
    if part.kind and indicator.kind.value != part.kind and not (indicator.kind.value == "baseline" and "现有" in wanted):
        return 0.0
    if indicator.period is not None and years and not _FIVE_YEAR_RE.search(wanted) and not _period_asked(indicator, years):
        return 0.0  # a 十四五 result does not answer for the single year 2025
    if part.period is not None and indicator.period != part.period:
        return 0.0  # `十五五时期…年均增长目标`: the period's figure, not one year's
    return match


def _in_near(indicator: Indicator, asked: _Asked) -> bool:
    return asked.near is not None and asked.near.start <= indicator.span.start < asked.near.end


def _score(indicator: Indicator, asked: _Asked, match: float) -> float:
    """Among the indicators that answer, the one that explains most of the part wins."""
    wanted, terms = asked.wanted, asked.part.terms
    metric = re.sub(r"[\W_]+", "", expand_abbreviations(indicator.metric))
    score = match + 0.5 * _longest_common(metric, terms)[0] / max(1, len(terms))
    if ("增长" in wanted or "增速" in wanted) == (indicator.change.value == "growth"):
        score += 0.3
    if _FIVE_YEAR_RE.search(indicator.quote) and not _FIVE_YEAR_RE.search(wanted):
        score -= 1.0  # a five-year average does not answer for one year
    if ("占比" in wanted or "比例" in wanted or "率" in wanted) and indicator.unit == "%":
        score += 0.2
    if "年均" in wanted and indicator.scope.value == "average":
        score += 0.3
    if asked.unit is not None and indicator.unit.endswith(asked.unit):
        score += 0.3
    if asked.before and not asked.part.borrowed and _longest_common(metric, asked.before)[0] >= 3:
        score += 0.3  # `…多少个区级重点项目、完成多少投资`: the projects' investment
    if _in_near(indicator, asked) and asked.near is not None:
        score += 0.3
        # Within the sentence, the figure next to the one cited: `推进300个项目、完成投资420亿元`.
        score -= 0.001 * min(abs(indicator.span.start - asked.near.start), 100)
    return score


def _with_siblings(record: DocumentRecord, best: Indicator, text: str) -> Span:
    """The quote, widened to the same metric's other figures in its sentence (`达到240亿元，增长21%`):
    a question for a metric's target asks for its level and its rate alike."""
    sentence = sentence_around(text, best.span)
    span = best.span
    for other in record.indicators:
        if (other is not best and other.kind == best.kind and other.year == best.year and other.change != best.change
                and sentence.contains(other.span) and metric_match(other.metric, re.sub(r"[\W_]+", "", expand_abbreviations(best.metric))) >= 0.8):
            span = Span(min(span.start, other.span.start), max(span.end, other.span.end))
    return span


def _next_sentence(text: str, position: int) -> Span | None:
    """The full sentence (to 。) after `position`."""
    match = re.compile(r"[^。！？!?\n]+[。！？!?]?").search(text, position)
    while match is not None and not match.group().strip():
        match = re.compile(r"[^。！？!?\n]+[。！？!?]?").search(text, match.end() + 1)
    return Span(match.start(), match.end()).strip(text) if match else None
