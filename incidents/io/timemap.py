"""Timemap JSON (Forensic Architecture's timemap, Bellingcat's civilian-harm maps).

A timemap export is a list of events, or an object with "events" (any letter case),
"sources" and "associations" (or "filters"). Each event has an id, a date written
"MM/DD/YYYY" (timemap's own layout: 11/03/2022 is the 3rd of November, so the date is
converted here and never left to guessing), a time, latitude and longitude as text, a
location, a description, its sources (ids into the sources block, or the source objects
themselves) and its filters ([{key, value}]) or associations (ids).

The JSON is read into a Table whose references are already resolved (source titles and
web addresses, association names); raw_rows maps it to the template's fields:

- title: the event's title, else the first sentence of its description;
- place: the location (trimmed); source_event_id "timemap:<id>";
- type: timemap has no incident types; an association or filter naming one of ours
  (by code or label, or a few plain phrases in TYPE_WORDS) gives it, else "other";
  every association and filter is kept as a tag;
- sources: each source's title, else its description ("Source hidden" stays as
  written), and its first web address (a path such as "HIDDEN" is no address).

Inconsistencies are reported in the table's notes, not hidden: a source id the sources
block lacks, and a source whose title names another event (timemap projects title a
source with the id of the event citing it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from incidents.dates import DayOrder
from incidents.io.tabular import MAX_CELL_CHARS, MAX_ROWS, FileUnusable, Table, flag_long_cells
from incidents.schema import INCIDENT_TYPES
from incidents.translation import N_, _
from incidents.translation import number as _number

NAME = "timemap"
LABEL = N_("Timemap events (JSON)")
MAX_EVENT_SOURCES = 9  # source1 .. source9, as the template reads them
COLUMNS = ("id", "date", "time", "latitude", "longitude", "location", "title", "description")
MARKER = "timemap_sources"  # a column only this reader writes: how the format is recognised

# Plain phrases of association or filter names -> our incident type.
TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("mass grave", "mass_grave"),
    ("sexual violence", "sexual_violence"),
    ("rape", "sexual_violence"),
    ("torture", "torture"),
    ("disappear", "enforced_disappearance"),
    ("abduct", "enforced_disappearance"),
    ("detention", "arbitrary_detention"),
    ("internment", "arbitrary_detention"),
    ("displace", "displacement"),
    ("execution", "killing"),
    ("attacks on civilians", "attack_on_civilians"),
    ("targeting the civilian", "attack_on_civilians"),
)
_MDY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ID_LIKE = re.compile(r"^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9_-]{3,40}$")  # CIV1659, LEIL8M


def _get(mapping: Mapping[str, Any], key: str) -> Any:
    """A value by key in any letter case ("Events" in json-server files, "events" in FA's)."""
    if key in mapping:
        return mapping[key]
    for name, value in mapping.items():
        if isinstance(name, str) and name.casefold() == key:
            return value
    return None


def _events(document: Any) -> list[Any] | None:
    if isinstance(document, dict):
        if document.get("type") in ("FeatureCollection", "Feature"):
            return None
        document = _get(document, "events")
    return document if isinstance(document, list) else None


def is_timemap(document: Any) -> bool:
    """Whether parsed JSON is a timemap export: events with a date and a place or text."""
    events = _events(document)
    if not events:
        return False
    sample = [e for e in events[:20] if isinstance(e, dict)]
    return bool(sample) and all(
        "date" in e and ("latitude" in e or "location" in e) and ("description" in e or "id" in e)
        for e in sample
    )


def table_from_document(document: Any, name: str) -> Table:
    """The events as a Table, references to sources and associations resolved."""
    events = _events(document) or []
    if len(events) > MAX_ROWS:
        said = _("{file}: more than {n} events; split the file")
        raise FileUnusable(said.format(file=name, n=_number(MAX_ROWS)))
    top = document if isinstance(document, dict) else {}
    sources = _by_id(_get(top, "sources"))
    associations = _by_id(_get(top, "associations"))
    by_event = _titled_by_event(events, sources)
    table = Table(name, [], encoding="utf-8")
    rows: list[dict[str, Any]] = []
    for number, event in enumerate(events, start=1):
        if not isinstance(event, dict):
            table.problems[number] = [("event", _("is not an object of names and values"))]
            rows.append({})
            continue
        row = {c: _text(event.get(c)) for c in COLUMNS}
        if _text(event.get("country")):
            row["country"] = _text(event.get("country"))
        row["tags"] = "; ".join(_tags(event, associations))
        row.update(_sources(event, sources, by_event, number, table))
        rows.append(row)
    _countries(rows)
    _iso_dates(rows, table)
    table.layout = _layout(document, events)
    header = list(dict.fromkeys(k for row in rows for k in row))
    table.header = header
    table.rows = [(n, [row.get(c, "") for c in header]) for n, row in enumerate(rows, 1)]
    for number, cells in table.rows:  # a runaway cell rejects its event, named
        if sum(map(len, cells)) > MAX_CELL_CHARS:
            flag_long_cells(table, number, cells)
    return table


def _layout(document: Any, events: list[Any]) -> str:
    """'timemap: events with sources and associations': the blocks the export has."""
    top = document if isinstance(document, dict) else {}
    blocks = [b for b in ("sources", "associations", "filters") if _get(top, b)]
    if not blocks and any(isinstance(e, dict) and e.get("filters") for e in events):
        blocks.append(_("filters in each event"))  # the others: the file's own block names
    kind = _("a list of events") if isinstance(document, list) else _("events")
    if not blocks:
        return _("timemap: {kind}").format(kind=kind)
    said = _("timemap: {kind} with {blocks}")
    return said.format(kind=kind, blocks=_(" and ").join(blocks))


def _countries(rows: list[dict[str, Any]]) -> None:
    """A timemap event names no country: it gets the one its point lies in (the import
    would otherwise check it against the user's default country and refuse it). An
    event that names its country keeps it; a point that is not one is left to validation."""
    from geodata import countries_for_points

    located: list[tuple[dict[str, Any], float, float]] = []
    for row in rows:
        try:
            lat, lon = float(row["latitude"]), float(row["longitude"])
        except (KeyError, ValueError):
            continue
        if not row.get("country") and abs(lat) <= 90 and abs(lon) <= 180:  # NaN fails too
            located.append((row, lat, lon))
    if not located:
        return
    codes = countries_for_points([la for _, la, _ in located], [lo for _, _, lo in located])
    for (row, _lat, _lon), code in zip(located, codes, strict=True):
        row["country"] = code or ""


def _by_id(block: Any) -> dict[str, Any]:
    """{id: item} from a block given as an object keyed by id or as a list of items."""
    if isinstance(block, dict):
        return {str(k): v for k, v in block.items()}
    if isinstance(block, list):
        return {str(i.get("id")): i for i in block if isinstance(i, dict) and "id" in i}
    return {}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value if v is not None)
    return str(value).strip()


