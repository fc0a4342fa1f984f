"""A signed-in session in a real browser: a reload and a second tab keep it, signing out
in one tab ends it in the other, and the cookie that carries it is HttpOnly, SameSite
and never in an address.

A real `streamlit run app.py` on a private instance (the example data and an editor
made with the command line); Debian's Chromium; no request may leave this machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from browser_support import (
    EDITOR_NAME,
    EDITOR_PASSWORD,
    EXAMPLE,
    LOADER,
    LOCAL_HOSTS,
    ROOT,
    _free_port,
    _wait_healthy,
)

from incidents.auth.web_sessions import COOKIE_NAME
from incidents.importer import import_file
from incidents.store import open_store

pytestmark = pytest.mark.browser
TIMEOUT = 90_000
PRIVATE = "This instance is private"


@dataclass
class Instance:
    url: str
    env: dict[str, str]  # what the command line needs to manage its accounts


@pytest.fixture(scope="module")
def private_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instance]:
    """A private instance with the example and one editor."""
    tmp = tmp_path_factory.mktemp("sessions")
    db = tmp / "incidents.gpkg"
    import_file(EXAMPLE, open_store(str(db)), LOADER)
    env = {
        **os.environ,
        "INCIDENTS_DB": str(db),
        "INCIDENTS_MODE": "private",
        "INCIDENTS_USERS": str(tmp / "users.sqlite"),
    }
    subprocess.run(
        [sys.executable, "-m", "incidents", "users", "add", EDITOR_NAME, "--role", "editor",
         "--password-stdin"],
        input=EDITOR_PASSWORD, text=True, env=env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    port = _free_port()
    with open(tmp / "streamlit.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_healthy(f"http://127.0.0.1:{port}", proc)
            yield Instance(f"http://127.0.0.1:{port}", env)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


class Browser:
    """One browser profile (its tabs share cookies); every address any tab asks for is
    recorded, and any that leaves this machine is refused."""

    def __init__(self, browser: object) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
        self.addresses: list[str] = []
        self.offsite: list[str] = []
        self.context.route("**/*", self._route)

    def _route(self, route: object) -> None:
        address = route.request.url  # type: ignore[attr-defined]
        self.addresses.append(address)
        if address.startswith(("data:", "blob:", "about:")) or (
            urlparse(address).hostname in LOCAL_HOSTS
        ):
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.offsite.append(address)
            route.abort()  # type: ignore[attr-defined]

    def tab(self, address: str, wait_for: str) -> object:
        page = self.context.new_page()
        page.goto(address)
        ready(page, wait_for)
        return page

    def session_cookie(self) -> dict:
        cookies = [c for c in self.context.cookies() if c["name"] == COOKIE_NAME]
        assert len(cookies) == 1, self.context.cookies()
        return cookies[0]


def ready(page: object, text: str) -> None:
    """Wait for text, then for Streamlit to finish the run."""
    page.get_by_text(text).first.wait_for(timeout=TIMEOUT)  # type: ignore[attr-defined]
    page.wait_for_timeout(1000)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT
    )
    page.wait_for_timeout(1000)  # type: ignore[attr-defined]


def menu(page: object) -> list[str]:
    links = page.locator('[data-testid="stSidebarNav"] a')  # type: ignore[attr-defined]
    return [links.nth(i).inner_text().strip() for i in range(links.count())]


def body(page: object) -> str:
    return str(page.inner_text("body"))  # type: ignore[attr-defined]


def sign_in(page: object) -> None:
    page.get_by_role("textbox", name="Name").fill(EDITOR_NAME)  # type: ignore[attr-defined]
    page.get_by_role("textbox", name="Password").fill(EDITOR_PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]


@pytest.fixture
def profile(browser: object) -> Iterator[Browser]:
    b = Browser(browser)
    yield b
    b.context.close()
    assert b.offsite == [], f"requests left 127.0.0.1: {b.offsite}"


def test_a_reload_and_a_second_tab_keep_the_session_and_sign_out_ends_both(private_server, profile):
    base = private_server.url
    first = profile.tab(f"{base}/import_page", PRIVATE)
    assert "Sign in to open Import" in body(first)  # F5 signed out: sign-in, not "not found"
    assert "Page not found" not in body(first)
    sign_in(first)
    ready(first, "Import incidents")  # the page asked for, now that it may be opened
    assert urlparse(first.url).path == "/import_page"

    cookie = profile.session_cookie()
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/"
    assert first.evaluate("() => document.cookie").find(COOKIE_NAME) == -1  # scripts can't

    first.reload()  # F5 on Import: still signed in, still on Import
    ready(first, "Import incidents")
    assert "Page not found" not in body(first) and PRIVATE not in body(first)
    assert menu(first) == ["Map", "Add or edit", "Import", "Duplicates", "Account"]

    second = profile.tab(f"{base}/entry_page", "Add or edit an incident")  # a second tab
    assert "Account" in menu(second) and PRIVATE not in body(second)

    second.get_by_role("link", name="Account").click()
    ready(second, "Signed in as")
    second.get_by_role("button", name="Sign out").click()
    ready(second, PRIVATE)
    assert _cookie_goes(profile, second)  # the browser is told to drop the cookie too

    first.get_by_role("link", name="Map").click()  # the first tab's next step
    ready(first, PRIVATE)
    assert menu(first) == [] and "Import incidents" not in body(first)
    first.goto(f"{base}/import_page")  # and reopening Import does not bring it back
    ready(first, PRIVATE)
    assert "Sign in to open Import" in body(first)

    session_id = cookie["value"].split(".")[0]
    assert all(session_id not in address for address in profile.addresses)
    assert all(cookie["value"] not in address for address in profile.addresses)


def _cookie_goes(profile: Browser, page: object) -> bool:
    for _ in range(40):
        if not [c for c in profile.context.cookies() if c["name"] == COOKIE_NAME]:
            return True
        page.wait_for_timeout(250)  # type: ignore[attr-defined]
    return False


def test_on_a_public_instance_a_page_that_needs_sign_in_shows_the_map_with_a_note(
    example_server, profile
):
    """F5 on Import signed out: the public map and a sentence, not "Page not found"; after
    signing in, Import opens and survives a reload there too."""
    base = example_server.url
    page = profile.tab(f"{base}/import_page", "incidents shown")
    assert "Import needs you to sign in" in body(page)
    assert "Page not found" not in body(page) and urlparse(page.url).path == "/"
    page.get_by_role("link", name="Sign in").click()
    ready(page, "Password")
    sign_in(page)
    ready(page, "incidents shown")
    assert menu(page) == ["Map", "Add or edit", "Import", "Duplicates", "Account"]
    page.goto(f"{base}/import_page")  # a fresh load, as a bookmark or F5 would be
    ready(page, "Import incidents")
    page.reload()
    ready(page, "Import incidents")
    assert "Page not found" not in body(page)


def test_a_fresh_browser_is_not_signed_in_by_another_ones_session(private_server, browser):
    """Two profiles (two people's browsers): the second one's tabs stay signed out."""
    one, other = Browser(browser), Browser(browser)
    try:
        page = one.tab(f"{private_server.url}/import_page", PRIVATE)
        sign_in(page)
        ready(page, "Import incidents")
        elsewhere = other.tab(f"{private_server.url}/import_page", PRIVATE)
        assert "Import incidents" not in body(elsewhere)
        assert [c for c in other.context.cookies() if c["name"] == COOKIE_NAME] == []
    finally:
        one.context.close()
        other.context.close()
    assert one.offsite == other.offsite == []


def _users(instance: Instance, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "incidents", "users", *args],
        env=instance.env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip


def test_disabling_the_account_ends_the_kept_session(private_server, profile):
    """An administrator disables the account from the command line: the open tab is
    signed out at its next step, and neither a reload nor a new tab brings it back."""
    base = private_server.url
    page = profile.tab(f"{base}/import_page", PRIVATE)
    sign_in(page)
    ready(page, "Import incidents")
    page.reload()
    ready(page, "Import incidents")
    _users(private_server, "disable", EDITOR_NAME)
    try:
        page.wait_for_timeout(6000)  # the account is re-read at least every 5 s of activity
        page.get_by_role("link", name="Map").click()
        ready(page, PRIVATE)
        assert "disabled" in body(page)
        page.goto(f"{base}/import_page")
        ready(page, PRIVATE)
        other = profile.tab(f"{base}/entry_page", PRIVATE)
        assert "Add or edit an incident" not in body(other)
    finally:
        _users(private_server, "enable", EDITOR_NAME)


def test_the_sign_in_pages_own_address_opens_it_signed_out(private_server, profile):
    """/account (the address of Sign in, bookmarked or shared, here in Arabic) opens the
    sign-in form on a private instance, not Streamlit's English "Page not found"; signed
    in, the person lands on the map."""
    page = profile.tab(f"{private_server.url}/account?lang=ar", "تسجيل الدخول")
    assert "Page not found" not in body(page) and "not seem to exist" not in body(page)
    assert urlparse(page.url).path == "/account"
    assert menu(page) == []  # one page: no menu to choose from
