"""Extraction with a model, against a local fake OpenAI-compatible server (real client, real HTTP)."""

from __future__ import annotations

import json
import re
import time

import pytest
from conftest import SEEDS

from rag.ingest.loading import load_document

KEY = "sk-extract-marker-4242"
DOC = SEEDS / "002_89cb96821d4ce65b.txt"  # seven top-level sections, no year


@pytest.fixture
def model(fake_openai, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("RAG_MAX_RETRIES", "0")
    monkeypatch.setenv("RAG_REQUEST_TIMEOUT", "5")
    monkeypatch.setenv("RAG_CONCURRENCY", "1")  # replies are scripted in order
    return fake_openai


def section_of(request) -> str:
    user = next(m["content"] for m in request.body["messages"] if m["role"] == "user")
    return re.search(r"<section>\n(.*)\n</section>", user, re.S).group(1)


def reading(request, extra: list | None = None):
    """A plausible model: one indicator per `N%` in the section, quoted from it."""
    section = section_of(request)
    items = [{"metric": "指标", "change": "level", "value": float(m.group(1)), "unit": "%", "comparator": "exact",
              "kind": "target", "year": None, "hedge": None, "quote": m.group()} for m in re.finditer(r"(\d+(?:\.\d+)?)%", section)]
    return {"indicators": items + (extra or []), "slogans": []}


def sections(stderr: str) -> int:
    return int(re.search(r"(\d+) sections", stderr).group(1))


def extract(cli, *extra):
    result = cli("extract", str(DOC), "--engine", "openai", "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return result, result.json()


def test_a_valid_reply_becomes_grounded_indicators(cli, model):
    model.chat += [reading] * 10
    result, record = extract(cli)
    text = load_document(DOC).text
    percents = [i for i in record["indicators"] if i["unit"] == "%"]
    assert {i["value"] for i in percents} >= {50.0, 10.0, 99.0, 35.0, 30.0, 98.0}
    for item in record["indicators"]:
        assert text[item["span"][0] : item["span"][1]] == item["quote"]
    assert len(record["outline"]) == 7  # the outline comes from the rules
    assert sections(result.stderr) == len(model.chat_requests()) == 7  # one request per top-level section
    assert KEY not in result.stdout + result.stderr


def test_a_hallucinated_quote_is_dropped_and_counted(cli, model):
    invented = {"metric": "GDP", "change": "growth", "value": 99.0, "unit": "%", "comparator": "exact", "kind": "target",
                "year": None, "hedge": None, "quote": "地区生产总值增长99%以上"}
    model.chat += [lambda r: reading(r, [invented])] * 10
    result, record = extract(cli)
    assert all("地区生产总值增长99" not in i["quote"] for i in record["indicators"])
    dropped = int(re.search(r"(\d+) not found and dropped", result.stderr).group(1))
    assert dropped == len(model.chat_requests())


def test_a_traditional_or_width_variant_quote_is_aligned_to_the_original(cli, model):
    def variant(request):
        reply = reading(request)
        for item in reply["indicators"]:
            item["quote"] = item["quote"].replace("%", "％")  # the model wrote full-width
        return reply

    model.chat += [variant] * 10
    result, record = extract(cli)
    assert record["indicators"] and all("％" not in i["quote"] for i in record["indicators"])
    # The summary says how each item was placed: the full-width quotes by folding.
    placed = re.search(r"items placed in the text (\d+) exact, (\d+) folded, (\d+) fuzzy", result.stderr)
    assert placed is not None and int(placed.group(2)) > 0


def test_invalid_json_is_re_asked_then_accepted(cli, model):
    model.chat += ["{not json", reading] + [reading] * 10
    result, _record = extract(cli)
    retry = model.chat_requests()[1]
    assert "failed validation" in json.dumps(retry.body["messages"], ensure_ascii=False)
    assert "0 fell back" in result.stderr


def test_a_schema_violation_twice_falls_back_to_the_rules_for_that_section(cli, model):
    wrong = {"indicators": [{"metric": "x", "change": "soaring", "value": "lots"}]}
    model.chat += [wrong, wrong] + [reading] * 10
    result, record = extract(cli)
    assert "1 fell back to rules" in result.stderr
    # The first section's indicators are the rule engine's, and still grounded.
    assert any(i["unit"] == "亿元" for i in record["indicators"])


def test_429_with_retry_after_is_retried(cli, model, monkeypatch):
    monkeypatch.setenv("RAG_MAX_RETRIES", "2")
    model.chat += [(429, {"retry-after": "1"}, {"error": {"message": "slow down", "type": "rate_limit"}})] + [reading] * 10
    started = time.monotonic()
    result, _ = extract(cli)
    assert time.monotonic() - started >= 1.0
    assert "0 fell back" in result.stderr
    assert len(model.chat_requests()) == 1 + sections(result.stderr)  # the refused one, then one per section


def test_500_without_retries_falls_back_for_that_section(cli, model):
    model.chat += [(500, {}, {"error": {"message": "boom", "type": "server_error"}})] + [reading] * 10
    result, _ = extract(cli)
    assert "1 fell back to rules" in result.stderr and "model request failed" in result.stderr


def test_a_reply_slower_than_the_timeout_falls_back_without_hanging(cli, model, monkeypatch):
    monkeypatch.setenv("RAG_REQUEST_TIMEOUT", "0.3")
    model.delay_seconds = 2
    model.chat += [reading] * 10
    started = time.monotonic()
    result, record = extract(cli)
    # The command's budget of failed requests spent, the model is not asked again for the rest.
    assert time.monotonic() - started < 8
    assert len(model.chat_requests()) == 6  # RAG_MAX_FAILED_REQUESTS' default
    assert f"{sections(result.stderr)} fell back to rules" in result.stderr and "not asked again" in result.stderr
    assert record["indicators"], "the rules still give the record"


def test_a_cache_hit_sends_no_request(cli, model):
    model.chat += [reading] * 20
    _, first = extract(cli)
    sent = len(model.chat_requests())
    result, second = extract(cli)
    assert len(model.chat_requests()) == sent, "the second run was served from the cache"
    assert first == second
    assert f"{sent} cache hits" in result.stderr
    _bypass, _ = extract(cli, "--no-cache")
    assert len(model.chat_requests()) == 2 * sent


def test_json_mode_sends_the_schema_in_the_prompt(cli, model, monkeypatch):
    monkeypatch.setenv("RAG_LLM_METHOD", "json_mode")
    model.chat += [reading] * 10
    extract(cli)
    request = model.chat_requests()[0]
    assert request.body["response_format"] == {"type": "json_object"}
    system = next(m["content"] for m in request.body["messages"] if m["role"] == "system")
    assert "JSON Schema" in system and '"indicators"' in system


def test_a_corrupted_cache_is_reported_and_rebuilt(cli, model, store_dir):
    store_dir.mkdir(parents=True, exist_ok=True)
    (store_dir / "llm-cache.sqlite").write_bytes(b"this is not a database" * 100)
    model.chat += [reading] * 10
    result, _ = extract(cli)
    assert "unreadable" in result.stderr and "rebuilt" in result.stderr
    assert list(store_dir.glob("llm-cache.sqlite.corrupt-*"))


def test_eval_scores_the_model_engine_beside_the_rules_and_leaks_no_key(cli, model, tmp_path, store_dir):
    model.chat += [reading] * 200
    out = tmp_path / "report.json"
    result = cli("eval", "--split", "extraction", "--engine", "all", "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert set(report["extraction"]) == {"offline", "openai"}
    openai = report["extraction"]["openai"]
    assert openai["cost"]["llm_calls"] == len(model.chat_requests()) > 0
    assert openai["grounding"]["share"] == 1.0
    assert report["config"]["settings"]["llm_model"] == "gpt-4o-mini"
    assert "openai.indicators.f1" in report["metrics"]
    written = [p for p in [*list(store_dir.rglob("*")), out] if p.is_file()]
    assert written and all(KEY.encode() not in p.read_bytes() for p in written)
    assert KEY not in result.stdout + result.stderr


@pytest.mark.parametrize("broken", ["500", "garbage"])
def test_a_broken_server_costs_a_fixed_number_of_requests_and_the_command_says_so(cli, model, monkeypatch, broken):
    """One breaker for the command: every failed request and every reply that does not validate
    (re-asks included, concurrent sections included) spends it; then the rules take over."""
    monkeypatch.setenv("RAG_MAX_FAILED_REQUESTS", "4")
    failure = (500, {}, {"error": {"message": "boom", "type": "server_error"}}) if broken == "500" else "{not json"
    model.chat += [failure] * 50
    result, record = extract(cli)
    assert len(model.chat_requests()) == 4
    assert "not asked again" in result.stderr and f"{sections(result.stderr)} fell back to rules" in result.stderr
    assert record["indicators"], "the rules still give the record"


def test_model_slogans_are_placed_in_the_text_and_unplaceable_ones_dropped(cli, model):
    def with_slogans(request):
        reply = reading(request)
        section = section_of(request)
        if "“1+4”" in section:
            reply["slogans"] = [
                # Quoted as written: it lands on the text's own words.
                {"name": "“1+4”", "count": None, "items": [], "quote": "“1+4”招商体系"},
                # A set the document never names is dropped, whatever the model says.
                {"name": "七大法宝", "count": 7, "items": [], "quote": "“七大法宝”"},
            ]
        return reply

    model.chat += [with_slogans] * 10
    result, record = extract(cli)
    text = load_document(DOC).text
    names = {s["name"]: s for s in record["slogans"]}
    assert "1+4" in names and "七大法宝" not in names
    for slogan in record["slogans"]:
        assert text[slogan["span"][0] : slogan["span"][1]] == slogan["quote"]
    assert int(re.search(r"(\d+) not found and dropped", result.stderr).group(1)) >= 1
