"""The last check's or import's report of this browser session, kept so that the Import
page still shows it after the person opens another page or reloads this one.

Kept in the server's memory only, never on disk: rejected rows can hold witnesses'
details. It belongs to the signed-in account: a report is shown only to the account
that made it, and signing out drops it. A password sign-in's session is shared by
the browser's tabs and survives a reload (app_pages/identity.py), so the report is
kept under that session's id (a secret the server keeps, never put in an address);
a session without one (single sign-on) keeps it in the tab's own state.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import streamlit as st

from app_pages import common, identity
from app_pages.session_cookie import registry
from incidents.auth.sessions import Session, as_session
from incidents.import_read import ImportOptions
from incidents.report import ImportReport

LAST = "_incidents_last_import"
FileKey = tuple[str, str, ImportOptions]  # file name, its sha256, how it was read


@dataclass(frozen=True)
class LastImport:
    """One check's or import's report, whose it is, and when it was made."""

    account: str
    key: FileKey
    made: float  # time.time()
    report: ImportReport

    @property
    def name(self) -> str:
        return self.key[0]

    def same_file(self, name: str, digest: str) -> bool:
        """The same file (by name and contents), however it is read."""
        return self.key[:2] == (name, digest)


class _Kept:
    """Reports by session id; a session that ended takes its report with it."""

    def __init__(self) -> None:
        self._by_session: dict[str, LastImport] = {}
        self._lock = threading.Lock()

    def get(self, session_id: str) -> LastImport | None:
        with self._lock:
            return self._by_session.get(session_id)

    def put(self, session_id: str, last: LastImport) -> None:
        """Keep last; drop those of sessions the registry no longer holds (ended before
        this store was told of ends: the registry made again by a reload of the code)."""
        with self._lock:
            self._by_session[session_id] = last
            for ended in [k for k in self._by_session if registry().get(k) is None]:
                del self._by_session[ended]

    def drop(self, session_id: str) -> None:
        with self._lock:
            self._by_session.pop(session_id, None)


@st.cache_resource(show_spinner=False)
def _kept() -> _Kept:
    """One for the server, kept by Streamlit as the session registry is (a module
    variable would start empty again when Streamlit reloads the project's modules).
    A session that ends without a sign-out in this tab (another tab, an administrator,
    its time limits) takes its report at once: the registry tells it."""
    kept = _Kept()
    registry().on_end(kept.drop)
    return kept


def _session_id() -> str:
    """The signed-in session's id when the browser shares it ("" otherwise)."""
    session = as_session(st.session_state.get(identity.SESSION))
    if session is None or not session.key or registry().get(session.key) is None:
        return ""
    return session.key


def last() -> LastImport | None:
    """This session's last report, if the account signed in now made it."""
    session_id = _session_id()
    kept = _kept().get(session_id) if session_id else st.session_state.get(LAST)
    if not isinstance(kept, LastImport):
        return None
    viewer = common.viewer()
    if kept.account != viewer.name or not viewer.can_edit:
        forget()  # another account in this tab: never its report
        return None
    return kept


def keep(key: FileKey, report: ImportReport) -> None:
    """Keep a report as this session's last (the one before it is dropped)."""
    made = LastImport(common.viewer().name, key, time.time(), report)
    session_id = _session_id()
    if session_id:
        _kept().put(session_id, made)
    else:
        st.session_state[LAST] = made


def forget() -> None:
    """Drop this session's last report (dismissed, replaced by a new file)."""
    st.session_state.pop(LAST, None)
    session_id = _session_id()
    if session_id:
        _kept().drop(session_id)


def signed_out(session: Session | None) -> None:
    """The session ended: its report goes too (identity.sign_out calls this)."""
    st.session_state.pop(LAST, None)
    if session is not None and session.key:
        _kept().drop(session.key)
