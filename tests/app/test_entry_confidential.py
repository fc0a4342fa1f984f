"""Victims, witnesses and notes in the incident form, for editors (tried as a user
would: staff could record them only by import, and the form had no field for them).
What is typed is saved as typed, a second Save writes nothing more, and the form
shows it again after a visit to the map; roles that may not edit never reach the form."""

from __future__ import annotations

import os

from streamlit.testing.v1 import AppTest
from test_entry_page import (
    APP,
    ENTRY_PAGE,
    MAP_PAGE,
    PASSPHRASE,
    RECORD,
    TIMEOUT,
    _click,
    _opened,
    signed_in,
)

from app_pages.identity import SESSION
from incidents.access import Role
from incidents.auth.accounts import Accounts
from incidents.auth.sessions import start_session

__all__ = ["signed_in"]  # the fixture, shared with the entry page's tests

TYPED = "Two brothers, names held by the legal team {{ 7*7 }} <b>not bold</b>"


def test_an_editor_records_a_victim_and_it_is_kept(signed_in):
    app, editor = signed_in
    at, store, before = _opened(app, editor)
    assert "Confidential: staff only" in " ".join(m.value for m in at.markdown)
    assert at.text_area(key="e_victim_details").value == before.victim_details
    at.text_area(key="e_victim_details").set_value(TYPED)
    _click(at, "Save")
    assert not at.exception
    after = store.get(RECORD, editor)
    assert after is not None
    assert after.victim_details == TYPED
    assert after.content() == before.replace(victim_details=TYPED).content()
    _click(at, "Save")  # pressed again: nothing more is written
    assert store.get(RECORD, editor) == after
    at.switch_page(MAP_PAGE).run()
    at.switch_page(ENTRY_PAGE).run()
    assert at.text_area(key="e_victim_details").value == TYPED  # as stored, not blank


def test_a_viewer_never_reaches_the_fields(example_db: str):
    Accounts(os.environ["INCIDENTS_USERS"]).add("a-viewer", Role.VIEWER, PASSPHRASE)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[SESSION] = start_session("a-viewer", Role.VIEWER, "local")
    at = at.switch_page(ENTRY_PAGE).run()
    assert not at.exception
    assert "cannot open Add or edit" in " ".join(i.value for i in at.info)
    assert not [a for a in at.text_area if str(a.key).startswith("e_")]
