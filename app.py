"""Incident map: the Streamlit entry point. Pages live in app_pages/, logic in incidents/.

`streamlit run app.py` finds `app = st.App(...)` below and serves this same file as the
app's script, with two small routes of ours that set and clear the session cookie
(app_pages/session_cookie.py). The server imports this file as the module "app" (the
second branch); every page run executes it as "__main__" (the first branch).
"""

import gc

import streamlit as st

if __name__ == "__main__":
    from app_pages import (
        common,
        filters,
        history_entries,
        language,
        once,
        page_style,
        streamlit_words,
    )
    from app_pages.page_access import navigation
    from incidents.translation import _

    once.run_started()
    language.resolve()  # before any word is drawn: the link's lang=, the switch, the browser
    # No page icons: Streamlit would fetch them from a CDN, and the app must work offline.
    st.set_page_config(page_title=_("Incident map"), layout="wide")

    pages = [st.Page("app_pages/map_page.py", title=_("Map"), default=True)]
    edit_pages = [  # only for roles that can edit; page_access adds sign-in and the audit log
        st.Page("app_pages/entry_page.py", title=_("Add or edit")),
        st.Page("app_pages/import_page.py", title=_("Import")),
        st.Page("app_pages/duplicates_page.py", title=_("Duplicates")),
    ]
    page = navigation(pages, edit_pages)
    common.note_page(page.url_path)
    if page is not pages[0]:
        filters.forget()  # the map's filters come back from the session's view (prime)
        language.keep_in_link()
    language.switch()
    # One element, in the sidebar (each takes a line of it): the page's direction and
    # language, the page-wide layout rules, Streamlit's own words in the reader's, one
    # history entry per view.
    st.sidebar.html(
        language.direction_markup()
        + page_style.CSS
        + streamlit_words.script()
        + history_entries.script(),
        unsafe_allow_javascript=True,
    )
    page.run()
    once.run_finished()  # not reached when the run is stopped or reruns: see once.py
else:
    from starlette.middleware import Middleware

    from app_pages import map_warm_start, server_socket
    from app_pages.session_cookie import routes
    from app_pages.static_assets import StaticAssets

    server_socket.send_without_delay()  # before the server accepts a connection
    map_warm_start.start()  # imports and reads at start, not in the first visit's time
    # Streamlit's own script files answered from memory (static_assets.py).
    app = st.App("app.py", routes=routes(), middleware=[Middleware(StaticAssets)])


@st.cache_resource(show_spinner=False)
def _freeze_loaded_objects() -> bool:
    """Once per server, after its first run: what is loaded by then (modules, about 140,000
    objects) is left out of Python's full garbage collections, which otherwise walked it
    about once a run (0.07 s, 0.14 s on a busy machine, holding up the page's messages).
    Server CPU per filter change at 1M: 0.28-0.29 s against 0.40-0.43 s."""
    gc.freeze()
    return True


if __name__ == "__main__":
    _freeze_loaded_objects()
