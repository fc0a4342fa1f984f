"""The text filter through a full-text index, kept by the database itself.

A LIKE '%word%' over title, description, place and id reads every row: 2-5 s at a
million records, on each store's first search. Both stores answer it from an index
instead, and the database keeps that index on every write (triggers in SQLite, the
index itself in PostgreSQL), so no write path (import, edit, delete, restore, purge,
a bulk load, QGIS) can leave it behind:

- GeoPackage: an FTS5 table with the trigram tokenizer (case-insensitive substrings,
  any script), one row per incident (rowid = fid), filled by triggers on the
  incidents table. Its public_place column holds the place only where the public
  rows show it (sql.add_text says why), so the public's search never reads a place
  name it cannot see. A purge entry in the audit log merges the index's segments
  (its 'optimize'), so no trace of a purged record's words stays in the index.
  A text-only search reads the fids from this table alone (fid_select), checking
  which records the viewer reads in a small index (SEEN_INDEX), not in the rows.
- PostGIS: the narrow lowered copy's pg_trgm GIN indexes (text_lower), for the text
  alone and with other filters alike; a needle they cannot answer (under three
  characters, or across fields) is an ILIKE on the rows.

Both match what LIKE matched (a trigram search of three or more characters is a
substring search); a needle shorter than three characters falls back to LIKE.
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
from incidents.access import PUBLIC_PLACE_PRECISIONS
from incidents.store import text_lower
from incidents.store.text_marks import unmarked

if TYPE_CHECKING:
    from incidents.access import Visibility
    from incidents.query import Query
    from incidents.store.sql import Where

FTS = "incidents_text"
SEEN_INDEX = "incidents_text_seen"  # which records a viewer reads, without their rows
INDEX_VERSION = "1"
_META_KEY = "text_index"
LOWER_VERSION = "2"  # text_lower's table and its trigram index (2: text_marks)
_LOWER_KEY = "text_lower"
_SHOWN = ", ".join(f"'{p}'" for p in PUBLIC_PLACE_PRECISIONS)
EXACT_COLUMNS = ("title", "description", "place", "id")
PUBLIC_COLUMNS = ("title", "description", "public_place", "id")
MIN_TRIGRAM = 3


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
    without needles that contain another one."""
    return _needles(text.strip(), search_countries(data))


@functools.lru_cache(maxsize=256)
def _needles(term: str, countries: tuple[str, ...]) -> tuple[str, ...]:
    spelled = minimal_needles((term, *same_place_names(term, countries)))
    return minimal_needles(tuple(unmarked(n) or n for n in spelled))  # text_marks


def _values(row: str) -> str:
    """The FTS row of an incidents row (new or old in a trigger)."""
    public = f"CASE WHEN {row}.location_precision IN ({_SHOWN}) THEN {row}.place END"
    return f"{row}.fid, {row}.title, {row}.description, {row}.place, {public}, {row}.id"


_INSERT = f"INSERT INTO {FTS} (rowid, title, description, place, public_place, id)"
SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5("
    "title, description, place, public_place, id, tokenize = 'trigram')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_insert AFTER INSERT ON incidents "
    f"BEGIN {_INSERT} VALUES ({_values('new')}); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_delete AFTER DELETE ON incidents "
    f"BEGIN DELETE FROM {FTS} WHERE rowid = old.fid; END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_update "
    "AFTER UPDATE OF fid, title, description, place, location_precision, id ON incidents "
    f"BEGIN DELETE FROM {FTS} WHERE rowid = old.fid; {_INSERT} VALUES ({_values('new')}); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_purge AFTER INSERT ON audit_log "
    f"WHEN new.action = 'purge' BEGIN INSERT INTO {FTS} ({FTS}) VALUES ('optimize'); END",
)


