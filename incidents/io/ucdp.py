"""UCDP Georeferenced Event Dataset (GED) CSV files, read as incident records.

Codes follow the UCDP GED codebook:

- type_of_violence 1 state-based conflict, 2 non-state conflict, 3 one-sided
  violence (armed force by a government or an organised group against civilians).
  3 -> "killing". 1 and 2 are fighting between organised armed actors whose deaths
  are battle-related (civilians caught in it included): they are not attacks on
  civilians as such, so they become "other", tagged "state-based conflict" or
  "non-state conflict", with both sides listed as parties.
- date_prec 1 exact day; 2 a span of two to six days; 3 a known week; 4 a known
  month, or a span of 8 to 30 days; 5 a known year, or a span of more than 30 days.
  date_start and date_end always bound the event, and the bounds are kept as UCDP
  gives them: 4 -> "month" and 5 -> "year" only when the span is exactly that
  calendar month or year; any other span (20 May to 10 June) stays a range of days,
  because widening it to whole months or years would claim less than UCDP knows.
- where_prec 1 the exact place -> "exact"; 2 a limited area around a named place,
  within about 25 km -> "approximate", 25 km; 3 the centroid of a second-order unit
  (ADM2; Libya's are municipalities below our districts) -> "approximate", 50 km (our
  estimate of how far a site lies from such a centroid); 4 the centroid of a first
  order unit (a Libyan district) -> "district"; 5 a part of the country larger than a
  district, a point between two places, or a vague relative location ->
  "approximate", 100 km (our estimate, flagged by a tag); 6 the country's centroid ->
  "country"; 7 over water or in international airspace -> "approximate" without a
  radius and tagged: the import then rejects points at sea (it stores places inside
  a country) and keeps those on land.

The country is passed on as UCDP writes it ("DR Congo (Zaire)", "Myanmar (Burma)"):
incidents.country_names reads such names; a row without one falls back to its
codes (incidents.io.conflict_country). Files republished on HDX with an HXL row of
hashtags are read the same way (the hashtag row is skipped). Older releases called
the counts best_est, low_est and high_est; they are read as best, low and high.
A column map is applied as incidents.io.fixed_columns says (never ignored).

killed_min/best/max are UCDP's low/best/high, which for types 1 and 2 count
combatants too; the description gives UCDP's split by side and civilians.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from incidents.dates import DayOrder
from incidents.io.conflict_country import country_text
from incidents.io.fixed_columns import Columns, fold, hashtag_row, records
from incidents.io.tabular import Table
from incidents.translation import N_, _

NAME = "ucdp"
LABEL = N_("UCDP GED events (CSV)")
OWN_VALUES = ("verification", "sensitivity", "title")  # as ACLED's (acled.OWN_VALUES)
REQUIRED = ("id", "type_of_violence", "date_start", "date_end", "where_prec", "best")
# Every column of the GED releases (17.1 to 25.1) and of HDX's copies.
COLUMNS = Columns(
    "UCDP GED",
    frozenset(
        {"id", "relid", "year", "active_year", "code_status", "type_of_violence"}
        | {"conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id"}
        | {"dyad_new_id", "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a"}
        | {"side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources"}
        | {"source_article", "source_office", "source_date", "source_headline"}
        | {"source_original", "where_prec", "where_coordinates", "where_description"}
        | {"adm_1", "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid", "country"}
        | {"country_id", "region", "event_clarity", "date_prec", "date_start", "date_end"}
        | {"deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low"}
        | {"gwnoa", "gwnob", "start_year", "end_year", "iso3", "gwno"}
    ),
    {"best_est": "best", "low_est": "low", "high_est": "high", "type_of_vi": "type_of_violence"},
)

# The template fields the reader fills from each of its columns, as the import page
# shows them beside the column; a column not listed is read by no rule.
# tests/io/test_column_fills.py holds it to the reader on real exports.
_DATES = ("date_start", "date_end", "date_precision")
_SOURCES = (
    "source1_title",
    "source1_publisher",
    "source1_date",
    "source2_title",
    "source2_publisher",
)
FILLS: dict[str, tuple[str, ...]] = {
    "id": ("source_event_id", *_SOURCES),
    "type_of_violence": ("type", "title", "perpetrators", "tags"),
    **dict.fromkeys(("date_start", "date_end", "date_prec"), _DATES),
    **dict.fromkeys(("where_coordinates", "adm_2"), ("place", "title")),
    "where_prec": ("location_precision", "location_uncertainty_km", "place", "tags", "title"),
    "where_description": ("description",),
    "adm_1": ("admin1", "title"),
    **dict.fromkeys(("country", "iso3", "country_id", "gwno"), ("country", "title")),
    "latitude": ("latitude",),
    "longitude": ("longitude",),
    **dict.fromkeys(("side_a", "side_b"), ("perpetrators",)),
    "low": ("killed_min",),
    "best": ("killed_best",),
    "high": ("killed_max",),
    **dict.fromkeys(("conflict_name", "dyad_name"), ("description",)),
    **dict.fromkeys(
        ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"), ("description",)
    ),
    **dict.fromkeys(("source_article", "source_headline"), ("description", *_SOURCES)),
    "source_office": ("source1_publisher",),
    "source_date": ("source1_date",),
}

VIOLENCE: dict[str, tuple[str, str]] = {
    "1": ("other", "state-based conflict"),
    "2": ("other", "non-state conflict"),
    "3": ("killing", "one-sided violence"),
}
DATE_PRECISIONS = {"1": "day", "2": "day", "3": "day", "4": "month", "5": "year"}
WHERE_PRECISIONS: dict[str, tuple[str, float | None]] = {
    "1": ("exact", None),
    "2": ("approximate", 25.0),
    "3": ("approximate", 50.0),
    "4": ("district", None),
    "5": ("approximate", 100.0),
    "6": ("country", None),
    "7": ("approximate", None),
}
WHERE_TAGS = {
    "3": "UCDP: municipality (ADM2) centroid",
    "5": "UCDP: vague location",
    "7": "UCDP: over water or airspace",
}
_SUFFIX = re.compile(
    r"\s+(district|province|governorate|region|municipality|town|city|village|area)$",
    re.IGNORECASE,
)
_BRACKETS = re.compile(r"\s*\(.*\)\s*$")


def matches(table: Table) -> bool:
    """A GED file has UCDP's own column names (any letter case, older names included)."""
    return COLUMNS.present(table.header) >= set(REQUIRED)


