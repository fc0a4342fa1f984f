"""Sign in (local account or single sign-on), see who you are signed in as, sign out.

The password field is cleared as soon as the form is sent; nothing typed here is
written to the audit log except the name of an account that exists.
"""

from __future__ import annotations

import streamlit as st

from app_pages import identity, once
from incidents.auth.settings import Settings
from incidents.translation import N_, _, ngettext, number

_ENDED_WORDS = {
    "idle": N_("Your session ended after a while without activity. Sign in again."),
    "expired": N_("Your session reached its time limit. Sign in again."),
    "account disabled or removed": N_("Your account was disabled or removed."),
    "signed out elsewhere": N_("You were signed out (in another tab or window). Sign in again."),
}
# What incidents.auth.accounts answers a refused sign-in with, for the catalogue.
_REFUSED_WORDS = (N_("Wrong name or password."),)


def _signed_in() -> None:
    session = identity.current_session()
    assert session is not None
    identity.land_after_sign_in()
    st.title(_("Account"))
    st.write(
        _("Signed in as **{name}** — role: **{role}**.").format(
            name=_md(session.name), role=identity.role_name(session.role)
        )
    )
    policy = identity.settings().session
    minutes, hours = round(policy.idle_seconds / 60), round(policy.max_seconds / 3600)
    st.caption(
        " ".join(
            (
                ngettext(
                    "Sessions end after {n} minute without activity",
                    "Sessions end after {n} minutes without activity",
                    minutes,
                ).format(n=number(minutes)),
                ngettext("and {n} hour at most.", "and {n} hours at most.", hours).format(
                    n=number(hours)
                ),
                _("Signing out here signs you out in every tab of this browser."),
            )
        )
    )
    if st.button(_("Sign out")):
        identity.sign_out()
        st.rerun()


_NAME, _PASSWORD = "sign_in_name", "sign_in_password"
_REFUSED = "_sign_in_refused"  # why the last try was refused, said on the run after it


def _local_form() -> None:
    """A refused try keeps the name and empties the password (the form emptied both, so
    a mistyped password meant typing the name again); the password is dropped from the
    session whatever the outcome."""
    refused = st.session_state.pop(_REFUSED, None)
    if refused:
        st.session_state[_PASSWORD] = ""  # before its field is drawn: allowed
    with st.form("sign_in_form"):
        name = st.text_input(_("Name"), autocomplete="username", key=_NAME)
        password = st.text_input(_("Password"), type="password",
                                 autocomplete="current-password", key=_PASSWORD)  # fmt: skip
        sent = st.form_submit_button(_("Sign in"), type="primary")
    if refused:
        st.error(refused)
    if not sent:
        return
    problem = identity.sign_in_local(name, password)
    del st.session_state[_PASSWORD]
    if problem:
        st.session_state[_REFUSED] = _(problem)
        st.rerun()
    # The page asked for at this address opens now if the role allows; else the map.
    st.session_state[identity.GO_HOME] = not st.session_state.get(identity.OPENING)
    st.rerun()


def _single_sign_on(config: Settings) -> None:
    orphan = identity.oidc_identity_without_role()
    if orphan:
        st.warning(
            _(
                "You are signed in as {name} by single sign-on, but that identity has no role "
                "here. An administrator can give it one with: {command}"
            ).format(
                name=_md(orphan),
                command=f"`python -m incidents users add {_md(orphan)} --role viewer --oidc`",
            )
        )
        if st.button(_("Sign out of single sign-on")):
            st.logout()
        return
    for provider in config.oidc_providers:
        label = (
            _("Sign in with {provider}").format(provider=provider)
            if provider
            else _("Sign in with single sign-on")
        )
        if st.button(label, key=f"oidc_{provider or 'default'}"):
            st.login(provider)


def _md(text: str) -> str:
    return "".join(f"\\{c}" if c in "\\`*_{}[]()#+-.!|<>~" else c for c in text)


def main() -> None:
    config = identity.settings()
    if identity.current_session() is not None:
        _signed_in()
        return
    st.title(_("Sign in"))
    opening = st.session_state.get(identity.OPENING)
    if opening:
        st.info(_("Sign in to open {page}.").format(page=opening))
    ended = once.due(identity.ENDED)
    if ended:
        st.info(_(_ENDED_WORDS.get(str(ended), N_("Your session ended. Sign in again."))))
    if config.private:
        st.write(_("This instance is private: sign in to see anything."))
    else:
        st.write(_("Without signing in you see the public view: public records, coarsened."))
    for problem in config.problems:
        st.error(_("Configuration: {problem}").format(problem=problem))
    if config.oidc:
        _single_sign_on(config)
    has_local = any(a.method == "local" for a in identity.accounts(str(config.users_path)).all())
    if has_local:
        _local_form()
    elif not config.oidc:
        st.info(
            _(
                "Signing in is not set up on this instance yet: its administrator "
                "creates the first accounts on the server (README, 'Running a private "
                "instance')."
            )
        )


main()
