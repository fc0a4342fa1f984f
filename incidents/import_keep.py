"""What an import leaves of a stored record: the fields its file has no column for.

A file may carry part of a record: the app's own table export (its sources joined in
one column no reader takes), a newer ACLED export (without the notes staff wrote), a
sheet of corrections (id, type, date, title). Its row was taken as the whole record,
so an update cleared what the file lacked and set the defaults (Restricted,
Reported): re-importing the table export erased every record's sources. Now a field
with no column keeps its stored value (a value "for every row" fills new records
only). Fields read together go together: a place name or country with its point,
district and precision (a point or district alone leaves the stored place name);
each casualty figure's least, best and most (a new best beside the old least and
most could break their order); a date's end and precision, which stay only with the
start they belong to, written as a day (a new start with the old end could end before
it began).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from incidents.record import CONTENT_FIELDS, Incident
from incidents.validation import default_title

_PLACE = {"admin1", "admin1_code", "latitude", "longitude", "location_precision"} | {
    "location_uncertainty_km", "location_method", "place_confirmed"}  # fmt: skip
_TOGETHER = (
    {"date_end", "date_precision"},
    *({f"{what}_{bound}" for bound in ("min", "best", "max")}
      for what in ("killed", "disappeared", "displaced")),
)  # fmt: skip
_SOURCE_COLUMN = re.compile(r"source\d+_")


def kept_fields(columns: Iterable[str]) -> frozenset[str]:
    """The fields an update takes from the stored record, given the file's columns as
    the import reads them (template field names, source1_title ...)."""
    named = set(columns)
    named |= {"sources"} if any(map(_SOURCE_COLUMN.match, named)) else set()
    for group in _TOGETHER:
        named |= group if named & group else set()
    named |= _PLACE | {"place", "country"} if named & {"place", "country"} else set()
    named |= _PLACE if named & _PLACE else set()
    return frozenset(name for name in CONTENT_FIELDS if name not in named and name != "id")


def with_stored(row: Incident, stored: Incident, keep: frozenset[str]) -> Incident:
    """row with the stored values of the fields kept (kept_fields). A stored title the
    import made itself (validation.default_title: "Other in Gumuruk") is made again for
    the row: kept, it named the old place or type after an update changed them."""
    if row.date_start != stored.date_start or row.date_precision != "day":
        keep = keep - {"date_end", "date_precision"}
    if "title" in keep and stored.title == default_title(vars(stored)):
        keep = keep - {"title"}
    return row.replace(**{name: getattr(stored, name) for name in keep})


class Edits(NamedTuple):
    """kept: the fields taken from the stored record; edited: those staff changed; both:
    of those, the ones the file changes too (its values taken)."""

    kept: tuple[str, ...] = ()
    edited: tuple[str, ...] = ()
    both: tuple[str, ...] = ()


NO_EDITS = Edits()

# Fields an edit changes together, as kept_fields groups them: a place with its point,
# district and precision; a date's start, end and precision; each casualty figure.
_UNITS = (
    (*sorted(_PLACE), "place", "country"),
    ("date_start", "date_end", "date_precision"),
    *(tuple(sorted(group)) for group in _TOGETHER[1:]),
)
_ALONE = tuple((n,) for n in CONTENT_FIELDS if n != "id" and not any(n in u for u in _UNITS))


def edits_to_keep(base: dict[str, Any], stored: Incident, row: Incident) -> Edits:
    """What to take from the stored record because staff changed it in the app since
    the import that wrote base (that import entry's content), whole units at a time: a
    file repeating what that import said put the old values back over corrections.
    Where the file changes an edited unit too, it is news from the source and is taken
    (a sheet of corrections is imported to apply it); the report names the row and the
    record's history keeps the app's value. A field the import entry does not hold (a
    store's older content) counts as not edited."""
    ours, theirs = stored.content(), row.content()
    kept: list[str] = []
    edited: list[str] = []
    both: list[str] = []
    for unit in (*_UNITS, *_ALONE):
        known = [f for f in unit if f in base]
        changed = [f for f in known if ours[f] != base[f]]
        if not changed or all(ours[f] == theirs[f] for f in unit):
            continue  # not edited since the import, or the file says what the edit said
        edited += changed
        if any(theirs[f] != base[f] for f in known):
            both += changed
        else:
            kept += unit
    return Edits(tuple(kept), tuple(edited), tuple(both))


def with_edits(row: Incident, stored: Incident, kept: Iterable[str]) -> Incident:
    """row with the stored values of the fields edits_to_keep kept; a title the import
    makes (default_title) is made again from the fields the record ends with."""
    out = row.replace(**{name: getattr(stored, name) for name in kept})
    if "title" not in kept and row.title == default_title(vars(row)):
        out = out.replace(title=default_title(vars(out)))
    return out


def as_updated(
    row: Incident, before: Incident | None, base: dict[str, Any] | None, keep: frozenset[str]
) -> tuple[Incident, Edits]:
    """row as an import writes it over the stored record (before): what the file has no
    column for kept (with_stored), and what staff changed in the app since the last
    import (base: what that import wrote) where the file still says what it said."""
    if before is None:
        return row, NO_EDITS
    incident = with_stored(row, before, keep) if keep else row
    if base is None:
        return incident, NO_EDITS
    edits = edits_to_keep(base, before, incident)
    return with_edits(incident, before, edits.kept), edits
