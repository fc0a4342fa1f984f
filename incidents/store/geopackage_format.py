"""The OGC GeoPackage 1.4 details: headers, metadata tables, point blobs and the R-tree.

Written with the standard library's sqlite3 so that the store controls its own
transactions; QGIS and GDAL open the file as an ordinary point layer.
"""

from __future__ import annotations

import sqlite3
import struct

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10400  # GeoPackage 1.4.0
WGS84 = 4326

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AUTHORITY["EPSG","4326"]]'
)
_HEADER = struct.Struct("<2sBBi")  # magic, version, flags, srs_id (little endian)
_POINT = struct.Struct("<BIdd")  # byte order, wkb type, x, y
_FLAGS_LE_NO_ENVELOPE = 0b0000_0001
_FLAGS_EMPTY = 0b0001_0000


def point_blob(lon: float | None, lat: float | None) -> bytes | None:
    """A GeoPackage geometry blob for a point, or None when there is no point."""
    if lon is None or lat is None:
        return None
    return _HEADER.pack(b"GP", 0, _FLAGS_LE_NO_ENVELOPE, WGS84) + _POINT.pack(1, 1, lon, lat)


def blob_xy(blob: bytes | None) -> tuple[float, float] | None:
    """x, y of a point blob written by any GeoPackage writer (envelopes skipped)."""
    if not blob or len(blob) < 8 or blob[:2] != b"GP":
        return None
    flags = blob[3]
    if flags & _FLAGS_EMPTY:
        return None
    envelope = (0, 32, 48, 48, 64)[(flags >> 1) & 0b111]
    wkb = blob[8 + envelope :]
    little = wkb[0] == 1
    kind, x, y = struct.unpack(("<" if little else ">") + "Idd", wkb[1:21])
    if kind % 1000 != 1:
        return None
    return x, y


def register_functions(conn: sqlite3.Connection) -> None:
    """The ST_ functions the standard R-tree triggers call (GDAL brings its own)."""

    def coord(index: int):  # type: ignore[no-untyped-def]
        def get(blob: bytes | None) -> float | None:
            xy = blob_xy(blob)
            return None if xy is None else xy[index]

        return get

    conn.create_function("ST_IsEmpty", 1, lambda b: int(blob_xy(b) is None), deterministic=True)
    for name, index in (("ST_MinX", 0), ("ST_MaxX", 0), ("ST_MinY", 1), ("ST_MaxY", 1)):
        conn.create_function(name, 1, coord(index), deterministic=True)


def create_metadata(conn: sqlite3.Connection) -> None:
    """The tables every GeoPackage has, with the spatial reference systems it must define."""
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {USER_VERSION}")
    conn.executescript(
        """
        CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
          srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
          organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
          description TEXT);
        CREATE TABLE IF NOT EXISTS gpkg_contents (
          table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
          identifier TEXT UNIQUE, description TEXT DEFAULT '',
          last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
          CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id)
            REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
          table_name TEXT NOT NULL, column_name TEXT NOT NULL,
          geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
          z TINYINT NOT NULL, m TINYINT NOT NULL,
          CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name));
        CREATE TABLE IF NOT EXISTS gpkg_extensions (
          table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
          definition TEXT NOT NULL, scope TEXT NOT NULL,
          CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
        """
    )
    conn.executemany(
        "INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian"),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic"),
            ("WGS 84 geodetic", WGS84, "EPSG", WGS84, _WGS84_WKT, "longitude/latitude WGS84"),
        ],
    )


def register_feature_table(
    conn: sqlite3.Connection, table: str, geom: str, description: str
) -> None:
    """Declare a point table in gpkg_contents and give it the standard R-tree index."""
    conn.execute(
        "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, "
        "srs_id) VALUES (?, 'features', ?, ?, ?)",
        (table, table, description, WGS84),
    )
    conn.execute(
        "INSERT OR IGNORE INTO gpkg_geometry_columns VALUES (?, ?, 'POINT', ?, 0, 0)",
        (table, geom, WGS84),
    )
    conn.execute(
        "INSERT OR IGNORE INTO gpkg_extensions VALUES (?, ?, 'gpkg_rtree_index', "
        "'http://www.geopackage.org/spec/#extension_rtree', 'write-only')",
        (table, geom),
    )
    rtree = f"rtree_{table}_{geom}"
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {rtree} USING rtree(id, minx, maxx, miny, maxy)"
    )
    for name, sql in _rtree_triggers(table, geom, rtree).items():
        conn.execute(f"CREATE TRIGGER IF NOT EXISTS {rtree}_{name} {sql}")


def register_attributes_table(conn: sqlite3.Connection, table: str, description: str) -> None:
    """Declare a non-spatial table so GeoPackage readers list it."""
    conn.execute(
        "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description) "
        "VALUES (?, 'attributes', ?, ?)",
        (table, table, description),
    )


def _rtree_triggers(t: str, c: str, rtree: str) -> dict[str, str]:
    """The triggers of the GeoPackage R-tree extension (1.4), for an integer primary key fid."""
    box = f"ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c})"
    filled = f"NEW.{c} NOT NULL AND NOT ST_IsEmpty(NEW.{c})"
    return {
        "insert": f"AFTER INSERT ON {t} WHEN ({filled}) BEGIN "
        f"INSERT OR REPLACE INTO {rtree} VALUES (NEW.fid, {box}); END",
        "update6": f"AFTER UPDATE OF {c} ON {t} WHEN OLD.fid = NEW.fid AND ({filled}) BEGIN "
        f"INSERT OR REPLACE INTO {rtree} VALUES (NEW.fid, {box}); END",
        "update7": f"AFTER UPDATE OF {c} ON {t} WHEN OLD.fid = NEW.fid AND "
        f"(NEW.{c} IS NULL OR ST_IsEmpty(NEW.{c})) BEGIN "
        f"DELETE FROM {rtree} WHERE id = OLD.fid; END",
        "update5": f"AFTER UPDATE ON {t} WHEN OLD.fid != NEW.fid BEGIN "
        f"DELETE FROM {rtree} WHERE id = OLD.fid; END",
        "delete": f"AFTER DELETE ON {t} WHEN OLD.{c} NOT NULL BEGIN "
        f"DELETE FROM {rtree} WHERE id = OLD.fid; END",
    }
