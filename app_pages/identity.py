"""Who is using the app: a local account, a single sign-on identity, or the public.

Pages call current_viewer() and nothing else to learn who is asking; the store
applies what that viewer may see. A session lives on the server: in st.session_state
for this tab, and for a local sign-in also in the server's registry
(incidents/auth/web_sessions.py), which a reload or a second tab of the same browser
finds again through a signed, HttpOnly, SameSite=Strict cookie (nothing about it is
put in the URL, which people share). It ends when idle or too old, at the next step
after its account is disabled, and in every tab when any of them signs out.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import streamlit as st

from app_pages import once
from app_pages.session_cookie import registry
from incidents.access import PUBLIC, Role, Viewer
from incidents.auth.accounts import Account, Accounts
from incidents.auth.sessions import (
    Session,
    as_session,
    session_problem,
    start_session,
    touched,
)
from incidents.auth.settings import Settings, load_settings
from incidents.auth.throttle import client_address
from incidents.auth.web_sessions import COOKIE_NAME
from incidents.translation import N_, _

SESSION = "_incidents_session"
ENDED = "_incidents_session_ended"
CHECKED = "_incidents_session_checked"
OIDC_SEEN = "_incidents_oidc_seen"
HOME = "_incidents_home"
WANTED = "_incidents_wanted_view"
GO_HOME = "_incidents_go_home"  # signed in just now: land on the map (and its view asked for)
CLIENT = "_incidents_client_key"
THROTTLED = "_incidents_throttle_logged"
HANDOFF = "_incidents_cookie_handoff"  # the one-time token the page trades for the cookie
CLEAR = "_incidents_cookie_clear"
OPENING = "_incidents_opening"  # the title of a page this visitor asked for but may not see
NOTE = "_incidents_page_note"
DISABLED = "account disabled or removed"
RECHECK_SECONDS = 5.0  # how stale the account check may be within one burst of reruns
# The roles as people read them (the codes stay English in the accounts file and the log).
ROLE_NAMES = {"public": N_("public"), "viewer": N_("viewer"), "editor": N_("editor"),
              "admin": N_("admin")}  # fmt: skip


def role_name(role: Role) -> str:
    """A role's name in the reader's language."""
    return _(ROLE_NAMES.get(role.value, role.value))


def settings() -> Settings:
    """This instance's settings: environment first, then .streamlit/secrets.toml."""
    return load_settings(secrets=_secrets())


def _secrets() -> dict[str, Any]:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets file at all is the normal offline case
        return {}


@st.cache_resource(show_spinner=False)
def accounts(path: str) -> Accounts:
    return Accounts(path)


def _log(viewer: Viewer, action: str, detail: dict[str, object]) -> None:
    from app_pages import common  # common imports this module: import it late

    common.get_store().log_event(viewer, action, detail)


def current_session() -> Session | None:
    """The signed-in session, checked against the registry, the clock and the accounts
    file. A tab with no session of its own takes the one its browser's cookie names."""
    config = settings()
    if config.oidc and st.user.is_logged_in:
        return _oidc_session(config)
    session = as_session(st.session_state.get(SESSION))
    if session is None:
        session = _from_cookie()
        if session is None:
            return None
        st.session_state[SESSION], st.session_state[CHECKED] = session, 0.0
    if session.key:  # shared with other tabs: ended there, ended here
        shared = as_session(registry().get(session.key))
        if shared is None:
            sign_out("signed out elsewhere")
            return None
        session = shared
    now = time.time()
    if now - st.session_state.get(CHECKED, 0.0) < RECHECK_SECONDS:
        return session
    # Sessions whose tabs are closed end here too, once past their limits, so that what
    # the server keeps for them (import_memory) does not wait for the next sign-in.
    registry().prune(config.session, now)
    problem = session_problem(session, config.session, now)
    account = accounts(str(config.users_path)).get(session.name) if not problem else None
    if not problem and (account is None or account.disabled):
        problem = DISABLED
    if problem or account is None:
        sign_out(problem)
        return None
    session = touched(session, account.role, now)
    st.session_state[SESSION], st.session_state[CHECKED] = session, now
    if session.key:
        registry().update(session)
    return session


def _from_cookie() -> Session | None:
    """The live session this browser's cookie names (sent when the tab connected)."""
    try:
        cookie = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # AppTest's stand-in runtime has no request
        return None
    return as_session(registry().from_cookie(cookie if isinstance(cookie, str) else None))


def current_viewer() -> Viewer:
    """The viewer for this browser session; on a private instance, sign-in or stop."""
    session = current_session()
    if session is not None:
        return Viewer(session.name, session.role)
    if settings().private:
        st.warning(_("This instance is private: sign in to see it."))
        st.stop()
    return PUBLIC


