"""The shared store: PostgreSQL with PostGIS, for several app instances on one database.

The tables are those of the GeoPackage store (gpkg.py), in one schema; every rule
about versions, audit entries and access lives in RecordStore. Each write
transaction first takes one advisory lock per schema, so writers queue up: the
audit chain cannot fork, and the stale-edit check reads what the writer before
committed. Reads run in read-only REPEATABLE READ transactions, so a record and
its sources are read from the same snapshot.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import fields
from typing import Any

import numpy as np
import pandas as pd
import psycopg
from psycopg import IsolationLevel
from psycopg.rows import dict_row, tuple_row

from incidents.access import PublicRules
from incidents.record import Incident
from incidents.schema import CONFIDENTIAL_FIELDS, SOURCE_PARTS
from incidents.store import pg_batch, text_index
from incidents.store.audit import AuditEntry
from incidents.store.backend import Backend
from incidents.store.base import StoreError
from incidents.store.columns import (
    INCIDENT_COLUMN_NAMES,
    INCIDENT_COLUMNS,
    confidential_row,
    incident_columns,
    incident_row,
    source_rows,
)
from incidents.store.postgis_schema import DDL_LOCK, TABLE, ensure_schema, set_path
from incidents.store.record_store import RecordStore
from incidents.store.urls import redact_url
from incidents.translation import _

# Advisory lock keys (two int4): one database-wide for creating schemas, one per
# schema (second key: hashtext(schema)) held by every write transaction.
WRITE_LOCK = 74_210_002
LOCK_TIMEOUT = "120s"  # a writer waits this long behind a large import, then gives up

_KINDS = {f.name: f.kind for f in INCIDENT_COLUMNS}
_SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_AUDIT = tuple(f.name for f in fields(AuditEntry))
_EWKB_POINT = struct.Struct("<BIIdd")  # little endian, Point with SRID, srid, x, y
_COPY_FROM = 50  # rows: below this, one pipelined INSERT is quicker to set up

Connection = psycopg.Connection[dict[str, Any]]


class PostGISStore(RecordStore):
    """Incidents in PostgreSQL/PostGIS; see incidents.store.base.Store for the interface."""

    # SQL dialect of the shared reads (incidents/store/reads.py).
    like = "ILIKE"
    epoch_day_sql = "(i.{0} - DATE '1970-01-01')"

    def __init__(
        self, url: str, public_rules: PublicRules | None = None, schema: str = "public"
    ) -> None:
        if not _SCHEMA_NAME.fullmatch(schema):
            raise StoreError(f"'{schema}' is not a usable schema name (letters, digits, _).")
        self.url = url  # as given: open_store's callers key caches on it; never print it
        self.display_url = redact_url(url)
        self.schema = schema
        self.public_rules = public_rules or PublicRules()
        self._search_path = f'"{schema}"'
        with self._connection() as conn:
            self._search_path = ensure_schema(conn, schema)
            conn.execute("SELECT pg_advisory_xact_lock(%s, 1)", [DDL_LOCK])
            extensions = self._search_path.split(", ")[-1].strip('"')
            self._text_side = text_index.ensure_postgres(conn, schema, extensions)
            conn.commit()

    def __repr__(self) -> str:
        return f"PostGISStore({self.display_url!r}, schema={self.schema!r})"

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """A new connection per call (psycopg_pool is not a dependency); the cost of this,
        measured, is in docs/deployment.md."""
        try:
            conn = psycopg.connect(self.url, row_factory=dict_row, connect_timeout=15)
        except psycopg.OperationalError as error:
            raise StoreError(
                f"Cannot reach the PostGIS database at {self.display_url}: {error}"
            ) from error
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def _backend(self) -> Iterator[Backend]:
        """One write transaction, queued behind any other writer of this schema."""
        with self._connection() as conn:
            try:
                set_path(conn, self._search_path)
                # Load PostGIS into this new server process before queueing, not while
                # holding the lock: the first use costs ~40 ms (see docs/deployment.md).
                conn.execute("SELECT postgis_lib_version()")
                conn.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                conn.execute(
                    "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [WRITE_LOCK, self.schema]
                )
                with _PgBackend.pipelined(conn) as backend:
                    yield backend
                conn.commit()
            except psycopg.errors.LockNotAvailable as error:
                _rollback(conn)
                busy = _(
                    "Another import or edit has been writing for over {wait}; "
                    "try again when it is done."
                )
                raise StoreError(busy.format(wait=LOCK_TIMEOUT)) from error
            except BaseException:
                _rollback(conn)
                raise

    @contextmanager
    def _read_backend(self) -> Iterator[Backend]:
        with self._reading() as conn:
            yield _PgBackend(conn)

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A read-only snapshot, so related rows read by several statements agree."""
        with self._connection() as conn:
            conn.isolation_level = IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            set_path(conn, self._search_path)
            yield conn

    def _select_frame(
        self, condition: str, columns: Sequence[str], confidential: bool
    ) -> pd.DataFrame:
        select = ", ".join(_select_column(c) for c in columns)
        join = ""
        if confidential:
            select += ", " + ", ".join(f"c.{c}" for c in CONFIDENTIAL_FIELDS)
            join = "LEFT JOIN incident_confidential c ON c.incident_id = i.id"
        # COLLATE "C": the byte order SQLite uses, so both stores list rows alike.
        sql = (
            f"SELECT {select} FROM {TABLE} i {join} WHERE {condition} "
            'ORDER BY i.date_start, i.id COLLATE "C"'
        )
        with self._reading() as conn, conn.cursor(row_factory=tuple_row) as cur:
            cur.execute(sql)
            names = [d.name for d in cur.description or ()]
            rows = cur.fetchall()
        # The same construction pd.read_sql_query uses, so frames match the GeoPackage's.
        return pd.DataFrame.from_records(rows, columns=names, coerce_float=True)

    # Every fid in one statement: each part was one more scan of the table, and 118k
    # fids in three parts read in 1.2 s where one array takes 0.7 s (docs/benchmarks.md).
    fids_per_read = 10_000_000

    def _fid_condition(self, fids: np.ndarray) -> str:
        """One array literal, not a list: PostgreSQL plans `= ANY(array)` of 118k fids
        15-18% faster than the same `IN (...)` list (docs/benchmarks.md)."""
        return f"i.fid = ANY('{{{','.join(map(str, fids.tolist()))}}}'::bigint[])"

    def tuples(self, sql: str, params: Sequence[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
        with self._reading() as conn, conn.cursor(row_factory=tuple_row) as cur:
            cur.execute(sql, list(params) or None)
            return [d.name for d in cur.description or ()], cur.fetchall()

    def drop_schema(self) -> None:
        """Remove this store's schema and everything in it: for tests, never 'public'."""
        if self.schema == "public":
            raise StoreError("Refusing to drop the public schema.")
        with self._connection() as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')
            conn.commit()


class _PgBackend(Backend):
    """Row-level reads and writes on one open connection, for RecordStore."""

    placeholder = "%s"

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._pipeline: Any = None
        self._staging: pg_batch.Staging | None = None

    def _ready(self) -> Connection:
        """The connection, once the moves a batch's chunk queued are sent: every
        statement but a staged COPY sees the rows written before it."""
        self.end_of_chunk()
        return self._conn

    @contextmanager
    def bulk_inserts(self, rows: int = 0, keeps: bool = True) -> Iterator[None]:
        """A batch's COPYs staged and its indexes built at the end (pg_batch)."""
        with pg_batch.indexes_deferred(self._conn, rows, keeps):
            self._staging = pg_batch.staging(self._conn, rows)
            try:
                yield
                self.end_of_chunk()
            finally:
                self._staging = None

    def end_of_chunk(self) -> None:
        """The chunk's moves sent now, pipelined: the server runs them meanwhile."""
        if self._staging is not None and self._staging.moves:
            self._staging.send(self._conn)

    @classmethod
    @contextmanager
    def pipelined(cls, conn: Connection) -> Iterator[_PgBackend]:
        """A backend whose writes go out without waiting (reads still wait); a COPY
        leaves pipeline mode for its duration (PostgreSQL allows none inside it)."""
        backend = cls(conn)
        backend._pipeline_on()
        try:
            yield backend
        except BaseException as error:
            if backend._pipeline is not None:
                backend._pipeline.__exit__(type(error), error, error.__traceback__)
            raise
        backend._pipeline_off()

    def _pipeline_on(self) -> None:
        self._pipeline = self._conn.pipeline()
        self._pipeline.__enter__()

    def _pipeline_off(self) -> None:
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is not None:
            pipeline.__exit__(None, None, None)

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        # No parameters: pass None, so a literal % in the SQL is not read as a placeholder.
        return self._ready().execute(sql, list(params) or None).fetchall()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._ready().execute(sql, list(params) or None)

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if len(rows) == 1:  # a single save: executemany's set-up costs more than it saves
            self._ready().execute(sql, rows[0])
            return
        with self._ready().cursor() as cur:
            cur.executemany(sql, rows)

    def insert_incidents(self, incidents: Sequence[Incident]) -> None:
        """All of a chunk's new records in three statements, pipelined."""
        if not incidents:
            return
        columns = incident_columns(incidents, booleans=bool)
        points = [_ewkb(i) for i in incidents]
        rows = list(zip(points, *columns, strict=True))
        self._insert_many(TABLE, ["geom", *INCIDENT_COLUMN_NAMES], rows)
        self._children(incidents)

    def _copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Many rows through COPY: a pipelined executemany spends far more time in the
        client per row. Same transaction, same constraints; in a batch, into its
        staging table (pg_batch)."""
        if self._staging is not None:
            table = self._staging.into(self._conn, table, columns)
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        pipelined = self._pipeline is not None
        self._pipeline_off()
        with self._conn.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        if pipelined:
            self._pipeline_on()

    def _insert_many(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        if len(rows) >= _COPY_FROM:
            self._copy(table, columns, rows)
            return
        marks = ", ".join(["%s"] * len(columns))
        self.execute_many(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def update_incident(self, incident: Incident) -> None:
        row = incident_row(incident, booleans=bool)
        sets = ", ".join(f"{k} = %s" for k in row)
        conn = self._ready()
        conn.execute(
            f"UPDATE {TABLE} SET geom = %s, {sets} WHERE id = %s",
            [_ewkb(incident), *row.values(), incident.id],
        )
        conn.execute("DELETE FROM incident_sources WHERE incident_id = %s", [incident.id])
        conn.execute("DELETE FROM incident_confidential WHERE incident_id = %s", [incident.id])
        self._children([incident])

    def _children(self, incidents: Sequence[Incident]) -> None:
        sources = [row for i in incidents for row in source_rows(i)]
        if sources:
            self._insert_many(
                "incident_sources", ["incident_id", "position", *SOURCE_PARTS], sources
            )
        secret = [confidential_row(i) for i in incidents if any(i.confidential().values())]
        if secret:
            self._insert_many(
                "incident_confidential", ["incident_id", *CONFIDENTIAL_FIELDS], secret
            )

    def delete_incident(self, incident_id: str) -> None:
        self._ready().execute(f"DELETE FROM {TABLE} WHERE id = %s", [incident_id])

    def append_audits(self, entries: Sequence[AuditEntry]) -> None:
        if entries:
            self._insert_many(
                "audit_log", _AUDIT, [[getattr(e, n) for n in _AUDIT] for e in entries]
            )


def _rollback(conn: Connection) -> None:
    """Roll back, without letting a dead connection hide the error that killed it."""
    with suppress(psycopg.Error):
        conn.rollback()


def _ewkb(incident: Incident) -> str | None:
    """The point as hex EWKB with SRID 4326, which COPY and a parameter both take (no
    SQL expression: COPY takes none). Both coordinates or neither: no point is stored."""
    if incident.latitude is None or incident.longitude is None:
        return None
    return _EWKB_POINT.pack(1, 0x20000001, 4326, incident.longitude, incident.latitude).hex()


def _select_column(name: str) -> str:
    """Dates as 'YYYY-MM-DD' text and booleans as 0/1, as the GeoPackage returns them."""
    kind = _KINDS.get(name)
    if kind == "date":
        return f"CAST(i.{name} AS TEXT) AS {name}"
    if kind == "boolean":
        return f"CAST(i.{name} AS INTEGER) AS {name}"
    return f"i.{name}"
