"""The default store: one GeoPackage file that QGIS opens as a point layer.

Each write is one SQLite transaction (BEGIN IMMEDIATE ... COMMIT), so a batch is
entirely in or entirely out even if the process is killed half-way; SQLite's
rollback journal undoes the partial write on the next open.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from incidents.access import PublicRules
from incidents.record import Incident
from incidents.schema import CONFIDENTIAL_FIELDS, SOURCE_PARTS
from incidents.sqlite_transaction import immediate
from incidents.store import geopackage_format as gpkg
from incidents.store import rtree_pack, text_index, text_lower, tombstones
from incidents.store.audit import AuditEntry
from incidents.store.audit_guard import SQLITE_NO_UPDATE, upgrade_sqlite_guard
from incidents.store.backend import Backend
from incidents.store.columns import (
    INCIDENT_COLUMN_NAMES,
    INCIDENT_COLUMNS,
    SQLITE_TYPES,
    column_constraint,
    confidential_row,
    incident_columns,
    incident_row,
    source_rows,
)
from incidents.store.record_store import RecordStore

TABLE = "incidents"
SCHEMA_VERSION = "1"


class GeoPackageStore(RecordStore):
    """Incidents in a GeoPackage file; see incidents.store.base.Store for the interface."""

    def __init__(self, path: str | Path, public_rules: PublicRules | None = None) -> None:
        self.path = Path(path)
        self.url = str(self.path)
        self.public_rules = public_rules or PublicRules()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _create_private(self.path)
        conn = self._connect()
        try:
            # executescript commits as it goes; every statement is IF NOT EXISTS, so
            # several processes opening a new file at once end with the same schema.
            _create_schema(conn)
            text_index.ensure_sqlite(conn)  # built once for stores made before it
        finally:
            conn.close()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        gpkg.register_functions(conn)
        text_lower.register_sqlite(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 30000")
        return conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with immediate(self._connect()) as conn:
            yield conn

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with closing(self._connect()) as conn:
            yield conn

    @contextmanager
    def _backend(self) -> Iterator[Backend]:
        with self._transaction() as conn:
            yield _SqliteBackend(conn)

    def _read_backend(self) -> Any:
        return _ReadContext(self)

    def _select_frame(
        self, condition: str, columns: Sequence[str], confidential: bool
    ) -> pd.DataFrame:
        select = ", ".join(f"i.{c}" for c in columns)
        join = ""
        if confidential:
            select += ", " + ", ".join(f"c.{c}" for c in CONFIDENTIAL_FIELDS)
            join = "LEFT JOIN incident_confidential c ON c.incident_id = i.id"
        sql = f"SELECT {select} FROM {TABLE} i {join} WHERE {condition} ORDER BY i.date_start, i.id"
        with self._reading() as conn:
            conn.row_factory = None  # plain tuples: about twice as fast as read_sql_query
            cursor = conn.execute(sql)
            names = [d[0] for d in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=names)

    def tuples(self, sql: str, params: Sequence[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
        with self._reading() as conn:
            conn.row_factory = None
            cursor = conn.execute(sql.replace("%s", "?"), list(params))
            return [d[0] for d in cursor.description], cursor.fetchall()


def _create_private(path: Path) -> None:
    """A new store file readable by its owner only (0600), whatever the umask: it holds
    confidential fields and exact sites. SQLite gives its journal, -wal and -shm files
    the database file's permissions, so they are private too. An existing file is left
    as its owner set it. (An empty file is a valid, empty SQLite database.)"""
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


class _ReadContext:
    def __init__(self, store: GeoPackageStore) -> None:
        self.store = store
        self.conn: sqlite3.Connection | None = None

    def __enter__(self) -> Backend:
        self.conn = self.store._connect()
        return _SqliteBackend(self.conn)

    def __exit__(self, *_exc: object) -> None:
        if self.conn is not None:
            self.conn.close()


class _SqliteBackend(Backend):
    """Row-level reads and writes on one open connection, for RecordStore."""

    placeholder = "?"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(sql.replace("%s", "?"), list(params))]

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(sql.replace("%s", "?"), list(params))

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql.replace("%s", "?"), rows)

    def insert_incidents(self, incidents: Sequence[Incident]) -> None:
        if not incidents:
            return
        names = ", ".join(INCIDENT_COLUMN_NAMES)
        marks = ", ".join("?" * len(INCIDENT_COLUMN_NAMES))
        points = [gpkg.point_blob(i.longitude, i.latitude) for i in incidents]
        self.conn.executemany(
            f"INSERT INTO {TABLE} (geom, {names}) VALUES (?, {marks})",
            zip(points, *incident_columns(incidents), strict=True),
        )
        self._children_of(incidents)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read transaction (holds SQLite's shared lock, so writers wait meanwhile)."""
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    @contextmanager
    def bulk_inserts(self, rows: int = 0, keeps: bool = True) -> Iterator[None]:
        """New rows get their R-tree entries in one statement at the end of the block:
        the per-row trigger costs several times more. The trigger is dropped and then
        restored verbatim inside the caller's transaction, so an error rolls both back.
        A batch of rows that at least doubles the table also has its secondary
        indexes built once at the end (sorting once beats inserting row by row)."""
        name = f"rtree_{TABLE}_geom_insert"
        found = self.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
        ).fetchone()
        if found is None:
            yield
            return
        # fid is AUTOINCREMENT: every row inserted in the block has a larger fid.
        (last_fid,) = self.conn.execute(f"SELECT COALESCE(MAX(fid), 0) FROM {TABLE}").fetchone()
        self.conn.execute(f"DROP TRIGGER {name}")
        self.conn.execute(f"PRAGMA cache_size = {_BULK_CACHE_KIB}")
        defer = rows >= max(_DEFER_INDEXES_FROM, last_fid)
        with self._indexes_deferred(defer), text_index.batch_filled(self.conn, last_fid):
            yield
        self._fill_rtree(last_fid, whole=defer)
        self.conn.execute(found[0])

    def _fill_rtree(self, last_fid: int, whole: bool) -> None:
        """What the trigger would have written for the rows above last_fid: their geom is
        point_blob(longitude, latitude), NULL exactly when either is NULL, so its bounds
        are the columns. A batch that at least doubles the table (whole) has the whole
        R-tree packed at once (rtree_pack: a quarter of the CPU of the inserts); where
        SQLite refuses writes to its shadow tables, the rows go in one by one."""
        rtree = f"rtree_{TABLE}_geom"
        if whole:
            points = self.conn.execute(
                f"SELECT fid, longitude, latitude FROM {TABLE} WHERE geom IS NOT NULL"
            ).fetchall()
            rows = np.array(points, np.float64).reshape(-1, 3)  # fids: far below 2**53
            self.conn.execute("SAVEPOINT rtree_pack")
            try:
                rtree_pack.pack(
                    self.conn, rtree, rows[:, 0].astype(np.int64), rows[:, 1], rows[:, 2]
                )
                self.conn.execute("RELEASE rtree_pack")
                return
            except sqlite3.DatabaseError:  # e.g. SQLITE_DBCONFIG_DEFENSIVE: shadow tables
                self.conn.execute("ROLLBACK TO rtree_pack")
                self.conn.execute("RELEASE rtree_pack")
        self.conn.execute(
            f"INSERT OR REPLACE INTO {rtree} "
            f"SELECT fid, longitude, longitude, latitude, latitude FROM {TABLE} "
            "WHERE fid > ? AND geom IS NOT NULL",
            (last_fid,),
        )

    @contextmanager
    def _indexes_deferred(self, defer: bool) -> Iterator[None]:
        """The incidents table's secondary indexes dropped for the block and created
        again, from their own SQL, at its end (same transaction)."""
        indexes = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL",
            (TABLE,),
        ).fetchall()
        if not defer:
            yield
            return
        for index_name, _ in indexes:
            self.conn.execute(f'DROP INDEX "{index_name}"')
        yield
        for _, sql in indexes:
            self.conn.execute(sql)

    def append_audits(self, entries: Sequence[AuditEntry]) -> None:
        """One row per entry, its fields in the table's column order (AuditEntry's)."""
        rows = [tuple(vars(e).values()) for e in entries]
        self.conn.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def update_incident(self, incident: Incident) -> None:
        row = incident_row(incident)
        sets = ", ".join(f"{k} = ?" for k in row)
        self.conn.execute(
            f"UPDATE {TABLE} SET geom = ?, {sets} WHERE id = ?",
            [gpkg.point_blob(incident.longitude, incident.latitude), *row.values(), incident.id],
        )
        self.conn.execute("DELETE FROM incident_sources WHERE incident_id = ?", (incident.id,))
        self.conn.execute("DELETE FROM incident_confidential WHERE incident_id = ?", (incident.id,))
        self._children_of([incident])

    def _children_of(self, incidents: Sequence[Incident]) -> None:
        """Sources and confidential fields of many records, one statement each."""
        parts = ", ".join(SOURCE_PARTS)
        self.conn.executemany(
            f"INSERT INTO incident_sources (incident_id, position, {parts}) "
            f"VALUES ({', '.join('?' * (len(SOURCE_PARTS) + 2))})",
            [row for incident in incidents for row in source_rows(incident)],
        )
        secret = [confidential_row(i) for i in incidents if any(i.confidential().values())]
        if secret:
            marks = ", ".join("?" * (len(CONFIDENTIAL_FIELDS) + 1))
            names = ", ".join(CONFIDENTIAL_FIELDS)
            self.conn.executemany(
                f"INSERT INTO incident_confidential (incident_id, {names}) VALUES ({marks})",
                secret,
            )

    def delete_incident(self, incident_id: str) -> None:
        self.conn.execute(f"DELETE FROM {TABLE} WHERE id = ?", (incident_id,))

    def erase_deleted(self) -> None:
        """Deleted and replaced content is overwritten with zeros in the file (this
        connection is closed at the end of the transaction)."""
        self.conn.execute("PRAGMA secure_delete = ON")


