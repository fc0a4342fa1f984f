"""Incident map: the Streamlit entry point. Pages live in app_pages/, logic in incidents/."""

import streamlit as st

from app_pages.identity import allowed_pages

# No page icons: Streamlit would fetch them from a CDN, and the app must work offline.
st.set_page_config(page_title="Incident map", layout="wide")

pages = [st.Page("app_pages/map_page.py", title="Map", default=True)]
edit_pages = [  # only for roles that can edit; identity.py adds sign-in and the audit log
    st.Page("app_pages/entry_page.py", title="Add or edit"),
    st.Page("app_pages/import_page.py", title="Import"),
]
st.navigation(allowed_pages(pages, edit_pages)).run()