def ensure_sqlite(conn: sqlite3.Connection) -> None:
    """Create the indexes and their triggers, and fill them from the rows a store made
    before them holds (once each: store_meta remembers), in one write transaction.
    SEEN_INDEX is a plain index, made on the first open that lacks it (2 s at a million
    records); text_lower's narrow table and index take about a minute there."""
    conn.execute(f"CREATE INDEX IF NOT EXISTS {SEEN_INDEX} ON incidents(sensitivity)")
    _seen_index_is_wide(conn)
    builds = {_META_KEY: (INDEX_VERSION, _build_fts), _LOWER_KEY: (LOWER_VERSION, _build_lower)}
    if all(_meta(conn, key) == version for key, (version, _) in builds.items()):
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for key, (version, build) in builds.items():
            if _meta(conn, key) != version:
                build(conn)
                conn.execute("INSERT OR REPLACE INTO store_meta VALUES (?, ?)", (key, version))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# What SQLite's planner is told of SEEN_INDEX: a million rows, half of them per value.
# The store never runs ANALYZE, and without statistics SQLite takes an index on an
# equality to be selective: every query with "i.sensitivity = 'public'" (the public's
# sources, rows by id, distinct values) then walked every public record through it
# instead of looking up its ids (the public's sources 0.058 against 0.008 s per 900 ids
# at 100k; later PNG exports 1.55 times the CPU). The text search names the index
# itself (INDEXED BY), so it keeps it. A million is SQLite's own guess for a table with
# no statistics: the other tables' and indexes' estimates are unchanged.
_SEEN_STAT = "1000000 500000"


def _seen_index_is_wide(conn: sqlite3.Connection) -> None:
    """Tell the planner SEEN_INDEX is not selective (once; a later ANALYZE, run by hand,
    replaces it with real figures that say the same: two or three values)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        known = "SELECT 1 FROM sqlite_stat1 WHERE tbl = 'incidents' AND idx = ?"
        if conn.execute(known, (SEEN_INDEX,)).fetchone():
            return
    else:
        conn.execute("ANALYZE sqlite_schema")  # makes sqlite_stat1, analyses nothing
    conn.execute(
        "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('incidents', ?, ?)",
        (SEEN_INDEX, _SEEN_STAT),
    )
    conn.execute("ANALYZE sqlite_schema")  # the planner reads the statistics again


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    found = conn.execute("SELECT value FROM store_meta WHERE key = ?", (key,)).fetchone()
    return None if found is None else str(found[0])


def _build_fts(conn: sqlite3.Connection) -> None:
    for statement in SQLITE_DDL:
        conn.execute(statement)
    conn.execute(f"DELETE FROM {FTS}")
    conn.execute(f"{_INSERT} SELECT {_values('i')} FROM incidents i")


def _build_lower(conn: sqlite3.Connection) -> None:
    text_lower.build_sqlite(conn)


# The triggers a batch of new rows does without: both indexes' per-row inserts.
_BATCH_TRIGGERS = (f"{FTS}_insert", f"{text_lower.LOWER_TABLE}_insert")


@contextmanager
def batch_filled(conn: sqlite3.Connection, last_fid: int) -> Iterator[None]:
    """Both indexes filled for the rows a batch adds (every fid above last_fid) in one
    INSERT ... SELECT each at the block's end, not by a trigger per row: the triggers'
    per-row inserts were half an import's CPU (20k rows: 3.5 s with, 1.8 s without).
    The insert triggers are dropped and created again from their own SQL inside the
    caller's transaction, so an error rolls both back and no other connection ever
    sees a row without its index entries. A row the block added and then updated or
    deleted was already kept by the other triggers; the fill skips rows indexed."""
    marks = ", ".join("?" * len(_BATCH_TRIGGERS))
    found = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
        _BATCH_TRIGGERS,
    ).fetchall()
    if len(found) != len(_BATCH_TRIGGERS):
        yield
        return
    for name, _ in found:
        conn.execute(f'DROP TRIGGER "{name}"')
    yield
    with _large_hash(conn):
        conn.execute(
            f"{_INSERT} SELECT {_values('i')} FROM incidents i WHERE i.fid > ? "
            f"AND NOT EXISTS (SELECT 1 FROM {FTS} t WHERE t.rowid = i.fid)",
            (last_fid,),
        )
        text_lower.fill_sqlite(conn, last_fid)
    for _, sql in found:
        conn.execute(sql)


# FTS5 writes its pending terms out as a new segment each time they pass 'hashsize'
# (1 MiB by default) and merges the segments as they pile up. A batch's fill with 16 MiB
# writes a sixth as many and took 0.66 s against 1.18 s for the wide table at 100k rows
# (0.54 against 0.65 s for text_lower's); more than 16 MiB gained nothing more.
_FILL_HASH = 16 * 1024 * 1024
_DEFAULT_HASH = 1024 * 1024


@contextmanager
def _large_hash(conn: sqlite3.Connection) -> Iterator[None]:
    """Both FTS5 tables' 'hashsize' raised for the block and set back to SQLite's
    default at its end (a setting FTS5 stores in the table, so every writer shares it)."""
    tables = (FTS, text_lower.TRIGRAMS)
    for table in tables:
        conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', ?)", (_FILL_HASH,))
    yield
    for table in tables:
        conn.execute(
            f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', ?)", (_DEFAULT_HASH,)
        )


def fts_phrase(needle: str) -> str:
    """One needle as an FTS5 string (a phrase: its characters in order, nothing parsed)."""
    return '"' + needle.replace('"', '""') + '"'


def sqlite_match(needles: tuple[str, ...], public: bool) -> str | None:
    """The MATCH expression for the needles the trigram index can answer (or None).

    Staff search every column: public_place only ever repeats place, so it adds no
    match, and a column filter makes FTS5 read every match's position lists (about
    twice the time of a common phrase). The public's filter leaves out place."""
    long = [n for n in needles if len(n) >= MIN_TRIGRAM]
    if not long:
        return None
    phrases = " OR ".join(fts_phrase(n) for n in long)
    return "{" + " ".join(PUBLIC_COLUMNS) + "} : (" + phrases + ")" if public else phrases