_DEFER_INDEXES_FROM = 10_000
_BULK_CACHE_KIB = -131072  # negative: KiB; 128 MB of pages for a bulk write's indexes


def _create_schema(conn: sqlite3.Connection) -> None:
    """The store's tables, made where missing. The indexes on type and admin1_code that
    stores made before kept are dropped: every filter but text, tags, perpetrators and
    ids is answered by the column snapshot, so no query read them and every write paid
    for them (a 100k import's index build at its end, 0.2 s)."""
    gpkg.create_metadata(conn)
    columns = ",\n  ".join(
        f"{f.name} {SQLITE_TYPES[f.kind]}{column_constraint(f)}" for f in INCIDENT_COLUMNS
    )
    conn.executescript(
        f"""
        CREATE TABLE IF NOT EXISTS {TABLE} (
          fid INTEGER PRIMARY KEY AUTOINCREMENT,
          geom POINT,
          {columns});
        CREATE INDEX IF NOT EXISTS {TABLE}_date_start ON {TABLE}(date_start);
        CREATE INDEX IF NOT EXISTS {TABLE}_date_end ON {TABLE}(date_end);
        DROP INDEX IF EXISTS {TABLE}_type;
        DROP INDEX IF EXISTS {TABLE}_admin1;
        CREATE INDEX IF NOT EXISTS {TABLE}_source_event ON {TABLE}(source_event_id);
        CREATE TABLE IF NOT EXISTS incident_sources (
          incident_id TEXT NOT NULL REFERENCES {TABLE}(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          {", ".join(f"{p} TEXT" for p in SOURCE_PARTS)},
          PRIMARY KEY (incident_id, position));
        CREATE TABLE IF NOT EXISTS incident_confidential (
          incident_id TEXT PRIMARY KEY REFERENCES {TABLE}(id) ON DELETE CASCADE,
          {", ".join(f"{c} TEXT" for c in CONFIDENTIAL_FIELDS)});
        CREATE TABLE IF NOT EXISTS audit_log (
          seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,
          action TEXT NOT NULL, incident_id TEXT, before TEXT, after TEXT,
          prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
        {SQLITE_NO_UPDATE};
        CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        {";".join(tombstones.ddl("INTEGER"))};
        """
    )
    upgrade_sqlite_guard(conn)
    gpkg.register_feature_table(conn, TABLE, "geom", "Human-rights incidents")
    for table, text in (
        ("incident_sources", "Sources cited by each incident"),
        ("audit_log", "Append-only, hash-chained log of every change"),
        (tombstones.TABLE, "Deleted incidents: who deleted them, when and why"),
    ):
        gpkg.register_attributes_table(conn, table, text)
    conn.execute("INSERT OR IGNORE INTO store_meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
    conn.execute("INSERT OR IGNORE INTO store_meta VALUES ('data_version', '0')")


__all__ = ["INCIDENT_COLUMN_NAMES", "GeoPackageStore"]
