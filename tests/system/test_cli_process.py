"""The CLI as users run it: separate processes, start-up imports, help text, the write lock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import SEEDS

HEAVY = ("chromadb", "langchain", "langchain_core", "langchain_openai", "openai", "jieba", "numpy")


def run_rag(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rag", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def test_help_does_not_import_heavy_libraries():
    probe = (
        "import sys\n"
        "from rag.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60).stdout
    assert "LOADED []" in out, out


def test_every_command_has_help_text():
    import typer

    from rag.cli import app

    group = typer.main.get_command(app)
    assert group.help
    names = sorted(group.commands)
    assert {"ingest", "docs", "search", "demo"} <= set(names)
    for name in names:
        command = group.commands[name]
        assert command.help and len(command.help.strip()) > 20, name
        for param in command.params:
            if param.name not in ("ctx",):
                assert getattr(param, "help", None), f"{name} --{param.name} has no help"
        result = run_rag(name, "--help")
        assert result.returncode == 0 and "Usage" in result.stdout


def test_debug_shows_the_traceback(tmp_path: Path):
    plain = run_rag("search", "x", env={"RAG_STORE": str(tmp_path / "empty")})
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    debug = run_rag("search", "x", env={"RAG_STORE": str(tmp_path / "empty"), "RAG_DEBUG": "1"})
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_a_second_writer_waits_for_the_lock_then_completes(tmp_path: Path):
    import threading

    from filelock import FileLock

    store = tmp_path / "store"
    store.mkdir()
    lock = FileLock(str(store / "write.lock"))
    lock.acquire()
    process = subprocess.Popen(
        [sys.executable, "-m", "rag", "--store", str(store), "ingest", str(SEEDS)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    stderr_lines: list[str] = []
    reader = threading.Thread(target=lambda: stderr_lines.extend(process.stderr), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any("waiting" in line for line in stderr_lines):
            assert process.poll() is None, "the second writer exited instead of waiting"
            time.sleep(0.1)
        assert any("waiting" in line for line in stderr_lines), "no waiting message"
        time.sleep(0.5)
        assert process.poll() is None and not (store / "manifest.json").exists(), "it wrote while locked"
    finally:
        lock.release()
    out = process.stdout.read()
    assert process.wait(timeout=120) == 0, stderr_lines
    assert "5 added" in out


def test_two_concurrent_ingests_both_complete_without_duplicates(tmp_path: Path, seeds_copy: Path):
    store = tmp_path / "store"
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "extra.txt").write_text("一、主要目标\n地区生产总值增长6%左右。\n", encoding="utf-8")
    processes = [
        subprocess.Popen([sys.executable, "-m", "rag", "--store", str(store), "ingest", str(folder), "--format", "json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for folder in (seeds_copy, extra)
    ]
    for process in processes:
        _out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
    listing = run_rag("--store", str(store), "docs", "--format", "json")
    import json

    docs = json.loads(listing.stdout)["documents"]
    assert len(docs) == 6
    import chromadb
    from chromadb.config import Settings

    from rag.index.embeddings import HashEmbeddingFunction

    client = chromadb.PersistentClient(path=str(store / "chroma"), settings=Settings(anonymized_telemetry=False))
    ids = client.get_collection("plan_rag", embedding_function=HashEmbeddingFunction()).get(include=[])["ids"]
    assert len(ids) == len(set(ids)) == sum(d["chunks"] for d in docs)


def test_a_question_the_indicator_table_answers_loads_no_search_stack(tmp_path: Path):
    """`比较各省…` is answered from the indicator table: chromadb, langchain, numpy and jieba stay unloaded."""
    reports = tmp_path / "reports"
    reports.mkdir()
    for name, target in (("山西省", "5%左右"), ("陕西省", "5.5%以上")):
        (reports / f"{name}2026.txt").write_text(
            f"2026年{name}政府工作报告\n各位代表：\n一、2025年工作回顾\n全省地区生产总值增长5.1%。\n"
            f"二、2026年工作安排\n今年主要预期目标是：地区生产总值增长{target}。\n", encoding="utf-8")
    env = {"RAG_STORE": str(tmp_path / "store")}
    assert run_rag("ingest", str(reports), env=env).returncode == 0
    out = _output_and_heavy_modules(["ask", "比较各省2026年GDP增长目标"], HEAVY, env)
    assert "山西省 2026年目标" in out and "陕西省 2026年目标" in out, out
    assert "LOADED []" in out, out


def test_a_question_scoped_to_a_region_and_year_searches_without_chroma(tmp_path: Path):
    """A passage question naming its region and year is searched among that report's chunks by exact
    vectors made in the process: chromadb and langchain stay unloaded, and the answer cites the report."""
    env = {"RAG_STORE": str(tmp_path / "store")}
    assert run_rag("ingest", str(SEEDS), env=env).returncode == 0
    out = _output_and_heavy_modules(["ask", "2014年开发区如何优化营商环境？", "--format", "json"], HEAVY[:5], env)
    assert '"citations": [' in out and '"doc_id"' in out, out
    assert "LOADED []" in out, out


def _output_and_heavy_modules(args: list[str], heavy: tuple[str, ...], env: dict[str, str]) -> str:
    """What `rag ARGS` prints in a fresh process, then `LOADED [...]`: which of `heavy` it imported."""
    probe = (
        "import sys\n"
        "from rag.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        f"print('LOADED', [m for m in {heavy!r} if m in sys.modules])\n"
    )
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env={**os.environ, **env}).stdout
