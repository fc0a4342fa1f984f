"""Reading the column index from a store, and keeping it on disk between restarts.

Reading a million records' indexed columns takes about 10 s here (the driver makes a
Python tuple per row); the arrays saved as one .npz load in well under a second.
The file is named by the store's identity and data version, so an edit or another
store never reuses it; it holds exact points of restricted records for staff
indexes, so it is written only to a private directory (0700) the app owns.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from incidents.access import PublicRules, Viewer, coarsen_for_public
from incidents.store.column_index import MEASURE_COLUMNS, ColumnIndex, FidLookup
from incidents.store.summaries import Summaries

CACHE_VAR = "INCIDENTS_INDEX_CACHE"


def cached_index(store: Summaries, viewer: Viewer, directory: Path | None = None) -> ColumnIndex:
    """The index for this viewer, from the disk cache when this data version was read
    before (by this or an earlier server process), else read and saved."""
    folder = directory or Path(os.environ.get(CACHE_VAR) or _default_dir(store))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{_key(store, viewer)}.npz"
    lookup = _lookup(store, viewer)
    if path.exists():
        try:
            return ColumnIndex.load(path, lookup)
        except (OSError, ValueError, KeyError):
            path.unlink(missing_ok=True)
    index = build_index(store, viewer)
    handle, temp = tempfile.mkstemp(dir=folder, suffix=".part")
    os.close(handle)
    index.save(Path(temp))
    os.replace(temp, path)  # readers never see half a file
    _prune(folder, keep=6)
    return index


def _default_dir(store: Summaries) -> Path:
    """Beside a GeoPackage store (so the copy lives, and is deleted, with the data it
    copies); a private folder in the temporary directory for a PostGIS store."""
    path = getattr(store, "path", None)
    if isinstance(path, Path):
        return path.with_name(path.name + ".index")
    return Path(tempfile.gettempdir()) / f"incidents-index-{os.getuid()}"


def _key(store: Summaries, viewer: Viewer) -> str:
    """The store's identity (its first audit entry is unique to it), data version and
    last record, with what this viewer sees and the public rules in force."""
    first = store._fetch("SELECT hash FROM audit_log ORDER BY seq LIMIT 1", [])
    top = store._fetch("SELECT MAX(fid) AS m FROM incidents", [])
    access = "exact" if viewer.sees_exact_locations and viewer.sees_restricted else "public"
    parts = [
        getattr(store, "url", ""), first[0]["hash"] if first else "", store_version(store),
        str(top[0]["m"] if top else ""), access, repr(store.public_rules), "v1",
    ]  # fmt: skip
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def store_version(store: Summaries) -> str:
    rows = store._fetch("SELECT value FROM store_meta WHERE key = 'data_version'", [])
    return str(rows[0]["value"]) if rows else "0"


def _lookup(store: Summaries, viewer: Viewer) -> FidLookup:
    return lambda q: store.matching_fids(q, viewer)


def _prune(folder: Path, keep: int) -> None:
    files = sorted(folder.glob("*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)
    for part in folder.glob("*.part"):  # left by a process killed mid-write
        if time.time() - part.stat().st_mtime > 3600:
            part.unlink(missing_ok=True)


def build_index(store: Summaries, viewer: Viewer) -> ColumnIndex:
    """The index of what this viewer sees in the store (read once per data version)."""
    chunks = [*read_chunks(store, viewer)] or [_empty()]
    return ColumnIndex.build(chunks, _lookup(store, viewer))


_READ = ("type", "verification", "date_kind", "location_precision", "admin1_code")


def read_chunks(store: Summaries, viewer: Viewer, size: int = 200_000) -> Iterator[pd.DataFrame]:
    """The visible records' indexed columns, a chunk at a time, coarsened for the public."""
    public = not viewer.sees_exact_locations
    visible = "i.sensitivity = 'public'" if public else "1=1"
    days = [store.epoch_day_sql.format(c) for c in ("date_start", "date_end")]
    select = ", ".join(
        ["i.fid", *(f"i.{c}" for c in _READ), *days, _MONTHLY, "i.latitude", "i.longitude"]
        + [f"i.{m}" for m in MEASURE_COLUMNS]
    )
    names = ["fid", *_READ, "start", "end", "by_month", "latitude", "longitude", *MEASURE_COLUMNS]
    last = -1
    while True:
        _, rows = store.tuples(
            f"SELECT {select} FROM incidents i WHERE {visible} AND i.fid > %s "
            f"ORDER BY i.fid LIMIT {int(size)}",
            [last],
        )
        if not rows:
            return
        last = int(rows[-1][0])
        frame = pd.DataFrame.from_records(rows, columns=names, coerce_float=True)
        del rows
        yield _compact(frame, store.public_rules if public else None)


_MONTHLY = "COALESCE(CAST(i.public_date_to_month AS INTEGER), 0)"


def _compact(frame: pd.DataFrame, public: PublicRules | None) -> pd.DataFrame:
    """Only what the index keeps, in small types; points and dates coarsened for the public."""
    precision = frame["location_precision"].fillna("").astype(str)
    out = pd.DataFrame({"fid": frame["fid"].to_numpy(np.int64)})
    out["has_latitude"] = frame["latitude"].notna().to_numpy()
    start = frame["start"].to_numpy(np.int64)
    end = frame["end"].to_numpy(np.int64)
    if public is not None:
        places = frame[["latitude", "longitude", "admin1_code", "location_precision"]]
        coarse = coarsen_for_public(places, public)
        frame = frame.assign(latitude=coarse["latitude"], longitude=coarse["longitude"])
        precision = coarse["location_precision"].fillna("").astype(str)
        start, end = _months(start, end, frame["by_month"].to_numpy(np.int64) == 1)
    lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(float)
    lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(float)
    out["start"], out["end"] = start.astype(np.int32), end.astype(np.int32)
    out["latitude"], out["longitude"] = lat, lon
    out["drawable"] = ~np.isnan(lat) & ~np.isnan(lon) & (precision != "country").to_numpy()
    out["stored_precision"] = frame["location_precision"].fillna("").astype("category")
    for name in ("type", "verification", "date_kind", "admin1_code"):
        out[name] = frame[name].fillna("").astype("category")
    for name in MEASURE_COLUMNS:
        out[name] = pd.to_numeric(frame[name], errors="coerce").astype(np.float32)
    return out


def _months(start: np.ndarray, end: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, ...]:
    """Dates of month-only records as their months' first and last days (as for the public)."""
    if not mask.any():
        return start, end
    start, end = start.copy(), end.copy()
    first = start[mask].astype("datetime64[D]").astype("datetime64[M]")
    last = end[mask].astype("datetime64[D]").astype("datetime64[M]") + 1
    start[mask] = first.astype("datetime64[D]").astype(np.int64)
    end[mask] = last.astype("datetime64[D]").astype(np.int64) - 1
    return start, end


def _empty() -> pd.DataFrame:
    names = ["fid", *_READ, "start", "end", "by_month", "latitude", "longitude", *MEASURE_COLUMNS]
    return _compact(pd.DataFrame({c: pd.Series(dtype=object) for c in names}), None)
