"""The widgets of the incident form, and the raw row they add up to.

The row has the spreadsheet template's field names, so the form is validated by
the very code that validates imports.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geodata import district_at, geocode
from incidents.maps import basemap, localize
from incidents.maps.layers import Pins
from incidents.maps.page_data import check_tree
from incidents.record import Incident
from incidents.schema import (
    DATE_KINDS,
    DATE_PRECISIONS,
    INCIDENT_TYPES,
    LOCATION_PRECISIONS,
    SENSITIVITIES,
    SOURCE_PARTS,
    VERIFICATION_STATUSES,
)

_TEXT = ("title", "description", "place", "admin1", "admin1_code", "country")
_ROW_FIELDS = (
    *_TEXT, "type", "date_precision", "date_kind", "location_precision", "verification",
    "sensitivity", "date_start", "date_end", "latitude", "longitude",
    "location_uncertainty_km", "perpetrators", "tags", "public_date_to_month",
)  # fmt: skip
_COUNTS = tuple(
    f"{w}_{b}" for w in ("killed", "disappeared", "displaced") for b in ("min", "best", "max")
)


def prime(record: Incident | None) -> None:
    """Fill the form's widgets from a record (or with a new record's defaults)."""
    r = record or Incident(id="", type="other", title="", date_start=pd.Timestamp.today().date(),
                           date_end=pd.Timestamp.today().date(), country="LY",
                           location_precision="town", sensitivity="restricted")  # fmt: skip
    ss = st.session_state
    for name in _TEXT:
        ss[f"e_{name}"] = getattr(r, name) or ""
    for name in (
        "type",
        "date_precision",
        "date_kind",
        "location_precision",
        "verification",
        "sensitivity",
    ):
        ss[f"e_{name}"] = getattr(r, name)
    ss["e_date_start"], ss["e_date_end"] = r.date_start, r.date_end
    ss["e_latitude"], ss["e_longitude"] = r.latitude, r.longitude
    ss["e_location_uncertainty_km"] = r.location_uncertainty_km
    ss["e_method"] = r.location_method
    ss["e_perpetrators"] = "; ".join(r.perpetrators)
    ss["e_tags"] = "; ".join(r.tags)
    ss["e_public_date_to_month"] = r.public_date_to_month
    for name in _COUNTS:
        ss[f"e_{name}"] = getattr(r, name)
    ss["e_sources"] = pd.DataFrame([s.to_dict() for s in r.sources], columns=list(SOURCE_PARTS))
    ss["e_candidates"] = []


def _problem(problems: dict[str, str], *names: str) -> None:
    for name in names:
        if name in problems:
            st.error(f"{name.replace('_', ' ')}: {problems[name]}", icon="⚠️")


def _set_point(lat: float, lon: float, method: str) -> None:
    ss = st.session_state
    ss["e_latitude"], ss["e_longitude"], ss["e_method"] = round(lat, 6), round(lon, 6), method
    district = district_at(lat, lon)
    if district is not None:
        ss["e_admin1"], ss["e_admin1_code"] = district.name_en, district.code


def _find() -> None:
    name = st.session_state.get("e_place", "").strip()
    result = geocode(name, st.session_state.get("e_country") or "LY") if name else None
    st.session_state["e_candidates"] = list(result.matches) if result else []
    if result is not None and not result.matches:
        st.session_state["_entry_error"] = (
            f"No place called '{name}' was found. Click the map instead."
        )


def _pick(index: int) -> None:
    match = st.session_state["e_candidates"][index]
    _set_point(match.lat, match.lon, "geocoded")
    st.session_state["e_location_precision"] = "town"


def _small_map(candidates: list[Any]) -> None:
    ss = st.session_state
    lat, lon = ss.get("e_latitude"), ss.get("e_longitude")
    point = (float(lat), float(lon)) if lat is not None and lon is not None else None
    m = basemap(center=point, zoom=9 if point else None)
    pins = [[c.lat, c.lon, f"{n}. {c.name}", 0] for n, c in enumerate(candidates, start=1)]
    if point is not None:
        pins.append([point[0], point[1], "The incident's point", 1])
    Pins(pins).add_to(m)
    check_tree(m)
    value = st_folium(localize(m), key="entry_map", height=320, use_container_width=True,
                      returned_objects=["last_clicked"]) or {}  # fmt: skip
    clicked = value.get("last_clicked")
    if clicked and clicked != ss.get("_entry_last_click"):
        ss["_entry_last_click"] = clicked
        _set_point(float(clicked["lat"]), float(clicked["lng"]), "manual")
        st.rerun()


def place_finder(problems: dict[str, str]) -> None:
    """Type a place name, pick a candidate, or click the map to set the point."""
    st.subheader("Where")
    c1, c2 = st.columns([3, 1])
    c1.text_input("Place name (as in the source; Arabic or Latin script)", key="e_place")
    c2.button("Find places", on_click=_find)
    candidates = st.session_state.get("e_candidates") or []
    for n, match in enumerate(candidates):
        where = f"{match.lat:.4f}, {match.lon:.4f}"
        label = f"{n + 1}. {match.name} ({match.admin1}) · {where} · match {match.score:.0f}%"
        st.button(label, key=f"e_pick_{n}", on_click=_pick, args=(n,))
    st.caption("Or click the map to set the point by hand.")
    _small_map(candidates)
    _problem(problems, "latitude", "longitude", "place")


def _text(label: str, name: str, problems: dict[str, str], area: bool = False) -> None:
    (st.text_area if area else st.text_input)(label, key=f"e_{name}")
    _problem(problems, name)


def _coded(label: str, name: str, vocabulary: Any, problems: dict[str, str]) -> None:
    st.selectbox(label, vocabulary.codes, format_func=vocabulary.label, key=f"e_{name}")
    _problem(problems, name)


def form_fields(problems: dict[str, str]) -> dict[str, Any]:
    """Draw the form's fields; return the raw row (template field names) they give."""
    _coded("Type", "type", INCIDENT_TYPES, problems)
    _text("Title", "title", problems)
    _text("Description", "description", problems, area=True)
    c1, c2, c3, c4 = st.columns(4)
    c1.date_input("From", key="e_date_start", format="YYYY-MM-DD")
    c2.date_input("To", key="e_date_end", format="YYYY-MM-DD")
    with c3:
        _coded("Date known to the", "date_precision", DATE_PRECISIONS, problems)
    with c4:
        _coded("This date is when it", "date_kind", DATE_KINDS, problems)
    _problem(problems, "date_start", "date_end")
    c1, c2, c3 = st.columns(3)
    c1.number_input(
        "Latitude", key="e_latitude", value=None, format="%.6f", min_value=-90.0, max_value=90.0
    )
    c2.number_input(
        "Longitude", key="e_longitude", value=None, format="%.6f", min_value=-180.0, max_value=180.0
    )
    with c3:
        _coded("Location known to", "location_precision", LOCATION_PRECISIONS, problems)
    c1, c2 = st.columns(2)
    c1.number_input(
        "Uncertainty radius (km)", key="e_location_uncertainty_km", value=None, min_value=0.0
    )
    with c2:
        _text("District code (e.g. LY-MB)", "admin1_code", problems)
    _text("Alleged perpetrators (separate with ;)", "perpetrators", problems)
    cols = st.columns(3)
    for col, name in zip(cols * 3, _COUNTS, strict=False):
        col.number_input(
            name.replace("_", " ").capitalize(), key=f"e_{name}", value=None, min_value=0, step=1
        )
    _problem(problems, *_COUNTS)
    _coded("Verification", "verification", VERIFICATION_STATUSES, problems)
    _text("Tags (separate with ;)", "tags", problems)
    _coded("Who may see it", "sensitivity", SENSITIVITIES, problems)
    st.checkbox("Public views show only the month", key="e_public_date_to_month")
    st.markdown("**Sources** (one row each; sha256 of the saved copy if you have one)")
    sources = st.data_editor(
        st.session_state["e_sources"],
        num_rows="dynamic",
        key="e_sources_editor",
        width="stretch",
        hide_index=True,
    )
    _problem(problems, *[p for p in problems if p.startswith("source")])
    return raw_row(sources)


def raw_row(sources: pd.DataFrame) -> dict[str, Any]:
    """The form's values as a template row: what validate_row takes."""
    ss = st.session_state
    raw: dict[str, Any] = {name: ss.get(f"e_{name}") for name in (*_ROW_FIELDS, *_COUNTS)}
    raw["place"] = ss.get("e_place", "")
    raw["location_method"] = ss.get("e_method", "manual")
    raw = {k: ("" if v is None else v) for k, v in raw.items()}
    for k in ("date_start", "date_end"):
        raw[k] = raw[k].isoformat() if hasattr(raw[k], "isoformat") else raw[k]
    for n, row in enumerate(sources.fillna("").to_dict("records"), start=1):
        for part in SOURCE_PARTS:
            raw[f"source{n}_{part}"] = str(row.get(part, "") or "")
    return raw
