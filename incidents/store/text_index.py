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
- PostGIS: pg_trgm GIN indexes on the same columns; ILIKE uses them as it is.

Both match what LIKE matched (a trigram search of three or more characters is a
substring search); a needle shorter than three characters falls back to LIKE.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from typing import TYPE_CHECKING, Any

from geodata.spellings import minimal_needles, same_place_names
from incidents.access import PUBLIC_PLACE_PRECISIONS

if TYPE_CHECKING:
    from incidents.access import Visibility
    from incidents.query import Query
    from incidents.store.sql import Where

FTS = "incidents_text"
SEEN_INDEX = "incidents_text_seen"  # which records a viewer reads, without their rows
INDEX_VERSION = "1"
_META_KEY = "text_index"
_SHOWN = ", ".join(f"'{p}'" for p in PUBLIC_PLACE_PRECISIONS)
EXACT_COLUMNS = ("title", "description", "place", "id")
PUBLIC_COLUMNS = ("title", "description", "public_place", "id")
MIN_TRIGRAM = 3
PG_COLUMNS = ("title", "description", "place", "id")


COUNTRIES_ENV = "INCIDENTS_SEARCH_COUNTRIES"
DEFAULT_COUNTRIES = ("LY",)  # the importer's default country


@functools.lru_cache(maxsize=1)
def search_countries() -> tuple[str, ...]:
    """Whose towns' spellings a search knows: INCIDENTS_SEARCH_COUNTRIES (ISO codes,
    comma-separated), else Libya. Each country costs a gazetteer load on first search."""
    raw = os.environ.get(COUNTRIES_ENV, "")
    codes = tuple(c.strip().upper() for c in raw.split(",") if c.strip())
    return codes or DEFAULT_COUNTRIES


@functools.lru_cache(maxsize=256)
def search_needles(text: str) -> tuple[str, ...]:
    """What a search text looks for: itself, and every other spelling of the town it
    names (geodata.spellings), without needles that contain another one."""
    term = text.strip()
    return minimal_needles((term, *same_place_names(term, search_countries())))


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
    """Create the index and its triggers, and fill it from the rows a store made before
    it holds (once: store_meta remembers), in one write transaction. SEEN_INDEX is a
    plain index, made on the first open that lacks it (2 s at a million records)."""
    conn.execute(f"CREATE INDEX IF NOT EXISTS {SEEN_INDEX} ON incidents(sensitivity)")
    found = conn.execute("SELECT value FROM store_meta WHERE key = ?", (_META_KEY,)).fetchone()
    if found is not None and found[0] == INDEX_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        again = conn.execute("SELECT value FROM store_meta WHERE key = ?", (_META_KEY,)).fetchone()
        if again is None or again[0] != INDEX_VERSION:
            for statement in SQLITE_DDL:
                conn.execute(statement)
            conn.execute(f"DELETE FROM {FTS}")
            conn.execute(f"{_INSERT} SELECT {_values('i')} FROM incidents i")
            conn.execute(
                "INSERT OR REPLACE INTO store_meta VALUES (?, ?)", (_META_KEY, INDEX_VERSION)
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


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


def fid_select(query: Query, seen: Visibility, like: str, where: Where) -> tuple[str, list[Any]]:
    """The SELECT of the fids matching query's text, tag, perpetrator and id filters for
    a viewer who sees what seen says; where is those filters and seen's predicate
    (sql.lookup_where plus Visibility.sql).

    When the text is all there is to ask, in the GeoPackage, the fids come from the
    FTS5 table: through incidents, each match would also read its row of the incidents
    table, a second at a million records for a text tens of thousands of them hold.
    A viewer who does not read every record has seen's predicate checked in the small
    SEEN_INDEX (sensitivity and fid) instead of the row. Otherwise (other filters,
    PostgreSQL, a needle under three characters) the rows are read.
    """
    if like == "LIKE" and _text_only(query):
        needles = search_needles(query.text)
        if all(len(n) >= MIN_TRIGRAM for n in needles):
            sql = f"SELECT rowid AS fid FROM {FTS} WHERE {FTS} MATCH %s"
            if not seen.restricted:
                sql += (
                    f" AND EXISTS (SELECT 1 FROM incidents v INDEXED BY {SEEN_INDEX}"
                    f" WHERE {seen.sql('v')} AND v.fid = {FTS}.rowid)"
                )
            return sql, [sqlite_match(needles, public=not seen.exact)]
    return f"SELECT i.fid AS fid FROM incidents i WHERE {where.sql()}", list(where.params)


def _text_only(query: Query) -> bool:
    """A text and no tag, perpetrator or id filter (the others are not the store's)."""
    return bool(query.text.strip()) and not (query.ids or query.tags or query.perpetrators)


def ensure_postgres(conn: Any, schema: str, extension_schema: str) -> bool:
    """Trigram indexes on the searched columns of this store's schema, made once (a
    store made before them gets them on its next open). pg_trgm is added to the
    PostGIS schema when missing; a user who may not add it keeps the same search,
    without the index (False). conn: a psycopg connection, its search_path set."""
    import psycopg

    where = _trgm_schema(conn)
    if where is None:
        try:
            with conn.transaction():
                conn.execute(f'CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA "{extension_schema}"')
        except psycopg.Error:
            return False
        where = _trgm_schema(conn) or extension_schema
    for column in PG_COLUMNS:
        name = f"incidents_trgm_{column}"
        found = conn.execute("SELECT to_regclass(%s) AS t", [f'"{schema}".{name}']).fetchone()
        if found and (found["t"] if isinstance(found, dict) else found[0]) is not None:
            continue
        conn.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON "{schema}".incidents '
            f'USING GIN ({column} "{where}".gin_trgm_ops)'
        )
    return True


def _trgm_schema(conn: Any) -> str | None:
    row = conn.execute(
        "SELECT n.nspname AS name FROM pg_extension e "
        "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
    ).fetchone()
    if row is None:
        return None
    return str(row["name"] if isinstance(row, dict) else row[0])
