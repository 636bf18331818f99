"""The offline embedder, and that Chroma's downloading default is never reached."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SEEDS

from rag.index.embeddings import HashEmbeddingFunction, hash_embed


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b))


def test_vectors_are_unit_length_deterministic_and_script_blind():
    a, b, c, empty = hash_embed(["地区生产总值增长8%", "地區生產總值增長８％", "加强党风廉政建设", "，。"], 512)
    assert abs(np.linalg.norm(a) - 1) < 1e-5
    assert np.allclose(a, b), "traditional and full-width forms embed like simplified half-width"
    assert cosine(a, c) < 0.3
    assert not empty.any()
    assert np.array_equal(hash_embed(["地区生产总值增长8%"], 512)[0], a)


def test_related_passages_are_nearer_than_unrelated_ones():
    query, near, far = hash_embed(["固定资产投资增长目标", "全社会固定资产投资同比增长15%以上", "深入推进党风廉政建设"], 512)
    assert cosine(query, near) > cosine(query, far)


def test_config_round_trip():
    function = HashEmbeddingFunction(dim=256)
    rebuilt = HashEmbeddingFunction.build_from_config(function.get_config())
    assert rebuilt.dim == 256 and HashEmbeddingFunction.name() == "plan_rag_hash"


def test_ingest_and_search_never_touch_chromas_default_embedding_function(cli, monkeypatch: pytest.MonkeyPatch):
    import chromadb.api.types as types
    from chromadb.utils.embedding_functions import onnx_mini_lm_l6_v2

    def refuse(*_args, **_kwargs):
        raise AssertionError("Chroma's default embedding function was reached")

    monkeypatch.setattr(types.DefaultEmbeddingFunction, "__call__", refuse)
    monkeypatch.setattr(onnx_mini_lm_l6_v2.ONNXMiniLM_L6_V2, "__call__", refuse)
    monkeypatch.setattr(onnx_mini_lm_l6_v2.ONNXMiniLM_L6_V2, "_download_model_if_not_exists", refuse)
    assert cli("ingest", str(SEEDS)).exit_code == 0
    result = cli("search", "招商引资", "--format", "json")
    assert result.exit_code == 0 and result.json()["hits"]


def test_a_store_built_with_one_embedder_refuses_another(cli, monkeypatch: pytest.MonkeyPatch):
    assert cli("ingest", str(SEEDS / "000_6df439c02bdb466d.txt")).exit_code == 0
    monkeypatch.setenv("RAG_EMBEDDING_DIM", "256")
    result = cli("ingest", str(SEEDS / "002_89cb96821d4ce65b.txt"))
    assert result.exit_code == 1 and "embedder" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_openai_compatible_embedder_through_a_fake_server(cli, fake_openai, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RAG_EMBEDDER", "openai")
    monkeypatch.setenv("RAG_EMBEDDING_MODEL", "bge-m3")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-marker-123")
    result = cli("ingest", str(SEEDS), "--format", "json")
    assert result.exit_code == 0, result.stderr
    embedding_calls = [r for r in fake_openai.requests if r.path.endswith("/embeddings")]
    assert embedding_calls and all(r.body["model"] == "bge-m3" for r in embedding_calls)
    assert embedding_calls[0].headers.get("authorization") == "Bearer sk-test-marker-123"
    hits = cli("search", "章丘六大突破", "--format", "json").json()["hits"]
    assert hits and any(h["dense_rank"] is not None for h in hits)
    # The key is used on the wire, never written into the store.
    from pathlib import Path

    for path in Path(".").rglob("*"):
        if path.is_file():
            assert b"sk-test-marker-123" not in path.read_bytes(), path


def test_openai_embedder_endpoint_failure_is_one_line(cli, fake_openai, monkeypatch: pytest.MonkeyPatch):
    fake_openai.handlers["/embeddings"] = lambda request: (400, {}, {"error": {"message": "model not found", "type": "invalid_request_error"}})
    monkeypatch.setenv("RAG_EMBEDDER", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    result = cli("ingest", str(SEEDS / "000_6df439c02bdb466d.txt"))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "embeddings endpoint" in lines[0] and "model not found" in lines[0]
