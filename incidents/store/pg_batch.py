"""A large batch's writes in PostgreSQL, arranged so the server works while the client
prepares the next chunk.

Each chunk of an import was three COPYs, and the client waited on each while the
server stored the rows, kept the tables' indexes and filled the text copy with its GIN
indexes (text_lower): about 6 s of a 100k import (docs/benchmarks.md). In a batch:

- Each COPY goes into a temporary table with the same columns (no index, no trigger:
  the server only stores the rows). The chunk's INSERT ... SELECT into the real tables
  is sent pipelined at its end (Backend.end_of_chunk), so the server's index and trigger
  work runs while the client prepares the next chunk; the next COPY waits for it.
- A batch into an empty incidents table drops that table's and the text copy's
  secondary indexes and builds them at the end, inside the same transaction, as the
  GeoPackage does for a batch that doubles its table. Only into an empty table: a
  dropped index locks readers out until the commit.
- It drops the foreign keys into incidents too and adds them back at its end (PostgreSQL's
  "Populating a Database"): one join checks every row, not a look-up per row (0.9 s per
  100k sources); a source without its record still fails the batch.

A role that may not make temporary tables writes to the tables directly; a role that
does not own the tables keeps their indexes and keys.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

STAGE_FROM = 1_000  # rows in a batch; a smaller one writes to the tables directly
DEFER_INDEXES_FROM = 10_000  # rows into an empty table, as the GeoPackage's threshold
_ORDER = "staged_order"  # the temporary tables' column keeping the rows in file order

# The indexes a batch into the empty table builds at its end: not those behind a key
# or constraint (foreign keys refer to them), only on tables this role owns, and not
# one an administrator gave what its definition does not say (a tablespace, a comment,
# CLUSTER, a replica identity: without that one a published table refuses every save).
_SECONDARY_INDEXES = """
SELECT pg_get_indexdef(c.oid) AS sql, format('DROP INDEX %I.%I', n.nspname, c.relname) AS drop
FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE t.relnamespace = to_regnamespace(quote_ident(current_schema()))
AND t.relname IN ('incidents', 'incidents_text_lower')
AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
AND pg_has_role(t.relowner, 'USAGE') AND NOT x.indisreplident AND NOT x.indisclustered
AND c.reltablespace = 0 AND obj_description(c.oid, 'pg_class') IS NULL
"""

# The foreign keys into incidents, where this role owns both tables (adding one needs
# it), without a comment; deferrable keeps those of a table holding rows.
_FOREIGN_KEYS = """
SELECT k.conrelid::regclass::text AS tab,
format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname) AS drop,
format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname,
pg_get_constraintdef(k.oid)) AS sql FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
JOIN pg_class r ON r.oid = k.confrelid WHERE k.contype = 'f' AND pg_has_role(r.relowner, 'USAGE')
AND pg_has_role(t.relowner, 'USAGE') AND k.conparentid = 0  -- a partition's copy goes with it
AND r.oid = to_regclass(format('%I.incidents', current_schema()))
AND obj_description(k.oid, 'pg_constraint') IS NULL
"""


class Staging:
    """The temporary tables of one batch, and the moves into the real tables that the
    chunk written last has not sent yet (conn: a psycopg connection)."""

    def __init__(self) -> None:
        self.made: set[str] = set()
        self.moves: list[str] = []
        self.queued: set[str] = set()  # tables whose staged rows are not moved yet

    def into(self, conn: Any, table: str, columns: Sequence[str]) -> str:
        """The temporary table a COPY into table writes, with the move queued. A table
        staged already is moved first: its move would otherwise carry the new rows
        before the moves queued after it (an edit's sources before new records)."""
        temp, names = f"pg_temp.staged_{table}", ", ".join(columns)
        if table in self.queued:
            self.send(conn)
        self.queued.add(table)
        if table not in self.made:
            conn.execute(
                f"CREATE TEMP TABLE staged_{table} ON COMMIT DROP AS "
                f"SELECT {names} FROM {table} WITH NO DATA"
            )
            conn.execute(
                f"ALTER TABLE {temp} ADD COLUMN {_ORDER} BIGINT GENERATED ALWAYS AS IDENTITY"
            )
            self.made.add(table)
        self.moves += [
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {temp} ORDER BY {_ORDER}",
            f"TRUNCATE {temp}",
        ]
        return temp

    def send(self, conn: Any) -> None:
        """The queued moves, in the order their COPYs ran (a record before its sources)."""
        moves, self.moves = self.moves, []
        self.queued.clear()
        for sql in moves:
            conn.execute(sql)


def staging(conn: Any, rows: int) -> Staging | None:
    """A Staging for a batch of rows records, or None to write directly."""
    if rows < STAGE_FROM:
        return None
    may = conn.execute("SELECT has_database_privilege(current_database(), 'TEMP') AS n")
    return Staging() if may.fetchone()["n"] else None


@contextmanager
def indexes_deferred(conn: Any, rows: int, keeps: bool = True) -> Iterator[None]:
    """Around a batch of rows records that is kept (a check rolls back: nothing is worth
    building): into an empty incidents table, its and the text copy's secondary indexes and
    the keys into it dropped here and made again at the end, in the same transaction.
    Readers wait until the commit (docs/deployment.md); a reader already reading keeps
    them, rather than have the import wait for it. conn gives dict rows."""
    empty = keeps and rows >= DEFER_INDEXES_FROM
    empty = empty and not conn.execute("SELECT 1 FROM incidents LIMIT 1").fetchall()
    deferred = deferrable(conn) if empty else []
    if deferred and not _dropped(conn, [each["drop"] for each in deferred]):
        deferred = []
    yield
    for each in deferred:  # the indexes first: a key is checked with them in place
        conn.execute(each["sql"])


def deferrable(conn: Any) -> list[dict[str, str]]:
    """The indexes, then the keys, a batch into the empty table drops and makes again. Rows
    in a table whose key points into the empty incidents table point at nothing (a database
    edited by hand): that key is kept, so the batch is checked row by row as a small one is,
    rather than fail at its end on rows it did not write."""
    keys = conn.execute(_FOREIGN_KEYS).fetchall()
    kept = [k for k in keys if not conn.execute(f"SELECT 1 FROM {k['tab']} LIMIT 1").fetchall()]
    return [*conn.execute(_SECONDARY_INDEXES), *kept]


def _dropped(conn: Any, drops: list[str]) -> bool:
    """Drop the indexes and keys if no other session holds their tables within a second
    (in a savepoint: either all are dropped or none); the lock timeout is set back after."""
    import psycopg

    was = conn.execute("SELECT current_setting('lock_timeout') AS t").fetchone()["t"]
    try:
        with conn.transaction():
            conn.execute("SET LOCAL lock_timeout = '1s'")
            for drop in drops:
                conn.execute(drop)
    except (psycopg.errors.LockNotAvailable, psycopg.errors.DeadlockDetected):
        return False  # a reader holding a table first: it goes on, and so does the batch
    finally:
        conn.execute("SELECT set_config('lock_timeout', %s, true)", [was])
    return True
