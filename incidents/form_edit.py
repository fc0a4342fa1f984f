"""The incident form's values, what the person changed, and the record a save writes.

A save must write only what the person typed: the form remembers the values it was
filled with, and only the fields whose values differ from those are applied, onto the
record as it is stored now. A field the form cannot show (the source's event id,
a date the form would clamp) is never touched by a save. The same
rule merges an edit onto a record someone else saved in between. The confidential
fields (victims, witnesses, notes) are in the form for those entitled to them only;
for anyone else the record they open holds them empty and the form does not draw
them, so their save leaves them as stored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from incidents.record import Incident
from incidents.schema import CONFIDENTIAL_FIELDS, SOURCE_PARTS, VOCABULARIES
from incidents.text_diff import merged_text
from incidents.translation import N_, _
from incidents.validation import Problem, RowInvalid, clean_text, items_of, validate_row

FormValues = dict[str, Any]

# The form's fields and the labels it shows them with (also used to say what changed);
# N_ marks them for the catalogue, pages show them through _().
LABELS: dict[str, str] = {
    "type": N_("Type"),
    "title": N_("Title"),
    "description": N_("Description"),
    "date_start": N_("From"),
    "date_end": N_("To"),
    "date_precision": N_("How exact the date is"),
    "date_kind": N_("What the date marks"),
    "place": N_("Place name"),
    "place_unknown": N_("Place unknown"),
    "latitude": N_("Latitude"),
    "longitude": N_("Longitude"),
    "method": N_("How the point was obtained"),
    "location_precision": N_("How exact the place is"),
    "location_uncertainty_km": N_("Uncertainty radius (km)"),
    "admin1": N_("District"),
    "admin1_code": N_("District code"),
    "country": N_("Country"),
    "perpetrators": N_("Alleged perpetrators"),
    "killed_min": N_("Killed min"),
    "killed_best": N_("Killed best"),
    "killed_max": N_("Killed max"),
    "disappeared_min": N_("Disappeared min"),
    "disappeared_best": N_("Disappeared best"),
    "disappeared_max": N_("Disappeared max"),
    "displaced_min": N_("Displaced min"),
    "displaced_best": N_("Displaced best"),
    "displaced_max": N_("Displaced max"),
    "verification": N_("Verification"),
    "tags": N_("Tags"),
    "sensitivity": N_("Who may see it"),
    "public_date_to_month": N_("Public views show only the month"),
    "confidential_notes": N_("Confidential notes"),
    "victim_details": N_("Victim details"),
    "witness_details": N_("Witness details"),
    "sources": N_("Sources"),
}
FIELDS = tuple(LABELS)
COUNTS = tuple(f for f in FIELDS if f.endswith(("_min", "_best", "_max")))
CODED = ("type", "date_precision", "date_kind", "location_precision", "verification",
          "sensitivity", "method")  # fmt: skip
_TEXT = ("title", "description", "place", "admin1", "admin1_code", "country",
         *CONFIDENTIAL_FIELDS)  # fmt: skip
_NUMBERS = ("latitude", "longitude", "location_uncertainty_km")
# Which record fields a changed form field writes; the rest map to themselves.
_WRITES: dict[str, tuple[str, ...]] = {
    "date_start": ("date_start", "date_end", "date_precision"),
    "date_end": ("date_start", "date_end", "date_precision"),
    "date_precision": ("date_start", "date_end", "date_precision"),
    "method": ("location_method",),
    "place_unknown": (),
}
PLACE_FIELDS = ("place", "latitude", "longitude")


def form_values(record: Incident | None, country: str = "LY") -> FormValues:
    """The values the form shows for a stored record; for a new one, empty required
    fields (no type, no date, no place: an untouched form cannot be saved) and country."""
    if record is None:
        return {
            **dict.fromkeys(FIELDS),
            **dict.fromkeys((*_TEXT, "perpetrators", "tags"), ""),
            "country": country,
            "date_precision": "day",
            "date_kind": "occurred",
            "location_precision": "town",
            "verification": "reported",
            "sensitivity": "restricted",
            "method": "manual",
            "place_unknown": False,
            "public_date_to_month": False,
            "sources": [],
        }
    values: FormValues = {name: getattr(record, name) for name in FIELDS if hasattr(record, name)}
    values.update({name: getattr(record, name) or "" for name in _TEXT})
    values["method"] = record.location_method
    values["perpetrators"] = "; ".join(record.perpetrators)
    values["tags"] = "; ".join(record.tags)
    values["sources"] = [s.to_dict() for s in record.sources]
    values["place_unknown"] = not (record.place or record.has_point)
    return values


def comparable(name: str, value: Any) -> Any:
    """A value as compared to decide whether the person changed it: text without outer
    spaces and with one kind of line break, lists as their items, points to 6 decimals
    (what the form shows), empty source rows dropped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if name in ("perpetrators", "tags"):
        return items_of(clean_text(value))
    if name == "sources":
        return tuple(sources_of(value))
    if name in _NUMBERS or name in COUNTS:
        return round(float(value), 6)
    if name in _TEXT or name in CODED:
        return clean_text(str(value).replace("\r\n", "\n").replace("\r", "\n")) or None
    return value


def sources_of(rows: Any) -> list[tuple[str, ...]]:
    """Source rows (dicts, from the form's table) as tuples of their parts, without the
    empty rows a table leaves."""
    out = []
    for row in rows or []:
        parts = tuple(clean_text(row.get(p)) for p in SOURCE_PARTS)
        if any(parts):
            out.append(parts)
    return out


