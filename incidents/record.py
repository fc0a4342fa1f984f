"""The validated incident record, as it travels from import to store to map."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from incidents.schema import CONFIDENTIAL_FIELDS, SOURCE_PARTS


@dataclass(frozen=True)
class Source:
    """One cited source; sha256 is of the saved copy's bytes when there is one."""

    title: str = ""
    publisher: str = ""
    date: str = ""
    url: str = ""
    sha256: str = ""

    def to_dict(self) -> dict[str, str]:
        return {part: getattr(self, part) for part in SOURCE_PARTS}

    def label(self) -> str:
        """How a source is cited in captions: publisher, title, date."""
        bits = [b for b in (self.publisher, self.title, self.date) if b]
        return ", ".join(bits) or self.url


@dataclass(frozen=True)
class Incident:
    """A validated incident. Field names and meanings are those of incidents.schema."""

    id: str
    type: str
    title: str
    date_start: date
    date_end: date
    description: str = ""
    source_event_id: str = ""
    date_precision: str = "day"
    date_kind: str = "occurred"
    place: str = ""
    country: str = ""
    admin1: str = ""
    admin1_code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    location_precision: str = "exact"
    location_uncertainty_km: float | None = None
    location_method: str = "source"
    place_confirmed: bool = True
    perpetrators: tuple[str, ...] = ()
    killed_min: int | None = None
    killed_best: int | None = None
    killed_max: int | None = None
    disappeared_min: int | None = None
    disappeared_best: int | None = None
    disappeared_max: int | None = None
    displaced_min: int | None = None
    displaced_best: int | None = None
    displaced_max: int | None = None
    verification: str = "reported"
    sources: tuple[Source, ...] = ()
    tags: tuple[str, ...] = ()
    sensitivity: str = "restricted"
    public_date_to_month: bool = False
    confidential_notes: str = ""
    victim_details: str = ""
    witness_details: str = ""
    created_by: str = ""
    created_at: str = ""
    updated_by: str = ""
    updated_at: str = ""
    version: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def replace(self, **changes: Any) -> Incident:
        """A copy with some fields changed (cheaper than dataclasses.replace: imports call
        it several times per row)."""
        if not changes.keys() <= _FIELD_NAMES:
            unknown = set(changes) - _FIELD_NAMES
            raise TypeError(f"Incident has no field(s) {sorted(unknown)}")
        new = object.__new__(Incident)
        state = new.__dict__
        state.update(self.__dict__)
        state.update(changes)
        return new

    def content(self) -> dict[str, Any]:
        """The fields a person writes: what an import compares to decide 'unchanged'."""
        state = self.__dict__
        out = {name: state[name] for name in CONTENT_FIELDS}
        for name in NESTED_FIELDS:  # the only fields whose values are not plain JSON
            out[name] = content_value(out[name])
        return out

    def confidential(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in CONFIDENTIAL_FIELDS}


_FIELD_NAMES = frozenset(f.name for f in dataclasses.fields(Incident))
_SYSTEM_FIELDS = {"created_by", "created_at", "updated_by", "updated_at", "version", "extra"}
CONTENT_FIELDS = tuple(
    sorted(n for n in (f.name for f in dataclasses.fields(Incident)) if n not in _SYSTEM_FIELDS)
)
NESTED_FIELDS = ("date_start", "date_end", "perpetrators", "tags", "sources")


def content_value(value: Any) -> Any:
    """A nested field's value as Incident.content() gives it (plain JSON)."""
    if type(value) is date:
        return value.isoformat()
    if type(value) is tuple and all(type(v) is str for v in value):
        return list(value)
    if type(value) is tuple and all(type(v) is Source for v in value):
        return [{p: v.__dict__[p] for p in SOURCE_PARTS} for v in value]
    return _plain(value)


_DEFAULTS = {
    f.name: f.default for f in dataclasses.fields(Incident) if f.default is not dataclasses.MISSING
}


def source_of(title: str, publisher: str, date: str, url: str, sha256: str) -> Source:
    """A Source from validated parts, without the dataclass __init__ (imports make one
    per cited source)."""
    new = object.__new__(Source)
    new.__dict__.update(title=title, publisher=publisher, date=date, url=url, sha256=sha256)
    return new


def incidents_of(names: list[str], columns: Iterable[list[Any]]) -> list[Incident]:
    """Incidents from validated columns (one list per field in names, every field but
    the system ones), without the dataclass __init__'s per-field cost (imports build
    one per row); the fields are checked once for the whole file."""
    missing = _FIELD_NAMES - _SYSTEM_FIELDS - set(names)
    unknown = set(names) - _FIELD_NAMES
    if missing or unknown or len(set(names)) != len(names):
        raise TypeError(f"Incident fields: unknown {sorted(unknown)}, missing {sorted(missing)}")
    system = {name: value for name, value in _DEFAULTS.items() if name in _SYSTEM_FIELDS}
    made = []
    for row in zip(*columns, strict=True):
        new = object.__new__(Incident)
        state = new.__dict__
        state.update(system)
        state["extra"] = {}
        state.update(zip(names, row, strict=True))
        made.append(new)
    return made


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Source):
        return value.to_dict()
    return value


def incident_from_content(content: dict[str, Any]) -> Incident:
    """Rebuild an Incident from Incident.content() (or a stored row of the same shape)."""
    values = dict(content)
    values["date_start"] = date.fromisoformat(str(values["date_start"]))
    values["date_end"] = date.fromisoformat(str(values["date_end"]))
    values["perpetrators"] = tuple(values.get("perpetrators") or ())
    values["tags"] = tuple(values.get("tags") or ())
    values["sources"] = tuple(Source(**s) for s in values.get("sources") or ())
    known = {f.name for f in dataclasses.fields(Incident)}
    return Incident(**{k: v for k, v in values.items() if k in known})
