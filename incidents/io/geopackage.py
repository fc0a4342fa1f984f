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

from incidents.io import broken_text, tabular
from incidents.io.geojson import point_of
from incidents.io.tabular import MAX_FILE_BYTES, MAX_ROWS, FileUnusable, Table
from incidents.schema import CONFIDENTIAL_FIELDS, SOURCE_PARTS
from incidents.translation import _
from incidents.translation import number as _number
from incidents.validation import MAX_SOURCES

PREFERRED_LAYER = "incidents"
POINT_TYPES = ("point", "multipoint")
_SQLITE_MAGIC = b"SQLite format 3\x00"


def read(path: Path, data: bytes | None = None, name: str | None = None) -> Table:
    """A Table from a GeoPackage on disk, or from uploaded bytes."""
    name = name or path.name
    if data is None:
        if not path.exists():
            raise FileUnusable(_("{file}: the file does not exist").format(file=name))
        return _read_file(path, name)
    if len(data) > MAX_FILE_BYTES:
        raise FileUnusable(_too_big(name))
    with tempfile.TemporaryDirectory(prefix="incidents-upload-") as folder:
        target = Path(folder) / "upload.gpkg"
        target.write_bytes(data)
        return _read_file(target, name)


def _read_file(path: Path, name: str) -> Table:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise FileUnusable(_too_big(name))
    with path.open("rb") as handle:
        if handle.read(16) != _SQLITE_MAGIC:
            said = _("{file}: this is not a GeoPackage (not an SQLite file)")
            raise FileUnusable(said.format(file=name), wrong_kind=True)
    import pyogrio

    errors = pyogrio.errors
    try:
        layer = _layer_within_limits(path, name)
        frame, broken = _layer_frame(path, layer, name)
    except (
        errors.DataSourceError, errors.DataLayerError, errors.FeatureError,
        errors.FieldError, errors.GeometryError, errors.CRSError,
    ) as error:  # fmt: skip
        said = _("{file}: the GeoPackage could not be read ({error})")
        raise FileUnusable(said.format(file=name, error=error)) from None
    except UnicodeDecodeError:  # a layer's or field's name: no row can be told apart
        said = _("{file}: the GeoPackage could not be read (a name in it is not UTF-8 text)")
        raise FileUnusable(said.format(file=name)) from None
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
            said = _("{file}: the GeoPackage's tables could not be read ({error})")
            raise FileUnusable(said.format(file=name, error=error)) from None
    table = _table(name, columns, records)
    table.problems = too_many
    for number, problems in broken.items():
        table.problems.setdefault(number, []).extend(problems)
    if layer == PREFERRED_LAYER:
        table.layout = _("GeoPackage layer '{layer}' (this tool's own layout)").format(layer=layer)
    else:
        table.layout = _("GeoPackage layer '{layer}'").format(layer=layer)
    if path.stat().st_size > tabular.MAX_CELL_CHARS:
        for number, cells in table.rows:
            tabular.flag_long_cells(table, number, cells)
    return table


def _layer_within_limits(path: Path, name: str) -> str:
    """The layer to read, once its size is known to be within the tool's limits."""
    import pyogrio

    layer = choose_layer(pyogrio.list_layers(path), name)
    info = pyogrio.read_info(path, layer=layer)
    if int(info["features"]) > MAX_ROWS:
        said = _("{file}: more than {n} features; split the file")
        raise FileUnusable(said.format(file=name, n=_number(MAX_ROWS)))
    if len(info["fields"]) > tabular.MAX_COLUMNS:
        said = _(
            "{file}: the layer {layer} has {n} fields; the tool reads at most {columns} columns"
        )
        raise FileUnusable(said.format(file=name, layer=layer, n=_number(len(info["fields"])),
                                       columns=tabular.MAX_COLUMNS))  # fmt: skip
    return layer


def _layer_frame(path: Path, layer: str, name: str) -> tuple[Any, dict[int, list[tuple[str, str]]]]:
    """The layer's features, and the rows (numbered from 1, in the layer's order) whose
    text is not UTF-8: read from a copy with that text mended (broken_text), so the
    other rows are kept and those are rejected, each field named. A layer that cannot
    be mended so is refused in one sentence, never stored with a row unaccounted for."""
    import pyogrio

    try:
        return pyogrio.read_dataframe(path, layer=layer), {}
    except UnicodeDecodeError:
        pass
    fid_column = str(pyogrio.read_info(path, layer=layer).get("fid_column") or "")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "mended.gpkg"
        try:
            fids = broken_text.mended_layer(path, layer, fid_column, copy)
            frame = pyogrio.read_dataframe(copy, layer=layer, fid_as_index=True)
        except (sqlite3.Error, ValueError, UnicodeDecodeError):
            fids, frame = {0: []}, None
    number = {} if frame is None else {int(f): at for at, f in enumerate(frame.index, start=1)}
    if frame is None or not set(fids) <= set(number):
        said = _(
            "{file}: the layer {layer} holds text that is not UTF-8, and the tool cannot "
            "tell which rows; save the file's text as UTF-8 and import it again"
        )
        raise FileUnusable(said.format(file=name, layer=layer))
    said = _(broken_text.NOT_UTF8)
    problems = {number[f]: [(c, said) for c in cs] for f, cs in fids.items()}
    return frame.reset_index(drop=True), problems


def choose_layer(layers: Any, name: str) -> str:
    """'incidents' if present, else the first layer of points."""
    found = [(str(n), str(g or "").casefold()) for n, g in layers]
    for layer, _kind in found:
        if layer == PREFERRED_LAYER:
            return layer
    for layer, geometry in found:
        if geometry.replace(" z", "").replace(" m", "") in POINT_TYPES:
            return layer
    none = _("no geometry")
    kinds = ", ".join(f"{n} ({g or none})" for n, g in found) or _("none")
    said = _("{file}: the GeoPackage has no point layer (layers: {layers})")
    raise FileUnusable(said.format(file=name, layers=kinds))


def _too_big(name: str) -> str:
    said = _("{file}: the file is larger than {mb} MB")
    return said.format(file=name, mb=_number(MAX_FILE_BYTES // 2**20))


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
            said = _("the record has {n} sources; at most {most} are imported")
            reason = said.format(n=_number(len(cited)), most=MAX_SOURCES)
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
        said = _(
            "{file}: the table {table} has no incident_id column, so its rows cannot be matched "
            "to incidents; remove that table or export the records again"
        )
        raise FileUnusable(said.format(file=name, table=table))
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
