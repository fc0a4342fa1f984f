"""Which pages this visitor may open, and what a page they may not open shows instead.

A page someone may not see is still known by its address, hidden from the menu: a
reload (F5) or a shared link to it shows the sign-in form on a private instance, or
the map with a note on a public one, never Streamlit's "Page not found". After sign-in
the person lands on the page they asked for, if their role opens it.

Every run also hands the session cookie to the browser after a password sign-in (an
invisible image, see app_pages/session_cookie.py) and takes it back after sign-out.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.navigation.page import StreamlitPage

from app_pages import identity, once, session_cookie
from incidents.access import Role, Viewer
from incidents.auth.sessions import Session
from incidents.translation import _

SIGN_IN = "app_pages/sign_in.py"
ENTRY = "entry_page"  # the entry form's address (app_pages/entry_page.py)
_BLOCKED = "_incidents_blocked_pages"  # url path -> title of this run's stand-in pages


def navigation(read: Sequence[StreamlitPage], edit: Sequence[StreamlitPage]) -> StreamlitPage:
    """The page to run now (app.py calls .run() on it), with the cookie images and any
    note about a page that was asked for but may not be opened."""
    pages = allowed_pages(read, edit)
    page = st.navigation(pages)
    if identity.current_session() is not None:
        identity.land_after_sign_in()
    blocked = st.session_state.get(_BLOCKED, {})
    st.session_state[identity.OPENING] = blocked.get(page.url_path, "")
    _cookie_images(st.empty())  # always drawn: the page's elements keep their places
    _note(page)
    return page


def _note(page: StreamlitPage) -> None:
    """Why the page asked for did not open: said on the map until the visitor goes
    elsewhere (the map reruns as it is moved, and the sentence must not vanish then)."""
    note = st.session_state.get(identity.NOTE, "")
    home = st.session_state.get(identity.HOME)
    if note and home is not None and page.url_path == home.url_path:
        st.info(note)
    else:
        st.session_state.pop(identity.NOTE, None)


def allowed_pages(
    read: Sequence[StreamlitPage], edit: Sequence[StreamlitPage] = ()
) -> list[StreamlitPage]:
    """The pages this person may open: editing pages for editors, the audit log for admins,
    then hidden stand-ins for the others. On a private instance nobody signed in gets
    only the sign-in page (and stand-ins that show it)."""
    session = identity.current_session()
    title = _("Sign in") if session is None else _("Account")
    account = st.Page(SIGN_IN, title=title, url_path="account")
    audit = st.Page("app_pages/audit_log.py", title=_("Audit log"), url_path="audit")
    every = [*read, *edit, audit]
    if session is None and identity.settings().private:
        if len(st.query_params):  # a shared link's view: reopened after sign-in
            st.session_state[identity.WANTED] = {
                k: st.query_params.get_all(k) for k in st.query_params
            }
        # The sign-in form at the front page and at its own address (a bookmark, a link
        # to /account): the front page of a navigation is only ever served at "/".
        front = st.Page(SIGN_IN, title=title, default=True)
        hidden = st.Page(SIGN_IN, title=title, url_path="account", visibility="hidden")
        return [front, hidden, *_stand_ins(every, [hidden], lambda p: SIGN_IN)]
    if read:
        st.session_state[identity.HOME] = read[0]
    role = session.role if session else Role.PUBLIC
    viewer = Viewer(session.name if session else "public", role)
    pages = list(read)
    if viewer.can_edit:
        pages += edit
    if viewer.is_admin:
        pages.append(audit)
    return [*pages, account, *_stand_ins(every, [*pages, account], _to_home(session))]


def _stand_ins(
    every: Sequence[StreamlitPage],
    allowed: Sequence[StreamlitPage],
    target: Callable[[StreamlitPage], str | Callable[[], None]],
) -> list[StreamlitPage]:
    """Hidden pages at the addresses of the pages this visitor may not open."""
    taken = {p.url_path for p in allowed}
    missing = [p for p in every if p.url_path and p.url_path not in taken]
    st.session_state[_BLOCKED] = {p.url_path: p.title for p in missing}
    return [
        st.Page(target(p), title=p.title, url_path=p.url_path, visibility="hidden") for p in missing
    ]


def _to_home(session: Session | None) -> Callable[[StreamlitPage], Callable[[], None]]:
    """A stand-in that goes to the map and says why the page asked for did not open."""

    def for_page(wanted: StreamlitPage) -> Callable[[], None]:
        if session is None:
            note = _("{page} needs you to sign in: use Sign in in the menu.").format(
                page=wanted.title
            )
        else:
            note = _("Your account ({role}) cannot open {page}.").format(
                role=identity.role_name(session.role), page=wanted.title
            )

        def go_home() -> None:
            # Imported here, when a session ended on the form: imported with this module
            # (at every app start, before any page), the map page's map no longer drew
            # in the browser tests. Why was not found; the late import keeps it apart.
            from app_pages import entry_fields

            said = note
            if session is None and wanted.url_path == ENTRY and entry_fields.keep_typed():
                said = _(
                    "Your session ended before your changes were saved. Sign in again, then "
                    "open {page}: what you typed is kept in the form."
                ).format(page=wanted.title)
            st.session_state[identity.NOTE] = said
            st.switch_page(st.session_state[identity.HOME])

        return go_home

    return for_page


def _cookie_images(slot: DeltaGenerator) -> None:
    """Trade a fresh sign-in's one-time token for the cookie; clear it after sign-out.

    Drawn in a slot that exists in every run: an element that came and went ahead of
    the page would move the page's elements, and Streamlit would rebuild the map."""
    sources = []
    token = st.session_state.get(identity.HANDOFF)
    if isinstance(token, str) and session_cookie.registry().pending(token):
        sources.append(f"{session_cookie.url(session_cookie.HANDOFF_PATH)}?once={token}")
    elif token is not None:
        st.session_state.pop(identity.HANDOFF, None)
    if once.due(identity.CLEAR):  # kept until a whole run has drawn it (once.py)
        sources.append(session_cookie.url(session_cookie.END_PATH))
    if sources:
        slot.html(
            "".join(f'<img src="{html.escape(s)}" alt="" width="1" height="1">' for s in sources)
        )