def _tags(event: dict[str, Any], associations: dict[str, Any]) -> list[str]:
    """Association names and filters ("key: value"), as tags."""
    tags: list[str] = []
    for item in _as_list(event.get("associations")):
        found = associations.get(str(item), item)
        if isinstance(found, dict):
            tags.append(_text(found.get("title") or found.get("filter_paths") or found.get("id")))
        else:
            tags.append(_text(found))
    for item in _as_list(event.get("filters")):
        if isinstance(item, dict):
            key, value = _text(item.get("key")), _text(item.get("value"))
            tags.append(f"{key}: {value}" if key and value else key or value)
        else:
            tags.append(_text(item))
    for key in ("category", "type"):
        if _text(event.get(key)):
            tags.append(_text(event.get(key)))
    return [t for t in dict.fromkeys(tags) if t]


def _titled_by_event(events: list[Any], block: dict[str, Any]) -> bool:
    """Whether the project titles each source with the id of the event citing it."""
    pairs = same = 0
    for event in events:
        if not isinstance(event, dict):
            continue
        for item in _cited(event):
            source = item if isinstance(item, dict) else block.get(str(item))
            if isinstance(source, dict):
                pairs += 1
                same += _text(source.get("title")) == _text(event.get("id"))
    return pairs > 0 and same * 2 >= pairs


