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
- sub_event_type: ACLED has no "Displacement" sub-event type, so nothing maps to
  displacement; see SUB_EVENT_TYPES for the rest. Events whose civilian_targeting
  column says "Civilian targeting" and that would otherwise be "other" become
  attack_on_civilians.

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

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from incidents.dates import DateError, parse_date
from incidents.io.tabular import Table

NAME = "acled"
LABEL = "ACLED export (CSV/XLSX)"
REQUIRED = ("event_id_cnty", "event_date", "sub_event_type", "latitude", "longitude")
APPROXIMATE_KM = 25.0
CIVILIAN_TARGETING = "civilian targeting"

SUB_EVENT_TYPES: dict[str, str] = {
    "abduction/forced disappearance": "enforced_disappearance",
    "sexual violence": "sexual_violence",
    "attack": "attack_on_civilians",
    "excessive force against protesters": "attack_on_civilians",
    "arrests": "arbitrary_detention",
    "looting/property destruction": "destruction_of_property",
}
GEO_PRECISIONS: dict[str, tuple[str, float | None]] = {
    "1": ("town", None),
    "2": ("approximate", APPROXIMATE_KM),
    "3": ("district", None),
}


def matches(table: Table) -> bool:
    """An ACLED export has ACLED's own column names (any letter case)."""
    return table.has_columns(REQUIRED)


def raw_rows(
    table: Table, column_map: dict[str, str] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows keyed by template field names. column_map is not used: ACLED's columns are fixed."""
    for number, row in table.lowered_records():
        yield number, map_row(row)


def map_row(row: dict[str, str]) -> dict[str, Any]:
    """One ACLED row as template fields."""
    event_type = row.get("event_type", "")
    sub_type = row.get("sub_event_type", "")
    precision, km = GEO_PRECISIONS.get(_code(row.get("geo_precision")), ("", None))
    location = row.get("location", "")
    raw: dict[str, Any] = {
        "id": "",
        "source_event_id": f"acled:{row['event_id_cnty']}" if row.get("event_id_cnty") else "",
        "type": incident_type(event_type, sub_type, row.get("civilian_targeting", "")),
        "title": " in ".join(p for p in (sub_type or event_type, location) if p),
        "description": row.get("notes", ""),
        "place": location,
        "country": row.get("country", ""),
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
        "tags": "; ".join(_tags(row, event_type, sub_type)),
    }
    raw.update(event_dates(row.get("event_date", ""), row.get("time_precision", "")))
    return raw


def incident_type(event_type: str, sub_event_type: str, civilian_targeting: str = "") -> str:
    """Our type code for an ACLED event/sub-event type (see the module docstring)."""
    code = SUB_EVENT_TYPES.get(sub_event_type.strip().casefold(), "other")
    if code == "other" and civilian_targeting.strip().casefold() == CIVILIAN_TARGETING:
        return "attack_on_civilians"
    return code


def event_dates(event_date: str, time_precision: str) -> dict[str, str]:
    """date_start, date_end and date_precision for ACLED's date and time_precision.

    ACLED writes day-first dates ("11 June 2020", "11/06/2020") or ISO ones; a date
    that cannot be read is passed on as written so validation rejects it with a reason.
    """
    try:
        day = parse_date(event_date, "day_first").start
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
    kind = event_type.strip().casefold()
    sides = ["1", "2"] if kind == "battles" else ["2"] if kind == "protests" else ["1"]
    names: list[str] = []
    for side in sides:
        for column in (f"actor{side}", f"assoc_actor_{side}"):
            names += [n.strip() for n in row.get(column, "").split(";") if n.strip()]
    return list(dict.fromkeys(names))


def _tags(row: dict[str, str], event_type: str, sub_type: str) -> list[str]:
    tags = ["ACLED", event_type, sub_type]
    if row.get("civilian_targeting", "").strip().casefold() == CIVILIAN_TARGETING:
        tags.append("civilian targeting")
    return [t for t in dict.fromkeys(tags) if t]


def _code(value: str | None) -> str:
    """'2', '2.0' and ' 2 ' are the same precision code."""
    text = (value or "").strip()
    return text[:-2] if text.endswith(".0") else text
