"""A real headless Chromium, driven over the DevTools protocol, for checking pages we write."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync", "--disable-quic", "--disable-extensions", "--remote-debugging-port=0"]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@dataclass
class PageReport:
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    screenshot: bytes = b""


def inspect_page(path: Path, expressions: dict[str, str], screenshot: Path, timeout: float = 60) -> PageReport:
    """Load `path`, record every network request and failure, evaluate `expressions`, take a screenshot."""
    import websocket

    profile = tempfile.mkdtemp(prefix="rag-chromium-")
    process = subprocess.Popen([chromium(), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    report = PageReport()
    try:
        endpoint = None
        deadline = time.monotonic() + timeout
        while endpoint is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            match = re.search(r"DevTools listening on (ws://\S+)", line)
            if match:
                endpoint = match.group(1)
        assert endpoint, "chromium did not start"
        port = re.search(r":(\d+)/", endpoint).group(1)
        pages = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10).read())
        page = next(p for p in pages if p["type"] == "page")
        socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=timeout)
        counter = 0

        def send(method: str, **params):
            nonlocal counter
            counter += 1
            socket.send(json.dumps({"id": counter, "method": method, "params": params}))
            while True:
                message = json.loads(socket.recv())
                record(message)
                if message.get("id") == counter:
                    return message.get("result", {})

        loaded = False

        def record(message: dict) -> None:
            nonlocal loaded
            method = message.get("method")
            if method == "Network.requestWillBeSent":
                report.requests.append(message["params"]["request"]["url"])
            elif method == "Network.loadingFailed":
                report.failed.append(message["params"].get("errorText", "failed"))
            elif method == "Page.loadEventFired":
                loaded = True

        send("Network.enable")
        send("Page.enable")
        send("Emulation.setDeviceMetricsOverride", width=1100, height=1400, deviceScaleFactor=1, mobile=False)
        send("Page.navigate", url=path.resolve().as_uri())
        while not loaded and time.monotonic() < deadline:
            record(json.loads(socket.recv()))
        assert loaded, "the page did not finish loading"
        for name, expression in expressions.items():
            result = send("Runtime.evaluate", expression=expression, returnByValue=True)
            report.values[name] = result.get("result", {}).get("value")
        shot = send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        report.screenshot = base64.b64decode(shot["data"])
        screenshot.write_bytes(report.screenshot)
        socket.close()
    finally:
        process.kill()
        process.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)
    return report
