"""HXL (Humanitarian Exchange Language) tables: a row of hashtags under the header.

Files from the Humanitarian Data Exchange put a row such as ``#date, #geo+lat,
#adm1+name, #affected+killed`` right under the column names (or, more rarely, use
the hashtags as the only header). The hashtag row describes the columns: it is
consumed as header and never reported as a data row.

ACLED and UCDP files republished with HXL hashtags keep their own column names; they
are handed to the ACLED and UCDP mappings, which know those data sets' codes. Other
HXL files are mapped by hashtag (attributes in any order, any letter case); unknown
hashtags, and counts broken down by sex, age or per capita (``+f``, ``+children``,
``+pct`` ...), are left out. Nothing in HXL says how sensitive a row is, so records
get the validator's default, restricted, until someone marks them public.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from types import ModuleType
from typing import Any

from incidents.dates import DayOrder
from incidents.io import acled, ucdp
from incidents.io.fixed_columns import fold, not_in_file
from incidents.io.tabular import FileUnusable, Table
from incidents.io.type_readings import Readings, incident_type, readings_note
from incidents.schema import VERIFICATION_STATUSES
from incidents.translation import N_, _

NAME = "hxl"
LABEL = N_("HXL-tagged table (CSV/XLSX)")

Hashtag = tuple[str, frozenset[str]]

# (tag, attributes the column must have) -> template field; None: known, not used.
SPECS: dict[Hashtag, str | None] = {
    ("date", frozenset()): "date_start",
    ("date", frozenset({"start"})): "date_start",
    ("date", frozenset({"occurred"})): "date_start",
    ("date", frozenset({"end"})): "date_end",
    ("date", frozenset({"reported"})): "source_date",
    ("date", frozenset({"year"})): None,
    ("geo", frozenset({"lat"})): "latitude",
    ("geo", frozenset({"lon"})): "longitude",
    ("geo", frozenset({"coord"})): "coordinates",
    ("adm1", frozenset()): "admin1",
    ("adm1", frozenset({"code"})): "admin1_code",
    ("adm1", frozenset({"pcode"})): None,
    ("loc", frozenset()): "place",
    ("loc", frozenset({"code"})): None,
    ("loc", frozenset({"pcode"})): None,
    ("loc", frozenset({"type"})): None,
    ("country", frozenset()): "country_name",
    ("country", frozenset({"code"})): "country",
    ("event", frozenset()): None,  # an event's name or code, not what kind of event it was
    ("event", frozenset({"type"})): "type",
    ("event", frozenset({"category"})): "type",
    ("event", frozenset({"code"})): "source_event_id",
    ("event", frozenset({"id"})): "source_event_id",
    ("event", frozenset({"name"})): "title",
    ("event", frozenset({"title"})): "title",
    ("event", frozenset({"description"})): "description",
    ("description", frozenset()): "description",
    ("notes", frozenset()): "description",
    ("meta", frozenset()): None,
    ("meta", frozenset({"id"})): "id",
    ("meta", frozenset({"source"})): "source_title",
    ("meta", frozenset({"url"})): "source_url",
    ("meta", frozenset({"source", "url"})): "source_url",
    ("meta", frozenset({"source", "date"})): "source_date",
    ("group", frozenset({"perpetrator"})): "perpetrators",
    ("group", frozenset({"name", "first"})): "perpetrators",
    ("org", frozenset({"perpetrator"})): "perpetrators",
    ("actor", frozenset()): "perpetrators",
    ("status", frozenset()): "status",
    ("affected", frozenset()): None,
}


def _count_specs() -> dict[Hashtag, str]:
    """#affected+killed -> killed_best, #affected+missing+min -> disappeared_min, ..."""
    words = {
        "killed": "killed",
        "missing": "disappeared",
        "disappeared": "disappeared",
        "displaced": "displaced",
        "idps": "displaced",
    }
    specs: dict[Hashtag, str] = {}
    for word, group in words.items():
        specs[("affected", frozenset({word}))] = f"{group}_best"
        for bound in ("min", "max"):
            specs[("affected", frozenset({word, bound}))] = f"{group}_{bound}"
    return specs


SPECS.update(_count_specs())

BREAKDOWNS = frozenset(
    {"m", "f", "i", "children", "adults", "adult", "elderly", "infants", "households"}
    | {"pct", "per100000", "per1000", "new", "weekly", "daily", "change"}
)
_ISO_3166_2 = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


