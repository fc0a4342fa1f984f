"""A narrow, lower-cased copy of the searched text: the one text index of both stores.

A LIKE over the wide rows reads every row, and indexes over the wide columns recheck
each match in the wide rows (PostgreSQL's GIN indexes on them, the GeoPackage's FTS5
phrase reading position lists: a phrase that 16% of a million records hold cost a
second or more). Both stores therefore keep, beside the incidents table and kept by the
database on every write (triggers, so no write path can leave it behind), one narrow
row per incident in LOWER_TABLE:

    fid, sensitivity, shown (the public rows show the place), body, place

body is lower(title) NL lower(description) NL lower(id) and place is lower(place),
as the database's own lower() folds them, without the Arabic marks (text_marks).

- GeoPackage: an FTS5 trigram index over LOWER_TABLE with detail=none (rowids only,
  no positions: small, and an AND of trigrams reads no position list) finds the rows
  holding up to MAX_TRIGRAMS trigrams of the needle; the exact check keeps those that
  hold the needle itself. For a needle whose characters are all ASCII or caseless
  (Arabic, digits, punctuation, bidi marks) lower() and Python's casefold() agree, so
  that check is instr() on the lowered needle; a needle with a cased letter outside
  ASCII ("Tarhūnah") is checked by casefold() itself (FOLDED_IN) on those rows.
- PostgreSQL: pg_trgm GIN indexes on body and place answer LIKE on the lowered needle,
  rechecked in the narrow rows rather than the wide ones.

Known edges (a review compared every cased character below U+10000 with casefold()):
an ASCII needle does not find the two letters whose casefold() alone is ASCII, the
long s and the Kelvin sign ("maſs" for "mass"), which the FTS5 table over the wide
columns, dropped, did; letters that casefold() turns into two ("ß", ligatures) are
compared as written, as before; a needle with a line break (a link's text, never the
search box) is a LIKE on the rows, which folds ASCII only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from incidents.access import PUBLIC_PLACE_PRECISIONS
from incidents.store.text_marks import postgres_unmarked, sqlite_unmarked

LOWER_TABLE = "incidents_text_lower"
TRIGRAMS = "incidents_text_trigrams"  # SQLite: FTS5 detail=none over LOWER_TABLE
SEPARATOR = "\n"  # between fields of body: a needle holding it is left to text_index
MAX_TRIGRAMS = 4  # measured at 1M: 2 to 12 cost alike; the exact check decides
MIN_TRIGRAM = 3  # shorter needles are a LIKE on the rows (sql._like_text)
FOLDED_IN = "incidents_folded_in"  # SQLite: casefold() containment (register_sqlite)
PG_VERSION = "text_lower 4"  # the table's comment: 2 no Arabic marks; 3 place shown; 4 TRUNCATE
SAME_ROWS = ("text_lower 3",)  # earlier copies whose rows are this version's (a role that
# may not bring one up to date searches through it, not through the records' rows)
GIN_WORD_TRIGRAMS = 5  # PostgreSQL: a word this long narrows the GIN scan (gin_word)
_SHOWN = ", ".join(f"'{p}'" for p in PUBLIC_PLACE_PRECISIONS)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def answers(needle: str) -> bool:
    """Whether the copy answers needle: three characters or more (a trigram), within
    one field (a needle holding SEPARATOR would match across two)."""
    return len(needle) >= MIN_TRIGRAM and SEPARATOR not in needle


def lowered(needle: str) -> str | None:
    """needle as lower() holds it in LOWER_TABLE, or None when lower() and casefold()
    could disagree on it (a cased letter outside ASCII) or it spans fields."""
    if SEPARATOR in needle:
        return None
    return _ascii_lowered(needle)


def register_sqlite(conn: sqlite3.Connection) -> None:
    """FOLDED_IN on a GeoPackage connection: the exact check of a needle lower() cannot
    fold ("Tarhūnah" in "TARHŪNAH"), on the few rows its trigrams select. Only reads
    call it; the triggers that keep the copy use SQLite's own functions, so any other
    program writing the file keeps it too."""
    conn.create_function(
        FOLDED_IN, 2, lambda hay, needle: int(needle in (hay or "").casefold()), deterministic=True
    )


def _ascii_lowered(needle: str) -> str | None:
    for char in needle:
        if not char.isascii() and (char.casefold() != char or char.upper() != char):
            return None
    return needle.translate(_ASCII_LOWER)


def _row(row: str) -> str:
    """LOWER_TABLE's values for an incidents row (new or old in a trigger)."""
    title, description, place = (sqlite_unmarked(f"{row}.{c}") for c in _MARKED)
    nl = "char(10)"
    body = (
        f"lower(coalesce({title}, '')) || {nl} || lower(coalesce({description}, ''))"
        f" || {nl} || lower(coalesce({row}.id, ''))"
    )
    shown = f"coalesce({row}.location_precision IN ({_SHOWN}), 0)"  # never refuse a row
    return f"{row}.fid, {row}.sensitivity, {shown}, {body}, lower(coalesce({place}, ''))"