def layout(table: Table) -> str:
    """Which GED release style the columns are (older count names, HDX's additions,
    the later id columns), as the summary says it."""
    folded = {fold(h) for h in table.header}
    if folded & {"best_est", "low_est", "high_est"}:
        style = _("UCDP GED, older releases (best_est, low_est, high_est)")
    elif folded & {"relid", "code_status", "conflict_dset_id"}:
        style = _("UCDP GED, releases with relid and *_dset_id columns (later releases)")
    elif folded >= {"start_year", "end_year", "iso3"}:
        style = _("UCDP GED as republished on HDX (start_year, end_year, iso3 added)")
    else:
        style = _("UCDP GED (best, low, high)")
    if table.rows and hashtag_row(table.rows[0][1]):
        style += "; " + _("HXL hashtags under the header (HDX)")
    return style


def raw_rows(
    table: Table, column_map: Mapping[str, str] | None = None, day_order: DayOrder | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows keyed by template field names; column_map as incidents.io.fixed_columns says
    (a column read as a GED column, or put in a template field; never ignored). GED's
    dates are ISO (day_order is for dates such as 03/04/2020, which GED never writes)."""
    for number, row, fields in records(table, COLUMNS, column_map):
        raw = map_row(row)
        raw.update(fields)
        yield number, raw


def map_row(row: dict[str, str]) -> dict[str, Any]:
    """One GED row as template fields."""
    violence = _code(row.get("type_of_violence"))
    kind, label = VIOLENCE.get(violence, ("other", ""))
    where = _code(row.get("where_prec"))
    precision, km = WHERE_PRECISIONS.get(where, ("", None))
    place = place_name(row.get("where_coordinates", "")) or place_name(row.get("adm_2", ""))
    if where == "6":  # the country's centroid: there is no place to name
        place = ""
    admin1 = place_name(row.get("adm_1", ""))
    country = country_text(row)
    raw: dict[str, Any] = {
        "id": "",
        "source_event_id": f"ucdp:{row['id']}" if row.get("id") else "",
        "type": kind,
        "title": " in ".join(
            p
            for p in (
                (label or "Event").capitalize(),
                place or admin1 or _BRACKETS.sub("", country),
            )
            if p
        ),
        "description": _description(row),
        **event_dates(row),
        "place": place,
        "country": country,
        "admin1": admin1,
        "latitude": row.get("latitude", ""),
        "longitude": row.get("longitude", ""),
        "location_precision": precision,
        "location_uncertainty_km": "" if km is None else km,
        "location_method": "source",
        "perpetrators": "; ".join(_sides(row, violence)),
        "killed_min": row.get("low", ""),
        "killed_best": row.get("best", ""),
        "killed_max": row.get("high", ""),
        "verification": "reported",
        "sensitivity": "public",
        "tags": "; ".join(t for t in ("UCDP GED", label, WHERE_TAGS.get(where, "")) if t),
    }
    raw.update(_sources(row))
    return raw


def event_dates(row: dict[str, str]) -> dict[str, str]:
    """date_start, date_end and date_precision for GED's dates and date_prec (module)."""
    start, end = row.get("date_start", "")[:10], row.get("date_end", "")[:10]
    precision = DATE_PRECISIONS.get(_code(row.get("date_prec")), "")
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end or start)
    except ValueError:  # passed on as written: validation names what is wrong
        return {"date_start": start, "date_end": end, "date_precision": precision}
    month_end = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    whole_month = first.day == 1 and last == month_end
    whole_year = (first.month, first.day) == (1, 1) and last == date(first.year, 12, 31)
    if (precision == "month" and not whole_month) or (precision == "year" and not whole_year):
        precision = "month" if whole_month else "day"
    return {"date_start": start, "date_end": end, "date_precision": precision}


