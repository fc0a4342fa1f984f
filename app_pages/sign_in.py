"""Sign in (local account or single sign-on), see who you are signed in as, sign out.

The password field is cleared as soon as the form is sent; nothing typed here is
written to the audit log except the name of an account that exists.
"""

from __future__ import annotations

import streamlit as st

from app_pages import identity
from incidents.auth.settings import Settings

_ENDED_WORDS = {
    "idle": "Your session ended after a while without activity. Sign in again.",
    "expired": "Your session reached its time limit. Sign in again.",
    "account disabled or removed": "Your account was disabled or removed.",
    "signed out elsewhere": "You were signed out (in another tab or window). Sign in again.",
}


def _signed_in() -> None:
    session = identity.current_session()
    assert session is not None
    if st.session_state.pop("_incidents_go_home", False) and identity.HOME in st.session_state:
        wanted = st.session_state.pop(identity.WANTED, None)
        st.switch_page(st.session_state[identity.HOME], query_params=wanted)
    st.title("Account")
    st.write(f"Signed in as **{_md(session.name)}** — role: **{session.role.value}**.")
    policy = identity.settings().session
    st.caption(
        f"Sessions end after {policy.idle_seconds / 60:.0f} minutes without activity and "
        f"{policy.max_seconds / 3600:.0f} hours at most. Signing out here signs you out in "
        "every tab of this browser."
    )
    if st.button("Sign out"):
        identity.sign_out()
        st.rerun()


def _local_form() -> None:
    with st.form("sign_in_form", clear_on_submit=True):
        name = st.text_input("Name", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        sent = st.form_submit_button("Sign in", type="primary")
    if not sent:
        return
    problem = identity.sign_in_local(name, password)
    if problem:
        st.error(problem)
        return
    # The page asked for at this address opens now if the role allows; else the map.
    st.session_state["_incidents_go_home"] = not st.session_state.get(identity.OPENING)
    st.rerun()


def _single_sign_on(config: Settings) -> None:
    orphan = identity.oidc_identity_without_role()
    if orphan:
        st.warning(
            f"You are signed in as {orphan} by single sign-on, but that identity has no role "
            "here. An administrator can give it one with: "
            f"`python -m incidents users add {_md(orphan)} --role viewer --oidc`"
        )
        if st.button("Sign out of single sign-on"):
            st.logout()
        return
    for provider in config.oidc_providers:
        label = f"Sign in with {provider}" if provider else "Sign in with single sign-on"
        if st.button(label, key=f"oidc_{provider or 'default'}"):
            st.login(provider)


def _md(text: str) -> str:
    return "".join(f"\\{c}" if c in "\\`*_{}[]()#+-.!|<>~" else c for c in text)


def main() -> None:
    config = identity.settings()
    if identity.current_session() is not None:
        _signed_in()
        return
    st.title("Sign in")
    opening = st.session_state.get(identity.OPENING)
    if opening:
        st.info(f"Sign in to open {opening}.")
    ended = st.session_state.pop(identity.ENDED, "")
    if ended:
        st.info(_ENDED_WORDS.get(ended, "Your session ended. Sign in again."))
    if config.private:
        st.write("This instance is private: sign in to see anything.")
    else:
        st.write("Without signing in you see the public view: public records, coarsened.")
    for problem in config.problems:
        st.error(f"Configuration: {problem}")
    if config.oidc:
        _single_sign_on(config)
    has_local = any(a.method == "local" for a in identity.accounts(str(config.users_path)).all())
    if has_local:
        _local_form()
    elif not config.oidc:
        st.info(
            "No accounts yet. On the server, create the first administrator with "
            "`python -m incidents users add NAME --role admin` (see README, "
            "'Running a private instance')."
        )


main()
