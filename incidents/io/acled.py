"""ACLED exports (Armed Conflict Location & Event Data), read as incident records.

Codes follow the ACLED codebook (2023/2024 editions):

- time_precision 1: the source gives the day; 2: the source says "that week" (or a
  similar few days) and ACLED codes a day in the middle of it; 3: the source gives
  only the month and ACLED codes its mid-point (or its first or last day).
  So 1 -> that day; 2 -> the seven days centred on the coded day; 3 -> the whole
  month of the coded date (date_precision "month").
- geo_precision 1: the coordinates are those of the named town -> "town";
  2: "near" a town or a small part of a region, coded to a town standing for the
  area -> "approximate" within 25 km (our estimate: ACLED gives no radius; 25 km is
  the radius UCDP uses for the same idea); 3: only a larger region is known and a
  provincial capital or natural feature stands for it -> "district".
- event_type and sub_event_type: see incidents.io.acled_types, which holds the
  mapping tables for every edition.

Layouts (all detected, any letter case, extra columns ignored, optional ones may
be missing): 2015-2016 UPPER-CASE (GWNO, EVENT_ID_CNTY, ALLY_ACTOR_1, no
sub_event_type); 2016-2018 API (data_id, numeric iso, no sub_event_type); 2019-2022
export tool (sub_event_type, iso3); 2023 on (disorder_type, civilian_targeting, tags,
text inter codes); any of these re-saved by pandas (a nameless index column first,
columns in alphabetical order); HDX's HXL-tagged copies (the hashtag row is skipped).
A file is ACLED when it has event_date, event_type (or sub_event_type), latitude and
longitude, and either event_id_cnty or two more of ACLED's own columns.

Caveats a reader of the map must know:

- ACLED's ``fatalities`` is every reported death of the event, combatants included,
  and ACLED keeps the most conservative figure; it is stored as killed_best anyway
  because it is the only count ACLED gives, and the tags say it came from ACLED.
- ACLED's actor1/actor2 carry no direction (attacker or defender). actor1 is taken as
  the perpetrator, except in protests (actor2, the force used against protesters) and
  battles (both sides).
- ACLED data are public, so records are marked public and "reported" (not verified).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from incidents.dates import DateError, DayOrder, infer_day_order, parse_date
from incidents.io import acled_types
from incidents.io.acled_types import incident_type  # also acled.incident_type
from incidents.io.conflict_country import country_text
from incidents.io.fixed_columns import Columns, fold, hashtag_row, records
from incidents.io.tabular import FileUnusable, Table
from incidents.translation import N_, _

NAME = "acled"
LABEL = N_("ACLED export (CSV/XLSX)")
# Values this reader gives every row, not the file's: an update keeps the stored ones
# (import_keep), so a record staff made Restricted is not made public again, and a
# title staff wrote is not replaced by the one the reader makes ("Air/drone strike in
# Sirte": ACLED has no title column).
OWN_VALUES = ("verification", "sensitivity", "title")
APPROXIMATE_KM = 25.0
CIVILIAN_TARGETING = acled_types.CIVILIAN_TARGETING
SUB_EVENT_TYPES = acled_types.SUB_EVENT_TYPES

# Every column ACLED has published, 2015 to 2025 (folded: lower case, underscores).
COLUMNS = Columns(
    "ACLED",
    frozenset(
        {"data_id", "iso", "iso3", "gwno", "event_id_cnty", "event_id_no_cnty", "event_date"}
        | {"year", "time_precision", "disorder_type", "event_type", "sub_event_type"}
        | {"actor1", "assoc_actor_1", "ally_actor_1", "inter1", "actor2", "assoc_actor_2"}
        | {"ally_actor_2", "inter2", "interaction", "civilian_targeting", "region", "country"}
        | {"admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision"}
        | {"source", "source_scale", "notes", "fatalities", "tags", "timestamp"}
    ),
    # Shapefile (dBASE) exports cut names to ten characters.
    {
        "event_id_c": "event_id_cnty",
        "event_id_n": "event_id_no_cnty",
        "time_preci": "time_precision",
        "sub_event_": "sub_event_type",
        "geo_precis": "geo_precision",
        "civilian_t": "civilian_targeting",
        "interactio": "interaction",
        "disorder_t": "disorder_type",
    },
)
# The template fields the reader fills from each of its columns, as the import page
# shows them beside the column; a column not listed is read by no rule (year, region,
# timestamp...). tests/io/test_column_fills.py holds it to the reader on real exports.
_DATES = ("date_start", "date_end", "date_precision")
_COUNTRY = ("country",)
FILLS: dict[str, tuple[str, ...]] = {
    "event_id_cnty": ("source_event_id",),
    "event_date": _DATES,
    "time_precision": _DATES,
    "event_type": ("type", "title", "perpetrators", "tags"),
    "sub_event_type": ("type", "title", "tags"),
    "civilian_targeting": ("type", "tags"),
    "inter2": ("type", "tags"),
    "fatalities": ("killed_best", "type"),
    **dict.fromkeys(("actor1", "actor2", "inter1"), ("perpetrators",)),
    **dict.fromkeys(
        ("assoc_actor_1", "assoc_actor_2", "ally_actor_1", "ally_actor_2"), ("perpetrators",)
    ),
    **dict.fromkeys(("country", "iso3", "iso", "gwno"), _COUNTRY),
    "admin1": ("admin1",),
    "location": ("place", "title"),
    "latitude": ("latitude",),
    "longitude": ("longitude",),
    "geo_precision": ("location_precision", "location_uncertainty_km"),
    "notes": ("description",),
    "source": ("source1_title",),
}
CORE = frozenset({"event_date", "latitude", "longitude"})
# Columns enough for a file to be read as ACLED (with event_type, or sub_event_type).
REQUIRED = ("event_id_cnty", "event_date", "sub_event_type", "latitude", "longitude")
MARKERS = frozenset(
    {"event_id_no_cnty", "time_precision", "geo_precision", "actor1", "inter1", "interaction"}
    | {"fatalities", "gwno", "data_id", "assoc_actor_1", "ally_actor_1", "disorder_type"}
)
GEO_PRECISIONS: dict[str, tuple[str, float | None]] = {
    "1": ("town", None),
    "2": ("approximate", APPROXIMATE_KM),
    "3": ("district", None),
}


def matches(table: Table) -> bool:
    """ACLED's core columns, and its event id or two more of its own (see module)."""
    have = COLUMNS.present(table.header)
    if not have >= CORE or not have & {"event_type", "sub_event_type"}:
        return False
    return "event_id_cnty" in have or len(have & MARKERS) >= 2


