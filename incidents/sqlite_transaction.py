"""One SQLite write transaction on its own connection, for the GeoPackage store and
the accounts file alike: BEGIN IMMEDIATE takes the write lock at the start, so two
writers queue rather than fail half-way, and an error leaves nothing written."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block in one transaction on conn (opened in autocommit mode): committed
    when the block ends, rolled back when it raises; conn is closed either way."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
