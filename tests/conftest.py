"""Shared fixtures: every store lives in a temp dir, no model keys leak in from the environment.

The tests come in tiers: `unit/` (rules, case tables, scoring: seconds), `cli/` (commands against a
real persistent store), `system/` (a real `chroma run` server, the fake OpenAI-compatible server,
crashes and concurrency; marked `slow`). `pytest -m "not slow"` is the quick local run; CI runs all.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# The helpers beside this file (fake_openai, browser, cli_reference) import by name from any tier.
sys.path.insert(0, str(Path(__file__).resolve().parent))

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
TRADITIONAL_SEED = "004_572a5b6ae4dc3c11"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("RAG_") or name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
            monkeypatch.delenv(name, raising=False)
    store = tmp_path / "store"
    monkeypatch.setenv("RAG_STORE", str(store))
    monkeypatch.chdir(tmp_path)
    return store


@pytest.fixture
def corpus_dir() -> Path:
    """The development corpus beside the repository (../shared/corpus): skipped when absent, except under CI."""
    folder = REPO.parent / "shared" / "corpus"
    if not (folder / "gold").is_dir():
        message = f"the development corpus is absent: {folder}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return folder


@pytest.fixture
def store_dir(isolated_env: Path) -> Path:
    return isolated_env


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds ingested once per test session (offline engine, local store); tests get a copy."""
    from rag.app import ingest_paths
    from rag.core.settings import Settings
    from rag.index.store import Store

    folder = tmp_path_factory.mktemp("seeded") / "store"
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("RAG_") or name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
                patch.delenv(name, raising=False)
        report = ingest_paths([SEEDS], Store(Settings(store=folder)))
    assert sorted(report.added) == SEED_IDS and not report.skipped
    return folder


@pytest.fixture
def seeded(cli, isolated_env: Path, seeded_template: Path):
    """`cli` over a store holding the seeds (a copy of the session's, so a test may change it)."""
    shutil.copytree(seeded_template, isolated_env)
    return cli


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample corpus."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        return json.loads(self.stdout)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run `rag ARGS` in-process through the real entry point (error handling included)."""
    from rag.cli import main

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


@pytest.fixture
def fake_openai():
    from fake_openai import FakeOpenAI

    server = FakeOpenAI().start()
    yield server
    server.stop()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/system/ is slow: it starts servers, kills processes, races writers."""
    system = Path(__file__).resolve().parent / "system"
    for item in items:
        if system in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.slow)
