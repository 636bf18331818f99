"""CLI tests against a real persistent Chroma store: output, store contents, idempotence, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings
from conftest import SEED_IDS, SEEDS, TRADITIONAL_SEED

from rag.ingest.loading import load_document


def chroma_records(store: Path) -> dict:
    client = chromadb.PersistentClient(path=str(store / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    from rag.index.embeddings import HashEmbeddingFunction

    collection = client.get_collection("plan_rag", embedding_function=HashEmbeddingFunction())
    return collection.get(include=["metadatas"])


def stored_text(store: Path, doc_id: str) -> str:
    manifest = json.loads((store / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["documents"][doc_id]
    with open(store / "texts" / entry["text_file"], encoding="utf-8", newline="") as handle:
        return handle.read()


def test_ingest_seeds_then_every_chunk_slices_the_stored_original(cli, store_dir: Path):
    result = cli("ingest", str(SEEDS), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert sorted(report["added"]) == SEED_IDS and report["skipped"] == []

    records = chroma_records(store_dir)
    assert len(records["ids"]) == report["chunks"] > 0
    manifest = json.loads((store_dir / "manifest.json").read_text(encoding="utf-8"))
    from rag.ingest.chunking import chunk_document

    chunks = {doc_id: chunk_document(doc_id, load_document(SEEDS / f"{doc_id}.txt").text) for doc_id in SEED_IDS}
    seen_docs = set()
    for chunk_id, meta in zip(records["ids"], records["metadatas"]):
        index = int(chunk_id.rsplit(":", 1)[1])
        start, end, section = manifest["documents"][meta["doc_id"]]["chunks"][index]
        assert (meta["start"], meta["end"]) == (start, end)
        text = stored_text(store_dir, meta["doc_id"])
        chunk = chunks[meta["doc_id"]][index]
        assert text[start:end] == chunk.text and (start, end) == tuple(chunk.span) and section == chunk.section
        seen_docs.add(meta["doc_id"])
    assert sorted(seen_docs) == SEED_IDS
    # The stored text is the decoded original, byte for byte once re-encoded.
    for doc_id in SEED_IDS:
        assert stored_text(store_dir, doc_id) == load_document(SEEDS / f"{doc_id}.txt").text


def test_reingest_is_idempotent_and_a_changed_file_replaces_its_chunks(cli, store_dir: Path, seeds_copy: Path):
    first = cli("ingest", str(seeds_copy), "--format", "json").json()
    again = cli("ingest", str(seeds_copy), "--format", "json").json()
    assert again["unchanged"] == sorted(SEED_IDS) and again["added"] == [] and again["chunks"] == 0
    assert len(chroma_records(store_dir)["ids"]) == first["chunks"]

    changed = seeds_copy / "002_89cb96821d4ce65b.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n八、附则\n本计划自发布之日起施行。\n", encoding="utf-8")
    third = cli("ingest", str(seeds_copy), "--format", "json").json()
    assert third["replaced"] == ["002_89cb96821d4ce65b"] and len(third["unchanged"]) == 4

    records = chroma_records(store_dir)
    ids_002 = [i for i, m in zip(records["ids"], records["metadatas"]) if m["doc_id"] == "002_89cb96821d4ce65b"]
    assert len(ids_002) == third["chunks"]
    assert len(set(i.split(":")[1] for i in ids_002)) == 1, "no chunk of the old version is left"
    assert len(records["ids"]) == len(set(records["ids"]))
    assert "本计划自发布之日起施行" in stored_text(store_dir, "002_89cb96821d4ce65b")
    # The replaced text stays until the next write, for readers that loaded the older manifest.
    assert len(list((store_dir / "texts").iterdir())) == 6
    cli("ingest", str(seeds_copy))
    assert len(list((store_dir / "texts").iterdir())) == 5


def test_bad_files_are_skipped_with_one_line_each_and_the_batch_goes_on(cli, tmp_path: Path, store_dir: Path):
    batch = tmp_path / "batch"
    batch.mkdir()
    report = "一、主要目标\r\n地区生产总值增长8%以上。\r\n二、重点任务\r\n扩大有效投资。\r\n"
    (batch / "gbk_crlf.txt").write_bytes(report.encode("gbk"))
    (batch / "utf16.txt").write_bytes(report.replace("8%", "9%").encode("utf-16"))
    (batch / "empty.txt").write_bytes(b"")
    (batch / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    result = cli("ingest", str(batch), "--format", "json")
    assert result.exit_code == 1
    payload = result.json()
    assert sorted(payload["added"]) == ["gbk_crlf", "utf16"]
    skipped = {Path(s["path"]).name: s["reason"] for s in payload["skipped"]}
    assert set(skipped) == {"empty.txt", "photo.txt"}
    error_lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(error_lines) == 2
    assert any("empty.txt" in line and "empty file" in line for line in error_lines)
    assert any("photo.txt" in line and "PNG" in line for line in error_lines)
    assert "Traceback" not in result.stderr
    # CRLF survives into the store and into search results.
    hits = cli("search", "地区生产总值增长目标", "--doc", "gbk_crlf", "--format", "json").json()["hits"]
    assert hits and "\r\n" in stored_text(store_dir, "gbk_crlf")
    for hit in hits:
        assert stored_text(store_dir, "gbk_crlf")[hit["span"][0] : hit["span"][1]] == hit["text"]


def test_simplified_query_finds_the_traditional_document(cli):
    cli("ingest", str(SEEDS))
    hits = cli("search", "章丘布局126 六大突破 双招双引", "--k", "3", "--format", "json").json()["hits"]
    assert hits[0]["doc_id"] == TRADITIONAL_SEED
    assert any("雙招雙引" in h["text"] for h in hits)


def test_domain_abbreviations_expand_the_query(cli):
    cli("ingest", str(SEEDS))
    hits = cli("search", "GDP增长目标", "--k", "3", "--format", "json").json()["hits"]
    assert any("地区生产总值同比增长8%以上" in h["text"] for h in hits)


def test_search_text_output_and_doc_filter(cli):
    cli("ingest", str(SEEDS))
    result = cli("search", "招商引资", "--doc", "002_89cb96821d4ce65b", "--k", "2")
    assert result.exit_code == 0
    assert "[1] 002_89cb96821d4ce65b" in result.stdout and "[2] 002_89cb96821d4ce65b" in result.stdout
    assert "001_" not in result.stdout
    payload = cli("search", "招商引资", "--doc", "002_89cb96821d4ce65b", "--format", "json").json()
    assert {h["doc_id"] for h in payload["hits"]} == {"002_89cb96821d4ce65b"}
    assert all(set(h) >= {"doc_id", "section", "span", "score", "text"} for h in payload["hits"])


def test_docs_lists_documents(cli):
    cli("ingest", str(SEEDS))
    payload = cli("docs", "--format", "json").json()
    assert [d["doc_id"] for d in payload["documents"]] == SEED_IDS
    assert all(d["chunks"] > 0 and d["chars"] > 0 for d in payload["documents"])
    assert "004_572a5b6ae4dc3c11" in cli("docs").stdout


def test_store_option_and_json_stdout_is_pure(cli, tmp_path: Path):
    other = tmp_path / "elsewhere"
    result = cli("--store", str(other), "ingest", str(SEEDS / "000_6df439c02bdb466d.txt"), "--format", "json")
    assert result.exit_code == 0
    json.loads(result.stdout)
    assert (other / "manifest.json").exists()


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("search", "地区生产总值"), 1, "holds no documents"),
        (("search",), 2, "Missing argument"),
        (("search", "x", "--k", "0"), 2, "--k"),
        (("ingest", "no/such/file.txt"), 1, "no such file"),
        (("--chroma-url", "ftp://x", "docs"), 1, "must start with http"),
        (("frobnicate",), 2, "No such command"),
        (("ask", "  "), 2, "the question is empty"),
        (("search", ""), 2, "the query is empty"),
    ],
)
def test_errors_are_one_line_on_stderr(cli, args, code, fragment):
    result = cli(*args)
    assert result.exit_code == code
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert fragment in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["search", "ask"])
def test_unknown_doc_filter_is_an_error(cli, command):
    cli("ingest", str(SEEDS))
    result = cli(command, "招商", "--doc", "nope")
    assert result.exit_code == 1 and "no document 'nope'" in result.stderr and "KeyError" not in result.stderr


def test_demo_runs_offline(cli):
    result = cli("demo", "--format", "json")
    assert result.exit_code == 0, result.stderr
    payload = result.json()
    assert sorted(payload["ingest"]["added"]) == SEED_IDS
    first = payload["searches"][0]
    assert first["hits"][0]["doc_id"] == "001_79fffe570bc6bca6"
    # The tour's answers: a target with its citation, a slogan's members, and a year no document plans.
    target, slogan, absent = payload["answers"]
    assert target["found"] and "8%以上" in target["answer"] and target["citations"][0]["quote"] == "地区生产总值同比增长8%以上"
    assert slogan["found"] and all(word in slogan["answer"] for word in ("六大突破",)) and slogan["citations"]
    assert not absent["found"] and absent["citations"] == []
    # The briefing it writes is a self-contained page naming every sample document.
    page = Path(payload["briefing"]).read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script src=" not in page and "http://" not in page.replace("http://www.w3.org", "")
    assert all(doc_id in page for doc_id in SEED_IDS)


def test_meta_sets_facts_that_survive_reingest_and_bad_meta_is_one_line(cli, tmp_path: Path):
    meta = tmp_path / "facts.csv"
    meta.write_text("doc_id,region,region_parent,plan_year\n002_89cb96821d4ce65b,海拉尔区,呼伦贝尔市,2019\nnot-stored,安徽省,,\n", encoding="utf-8")
    first = cli("ingest", str(SEEDS), "--meta", str(meta))
    assert first.exit_code == 0 and "not-stored" in first.stderr
    cli("ingest", str(SEEDS))  # unchanged files: the facts set stay
    docs = {d["doc_id"]: d for d in cli("docs", "--format", "json").json()["documents"]}
    zone = docs["002_89cb96821d4ce65b"]
    assert (zone["region"], zone["region_parent"], zone["plan_year"]) == ("海拉尔区", "呼伦贝尔市", 2019)
    assert {"region", "plan_year"} <= set(zone["overridden"])
    assert docs["001_79fffe570bc6bca6"]["overridden"] == []
    bad = tmp_path / "bad.csv"
    bad.write_text("doc_id,plan_year\n001_79fffe570bc6bca6,next year\n", encoding="utf-8")
    result = cli("ingest", "--meta", str(bad))
    assert result.exit_code == 2 and str(bad) in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_same_file_name_in_two_folders_keeps_both_and_same_bytes_are_a_duplicate(cli, tmp_path: Path):
    seed = (SEEDS / "001_79fffe570bc6bca6.txt").read_bytes()
    other = (SEEDS / "003_d4342bbcb50befa8.txt").read_bytes()
    (tmp_path / "2024").mkdir()
    (tmp_path / "2025").mkdir()
    (tmp_path / "2024" / "报告.txt").write_bytes(seed)
    (tmp_path / "2025" / "报告.txt").write_bytes(other)
    first = cli("ingest", str(tmp_path / "2024"), str(tmp_path / "2025"), "--format", "json").json()
    assert sorted(first["added"]) == ["报告", "报告~2025"] and first["skipped"] == []
    # Ingested again, each path keeps its own id, whatever order the folders come in.
    again = cli("ingest", str(tmp_path / "2025"), str(tmp_path / "2024"), "--format", "json").json()
    assert sorted(again["unchanged"]) == ["报告", "报告~2025"] and again["added"] == []
    docs = {d["doc_id"]: d["source"] for d in cli("docs", "--format", "json").json()["documents"]}
    assert Path(docs["报告"]).parent.name == "2024" and Path(docs["报告~2025"]).parent.name == "2025"

    copy = tmp_path / "copy of report.txt"
    copy.write_bytes(seed)
    duplicate = cli("ingest", str(copy), "--format", "json")
    assert duplicate.exit_code == 0
    [skipped] = duplicate.json()["duplicates"]
    assert duplicate.json()["skipped"] == [] and "same content" in duplicate.stderr
    assert skipped["path"] == str(copy) and "'报告'" in skipped["reason"] and "same content" in skipped["reason"]
    assert duplicate.json()["added"] == []


def test_a_moved_file_keeps_its_id(cli, tmp_path: Path):
    old = tmp_path / "old" / "报告.txt"
    old.parent.mkdir()
    old.write_bytes((SEEDS / "001_79fffe570bc6bca6.txt").read_bytes())
    assert cli("ingest", str(old), "--format", "json").json()["added"] == ["报告"]
    moved = tmp_path / "new" / "报告.txt"
    moved.parent.mkdir()
    old.rename(moved)
    report = cli("ingest", str(moved), "--format", "json").json()
    assert report["added"] == [] and report["unchanged"] == ["报告"]
    renamed = tmp_path / "new" / "renamed.txt"
    moved.rename(renamed)
    report = cli("ingest", str(renamed), "--format", "json").json()
    assert report["added"] == [] and report["unchanged"] == ["报告"] and report["skipped"] == []
    docs = cli("docs", "--format", "json").json()["documents"]
    assert [(d["doc_id"], d["source"]) for d in docs] == [("报告", str(renamed.absolute()))]


def test_a_file_that_only_shares_a_name_never_replaces_a_stored_document(cli, tmp_path: Path):
    first, second, third = [(SEEDS / f"{d}.txt").read_bytes() for d in SEED_IDS[:3]]
    old = tmp_path / "old" / "报告.txt"
    old.parent.mkdir()
    old.write_bytes(first)
    cli("ingest", str(old))
    # Moved under its own name: one document, its source follows the file.
    moved = tmp_path / "new" / "报告.txt"
    moved.parent.mkdir()
    old.rename(moved)
    assert cli("ingest", str(moved), "--format", "json").json()["unchanged"] == ["报告"]
    # Another report with that name, the moved one still on disk: both kept.
    other = tmp_path / "other" / "报告.txt"
    other.parent.mkdir()
    other.write_bytes(second)
    report = cli("ingest", str(other), "--format", "json").json()
    assert report["added"] == ["报告~other"] and report["replaced"] == []
    # The stored file gone, a different file of that name: kept beside it, not a replacement.
    moved.unlink()
    stranger = tmp_path / "third" / "报告.txt"
    stranger.parent.mkdir()
    stranger.write_bytes(third)
    report = cli("ingest", str(stranger), "--format", "json").json()
    assert report["replaced"] == [] and report["added"] == ["报告~third"]
    docs = {d["doc_id"] for d in cli("docs", "--format", "json").json()["documents"]}
    assert docs == {"报告", "报告~other", "报告~third"}


@pytest.mark.parametrize("copy_first", [True, False])
def test_a_copy_kept_before_an_edit_is_stored_when_the_original_changes(cli, tmp_path: Path, copy_first: bool):
    original = tmp_path / "a" / "报告.txt"
    original.parent.mkdir()
    original.write_bytes((SEEDS / f"{SEED_IDS[0]}.txt").read_bytes())
    cli("ingest", str(original))
    keep = tmp_path / "keep" / "报告-2024.txt"
    keep.parent.mkdir()
    keep.write_bytes(original.read_bytes())
    original.write_bytes((SEEDS / f"{SEED_IDS[1]}.txt").read_bytes())
    paths = [str(keep), str(original)] if copy_first else [str(original), str(keep)]
    report = cli("ingest", *paths, "--format", "json").json()
    assert report["replaced"] == ["报告"] and report["added"] == ["报告-2024"] and report["duplicates"] == []


def test_ingest_and_docs_name_the_same_store(cli, store_dir: Path):
    ingested = cli("ingest", str(SEEDS), "--format", "json").json()
    listed = cli("docs", "--format", "json").json()
    assert ingested["store"] == listed["store"] == str(store_dir)
    assert ingested["chroma"] == str(store_dir / "chroma")


def test_an_unprintable_file_name_gives_a_printable_id_and_keeps_the_name_as_source(cli, tmp_path: Path):
    odd = tmp_path / "报告\n2025\t草稿.txt"
    odd.write_bytes((SEEDS / f"{SEED_IDS[0]}.txt").read_bytes())
    plain = tmp_path / "报告_2025_草稿.txt"
    plain.write_bytes((SEEDS / f"{SEED_IDS[1]}.txt").read_bytes())
    report = cli("ingest", str(odd), str(plain), "--format", "json").json()
    assert len(report["added"]) == 2 and all(doc_id.isprintable() for doc_id in report["added"])
    docs = {d["doc_id"]: d["source"] for d in cli("docs", "--format", "json").json()["documents"]}
    assert docs["报告_2025_草稿"] in (str(odd), str(plain)) and len(set(docs)) == 2
    assert str(odd) in docs.values()
    assert cli("docs").exit_code == 0
