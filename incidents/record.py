"""The validated incident record, as it travels from import to store to map."""

from __future__ import annotations

import copy
import dataclasses
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
        unknown = set(changes) - _FIELD_NAMES
        if unknown:
            raise TypeError(f"Incident has no field(s) {sorted(unknown)}")
        new = copy.copy(self)
        for name, value in changes.items():
            object.__setattr__(new, name, value)
        return new

    def content(self) -> dict[str, Any]:
        """The fields a person writes: what an import compares to decide 'unchanged'."""
        skip = {"created_by", "created_at", "updated_by", "updated_at", "version", "extra"}
        return {
            f.name: _plain(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if f.name not in skip
        }

    def confidential(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in CONFIDENTIAL_FIELDS}


_FIELD_NAMES = frozenset(f.name for f in dataclasses.fields(Incident))


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
