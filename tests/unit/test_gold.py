"""The gold files: valid records, and every quote verbatim at its span in the decoded seed."""

from __future__ import annotations

import json

import pytest
from conftest import REPO, SEED_IDS, SEEDS

from rag.core.records import DocumentRecord
from rag.evaluation.scoring import grounded_share
from rag.ingest.loading import load_document


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_gold_is_a_valid_grounded_record(doc_id: str):
    path = REPO / "evals" / "gold" / f"{doc_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    record = DocumentRecord.model_validate(data)
    assert record.doc_id == doc_id
    text = load_document(SEEDS / f"{doc_id}.txt").text
    grounded, total = grounded_share(data, text)
    assert total > 0 and grounded == total
    assert record.outline, "every seed has an outline"
