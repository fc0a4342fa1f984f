"""Helpers for the browser tests: a real `streamlit run app.py` and a guarded page.

Every request the page makes is routed through a guard: anything for a host other
than 127.0.0.1/localhost is refused and fails the test, so the app is proven to work
with no internet.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

from incidents.access import Role, Viewer
from incidents.importer import import_file
from incidents.store import open_store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "tarhuna.csv"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOADER = Viewer("browser-test-loader", Role.EDITOR)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("streamlit did not become healthy")


class Server:
    """A running app: its address and the database behind it."""

    def __init__(self, db: Path, tmp: Path) -> None:
        self.db = db
        self.users = tmp / "users.json"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "INCIDENTS_DB": str(db),
            "INCIDENTS_MODE": "public",
            "INCIDENTS_USERS": str(self.users),
        }
        self.log = open(tmp / "streamlit.log", "w")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py",
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             # The app under test stays as started: no module reloads while files change.
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_healthy(self.url, self.proc)
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


EDITOR_NAME, EDITOR_PASSWORD = "browser-editor", "a long passphrase for the browser test"


def _add_editor(tmp: Path, db: Path) -> None:
    """An editor account, made the way an administrator would (the CLI)."""
    env = {**os.environ, "INCIDENTS_USERS": str(tmp / "users.json"), "INCIDENTS_DB": str(db)}
    subprocess.run(
        [sys.executable, "-m", "incidents", "users", "add", EDITOR_NAME, "--role", "editor",
         "--password-stdin"],
        input=EDITOR_PASSWORD, text=True, env=env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip


def serve(tmp: Path, csv: Path) -> Iterator[Server]:
    db = tmp / "incidents.gpkg"
    import_file(csv, open_store(str(db)), LOADER)
    _add_editor(tmp, db)
    server = Server(db, tmp)
    try:
        yield server
    finally:
        server.stop()


class Guarded:
    """A page whose requests may only go to this machine; offsite ones are recorded."""

    def __init__(self, browser: object) -> None:
        self.offsite: list[str] = []
        self.errors: list[str] = []
        self.received = 0
        self.context = browser.new_context(viewport={"width": 1400, "height": 1500})  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("websocket", self._watch)

    def _route(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.offsite.append(url)
            route.abort()  # type: ignore[attr-defined]

    def _watch(self, ws: object) -> None:
        def count(frame: object) -> None:
            self.received += len(frame) if isinstance(frame, bytes | str) else 0

        ws.on("framereceived", count)  # type: ignore[attr-defined]


def idle(g: Guarded, seconds: float = 120) -> None:
    """Wait until no run is going on (twice, half a second apart): a click that lands
    during a rerun may be overtaken by it, and a busy machine makes reruns long."""
    app, quiet, state = g.page.locator('[data-testid="stApp"]'), 0, None
    for _ in range(int(seconds * 2)):
        state = app.get_attribute("data-test-script-state")
        quiet = quiet + 1 if state == "notRunning" else 0
        if quiet == 2:
            return
        g.page.wait_for_timeout(500)
    raise AssertionError(f"the app is still {state!r}")


TABLE = '[data-testid="stDataFrame"]'


def drawn_table(g: Guarded, script: str) -> list[object]:
    """What the script reads off the first table the grid has drawn, once it reads
    something (asked again while a rerun replaces the table)."""
    from playwright.sync_api import Error

    for _ in range(20):
        table = g.page.locator(TABLE).first
        try:
            table.scroll_into_view_if_needed(timeout=5_000)
            found = table.locator("table").first.evaluate(script, timeout=5_000)
        except Error:
            g.page.wait_for_timeout(500)
            continue
        if found:
            return list(found)
        g.page.wait_for_timeout(500)
    raise AssertionError("the table did not settle")