def parse_hashtag(text: Any) -> Hashtag | None:
    """'#Geo +Lat' -> ('geo', {'lat'}); None when the cell is not a hashtag."""
    cell = str(text or "").strip()
    if not cell.startswith("#"):
        return None
    parts = [p.strip().casefold() for p in cell[1:].split("+")]
    if not parts[0]:
        return None
    return parts[0], frozenset(p for p in parts[1:] if p)


def _mostly_hashtags(cells: list[Any]) -> bool:
    filled = [c for c in cells if str(c or "").strip()]
    tags = [c for c in filled if parse_hashtag(c) is not None]
    return bool(filled) and len(tags) * 2 > len(filled)


def matches(table: Table) -> bool:
    """The row under the header (or the header itself) is mostly hashtags."""
    if _mostly_hashtags(table.header):
        return True
    return bool(table.rows) and _mostly_hashtags(table.rows[0][1])


# Columns of HDX HAPI's derived tables ("conflict events": counts per area and month).
_TOTALS_COLUMNS = frozenset({"events", "reference_period_start", "reference_period_end"})
_POINT_FIELDS = frozenset({"latitude", "longitude", "coordinates"})


def totals_refusal(table: Table) -> str | None:
    """Why this table cannot be imported when it holds counts per area and period
    (HDX HAPI's conflict-event files: a number of events and of deaths per country or
    district and month, no coordinates) rather than one row per incident; else None.
    Storing such a row as an incident would put a month's total on a country's centre."""
    plain = table.has_columns(_TOTALS_COLUMNS)
    tags: list[Hashtag | None] = []
    if matches(table):
        tags = split(table)[0]
    counted = any(t is not None and t[0] == "indicator" and "num" in t[1] for t in tags)
    if not (plain or counted):
        return None
    if {field_for(t) for t in tags} & _POINT_FIELDS or table.has_columns(("latitude",)):
        return None
    level = _admin_level(table)
    if level == 0:
        said = _(
            "this file holds totals per country and month, not incidents: each row counts "
            "events and deaths over a period, with no place of its own; import the event "
            "data it was made from instead (for ACLED, an export with one row per event)"
        )
    elif level == 1:
        said = _(
            "this file holds totals per district and month, not incidents: each row counts "
            "events and deaths over a period, with no place of its own; import the event "
            "data it was made from instead (for ACLED, an export with one row per event)"
        )
    else:
        said = _(
            "this file holds totals per area and month, not incidents: each row counts "
            "events and deaths over a period, with no place of its own; import the event "
            "data it was made from instead (for ACLED, an export with one row per event)"
        )
    return said


def _admin_level(table: Table) -> int:
    """The highest admin_level the rows give (0: whole countries)."""
    keys = [h.strip().casefold() for h in table.header]
    if "admin_level" not in keys:
        return 0
    index = keys.index("admin_level")
    levels = {str(c[index]).strip() for _, c in table.rows if len(c) > index and c[index]}
    numbers = [int(v) for v in levels if v.isdigit()]
    return max(numbers, default=0)


def split(table: Table) -> tuple[list[Hashtag | None], Table]:
    """The hashtags of each column, and the table's data rows without the hashtag row."""
    if _mostly_hashtags(table.header):
        return [parse_hashtag(h) for h in table.header], table
    tags = [parse_hashtag(c) for c in table.rows[0][1]] if table.rows else []
    tags += [None] * (len(table.header) - len(tags))
    rows = replace(table, rows=table.rows[1:], _by_number=None)  # notes and problems kept
    return tags, rows


def field_for(tag: Hashtag | None) -> str | None:
    """The field a hashtag feeds: the most specific spec whose attributes it has."""
    if tag is None or tag[1] & BREAKDOWNS:
        return None
    name, attrs = tag
    best: tuple[int, str | None] | None = None
    for (spec_tag, spec_attrs), target in SPECS.items():
        fits = spec_tag == name and spec_attrs <= attrs
        if fits and (best is None or len(spec_attrs) > best[0]):
            best = (len(spec_attrs), target)
    return best[1] if best else None


def inner_format(table: Table, column_map: dict[str, str] | None = None) -> ModuleType | None:
    """ACLED or UCDP when the table is one of their files republished with hashtags
    (its columns as the column map names them: a renamed 'best' mapped back is UCDP's)."""
    data = split(table)[1]
    named = replace(data, header=[(column_map or {}).get(h) or h for h in data.header])
    return next((m for m in (acled, ucdp) if m.matches(named)), None)


