"""Reading the column index from a store, and keeping it on disk between restarts.

Reading a million records' indexed columns takes about 10 s here (the driver makes a
Python tuple per row); the arrays saved as one .npz load in well under a second.
The file is named by the store's identity (store, kind of viewer, public rules) and
data version, so an edit or another store never reuses it as it is; after an edit
the newest index of the same identity is patched with the records changed since
(column_patch.py, a fraction of a second) instead of read again. It holds exact
points of restricted records for staff indexes, so it is written only to a private
directory (0700) the app owns.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from incidents.access import PublicRules, Viewer, Visibility, public_day_range
from incidents.public_place import public_points
from incidents.store.changes import audit_mark
from incidents.store.column_index import MEASURE_COLUMNS, ColumnIndex, FidLookup, IndexMeta
from incidents.store.column_patch import merged, plan_patch
from incidents.store.freed_memory import give_back_freed_memory
from incidents.store.reads import RecordReads

CACHE_VAR = "INCIDENTS_INDEX_CACHE"


def cached_index(
    store: RecordReads,
    viewer: Viewer,
    directory: Path | None = None,
    previous: ColumnIndex | None = None,
) -> ColumnIndex:
    """The index for this viewer, from the disk cache when this data version was read
    before (by this or an earlier server process); else an older index (previous, or
    the newest on disk) patched with the records changed since (column_patch.py); else
    read in full. Saved either way."""
    folder = directory or Path(os.environ.get(CACHE_VAR) or _default_dir(store))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    identity = _identity(store, viewer)
    path = folder / f"{identity}-{version_key(store)}.npz"
    lookup = _lookup(store, viewer)
    if path.exists():
        try:
            return ColumnIndex.load(path, lookup)
        except (OSError, ValueError, KeyError):
            path.unlink(missing_ok=True)
    old = previous
    if old is None or old.meta.identity != identity:  # another kind of viewer's, say
        old = _newest(folder, identity, lookup)
    index = patch(store, viewer, old) if old is not None else None
    if index is None:
        index = build_index(store, viewer)
        give_back_freed_memory()  # the full read's rows, freed but kept by the allocator
    handle, temp = tempfile.mkstemp(dir=folder, suffix=".part")
    os.close(handle)
    index.save(Path(temp))
    os.replace(temp, path)  # readers never see half a file
    _prune(folder, keep=6)
    return index


def patch(store: RecordReads, viewer: Viewer, old: ColumnIndex) -> ColumnIndex | None:
    """old brought up to the store's present state by reading only the records changed
    since old was read; None when it cannot be (column_patch.plan_patch says why)."""
    mark = audit_mark(store)
    plan = plan_patch(store, viewer, old, _identity(store, viewer), mark)
    if plan is None:
        return None
    rows = read_records(store, viewer, plan.read)
    meta = IndexMeta(old.meta.identity, mark.seq, mark.hash, plan.records, old.meta.patches + 1)
    index = merged(old, plan.remove, rows, meta)
    if Visibility.of(viewer) == Visibility(True, True) and len(index) != plan.records:
        return None  # staff see every record: anything else is a write the log missed
    index.lookup = _lookup(store, viewer)
    return index


def _newest(folder: Path, identity: str, lookup: FidLookup) -> ColumnIndex | None:
    """The most recently written index of this store and kind of viewer, if any."""
    files = sorted(folder.glob(f"{identity}-*.npz"), key=lambda p: p.stat().st_mtime)
    for path in reversed(files):
        try:
            return ColumnIndex.load(path, lookup)
        except (OSError, ValueError, KeyError):
            continue
    return None


def _default_dir(store: RecordReads) -> Path:
    """Beside a GeoPackage store (so the copy lives, and is deleted, with the data it
    copies); a private folder in the temporary directory for a PostGIS store."""
    path = getattr(store, "path", None)
    if isinstance(path, Path):
        return path.with_name(path.name + ".index")
    return Path(tempfile.gettempdir()) / f"incidents-index-{os.getuid()}"


# Raised with every change to what a snapshot holds or how the public rule places a
# record, so that no snapshot read under the old one is used (or patched) again.
# v4: records known only to their country have no public point. v5: the country.
# v6: the precision and "has a point" as the viewer sees them (the public's coarsened).
# v7: no district for the public of a record known only to its country.
_RULES_VERSION = "v7"


def _identity(store: RecordReads, viewer: Viewer) -> str:
    """The store's identity (its first audit entry is unique to it) and schema, what
    this viewer sees and the public rules in force: indexes of one identity can be
    patched into each other."""
    row = store._fetch(  # one statement: on PostGIS each read is a new connection
        "SELECT (SELECT hash FROM audit_log ORDER BY seq LIMIT 1) AS first_hash, "
        "(SELECT value FROM store_meta WHERE key = 'schema_version') AS schema_version",
        [],
    )[0]
    parts = [
        getattr(store, "url", ""), _or_blank(row["first_hash"]), Visibility.of(viewer).key,
        repr(store.public_rules), _or_blank(row["schema_version"]), _RULES_VERSION,
    ]  # fmt: skip
    return _digest(parts, 24)


def _or_blank(value: object) -> object:
    return "" if value is None else value


def version_key(store: RecordReads) -> str:
    """The data version and last record: what a snapshot is read at (asked on every
    page run, so in one statement: on PostGIS each read is a new connection)."""
    row = store._fetch(
        "SELECT (SELECT MAX(fid) FROM incidents) AS m, "
        "(SELECT value FROM store_meta WHERE key = 'data_version') AS v",
        [],
    )[0]
    return _digest(["0" if row["v"] is None else str(row["v"]), row["m"]], 12)


def _digest(parts: list[object], size: int) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:size]


def _lookup(store: RecordReads, viewer: Viewer) -> FidLookup:
    return lambda q: store.matching_fids(q, viewer)


def _prune(folder: Path, keep: int) -> None:
    """Keep the newest snapshots. Another thread or server process may prune the same
    folder at the same moment: a file gone between listing and reading its time is
    skipped (it failed a visitor's snapshot read, seen in CI at two visibilities)."""
    files = sorted(_modified(folder, "*.npz"), reverse=True)
    for _, old in files[keep:]:
        old.unlink(missing_ok=True)
    for modified, part in _modified(folder, "*.part"):  # left by a process killed mid-write
        if time.time() - modified > 3600:
            part.unlink(missing_ok=True)


def _modified(folder: Path, pattern: str) -> list[tuple[float, Path]]:
    """The files matching pattern with their modification times, those still there."""
    out = []
    for path in folder.glob(pattern):
        try:
            out.append((path.stat().st_mtime, path))
        except FileNotFoundError:
            continue
    return out


def build_index(store: RecordReads, viewer: Viewer) -> ColumnIndex:
    """The index of what this viewer sees in the store (read once per data version),
    with where it was read (the audit entry, the record count) so it can be patched."""
    mark = audit_mark(store)
    records = store._fetch("SELECT COUNT(*) AS n FROM incidents", [])
    chunks = [*read_chunks(store, viewer)] or [_empty()]
    index = ColumnIndex.build(chunks, _lookup(store, viewer))
    count = int(records[0]["n"]) if records else 0
    index.meta = IndexMeta(_identity(store, viewer), mark.seq, mark.hash, count)
    return index


_READ = ("type", "verification", "date_kind", "location_precision", "admin1_code", "country")
_NAMES = ["fid", *_READ, "start", "end", "by_month", "latitude", "longitude", *MEASURE_COLUMNS]
# What the public rule (incidents.public_place) reads besides the point and country.
_PLACE = ("place",)


def read_chunks(store: RecordReads, viewer: Viewer, size: int = 50_000) -> Iterator[pd.DataFrame]:
    """The visible records' indexed columns, a chunk at a time, coarsened for the public."""
    last = -1
    while True:
        rows = _rows(store, viewer, f"i.fid > %s ORDER BY i.fid LIMIT {int(size)}", [last])
        if not rows:
            return
        last = int(rows[-1][0])
        frame = pd.DataFrame.from_records(rows, columns=_names(viewer), coerce_float=True)
        del rows
        yield _compact(frame, _rules(store, viewer))


def read_records(store: RecordReads, viewer: Viewer, fids: Sequence[int]) -> pd.DataFrame:
    """The indexed columns of these records, if visible, as read_chunks gives them."""
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(fids), 900):
        part = [int(f) for f in fids[start : start + 900]]
        rows += _rows(store, viewer, f"i.fid IN ({', '.join(['%s'] * len(part))})", part)
    if not rows:
        return _empty()
    frame = pd.DataFrame.from_records(rows, columns=_names(viewer), coerce_float=True)
    return _compact(frame, _rules(store, viewer))


