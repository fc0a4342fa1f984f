"""How long a sign-in lasts: ended after a quiet spell, and after a working day at most.

A session is plain data kept by the app on the server (in st.session_state, and for a
local sign-in also in the server's registry, incidents/auth/web_sessions.py, which a
reload or a second tab finds again through a signed cookie); these functions only
decide whether it still holds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from incidents.access import Role

DEFAULT_IDLE_MINUTES = 60.0
DEFAULT_MAX_HOURS = 8.0


@dataclass(frozen=True)
class SessionPolicy:
    """Idle and absolute limits, in seconds."""

    idle_seconds: float = DEFAULT_IDLE_MINUTES * 60
    max_seconds: float = DEFAULT_MAX_HOURS * 3600

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SessionPolicy:
        """INCIDENTS_SESSION_IDLE_MINUTES and INCIDENTS_SESSION_MAX_HOURS, else defaults."""
        env = os.environ if env is None else env
        idle = _positive(env.get("INCIDENTS_SESSION_IDLE_MINUTES"), DEFAULT_IDLE_MINUTES)
        most = _positive(env.get("INCIDENTS_SESSION_MAX_HOURS"), DEFAULT_MAX_HOURS)
        return cls(idle * 60, most * 3600)


def _positive(text: str | None, default: float) -> float:
    try:
        value = float(text) if text else default
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Session:
    """One signed-in person in one browser session."""

    name: str
    role: Role
    method: str  # "local" or "oidc"
    started: float
    last_seen: float
    key: str = ""  # its id in the server's registry ("" for a session of one tab only)


def start_session(name: str, role: Role, method: str, now: float | None = None) -> Session:
    now = time.time() if now is None else now
    return Session(name, role, method, now, now)


def session_problem(session: Session, policy: SessionPolicy, now: float | None = None) -> str:
    """Why the session has ended ("" while it holds)."""
    now = time.time() if now is None else now
    if now - session.started > policy.max_seconds:
        return "expired"
    if now - session.last_seen > policy.idle_seconds:
        return "idle"
    return ""


def touched(session: Session, role: Role, now: float | None = None) -> Session:
    """The session seen again now, with the account's current role."""
    return replace(session, role=role, last_seen=time.time() if now is None else now)


def as_session(held: object) -> Session | None:
    """A held session as this module's Session, or None if it is not one.

    The app keeps sessions between runs while Streamlit may import the project's
    modules again (it does when a file changes): a session made before that belongs
    to the old class, and isinstance() alone would sign its owner out.
    """
    if held is None or isinstance(held, Session):
        return held
    try:
        values = {f.name: getattr(held, f.name) for f in fields(Session)}
        values["role"] = Role(getattr(values["role"], "value", values["role"]))
        return Session(**values)
    except (AttributeError, TypeError, ValueError):
        return None
