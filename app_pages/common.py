"""What every page shares: the store, cached reads, and safe ways to show user text.

Cached query results are keyed by the store, its data version and the viewer's
cache key, so an edit shows at once and one role never sees another's cached rows.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.identity import current_viewer
from incidents.access import Viewer
from incidents.query import Query
from incidents.store import Store, open_store, store_url


@st.cache_resource(show_spinner=False)
def _open(url: str) -> Store:
    return open_store(url)


def get_store() -> Store:
    """The store named by INCIDENTS_DB (opened once per server)."""
    return _open(store_url())


def viewer() -> Viewer:
    return current_viewer()


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_query(
    url: str, version: str, viewer_key: str, query: Query, columns: tuple[str, ...], _who: Viewer
) -> pd.DataFrame:
    return _open(url).query(query, _who, list(columns))


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_count(url: str, version: str, viewer_key: str, query: Query, _who: Viewer) -> int:
    return _open(url).count(query, _who)


def query_frame(query: Query, columns: tuple[str, ...]) -> pd.DataFrame:
    """The selection's rows (only these columns), cached per data version and role."""
    store, who = get_store(), viewer()
    return _cached_query(store.url, store.data_version(), who.cache_key(), query, columns, who)


def count(query: Query) -> int:
    store, who = get_store(), viewer()
    return _cached_count(store.url, store.data_version(), who.cache_key(), query, who)


def safe_html(text: Any, tag: str = "div") -> str:
    """User text as escaped HTML whose direction follows its own script (Arabic: right to left)."""
    return f'<{tag} dir="auto">{html.escape(str(text or ""))}</{tag}>'


def show_text(text: Any, tag: str = "div") -> None:
    """Show user text as text: no Markdown, no HTML, no remote images; right-to-left aware."""
    st.markdown(safe_html(text, tag), unsafe_allow_html=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def md_escape(text: Any) -> str:
    """Text made inert for Markdown (links, images, emphasis stay literal)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text or ""))
