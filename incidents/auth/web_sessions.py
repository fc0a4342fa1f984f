"""Signed-in sessions a browser comes back to: a reload or a second tab of the same
browser finds its session again, and signing out in any tab ends it in all of them.

The browser holds only "<id>.<signature>" in an HttpOnly, SameSite=Strict cookie (set
by app_pages/session_cookie.py); what the id means stays here, on the server. The id
never appears in a URL: the cookie is handed over through a one-time token that dies
on its first use or after HANDOFF_SECONDS, whichever comes first.

One registry per server process (app_pages/session_cookie.py keeps it where the
cookie route and the pages both find it) lives in memory only, with a signing key
made when it is: nothing that would let someone in is written to disk, and a restart of
the server signs everyone out (the idle and maximum lifetimes are checked by
incidents/auth/sessions.py, as for any session).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from incidents.auth.accounts import account_key
from incidents.auth.sessions import Session, SessionPolicy, session_problem

COOKIE_NAME = "incidents_session"
HANDOFF_SECONDS = 120.0
_ID_BYTES = 32


class SessionRegistry:
    """The server's signed-in browser sessions, keyed by a random id."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)
        self._sessions: dict[str, Session] = {}
        self._handoffs: dict[str, tuple[str, float]] = {}  # token -> (session id, made at)
        self._ended: list[Callable[[str], None]] = []
        self._lock = threading.Lock()

    def on_end(self, listener: Callable[[str], None]) -> None:
        """Call listener with the id of every session that ends from now on (signed out,
        ended for its account, or pruned once past its limits): what the server keeps
        for a session (an import's rejected rows) goes with it, even when no tab of it
        is open any more."""
        with self._lock:
            self._ended.append(listener)

    def _tell_ended(self, session_ids: list[str]) -> None:
        with self._lock:
            listeners = list(self._ended)
        for session_id in session_ids:
            for listener in listeners:
                listener(session_id)

    def open(self, session: Session) -> Session:
        """Register a new sign-in; the session returned carries its id (key)."""
        session_id = secrets.token_urlsafe(_ID_BYTES)
        kept = replace(session, key=session_id)
        with self._lock:
            self._sessions[session_id] = kept
        return kept

    def get(self, session_id: str) -> Session | None:
        """The session as last seen by any tab, or None once it has ended."""
        with self._lock:
            return self._sessions.get(session_id)

    def update(self, session: Session) -> None:
        """Record a step (last seen, current role), unless the session ended meanwhile."""
        with self._lock:
            if session.key in self._sessions:
                self._sessions[session.key] = session

    def end(self, session_id: str) -> None:
        """End a session for every tab that holds it (they notice at their next step)."""
        with self._lock:
            self._sessions.pop(session_id, None)
            for token in [t for t, (s, _) in self._handoffs.items() if s == session_id]:
                del self._handoffs[token]
        self._tell_ended([session_id])

    def end_account(self, name: str) -> int:
        """End every session of one account (all its browsers); returns how many."""
        wanted = account_key(name)
        with self._lock:
            ended = [k for k, s in self._sessions.items() if account_key(s.name) == wanted]
        for session_id in ended:
            self.end(session_id)
        return len(ended)

    def prune(self, policy: SessionPolicy, now: float | None = None) -> None:
        """Forget sessions past their limits and handoffs past their time."""
        now = time.time() if now is None else now
        with self._lock:
            dead = [k for k, s in self._sessions.items() if session_problem(s, policy, now)]
            for session_id in dead:
                del self._sessions[session_id]
            late = [t for t, (_, made) in self._handoffs.items() if now - made > HANDOFF_SECONDS]
            for token in late:
                del self._handoffs[token]
        self._tell_ended(dead)

    def cookie_value(self, session_id: str) -> str:
        """What the browser keeps: the id and its signature."""
        return f"{session_id}.{self._sign(session_id)}"

    def session_id(self, cookie: str | None) -> str | None:
        """The id in a cookie, if the signature holds (None for anything tampered)."""
        if not cookie or cookie.count(".") != 1:
            return None
        session_id, signature = cookie.split(".")
        if not (session_id and cookie.isascii()):  # compare_digest takes ASCII text only
            return None
        if not hmac.compare_digest(signature, self._sign(session_id)):
            return None
        return session_id

    def from_cookie(self, cookie: str | None) -> Session | None:
        """The live session a signed cookie names, or None."""
        session_id = self.session_id(cookie)
        return self.get(session_id) if session_id else None

    def handoff(self, session_id: str, now: float | None = None) -> str:
        """A one-time token the page trades for the cookie (not the session id)."""
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._handoffs[token] = (session_id, time.time() if now is None else now)
        return token

    def redeem(self, token: str, now: float | None = None) -> str | None:
        """The cookie value for a handoff token, once: the token dies here."""
        now = time.time() if now is None else now
        with self._lock:
            entry = self._handoffs.pop(token, None)
            if entry is None or now - entry[1] > HANDOFF_SECONDS:
                return None
            if entry[0] not in self._sessions:
                return None
        return self.cookie_value(entry[0])

    def pending(self, token: str) -> bool:
        """Whether a handoff token still waits for the browser to use it."""
        with self._lock:
            return token in self._handoffs

    def _sign(self, session_id: str) -> str:
        digest = hmac.new(self._key, session_id.encode("ascii"), hashlib.sha256)
        return digest.hexdigest()