def place_name(text: str) -> str:
    """'Tarhunah town' -> 'Tarhunah', 'Murqub district' -> 'Murqub', as UCDP suffixes them."""
    text = text.strip()
    stripped = _SUFFIX.sub("", text).strip()
    return stripped or text


def _sides(row: dict[str, str], violence: str) -> list[str]:
    sides = [row.get("side_a", "")]
    if violence in ("1", "2"):
        sides.append(row.get("side_b", ""))
    return [s.strip() for s in sides if s.strip()]


def _description(row: dict[str, str]) -> str:
    parts = []
    if row.get("conflict_name") or row.get("dyad_name"):
        parts.append(f"UCDP conflict: {row.get('conflict_name') or row.get('dyad_name')}.")
    if row.get("where_description"):
        parts.append(f"Where: {row['where_description']}.")
    deaths = [
        f"{label} {row[column]}"
        for column, label in (
            ("deaths_a", "side A"),
            ("deaths_b", "side B"),
            ("deaths_civilians", "civilians"),
            ("deaths_unknown", "unknown"),
        )
        if row.get(column, "") != ""
    ]
    if deaths:
        parts.append("Deaths by UCDP's count: " + ", ".join(deaths) + ".")
    if row.get("source_headline") and row.get("source_article"):
        parts.append(f"Sources cited by UCDP: {row['source_article']}")
    return " ".join(parts)


# Older GED events cite the article in one string, with no source_office:
# 'Reuters (1989-10-01): "HEADLINE"', 'BBC 2/28/1991 ...', 'R, 1992-05-19: "..."', 'SATP'.
# The publisher is the text before the first date, bracket, comma, colon or quote; 'R'
# is how those citations abbreviate Reuters. Exports name sources by publisher, and
# showed the whole citation as one.
_CITED_BY = re.compile(r"^\s*([^\d(),:;\"]+?)\s*(?:[\d(),:;\"]|$)")
_ABBREVIATIONS = {"r": "Reuters"}
_AT_MOST_WORDS = 5  # "BBC Monitoring South Asia"


def cited_publisher(article: str) -> str:
    """The publisher an older GED citation names first ("" when it names none)."""
    found = _CITED_BY.match(article or "")
    name = found.group(1).strip().rstrip(".") if found else ""
    if len(name.split()) > _AT_MOST_WORDS:  # a sentence, not a name: no publisher said
        return ""
    return _ABBREVIATIONS.get(name.lower(), name)


def _sources(row: dict[str, str]) -> dict[str, str]:
    """The cited article first, then the GED event itself as the second source."""
    out: dict[str, str] = {}
    title = row.get("source_headline") or row.get("source_article", "")
    if title:
        out["source1_title"] = title
        out["source1_publisher"] = row.get("source_office", "") or cited_publisher(
            row.get("source_article", "")
        )
        out["source1_date"] = row.get("source_date", "")[:10]
    n = 2 if title else 1
    if row.get("id"):
        out[f"source{n}_title"] = f"UCDP Georeferenced Event Dataset, event {row['id']}"
        out[f"source{n}_publisher"] = "Uppsala Conflict Data Program"
    return out


def _code(value: str | None) -> str:
    text = (value or "").strip()
    return text[:-2] if text.endswith(".0") else text
