"""Against a real `chroma run` server on loopback: ingest and search through --chroma-url."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import SEED_IDS, SEEDS, TRADITIONAL_SEED

pytestmark = pytest.mark.server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chroma_binary() -> str:
    beside = Path(sys.executable).parent / "chroma"
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        pytest.fail("the `chroma` command from the chromadb package is not installed")
    return found


@pytest.fixture
def chroma_server(tmp_path: Path):
    port = free_port()
    log = open(tmp_path / "chroma.log", "w")  # noqa: SIM115 (the server writes to it until the fixture ends)
    process = subprocess.Popen(
        [chroma_binary(), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as reply:
                if reply.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"chroma server did not start: {(tmp_path / 'chroma.log').read_text()[-2000:]}")
        time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def test_ingest_and_search_through_a_chroma_server(cli, chroma_server: str, store_dir: Path):
    result = cli("--chroma-url", chroma_server, "ingest", str(SEEDS), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert sorted(report["added"]) == SEED_IDS
    assert not (store_dir / "chroma").exists(), "vectors went to the server, not a local Chroma"

    import chromadb

    from rag.index.embeddings import HashEmbeddingFunction

    _host, port = chroma_server.rsplit(":", 1)
    client = chromadb.HttpClient(host="127.0.0.1", port=int(port))
    collection = client.get_collection("plan_rag", embedding_function=HashEmbeddingFunction())
    assert collection.count() == report["chunks"]

    again = cli("--chroma-url", chroma_server, "ingest", str(SEEDS), "--format", "json").json()
    assert again["unchanged"] == SEED_IDS and collection.count() == report["chunks"]

    hits = cli("--chroma-url", chroma_server, "search", "章丘六大突破 营商环境", "--format", "json").json()["hits"]
    assert hits[0]["doc_id"] == TRADITIONAL_SEED
    assert any(h["dense_rank"] is not None for h in hits), "the server answered the dense side"


def test_a_server_that_is_down_is_a_one_line_error(cli):
    url = f"http://127.0.0.1:{free_port()}"
    result = cli("--chroma-url", url, "ingest", str(SEEDS / "000_6df439c02bdb466d.txt"))
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "cannot reach the Chroma server" in lines[0] and url in lines[0]