def layout(table: Table) -> str:
    """Where the hashtags are, and how the rows are read: as the data set they come
    from (with its layout), or column by column from the hashtags."""
    header = _mostly_hashtags(table.header)
    where = _("HXL hashtags as the header") if header else _("HXL hashtags under the header")
    inner = inner_format(table)
    if inner is not None:
        said = _("{where}; rows read as {layout}")
        return said.format(where=where, layout=inner.layout(split(table)[1]))
    tags = split(table)[0]
    used = sum(field_for(t) is not None for t in tags)
    said = _("{where}; columns read by hashtag ({used} of {n} tags used)")
    return said.format(where=where, used=used, n=len(tags))


def raw_rows(
    table: Table, column_map: dict[str, str] | None = None, day_order: DayOrder | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows keyed by template field names; the hashtag row is not yielded. A column map
    is applied as the data set's reader applies it (ACLED, UCDP), or else puts a column
    in the template field it names ('' leaves it out) over what its hashtag says; a map
    naming a column or a field that does not exist is refused, never ignored."""
    tags, data = split(table)
    inner = inner_format(table, column_map)
    if inner is not None:
        yield from inner.raw_rows(data, column_map, day_order)
        return
    targets = _mapped_targets(table, tags, column_map or {})
    readings = Readings()
    for number, cells in data.rows:
        values: dict[str, list[str]] = {}
        for target, cell in zip(targets, cells, strict=False):
            text = "" if cell is None else str(cell).strip()
            if target and text:
                values.setdefault(target, []).append(text)
        yield number, map_values(values, readings)
    note = readings_note(readings)
    if note and note not in table.notes:  # the page reads a file's rows more than once
        table.notes.append(note)


def _mapped_targets(
    table: Table, tags: list[Hashtag | None], column_map: dict[str, str]
) -> list[str | None]:
    """Each column's field: from its hashtag, or the one the column map names."""
    from incidents.io.template import TEMPLATE_COLUMNS

    targets = [field_for(t) for t in tags]
    for column, target in column_map.items():
        index = _column_index(table, column)
        if index is None:
            raise not_in_file(table, column)
        field = fold(target)
        if field and field not in TEMPLATE_COLUMNS:
            said = _(
                "{file}: the column map sends column '{column}' to '{target}', which is not a "
                "field of the incident template"
            )
            raise FileUnusable(said.format(file=table.name, column=column, target=target))
        targets[index] = field or None
    return targets


def _column_index(table: Table, column: str) -> int | None:
    """A map key names a header cell as written, or folded, or by its hashtag."""
    for names in (table.header, [fold(h) for h in table.header]):
        wanted = column if names is table.header else fold(column)
        if wanted in names:
            return names.index(wanted)
    tags = [str(c).strip() for c in (table.rows[0][1] if table.rows else [])]
    return tags.index(column.strip()) if column.strip() in tags else None


def map_values(values: dict[str, list[str]], readings: Readings | None = None) -> dict[str, Any]:
    """Collected cell texts per field -> one raw row for validation (a type read from
    another vocabulary counted in readings: type_readings)."""
    raw: dict[str, Any] = {k: v[0] for k, v in values.items() if k in _SINGLE}
    tags: list[str] = []
    if "type" in values:
        raw["type"], note = incident_type(values["type"][0], readings)
        tags += [note] if note else []
    if "coordinates" in values and "latitude" not in raw:
        lat, _, lon = values["coordinates"][0].partition(",")
        raw["latitude"], raw["longitude"] = lat.strip(), lon.strip()
    raw["country"] = (values.get("country") or values.get("country_name") or [""])[0]
    code = raw.pop("admin1_code", "").upper()
    if _ISO_3166_2.match(code):  # OCHA p-codes (LY01...) are not ISO 3166-2: leave them out
        raw["admin1_code"] = code
    raw["perpetrators"] = "; ".join(dict.fromkeys(values.get("perpetrators", [])))
    for status in values.get("status", [])[:1]:
        if VERIFICATION_STATUSES.lookup(status):
            raw["verification"] = status
        else:
            tags.append(f"status: {status}")
    for n, title in enumerate(values.get("source_title", []), start=1):
        raw[f"source{n}_title"] = title
    for n, url in enumerate(values.get("source_url", []), start=1):
        raw[f"source{n}_url"] = url
    if values.get("source_date"):
        raw["source1_date"] = values["source_date"][0]
    raw["tags"] = "; ".join(["HXL", *tags])
    return raw


_SINGLE = frozenset(
    {"id", "source_event_id", "title", "description", "date_start", "date_end", "place"}
    | {"admin1", "admin1_code", "latitude", "longitude"}
    | {f"{g}_{b}" for g in ("killed", "disappeared", "displaced") for b in ("min", "best", "max")}
)
