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
