"""How an Incident is laid out in database rows, shared by both stores.

Confidential fields live in a table of their own so a reader who may not see them
never selects them; sources live in a child table, one row per source.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from incidents.record import Incident, Source
from incidents.schema import CONFIDENTIAL_FIELDS, FIELDS, SOURCE_PARTS, Field
from incidents.store.backend import Backend

LIST_SEPARATOR = "; "

INCIDENT_COLUMNS: tuple[Field, ...] = tuple(
    f for f in FIELDS if not f.confidential and f.name != "sources"
)
INCIDENT_COLUMN_NAMES: tuple[str, ...] = tuple(f.name for f in INCIDENT_COLUMNS)

SQLITE_TYPES = {
    "text": "TEXT",
    "code": "TEXT",
    "list": "TEXT",
    "date": "DATE",
    "integer": "INTEGER",
    "number": "REAL",
    "boolean": "BOOLEAN",
}
POSTGRES_TYPES = {**SQLITE_TYPES, "number": "DOUBLE PRECISION"}
_NOT_NULL = {"type", "title", "date_start", "date_end", "version"}


def column_constraint(f: Field) -> str:
    """NOT NULL for what every record has, so a broken write fails in the database too."""
    if f.name == "id":
        return " NOT NULL UNIQUE"
    return " NOT NULL" if f.name in _NOT_NULL else ""


def incident_row(incident: Incident, booleans: type = int) -> dict[str, Any]:
    """The incidents-table values of a record (no confidential fields, no sources)."""
    columns = incident_columns([incident], booleans)
    return {name: column[0] for name, column in zip(INCIDENT_COLUMN_NAMES, columns, strict=True)}


def incident_columns(incidents: Sequence[Incident], booleans: type = int) -> list[list[Any]]:
    """The incidents-table values of many records as one list per column
    (INCIDENT_COLUMN_NAMES' order), converted a column at a time: a bulk write's rows
    are zip(*columns). booleans: int for SQLite's 0/1, bool for PostgreSQL's BOOLEAN."""
    states = [i.__dict__ for i in incidents]
    columns = []
    for name in INCIDENT_COLUMN_NAMES:
        column = [s[name] for s in states]
        if name in _LIST_COLUMNS:
            column = [LIST_SEPARATOR.join(v) for v in column]
        elif name in _DATE_COLUMNS:
            column = [v.isoformat() for v in column]
        elif name in _BOOLEAN_COLUMNS:
            column = [booleans(bool(v)) for v in column]
        columns.append(column)
    return columns


_LIST_COLUMNS = tuple(f.name for f in INCIDENT_COLUMNS if f.kind == "list")
_DATE_COLUMNS = tuple(f.name for f in INCIDENT_COLUMNS if f.kind == "date")
_BOOLEAN_COLUMNS = tuple(f.name for f in INCIDENT_COLUMNS if f.kind == "boolean")


def source_rows(incident: Incident) -> list[tuple[Any, ...]]:
    return [
        (incident.id, n, *(getattr(s, p) for p in SOURCE_PARTS))
        for n, s in enumerate(incident.sources, start=1)
    ]


def confidential_row(incident: Incident) -> tuple[str, ...]:
    return (incident.id, *(getattr(incident, name) for name in CONFIDENTIAL_FIELDS))


def incident_from_rows(
    row: dict[str, Any], sources: list[dict[str, Any]], confidential: dict[str, Any] | None
) -> Incident:
    """Rebuild a record from its stored rows; confidential values stay empty when not given."""
    values: dict[str, Any] = {}
    for f in INCIDENT_COLUMNS:
        value = row.get(f.name)
        if f.kind == "list":
            value = tuple(p for p in (value or "").split(LIST_SEPARATOR) if p)
        elif f.kind == "date":
            value = date.fromisoformat(str(value)[:10])
        elif f.kind == "boolean":
            value = bool(value)
        elif f.kind in ("text", "code") and value is None:
            value = ""
        values[f.name] = value
    values["sources"] = tuple(Source(**{p: s.get(p) or "" for p in SOURCE_PARTS}) for s in sources)
    if confidential:
        values.update({name: confidential.get(name) or "" for name in CONFIDENTIAL_FIELDS})
    return Incident(**values)


def load_records(db: Backend, ids: Sequence[str]) -> dict[str, Incident]:
    """Stored records with their sources and confidential fields, by id."""
    if not ids:
        return {}
    marks = ", ".join([db.placeholder] * len(ids))
    rows = db.fetch(f"SELECT * FROM incidents WHERE id IN ({marks})", list(ids))
    sources = db.fetch(
        f"SELECT * FROM incident_sources WHERE incident_id IN ({marks}) ORDER BY position",
        list(ids),
    )
    secret = db.fetch(
        f"SELECT * FROM incident_confidential WHERE incident_id IN ({marks})", list(ids)
    )
    by_id: dict[str, list[dict[str, Any]]] = {}
    for s in sources:
        by_id.setdefault(s["incident_id"], []).append({p: s[p] for p in SOURCE_PARTS})
    confidential = {c["incident_id"]: c for c in secret}
    return {
        r["id"]: incident_from_rows(r, by_id.get(r["id"], []), confidential.get(r["id"]))
        for r in rows
    }
