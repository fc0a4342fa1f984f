"""What a database backend does for the shared store logic (record_store.py): run SQL
on one open connection, inside the caller's transaction, plus the writes each
database does its own way (bulk inserts, the audit table, spatial index upkeep).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from incidents.record import Incident
from incidents.store.audit import AuditEntry


def has_table(db: Backend, name: str) -> bool:
    """Whether the store holds this table. Asked before a CREATE ... IF NOT EXISTS: in
    PostgreSQL that statement needs the right to create in the schema even when the
    table exists, which an app role that does not own the tables lacks
    (docs/deployment.md)."""
    if db.placeholder == "?":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s"
    else:
        sql = "SELECT to_regclass(%s) AS name"
    rows = db.fetch(sql, [name])
    return bool(rows and rows[0]["name"])


class Backend(ABC):
    """SQL on one open connection, inside the caller's transaction."""

    placeholder: str

    @abstractmethod
    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def update_incident(self, incident: Incident) -> None: ...

    @abstractmethod
    def delete_incident(self, incident_id: str) -> None: ...

    @abstractmethod
    def insert_incidents(self, incidents: Sequence[Incident]) -> None:
        """Insert many new records (one bulk statement; one record is a batch of one)."""

    @abstractmethod
    def append_audits(self, entries: Sequence[AuditEntry]) -> None:
        """Append many chained entries, in order, in one bulk statement."""

    def insert_incident(self, incident: Incident) -> None:
        self.insert_incidents([incident])

    def append_audit(self, entry: AuditEntry) -> None:
        self.append_audits([entry])

    def erase_deleted(self) -> None:
        """From now on in this transaction, overwrite what is deleted or replaced rather
        than leave it in free space (a purge). SQLite can (secure_delete); PostgreSQL
        keeps old row versions until VACUUM (docs/editing.md)."""

    def snapshot(self) -> AbstractContextManager[None]:
        """Reads in the block see one state of the database. PostGIS reads already run in
        one REPEATABLE READ transaction; SQLite's autocommit reads need a transaction."""
        return nullcontext()

    def bulk_inserts(self, rows: int = 0, keeps: bool = True) -> AbstractContextManager[None]:
        """Around a batch write of rows records: a backend may defer per-row index
        upkeep (the GeoPackage R-tree) to the end, inside the same transaction.
        keeps: False for a check, whose writes are rolled back."""
        return nullcontext()

    def end_of_chunk(self) -> None:
        """A batch's chunk is written: a backend may send work it held back
        (PostgreSQL's staged moves, pg_batch), to run while the next is prepared."""
