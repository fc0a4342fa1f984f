"""The text filter through a trigram index, kept by the database itself.

A LIKE '%word%' over title, description, place and id reads every row: 2-5 s at a
million records, on each store's first search. Both stores answer it from one index
instead: the narrow lowered copy of the searched text (text_lower), kept by the
database on every write (triggers), so no write path (import, edit, delete, restore,
purge, a bulk load, QGIS) can leave it behind. In the GeoPackage its FTS5 trigram
index (detail=none) finds candidate rows and an exact check keeps those holding the
needle; in PostgreSQL its pg_trgm GIN indexes answer a LIKE. The same copy serves the
text alone and the text with other filters, for staff and the public (whose search
reads a place only where the public rows show it).

A needle under three characters, or holding a line break (the copy joins fields with
one), is a LIKE on the rows, as is every needle in a PostgreSQL store whose role may
not read the copy.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np

from geodata.spellings import minimal_needles, same_place_names
from incidents.store import text_lower
from incidents.store.text_marks import unmarked
from incidents.validation import clean_text

if TYPE_CHECKING:
    from incidents.access import Visibility
    from incidents.query import Query
    from incidents.store.sql import Where

LOWER_VERSION = "3"  # text_lower's table and its trigram index (2: text_marks; 3: place shown)
_LOWER_KEY = "text_lower"
# What stores made before kept beside text_lower, dropped on open: the FTS5 table over
# the wide columns (filled on every write: a fifth of an import's CPU, 473 MB at 1M),
# its triggers, and the index on sensitivity its searches named (INDEXED BY).
_WIDE_FTS = "incidents_text"
_WIDE_LEFTOVERS = (
    *(("trigger", f"{_WIDE_FTS}_{kind}") for kind in ("insert", "delete", "update", "purge")),
    ("table", _WIDE_FTS),
    ("index", "incidents_text_seen"),
)


COUNTRIES_ENV = "INCIDENTS_SEARCH_COUNTRIES"
DEFAULT_COUNTRIES = ("LY",)  # the importer's default country


def search_countries(data: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Whose towns' spellings a search knows: INCIDENTS_SEARCH_COUNTRIES (ISO codes,
    comma-separated) when set, else the countries the data is in (data, as
    geodata.countries_of reads them from the district codes), else Libya. Why the
    data: an Arabic reader's كابل found nothing in Afghan records while the setting
    named Libya alone. Each country costs a gazetteer load on its first search."""
    raw = os.environ.get(COUNTRIES_ENV, "")
    codes = tuple(c.strip().upper() for c in raw.split(",") if c.strip())
    return codes or data or DEFAULT_COUNTRIES


def search_needles(text: str, data: tuple[str, ...] = ()) -> tuple[str, ...]:
    """What a search text looks for: itself, and every other spelling of the town it
    names (geodata.spellings) in the countries searched (search_countries(data)),
    without needles that contain another one. The text is cleaned as record text is
    stored (clean_text: NFC, no control characters): a NUL in a link's text failed the
    search, and a text typed decomposed found nothing."""
    term = clean_text(text)
    return _needles(term, search_countries(data)) if term else ()


@functools.lru_cache(maxsize=256)
def _needles(term: str, countries: tuple[str, ...]) -> tuple[str, ...]:
    spelled = minimal_needles((term, *same_place_names(term, countries)))
    return minimal_needles(tuple(unmarked(n) or n for n in spelled))  # text_marks


def ensure_sqlite(conn: sqlite3.Connection) -> None:
    """text_lower's table, index and triggers, made and filled from the rows a store
    made before them holds (once: store_meta remembers), and the wide FTS5 table such
    a store kept dropped, in one write transaction (text_lower's build takes about a
    minute at a million records; the drop a few seconds)."""
    marks = ", ".join("?" * len(_WIDE_LEFTOVERS))
    leftovers = conn.execute(
        f"SELECT type, name FROM sqlite_master WHERE name IN ({marks})",
        [name for _, name in _WIDE_LEFTOVERS],
    ).fetchall()
    if _meta(conn, _LOWER_KEY) == LOWER_VERSION and not leftovers:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for kind, name in _WIDE_LEFTOVERS:  # triggers first: they name the table
            conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            conn.execute("DELETE FROM sqlite_stat1 WHERE idx = ?", (_WIDE_LEFTOVERS[-1][1],))
        conn.execute("DELETE FROM store_meta WHERE key = 'text_index'")
        if _meta(conn, _LOWER_KEY) != LOWER_VERSION:
            text_lower.build_sqlite(conn)
            conn.execute(
                "INSERT OR REPLACE INTO store_meta VALUES (?, ?)", (_LOWER_KEY, LOWER_VERSION)
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    found = conn.execute("SELECT value FROM store_meta WHERE key = ?", (key,)).fetchone()
    return None if found is None else str(found[0])


_BATCH_TRIGGER = f"{text_lower.LOWER_TABLE}_insert"  # the trigger a batch does without


@contextmanager
def batch_filled(conn: sqlite3.Connection, last_fid: int) -> Iterator[None]:
    """text_lower's copy and index filled for the rows a batch adds (every fid above
    last_fid) in one INSERT ... SELECT at the block's end, not by a trigger per row:
    the triggers' per-row inserts were half an import's CPU (20k rows: 3.5 s with,
    1.8 s without). The insert trigger is dropped and created again from its own SQL
    inside the caller's transaction, so an error rolls both back and no other
    connection ever sees a row without its copy. A row the block added and then
    updated or deleted was already kept by the other triggers; the fill skips it."""
    found = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_BATCH_TRIGGER,)
    ).fetchone()
    if found is None:
        yield
        return
    conn.execute(f'DROP TRIGGER "{_BATCH_TRIGGER}"')
    yield
    table = text_lower.TRIGRAMS
    conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', ?)", (_FILL_HASH,))
    text_lower.fill_sqlite(conn, last_fid)
    conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', ?)", (_DEFAULT_HASH,))
    conn.execute(found[0])


