"""The whole view (filters, time window, map extent, layer) as URL query parameters.

Pure and Streamlit-free: to_params() gives what st.query_params should hold,
from_params() reads it back. A shared or reloaded link reopens the same view; a
link with bad or unknown values opens with those values ignored, never an error.
Only values that differ from the defaults are written, so links stay short.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from incidents.query import Query
from incidents.schema import (
    DATE_KINDS,
    INCIDENT_TYPES,
    LOCATION_PRECISIONS,
    VERIFICATION_STATUSES,
)

LAYER_CODES = ("markers", "heat", "districts")
MEASURE_CODES = ("incidents", "killed_best", "disappeared_best", "displaced_best")
BIN_CODES = ("day", "week", "month")
ParamValue = str | list[str]


@dataclass(frozen=True)
class ViewState:
    """Everything a link must carry to reopen a view."""

    query: Query = field(default_factory=Query)
    center: tuple[float, float] | None = None
    zoom: int | None = None
    layer: str = "markers"
    measure: str = "incidents"
    online_tiles: bool = False
    selected: str | None = None
    bin: str = "month"


_LISTS = {
    "kind": "date_kinds",
    "type": "types",
    "perp": "perpetrators",
    "ver": "verification",
    "dist": "admin1_codes",
    "tag": "tags",
}


def to_params(view: ViewState) -> dict[str, ParamValue]:
    """Query parameters for view; defaults are left out."""
    q = view.query
    out: dict[str, ParamValue] = {}
    if q.date_from:
        out["from"] = q.date_from.isoformat()
    if q.date_to:
        out["to"] = q.date_to.isoformat()
    if q.date_mode == "within":
        out["dates"] = "within"
    for key, attr in _LISTS.items():
        values = list(getattr(q, attr))
        if values:
            out[key] = values
    if q.max_precision:
        out["prec"] = q.max_precision
    if q.text.strip():
        out["q"] = q.text.strip()
    if not q.include_unlocated:
        out["unlocated"] = "0"
    return {**out, **_view_params(view)}


def _view_params(view: ViewState) -> dict[str, ParamValue]:
    out: dict[str, ParamValue] = {}
    if view.center is not None:
        out["lat"] = f"{view.center[0]:.5f}"
        out["lon"] = f"{view.center[1]:.5f}"
    if view.zoom is not None:
        out["z"] = str(view.zoom)
    if view.layer != "markers":
        out["layer"] = view.layer
    if view.measure != "incidents":
        out["measure"] = view.measure
    if view.online_tiles:
        out["tiles"] = "1"
    if view.selected:
        out["sel"] = view.selected
    if view.bin != "month":
        out["bin"] = view.bin
    return out


def _all(params: Mapping[str, str | Sequence[str]], key: str) -> list[str]:
    value = params.get(key)
    if value is None:
        return []
    values = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for v in values:  # accept both repeated keys and comma-joined codes
        out += [p.strip() for p in str(v).split(",")] if key in _CODED else [str(v).strip()]
    return [v for v in dict.fromkeys(out) if v]


def _one(params: Mapping[str, str | Sequence[str]], key: str) -> str | None:
    values = _all(params, key)
    return values[-1] if values else None


_CODED = {"kind": DATE_KINDS, "type": INCIDENT_TYPES, "ver": VERIFICATION_STATUSES}


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _float(text: str | None, low: float, high: float) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    if value is None or math.isnan(value) or not low <= value <= high:
        return None
    return value


def _query(params: Mapping[str, str | Sequence[str]]) -> Query:
    lists: dict[str, tuple[str, ...]] = {}
    for key, attr in _LISTS.items():
        values = _all(params, key)
        if key in _CODED:
            values = [v for v in values if v in _CODED[key].codes]
        lists[attr] = tuple(values)
    date_from, date_to = _date(_one(params, "from")), _date(_one(params, "to"))
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    prec = _one(params, "prec")
    query = Query(
        date_from=date_from,
        date_to=date_to,
        date_mode="within" if _one(params, "dates") == "within" else "overlaps",
        max_precision=prec if prec in LOCATION_PRECISIONS.codes else None,
        text=(_one(params, "q") or "")[:200],
        include_unlocated=_one(params, "unlocated") != "0",
    )
    return query.replace(**lists)


def from_params(params: Mapping[str, str | Sequence[str]]) -> ViewState:
    """The view a link describes; anything invalid falls back to its default."""
    lat, lon = _float(_one(params, "lat"), -90, 90), _float(_one(params, "lon"), -180, 180)
    zoom = _float(_one(params, "z"), 1, 20)
    layer = _one(params, "layer")
    measure = _one(params, "measure")
    bin_ = _one(params, "bin")
    return ViewState(
        query=_query(params),
        center=(lat, lon) if lat is not None and lon is not None else None,
        zoom=int(zoom) if zoom is not None else None,
        layer=layer if layer in LAYER_CODES else "markers",
        measure=measure if measure in MEASURE_CODES else "incidents",
        online_tiles=_one(params, "tiles") == "1",
        selected=(_one(params, "sel") or None),
        bin=bin_ if bin_ in BIN_CODES else "month",
    )


def share_link(base_url: str, view: ViewState) -> str:
    """A full link to the view: base_url (the app's address) plus the query string."""
    query = urlencode(to_params(view), doseq=True)
    return f"{base_url}?{query}" if query else base_url


def describe(view: ViewState) -> list[str]:
    """The filters in words, for captions, exported images and the page header."""
    q = view.query
    words = []
    if q.date_from or q.date_to:
        rule = "lies within" if q.date_mode == "within" else "overlaps"
        words.append(f"date range {rule} {q.date_from or 'the beginning'} – {q.date_to or 'today'}")
    if q.types:
        words.append("type: " + ", ".join(INCIDENT_TYPES.label(t) for t in q.types))
    if q.date_kinds:
        words.append("dates: " + ", ".join(DATE_KINDS.label(k) for k in q.date_kinds))
    if q.perpetrators:
        words.append("perpetrator: " + ", ".join(q.perpetrators))
    if q.verification:
        words.append(
            "verification: " + ", ".join(VERIFICATION_STATUSES.label(v) for v in q.verification)
        )
    if q.admin1_codes:
        words.append("district: " + ", ".join(q.admin1_codes))
    if q.max_precision:
        words.append(
            f"location at least as precise as {LOCATION_PRECISIONS.label(q.max_precision)}"
        )
    if q.tags:
        words.append("tags: " + ", ".join(q.tags))
    if q.text.strip():
        words.append(f'text contains "{q.text.strip()}"')
    return words
