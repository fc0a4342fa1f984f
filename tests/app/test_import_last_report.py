"""The import page keeps this session's last report: a walk found that a check's or an
import's report (and its rejected rows to fix) was gone once the person opened the map
and came back, or reloaded. Whole app with Streamlit's AppTest, one AppTest a browser
tab; the rows are SYNTHETIC. (Next to test_import_page.py, which holds the upload's
own steps.)"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import identity, import_memory
from app_pages.session_cookie import registry
from incidents.access import Role
from incidents.auth.accounts import Accounts
from incidents.auth.sessions import Session, start_session

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
IMPORT_PAGE = str(ROOT / "app_pages" / "import_page.py")
MAP_PAGE = str(ROOT / "app_pages" / "map_page.py")
SIGN_IN_PAGE = str(ROOT / "app_pages" / "sign_in.py")
TIMEOUT = 60
PASSPHRASE = "a long passphrase for the import report test"
WITNESS = "SYNTHETIC witness Amina, phone 0912345678"
REJECTED = "Download the rejected rows with reasons (CSV; fix them and import this file)"


@pytest.fixture
def accounts(example_db: str) -> Accounts:
    """Two editors of the example store."""
    users = Accounts(os.environ["INCIDENTS_USERS"])
    for name in ("first-editor", "second-editor"):
        users.add(name, Role.EDITOR, PASSPHRASE)
    return users


def _tab(session: Session) -> AppTest:
    """A browser tab of the whole app, signed in with session, on the import page."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[identity.SESSION] = session
    return at.switch_page(IMPORT_PAGE).run()


def _sheet(tmp_path: Path, name: str = "field-notes.csv") -> Path:
    """One good row and one refused (no such day), whose witness column goes with it."""
    path = tmp_path / name
    path.write_text(
        "type,date_start,place,country,witness_details\n"
        "killing,2020-06-01,Tarhuna,Libya,\n"
        f"killing,2020-02-30,Tarhuna,Libya,{WITNESS}\n",
        encoding="utf-8",
    )
    return path


def _upload(at: AppTest, path: Path, name: str = "") -> AppTest:
    """The file at path chosen in the upload box (under name, as a browser may send it)."""
    chosen = (name or path.name, path.read_bytes(), "text/csv")
    return at.file_uploader[0].set_value(chosen).run()


def _headings(at: AppTest) -> list[str]:
    return [h.value for h in at.subheader]


def _downloads(at: AppTest) -> list[str]:
    """The report's downloads (the blank templates are always there)."""
    return [d.proto.label for d in at.get("download_button") if "template" not in d.proto.label]


def _said(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption).replace("&#58;", ":").replace("\\", "")


def test_a_check_is_shown_again_after_the_map_until_dismissed(accounts, tmp_path):
    at = _tab(start_session("first-editor", Role.EDITOR, "local"))
    _upload(at, _sheet(tmp_path)).button(key="import_check").click().run()
    assert not at.exception and "check only: nothing was written" in at.text[0].value
    at.switch_page(MAP_PAGE).run()
    at.switch_page(IMPORT_PAGE).run()
    assert not at.exception and at.file_uploader[0].value is None
    assert _headings(at) == ["Last check in this session (nothing was written)"]
    assert "File: field-notes.csv, " in _said(at) and " ago." in _said(at)
    assert {m.label: m.value for m in at.metric}["Rejected"] == "1"
    assert "row 3: From: '2020-02-30' is not a real calendar date" in at.text[0].value
    assert REJECTED in _downloads(at)
    at.button(key="import_last_dismiss").click().run()
    assert not at.exception and not _headings(at) and not at.metric and not _downloads(at)


def test_an_import_survives_a_reload_and_goes_at_sign_out(accounts, tmp_path):
    """A reload is a new tab state; the browser's session (its cookie) finds the report
    again. Signing out drops it from the server's memory."""
    session = registry().open(start_session("first-editor", Role.EDITOR, "local"))
    at = _tab(session)
    _upload(at, _sheet(tmp_path)).button(key="import_run").click().run()
    assert {m.label: m.value for m in at.metric}["Imported"] == "1"
    reloaded = _tab(session)
    assert _headings(reloaded) == ["Last import in this session"]
    assert {m.label: m.value for m in reloaded.metric}["Imported"] == "1"
    assert REJECTED in _downloads(reloaded)
    reloaded.switch_page(SIGN_IN_PAGE).run()
    next(b for b in reloaded.button if b.label == "Sign out").click().run()
    assert import_memory._kept().get(session.key) is None
    again = registry().open(start_session("first-editor", Role.EDITOR, "local"))
    assert not _headings(_tab(again))


def test_a_report_goes_when_its_session_times_out_with_no_tab_open(accounts, tmp_path):
    """A session left idle past its limit, its tab closed, still held its report (and
    the rejected rows' witness details) in the server's memory until someone else's
    next report. Any signed-in tab's next check now ends it, and the report goes."""
    session = registry().open(start_session("first-editor", Role.EDITOR, "local"))
    at = _tab(session)
    _upload(at, _sheet(tmp_path)).button(key="import_check").click().run()
    assert import_memory._kept().get(session.key) is not None
    long_ago = time.time() - identity.settings().session.idle_seconds - 60
    registry().update(replace(session, last_seen=long_ago))  # the tab was closed then
    _tab(registry().open(start_session("second-editor", Role.EDITOR, "local")))
    assert registry().get(session.key) is None
    assert import_memory._kept().get(session.key) is None


def test_another_account_in_the_same_tab_never_sees_the_report(accounts, tmp_path):
    at = _tab(start_session("first-editor", Role.EDITOR, "local"))
    _upload(at, _sheet(tmp_path)).button(key="import_check").click().run()
    at.session_state[identity.SESSION] = start_session("second-editor", Role.EDITOR, "local")
    at.switch_page(MAP_PAGE).run()
    at.switch_page(IMPORT_PAGE).run()
    assert not at.exception and not _headings(at) and not at.metric
    assert REJECTED not in _downloads(at)
    assert import_memory.LAST not in at.session_state


def test_a_new_file_replaces_the_last_report(accounts, tmp_path):
    at = _tab(start_session("first-editor", Role.EDITOR, "local"))
    _upload(at, _sheet(tmp_path)).button(key="import_check").click().run()
    _upload(at, _sheet(tmp_path, "other-notes.csv"))
    assert not at.metric  # the new file's own steps, no report yet
    at.switch_page(MAP_PAGE).run()
    at.switch_page(IMPORT_PAGE).run()
    assert not _headings(at) and not at.metric


def test_a_file_name_is_shown_as_text(accounts, tmp_path):
    """The file's name is the person's (or the sender's): never read as Markdown."""
    at = _tab(start_session("first-editor", Role.EDITOR, "local"))
    name = "[Click](https://evil.example) **bold** :material/home:.csv"
    _upload(at, _sheet(tmp_path), name)
    at.button(key="import_check").click().run()
    at.switch_page(MAP_PAGE).run()
    at.switch_page(IMPORT_PAGE).run()
    caption = next(c.value for c in at.caption if "File" in c.value)
    assert "](" not in caption and "**" not in caption and ":material" not in caption