def layout(table: Table) -> str:
    """Which of ACLED's layouts the file is in (see the module), as the summary says it:
    the edition by its columns, then how the file was re-saved since."""
    have = COLUMNS.present(table.header)
    named = [h for h in table.header if COLUMNS.own(h)]
    if "disorder_type" in have or "civilian_targeting" in have:
        edition = _("ACLED 2023 and later (disorder_type, civilian_targeting)")
        if not _code(_first(table, "inter1")).isdigit() and _first(table, "inter1"):
            edition += _(", actor types as words (2025)")
    elif "sub_event_type" in have:
        edition = _("ACLED 2019-2022 export (sub_event_type, no disorder_type)")
    elif named and all(h == h.upper() for h in named):
        edition = _("ACLED 2015-2016 upper-case columns (GWNO, EVENT_ID_CNTY, no sub_event_type)")
    elif "ally_actor_1" in have:
        edition = _("ACLED 2016 API (data_id, ally_actor_1, no sub_event_type)")
    else:
        edition = _("ACLED 2017-2018 API (assoc_actor_1, no sub_event_type)")
    return _("; ").join([edition, *_resaved(table, named)])


def _resaved(table: Table, named: list[str]) -> list[str]:
    """What happened to the file after ACLED wrote it, as far as its header shows."""
    out = []
    if any(fold(h) in COLUMNS.aliases for h in table.header):
        out.append(_("names cut to 10 characters (a shapefile's table)"))
    keys = [fold(h) for h in named]
    if table.header and not table.header[0].strip() and keys == sorted(keys):
        out.append(_("re-saved by pandas (an index column first, columns in alphabetical order)"))
    if table.rows and hashtag_row(table.rows[0][1]):
        out.append(_("HXL hashtags under the header (HDX)"))
    return out


def _first(table: Table, column: str) -> str:
    """The first non-empty cell of one of ACLED's columns (folded name), or ''."""
    index = next((i for i, h in enumerate(table.header) if COLUMNS.own(h) == column), None)
    if index is None:
        return ""
    for _row, cells in table.rows[:50]:
        value = str(cells[index]).strip() if index < len(cells) and cells[index] is not None else ""
        if value and not value.startswith("#"):
            return value
    return ""


def totals_refusal(table: Table) -> str | None:
    """Why a file of ACLED's aggregated data (counts of events and deaths per week and
    district, at the district's centroid: what ACLED's free access tier gives) cannot be
    imported as incidents; None for event data."""
    have = {fold(h) for h in table.header}
    if "event_date" in have or not {"events", "fatalities"} <= have:
        return None
    if not have & {"week", "month", "year", "centroid_latitude"}:
        return None
    return _(
        "this file holds ACLED's totals per week (or month) and area, not incidents: "
        "each row counts events and deaths over a period, at most at the area's centre; "
        "import ACLED event data instead (one row per event, with event_date)"
    )