def _names(viewer: Viewer) -> list[str]:
    return _NAMES if Visibility.of(viewer).exact else [*_NAMES, *_PLACE]


def _rows(store: RecordReads, viewer: Viewer, condition: str, params: list[Any]) -> list[Any]:
    """The visible records meeting condition, as tuples in _NAMES order."""
    seen = Visibility.of(viewer)
    days = [store.epoch_day_sql.format(c) for c in ("date_start", "date_end")]
    select = ", ".join(
        ["i.fid", *(f"i.{c}" for c in _READ), *days, _MONTHLY, "i.latitude", "i.longitude"]
        + [f"i.{m}" for m in MEASURE_COLUMNS]
        + ([] if seen.exact else [f"i.{c}" for c in _PLACE])
    )
    _, rows = store.tuples(
        f"SELECT {select} FROM incidents i WHERE {seen.sql()} AND {condition}", params
    )
    return rows


def _rules(store: RecordReads, viewer: Viewer) -> PublicRules | None:
    """The public rules to coarsen with, for a viewer who sees coarsened records."""
    return None if Visibility.of(viewer).exact else store.public_rules


_MONTHLY = "COALESCE(CAST(i.public_date_to_month AS INTEGER), 0)"


def _compact(frame: pd.DataFrame, public: PublicRules | None) -> pd.DataFrame:
    """Only what the index keeps, in small types; points (as public_place puts them) and
    dates coarsened for the public."""
    precision = frame["location_precision"].fillna("").astype(str)
    out = pd.DataFrame({"fid": frame["fid"].to_numpy(np.int64)})
    stored_point = frame["latitude"].notna().to_numpy()
    start = frame["start"].to_numpy(np.int64)
    end = frame["end"].to_numpy(np.int64)
    if public is not None:
        points = public_points(frame, public)  # the one rule (incidents.public_place)
        frame = frame.assign(latitude=points.lat, longitude=points.lon, admin1_code=points.district)
        located = points.precision != ""
        precision = precision.where(~located, pd.Series(points.precision, index=frame.index))
        start, end = public_day_range(start, end, frame["by_month"].to_numpy(np.int64) == 1)
    lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(float)
    lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(float)
    out["start"], out["end"] = start.astype(np.int32), end.astype(np.int32)
    out["latitude"], out["longitude"] = lat, lon
    out["drawable"] = ~np.isnan(lat) & ~np.isnan(lon) & (precision != "country").to_numpy()
    # The filters act on the record as this viewer sees it: a public reader's "known to
    # the exact site" or "with a point" once picked out the records whose exact site is
    # on file, though each showed as approximate (or with no point at all).
    out["has_latitude"] = stored_point if public is None else ~np.isnan(lat)
    out["precision"] = _category(precision)
    out["stored_precision"] = _category(frame["location_precision"])  # public_town_search
    for name in ("type", "verification", "date_kind", "admin1_code", "country"):
        out[name] = _category(frame[name])
    for name in MEASURE_COLUMNS:
        out[name] = pd.to_numeric(frame[name], errors="coerce").astype(np.float32)
    return out


def _category(values: pd.Series) -> pd.Series:
    """Text as a categorical of strings, blank for none: every chunk's categories of one
    type, empty chunks too, so ColumnIndex.build can join them without a string each."""
    return values.fillna("").astype(str).astype("category")


def _empty() -> pd.DataFrame:
    return _compact(pd.DataFrame({c: pd.Series(dtype=object) for c in _NAMES}), None)