_MARKED = ("title", "description", "place")  # the columns that may hold Arabic marks


_INSERT_LOWER = f"INSERT INTO {LOWER_TABLE} (fid, sensitivity, shown, body, place)"
_TRIGRAM_DELETE = (
    f"INSERT INTO {TRIGRAMS} ({TRIGRAMS}, rowid, body, place) "
    "VALUES ('delete', old.fid, old.body, old.place)"
)
SQLITE_DDL = (
    f"CREATE TABLE IF NOT EXISTS {LOWER_TABLE} (fid INTEGER PRIMARY KEY, sensitivity TEXT,"
    " shown INTEGER NOT NULL, body TEXT NOT NULL, place TEXT NOT NULL)",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TRIGRAMS} USING fts5(body, place, "
    f"content='{LOWER_TABLE}', content_rowid='fid', tokenize='trigram', detail='none')",
    f"CREATE TRIGGER IF NOT EXISTS {LOWER_TABLE}_insert AFTER INSERT ON incidents "
    f"BEGIN {_INSERT_LOWER} VALUES ({_row('new')}); END",
    f"CREATE TRIGGER IF NOT EXISTS {LOWER_TABLE}_delete AFTER DELETE ON incidents "
    f"BEGIN DELETE FROM {LOWER_TABLE} WHERE fid = old.fid; END",
    f"CREATE TRIGGER IF NOT EXISTS {LOWER_TABLE}_update AFTER UPDATE OF fid, title, "
    "description, place, location_precision, id, sensitivity ON incidents "
    f"BEGIN DELETE FROM {LOWER_TABLE} WHERE fid = old.fid; "
    f"{_INSERT_LOWER} VALUES ({_row('new')}); END",
    f"CREATE TRIGGER IF NOT EXISTS {TRIGRAMS}_insert AFTER INSERT ON {LOWER_TABLE} BEGIN "
    f"INSERT INTO {TRIGRAMS} (rowid, body, place) VALUES (new.fid, new.body, new.place); END",
    f"CREATE TRIGGER IF NOT EXISTS {TRIGRAMS}_delete AFTER DELETE ON {LOWER_TABLE} "
    f"BEGIN {_TRIGRAM_DELETE}; END",
    f"CREATE TRIGGER IF NOT EXISTS {TRIGRAMS}_update AFTER UPDATE ON {LOWER_TABLE} "
    f"BEGIN {_TRIGRAM_DELETE}; INSERT INTO {TRIGRAMS} (rowid, body, place) "
    "VALUES (new.fid, new.body, new.place); END",
    f"CREATE TRIGGER IF NOT EXISTS {TRIGRAMS}_purge AFTER INSERT ON audit_log "
    f"WHEN new.action = 'purge' BEGIN INSERT INTO {TRIGRAMS} ({TRIGRAMS}) "
    "VALUES ('optimize'); END",
)


_TRIGGERS = (
    *(f"{LOWER_TABLE}_{kind}" for kind in ("insert", "delete", "update")),
    *(f"{TRIGRAMS}_{kind}" for kind in ("insert", "delete", "update", "purge")),
)