# FTS5 writes its pending terms out as a new segment each time they pass 'hashsize'
# (1 MiB by default; a setting FTS5 stores in the table, so every writer shares it) and
# merges the segments as they pile up. A batch's fill with 16 MiB writes a sixth as many
# and took 0.54 against 0.65 s for text_lower's index at 100k rows (the wide FTS5 table
# stores kept before: 0.66 against 1.18 s); more than 16 MiB gained nothing more.
_FILL_HASH = 16 * 1024 * 1024
_DEFAULT_HASH = 1024 * 1024


def fid_select(
    query: Query,
    seen: Visibility,
    like: str,
    where: Where,
    side: bool = False,
    data: tuple[str, ...] = (),
) -> tuple[str, list[Any]]:
    """The SELECT of the fids matching query's text, tag, perpetrator and id filters for
    a viewer who sees what seen says; where is those filters and seen's predicate
    (sql.lookup_where plus Visibility.sql); side: the store has text_lower's table;
    data: the countries the data is in (search_countries).

    When the text is all there is to ask, the fids come from the narrow lowered copy
    of the searched text (text_lower) alone, not from the wide incidents rows; seen's
    predicate is checked on the narrow row (its sensitivity). Otherwise (other
    filters, a needle the copy does not answer, a store without the copy) the rows are
    read, and the text's part of that is the narrow copy too (sql.add_text).
    """
    text_only = query.text.strip() and not (query.ids or query.tags or query.perpetrators)
    needles = search_needles(query.text, data) if text_only else ()
    if side and needles and all(map(text_lower.answers, needles)):
        return text_lower.select(needles, not seen.exact, seen.sql("w"), like)
    return f"SELECT i.fid AS fid FROM incidents i WHERE {where.sql()}", list(where.params)


def packed(select: str, like: str) -> str:
    """select's fids (each once: every fid_select reads each record once) in one value:
    a SQLite text of comma-separated fids, a PostgreSQL array. A common text matches a
    sixth of a million records; one row each cost more than the search (at 1M, 0.08 s
    in SQLite's step and Python's tuples, 0.05 s of the client's CPU in psycopg)."""
    if like == "LIKE":
        return f"SELECT group_concat(fid) AS fids FROM ({select})"
    return f"SELECT array_agg(fid) AS fids FROM ({select}) AS found"


def unpacked(value: Any) -> list[int]:
    """The fids packed() read, as a list (None: no match)."""
    if value is None:
        return []
    if isinstance(value, str):
        fids: list[int] = np.fromstring(value, dtype=np.int64, sep=",").tolist()
        return fids
    return list(value)  # psycopg reads a bigint[] as a list of int


def ensure_postgres(conn: Any, schema: str, extension_schema: str) -> bool:
    """text_lower's table and its trigram indexes in this store's schema, made once;
    whether the store has the table. pg_trgm is added to the PostGIS schema when
    missing; a user who may not add it keeps the same search, without the indexes
    (False). conn: a psycopg connection, its search_path set.

    The rows' own columns have no trigram index: every search the indexes can serve
    goes to the narrow copy (sql.add_text, fid_select), and the four wide GIN indexes
    a store made before kept were upkeep on every write for no reader (a 100k import
    2.5 s slower). They are dropped once the copy is there, where the role may."""
    import psycopg

    where = _trgm_schema(conn)
    if where is None:
        if not text_lower.first(conn, _MAY_ADD_TRGM, []):  # would fail, logged each open
            return False
        try:
            with conn.transaction():
                conn.execute(f'CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA "{extension_schema}"')
        except psycopg.Error:
            return False
        where = _trgm_schema(conn) or extension_schema
    side = text_lower.ensure_postgres(conn, schema, where)
    wide = conn.execute(_WIDE_INDEXES, [schema]).fetchall()
    if side and wide:
        try:
            with conn.transaction():
                for row in wide:
                    name = row["name"] if isinstance(row, dict) else row[0]
                    conn.execute(f'DROP INDEX "{schema}"."{name}"')
        except psycopg.Error:  # not the table's owner: they stay, unread
            pass
    return side


# pg_trgm is a trusted extension: a role that may create in the database may add it.
_MAY_ADD_TRGM = "SELECT has_database_privilege(current_database(), 'CREATE') AS n"


# The wide trigram indexes of stores made before text_lower answered every search, where
# this role owns the table (another's DROP would fail, and log an error on every open).
_WIDE_INDEXES = (
    "SELECT i.indexname AS name FROM pg_indexes i JOIN pg_tables t "
    "ON t.schemaname = i.schemaname AND t.tablename = i.tablename "
    "WHERE i.schemaname = %s AND i.tablename = 'incidents' "
    "AND i.indexname LIKE 'incidents\\_trgm\\_%%' AND pg_has_role(t.tableowner, 'USAGE')"
)


def has_lower_table(fetch: Any, like: str) -> bool:
    """Whether the store has text_lower's table (fetch: the store's _fetch)."""
    if like == "LIKE":
        sql = "SELECT count(*) AS n FROM sqlite_master WHERE name = %s"
        return bool(fetch(sql, [text_lower.LOWER_TABLE])[0]["n"])
    return bool(fetch(text_lower.READABLE, [text_lower.LOWER_TABLE] * 2)[0]["n"])


def _trgm_schema(conn: Any) -> str | None:
    row = conn.execute(
        "SELECT n.nspname AS name FROM pg_extension e "
        "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
    ).fetchone()
    if row is None:
        return None
    return str(row["name"] if isinstance(row, dict) else row[0])
