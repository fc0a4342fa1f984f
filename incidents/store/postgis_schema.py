"""The PostGIS store's tables: created once, by whichever instance starts first.

The same tables as the GeoPackage store (see gpkg.py), in PostgreSQL terms, with the
audit log made append-only by triggers. An advisory lock keeps two instances starting
together from both creating them.
"""

from __future__ import annotations

from typing import Any

import psycopg

from incidents.schema import CONFIDENTIAL_FIELDS, SOURCE_PARTS
from incidents.store import merges, tombstones
from incidents.store.audit_guard import POSTGRES_APPEND_ONLY
from incidents.store.base import StoreError
from incidents.store.columns import INCIDENT_COLUMNS, POSTGRES_TYPES, column_constraint

TABLE = "incidents"
SCHEMA_VERSION = "1"
DDL_LOCK = 74_210_001
Connection = psycopg.Connection[dict[str, Any]]


def set_path(conn: Connection, search_path: str) -> None:
    """Point unqualified table names at this store's schema, for this transaction only."""
    conn.execute("SELECT set_config('search_path', %s, true)", [search_path])


def ensure_schema(conn: Connection, schema: str) -> str:
    """Create the tables once, whoever starts first; return the search_path to use.

    Checks before creating, so a role that may only use an existing schema can start.
    """
    postgis = _postgis_schema(conn)
    if postgis is not None and _schema_ready(conn, schema) and not _upgraded(conn, schema):
        conn.execute("SELECT pg_advisory_xact_lock(%s, 0)", [DDL_LOCK])
        if not _upgraded(conn, schema):
            set_path(conn, f'"{schema}", "{postgis}"')
            for statement in _upgrade():
                conn.execute(statement)
    if postgis is None or not _schema_ready(conn, schema):
        conn.execute("SELECT pg_advisory_xact_lock(%s, 0)", [DDL_LOCK])
        postgis = _postgis_schema(conn) or _create_postgis(conn)
        if not _schema_ready(conn, schema):
            found = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
            if found.fetchone() is None:
                conn.execute(f'CREATE SCHEMA "{schema}"')
            set_path(conn, f'"{schema}", "{postgis}"')
            for statement in _ddl():
                conn.execute(statement)
    return f'"{schema}", "{postgis}"'


def _postgis_schema(conn: Connection) -> str | None:
    row = conn.execute(
        "SELECT n.nspname AS name FROM pg_extension e "
        "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis'"
    ).fetchone()
    return str(row["name"]) if row else None


def _create_postgis(conn: Connection) -> str:
    try:
        with conn.transaction():
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    except psycopg.Error as error:
        raise StoreError(
            "The database has no PostGIS extension and this user may not add it: "
            "ask the database administrator to run CREATE EXTENSION postgis."
        ) from error
    return _postgis_schema(conn) or "public"


def _schema_ready(conn: Connection, schema: str) -> bool:
    row = conn.execute("SELECT to_regclass(%s) AS t", [f'"{schema}".store_meta']).fetchone()
    if not row or row["t"] is None:
        return False
    found = conn.execute(
        f"SELECT value FROM \"{schema}\".store_meta WHERE key = 'schema_version'"
    ).fetchone()
    return found is not None


def _upgraded(conn: Connection, schema: str) -> bool:
    """The schema has what purges and tombstones need (stores made before lack it)."""
    row = conn.execute("SELECT to_regclass(%s) AS t", [f'"{schema}".{tombstones.TABLE}'])
    found = row.fetchone()
    return bool(found and found["t"] is not None)


def _upgrade() -> list[str]:
    """What a schema made before deletes were tombstones gets: the tombstone table, and
    an audit log that takes a purge's update (and nothing else)."""
    return [*tombstones.ddl("BIGINT"), POSTGRES_APPEND_ONLY]


def _ddl() -> list[str]:
    """The GeoPackage store's tables in PostgreSQL terms (see gpkg._create_schema)."""
    columns = ",\n  ".join(
        f"{f.name} {POSTGRES_TYPES[f.kind]}{column_constraint(f)}" for f in INCIDENT_COLUMNS
    )
    # Dates: the duplicate look's span; source_event: re-imports. No index on the other
    # filters' columns: the column snapshot answers them (gpkg._create_schema).
    indexes = {"date_start": "date_start", "date_end": "date_end"}
    indexes |= {"source_event": "source_event_id"}
    refuse = "EXECUTE FUNCTION audit_log_append_only()"
    return [
        f"CREATE TABLE IF NOT EXISTS {TABLE} (fid BIGSERIAL PRIMARY KEY, "
        f"geom geometry(Point, 4326),\n  {columns})",
        f"CREATE INDEX IF NOT EXISTS {TABLE}_geom ON {TABLE} USING GIST (geom)",
        *(
            f"CREATE INDEX IF NOT EXISTS {TABLE}_{name} ON {TABLE} ({column})"
            for name, column in indexes.items()
        ),
        f"CREATE TABLE IF NOT EXISTS incident_sources ("
        f"incident_id TEXT NOT NULL REFERENCES {TABLE}(id) ON DELETE CASCADE, "
        f"position INTEGER NOT NULL, {', '.join(f'{p} TEXT' for p in SOURCE_PARTS)}, "
        "PRIMARY KEY (incident_id, position))",
        f"CREATE TABLE IF NOT EXISTS incident_confidential ("
        f"incident_id TEXT PRIMARY KEY REFERENCES {TABLE}(id) ON DELETE CASCADE, "
        f"{', '.join(f'{c} TEXT' for c in CONFIDENTIAL_FIELDS)})",
        "CREATE TABLE IF NOT EXISTS audit_log (seq BIGINT PRIMARY KEY, at TEXT NOT NULL, "
        "actor TEXT NOT NULL, action TEXT NOT NULL, incident_id TEXT, before TEXT, "
        "after TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS audit_log_incident ON audit_log (incident_id)",
        POSTGRES_APPEND_ONLY,
        "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
        f"FOR EACH ROW {refuse}",
        "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
        f"CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log {refuse}",
        "CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        f"INSERT INTO store_meta VALUES ('schema_version', '{SCHEMA_VERSION}') "
        "ON CONFLICT DO NOTHING",
        "INSERT INTO store_meta VALUES ('data_version', '0') ON CONFLICT DO NOTHING",
        *tombstones.ddl("BIGINT"),
        *merges.MERGE_DDL,  # made here too, by the owner: an app role may not create them
    ]