def build_sqlite(conn: sqlite3.Connection) -> None:
    """Create LOWER_TABLE, its index and triggers, and fill them from the rows (inside
    the caller's write transaction; a store made before them gets them on open)."""
    for name in _TRIGGERS:  # a build replaces any triggers an earlier version made
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in SQLITE_DDL:
        conn.execute(statement)
    conn.execute(f"DELETE FROM {LOWER_TABLE}")
    conn.execute(f"{_INSERT_LOWER} SELECT {_row('i')} FROM incidents i")
    conn.execute(f"INSERT INTO {TRIGRAMS} ({TRIGRAMS}) VALUES ('rebuild')")


def fill_sqlite(conn: sqlite3.Connection, last_fid: int) -> None:
    """LOWER_TABLE's rows (and so its trigram index's) for the incidents above last_fid
    that have none: text_index.batch_filled's fill after a batch of new rows."""
    conn.execute(
        f"{_INSERT_LOWER} SELECT {_row('i')} FROM incidents i WHERE i.fid > ? "
        f"AND NOT EXISTS (SELECT 1 FROM {LOWER_TABLE} w WHERE w.fid = i.fid)",
        (last_fid,),
    )


def _trigrams(needle: str) -> list[str]:
    """Distinct trigrams of needle, at most MAX_TRIGRAMS spread over it (first and last
    among them). Each one more costs a pass over its row list (a common one holds most
    records), and narrows little once the needle's ends are there: instr() decides."""
    found = list(dict.fromkeys(needle[i : i + 3] for i in range(len(needle) - 2)))
    if len(found) <= MAX_TRIGRAMS:
        return found
    step = (len(found) - 1) / (MAX_TRIGRAMS - 1)
    return [found[round(k * step)] for k in range(MAX_TRIGRAMS)]


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _held(needles: Sequence[str], public: bool, like: bool) -> tuple[str, list[Any]]:
    """The exact check on a narrow row w: one of the lowered needles in body or place
    (for the public, a place only where its rows show it). In PostgreSQL a needle with
    a long enough word (gin_word) is looked up in the GIN index by that word alone and
    checked whole on the rows found, the whole needle's LIKE kept out of the index."""
    parts: list[str] = []
    params: list[Any] = []
    for needle in needles:
        word = gin_word(needle) if like else None
        if word is not None:
            test = (
                "({0} LIKE lower(%s::text) ESCAPE '\\' "
                "AND ({0} || '') LIKE lower(%s::text) ESCAPE '\\')"
            )
            values = ["%" + like_escape(word) + "%", "%" + like_escape(needle) + "%"]
        elif like:
            test, values = "{0} LIKE lower(%s::text) ESCAPE '\\'", ["%" + like_escape(needle) + "%"]
        elif (low := lowered(needle)) is not None:
            test, values = "instr({0}, %s) > 0", [low]
        else:
            test, values = FOLDED_IN + "({0}, %s)", [needle.casefold()]
        place = test.format("w.place")
        parts.append(
            f"{test.format('w.body')} OR " + (f"(w.shown AND {place})" if public else place)
        )
        params += values * 2
    return "(" + " OR ".join(parts) + ")", params


