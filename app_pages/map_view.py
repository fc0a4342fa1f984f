"""The map component: keeps the basemap mounted and swaps only the data layer.

streamlit-folium remounts its frame whenever the basemap's script changes, so the
basemap is built from the view the session started with; the selection is sent as
a feature group, and "fly to" uses the component's center/zoom arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import streamlit as st
from branca.element import Figure
from folium import Element, FeatureGroup
from streamlit_folium import st_folium

from app_pages import common, language
from geodata import FALLBACK_COUNTRY, countries_of
from incidents.maps import (
    Drawn,
    MapOptions,
    aggregate,
    basemap,
    clicked_district,
    clicked_id,
    plan,
)
from incidents.maps.aggregate import Bounds
from incidents.maps.map_controls import DataExtent, StartExtent
from incidents.maps.page_data import check_tree
from incidents.store.column_index import ColumnIndex
from incidents.translation import _
from incidents.view_state import ViewState

KEY = "incident_map"
HEIGHT = 560  # the frame's height until the page's style sizes it to the screen
FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# In the frame: the map fills whatever height the page gives the frame (the component
# sets its div to HEIGHT pixels). Constant markup.
FILL = "<style>#map_div{height:100vh!important}</style>"
RETURNED = ["bounds", "zoom", "center", "last_object_clicked_tooltip", "last_object_clicked_count"]


@dataclass
class MapState:
    """What the map reported back: where it looks, and which marker or district was
    clicked (a district only on the district totals layer)."""

    bounds: Bounds | None
    center: tuple[float, float] | None
    zoom: int | None
    clicked: str | None
    drawn: Drawn
    district: str | None = None


def last_bounds() -> Bounds | None:
    """The map's extent as the browser last reported it (None before it has)."""
    value = st.session_state.get(KEY) or {}
    b = value.get("bounds") or {}
    sw, ne = b.get("_southWest") or {}, b.get("_northEast") or {}
    try:
        return (float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"]))
    except (KeyError, TypeError, ValueError):
        return None


def _center(value: dict) -> tuple[float, float] | None:
    c = value.get("center") or {}
    try:
        return (round(float(c["lat"]), 5), round(float(c["lng"]), 5))
    except (KeyError, TypeError, ValueError):
        return None


def _new_click(value: dict) -> str | None:
    """The clicked layer's tooltip text, once per click."""
    mark = (value.get("last_object_clicked_count"), value.get("last_object_clicked_tooltip"))
    if mark == st.session_state.get("_last_click") or not mark[1]:
        return None
    st.session_state["_last_click"] = mark
    return str(mark[1])


def _rows(idx: ColumnIndex) -> plan.Rows:
    return lambda query, columns, limit: common.rows(idx, query, columns, limit)


def last_zoom() -> int | None:
    """The map's zoom as the browser last reported it."""
    zoom = (st.session_state.get(KEY) or {}).get("zoom")
    return int(zoom) if isinstance(zoom, int | float) else None


def _layer(
    idx: ColumnIndex, view: ViewState, options: MapOptions, bounds: Bounds | None, zoom: int | None
) -> tuple[FeatureGroup, Drawn]:
    """The layer last sent while the view stays inside what it covers (the browser
    redraws it on zoom and pan by itself), else a new one. Per session: it is this
    viewer's selection, drawn from this viewer's index."""
    key = (id(idx), view.query, options)
    kept = st.session_state.get("_layer")
    if kept is not None and kept[0] == key and kept[1].covers(bounds, zoom):
        return kept[2], kept[3]
    group, drawn, coverage = plan.layer(idx, view.query, options, bounds, _rows(idx), zoom)
    st.session_state["_layer"] = (key, coverage, group, drawn)
    return group, drawn


def _district_list(idx: ColumnIndex, view: ViewState, countries: tuple[str, ...]) -> None:
    """The district totals the map shades, as a list to read (count_totals' words)."""
    table = idx.district_totals(view.query, view.measure)
    names = {str(c): str(n) for c, n in zip(*_district_names(countries), strict=True)}
    with st.expander(_("Totals per district, as a list"), expanded=False):
        words = aggregate.district_words(table, view.measure, names)
        st.dataframe(
            words,
            hide_index=True,
            key="district_totals",
            column_order=language.column_order(words.columns),
        )


@st.cache_data(show_spinner=False)
def _district_names(countries: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Codes and names of the districts of every country the incidents are in."""
    from geodata import admin1_frame

    frames = [admin1_frame(country) for country in countries]
    return [c for f in frames for c in f["code"]], [n for f in frames for n in f["name_en"]]


Start = tuple[tuple[float, float] | None, int | None, list[list[float]] | None]


def _kept_start() -> Start | None:
    """The start this session's map opened at, if it was made for what this viewer
    sees: the first layer's extent is the outermost records' points, exact for staff,
    so after a sign-out in the same tab the public map never opens on (nor carries in
    its page) the extent of records it may not read. None on the first run after
    another page (the map is drawn anew): it then opens at the view, not where it first
    opened (back from the form, the map came back at its first zoom)."""
    if common.arrived():
        return None
    kept = st.session_state.get("_map_start")
    if not isinstance(kept, tuple) or kept[0] != common.access_key():
        return None
    return cast(Start, kept[1])


def _start(view: ViewState, group: FeatureGroup) -> Start:
    """The view the session's map opened at (center, zoom, and the first layer's extent
    to fit when there was none): kept, so the basemap is the same every run."""
    kept = _kept_start()
    if kept is None:
        opened_at_view = view.center is not None and view.zoom is not None
        kept = (view.center, view.zoom, None if opened_at_view else _extent_of(group))
        st.session_state["_map_start"] = (common.access_key(), kept)
    return kept


def _extent_of(group: FeatureGroup) -> list[list[float]] | None:
    """The extent the layer tells "Zoom to the incidents" (its DataExtent)."""
    found = (c.bounds for c in group._children.values() if isinstance(c, DataExtent))
    return next(found, None)


def render(idx: ColumnIndex, view: ViewState, selected: str | None) -> MapState:
    """Draw the map for the selection; return its extent and any new marker click."""
    kept = _kept_start()  # None on the session's first run (for this viewer)
    bounds = last_bounds()
    # outlines and names where the data is
    countries = countries_of(idx.district_counts()) or (FALLBACK_COUNTRY,)
    options = MapOptions(
        layer=view.layer, measure=view.measure, selected_id=selected, countries=countries
    )
    group, drawn = _layer(
        idx, view, options, bounds, last_zoom() or (kept[1] if kept else view.zoom)
    )
    start = _start(view, group)
    base = basemap(
        countries, start[0], start[1], online_tiles=view.online_tiles, animate_zoom=False
    )
    if start[2]:
        base.add_child(StartExtent(start[2]))
    fly = st.session_state.get("_fly")
    cast(Figure, base.get_root()).header.add_child(Element(FILL), name="fill_frame")
    check_tree(base)
    check_tree(group)  # record text is data on the page, never template source
    value = (
        st_folium(
            base,
            key=KEY,
            height=HEIGHT,
            use_container_width=True,
            feature_group_to_add=group,
            center=fly[:2] if fly else None,
            zoom=fly[2] if fly else None,
            returned_objects=RETURNED,
        )
        or {}
    )
    if view.layer == "districts":
        _district_list(idx, view, countries)
    zoom, click = value.get("zoom"), _new_click(value)
    return MapState(
        bounds=last_bounds() or bounds,
        center=_center(value),
        zoom=int(zoom) if isinstance(zoom, int | float) else None,
        clicked=clicked_id(click, drawn.ids),
        drawn=drawn,
        district=clicked_district(click) if view.layer == "districts" else None,
    )
