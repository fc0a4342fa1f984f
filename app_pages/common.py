"""What every page shares: the store, cached reads, and safe ways to show user text.

Cached results are keyed by the store, its data version and what the viewer may
see, so an edit shows at once and the public never gets another role's rows. The map
page reads counts and summaries from a compact in-memory index (index()), never a
frame of the whole selection.
"""

from __future__ import annotations

import html
import re
import threading
import time
import weakref
from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.identity import current_viewer as viewer  # the session's viewer
from incidents import filter_fields
from incidents.access import PUBLIC, Viewer, Visibility
from incidents.maps import plan, pyramid
from incidents.query import Query
from incidents.store import Store, open_store, store_url
from incidents.store.column_index import ColumnIndex
from incidents.store.record_store import RecordStore
from incidents.translation import _, number, readable
from incidents.view_state import from_params

# Streamlit's date fields refuse dates more than ten years back by default (a calendar
# from December 2016 on the historic example, an older date not sent at all); the
# filters and validation, not the field, decide what a date may be.
EARLIEST, LATEST = date(1800, 1, 1), date(2200, 12, 31)


@st.cache_resource(show_spinner=False)
def _open(url: str) -> RecordStore:
    return open_store(url)


def get_store() -> RecordStore:
    """The store named by INCIDENTS_DB (opened once per server). Typed as what it is,
    a RecordStore (the class both backends share): the pages hand it to the importer,
    the exports and the merges, which reach its backend."""
    return _open(store_url())


_VERSION_FOR = 0.3  # seconds: one run asks several times; a PostGIS query is a connection


def data_version(store: Store) -> str:
    """The store's data version, asked at most once per run (within _VERSION_FOR s)."""
    now = time.monotonic()
    kept = st.session_state.get("_data_version")
    if kept and kept[0] == store.url and now - kept[1] < _VERSION_FOR:
        return str(kept[2])
    version = store.data_version()
    st.session_state["_data_version"] = (store.url, now, version)
    return version


def data_changed() -> None:
    """After this session wrote to the store: the next run asks for the new data version
    (a rerun follows within _VERSION_FOR s and would show the old counts and rows)."""
    st.session_state.pop("_data_version", None)


_PAGE = "_page"  # the page the session's last run drew, and whether this run arrived


def note_page(path: str) -> None:
    """Remember which page this run draws (app.py, before the page runs)."""
    st.session_state["_arrived"] = st.session_state.get(_PAGE) != path
    st.session_state[_PAGE] = path


def arrived() -> bool:
    """Whether this run is the page's first after another page (or the session's
    first): its components are drawn anew, as on a first visit."""
    return bool(st.session_state.get("_arrived", True))


def access_key() -> str:
    """What this session's viewer sees, as one key: what is kept in the session for one
    viewer (the map's first extent) is not reused for another after a sign-in or out."""
    return _access(viewer())


def _access(who: Viewer) -> str:
    """Viewers who see the same records the same way share one snapshot."""
    return Visibility.of(who).key


_SNAPSHOT = "_snapshot"  # this session's (store, visibility, data version) and its snapshot


def index() -> ColumnIndex:
    """The column snapshot of what this viewer sees (store.snapshot: the one read model,
    built once per store, visibility and data version, patched when data changes; the
    exports read the same one): counts, grids and histograms come from it in
    milliseconds. The session keeps only a weak reference, so asking again within a run
    costs no query, and a snapshot the store has replaced is not held alive by an idle
    session."""
    store, who = get_store(), viewer()
    key = (store.url, _access(who), data_version(store))
    kept = st.session_state.get(_SNAPSHOT)
    idx = kept[1]() if kept and kept[0] == key else None
    if idx is None:
        # A transient message, shown only when the read takes over half a second.
        with st.spinner(_("Reading the incidents into memory…")):
            idx = store.snapshot(who)  # a second visitor waits for a read under way
        st.session_state[_SNAPSHOT] = (key, weakref.ref(idx))
    return idx