def gin_word(needle: str) -> str | None:
    """The longest run of ASCII letters and digits in an all-ASCII needle that holds
    other characters too, when the run has GIN_WORD_TRIGRAMS distinct trigrams or more.

    pg_trgm turns LIKE '%arbitrary detention%' into the trigrams of each word, padded
    with blanks where a word meets a space (' de', '  d'): such a trigram is in most
    rows, and the index scan reads its whole posting list (measured at 1M: 170 ms for
    the phrase, 80 ms for 'arbitrary' alone). The word is a substring of the needle,
    so every row holding the needle holds the word: LIKE on the word finds a superset
    and the whole needle's LIKE (written so the planner cannot put it in the index
    scan) keeps exactly what it kept before. All-ASCII: lower() folds each of its
    characters alone, in every locale, so the lowered word is in the lowered needle.
    A short word (its few trigrams in many rows) keeps the whole needle's scan.
    Measured at 1M (the phrase, 14 alternated runs of the whole query, load 3): the
    whole needle 0.25 s, its longest word 0.21 s, all its words 0.29 s (their 14
    unpadded trigrams are as common as the words). Not measured: a needle whose longest
    word is common and another rare ('Tarhuna prison'), which the whole needle's
    trigrams narrow to fewer rows."""
    if not needle.isascii() or needle.isalnum():
        return None
    runs = "".join(c if c.isalnum() else " " for c in needle).split()
    word = max(runs, key=len, default="")
    trigrams = {word[i : i + 3] for i in range(len(word) - 2)}
    return word if word and len(trigrams) >= GIN_WORD_TRIGRAMS else None


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def select(needles: Sequence[str], public: bool, seen_sql: str, like: str) -> tuple[str, list[Any]]:
    """The fids whose narrow row w holds one of the needles (each one the copy answers),
    for a viewer whose records are seen_sql (on alias w); like: "LIKE" for SQLite,
    "ILIKE" for PostgreSQL.

    SQLite: the detail=none trigram index (it folds case itself) gives the rows holding
    up to MAX_TRIGRAMS of each needle's trigrams, and the exact check keeps those that
    hold the needle. PostgreSQL: LIKE on the needle as the server's lower() folds it
    (what ILIKE compared), through the GIN indexes."""
    held, params = _held(needles, public, like=like != "LIKE")
    if like != "LIKE":
        return f"SELECT w.fid AS fid FROM {LOWER_TABLE} w WHERE {held} AND {seen_sql}", params
    groups = " OR ".join("(" + " AND ".join(map(_phrase, _trigrams(n))) + ")" for n in needles)
    sql = (
        f"SELECT w.fid AS fid FROM {LOWER_TABLE} w WHERE w.fid IN "
        f"(SELECT rowid FROM {TRIGRAMS} WHERE {TRIGRAMS} MATCH %s) AND {held} AND {seen_sql}"
    )
    return sql, [groups, *params]


def _pg_rows(source: str) -> str:
    """LOWER_TABLE's rows from source's (a transition table, or incidents), in PostgreSQL.
    Each field is lowered once: without OFFSET 0 the planner writes the lowered text into
    each branch of postgres_unmarked's CASE and lowers it again (0.24 -> 0.14 s of the
    server's time per 100k records, psql; docs/benchmarks.md)."""
    body = (
        "lower(coalesce(n.title, '')) || E'\\n' || lower(coalesce(n.description, ''))"
        " || E'\\n' || lower(coalesce(n.id, ''))"
    )
    shown = f"coalesce(n.location_precision IN ({_SHOWN}), false)"
    lowered = (
        f"SELECT n.fid, n.sensitivity, {shown} AS shown, {body} AS body, "
        f"lower(coalesce(n.place, '')) AS place FROM {source} n OFFSET 0"
    )
    unmarked = f"{postgres_unmarked('l.body')}, {postgres_unmarked('l.place')}"
    return f"SELECT l.fid, l.sensitivity, l.shown, {unmarked} FROM ({lowered}) l"


def postgres_ddl(schema: str, trgm_schema: str | None) -> list[str]:
    """LOWER_TABLE in a store's schema, filled from its rows, its GIN indexes (when
    pg_trgm is there) and the statement triggers that keep it (one per kind of write,
    each reading the statement's rows at once: a bulk load pays a join, not a call
    per row). The trigger functions run as the table's owner (SECURITY DEFINER, every
    name written out in full): an app role that may write incidents but holds no right
    on LOWER_TABLE (docs/deployment.md) still keeps it current."""
    table, incidents = f'"{schema}".{LOWER_TABLE}', f'"{schema}".incidents'
    keep = f'"{schema}".{LOWER_TABLE}_keep'
    insert = f"INSERT INTO {table} {_pg_rows('new_rows')}"
    delete = f"DELETE FROM {table} w USING old_rows o WHERE w.fid = o.fid"
    bodies = {"insert": insert, "delete": delete, "update": f"{delete}; {insert}"}
    bodies["truncate"] = f"TRUNCATE {table}"  # an administrator's, by hand (no rows to read)
    out = [
        f"CREATE TABLE {table} (fid BIGINT PRIMARY KEY, sensitivity TEXT, "
        "shown BOOLEAN NOT NULL, body TEXT NOT NULL, place TEXT NOT NULL)",
        f"INSERT INTO {table} {_pg_rows(incidents)}",
    ]
    if trgm_schema is not None:
        out += [
            f"CREATE INDEX {LOWER_TABLE}_{col} ON {table} "
            f'USING GIN ({col} "{trgm_schema}".gin_trgm_ops)'
            for col in ("body", "place")
        ]
    for kind, body in bodies.items():
        tables = {
            "insert": "REFERENCING NEW TABLE AS new_rows",
            "delete": "REFERENCING OLD TABLE AS old_rows",
            "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "truncate": "",
        }[kind]
        out += [  # replaced where they stand (a copy dropped by hand is made again);
            # only the owner may run them: any other role could fire them from a trigger
            # on a table of its own and rewrite or empty the copy as its owner
            f"CREATE OR REPLACE FUNCTION {keep}_{kind}() RETURNS trigger LANGUAGE plpgsql "
            "SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS "
            f"$fn$ BEGIN {body}; RETURN NULL; END $fn$",
            f"REVOKE ALL ON FUNCTION {keep}_{kind}() FROM PUBLIC",
            f"CREATE OR REPLACE TRIGGER {LOWER_TABLE}_{kind} AFTER {kind.upper()} "
            f"ON {incidents} {tables} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {keep}_{kind}()",
        ]
    out += [f"COMMENT ON TABLE {table} IS '{PG_VERSION}'", f"ANALYZE {table}"]
    return out


