"""The whole view (filters, time window, map extent, layer) as URL query parameters.

Pure and Streamlit-free: to_params() gives what st.query_params should hold,
from_params() reads it back. A shared or reloaded link reopens the same view; a
link with bad or unknown values opens with those values ignored, never an error.
Only values that differ from the defaults are written, so links stay short.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode, urlsplit

from geodata.district_names import reader_name
from incidents import filter_fields
from incidents.access import shared_point
from incidents.query import Query
from incidents.translation import _, isolate, language, supported
from incidents.validation import clean_text

LAYER_CODES = ("markers", "heat", "districts")
MEASURE_CODES = ("incidents", "killed_best", "disappeared_best", "displaced_best")
BIN_CODES = ("day", "week", "month")
SPEED_CODES = ("2", "1", "0.5", "0.25")  # playback: seconds per step
STEP_CODES = ("one", "trail3", "trail12", "cumulative")  # playback: what each step shows
ParamValue = str | list[str]
# Where the map is and the incident open, written on every run of the map; and the
# record the form holds (the entry page's address). A change of these alone replaces
# the browser's history entry (app_pages/history_entries.py).
PLACE_PARAMS = ("lat", "lon", "z", "sel")
RECORD_PARAM = "id"
# ISO 3166-2 as the records and the bundled districts write it ("LY-MB"; Natural Earth's
# districts without an ISO code: "SY-X01~"). Case as stored: "ly-mb" would match nothing.
_DISTRICT_CODE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}~?")
_CODE_OF = {"district": _DISTRICT_CODE.fullmatch, "country": re.compile("[A-Z]{2}").fullmatch}
_CHOSEN = {"layer": LAYER_CODES, "measure": MEASURE_CODES, "bin": BIN_CODES,
           "speed": SPEED_CODES, "step": STEP_CODES}  # fmt: skip


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
    speed: str = "1"
    step: str = "one"
    lang: str = ""  # the interface's language, when chosen ("ar", "fr", "en")


def to_params(view: ViewState, exact: bool = False) -> dict[str, ParamValue]:
    """Query parameters for view; defaults are left out. The map's centre is named to
    access.SHARED_STEP_DEG unless exact (a public reader's own view: it can name no site
    its reader may not see)."""
    out: dict[str, ParamValue] = {}
    for f in filter_fields.FIELDS:
        value = getattr(view.query, f.name)
        if f.param and value != f.default and (written := _written(f, value)):
            out[f.param] = written
    if view.center is not None and exact:
        out |= {"lat": f"{view.center[0]:.5f}", "lon": f"{view.center[1]:.5f}"}
    elif view.center is not None:
        lat, lon = shared_point(*view.center)
        out |= {"lat": f"{lat:.1f}", "lon": f"{lon:.1f}"}
    if view.zoom is not None:
        out["z"] = str(view.zoom)
    out |= {k: getattr(view, k) for k in _CHOSEN if getattr(view, k) != getattr(ViewState(), k)}
    if view.online_tiles:
        out["tiles"] = "1"
    if view.selected:
        out["sel"] = view.selected
    if view.lang:
        out["lang"] = view.lang
    return out


def _written(f: filter_fields.FilterField, value: Any) -> ParamValue:
    if f.kind in filter_fields.LISTS:
        return list(value)
    if f.kind == "switch":
        return "1" if value else "0"
    return value.isoformat() if f.kind == "day" else str(value).strip()


def _all(params: Mapping[str, str | Sequence[str]], key: str, split: bool = False) -> list[str]:
    value = params.get(key)
    if value is None:
        return []
    values = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for v in values:  # coded lists accept both repeated keys and comma-joined codes
        out += [p.strip() for p in str(v).split(",")] if split else [str(v).strip()]
    return [v for v in dict.fromkeys(out) if v]


def _one(params: Mapping[str, str | Sequence[str]], key: str) -> str | None:
    values = _all(params, key)
    return values[-1] if values else None


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


def _read(f: filter_fields.FilterField, params: Mapping[str, str | Sequence[str]]) -> Any:
    one = _one(params, f.param)
    codes = f.vocab.codes if f.vocab else ()
    if f.kind == "day":
        return _date(one)
    if f.kind == "code":
        return one if one in codes else f.default
    if f.kind == "codes":
        return tuple(v for v in _all(params, f.param, split=True) if v in codes)
    if f.kind in ("names", "district", "country"):
        # ISO codes as stored ("LY-MB", "LY"): "XX-" or "Libya" would filter everything away.
        is_code = _CODE_OF.get(f.kind, bool)
        return tuple(v for v in _all(params, f.param) if is_code(v))
    if f.kind == "text":  # as the text box can hold it: one line, no control characters
        return clean_text(re.sub(r"[\r\n]+", " ", one or ""))[:200]
    return {"0": False, "1": True}.get(one or "", f.default)  # switch


def _query(params: Mapping[str, str | Sequence[str]]) -> Query:
    query = Query(**{f.name: _read(f, params) for f in filter_fields.FIELDS if f.param})
    if query.date_from and query.date_to and query.date_from > query.date_to:
        query = query.replace(date_from=query.date_to, date_to=query.date_from)
    return query


def names_a_view(params: Mapping[str, object]) -> bool:
    """Whether an address says anything of the map's view, beyond the language and the
    record open in the form: opening the form from the map leaves '?id=...' on the map's
    history entry (Streamlit writes the form's address there before it moves to the
    form's page), and Back then opened the map zoomed out, its incident closed."""
    return any(name not in (RECORD_PARAM, "lang") for name in params)


def from_params(params: Mapping[str, str | Sequence[str]]) -> ViewState:
    """The view a link describes; anything invalid falls back to its default."""
    lat, lon = _float(_one(params, "lat"), -90, 90), _float(_one(params, "lon"), -180, 180)
    zoom = _float(_one(params, "z"), 1, 20)
    chosen = {k: value for k, codes in _CHOSEN.items() if (value := _one(params, k)) in codes}
    return ViewState(
        query=_query(params),
        center=(lat, lon) if lat is not None and lon is not None else None,
        zoom=int(zoom) if zoom is not None else None,
        online_tiles=_one(params, "tiles") == "1",
        selected=(_one(params, "sel") or None),
        lang=supported(_one(params, "lang")) or "",
        **chosen,
    )


def share_link(base_url: str, view: ViewState, exact: bool = False) -> str:
    """A full link to the view: base_url (the app's address) plus the query string
    (exact: as to_params)."""
    query = urlencode(to_params(view, exact), doseq=True)
    if query and not urlsplit(base_url).path:  # http://host?q=1 -> http://host/?q=1
        base_url += "/"
    return f"{base_url}?{query}" if query else base_url


def describe(view: ViewState) -> list[str]:
    """The filters in words, in the reader's language, for the page header's caption."""
    q = view.query
    words = []
    if q.date_from or q.date_to:
        # a date stays one run in an Arabic sentence (2020-01-01 read as 01-01-2020)
        start = isolate(str(q.date_from)) if q.date_from else _("the beginning")
        end = isolate(str(q.date_to)) if q.date_to else _("today")
        rule = (
            _("date range lies within {start} – {end}")
            if q.date_mode == "within"
            else _("date range overlaps {start} – {end}")
        )
        words.append(rule.format(start=start, end=end))
    for f in filter_fields.FIELDS:
        value = getattr(q, f.name)
        described = f.noun and f.kind not in ("day", "switch", "box") and value != f.default
        if described and (text := _in_words(f, value)):
            if f.says:
                words.append(_(f.says).format(text))
            else:
                words.append(_("{noun}: {value}").format(noun=_(f.noun), value=text))
    return words


def _in_words(f: filter_fields.FilterField, value: Any) -> str:
    from incidents.country_names import country_label  # a country in the reader's words

    label: Callable[[str], str] = f.vocab.shown if f.vocab else str
    if f.kind == "district":  # its one name in the reader's language, as the chips say it
        label = lambda code: reader_name(code, language(), code)  # noqa: E731
    if f.kind == "country":
        label = country_label
    if f.kind == "text":
        return str(value).strip()
    return label(value) if f.kind == "code" else _(", ").join(label(v) for v in value)
