"""The table of the selection, kept in step with the map's selected incident.

It lists the incidents in the map's view and, below the map's reach, those the map
cannot draw (no place recorded, or only the country known): otherwise a record with
no place could be counted in the headline and never be opened.

Viewers pick one row, which opens it in the detail panel. Editors may tick several
rows (for bulk_actions); ticking one still opens it. Which rows are ticked is kept
as incident ids in the session, not as row positions: the rows change when the map
moves or a filter changes, and a position would then point at another incident.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from app_pages.language import column_order, readable_frame
from geodata import district_by_code, record_country
from geodata.district_names import reader_name
from incidents.export.placement_words import town_name
from incidents.query import Query
from incidents.schema import (
    INCIDENT_TYPES,
    LOCATION_PRECISIONS,
    VERIFICATION_STATUSES,
    Vocabulary,
)
from incidents.store.column_index import ColumnIndex
from incidents.translation import N_, _, is_rtl, language, number

TABLE_COLUMNS = (
    "id", "date_start", "date_end", "type", "title", "place", "admin1", "admin1_code",
    "location_precision", "verification", "latitude", "country",
)  # fmt: skip
MAX_ROWS = 500
TICKED = "_table_ticked"  # ids of the ticked rows
SYNCED = "_table_synced"  # the selected incident the ticks were last matched with
ROUND = "_table_round"  # bumped when the ticks are set here rather than in the table
NO_PLACE = N_("No place recorded")
COUNTRY_ONLY = N_("Only the country known")

# In the order shown: what identifies a row and what bulk actions change come first.
# English here (WIDTHS' keys); shown in the reader's language.
_HEADINGS = {
    "id": N_("Ref."), "title": N_("Title"), "type": N_("Type"),
    "location_precision": N_("Location"), "verification": N_("Verification"),
    "date_start": N_("From"), "date_end": N_("To"), "place": N_("Place (district)"),
}  # fmt: skip
# Pixel widths that hold the longest label of each column whole in the page's font
# ("Summary execution / killing" 163 px, a location up to 156, "Corroborated"
# 79, a date 64, plus 16 of padding), summing to the table's width in the page at
# 1600x1000 (1,138 px with the tick column): nothing is cut off or scrolled out of view
# there. The title takes any room left; narrower screens scroll sideways, the reference
# staying in place. Place and district share a column (a district name is not a label).
WIDTHS = {
    "Ref.": 110, "Title": 190, "Type": 185, "Location": 180, "Verification": 100,
    "From": 85, "To": 85, "Place (district)": 160,
}  # fmt: skip
# Right to left, the widths of the Arabic labels ("إعدام بإجراءات موجزة / قتل" 160 px,
# "مُعزَّز بمصادر أخرى" 107, "البلد فقط معروف" 100, "المكان (المنطقة)" 97, a date 64, a
# reference 89, plus 16 of padding), summing to a little less than the table's width
# in the page at 1400x1000 (938 px with the tick column; a long list's scroll bar takes
# a few): the whole table is read without scrolling sideways there. With the English
# widths it opened scrolled to its right end, where an Arabic reader starts, the place
# out of view and the last dates half under the tick column. The title, shown whole in
# the detail panel, keeps what is left; wider screens widen every column.
WIDTHS_RTL = {
    "Ref.": 105, "Title": 100, "Type": 177, "Location": 117, "Verification": 124,
    "From": 81, "To": 81, "Place (district)": 113,
}  # fmt: skip


@dataclass(frozen=True)
class Listed:
    """What the table lists: record fids in date order, how many in all, how many of
    them the map does not draw."""

    fids: np.ndarray
    total: int
    off_map: int


def listed(idx: ColumnIndex, query: Query, in_view: Query, limit: int = MAX_ROWS) -> Listed:
    """The records in the map's view plus every match the map cannot draw."""
    keep = idx.mask(in_view)
    off_map = idx.mask(query) & ~idx.drawable
    keep = keep | off_map
    return Listed(idx.fid[np.flatnonzero(keep)[:limit]], int(keep.sum()), int(off_map.sum()))


@dataclass(frozen=True)
class Pick:
    """What the person did in the table: an incident to open, and the ticked rows."""

    opened: str | None = None
    ticked: list[str] = field(default_factory=list)


def _location(frame: pd.DataFrame) -> np.ndarray:
    """How precisely each row is placed; which rows the map cannot draw, said plainly."""
    precision = frame["location_precision"]
    label = _shown(precision, LOCATION_PRECISIONS)
    placed = np.where(precision == "country", _(COUNTRY_ONLY), label)
    return np.where(frame["latitude"].isna(), _(NO_PLACE), placed)


def _place(frame: pd.DataFrame) -> pd.Series:
    """ "Tarhuna (Murqub)": the place with its district, either alone when the other
    is missing or the same. The district is named by its code, as the filter, the map
    and the detail panel name it, whatever the imported file called it ("Al Marqab
    (LY-MB)"); a district not bundled keeps the record's spelling. Direction controls
    are left out of both: an override in a place reversed the district after it."""
    place = _town(frame).str.translate(_CONTROLS)
    district = _district(frame).str.translate(_CONTROLS)
    both = (place != "") & (district != "") & (place != district)
    return place.where(~both, place + " (" + district + ")").where(place != "", district)