def sign_in_local(name: str, password: str) -> str:
    """Check a local sign-in and log it; returns the message to show ("" on success)."""
    config = settings()
    result = accounts(str(config.users_path)).authenticate(name, password, client=client_key())
    if result.account is None:
        actor = result.name or "(no such account)"  # never the typed text: it may be a password
        if result.reason == "throttled" and st.session_state.get(THROTTLED):
            return result.message  # logged once a session: refusals cost nothing to send
        st.session_state[THROTTLED] = result.reason == "throttled"
        _log(
            Viewer(actor, Role.PUBLIC),
            "sign-in-failed",
            {"method": "local", "reason": result.reason},
        )
        return result.message
    _begin(result.account, "local")
    return ""


def client_key() -> str:
    """Whom failed sign-ins are counted against: the client's address, or, where no
    address is known (localhost without a proxy header), this browser session.

    A session key is new with each page load, so on its own it slows a patient
    guesser only a little: the global cap in incidents/auth/throttle.py is what
    bounds guesses then.
    """
    peer = st.context.ip_address
    address = client_address(
        peer if isinstance(peer, str) else None,  # AppTest's stand-in runtime gives a mock
        st.context.headers.get_all("X-Forwarded-For"),
        settings().trusted_proxies,
    )
    if address:
        return f"address:{address}"
    key = st.session_state.get(CLIENT)
    if not isinstance(key, str):
        key = st.session_state[CLIENT] = f"session:{secrets.token_hex(16)}"
    return key


def _begin(account: Account, method: str) -> Session:
    session = start_session(account.name, account.role, method)
    if method == "local":  # single sign-on keeps its own cookie (st.login)
        registry().prune(settings().session)
        session = registry().open(session)
        st.session_state[HANDOFF] = registry().handoff(session.key)
    st.session_state[SESSION] = session
    st.session_state[CHECKED] = time.time()
    once.drop(ENDED)
    st.session_state.pop(NOTE, None)
    _log(Viewer(account.name, account.role), "sign-in", {"method": method})
    return session


def land_after_sign_in() -> None:
    """Just signed in at the sign-in form (not at a page it stood in for): go to the map,
    with the view of the link that was opened, if any. Called by the sign-in page and by
    the navigation: the front page's sign-in form reruns at an address the signed-in
    menu does not have, and the map runs there instead."""
    if st.session_state.pop(GO_HOME, False) and HOME in st.session_state:
        wanted = st.session_state.pop(WANTED, None)
        st.switch_page(st.session_state[HOME], query_params=wanted)


def sign_out(reason: str = "") -> None:
    """End the session in every tab (and the single sign-on cookie); log why.

    A session ended in another tab was logged there; here it only ends.
    """
    session = as_session(st.session_state.pop(SESSION, None))
    st.session_state.pop(CHECKED, None)
    st.session_state.pop(HANDOFF, None)
    from app_pages import import_memory  # it imports this module: import it late

    import_memory.signed_out(session)  # the last import's rejected rows go with it
    if isinstance(session, Session) and reason != "signed out elsewhere":
        _log(Viewer(session.name, session.role), "sign-out", {"reason": reason or "signed out"})
    if isinstance(session, Session) and session.key:
        registry().end(session.key)
        once.ask(CLEAR, True)
    if isinstance(session, Session) and reason == DISABLED:  # its other browsers too
        registry().end_account(session.name)
    if reason:
        once.ask(ENDED, reason)
    if settings().oidc and st.user.is_logged_in:
        st.session_state.pop(OIDC_SEEN, None)
        st.logout()


def _oidc_session(config: Settings) -> Session | None:
    """The single sign-on identity, if an oidc account gives it a role."""
    claims = st.user.to_dict()
    identity = str(claims.get("email") or claims.get("sub") or "")
    issued = float(str(claims.get("iat") or 0))
    session = as_session(st.session_state.get(SESSION))
    if issued and time.time() - issued > config.session.max_seconds:
        sign_out("expired")
        return None
    account = accounts(str(config.users_path)).get(identity)
    if account is None or account.disabled or account.method != "oidc":
        if st.session_state.get(OIDC_SEEN) != identity:
            st.session_state[OIDC_SEEN] = identity
            _log(
                Viewer(identity, Role.PUBLIC),
                "sign-in-failed",
                {"method": "oidc", "reason": "no role"},
            )
        st.session_state.pop(SESSION, None)
        return None
    if not isinstance(session, Session) or session.name != account.name:
        return _begin(account, "oidc")
    problem = session_problem(session, config.session)
    if problem:
        sign_out(problem)
        return None
    session = touched(session, account.role)
    st.session_state[SESSION] = session
    return session


def oidc_identity_without_role() -> str:
    """A single sign-on identity that has no account here ("" if none)."""
    config = settings()
    if not (config.oidc and st.user.is_logged_in) or current_session() is not None:
        return ""
    claims = st.user.to_dict()
    return str(claims.get("email") or claims.get("sub") or "")