def _cited(event: dict[str, Any]) -> list[Any]:
    return _as_list(event.get("sources"))


def _as_list(value: Any) -> list[Any]:
    """A list as it is; nothing for None or ""; any other single value as a list of one."""
    if isinstance(value, list):
        return value
    return [] if value is None or value == "" else [value]


def _sources(
    event: dict[str, Any], block: dict[str, Any], by_event: bool, number: int, table: Table
) -> dict[str, str]:
    """source1_title, source1_url ... for the event's sources; odd ones noted on the table."""
    cited = _cited(event)
    ids = [_text(s.get("id")) if isinstance(s, dict) else _text(s) for s in cited]
    out: dict[str, str] = {MARKER: "; ".join(ids)}
    missing, elsewhere = [], []
    own = _text(event.get("id"))
    kept = 0
    for item in cited:
        source = item if isinstance(item, dict) else block.get(str(item))
        if not isinstance(source, dict):
            missing.append(str(item))
            continue
        title = _text(source.get("title"))
        if by_event and title not in ("", "-", own) and _ID_LIKE.match(title):
            elsewhere.append(f"{_text(source.get('id'))} ({title})")
        kept += 1
        if kept > MAX_EVENT_SOURCES:
            continue
        out[f"source{kept}_title"] = _source_title(source, title, by_event)
        out[f"source{kept}_url"] = _web_address(source)
        out[f"source{kept}_date"] = _text(source.get("date"))
    where = {"file": table.name, "event": own or number, "row": number}
    if missing:
        said = _("{file}: event {event} (row {row}) cites sources the file does not hold: {ids}")
        table.notes.append(said.format(**where, ids=", ".join(missing)))
    if elsewhere:
        said = _(
            "{file}: event {event} (row {row}) cites sources titled with another event's id: "
            "{ids}; check that they belong to this event"
        )
        table.notes.append(said.format(**where, ids=", ".join(elsewhere)))
    if kept > MAX_EVENT_SOURCES:
        said = _("{file}: event {event} (row {row}) cites {n} sources; the first {most} were kept")
        table.notes.append(said.format(**where, n=kept, most=MAX_EVENT_SOURCES))
    return out


def _source_title(source: dict[str, Any], title: str, by_event: bool) -> str:
    """The source's title, unless it is only an event's id or a dash: then its description."""
    if not title or title == "-" or (by_event and _ID_LIKE.match(title)):
        return _text(source.get("description")) or title
    return title


def _web_address(source: dict[str, Any]) -> str:
    for key in ("url", "path", "paths"):
        value = source.get(key)
        for candidate in value if isinstance(value, list) else [value]:
            text = _text(candidate)
            if text.lower().startswith(("http://", "https://")):
                return text
    return ""


def layout(table: Table) -> str:
    """Set by the reader (table.layout): which blocks the export has."""
    return ""


def matches(table: Table) -> bool:
    """A table this module's reader made (its resolved-sources column is unique to it)."""
    return MARKER in table.header


