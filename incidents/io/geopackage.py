"""GeoPackage files read as a table: one point layer, its attributes and its points.

The layer named "incidents" is read when there is one (our own store writes it),
else the first point layer. GDAL (through pyogrio) reads the layer, so any
GeoPackage QGIS writes will do. When the file is one of this tool's own stores,
the sources (table incident_sources) and confidential fields (incident_confidential)
are joined back in as source1_title ... and victim_details etc., so moving records
from one store to another through a GeoPackage file loses nothing.

Uploaded bytes are written to a temporary file first: GDAL and SQLite read files.
The SQLite side tables are opened read-only with untrusted-schema protection. A file
may carry tables of those names with other columns (an older store, or a crafted
file): the columns the tool knows are read, missing ones are empty, and a side table
without incident_id, which cannot be matched to the incidents, refuses the file with
a sentence instead of an SQL error.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from incidents.io import tabular
from incidents.io.geojson import point_of
from incidents.io.tabular import MAX_FILE_BYTES, MAX_ROWS, FileUnusable, Table
from incidents.schema import CONFIDENTIAL_FIELDS, SOURCE_PARTS
from incidents.validation import MAX_SOURCES

PREFERRED_LAYER = "incidents"
POINT_TYPES = ("point", "multipoint")
_SQLITE_MAGIC = b"SQLite format 3\x00"


def read(path: Path, data: bytes | None = None, name: str | None = None) -> Table:
    """A Table from a GeoPackage on disk, or from uploaded bytes."""
    name = name or path.name
    if data is None:
        if not path.exists():
            raise FileUnusable(f"{name}: the file does not exist")
        return _read_file(path, name)
    if len(data) > MAX_FILE_BYTES:
        raise FileUnusable(f"{name}: the file is larger than {MAX_FILE_BYTES // 2**20} MB")
    with tempfile.TemporaryDirectory(prefix="incidents-upload-") as folder:
        target = Path(folder) / "upload.gpkg"
        target.write_bytes(data)
        return _read_file(target, name)


def _read_file(path: Path, name: str) -> Table:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise FileUnusable(f"{name}: the file is larger than {MAX_FILE_BYTES // 2**20} MB")
    with path.open("rb") as handle:
        if handle.read(16) != _SQLITE_MAGIC:
            raise FileUnusable(f"{name}: this is not a GeoPackage (not an SQLite file)")
    import pyogrio

    errors = pyogrio.errors
    try:
        layer = choose_layer(pyogrio.list_layers(path), name)
        info = pyogrio.read_info(path, layer=layer)
        if int(info["features"]) > MAX_ROWS:
            raise FileUnusable(f"{name}: more than {MAX_ROWS:,} features; split the file")
        if len(info["fields"]) > tabular.MAX_COLUMNS:
            raise FileUnusable(
                f"{name}: the layer {layer} has {len(info['fields']):,} fields; the tool reads "
                f"at most {tabular.MAX_COLUMNS} columns"
            )
        frame = pyogrio.read_dataframe(path, layer=layer)
    except (
        errors.DataSourceError, errors.DataLayerError, errors.FeatureError,
        errors.FieldError, errors.GeometryError, errors.CRSError,
    ) as error:  # fmt: skip
        raise FileUnusable(f"{name}: the GeoPackage could not be read ({error})") from None
    columns = [str(c) for c in frame.columns if c != frame.geometry.name]
    records = [
        {c: plain(v) for c, v in zip(columns, values, strict=True)}
        for values in frame[columns].itertuples(index=False, name=None)
    ]
    for record, shaped in zip(records, frame.geometry, strict=True):
        record.update(point_of(shaped, record))
    too_many: dict[int, list[tuple[str, str]]] = {}
    if layer == PREFERRED_LAYER and "id" in columns:
        try:
            too_many = _join_store_tables(path, records, name)
        except sqlite3.Error as error:
            raise FileUnusable(
                f"{name}: the GeoPackage's tables could not be read ({error})"
            ) from None
    table = _table(name, columns, records)
    table.problems = too_many
    table.layout = f"GeoPackage layer '{layer}'" + (
        " (this tool's own layout)" if layer == PREFERRED_LAYER else ""
    )
    if path.stat().st_size > tabular.MAX_CELL_CHARS:
        for number, cells in table.rows:
            tabular.flag_long_cells(table, number, cells)
    return table


def choose_layer(layers: Any, name: str) -> str:
    """'incidents' if present, else the first layer of points."""
    found = [(str(n), str(g or "").casefold()) for n, g in layers]
    for layer, _ in found:
        if layer == PREFERRED_LAYER:
            return layer
    for layer, geometry in found:
        if geometry.replace(" z", "").replace(" m", "") in POINT_TYPES:
            return layer
    kinds = ", ".join(f"{n} ({g or 'no geometry'})" for n, g in found) or "none"
    raise FileUnusable(f"{name}: the GeoPackage has no point layer (layers: {kinds})")


def plain(value: Any) -> Any:
    """A cell as validation reads it: None for missing, ISO text for dates, Python scalars."""
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    elif isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, str | bool | int | list | tuple | dict):
        return value
    if pd.isna(value):
        return None
    if isinstance(value, datetime):
        midnight = value.time() == datetime.min.time()
        return value.date().isoformat() if midnight else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _join_store_tables(
    path: Path, records: list[dict[str, Any]], name: str
) -> dict[int, list[tuple[str, str]]]:
    """Add sourceN_* and confidential columns from this tool's own side tables; at most
    MAX_SOURCES sources each (a record with more is rejected, numbered from 1)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        sources: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for row in _side_rows(conn, "incident_sources", SOURCE_PARTS, "position", name):
            sources[row[0]].append(row[1:])
        secret: dict[str, tuple[Any, ...]] = {}
        for row in _side_rows(conn, "incident_confidential", CONFIDENTIAL_FIELDS, "", name):
            secret[row[0]] = row[1:]
    finally:
        conn.close()
    problems: dict[int, list[tuple[str, str]]] = {}
    for number, record in enumerate(records, start=1):
        cited = sources.get(record["id"], [])
        if len(cited) > MAX_SOURCES:
            reason = f"the record has {len(cited):,} sources; at most {MAX_SOURCES} are imported"
            problems[number] = [("sources", reason)]
            cited = cited[:MAX_SOURCES]
        for n, values in enumerate(cited, start=1):
            record.update({f"source{n}_{p}": v for p, v in zip(SOURCE_PARTS, values, strict=True)})
        hidden = secret.get(record["id"])
        if hidden:
            record.update(dict(zip(CONFIDENTIAL_FIELDS, hidden, strict=True)))
    return problems