def warm_up(who: Viewer = PUBLIC) -> ColumnIndex:
    """Read this viewer's snapshot and filter choices before anyone asks (the server
    calls it at start): the first visit finds them in memory."""
    store = get_store()
    idx = store.snapshot(who)
    for column in filter_fields.choice_lists():
        _choices(store, idx, who, column)
    # A first read of rows builds what every later one uses: the gazetteer's search index
    # (the public's rows are placed at their towns) and the number formats (0.15 to 0.3 s
    # of the first visit at 1M, profiled).
    store.rows_for([int(f) for f in idx.first_fids(Query(), 20)], who, ["place"])
    number(0)
    # The grid levels of the map a visitor without a link first sees (plan.layer: no
    # extent reported yet, the incidents' extent's zoom), kept with the snapshot: 0.19 s
    # at 1M.
    first = from_params({}).query
    pyramid.build(idx, first, None, plan.first_zoom(idx, first))
    return idx


_CHOICES_READ = threading.Lock()


def _choices(store: Store, idx: ColumnIndex, who: Viewer, column: str) -> list[str]:
    """A list column's values among what this snapshot's viewers see, read from the store
    once per snapshot (any change brings a new one) and kept with it: at 1M incidents the
    read scans every row (0.4 s a column). One read at a time: sessions that ask together
    after a change wait for it instead of each scanning."""
    found = idx.choices.get(column)
    if found is None:
        with _CHOICES_READ:
            found = idx.choices.get(column)
            if found is None:
                found = idx.choices[column] = store.distinct_values(column, who)
    return found


def distinct(column: str) -> list[str]:
    """The values of a list column (perpetrators, tags), for the filter choices."""
    return _choices(get_store(), index(), viewer(), column)


@st.cache_data(max_entries=64, show_spinner=False)
def _rows(
    url: str,
    version: str,
    access: str,
    fids: tuple[int, ...],
    columns: tuple[str, ...],
    _who: Viewer,
) -> pd.DataFrame:
    return _open(url).rows_for(list(fids), _who, list(columns))


def rows(idx: ColumnIndex, query: Query, columns: tuple[str, ...], limit: int) -> pd.DataFrame:
    """The first matching records (at most limit), only these columns, in date order."""
    return rows_for(idx, idx.first_fids(query, limit), columns)


def rows_for(idx: ColumnIndex, fids: Iterable[int], columns: tuple[str, ...]) -> pd.DataFrame:
    """These records (fids the index found), only these columns, in date order."""
    wanted = tuple(int(f) for f in fids)
    return _rows(get_store().url, idx.version, _access(viewer()), wanted, columns, viewer())


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


SHOWN_CHARS = 5000  # a page shows this much of one text (the form and exports hold all)


def safe_html(text: Any, tag: str = "div") -> str:
    """User text as escaped HTML whose direction follows its own script (Arabic: right to
    left), its line breaks as <br>: a blank line ends an HTML block in Markdown, and
    what followed it was read as Markdown (live links and remote images in a note). A
    colon is an entity: Streamlit rewrote ":material/home:" as ":material_home:". Cut at
    SHOWN_CHARS: a 200,000-character description froze the browser for 20 s."""
    text = readable(text or "")
    if len(text) > SHOWN_CHARS:
        more = _("… ({n} more characters, not shown here)").format(
            n=number(len(text) - SHOWN_CHARS)
        )
        text = "\u2068" + text[:SHOWN_CHARS] + "\u2069" + more  # the note keeps its direction
    inert = html.escape(text).replace(":", "&#58;")
    lines = inert.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return f'<{tag} dir="auto">{"<br>".join(lines)}</{tag}>'


def show_text(text: Any, tag: str = "div") -> None:
    """Show user text as text: no Markdown, no HTML, no remote images; right-to-left aware."""
    st.markdown(safe_html(text, tag), unsafe_allow_html=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def md_escape(text: Any) -> str:
    """Text made inert for Markdown (links, images, emphasis, Streamlit's shortcodes
    and formulas stay literal). A colon or dollar is an entity: Streamlit reads
    ":material/home:" even when its colons are escaped."""
    escaped = _MD_SPECIAL.sub(r"\\\1", readable(text or ""))
    return escaped.replace(":", "&#58;").replace("$", "&#36;")
