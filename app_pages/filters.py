"""The sidebar: filters, time window and layer choices, read into a ViewState.

Widget values start from the URL (or from this session's last view, when the user
comes back from another page); the page writes the resulting view back to the URL.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from geodata import district_by_code
from incidents.maps import LAYERS
from incidents.maps.aggregate import MEASURES
from incidents.query import Query
from incidents.schema import DATE_KINDS, INCIDENT_TYPES, LOCATION_PRECISIONS, VERIFICATION_STATUSES
from incidents.view_state import ViewState

PENDING = "_pending_widgets"
WINDOW = "_time_window"
WINDOW_VERSION = "_time_window_version"
_PREC_ANY = "any"


def widget_defaults(view: ViewState) -> dict[str, Any]:
    """Widget key -> value for a view (how a URL becomes the sidebar)."""
    q = view.query
    return {
        "f_types": list(q.types),
        "f_perps": list(q.perpetrators),
        "f_ver": list(q.verification),
        "f_dist": list(q.admin1_codes),
        "f_prec": q.max_precision or _PREC_ANY,
        "f_tags": list(q.tags),
        "f_text": q.text,
        "f_kinds": list(q.date_kinds),
        "f_unlocated": q.include_unlocated,
        "d_mode": q.date_mode,
        "m_layer": view.layer,
        "m_measure": view.measure,
        "m_tiles": view.online_tiles,
        "t_bin": view.bin,
    }


def prime(view: ViewState) -> None:
    """Give every widget its starting value, and apply changes asked for last run."""
    for key, value in widget_defaults(view).items():
        if key not in st.session_state:
            st.session_state[key] = value
    st.session_state.setdefault(WINDOW, (view.query.date_from, view.query.date_to))
    st.session_state.setdefault(WINDOW_VERSION, 0)
    for key, value in st.session_state.pop(PENDING, {}).items():
        st.session_state[key] = value


def request(**values: Any) -> None:
    """Change widget values from code after the widgets were drawn (applied next run)."""
    st.session_state.setdefault(PENDING, {}).update(values)


def set_window(start: date | None, end: date | None) -> None:
    """Set the time window from code (presets, brushing, playback), at any point of a run.

    The window lives outside the date widgets, whose keys change with each such set:
    a rerun that arrives carrying the old widgets' stale values then cannot undo it.
    """
    st.session_state[WINDOW] = (start, end)
    st.session_state[WINDOW_VERSION] = st.session_state.get(WINDOW_VERSION, 0) + 1


def window() -> tuple[date | None, date | None]:
    value = st.session_state.get(WINDOW) or (None, None)
    return value[0], value[1]


def _typed(version: int) -> None:
    """A person changed a date field: that is the window now."""
    ss = st.session_state
    ss[WINDOW] = (ss.get(f"d_from_{version}"), ss.get(f"d_to_{version}"))


def _district_options(codes: list[str]) -> dict[str, str]:
    """The districts the records name (and any already chosen), labelled in both scripts.

    Only these: districts are bundled for every country now, and a list of 4,000 names
    would be sent to the browser on every run.
    """
    names: dict[str, str] = {}
    chosen = st.session_state.get("f_dist") or []
    for code in sorted({*codes, *chosen}):
        district = district_by_code(code)
        if district is None:
            names[code] = code
            continue
        en, ar = district.name_en, district.name_ar
        names[code] = f"{en} · {ar} ({code})" if ar else f"{en} ({code})"
    return names


def _filters(choices: dict[str, list[str]]) -> Query:
    st.multiselect("Type", INCIDENT_TYPES.codes, format_func=INCIDENT_TYPES.label, key="f_types")
    st.multiselect("Alleged perpetrator", choices["perpetrators"], key="f_perps")
    st.multiselect(
        "Verification",
        VERIFICATION_STATUSES.codes,
        format_func=VERIFICATION_STATUSES.label,
        key="f_ver",
    )
    districts = _district_options(choices.get("districts", []))
    st.multiselect(
        "District", list(districts), format_func=lambda c: districts.get(c, c), key="f_dist"
    )
    precisions = [_PREC_ANY, *LOCATION_PRECISIONS.codes[:-1]]
    st.selectbox(
        "Location known at least to",
        precisions,
        format_func=lambda c: "Any precision" if c == _PREC_ANY else LOCATION_PRECISIONS.label(c),
        key="f_prec",
        help="Hides incidents whose place is known less precisely than this.",
    )
    st.multiselect("Tags", choices["tags"], key="f_tags")
    st.text_input("Text contains", key="f_text", placeholder="title, description, place, id")
    st.checkbox("Include incidents with no place", key="f_unlocated")
    ss = st.session_state
    return Query(
        types=tuple(ss.f_types),
        perpetrators=tuple(ss.f_perps),
        verification=tuple(ss.f_ver),
        admin1_codes=tuple(ss.f_dist),
        max_precision=None if ss.f_prec == _PREC_ANY else ss.f_prec,
        tags=tuple(ss.f_tags),
        text=ss.f_text.strip(),
        include_unlocated=bool(ss.f_unlocated),
    )


def _time(query: Query) -> Query:
    st.subheader("Time")
    c1, c2 = st.columns(2)
    version = st.session_state.get(WINDOW_VERSION, 0)
    start, end = window()
    for col, label, name, value in ((c1, "From", "d_from", start), (c2, "To", "d_to", end)):
        col.date_input(
            label,
            value=value,
            key=f"{name}_{version}",
            format="YYYY-MM-DD",
            on_change=_typed,
            args=(version,),
        )
    st.radio(
        "An incident with an uncertain date counts when its date range",
        ["overlaps", "within"],
        format_func=lambda m: (
            "overlaps the window" if m == "overlaps" else "lies entirely within it"
        ),
        key="d_mode",
    )
    st.multiselect(
        "Which dates",
        DATE_KINDS.codes,
        format_func=DATE_KINDS.label,
        key="f_kinds",
        help="Each record gives one date and says what it is: when it occurred, "
        "or when it was discovered or reported. Empty: all of them.",
    )
    ss = st.session_state
    start, end = window()
    if start and end and start > end:
        st.warning("'From' is after 'To': the two dates were swapped.")
        start, end = end, start
    return query.replace(
        date_from=start, date_to=end, date_mode=ss.d_mode, date_kinds=tuple(ss.f_kinds)
    )


def _layers() -> None:
    st.subheader("Map")
    st.radio("Show", list(LAYERS), format_func=lambda c: LAYERS[c], key="m_layer", horizontal=True)
    if st.session_state.m_layer == "districts":
        st.selectbox("Count", list(MEASURES), format_func=lambda c: MEASURES[c], key="m_measure")
    st.checkbox(
        "Online map tiles (needs internet)",
        key="m_tiles",
        help="Off by default: the map uses the country and district outlines bundled with the app.",
    )


def sidebar(view: ViewState, choices: dict[str, list[str]]) -> ViewState:
    """Draw the sidebar; return the view it describes (map extent and selection kept).

    choices: the values each list filter offers (perpetrators, tags, districts).
    """
    with st.sidebar:
        st.header("Filters")
        query = _time(_filters(choices))
        _layers()
    ss = st.session_state
    return ViewState(
        query=query,
        center=view.center,
        zoom=view.zoom,
        layer=ss.m_layer,
        measure=ss.m_measure,
        online_tiles=bool(ss.m_tiles),
        selected=view.selected,
        bin=ss.t_bin,
    )
