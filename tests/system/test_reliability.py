"""Reliability: bad input, crashes, concurrency and hostile conditions lose nothing and fail clearly."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEEDS

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "evals" / "bench"))


def rag(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rag", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    from generate import generate

    folder = tmp_path_factory.mktemp("corpus")
    generate(40, folder, seed=7)
    return folder


def test_every_kind_of_bad_input_gets_one_line_and_the_batch_goes_on(cli, tmp_path: Path):
    batch = tmp_path / "batch"
    batch.mkdir()
    good = "一、主要目标\n地区生产总值增长8%以上。\n"
    files = {
        "empty.txt": b"",
        "blank.txt": b"  \r\n\t\r\n",
        "photo.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        "archive.txt": b"PK\x03\x04" + bytes(range(256)) * 8,
        "nul.txt": b"\x00\x01\x02\x03" * 500,
    }
    for name, data in files.items():
        (batch / name).write_bytes(data)
    (batch / "truncated gbk.txt").write_bytes((good * 3).encode("gbk")[:-1])
    (batch / "mixed.txt").write_bytes("第一行是UTF-8。\n".encode() + "第二行是GBK。\n".encode("gbk"))
    (batch / "utf16.txt").write_bytes(good.encode("utf-16-le"))
    (batch / "utf16bom.txt").write_bytes(good.encode("utf-16"))
    (batch / "长行 无标点.txt").write_text("数" * 200_000, encoding="utf-8")
    (batch / "dangling.txt").symlink_to(batch / "missing-target.txt")
    (batch / "loop.txt").symlink_to(batch / "loop.txt")
    os.mkfifo(batch / "pipe.txt")
    (batch / "big.txt").write_bytes(b"a" * (3 * 2**20))
    result = cli("ingest", str(batch), "--format", "json")
    assert result.exit_code == 1, result.stderr
    assert result.stdout, result.stderr
    payload = result.json()
    assert sorted(payload["added"]) == sorted(["truncated gbk", "mixed", "utf16", "utf16bom", "长行 无标点", "big"])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    skipped = {"empty.txt", "blank.txt", "photo.txt", "archive.txt", "nul.txt", "dangling.txt", "loop.txt", "pipe.txt"}
    assert len(lines) == len(skipped), lines
    for name in skipped:
        assert sum(name in line for line in lines) == 1, name
    mixed = cli("search", "第二行是GBK", "--doc", "mixed", "--format", "json").json()["hits"][0]["text"]
    assert "第一行是UTF-8。" in mixed and "第二行是GBK。" in mixed


def test_a_file_over_the_size_limit_is_skipped_with_the_limit_named(cli, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("RAG_MAX_FILE_MB", "1")
    (tmp_path / "dump.txt").write_bytes(("地区生产总值增长8%。" * 200_000).encode())
    result = cli("ingest", str(tmp_path / "dump.txt"))
    assert result.exit_code == 1 and "RAG_MAX_FILE_MB" in result.stderr and "dump.txt" in result.stderr


def test_thousands_of_small_files(cli, tmp_path: Path):
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(2000):
        (folder / f"note-{number:04d}.txt").write_text(f"一、目标\n第{number}号通知：新建道路{number % 97 + 1}公里。\n", encoding="utf-8")
    result = cli("ingest", str(folder), "--format", "json")
    assert result.exit_code == 0 and len(result.json()["added"]) == 2000
    assert rag("doctor", env={"RAG_STORE": os.environ["RAG_STORE"]}).returncode == 0


def test_kill_9_during_ingest_then_ingest_again_leaves_a_consistent_store(corpus: Path, tmp_path: Path):
    store = tmp_path / "store"
    env = {**os.environ, "RAG_STORE": str(store)}
    chooser = random.Random(11)
    kills = 0
    for _ in range(4):
        process = subprocess.Popen([sys.executable, "-m", "rag", "ingest", str(corpus)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chooser.uniform(0.8, 4.0))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
    assert kills >= 2
    final = rag("ingest", str(corpus), "--format", "json", env={"RAG_STORE": str(store)})
    assert final.returncode == 0, final.stderr
    report = json.loads(rag("doctor", "--format", "json", env={"RAG_STORE": str(store)}).stdout)
    assert report["healthy"], report["findings"]
    assert report["documents"] == 40


def test_ask_during_an_ingest_answers_from_a_consistent_state(corpus: Path, tmp_path: Path):
    store = tmp_path / "store"
    env = {"RAG_STORE": str(store)}
    assert rag("ingest", str(SEEDS), env=env).returncode == 0
    writer = subprocess.Popen([sys.executable, "-m", "rag", "ingest", str(corpus)], env={**os.environ, **env},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    answers = []
    while writer.poll() is None and len(answers) < 6:
        result = rag("ask", "2014年开发区地区生产总值的增长目标是多少？", "--engine", "offline", "--format", "json", env=env)
        assert result.returncode == 0, result.stderr
        answers.append(result.stdout)
    assert writer.wait(timeout=300) == 0
    assert answers, "the ingest finished before any question was asked"
    from rag.ingest.loading import load_document

    for raw in answers:
        payload = json.loads(raw)
        assert "8%" in payload["answer"]
        for citation in payload["citations"]:
            text = load_document(SEEDS / f"{citation['doc_id']}.txt").text
            assert text[citation["span"][0] : citation["span"][1]] == citation["quote"]


def test_a_corrupted_manifest_is_reported_then_rebuilt(cli, store_dir: Path):
    assert cli("ingest", str(SEEDS)).exit_code == 0
    (store_dir / "manifest.json").write_text("{ this is not json", encoding="utf-8")
    broken = cli("search", "地区生产总值")
    assert broken.exit_code == 1 and "manifest" in broken.stderr and len(broken.stderr.strip().splitlines()) == 1
    assert cli("doctor").exit_code == 1
    repaired = cli("doctor", "--repair", "--format", "json")
    assert repaired.exit_code == 0 and repaired.json()["documents"] == 5
    hits = cli("search", "章丘六大突破", "--format", "json").json()["hits"]
    assert hits[0]["doc_id"] == "004_572a5b6ae4dc3c11"
    assert cli("doctor").exit_code == 0


def test_doctor_finds_and_repairs_orphan_and_missing_vectors(cli, store_dir: Path):
    assert cli("ingest", str(SEEDS)).exit_code == 0
    import chromadb
    from chromadb.config import Settings

    from rag.index.embeddings import HashEmbeddingFunction

    client = chromadb.PersistentClient(path=str(store_dir / "chroma"), settings=Settings(anonymized_telemetry=False))
    collection = client.get_collection("plan_rag", embedding_function=HashEmbeddingFunction())
    ids = collection.get(include=[])["ids"]
    collection.delete(ids=ids[:3])
    collection.add(ids=["ghost:000000000000:0"], embeddings=[[0.1] * 512], metadatas=[{"doc_id": "ghost", "start": 0, "end": 2}])
    check = cli("doctor", "--format", "json")
    assert check.exit_code == 1
    problems = " ".join(f["problem"] for f in check.json()["findings"])
    assert "3 chunk(s)" in problems and "1 vector(s)" in problems
    assert cli("doctor", "--repair").exit_code == 0
    assert cli("doctor").exit_code == 0
    assert len(collection.get(include=[])["ids"]) == len(ids)


def test_a_lost_lexical_segment_and_lost_term_files_are_found_and_rebuilt(cli, store_dir: Path):
    import shutil

    assert cli("ingest", str(SEEDS)).exit_code == 0
    before = cli("search", "章丘六大突破", "--format", "json").json()["hits"]
    for segment in (store_dir / "lexical").glob("s*"):
        shutil.rmtree(segment)
    for terms in (store_dir / "tokens").glob("*.npz"):
        terms.unlink()
    broken = cli("search", "章丘六大突破")
    assert broken.exit_code == 1 and "lexical" in broken.stderr and len(broken.stderr.strip().splitlines()) == 1
    check = cli("doctor", "--format", "json")
    assert check.exit_code == 1 and "lexical index is unreadable" in " ".join(f["problem"] for f in check.json()["findings"])
    assert cli("doctor", "--repair").exit_code == 0
    assert cli("doctor").exit_code == 0
    assert cli("search", "章丘六大突破", "--format", "json").json()["hits"] == before
    assert len(list((store_dir / "tokens").glob("*.npz"))) == 5, "the term files are written again from the texts"


@pytest.mark.server
def test_a_chroma_server_that_goes_away_mid_ingest(corpus: Path, tmp_path: Path):
    from test_chroma_server import chroma_binary, free_port

    port = free_port()
    data = tmp_path / "server-data"
    url = f"http://127.0.0.1:{port}"

    def start() -> subprocess.Popen:
        server = subprocess.Popen([chroma_binary(), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import urllib.request

        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
                return server
            except OSError:
                time.sleep(0.1)
        raise AssertionError("chroma did not start")

    env = {"RAG_STORE": str(tmp_path / "store"), "RAG_CHROMA_URL": url}
    server = start()
    writer = subprocess.Popen([sys.executable, "-m", "rag", "ingest", str(corpus)], env={**os.environ, **env},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    server.send_signal(signal.SIGKILL)
    server.wait()
    _out, err = writer.communicate(timeout=300)
    if writer.returncode == 0:
        pytest.skip("the ingest finished before the server went away")
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and url in lines[0] and "Traceback" not in err
    server = start()
    try:
        again = rag("ingest", str(corpus), "--format", "json", env=env)
        assert again.returncode == 0, again.stderr
        report = json.loads(rag("doctor", "--format", "json", env=env).stdout)
        assert report["healthy"] and report["documents"] == 40, report
    finally:
        server.terminate()
        server.wait()


def test_truncated_and_garbled_model_replies_fall_back(cli, fake_openai, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-garble-1")
    monkeypatch.setenv("RAG_MAX_RETRIES", "0")
    assert cli("ingest", str(SEEDS)).exit_code == 0
    fake_openai.chat += [(200, {}, b'{"id": "chatcmpl-1", "object": "chat.completion", "choi'), (200, {}, b"\x00\xff garbage")]
    for _ in range(2):
        result = cli("ask", "2014年开发区地区生产总值的增长目标是多少？", "--engine", "openai", "--format", "json")
        assert result.exit_code == 0 and result.json()["engine"] == "offline (fallback)"


def test_the_api_key_is_never_written_anywhere(cli, fake_openai, monkeypatch, tmp_path: Path, store_dir: Path):
    marker = "sk-MARKER-never-leak-0042"
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", marker)
    monkeypatch.setenv("RAG_MAX_RETRIES", "0")
    fake_openai.chat += [(401, {}, {"error": {"message": f"Incorrect API key provided: {marker}", "type": "invalid_request_error"}})] * 40
    out = tmp_path / "out"
    outputs = [
        cli("ingest", str(SEEDS)),
        cli("ask", "2014年开发区地区生产总值的增长目标是多少？", "--format", "json"),
        cli("extract", str(SEEDS / "002_89cb96821d4ce65b.txt"), "--out", str(out / "records")),
        cli("brief", "001_79fffe570bc6bca6", "--format", "html", "--out", str(out / "brief")),
        cli("eval", "--split", "extraction", "--format", "json", "--out", str(out / "report.json")),
    ]
    for result in outputs:
        assert marker not in result.stdout + result.stderr
    assert any("Incorrect API key" in r.stdout + r.stderr for r in outputs), "the server's message is shown, redacted"
    written = [p for p in list(store_dir.rglob("*")) + list(out.rglob("*")) if p.is_file()]
    assert written and not [p for p in written if marker.encode() in p.read_bytes()]


def test_kill_9_leaves_no_worker_processes_behind(corpus: Path, tmp_path: Path):
    process = subprocess.Popen([sys.executable, "-m", "rag", "ingest", str(corpus)], env={**os.environ, "RAG_STORE": str(tmp_path / "s")},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.0)
    children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    alive = children
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in children if Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]]
        time.sleep(0.2)
    assert children, "the ingest had started its workers"
    assert not alive, f"workers {alive} outlived their ingest"


def _replace_every_document(folder: Path, round_number: int) -> None:
    for path in sorted(folder.glob("*.txt")):
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"\n第{round_number}次修订：新增绿地{round_number + 3}公顷。\n")


def test_kill_9_mid_replace_leaves_no_listed_chunk_without_its_vector_and_readers_are_told(tmp_path: Path):
    from generate import generate

    folder, store = tmp_path / "corpus", tmp_path / "store"
    generate(60, folder, seed=3)
    env = {"RAG_STORE": str(store)}
    assert rag("ingest", str(folder), env=env).returncode == 0
    chooser, interrupted = random.Random(5), 0
    for round_number in range(4):
        _replace_every_document(folder, round_number)
        writer = subprocess.Popen([sys.executable, "-m", "rag", "ingest", str(folder)], env={**os.environ, **env},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not (store / "writing.json").exists() and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(chooser.uniform(0.05, 1.2))
        if writer.poll() is None:
            writer.send_signal(signal.SIGKILL)
        writer.wait()
        # A kill that lands after the commit (the marker removed, the process not yet gone) interrupts nothing.
        unfinished = (store / "writing.json").exists()
        if writer.returncode != -signal.SIGKILL:
            assert writer.returncode == 0 and not unfinished  # a write that ran to its end leaves no marker
        report = json.loads(rag("doctor", "--format", "json", env=env).stdout)
        problems = [f["problem"] for f in report["findings"]]
        assert not [p for p in problems if "no vector" in p], problems  # the listed versions keep their vectors
        assert any("did not finish" in p for p in problems) == unfinished, problems
        searched = rag("search", "绿地", env=env)
        assert searched.returncode == 0
        told = [line for line in searched.stderr.splitlines() if "did not finish" in line]
        if unfinished:
            interrupted += 1
            assert len(told) == 1 and "rag doctor --repair" in told[0], searched.stderr
        else:
            assert not told, searched.stderr
    assert interrupted >= 2, "too few kills landed inside a write to test anything"
    assert rag("doctor", "--repair", env=env).returncode == 0
    assert rag("doctor", env=env).returncode == 0
    assert "did not finish" not in rag("search", "绿地", env=env).stderr


def test_a_writer_finding_an_interrupted_write_says_so_and_its_commit_clears_it(cli, tmp_path: Path):
    store = Path(os.environ["RAG_STORE"])
    assert cli("ingest", str(SEEDS)).exit_code == 0
    (store / "writing.json").write_text('{"operation": "ingest", "pid": 99999999, "started": "2026-01-02T03:04:05"}')
    searched = rag("search", "营商环境", env={"RAG_STORE": str(store)})
    assert "the last ingest of" in searched.stderr and "process 99999999" in searched.stderr
    again = rag("ingest", str(SEEDS), env={"RAG_STORE": str(store)})
    assert again.returncode == 0 and "did not finish" in again.stderr and "back in step" in again.stderr
    assert not (store / "writing.json").exists()
    assert "did not finish" not in rag("search", "营商环境", env={"RAG_STORE": str(store)}).stderr


def _read_only_mount(source: Path, target: Path) -> bool:
    target.mkdir()
    bound = subprocess.run(["mount", "--bind", str(source), str(target)], capture_output=True)
    if bound.returncode != 0:
        return False
    if subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], capture_output=True).returncode != 0:
        subprocess.run(["umount", str(target)], capture_output=True)
        return False
    return True


def test_a_store_on_a_read_only_mount_answers_and_doctor_reports(tmp_path: Path):
    source = tmp_path / "writable"
    env = {"RAG_STORE": str(source / ".rag")}
    assert rag("ingest", str(SEEDS), env=env).returncode == 0
    mounted = tmp_path / "shared"
    if not _read_only_mount(source, mounted):
        pytest.skip("a read-only bind mount needs privileges this machine does not give")
    try:
        env = {"RAG_STORE": str(mounted / ".rag")}
        searched = rag("search", "营商环境", "--format", "json", env=env)
        assert searched.returncode == 0, searched.stderr
        assert json.loads(searched.stdout)["hits"] and "searching by words only" in searched.stderr
        tabled = rag("ask", "2014年开发区地区生产总值的增长目标是多少？", "--format", "json", env=env)
        assert tabled.returncode == 0 and "8%" in json.loads(tabled.stdout)["answer"], tabled.stderr
        passages = rag("ask", "如何优化营商环境？", "--format", "json", env=env)
        assert passages.returncode == 0 and json.loads(passages.stdout)["citations"], passages.stderr
        checked = rag("doctor", "--format", "json", env=env)
        assert checked.returncode == 0 and json.loads(checked.stdout)["notes"], checked.stdout
        refused = rag("doctor", "--repair", env=env)
        assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "read-only" in refused.stderr
        assert "Traceback" not in searched.stderr + passages.stderr + refused.stderr
    finally:
        subprocess.run(["umount", str(mounted)], capture_output=True)


def test_a_full_disk_gets_one_line_naming_the_store_and_loses_nothing(tmp_path: Path):
    from generate import generate

    small = tmp_path / "small"
    small.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(small)], capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs needs privileges this machine does not give")
    try:
        first, second = tmp_path / "first", tmp_path / "second"
        generate(8, first, seed=21)
        for path in generate(200, second, seed=22):
            path.rename(path.with_name(f"later_{path.name}"))  # names of its own
        env = {"RAG_STORE": str(small / ".rag")}
        assert rag("ingest", str(first), env=env).returncode == 0
        full = rag("ingest", str(second), env=env)
        assert full.returncode == 1, full.stderr
        lines = full.stderr.strip().splitlines()
        assert len(lines) == 1 and "disk" in lines[0] and "full" in lines[0] and str(small / ".rag") in lines[0], full.stderr
        assert "unexpected" not in full.stderr and "Traceback" not in full.stderr
        kept = json.loads(rag("docs", "--format", "json", env=env).stdout)["documents"]
        assert {d["doc_id"] for d in kept} >= {p.stem for p in first.glob("*.txt")}  # what was there stays
        subprocess.run(["mount", "-o", "remount,size=400m", str(small)], check=True)
        again = rag("ingest", str(second), env=env)
        assert again.returncode == 0, again.stderr
        assert rag("doctor", "--repair", env=env).returncode == 0 and rag("doctor", env=env).returncode == 0
        listed = {d["doc_id"] for d in json.loads(rag("docs", "--format", "json", env=env).stdout)["documents"]}
        assert listed == {p.stem for p in first.glob("*.txt")} | {p.stem for p in second.glob("*.txt")}
    finally:
        subprocess.run(["umount", "-l", str(small)], capture_output=True)


STRESS_QUESTIONS = [
    "2014年开发区地区生产总值的增长目标是多少？",  # answered by the indicator table
    "如何优化营商环境？",  # by passages
    "新增绿地多少公顷？",  # by the sentence the writer adds and takes away
    "固定资产投资增长多少？",
    "各地2026年地区生产总值增长目标是多少？",
]


def test_readers_never_crash_during_writes_and_every_citation_holds(tmp_path: Path):
    """Readers (asks in batches and alone, searches) against one store while 20 ingests rewrite it;
    the writer switches a folder between two versions of each report, so every quote must be the
    text of one of them."""
    import threading

    from generate import generate

    from rag.ingest.loading import load_document

    folder, store = tmp_path / "reports", tmp_path / "store"
    plain = generate(12, folder, seed=17)
    versions = {p.stem: [p.read_bytes()] for p in plain}
    for path in plain:
        versions[path.stem].append(path.read_bytes() + "\n今年新增绿地12公顷，建成口袋公园5个。\n".encode())
    texts: dict[str, set[str]] = {p.stem: set() for p in SEEDS.glob("*.txt")}
    for path in SEEDS.glob("*.txt"):
        texts[path.stem].add(load_document(path).text)
    for stem, contents in versions.items():
        for content in contents:
            probe = tmp_path / "probe" / f"{stem}.txt"
            probe.parent.mkdir(exist_ok=True)
            probe.write_bytes(content)
            texts.setdefault(stem, set()).add(load_document(probe).text)
    env = {"RAG_STORE": str(store)}
    assert rag("ingest", str(SEEDS), str(folder), env=env).returncode == 0

    stop = threading.Event()
    outcomes: list[tuple[str, int, str, str]] = []  # (kind, exit code, stdout, stderr)

    def read_forever(kind: str) -> None:
        while not stop.is_set():
            if kind == "batch":
                result = subprocess.run([sys.executable, "-m", "rag", "ask", "--batch", "-"], input="\n".join(STRESS_QUESTIONS * 3),
                                        capture_output=True, text=True, timeout=120, env={**os.environ, **env})
            elif kind == "ask":
                result = rag("ask", STRESS_QUESTIONS[len(outcomes) % 3], "--format", "json", env=env, timeout=120)
            else:
                result = rag("search", "固定资产投资", "--format", "json", env=env, timeout=120)
            outcomes.append((kind, result.returncode, result.stdout, result.stderr))

    readers = [threading.Thread(target=read_forever, args=(kind,)) for kind in ("batch", "ask", "search")]
    for reader in readers:
        reader.start()
    deadline = time.monotonic() + 900
    ingests = []
    try:
        for round_number in range(20):
            for stem, contents in versions.items():
                (folder / f"{stem}.txt").write_bytes(contents[(round_number + 1) % 2])
            ingests.append(rag("ingest", str(folder), env=env, timeout=300).returncode)
            assert time.monotonic() < deadline, f"20 ingests beside readers took over 15 minutes ({round_number + 1} done)"
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=300)

    assert ingests == [0] * 20
    crashed = [(kind, code, err[-300:]) for kind, code, _, err in outcomes if code != 0]
    assert crashed == [], crashed
    answers = [json.loads(line) for kind, _, out, _ in outcomes if kind == "batch" for line in out.splitlines()]
    answers += [json.loads(out) for kind, _, out, _ in outcomes if kind == "ask"]
    assert len(answers) >= 300, f"only {len(answers)} asks ran during the ingests"
    for answer in answers:
        for citation in answer["citations"]:
            start, end = citation["span"]
            assert any(text[start:end] == citation["quote"] for text in texts[citation["doc_id"]]), citation
    searches = [json.loads(out) for kind, _, out, _ in outcomes if kind == "search"]
    assert searches and all(s["hits"] for s in searches)
    cited = sum(len(a["citations"]) for a in answers)
    print(f"\nstress: {len(answers)} asks ({cited} citations checked) and {len(searches)} searches in "
          f"{len(outcomes)} reader processes during 20 ingests; 0 crashes")
    assert rag("doctor", env=env).returncode == 0