def sqlite_condition(match: str, placeholder: str) -> tuple[str, list[Any]]:
    """The incidents whose text matches, as a condition on i.fid."""
    return f"i.fid IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH {placeholder})", [match]


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
    of the searched text (text_lower), not from the wide incidents rows: in the
    GeoPackage through its detail=none trigram index and an exact check, in PostgreSQL
    through its GIN indexes. A needle that the lowered copy cannot answer exactly (a
    cased letter outside ASCII, in SQLite) is asked of the FTS5 table, united. A
    viewer who does not read every record has seen's predicate checked on the narrow
    row (its sensitivity). Otherwise (other filters, a needle under three characters,
    a store without the table) the rows are read: in PostgreSQL the text's part of
    that is the narrow copy too (sql.add_text).
    """
    needles = search_needles(query.text, data) if _text_only(query) else ()
    if side and needles and all(len(n) >= MIN_TRIGRAM for n in needles):
        public = not seen.exact
        if like == "LIKE":
            return _sqlite_select(needles, seen, public)
        if all(text_lower.SEPARATOR not in n for n in needles):
            return text_lower.postgres_select(needles, public, seen.sql("w"))
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


def _sqlite_select(
    needles: tuple[str, ...], seen: Visibility, public: bool
) -> tuple[str, list[Any]]:
    """text_lower for the needles it answers, the FTS5 table for the others, united."""
    lowered = {n: text_lower.long_lowered(n) for n in needles}
    fast = [low for low in lowered.values() if low is not None]
    rest = tuple(n for n, low in lowered.items() if low is None)
    parts: list[tuple[str, list[Any]]] = []
    if fast:
        parts.append(text_lower.sqlite_select(fast, public, seen.sql("w")))
    if rest:
        sql = f"SELECT rowid AS fid FROM {FTS} WHERE {FTS} MATCH %s"
        if not seen.restricted:
            sql += (
                f" AND EXISTS (SELECT 1 FROM incidents v INDEXED BY {SEEN_INDEX}"
                f" WHERE {seen.sql('v')} AND v.fid = {FTS}.rowid)"
            )
        parts.append((sql, [sqlite_match(rest, public)]))
    return " UNION ".join(p[0] for p in parts), [v for p in parts for v in p[1]]


def _text_only(query: Query) -> bool:
    """A text and no tag, perpetrator or id filter (the others are not the store's)."""
    return bool(query.text.strip()) and not (query.ids or query.tags or query.perpetrators)


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
