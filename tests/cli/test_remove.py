"""`rag remove`: a document leaves every index at once, and only when every id named is stored."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import SEED_IDS, SEEDS
from test_ingest_cli import chroma_records


def _files(store: Path) -> set[str]:
    return {str(p.relative_to(store)) for folder in ("texts", "tokens", "records") for p in (store / folder).glob("*")}


def test_remove_takes_a_document_out_of_every_index_and_doctor_stays_healthy(cli, store_dir: Path):
    assert cli("ingest", str(SEEDS)).exit_code == 0
    gone, kept = SEED_IDS[0], SEED_IDS[1:]
    before = chroma_records(store_dir)
    files_before = _files(store_dir)

    result = cli("remove", gone, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["removed"] == [gone] and result.json()["chunks"] > 0

    listed = [d["doc_id"] for d in cli("docs", "--format", "json").json()["documents"]]
    assert listed == kept
    after = chroma_records(store_dir)
    assert len(before["ids"]) - len(after["ids"]) == result.json()["chunks"]
    assert all(meta["doc_id"] != gone for meta in after["metadatas"])
    assert len(_files(store_dir)) < len(files_before)
    for query in ("营商环境", "地区生产总值", "招商引资"):  # neither half of hybrid search finds it
        hits = cli("search", query, "--k", "20", "--format", "json").json()["hits"]
        assert hits and all(hit["doc_id"] != gone for hit in hits)
    table = cli("table", "--format", "json")
    assert table.exit_code == 0 and gone not in table.stdout
    doctor = cli("doctor", "--format", "json")
    assert doctor.exit_code == 0 and doctor.json()["healthy"], doctor.stdout


def test_an_unknown_id_removes_nothing_and_names_it(cli, store_dir: Path):
    assert cli("ingest", str(SEEDS)).exit_code == 0
    result = cli("remove", SEED_IDS[0], "no-such-report")
    assert result.exit_code == 1 and "'no-such-report'" in result.stderr and "nothing removed" in result.stderr
    assert not (store_dir / "writing.json").exists()  # nothing began, so no interrupted write to report
    assert len(cli("docs", "--format", "json").json()["documents"]) == len(SEED_IDS)


def test_a_copy_stored_under_another_name_before_duplicates_were_refused_can_be_removed(cli, store_dir: Path, tmp_path: Path):
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEEDS / f"{SEED_IDS[0]}.txt", folder / "original.txt")
    shutil.copy(SEEDS / f"{SEED_IDS[0]}.txt", folder / "copy.txt")
    (folder / "copy.txt").write_text((folder / "copy.txt").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cli("ingest", str(folder)).exit_code == 0  # a trailing newline: two documents, one report
    assert cli("remove", "copy").exit_code == 0
    assert [d["doc_id"] for d in cli("docs", "--format", "json").json()["documents"]] == ["original"]
    assert cli("ingest", str(folder / "original.txt"), "--format", "json").json()["unchanged"] == ["original"]


def test_a_remove_that_fails_after_its_commit_leaves_orphans_only_and_readers_are_told(cli, store_dir: Path, monkeypatch):
    from rag.core.errors import StoreError
    from rag.index.store import Store

    assert cli("ingest", str(SEEDS)).exit_code == 0

    def fail(self, ids):  # as a kill would stop it: after the manifest saved without the document
        raise StoreError("the disk went away")

    with monkeypatch.context() as patched:
        patched.setattr(Store, "delete_chunks", fail)
        assert cli("remove", SEED_IDS[0]).exit_code == 1
    searched = cli("search", "营商环境", "--format", "json")  # the first reader is told (once per process)
    assert "did not finish" in searched.stderr and all(h["doc_id"] != SEED_IDS[0] for h in searched.json()["hits"])
    assert SEED_IDS[0] not in [d["doc_id"] for d in cli("docs", "--format", "json").json()["documents"]]
    doctor = cli("doctor", "--format", "json").json()
    assert not doctor["healthy"] and any("belong to no document" in f["problem"] for f in doctor["findings"])
    assert cli("doctor", "--repair").exit_code == 0
    assert cli("doctor", "--format", "json").json()["healthy"]
    assert json.loads((store_dir / "manifest.json").read_text(encoding="utf-8"))["documents"].keys() == set(SEED_IDS[1:])


def test_a_replaced_version_is_kept_for_readers_until_the_next_write_and_doctor_stays_healthy(cli, store_dir: Path, tmp_path: Path):
    folder = tmp_path / "reports"
    shutil.copytree(SEEDS, folder)
    assert cli("ingest", str(folder)).exit_code == 0
    first = folder / f"{SEED_IDS[0]}.txt"
    texts = []
    for round_number in range(2):
        first.write_text(first.read_text(encoding="utf-8") + f"\n新增绿地{round_number + 1}公顷。\n", encoding="utf-8")
        assert cli("ingest", str(folder)).exit_code == 0
        texts.append(len(list((store_dir / "texts").glob("*.txt"))))
        assert cli("doctor", "--format", "json").json()["healthy"]
    assert texts == [len(SEED_IDS) + 1] * 2  # the one before, for a reader of the previous manifest; no more