_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def _town(frame: pd.DataFrame) -> pd.Series:
    """Each row's place as the map labels it for this reader (ترهونة on an Arabic page,
    as the detail panel names it; export.placement_words.town_name), once per place."""
    place = frame["place"].fillna("").astype(str).str.strip()
    if "country" not in frame.columns or frame.empty:  # an empty map would type it as numbers
        return place
    codes = frame.get("admin1_code", pd.Series("", index=frame.index)).astype(object)
    country = frame["country"].astype(object)
    keys = pd.Series(list(zip(place, country.fillna(""), codes.fillna(""), strict=True)),
                     index=frame.index)  # fmt: skip
    names = {key: town_name(key[0], record_country(key[1], key[2])) for key in set(keys)}
    return keys.map(names)


def _district(frame: pd.DataFrame) -> pd.Series:
    """Each row's district in the reader's language (geodata.district_names)."""
    recorded = frame["admin1"].fillna("").astype(str).str.strip()
    if "admin1_code" not in frame.columns:
        return recorded
    codes = frame["admin1_code"].fillna("").astype(str).str.strip()
    lang = language()
    names = {c: reader_name(c, lang) for c in codes.unique() if district_by_code(c)}
    # object first: with no known code the map is all NaN floats, which pandas will
    # refuse to fill with text (a warning now; a view holding only unplaced records)
    return codes.map(names).astype(object).fillna(recorded)


def _shown(codes: pd.Series, terms: Vocabulary) -> pd.Series:
    """Each code in the reader's language, translated once per distinct code (a row at
    a time, 750 rows cost 1,500 lookups of the session's language: 30 ms a run)."""
    return codes.map({code: terms.shown(code) for code in codes.dropna().unique()})


def _display(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[list(_HEADINGS)].copy()
    out["place"] = _place(frame)
    out["type"] = _shown(out["type"], INCIDENT_TYPES)
    out["location_precision"] = _location(frame)
    out["verification"] = _shown(out["verification"], VERIFICATION_STATUSES)
    return readable_frame(out).rename(columns={k: _(v) for k, v in _HEADINGS.items()})


def _ordered(frame: pd.DataFrame, selected: str | None) -> pd.DataFrame:
    """The selected incident first (a marker clicked on the map shows at the top)."""
    rows = frame
    if selected is not None and selected in set(frame["id"]):
        rows = pd.concat([frame[frame["id"] == selected], frame[frame["id"] != selected]])
    return rows.head(MAX_ROWS).reset_index(drop=True)


def _ticks(selected: str | None, ids: list[str]) -> list[str]:
    """The ticked ids still listed. An incident selected elsewhere (the map, a link)
    replaces the ticks, as a click on its row would."""
    if st.session_state.get(SYNCED, None) != selected:
        st.session_state[TICKED] = [selected] if selected else []
        st.session_state[SYNCED] = selected
        st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    present = set(ids)
    ticked = [i for i in st.session_state.get(TICKED, []) if i in present]
    st.session_state[TICKED] = ticked  # rows that left the list leave the ticks
    return ticked


def _key(ids: list[str], multi: bool) -> str:
    """A new table (with the kept ticks as its default) whenever its rows change."""
    digest = hashlib.sha1("\n".join(ids).encode(), usedforsecurity=False).hexdigest()[:16]
    return f"table_{'multi' if multi else 'single'}_{st.session_state.get(ROUND, 0)}_{digest}"


def _columns() -> dict[str, ColumnConfig]:
    """Each column's width in the reader's script (WIDTHS, WIDTHS_RTL). The reference
    stays in view when the table scrolls sideways; it can only be pinned to the left,
    where it is the last column right to left (the page scrolls such a table to its
    right end instead: language.py)."""
    rtl = is_rtl()
    widths = WIDTHS_RTL if rtl else WIDTHS
    return {
        _(name): st.column_config.Column(width=w, pinned=(name == "Ref." and not rtl) or None)
        for name, w in widths.items()
    }


def render(frame: pd.DataFrame, selected: str | None, shown: Listed, multi: bool) -> Pick:
    """Show up to MAX_ROWS rows (selected one first); return what the person picked.

    multi: several rows may be ticked (for editors); otherwise one row at a time."""
    rows = _ordered(frame, selected)
    ids = [str(i) for i in rows["id"]]
    with st.container():  # the table keeps its place with or without this line
        if shown.total > len(rows):
            lists = _(
                "The table lists {n} of these {total} incidents: "
                "zoom in or add filters to see the others."
            )
            st.caption(lists.format(n=number(len(rows)), total=number(shown.total)))
    ticked = _ticks(selected, ids)
    if not multi:
        ticked = ticked[:1]  # an editor's ticks, after signing out
    shown_rows = _display(rows)
    event = st.dataframe(
        shown_rows,
        column_order=column_order(shown_rows.columns),
        key=_key(ids, multi),
        on_select="rerun",
        selection_mode=["multi-row" if multi else "single-row", "single-cell"],
        selection_default={"selection": {"rows": [ids.index(i) for i in ticked]}},
        column_config=_columns(),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * max(len(rows), 1), 390),
    )
    positions = event.selection.rows if event is not None else []
    chosen = [ids[p] for p in positions if 0 <= p < len(ids)]
    if set(chosen) == set(ticked):  # no tick changed: a click on a cell opens its row
        cells = getattr(event.selection, "cells", []) if event is not None else []
        row = int(cells[0][0]) if cells else -1
        if not 0 <= row < len(ids):
            return Pick(None, ticked)
        st.session_state[SYNCED] = ids[row]  # opened here: an editor's ticks stay
        return Pick(ids[row], ticked)
    st.session_state[TICKED] = chosen
    opened = None
    if len(chosen) == 1 or (chosen and not multi):
        opened = chosen[-1]
        st.session_state[SYNCED] = opened
    return Pick(opened, chosen)
