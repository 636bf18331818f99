"""`rag eval`: the report, its provenance, baselines and thresholds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO


def test_eval_report_records_what_produced_it(cli, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-eval-marker-987")
    out = tmp_path / "report.json"
    result = cli("eval", "--engine", "offline", "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert json.loads(out.read_text(encoding="utf-8"))["metrics"] == report["metrics"]
    config = report["config"]
    assert {"schema_hash", "prompts_hash", "gold_hash", "questions_hash", "settings"} <= set(config)
    assert config["settings"]["openai_api_key_set"] is True
    assert "sk-eval-marker-987" not in out.read_text(encoding="utf-8")
    extraction = report["extraction"]["offline"]
    assert extraction["cost"] == {"llm_calls": 0, "tokens_in": 0, "tokens_out": 0, "cache_hits": 0}
    assert extraction["grounding"]["share"] == 1.0
    assert set(extraction["per_document"]) == {p.stem for p in (REPO / "evals" / "gold").glob("*.json")}
    qa = report["qa"]
    assert qa["questions"] >= 40 and qa["without_answer"] >= 6
    assert set(qa["pipelines"]) == {"hybrid", "peer"}
    for key in ("offline.indicators.f1", "offline.outline.f1", "qa.hybrid.recall@5", "qa.peer.mrr"):
        assert 0.0 <= report["metrics"][key] <= 1.0


def test_thresholds_gate_and_baseline_deltas(cli, tmp_path: Path):
    base = tmp_path / "base.json"
    assert cli("eval", "--split", "extraction", "--format", "json", "--out", str(base)).exit_code == 0
    # Pretend the baseline was better, so the deltas are negative.
    data = json.loads(base.read_text(encoding="utf-8"))
    data["metrics"]["offline.outline.f1"] = 2.0
    base.write_text(json.dumps(data), encoding="utf-8")
    result = cli("eval", "--split", "extraction", "--format", "md", "--baseline", str(base))
    assert result.exit_code == 0
    assert "(-1.0000)" in result.stdout and "(=)" in result.stdout

    failing = cli("eval", "--split", "extraction", "--format", "json", "--min", "offline.indicators.f1=1.5")
    assert failing.exit_code == 1
    assert failing.stderr.strip().splitlines() == [failing.stderr.strip()]
    assert "offline.indicators.f1=" in failing.stderr and "< 1.5" in failing.stderr

    unknown = cli("eval", "--split", "extraction", "--min", "offline.nothing=0.1")
    assert unknown.exit_code == 1 and "not a metric" in unknown.stderr
    malformed = cli("eval", "--min", "offline.indicators.f1")
    assert malformed.exit_code == 2 and "KEY=NUMBER" in malformed.stderr


@pytest.mark.slow
def test_the_committed_thresholds_hold(cli, corpus_dir):
    # The thresholds gate the development corpus too, as CI runs them.
    result = cli("eval", "--format", "json", "--corpus", str(corpus_dir), "--thresholds", str(REPO / "evals" / "thresholds.json"))
    assert result.exit_code == 0, result.stderr
