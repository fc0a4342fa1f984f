"""The stored records of some days reduced to what the duplicate search profiles of
them, read column by column instead of as whole records.

Why apart from merges.visible_records: an import's duplicate look reads every stored
record of the file's days, and rebuilding each as a whole Incident (every field, its
sources' five parts, its confidential row) cost about as much as the search itself.
The search reads nineteen fields and two parts of each source; nothing confidential.
The values are converted as columns.incident_from_rows converts them, so a profile
made of these facts is the profile of the whole record
(tests/duplicates/test_profile_reads.py checks that on both stores).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from incidents.access import Viewer
from incidents.store.base import NotAllowed
from incidents.store.columns import LIST_SEPARATOR
from incidents.translation import _

if TYPE_CHECKING:
    from incidents.store.record_store import RecordStore


class Cited(NamedTuple):
    """The parts of a source the search compares."""

    url: str
    publisher: str


class RecordFacts(NamedTuple):
    """A stored record's fields that the duplicate search reads, named as Incident's."""

    id: str
    type: str
    title: str
    date_start: date
    date_end: date
    description: str
    source_event_id: str
    date_precision: str
    place: str
    country: str
    admin1: str
    admin1_code: str
    latitude: float | None
    longitude: float | None
    location_precision: str
    location_uncertainty_km: float | None
    perpetrators: tuple[str, ...]
    killed_best: int | None
    sensitivity: str
    sources: tuple[Cited, ...]


_COLUMNS = RecordFacts._fields[:-1]
_KEPT = frozenset(("latitude", "longitude", "location_uncertainty_km", "killed_best"))


def facts_between(
    store: RecordStore, viewer: Viewer, between: tuple[date, date]
) -> list[RecordFacts]:
    """The facts of every record whose dates come within `between`, by id, as
    merges.visible_records lists those records (staff only: restricted records are
    part of the answer)."""
    if not viewer.sees_restricted:
        raise NotAllowed(_("Only staff can review duplicate records."))
    span = [between[0].isoformat(), between[1].isoformat()]
    within = "date_end >= %s AND date_start <= %s"
    select = f"SELECT {', '.join(_COLUMNS)} FROM incidents WHERE {within} ORDER BY id"
    with store._read_backend() as db, db.snapshot():
        rows = db.fetch(select, span)
        sources = db.fetch(
            "SELECT incident_id, url, publisher FROM incident_sources WHERE incident_id IN "
            f"(SELECT id FROM incidents WHERE {within}) ORDER BY incident_id, position",
            span,
        )
    cited: dict[str, list[Cited]] = {}
    for s in sources:
        cited.setdefault(s["incident_id"], []).append(Cited(s["url"] or "", s["publisher"] or ""))
    made = _make
    return [made(r, tuple(cited.get(r["id"], ()))) for r in rows]


def _make(row: dict[str, Any], sources: tuple[Cited, ...]) -> RecordFacts:
    """One row's facts, each value converted as columns.incident_from_rows converts it:
    text left empty is "", numbers stay None, dates are dates, a list is a tuple."""
    values: list[Any] = [
        value if name in _KEPT else "" if value is None else value for name, value in row.items()
    ]
    values[_START] = date.fromisoformat(str(values[_START])[:10])
    values[_END] = date.fromisoformat(str(values[_END])[:10])
    listed = values[_LIST]
    values[_LIST] = tuple(p for p in listed.split(LIST_SEPARATOR) if p) if listed else ()
    values.append(sources)
    return RecordFacts._make(values)


_START, _END = _COLUMNS.index("date_start"), _COLUMNS.index("date_end")
_LIST = _COLUMNS.index("perpetrators")
