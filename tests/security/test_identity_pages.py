"""Sign-in, session end and the audit-log page, run with Streamlit's AppTest on real files."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_pages import identity
from app_pages.session_cookie import registry
from incidents.access import SYSTEM, Role
from incidents.auth import passwords
from incidents.auth.accounts import Accounts
from incidents.auth.passwords import ScryptCost
from incidents.auth.sessions import start_session
from incidents.auth.throttle import GLOBAL_PER_MINUTE, PER_CLIENT
from incidents.importer import import_file
from incidents.store import open_store
from tests.conftest import EDITOR, EXAMPLE, ROOT

PAGES = ROOT / "app_pages"
PASSWORD = "a long test passphrase"
TIMEOUT = 60


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Accounts]:
    monkeypatch.setattr(passwords, "COST", ScryptCost(2**10, 8, 1))  # test-only cost
    db = str(tmp_path / "incidents.gpkg")
    import_file(EXAMPLE, open_store(db), EDITOR)
    accounts = Accounts(tmp_path / "users.sqlite")
    accounts.add("vera", Role.VIEWER, PASSWORD)
    accounts.add("ada", Role.ADMIN, PASSWORD)
    monkeypatch.setenv("INCIDENTS_DB", db)
    monkeypatch.setenv("INCIDENTS_USERS", str(accounts.path))
    monkeypatch.setenv("INCIDENTS_MODE", "private")
    monkeypatch.chdir(ROOT)
    st.cache_data.clear()
    st.cache_resource.clear()
    return db, accounts


def page(name: str, **state: object) -> AppTest:
    at = AppTest.from_file(str(PAGES / name), default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def save(at: AppTest) -> AppTest:
    """Press Save (by its label: the form has other buttons after it)."""
    return next(b for b in at.button if b.label == "Save").click().run()


def actions(db: str) -> list[tuple[str, str]]:
    return [(e.actor, e.action) for e in open_store(db).audit_log(SYSTEM)][-3:]


def test_a_private_instance_shows_no_data_before_sign_in(instance):
    at = page("map_page.py")
    assert any("private" in w.value for w in at.warning)
    assert not [m for m in at.markdown if "incidents shown" in m.value]


def test_sign_in_is_logged_and_a_wrong_password_names_no_one_else(instance):
    db, _ = instance
    at = sign_in(page("sign_in.py"), "vera", "not the passphrase")
    assert any("Wrong name or password" in e.value for e in at.error)
    assert actions(db)[-1] == ("vera", "sign-in-failed")
    at = sign_in(at, "nobody at all", "correct horse battery")
    assert actions(db)[-1] == ("(no such account)", "sign-in-failed")
    at = sign_in(at, "vera", PASSWORD)
    assert not at.exception
    assert any("Signed in as" in m.value for m in at.markdown)
    assert actions(db)[-1] == ("vera", "sign-in")
    log = str([(e.before, e.after) for e in open_store(db).audit_log(SYSTEM)])
    assert PASSWORD not in log and "not the passphrase" not in log


def test_a_refused_sign_in_keeps_the_name_and_forgets_the_password(instance):
    """The form emptied both fields on a mistyped password (found in a walk); it keeps
    the name, and no password stays in the session, refused or accepted."""
    at = sign_in(page("sign_in.py"), "vera", "not the passphrase")
    assert any("Wrong name or password" in e.value for e in at.error)
    assert at.text_input[0].value == "vera" and at.text_input[1].value == ""
    assert at.session_state["sign_in_password"] == ""  # not kept for the next run
    at.text_input[1].input(PASSWORD)
    at = at.button[0].click().run()
    assert not at.exception and any("Signed in as **vera**" in m.value for m in at.markdown)
    kept = at.session_state.get("sign_in_password", "")
    assert PASSWORD not in kept


def test_a_guesser_is_throttled_and_the_owner_signs_in_from_another_session(instance):
    """Five wrong passwords for the admin from one browser session: that session waits,
    whatever name it types next; the admin, in another session, signs in at once
    (before, the account itself was locked for everyone, and said so only for real names)."""
    db, _ = instance
    guesser = page("sign_in.py")
    for _ in range(PER_CLIENT):
        guesser = sign_in(guesser, "ada", "a wrong guess at it")
        assert [e.value for e in guesser.error] == ["Wrong name or password."]
    for name in ("ada", "nobody at all"):
        guesser = sign_in(guesser, name, PASSWORD)
        assert [e.value for e in guesser.error] == [
            "Too many failed sign-ins from here: wait 15 minutes, then try again."
        ]
    assert identity.SESSION not in guesser.session_state
    owner = sign_in(page("sign_in.py"), "ada", PASSWORD)
    assert not owner.exception and not owner.error
    assert any("Signed in as" in m.value for m in owner.markdown)
    failed = [
        e.after or "" for e in open_store(db).audit_log(SYSTEM) if e.action == "sign-in-failed"
    ]
    reasons = [json.loads(f)["reason"] for f in failed]
    # Each failure is logged, but a run of refusals only once: they cost nothing to send.
    assert reasons == ["wrong password"] * PER_CLIENT + ["throttled"]


def test_failures_made_anywhere_count_in_every_session(instance):
    """The counts live in the accounts file: failures from other sessions, processes or
    clients reach the global cap, and a new session is told to wait."""
    _, accounts = instance
    for number in range(GLOBAL_PER_MINUTE):
        accounts.authenticate("ada", "a wrong guess at it", client=f"elsewhere {number}")
    at = sign_in(page("sign_in.py"), "ada", PASSWORD)
    assert [e.value for e in at.error] == [
        "Too many failed sign-ins on this site just now: wait a minute, then try again."
    ]
    assert identity.SESSION not in at.session_state


@pytest.mark.parametrize(
    ("age", "idle", "words"),
    [(9 * 3600, 0, "time limit"), (2 * 3600, 2 * 3600, "without activity")],
)
def test_sessions_end_after_their_limits(instance, age, idle, words):
    db, _ = instance
    now = time.time()
    old = dataclasses.replace(
        start_session("vera", Role.VIEWER, "local", now - age), last_seen=now - idle
    )
    at = page("sign_in.py", **{identity.SESSION: old, identity.CHECKED: 0.0})
    assert any(words in i.value for i in at.info)
    assert identity.SESSION not in at.session_state
    assert actions(db)[-1] == ("vera", "sign-out")


def test_disabling_an_account_ends_its_session(instance):
    _, accounts = instance
    live = start_session("vera", Role.VIEWER, "local")
    accounts.set_disabled("vera", True)
    at = page("sign_in.py", **{identity.SESSION: live, identity.CHECKED: 0.0})
    assert identity.SESSION not in at.session_state
    assert any("disabled" in i.value for i in at.info)


def test_a_role_change_applies_at_the_next_step(instance):
    _, accounts = instance
    live = start_session("vera", Role.VIEWER, "local")
    accounts.set_role("vera", Role.ADMIN)
    at = page("audit_log.py", **{identity.SESSION: live, identity.CHECKED: 0.0})
    assert any("Chain verified" in s.value for s in at.success)


def test_only_admins_read_the_audit_log_and_see_the_chain_check(instance):
    db, _ = instance
    viewer = start_session("vera", Role.VIEWER, "local")
    at = page("audit_log.py", **{identity.SESSION: viewer, identity.CHECKED: time.time()})
    assert any("Only administrators" in e.value for e in at.error)
    admin = start_session("ada", Role.ADMIN, "local")
    at = page("audit_log.py", **{identity.SESSION: admin, identity.CHECKED: time.time()})
    assert not at.exception
    assert any("Chain verified" in s.value for s in at.success)
    assert len(at.dataframe[0].value) == len(open_store(db).audit_log(SYSTEM))


def test_two_editors_on_one_record_the_second_is_refused(instance):
    """Two browser sessions open the same record; the later save must not overwrite."""
    db, accounts = instance
    accounts.add("eddie", Role.EDITOR, PASSWORD)
    accounts.add("erin", Role.EDITOR, PASSWORD)
    sessions = []
    for name in ("eddie", "erin"):
        state = {identity.SESSION: start_session(name, Role.EDITOR, "local"),
                 identity.CHECKED: time.time(), "edit_id": "tarhuna-ex-002"}  # fmt: skip
        sessions.append(page("entry_page.py", **state))
    first, second = sessions
    first.text_input(key="e_title").set_value("Title from the first editor")
    save(first)
    assert any("Saved" in s.value for s in first.success)
    second.text_input(key="e_title").set_value("Title from the second editor")
    save(second)
    assert any("Not saved" in e.value and "eddie" in e.value for e in second.error)
    store = open_store(db)
    assert store.get("tarhuna-ex-002", SYSTEM).title == "Title from the first editor"
    edits = [e for e in store.history("tarhuna-ex-002", SYSTEM) if e.action == "edit:update"]
    assert [e.actor for e in edits] == ["eddie"]


def test_a_password_sign_in_is_registered_for_the_browser_and_handed_over_once(instance):
    """The session is kept by the server; the page gets a one-time token, not the id."""
    at = sign_in(page("sign_in.py"), "vera", PASSWORD)
    session = at.session_state[identity.SESSION]
    assert session.key and registry().get(session.key) is not None
    token = at.session_state[identity.HANDOFF]
    assert token != session.key and registry().pending(token)
    assert registry().redeem(token) == registry().cookie_value(session.key)


def test_signing_out_in_one_tab_ends_the_session_in_every_tab(instance):
    db, _ = instance
    shared = registry().open(start_session("vera", Role.VIEWER, "local"))
    first, second = (
        page("sign_in.py", **{identity.SESSION: shared, identity.CHECKED: time.time()})
        for _ in range(2)
    )
    assert all(any("Signed in as" in m.value for m in t.markdown) for t in (first, second))
    first.button[0].click().run()  # Sign out
    assert registry().get(shared.key) is None
    second.run()  # the other tab's next step
    assert identity.SESSION not in second.session_state
    assert any("signed out" in i.value for i in second.info)
    assert [a for a in actions(db) if a[1] == "sign-out"] == [("vera", "sign-out")]


def test_disabling_an_account_ends_its_registered_session(instance):
    _, accounts = instance
    live, elsewhere = (registry().open(start_session("vera", Role.VIEWER, "local")) for _ in "ab")
    accounts.set_disabled("vera", True)
    at = page("sign_in.py", **{identity.SESSION: live, identity.CHECKED: 0.0})
    assert identity.SESSION not in at.session_state
    assert any("disabled" in i.value for i in at.info)
    assert registry().get(live.key) is None
    assert registry().get(elsewhere.key) is None  # the same account in another browser


def test_app_py_still_runs_as_a_script_under_apptest(instance):
    """app.py is both the st.App that `streamlit run` serves and the script each page run
    executes: AppTest runs it as the script and gets the sign-in page, then the map."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert any("private" in m.value for m in at.markdown)
    at = sign_in(at, "vera", PASSWORD)
    assert not at.exception
    assert any("incidents shown" in m.value for m in at.markdown)
    assert registry().pending(at.session_state[identity.HANDOFF])


def test_signing_in_at_the_front_page_lands_on_the_map_and_leaves_nothing_pending(instance):
    """Signed in at "/" (the sign-in form is the private instance's front page): the map,
    in the link's language, and nothing left waiting: Account then opens at the first
    click (a landing left pending sent that click back to the map)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "fr"
    at = sign_in(at.run(), "vera", PASSWORD)
    assert not at.exception
    assert identity.GO_HOME not in at.session_state and identity.WANTED not in at.session_state
    at = at.switch_page(str(PAGES / "sign_in.py")).run()
    assert [t.value for t in at.title] == ["Compte"]
