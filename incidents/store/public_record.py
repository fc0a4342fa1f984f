"""One record as the public sees it (the detail panel), by the rules rows follow.

The public rules live once, in access.coarsen_for_public (rows) and access.public_sources
(sources). A record read on its own is put through those same functions as a one-row
frame, so every field they coarsen, blank or drop is treated here as in a table, a map
or a file, and a rule added there reaches the detail panel without being written twice.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pandas as pd

from incidents.access import PublicRules, coarsen_for_public, public_sources
from incidents.record import Incident

# Fields that travel as one value per record (the frame's columns); the nested ones
# (sources, perpetrators, tags) and extra are not rows' columns.
_NESTED = ("sources", "perpetrators", "tags", "extra")
_SCALARS = tuple(f.name for f in dataclasses.fields(Incident) if f.name not in _NESTED)
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Incident) if f.name in _SCALARS}
_DATES = ("date_start", "date_end")


def public_incident(incident: Incident, rules: PublicRules) -> Incident:
    """The record with what the public rules hide coarsened, blanked or dropped.

    A column coarsen_for_public drops (record times, version, who wrote it) goes back to
    the field's empty default; one it changes takes the changed value; the sources'
    dates follow the record's public date.
    """
    row = {n: getattr(incident, n) for n in _SCALARS}
    row.update({n: row[n].isoformat() for n in _DATES})
    before = pd.DataFrame([row])
    after = coarsen_for_public(before, rules)
    changes: dict[str, Any] = {}
    for name in _SCALARS:
        if name not in after.columns:
            changes[name] = _DEFAULTS[name]
            continue
        old, new = before.at[0, name], after.at[after.index[0], name]
        if not _same(old, new):
            changes[name] = _field_value(name, new)
    sources = public_sources(
        {incident.id: incident.sources}, {incident.id: incident.public_date_to_month}
    )
    changes["sources"] = sources[incident.id]
    return incident.replace(**changes)


def _same(old: Any, new: Any) -> bool:
    if pd.isna(old) and pd.isna(new):
        return True
    return bool(old == new) and type(old) is type(new)


def _field_value(name: str, value: Any) -> Any:
    """A frame's value as the Incident field holds it (dates, None for missing numbers)."""
    if name in _DATES:
        return date.fromisoformat(str(value)[:10])
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value
