"""Answering (LLM): a LangChain retrieval chain over our hybrid search, verified before it is shown.

The chain: a `BaseRetriever` over `Retriever.search`, the `prompts/answer.v1.md` template, and
`ChatOpenAI.with_structured_output` into `ModelAnswer`. What the model says is then checked: every
citation must name a passage it was shown and quote that passage (exact, then after folding width
and traditional/simplified; plain substring search, never the model's text as a pattern). A reply
that fails is re-asked once with the error; a second failure, a malformed reply or a failed request
falls back to the offline answer, with a note saying why. Numbers in the answer that appear in no
cited passage are flagged.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.retrievers import BaseRetriever
from pydantic import BaseModel, ConfigDict, Field

from rag.answer.base import Answer, Citation
from rag.answer.offline import OfflineAnswerer
from rag.core.spans import Span
from rag.index.retrieval import Retriever
from rag.ingest.cleaning import fold
from rag.llm.client import Rejected, StructuredModel, Usage, ask_validated, open_cache, schema_hint
from rag.llm.prompts import load_prompt

if TYPE_CHECKING:
    from rag.core.settings import Settings

PROMPT = "answer.v1"
# After this many failed requests in a row, the model is taken as unavailable for the rest of the command.
_PASSAGE_TAG_RE = re.compile(r"</?\s*passage", re.IGNORECASE)


class PassageCitation(BaseModel):
    passage: int = Field(description="The id of the passage quoted.")
    quote: str = Field(description="Words copied exactly from that passage.")


class ModelAnswer(BaseModel):
    """The model's answer: markers [n] in `answer` name passages; each is backed by a citation."""

    found: bool = Field(description="False when the passages do not hold the answer.")
    answer: str = Field(description="The answer in Chinese, with [n] markers naming passage ids.")
    citations: list[PassageCitation] = Field(default_factory=list)


class HybridRetriever(BaseRetriever):
    """LangChain's view of our hybrid (dense + BM25) retrieval."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: Any
    k: int = 8
    doc_ids: list[str] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.retriever.search(query, k=self.k, doc_ids=self.doc_ids)
        return [
            Document(page_content=hit.text, metadata={"passage": number, "doc_id": hit.doc_id, "start": hit.span.start,
                                                      "end": hit.span.end, "section": hit.section, "hit": hit})
            for number, hit in enumerate(hits, start=1)
        ]


def format_passages(documents: list[Document]) -> str:
    """Passages as tagged blocks; a document cannot close its own block or open another."""
    blocks = []
    for document in documents:
        body = _PASSAGE_TAG_RE.sub(lambda m: m.group().replace("<", "‹"), document.page_content)
        meta = document.metadata
        blocks.append(f'<passage id="{meta["passage"]}" doc="{meta["doc_id"]}" section="{meta["section"]}">\n{body}\n</passage>')
    return "\n".join(blocks)


class VerificationFailed(Rejected):
    pass


def locate(passage: str, quote: str) -> Span | None:
    """Where `quote` sits in `passage`: exact, then on the folded copies (same length, same offsets)."""
    if not quote.strip():
        return None
    position = passage.find(quote)
    if position >= 0:
        return Span(position, position + len(quote))
    folded_quote = fold(quote).strip()
    position = fold(passage).find(folded_quote)
    return Span(position, position + len(folded_quote)) if position >= 0 else None


class LLMAnswerer:
    name = "openai"

    def __init__(self, retriever: Retriever, settings: Settings, model: Any = None, usage: Usage | None = None,
                 on_note: Any = None) -> None:
        self.retriever = retriever
        self.settings = settings
        self.prompt = load_prompt(PROMPT)
        self.usage = usage or Usage()
        self.structured = StructuredModel(settings, ModelAnswer, self.prompt.sha, self.usage,
                                          open_cache(settings, on_note), model)
        self.offline = OfflineAnswerer(retriever)

    def answer(self, question: str, k: int = 8, doc_ids: list[str] | None = None) -> Answer:
        documents = HybridRetriever(retriever=self.retriever, k=k, doc_ids=doc_ids).invoke(question)
        hits = [d.metadata["hit"] for d in documents]
        system, user = self.prompt.render(passages=format_passages(documents), question=question,
                                          schema_hint=schema_hint(ModelAnswer, self.structured.method))
        outcome = ask_validated(self.structured, [SystemMessage(system), HumanMessage(user)],
                                accept=lambda parsed: self._verified(question, parsed, documents, hits),
                                reask="Your answer failed verification: {problem} Answer again: cite only the passages shown, quote them exactly.")
        if outcome.value is None:
            reason = outcome.problem if outcome.unavailable else f"the model's answer failed verification ({outcome.problem})"
            return self._fallback(question, k, doc_ids, reason)
        return outcome.value  # type: ignore[no-any-return]

    def _verified(self, question: str, parsed: ModelAnswer, documents: list[Document], hits: list[Any]) -> Answer:
        if not parsed.found:
            return Answer(question, parsed.answer.strip() or "语料中没有找到这个问题的答案。", False, [], self.name, hits)
        if not parsed.citations:
            raise VerificationFailed("an answer with found=true must cite at least one passage.")
        by_id = {d.metadata["passage"]: d for d in documents}
        citations: list[Citation] = []
        first_for_passage: dict[int, int] = {}
        for index, cited in enumerate(parsed.citations, start=1):
            document = by_id.get(cited.passage)
            if document is None:
                raise VerificationFailed(f"citation {index} names passage {cited.passage}, which was not shown.")
            found_at = locate(document.page_content, cited.quote)
            if found_at is None:
                raise VerificationFailed(f"citation {index} quotes {cited.quote[:40]!r}, which is not in passage {cited.passage}.")
            meta = document.metadata
            span = found_at.shift(meta["start"])
            # The citation quotes the original text at that span (traditional, full-width and all).
            quote = span.of(self.retriever.store.text(meta["doc_id"], self.retriever.manifest))
            page = self.retriever.manifest.documents[meta["doc_id"]].page_at(span.start)
            citations.append(Citation(len(citations) + 1, meta["doc_id"], meta["section"], span, quote, page))
            first_for_passage.setdefault(cited.passage, len(citations))
        unknown = [m for m in re.findall(r"\[(\d+)\]", parsed.answer) if int(m) not in first_for_passage]
        if unknown:
            raise VerificationFailed(f"the answer marks passage(s) {', '.join(unknown)} but cites none of them.")
        answer_text = re.sub(r"\[(\d+)\]", lambda m: f"[{first_for_passage[int(m.group(1))]}]", parsed.answer.strip())
        notes = self._unsupported_numbers(answer_text, citations, documents)
        return Answer(question, answer_text, True, citations, self.name, hits, notes)

    @staticmethod
    def _unsupported_numbers(answer: str, citations: list[Citation], documents: list[Document]) -> list[str]:
        cited_docs = {c.doc_id for c in citations}
        support = fold("".join(c.quote for c in citations) + "".join(d.page_content for d in documents if d.metadata["doc_id"] in cited_docs))
        numbers = set(re.findall(r"\d+(?:\.\d+)?", re.sub(r"\[\d+\]", "", fold(answer))))
        return [f"number {n} in the answer appears in no cited passage" for n in sorted(numbers) if n not in support]

    def _fallback(self, question: str, k: int, doc_ids: list[str] | None, reason: str) -> Answer:
        answer = self.offline.answer(question, k=k, doc_ids=doc_ids)
        answer.notes.insert(0, f"openai engine: {reason}; showing the offline answer")
        answer.engine = "offline (fallback)"
        return answer