def changed(base: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """The form fields whose value the person changed, in the form's order."""
    return [f for f in FIELDS if comparable(f, base.get(f)) != comparable(f, now.get(f))]


def required_problems(now: Mapping[str, Any]) -> dict[str, str]:
    """The required fields left empty, as the importer requires them: a type, a title,
    a first date, and a place (a name or a point) unless 'place unknown' is ticked."""
    problems = {}
    if not comparable("type", now.get("type")):
        problems["type"] = _("Choose the type of incident.")
    if not comparable("title", now.get("title")):
        problems["title"] = _("Write a short title.")
    if now.get("date_start") is None:
        problems["date_start"] = _("Give the (first possible) date.")
    has_point = now.get("latitude") is not None and now.get("longitude") is not None
    if not (now.get("place_unknown") or comparable("place", now.get("place")) or has_point):
        problems["place"] = _(
            "Give a place name or a point (click the map), or tick 'Place unknown'."
        )
    return problems


def raw_row(values: Mapping[str, Any]) -> dict[str, Any]:
    """Form values as a template row: what the importer's validate_row reads."""
    raw: dict[str, Any] = {}
    for name in FIELDS:
        value = values.get(name)
        if name in ("sources", "place_unknown", "method"):
            continue
        if isinstance(value, date):
            value = value.isoformat()
        raw[name] = "" if value is None else value
    raw["location_method"] = values.get("method") or "manual"
    for n, parts in enumerate(sources_of(values.get("sources")), start=1):
        raw.update(
            {f"source{n}_{part}": text for part, text in zip(SOURCE_PARTS, parts, strict=True)}
        )
    return raw


def apply_edit(
    stored: Incident | None,
    base: Mapping[str, Any],
    now: Mapping[str, Any],
    new_id: str,
    today: date | None = None,
) -> Incident:
    """The record to save: the fields changed from base to now, validated as an import
    is, applied onto the stored record (a new record when stored is None). Raise
    RowInvalid (problems by form field) when a required field is empty or a value
    cannot be stored."""
    problems = required_problems(now)
    fields = changed(base, now)
    merged = {**form_values(stored), **{f: now.get(f) for f in fields}}
    try:
        valid = validate_row(raw_row(merged), today=today)
    except RowInvalid as error:
        raise RowInvalid(
            [Problem(f, m) for f, m in problems.items()]
            + [p for p in error.problems if p.field not in problems]
        ) from error
    if problems:
        raise RowInvalid([Problem(f, m) for f, m in problems.items()])
    if stored is None:
        return valid.replace(id=new_id, version=0, place_confirmed=True)
    written = {attr for f in fields for attr in _WRITES.get(f, (f,))}
    updates = {attr: getattr(valid, attr) for attr in written}
    if {"latitude", "longitude"} & set(fields) and "method" not in fields:
        updates["location_method"] = "manual"  # typed by hand
    if set(PLACE_FIELDS) & set(fields):
        updates["place_confirmed"] = True
    return stored.replace(**updates)


def merged_draft(
    current: Incident, base: Mapping[str, Any], now: Mapping[str, Any]
) -> tuple[FormValues, list[str]]:
    """The form refilled from the record as stored now, with the person's own changes
    (base to now) kept on top: what 'keep my changes' shows before saving again. A text
    both changed keeps both edits where they touch different words (text_diff); the
    fields both changed otherwise hold the person's value and are returned, for the
    page to name (a field the other editor changed was put back without a word)."""
    stored = form_values(current)
    draft, both = dict(stored), []
    for name in changed(base, now):
        value, theirs = now.get(name), stored.get(name)
        moved = comparable(name, base.get(name)) != comparable(name, theirs)
        if moved and comparable(name, value) != comparable(name, theirs):
            first, merged = base.get(name), None
            if isinstance(first, str) and isinstance(value, str) and isinstance(theirs, str):
                merged = merged_text(first, value, theirs)
            if merged is None:
                both.append(name)
            value = value if merged is None else merged
        draft[name] = value
    return draft, both


def differences(
    base: Mapping[str, Any], now: Mapping[str, Any], current: Incident
) -> list[tuple[str, str, str, str]]:
    """(label, the value both started from, your value, the stored value) for each field
    either side changed: what a refused save shows when someone else saved the record
    in between. The first value lets the page mark on each side that side's own
    changes. A field only the other save changed is listed too (it stays as they saved
    it when the person keeps their changes): shown only those the person changed, a
    field they had not touched changed under them unseen."""
    stored = form_values(current)
    fields = set(changed(base, now)) | set(changed(base, stored))
    return [
        (LABELS[f], shown(f, base.get(f)), shown(f, now.get(f)), shown(f, stored.get(f)))
        for f in FIELDS
        if f in fields
    ]


def shown(name: str, value: Any) -> str:
    """A form value as a sentence shows it: labels for codes, yes/no, sources listed."""
    value = comparable(name, value)
    vocabulary = VOCABULARIES.get("location_method" if name == "method" else name)
    if value in (None, (), ""):
        text = "(empty)"
    elif vocabulary is not None:
        text = vocabulary.label(value)
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif name in ("perpetrators", "tags"):
        text = "; ".join(value)
    elif name == "sources":
        text = "; ".join(", ".join(p for p in parts if p) for parts in value)
    elif name in COUNTS:
        text = str(int(value))
    else:
        text = str(value)
    return text
