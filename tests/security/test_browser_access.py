"""The app as a person meets it, in headless Chromium: who sees what, and hostile text.

A real `streamlit run app.py` on a real GeoPackage and accounts file. Checked:
signed out on a public instance, only the public view; signed out on a private
one, nothing but the sign-in page; a viewer gets no editing page; a script in a
title or description is shown as text and runs nowhere (page or map frames).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from incidents.access import Role
from incidents.auth.accounts import Accounts
from incidents.record import Incident, Source
from incidents.store.gpkg import GeoPackageStore
from tests.conftest import EDITOR, ROOT
from tests.distance import km_between

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "a long test passphrase"
XSS_TITLE = '<img src=x onerror="window.__xss=1;alert(1)">Synthetic XSS title'
XSS_DESCRIPTION = (
    "<script>window.__xss=2;alert(2)</script>"
    '<svg onload="window.__xss=3"></svg>[link](javascript:alert(4)) SYNTHETIC'
)
PUBLIC_TITLE = "Synthetic public incident"
RESTRICTED_TITLE = "RESTRICTED-CANARY-TITLE synthetic"
SECRET = "CANARY-WITNESS-do-not-show"
EXACT = (32.45617, 13.65283)  # a site in Tarhuna: its digits must not reach the public
TOWN = (32.43501, 13.6332)  # Tarhuna in the gazetteer: where the public sees the records
MARKERS_JS = """() => {
  const out = [];
  const visit = layer => {
    if (layer.getLayers) layer.getLayers().forEach(visit);
    // A spiderfied marker (the selected one is brought out of its cluster) is drawn
    // beside its place: its place is the one it had before.
    if (layer.getLatLng) {
      const p = layer._preSpiderfyLatlng || layer.getLatLng(); out.push([p.lat, p.lng]);
    }
  };
  window.map.eachLayer(visit);
  return out;
}"""


def synthetic(n: int, **changes: object) -> Incident:
    base = Incident(
        id=f"syn-b{n}",
        type="mass_grave",
        title=f"Synthetic incident {n}",
        description="SYNTHETIC test record",
        date_start=date(2020, 6, n),
        date_end=date(2020, 6, n),
        place="Tarhuna",
        country="LY",
        admin1="Al Marqab",
        admin1_code="LY-MB",
        latitude=EXACT[0],
        longitude=EXACT[1],
        location_precision="exact",
        sensitivity="public",
        sources=(Source(title="Synthetic source"),),
        witness_details=SECRET,
    )
    return base.replace(**changes)


@dataclass
class Instance:
    db: Path
    users: Path


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Instance:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/system_packages.sh)")
    folder = tmp_path_factory.mktemp("browser")
    store = GeoPackageStore(folder / "incidents.gpkg")
    store.write_batch(
        [
            synthetic(1, title=PUBLIC_TITLE),
            synthetic(2, title=RESTRICTED_TITLE, sensitivity="restricted"),
            synthetic(3, title=XSS_TITLE, description=XSS_DESCRIPTION),
        ],
        EDITOR,
    )
    users = folder / "users.sqlite"
    accounts = Accounts(users)
    for name, role in (("vera", Role.VIEWER), ("eddie", Role.EDITOR)):
        accounts.add(name, role, PASSWORD)
    return Instance(folder / "incidents.gpkg", users)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def app(instance: Instance, mode: str) -> Iterator[str]:
    """A real `streamlit run app.py` on its own port; yields its address."""
    port = _free_port()
    env = {
        **os.environ,
        "INCIDENTS_DB": str(instance.db),
        "INCIDENTS_USERS": str(instance.users),
        "INCIDENTS_MODE": mode,
    }
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address",
               "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("streamlit did not start within 60 s")
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


class Visit:
    """One browser tab, recording every dialog (alert) any frame opens."""

    def __init__(self, browser: object) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
        self.dialogs: list[str] = []
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    def open(self, url: str, wait_for: str) -> None:
        self.page.goto(url)
        self.page.get_by_text(wait_for).first.wait_for(timeout=60_000)
        self.settle()

    def settle(self) -> None:
        """Wait until Streamlit has finished running the script."""
        self.page.wait_for_timeout(1500)
        self.page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
        )
        self.page.wait_for_timeout(1500)

    def sign_in(self, name: str) -> None:
        self.page.get_by_role("textbox", name="Name").fill(name)
        self.page.get_by_role("textbox", name="Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.get_by_text("incidents shown").first.wait_for(timeout=60_000)
        self.settle()

    def map_frame(self) -> object:
        """The map's component frame, once Leaflet has drawn into it."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for frame in self.page.frames:
                if frame.locator(".leaflet-marker-pane").count():
                    self.page.wait_for_timeout(1000)
                    return frame
            self.page.wait_for_timeout(500)
        pytest.fail("the map never appeared")

    def marker_points(self) -> list[tuple[float, float]]:
        """Where Leaflet put each marker (clustered or not), as the browser holds them."""
        frame = self.map_frame()
        points = frame.evaluate(MARKERS_JS)  # type: ignore[attr-defined]
        return [(float(lat), float(lon)) for lat, lon in points]

    def all_html(self) -> str:
        """The page and every frame in it (the map is a component iframe)."""
        return "\n".join(frame.content() for frame in self.page.frames)

    def navigation(self) -> list[str]:
        links = self.page.locator('[data-testid="stSidebarNav"] a')
        return [links.nth(i).inner_text().strip() for i in range(links.count())]

    def scripts_ran(self) -> list[object]:
        return [f.evaluate("() => window.__xss") for f in self.page.frames if not f.is_detached()]

    def close(self) -> None:
        self.page.close()