def postgres_refill(schema: str) -> list[str]:
    """A copy of an earlier PG_VERSION brought up to this one where it stands: its
    trigger functions and triggers replaced and its rows written again (those of records
    a TRUNCATE emptied before version 4 go). The table stays, and with it the grant
    deployment gives the app role on it (docs/deployment.md)."""
    table, incidents = f'"{schema}".{LOWER_TABLE}', f'"{schema}".incidents'
    kept = ("CREATE OR REPLACE FUNCTION", "REVOKE", "CREATE OR REPLACE TRIGGER")
    return [
        *(s for s in postgres_ddl(schema, None) if s.startswith(kept)),
        f"TRUNCATE {table}",
        f"INSERT INTO {table} {_pg_rows(incidents)}",
        f"COMMENT ON TABLE {table} IS '{PG_VERSION}'",
        f"ANALYZE {table}",
    ]


def ensure_postgres(conn: Any, schema: str, trgm_schema: str) -> bool:
    """text_lower's table, indexes and triggers, made and filled once (1.5 minutes at a
    million records); whether the store has them. A role that does not own the
    incidents table does not try (each failed try logged an error on the server, on
    every open): it searches the rows until the owner opens the store, or through an
    earlier copy whose rows are this version's (SAME_ROWS)."""
    import psycopg

    name = f'"{schema}".{LOWER_TABLE}'
    found = conn.execute(_MADE, [name, name]).fetchone()
    made = found["v"] if isinstance(found, dict) else found[0]
    if made == PG_VERSION:
        return first(conn, READABLE, [name, name])
    if not first(conn, OWNS_INCIDENTS, [f'"{schema}".incidents']):
        return made in SAME_ROWS and first(conn, READABLE, [name, name])
    try:
        with conn.transaction():
            made_now = postgres_ddl(schema, trgm_schema) if made is None else []
            for statement in made_now or postgres_refill(schema):
                conn.execute(statement)
    except psycopg.Error:  # a role that may not: the rows (an earlier copy holds marks)
        return False
    return True


def first(conn: Any, sql: str, params: list[Any]) -> bool:
    """The first value of sql's one row, as a bool (conn: a psycopg connection)."""
    found = conn.execute(sql, params).fetchone()
    return bool(found["n"] if isinstance(found, dict) else found[0])


# Whether this role owns the incidents table (or is a member of its owner): who may
# make the copy's triggers and refill it.
OWNS_INCIDENTS = "SELECT pg_has_role(relowner, 'USAGE') AS n FROM pg_class WHERE oid = %s::regclass"


# The copy's version (its table's comment; "" made before versions), NULL for no copy.
_MADE = (
    "SELECT CASE WHEN to_regclass(%s) IS NOT NULL THEN "
    "coalesce(obj_description(to_regclass(%s), 'pg_class'), '') END AS v"
)


# The table exists and this role may read it: an app role not granted SELECT on it
# (docs/deployment.md) searches the rows instead of failing.
READABLE = (
    "SELECT to_regclass(%s) IS NOT NULL AND has_table_privilege(to_regclass(%s), 'SELECT') AS n"
)
