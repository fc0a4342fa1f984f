"""The widgets of the incident form, and the raw row they add up to.

The row has the spreadsheet template's field names, so the form is validated by
the very code that validates imports.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app_pages import common, language, once
from geodata import FALLBACK_COUNTRY, available_countries, district_at, geocode, record_country
from incidents.export.placement_words import town_name
from incidents.field_words import SOURCE_HEADINGS
from incidents.field_words import field_label as label
from incidents.form_edit import COUNTS, FIELDS, FormValues
from incidents.maps import basemap, localize
from incidents.maps.layers import Pins
from incidents.maps.map_controls import ControlWords
from incidents.maps.page_data import check_tree
from incidents.schema import (
    CONFIDENTIAL_FIELDS,
    DATE_KINDS,
    DATE_PRECISIONS,
    INCIDENT_TYPES,
    LOCATION_PRECISIONS,
    SENSITIVITIES,
    SOURCE_PARTS,
    VERIFICATION_STATUSES,
)
from incidents.translation import N_, _

SOURCES, SOURCES_EDITOR = "e_sources", "e_sources_editor"
FORM = "_entry_form"  # {"id", "record", "base", "draft", "owner"}: the open form (entry_page)


def _sources_frame(rows: Any) -> pd.DataFrame:
    return pd.DataFrame(list(rows or []), columns=list(SOURCE_PARTS)).fillna("")


def fill(values: FormValues) -> None:
    """Fill the form's widgets with these values (a record's, or a draft), dropping
    whatever the widgets held before."""
    ss = st.session_state
    for key in [k for k in ss if str(k).startswith("e_")]:
        del ss[key]
    for name in FIELDS:
        if name != "sources":
            ss[f"e_{name}"] = values.get(name)
    ss[SOURCES] = _sources_frame(values.get("sources"))
    ss["e_candidates"] = []


def restore(draft: FormValues) -> None:
    """Put back the values of widgets Streamlit dropped while another page was shown
    (it forgets a widget's value when its page is not drawn), so the form shows the
    draft, never a blank or default the person did not choose."""
    ss = st.session_state
    for name in FIELDS:
        if name != "sources" and f"e_{name}" not in ss:
            ss[f"e_{name}"] = draft.get(name)
    if SOURCES_EDITOR not in ss:  # no edits pending on the table: it shows the draft's rows
        ss[SOURCES] = _sources_frame(draft.get("sources"))
    ss.setdefault("e_candidates", [])


def keep_typed() -> bool:
    """Keep what the form's widgets hold in its draft, for its owner's next sign-in; True
    when a form was open. Called when the session ended while the form was open (the
    Save that found it ended, or any step): that run shows the map instead, Streamlit
    then forgets the widgets' values, and the text typed was lost (tried as an editor
    would, signed out in another tab while typing witness details)."""
    state = st.session_state.get(FORM)
    if not isinstance(state, dict):
        return False
    ss = st.session_state
    typed = {n: ss[f"e_{n}"] for n in FIELDS if n != "sources" and f"e_{n}" in ss}
    state["draft"] = {**state.get("draft", {}), **typed}
    state["interrupted"] = True
    return True


def values(sources: pd.DataFrame) -> FormValues:
    """The form's values now (what the widgets hold), with the sources table's rows."""
    ss = st.session_state
    out: FormValues = {name: ss.get(f"e_{name}") for name in FIELDS if name != "sources"}
    out["sources"] = sources.fillna("").to_dict("records")
    return out


def _problem(problems: dict[str, str], *names: str) -> None:
    for name in names:
        if name in problems:
            st.error(f"{label(name)}: {problems[name]}", icon="⚠️")


def _set_point(lat: float, lon: float, method: str) -> None:
    ss = st.session_state
    ss["e_latitude"], ss["e_longitude"], ss["e_method"] = round(lat, 6), round(lon, 6), method
    ss["e_place_unknown"] = False
    district = district_at(lat, lon)
    if district is not None:
        ss["e_admin1"], ss["e_admin1_code"] = district.name_en, district.code


def _find() -> None:
    name = st.session_state.get("e_place", "").strip()
    country = st.session_state.get("e_country") or FALLBACK_COUNTRY
    result = geocode(name, country) if name else None
    st.session_state["e_candidates"] = list(result.matches) if result else []
    if result is not None and not result.matches:
        once.ask(
            "_entry_error",
            _("No place called '{name}' was found. Click the map instead.").format(name=name),
        )


def _pick(index: int) -> None:
    match = st.session_state["e_candidates"][index]
    _set_point(match.lat, match.lon, "geocoded")
    st.session_state["e_location_precision"] = "town"


def _small_map(candidates: list[Any]) -> None:
    ss = st.session_state
    lat, lon = ss.get("e_latitude"), ss.get("e_longitude")
    point = (float(lat), float(lon)) if lat is not None and lon is not None else None
    country = str(ss.get("e_country") or "").upper() or FALLBACK_COUNTRY
    m = basemap(country if country in available_countries() else FALLBACK_COUNTRY,
                point, 9 if point else None)  # fmt: skip
    pins = [[c.lat, c.lon, f"{n}. {c.name}", 0] for n, c in enumerate(candidates, start=1)]
    if point is not None:
        pins.append([point[0], point[1], _("The incident's point"), 1])
    Pins(pins).add_to(m)
    ControlWords().add_to(m)  # its buttons, scale, credits and town names in the reader's words
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
    st.subheader(_("Where"))
    c1, c2 = st.columns([3, 1])
    hint = _("(as in the source; Arabic or Latin script)")
    c1.text_input(f"{label('place')} {hint}", key="e_place")
    c2.button(_("Find places"), on_click=_find)
    candidates = st.session_state.get("e_candidates") or []
    for n, match in enumerate(candidates):
        st.button(_candidate_words(n, match), key=f"e_pick_{n}", on_click=_pick, args=(n,))
    st.caption(_("Or click the map to set the point by hand."))
    _small_map(candidates)
    _problem(problems, "latitude", "longitude", "place")


def _candidate_words(n: int, match: Any) -> str:
    """'1. ترهونة (Tarhuna) (Murqub) · 32.4350, 13.6332 · تطابق 100%': the town as the
    reader's map names it, each part isolated so right-to-left text does not pull the
    numbers and the per cent sign out of place."""
    name = town_name(match.name, record_country(match.country, match.admin1_code))
    if name != match.name:
        name = f"{name} ({match.name})"
    where = f"{match.lat:.4f}, {match.lon:.4f}"
    score = _("match {score}%").format(score=f"{match.score:.0f}")
    parts = [name, f"({match.admin1})", where, score]
    return f"{n + 1}. " + " · ".join(f"\u2068{part}\u2069" for part in parts)


def _text(name: str, problems: dict[str, str], area: bool = False, hint: str = "") -> None:
    (st.text_area if area else st.text_input)(label(name) + hint, key=f"e_{name}")
    _problem(problems, name)


def _coded(name: str, vocabulary: Any, problems: dict[str, str], tip: str = "") -> None:
    st.selectbox(label(name), vocabulary.codes, format_func=vocabulary.shown, key=f"e_{name}",
                 help=tip or None)  # fmt: skip
    _problem(problems, name)


# What the public is shown of a public incident at each precision (incidents.public_place):
# lowering the precision to hide a site, an editor should know the place text goes out
# as written for an incident known only to its district.
PRECISION_TIP = N_(
    "What the public sees of a public incident (by default): an exact, approximate or "
    "town-level site is shown at its town or at the centre of a grid square, never with "
    "the place as written here; one known only to its district, at the district's centre with the "
    "place as written here (make sure it names no site); one known only to its country, "
    "its country and nothing finer."
)


def _when(problems: dict[str, str]) -> None:
    c1, c2, c3, c4 = st.columns(4)
    for column, name, mark in ((c1, "date_start", " *"), (c2, "date_end", "")):
        column.date_input(label(name) + mark, key=f"e_{name}", value=None, format="YYYY-MM-DD",
                          min_value=common.EARLIEST, max_value=common.LATEST)  # fmt: skip
    with c3:
        _coded("date_precision", DATE_PRECISIONS, problems)
    with c4:
        _coded("date_kind", DATE_KINDS, problems)
    _problem(problems, "date_start", "date_end")


def _where(problems: dict[str, str]) -> None:
    c1, c2, c3 = st.columns(3)
    c1.number_input(label("latitude"), key="e_latitude", value=None, format="%.6f",
                    min_value=-90.0, max_value=90.0)  # fmt: skip
    c2.number_input(label("longitude"), key="e_longitude", value=None, format="%.6f",
                    min_value=-180.0, max_value=180.0)  # fmt: skip
    with c3:
        _coded("location_precision", LOCATION_PRECISIONS, problems, _(PRECISION_TIP))
    st.checkbox(
        label("place_unknown") + " " + _("(the sources name no place and give no point)"),
        key="e_place_unknown",
    )
    c1, c2 = st.columns(2)
    c1.number_input(label("location_uncertainty_km"), key="e_location_uncertainty_km",
                    value=None, min_value=0.0)  # fmt: skip
    with c2:
        _text("admin1_code", problems, hint=" " + _("(e.g. LY-MB)"))


def _confidential(problems: dict[str, str]) -> None:
    """Victims, witnesses and notes, for those entitled to them only (the record read
    for anyone else holds them empty, and a save leaves what the form does not draw)."""
    if not common.viewer().sees_confidential:
        return
    st.markdown("**" + _("Confidential: staff only") + "**")
    st.caption(
        _(
            "Only editors and administrators see these fields. They never appear on "
            "the map, in public views or in exports for anyone else."
        )
    )
    for name in CONFIDENTIAL_FIELDS:
        _text(name, problems, area=True)


def form_fields(problems: dict[str, str]) -> FormValues:
    """Draw the form's fields (required ones marked *); return the values they hold."""
    st.caption(_("Fields marked * are required."))
    st.selectbox(
        label("type") + " *",
        INCIDENT_TYPES.codes,
        format_func=INCIDENT_TYPES.shown,
        key="e_type",
        index=None,
        placeholder=_("Choose the type of incident"),
    )
    _problem(problems, "type")
    _text("title", problems, hint=" *")
    _text("description", problems, area=True)
    _when(problems)
    _where(problems)
    _text("perpetrators", problems, hint=" " + _("(separate with ;)"))
    cols = st.columns(3)
    for col, name in zip(cols * 3, COUNTS, strict=False):
        col.number_input(label(name), key=f"e_{name}", value=None, min_value=0, step=1)
    _problem(problems, *COUNTS)
    _coded("verification", VERIFICATION_STATUSES, problems)
    _text("tags", problems, hint=" " + _("(separate with ;)"))
    _coded("sensitivity", SENSITIVITIES, problems)
    st.checkbox(label("public_date_to_month"), key="e_public_date_to_month")
    _confidential(problems)
    st.markdown(_("**Sources** (one row each; sha256 of the saved copy if you have one)"))
    sources = st.data_editor(
        st.session_state[SOURCES],
        num_rows="dynamic",
        key=SOURCES_EDITOR,
        width="stretch",
        column_config={c: st.column_config.TextColumn(_(h)) for c, h in SOURCE_HEADINGS.items()},
        column_order=language.column_order(SOURCE_PARTS),
        hide_index=True,
    )
    _problem(problems, *[p for p in problems if p.startswith("source")])
    return values(sources)