def test_signed_out_on_a_public_instance_sees_only_the_public_view(instance, browser):
    with app(instance, "public") as base:
        visit = Visit(browser)
        visit.open(base, "incidents shown")
        visit.map_frame()
        text = visit.page.inner_text("body")
        assert "2 incidents shown of 2" in text  # the restricted one is not even counted
        everything = visit.all_html()
        assert RESTRICTED_TITLE not in everything and SECRET not in everything
        assert "32.4561" not in everything and "13.6528" not in everything  # not even rounded
        points = visit.marker_points()
        assert points and all(km_between(p, EXACT) > 2 for p in points)
        assert all(p == pytest.approx(TOWN, abs=1e-4) for p in points)
        assert visit.navigation() == ["Map", "Sign in"]
        # Typing the editing page's address leads nowhere near the form.
        visit.open(f"{base}/entry_page", "incidents shown")
        assert visit.page.get_by_role("button", name="Save").count() == 0
        visit.close()


def test_signed_out_on_a_private_instance_sees_nothing_but_sign_in(instance, browser):
    with app(instance, "private") as base:
        visit = Visit(browser)
        for path in ("", "/entry_page", "/import_page", "/audit", "/?sel=syn-b1"):
            visit.open(base + path, "This instance is private")
            everything = visit.all_html()
            assert PUBLIC_TITLE not in everything and "incidents shown" not in everything
            assert visit.navigation() == []
        visit.page.get_by_role("textbox", name="Name").fill("vera")
        visit.page.get_by_role("textbox", name="Password").fill("wrong passphrase!!")
        visit.page.get_by_role("button", name="Sign in").click()
        visit.page.get_by_text("Wrong name or password").wait_for(timeout=30_000)
        visit.close()
    log = GeoPackageStore(instance.db).audit_log(EDITOR.__class__("t", Role.ADMIN))
    failed = [e for e in log if e.action == "sign-in-failed"]
    assert failed and failed[-1].actor == "vera"
    assert "wrong passphrase" not in str([(e.before, e.after) for e in log])


def test_a_viewer_gets_no_editing_page(instance, browser):
    with app(instance, "private") as base:
        visit = Visit(browser)
        visit.open(f"{base}/?sel=syn-b2", "This instance is private")
        visit.sign_in("vera")
        assert visit.navigation() == ["Map", "Account"]
        text = visit.page.inner_text("body")
        assert "3 incidents shown of 3" in text  # viewers see restricted records ...
        visit.map_frame()
        assert RESTRICTED_TITLE in visit.all_html()
        assert all(p == pytest.approx(EXACT, abs=1e-6) for p in visit.marker_points())
        assert SECRET not in visit.all_html()  # ... but never confidential fields
        assert visit.page.get_by_role("button", name="Edit this incident").count() == 0
        visit.close()


def test_a_script_in_a_title_or_description_runs_nowhere(instance, browser):
    with app(instance, "private") as base:
        visit = Visit(browser)
        visit.open(f"{base}/?sel=syn-b3", "This instance is private")
        visit.sign_in("eddie")
        assert "Add or edit" in visit.navigation()
        page = visit.page
        page.get_by_text("Synthetic XSS title").first.wait_for(timeout=30_000)
        assert page.get_by_text("<script>window.__xss=2", exact=False).count() >= 1  # as text
        assert _hover_and_click_markers(visit) > 0
        assert visit.dialogs == []
        assert all(value is None for value in visit.scripts_ran())
        # The check itself works: markup that is not escaped would have been caught.
        page.frames[-1].evaluate(
            "() => document.body.insertAdjacentHTML('beforeend', "
            "'<img src=x onerror=\"window.__xss=9\">')"
        )
        page.wait_for_timeout(500)
        assert 9 in visit.scripts_ran()
        visit.close()


def _hover_and_click_markers(visit: Visit) -> int:
    """Open markers' tooltips and popups in the map frame (where text becomes HTML)."""
    for _ in range(3):  # the frame is redrawn when a rerun lands: try again
        frame = visit.map_frame()
        markers = frame.locator(".leaflet-marker-icon, path.leaflet-interactive")  # type: ignore[attr-defined]
        opened = 0
        for i in range(min(markers.count(), 10)):
            try:
                markers.nth(i).hover(timeout=3000)
                markers.nth(i).click(timeout=3000)
            except Exception:  # a marker hidden under a cluster, or the frame redrawn
                continue
            opened += 1
            visit.page.wait_for_timeout(300)
        if opened:
            visit.settle()
            return opened
        visit.page.wait_for_timeout(2000)
    return 0