def _side_rows(
    conn: sqlite3.Connection, table: str, wanted: tuple[str, ...], order: str, name: str
) -> list[tuple[Any, ...]]:
    """(incident_id, *wanted) of a side table, NULL for the columns it lacks; none when
    the file has no such table."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,))
    if found.fetchone() is None:
        return []
    have = {str(r[1]) for r in conn.execute(f'PRAGMA table_info("{table}")')}
    if "incident_id" not in have:
        raise FileUnusable(
            f"{name}: the table {table} has no incident_id column, so its rows cannot be "
            "matched to incidents; remove that table or export the records again"
        )
    picked = ", ".join(f'"{c}"' if c in have else "NULL" for c in wanted)
    sort = f'incident_id, "{order}"' if order in have else "incident_id, rowid"
    return list(conn.execute(f"SELECT incident_id, {picked} FROM {table} ORDER BY {sort}"))


def _table(name: str, columns: list[str], records: list[dict[str, Any]]) -> Table:
    header: dict[str, None] = dict.fromkeys(columns)
    for record in records:
        header.update(dict.fromkeys(record))
    names = list(header)
    table = Table(name, names, encoding="gpkg")
    table.rows = [(n, [r.get(c) for c in names]) for n, r in enumerate(records, start=1)]
    return table