def raw_rows(
    table: Table,
    column_map: Mapping[str, str] | None = None,
    day_order: DayOrder | None = None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows keyed by template field names; column_map as incidents.io.fixed_columns says
    (a column read as an ACLED column, or put in a template field; never ignored).
    Aggregated ACLED files are refused (FileUnusable), never stored as incidents."""
    refusal = totals_refusal(table)
    if refusal:
        raise FileUnusable(_("{file}: {error}").format(file=table.name, error=refusal))
    rows = list(records(table, COLUMNS, column_map))
    order = day_order or date_order(table, [row.get("event_date", "") for _, row, _ in rows])
    for number, row, fields in rows:
        raw = map_row(row, order)
        raw.update(fields)
        yield number, raw


def date_order(table: Table, dates: list[str]) -> DayOrder:
    """ACLED writes days first (11/06/2020 is 11 June), but a file re-saved by a US
    spreadsheet has months first: the whole column decides (incidents.dates), as for
    any sheet; a column that cannot tell is read day first, and a file read month first
    says so in its notes."""
    order = infer_day_order(dates)
    if order == "month_first":
        said = _(
            "{file}: dates such as 03/25/2020 were read month first (no date in the file can "
            "be day first; ACLED itself writes the day first)"
        )
        table.notes.append(said.format(file=table.name))
        return order
    return "day_first"


def map_row(row: dict[str, str], order: DayOrder = "day_first") -> dict[str, Any]:
    """One ACLED row (folded column names) as template fields; order: how its dates
    such as 03/04/2020 read (date_order)."""
    event_type = row.get("event_type", "")
    sub_type = row.get("sub_event_type", "")
    precision, km = GEO_PRECISIONS.get(_code(row.get("geo_precision")), ("", None))
    location = row.get("location", "")
    civilians = acled_types.targets_civilians(
        row.get("civilian_targeting"), row.get("inter2")
    ) and (acled_types.key(event_type) not in acled_types.NOT_VIOLENCE)
    raw: dict[str, Any] = {
        "id": "",
        "source_event_id": f"acled:{row['event_id_cnty']}" if row.get("event_id_cnty") else "",
        "type": incident_type(
            event_type, sub_type, CIVILIAN_TARGETING if civilians else "", row.get("fatalities", "")
        ),
        "title": " in ".join(p for p in (sub_type or event_type, location) if p),
        "description": row.get("notes", ""),
        "place": location,
        "country": country_text(row),
        "admin1": row.get("admin1", ""),
        "latitude": row.get("latitude", ""),
        "longitude": row.get("longitude", ""),
        "location_precision": precision,
        "location_uncertainty_km": "" if km is None else km,
        "location_method": "source",
        "perpetrators": "; ".join(_perpetrators(row, event_type)),
        "killed_best": row.get("fatalities", ""),
        "verification": "reported",
        "sensitivity": "public",
        "source1_title": row.get("source", ""),
        "source1_publisher": "ACLED",
        "tags": "; ".join(_tags(event_type, sub_type, civilians)),
    }
    raw.update(event_dates(row.get("event_date", ""), row.get("time_precision", ""), order))
    return raw


def event_dates(
    event_date: str, time_precision: str, order: DayOrder = "day_first"
) -> dict[str, str]:
    """date_start, date_end and date_precision for ACLED's date and time_precision.

    ACLED writes day-first dates ("11 June 2020", "11/06/2020") or ISO ones; order says
    how this file's numeric dates read (date_order). A date that cannot be read is
    passed on as written so validation rejects it with a reason.
    """
    try:
        day = parse_date(event_date, order).start
    except DateError:
        return {"date_start": event_date}
    code = _code(time_precision)
    if code == "2":
        return _span(day - timedelta(days=3), day + timedelta(days=3), "day")
    if code == "3":
        return {"date_start": f"{day.year}-{day.month:02d}", "date_precision": "month"}
    return _span(day, day, "day")


def _span(start: date, end: date, precision: str) -> dict[str, str]:
    return {
        "date_start": start.isoformat(),
        "date_end": end.isoformat(),
        "date_precision": precision,
    }


def _perpetrators(row: dict[str, str], event_type: str) -> list[str]:
    """Battles: both sides; protests (and old Riots/Protests led by protesters, inter1 6):
    actor 2, the force used against them; anything else: actor 1."""
    kind = acled_types.key(event_type)
    protesters = _code(row.get("inter1")).casefold() in ("6", "protesters")
    if kind == "battles" or kind.startswith("battle-"):
        sides = ["1", "2"]
    elif kind == "protests" or (kind == "riots/protests" and protesters):
        sides = ["2"]
    else:
        sides = ["1"]
    names: list[str] = []
    for side in sides:
        for column in (f"actor{side}", f"assoc_actor_{side}", f"ally_actor_{side}"):
            names += [n.strip() for n in row.get(column, "").split(";") if n.strip()]
    return list(dict.fromkeys(names))


def _tags(event_type: str, sub_type: str, civilians: bool) -> list[str]:
    tags = ["ACLED", event_type, sub_type]
    if civilians:
        tags.append("civilian targeting")
    return [t for t in dict.fromkeys(tags) if t]


def _code(value: str | None) -> str:
    """'2', '2.0' and ' 2 ' are the same precision code."""
    text = (value or "").strip()
    return text[:-2] if text.endswith(".0") else text