def raw_rows(
    table: Table, column_map: dict[str, str] | None = None, day_order: DayOrder | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows keyed by template field names; a column_map puts a column of the table in
    the template field it names (over what the mapping made of it), never ignored. The
    dates were settled when the file was read (timemap's month/day/year, or day first
    when the file says so: _iso_dates), so day_order is not needed here."""
    _check_map(table, column_map or {})
    for number, row in table.records():
        if number in table.problems:
            yield number, {}
            continue
        texts = {k: _text(v) for k, v in row.items()}
        raw = map_event(texts)
        for column, target in (column_map or {}).items():
            if target and column in texts:
                raw[target] = texts[column]
        yield number, raw


def _check_map(table: Table, column_map: Mapping[str, str]) -> None:
    """A map naming a column the events lack, or a field the template lacks, is refused
    in a sentence (never ignored)."""
    from incidents.io.template import TEMPLATE_COLUMNS

    for column, target in column_map.items():
        if column not in table.header:
            shown = ", ".join(table.header)[:300]
            said = _(
                "{file}: the column map names a column '{column}' that the events do not have "
                "(they have: {columns})"
            )
            raise FileUnusable(said.format(file=table.name, column=column, columns=shown))
        if target and target not in TEMPLATE_COLUMNS:
            said = _(
                "{file}: the column map sends column '{column}' to '{target}', which is not a "
                "field of the incident template"
            )
            raise FileUnusable(said.format(file=table.name, column=column, target=target))


def map_event(row: dict[str, str]) -> dict[str, Any]:
    """One resolved timemap event as template fields."""
    description = row.get("description", "")
    tags = [t for t in row.get("tags", "").split("; ") if t]
    raw: dict[str, Any] = {
        "source_event_id": f"timemap:{row['id']}" if row.get("id") else "",
        "type": incident_type(tags),
        "title": row.get("title") or first_sentence(description),
        "description": description,
        "date_start": us_date(row.get("date", "")),
        "place": row.get("location", ""),
        "latitude": row.get("latitude", ""),
        "longitude": row.get("longitude", ""),
        "country": row.get("country", ""),
        "tags": "; ".join(["timemap", *tags]),
    }
    raw.update({k: v for k, v in row.items() if k.startswith("source") and k[6:7].isdigit()})
    return raw


def _iso_dates(rows: list[dict[str, Any]], table: Table) -> None:
    """Each event's date as YYYY-MM-DD. Timemap writes month/day/year unless a project
    configures day/month/year: a file in which some date can only be day first (25/03)
    and none only month first (03/25) is read day first, and the notes say so."""
    parts = [_MDY.match(str(r.get("date", ""))) for r in rows]
    pairs = [(int(m.group(1)), int(m.group(2))) for m in parts if m]
    day_first = any(a > 12 for a, _ in pairs) and not any(b > 12 for _, b in pairs)
    if day_first:
        example = next(m.group(0).strip() for m in parts if m and int(m.group(1)) > 12)
        said = _(
            "{file}: the dates are read as day/month/year (as {example} must be), not "
            "timemap's usual month/day/year"
        )
        table.notes.append(said.format(file=table.name, example=example))
    for row in rows:
        if "date" in row:
            row["date"] = us_date(str(row["date"]), day_first)


def us_date(text: str, day_first: bool = False) -> str:
    """'11/03/2022' (timemap's month/day/year) -> '2022-11-03' ('2022-03-11' day first);
    anything else as it is (validation reads it, or names what is wrong)."""
    found = _MDY.match(text)
    if not found:
        return text
    first, second, year = (int(g) for g in found.groups())
    month, day = (second, first) if day_first else (first, second)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return text  # validation names the impossible date


def first_sentence(text: str, limit: int = 120) -> str:
    """The description's first sentence (a full stop inside brackets, as in "[Graphic
    picture. Blurred ...]", does not end it), cut at a word near limit characters."""
    text = " ".join(text.split())
    depth = 0
    end = len(text)
    for index, char in enumerate(text):
        depth += (char in "([") - (char in ")]")
        if char in ".!?" and depth <= 0 and text[index + 1 : index + 2] in ("", " "):
            end = index + 1
            break
    sentence = text[:end]
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0] + " …"


def incident_type(tags: list[str]) -> str:
    """Our type named by an association or filter (see TYPE_WORDS), else 'other'."""
    for tag in tags:
        value = tag.split(": ", 1)[-1]
        code = INCIDENT_TYPES.lookup(value)
        if code:
            return code
        folded = value.casefold()
        for words, found in TYPE_WORDS:
            if words in folded:
                return found
    return "other"
