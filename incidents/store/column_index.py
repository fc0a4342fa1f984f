"""A compact, typed copy of the columns the map filters and sums, one per data version.

Why: with a million records, every count, grid or histogram in SQL reads every
matching row, text and all: 2-5 s each on SQLite here, and a filter change needs
several. The same filters over numpy arrays take milliseconds. The copy holds no
text (about 60 bytes a record: codes, day numbers, points, three counts), is built
by column_load.py (already coarsened for the public). mask() is the product's one
evaluator of a Query: the map, every export and RecordStore.query/count use it.
tests/store/test_one_evaluator.py checks it against the pandas and SQL oracles of
tests/sql_oracles.py on random records and queries, tests/store/test_aggregates.py its
counts, grids and histograms, and tests/store/test_column_patch.py that a patched index
equals a full read. Text, tag, perpetrator and id filters go to the store, which returns
the matching fids (for the public, the search leaves out the place names public rows
blank: reads.RecordReads.matching_fids).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from incidents import count_totals, grid, time_spread
from incidents.query import Query

_EPOCH = date(1970, 1, 1)
# precision: as this viewer sees it (the filters); stored_precision: as the record holds
# it (whether the public is shown its place: public_town_search).
_CODED = (
    *("type", "verification", "date_kind", "precision", "stored_precision"),
    *("admin1_code", "country"),
)
MEASURE_COLUMNS = (
    *("killed_best", "disappeared_best", "displaced_best"),
    *("killed_min", "disappeared_min", "displaced_min"),  # count_totals: unknown is not zero
)
_PLAIN = ("fid", "start", "end", "lat", "lon", "has_latitude", "drawable")
FidLookup = Callable[[Query], "Sequence[int] | np.ndarray"]


@dataclass(frozen=True)
class IndexMeta:
    """Where an index was read from: enough to patch it later (column_patch.py)
    instead of reading it again. The defaults mean 'unknown': never patched."""

    identity: str = ""  # the store, the kind of viewer and the public rules (column_load)
    audit_seq: int = -1  # the store's last audit entry when it was read
    audit_hash: str = ""
    records: int = -1  # every record in the store then, visible to this viewer or not
    patches: int = 0  # times patched since it was read in full


@dataclass
class ColumnIndex:
    """The visible records of one store, data version and kind of viewer, as arrays."""

    fid: np.ndarray
    codes: dict[str, np.ndarray]  # column -> int16 code per record
    labels: dict[str, list[str]]  # column -> the value each code stands for
    start: np.ndarray  # days since 1970 (coarsened for the public)
    end: np.ndarray
    lat: np.ndarray  # float64, NaN without a point (coarsened for the public)
    lon: np.ndarray
    has_latitude: np.ndarray  # a point as this viewer sees it (include_unlocated acts on it)
    drawable: np.ndarray
    measures: dict[str, np.ndarray]
    lookup: FidLookup | None = None  # text/tag/perpetrator/id filters, answered by the store
    version: str = ""  # the store's data version it was read at (set by whoever caches it)
    meta: IndexMeta = field(default_factory=IndexMeta)
    _found: dict[Query, np.ndarray] = field(default_factory=dict, repr=False)
    # What other modules compute from this snapshot alone (pyramid.build's grid levels),
    # kept with it: a snapshot never changes (a patch makes a new one).
    derived: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)
    # The filters' choices for list columns (perpetrators, tags) as the store read them for
    # this snapshot's viewers (app_pages/common.choices keeps them here, apart from the
    # views above, which come and go).
    choices: dict[str, list[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, chunks: Iterable[pd.DataFrame], lookup: FidLookup | None = None) -> ColumnIndex:
        """From column_load.read_chunks; rows end up in date order (then fid). Built a
        column at a time: a concat and sort of whole frames held three copies of them and
        the coded columns as Python strings (+200 MB over a 64 MB result at 1M)."""
        parts = list(chunks)
        if not parts:
            raise ValueError("build from at least one (possibly empty) chunk")
        order = np.lexsort((_joined(parts, "fid"), _joined(parts, "start")))
        codes: dict[str, np.ndarray] = {}
        labels: dict[str, list[str]] = {}
        for name in _CODED:
            codes[name], labels[name] = _coded(parts, name, order)
        return cls(**_plain_arrays(parts, order), codes=codes, labels=labels, lookup=lookup)

    def save(self, path: Path) -> None:
        """All arrays in one uncompressed .npz (loads in well under a second at 1M)."""
        arrays: dict[str, Any] = {k: getattr(self, k) for k in _PLAIN}
        arrays |= {f"meta_{k}": np.asarray(v) for k, v in asdict(self.meta).items()}
        arrays |= {f"code_{k}": v for k, v in self.codes.items()}
        arrays |= {f"label_{k}": np.asarray(v, dtype=str) for k, v in self.labels.items()}
        arrays |= {f"measure_{k}": v for k, v in self.measures.items()}
        with open(path, "wb") as out:
            np.savez(out, **arrays)

    @classmethod
    def load(cls, path: Path, lookup: FidLookup | None = None) -> ColumnIndex:
        with np.load(path, allow_pickle=False) as data:
            plain = {k: data[k] for k in _PLAIN}
            return cls(
                **plain,
                codes={k: data[f"code_{k}"] for k in _CODED},
                labels={k: [str(v) for v in data[f"label_{k}"]] for k in _CODED},
                measures={k: data[f"measure_{k}"] for k in MEASURE_COLUMNS},
                lookup=lookup,
                meta=_meta(data),
            )

    def __len__(self) -> int:
        return len(self.fid)

    def nbytes(self) -> int:
        arrays = [self.fid, self.start, self.end, self.lat, self.lon, self.has_latitude]
        arrays += [self.drawable, *self.codes.values(), *self.measures.values()]
        return int(sum(a.nbytes for a in arrays))

    # --- filtering -------------------------------------------------------------------

    def mask(self, query: Query) -> np.ndarray:
        """Which records match the query (all its filters, the box on the points held)."""
        keep = np.ones(len(self), dtype=bool)
        for name, wanted in (
            ("type", query.types),
            ("verification", query.verification),
            ("date_kind", query.date_kinds),
            ("admin1_code", query.admin1_codes),
            ("country", query.countries),
            ("precision", query.precisions()),
        ):
            if wanted:
                allowed = [i for i, v in enumerate(self.labels[name]) if v in set(wanted)]
                keep &= np.isin(self.codes[name], np.asarray(allowed, dtype=np.int16))
        keep &= self._dates(query)
        if not query.include_unlocated:
            keep &= self.has_latitude
        if query.bbox is not None:
            west, south, east, north = query.bbox
            with np.errstate(invalid="ignore"):
                keep &= (self.lat >= south) & (self.lat <= north)
                keep &= (self.lon >= west) & (self.lon <= east)
        if query.text.strip() or query.tags or query.perpetrators or query.ids:
            keep &= np.isin(self.fid, self._lookup(query))
        return keep

    def _dates(self, query: Query) -> np.ndarray:
        keep = np.ones(len(self), dtype=bool)
        lo = None if query.date_from is None else (query.date_from - _EPOCH).days
        hi = None if query.date_to is None else (query.date_to - _EPOCH).days
        first, last = (
            (self.start, self.end) if query.date_mode == "within" else (self.end, self.start)
        )
        if lo is not None:
            keep &= first >= lo
        if hi is not None:
            keep &= last <= hi
        return keep

    def _lookup(self, query: Query) -> np.ndarray:
        """fids matching the text-like filters; asked once per distinct set of them."""
        key = Query(
            text=query.text.strip(), tags=query.tags, perpetrators=query.perpetrators, ids=query.ids
        )
        found = self._found.get(key)  # one read: another thread may clear the cache
        if found is None:  # (sessions and the export thread share one snapshot)
            if self.lookup is None:
                raise ValueError("this index cannot answer text, tag or perpetrator filters")
            if len(self._found) > 16:
                self._found.clear()
            found = np.asarray(self.lookup(key), dtype=np.int64)
            self._found[key] = found
        return found

    # --- answers (as tests/sql_oracles.SqlSummaries gives them in SQL) ----------------

    def count(self, query: Query, drawable: bool = False) -> int:
        """Matches; with drawable, only those with a point the map can draw."""
        keep = self.mask(query)
        return int((keep & self.drawable).sum() if drawable else keep.sum())

    def first_fids(self, query: Query, limit: int) -> np.ndarray:
        """fids of the first matching records in date order, for the table or markers."""
        return self.fid[np.flatnonzero(self.mask(query))[:limit]]

    def point_counts(self, query: Query, step: float) -> pd.DataFrame:
        """Drawable matches per cell of step degrees and type: latitude, longitude, type, n."""
        keep = self.mask(query) & self.drawable
        lat, lon, kind = self.lat[keep], self.lon[keep], self.codes["type"][keep]
        cols = ["latitude", "longitude", "type", "n"]
        if not len(lat):
            return pd.DataFrame({c: pd.Series(dtype=float) for c in cols})
        kinds = len(self.labels["type"])
        cells = grid.bin_points(lat, lon, step, kind, kinds)
        n = cells.counts().ravel()
        full = n > 0
        return pd.DataFrame(
            {
                "latitude": cells.means(lat).ravel()[full],
                "longitude": cells.means(lon).ravel()[full],
                "type": np.tile(np.asarray(self.labels["type"], dtype=object), len(cells))[full],
                "n": n[full],
            }
        )

    def district_counts(self, query: Query | None = None) -> Iterable[tuple[str, int]]:
        """(district code, records) for every record of the snapshot, all filters aside
        (the map's country, geodata.main_country: its outlines stay while the filters
        change), or for query's matches (what an export's title names)."""
        labels, codes = self.labels["admin1_code"], self.codes["admin1_code"]
        codes = codes if query is None else codes[self.mask(query)]
        counts = np.bincount(codes.astype(np.int64), minlength=len(labels))
        return zip(labels, counts.tolist(), strict=True)

    def drawable_points(self, query: Query) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Latitude, longitude and type code (an index into labels["type"]) of the
        drawable matches: for summaries the index does not answer itself (map levels)."""
        keep = self.mask(query) & self.drawable
        return self.lat[keep], self.lon[keep], self.codes["type"][keep]

    def histogram(self, query: Query, unit: str) -> pd.DataFrame:
        """The bars of the matches (time_spread.COLUMNS), straight from the day numbers
        (no frame of dates in between): start, end, certainty, count per day, week or
        month, a long date range spread over its bars (time_spread.py). Kept for the last
        views asked: a map move redraws the timeline with the same filters (0.11 s at
        1M), and a filter taken off again asks for bars already counted. The frame is
        shared: callers read it."""
        key = ("histogram", query, unit)
        found = self.derived.get(key)  # one read: another thread may clear it
        if found is None:
            keep = self.mask(query)
            found = time_spread.spread(self.start[keep], self.end[keep], unit)
            if len(self.derived) >= 16:
                self.derived.clear()
            self.derived[key] = found
        return found

    def date_span(self, query: Query) -> tuple[date, date] | None:
        """Earliest start and latest end of the matches (None when there are none)."""
        keep = self.mask(query)
        if not keep.any():
            return None
        lo, hi = int(self.start[keep].min()), int(self.end[keep].max())
        return (_EPOCH + timedelta(days=lo), _EPOCH + timedelta(days=hi))

    def district_totals(self, query: Query, measure: str) -> pd.DataFrame:
        """count_totals.COLUMNS per stored admin1_code ('' for none) with matches: how
        many people (or incidents) and how many records give a number at all."""
        keep = self.mask(query)
        codes = self.codes["admin1_code"][keep].astype(np.int64)
        size = len(self.labels["admin1_code"])
        if measure == "incidents":
            best = low = np.ones(len(codes))
        else:
            best = self.measures[count_totals.best_column(measure)][keep]
            low = self.measures[count_totals.low_column(measure)][keep]
        table = count_totals.grouped(codes, best, low, size)
        frame = pd.DataFrame(table, index=self.labels["admin1_code"], columns=count_totals.COLUMNS)
        return frame[frame["records"] > 0]


_PLAIN_TYPES: tuple[tuple[str, str, Any], ...] = (
    *(("fid", "fid", np.int64), ("start", "start", np.int32), ("end", "end", np.int32)),
    *(("lat", "latitude", float), ("lon", "longitude", float)),
    *(("has_latitude", "has_latitude", bool), ("drawable", "drawable", bool)),
)  # (the index's name, the compact rows' column, its type)


def _joined(parts: list[pd.DataFrame], name: str, dtype: Any = None) -> np.ndarray:
    """One column of every part, end to end."""
    return np.concatenate([part[name].to_numpy(dtype) for part in parts])


def _plain_arrays(parts: list[pd.DataFrame], order: np.ndarray) -> dict[str, Any]:
    """The uncoded arrays of compact rows (column_load._compact) in order, as the index
    types them."""
    out: dict[str, Any] = {key: _joined(parts, name, t)[order] for key, name, t in _PLAIN_TYPES}
    out["measures"] = {m: _joined(parts, m, np.float32)[order] for m in MEASURE_COLUMNS}
    return out


def _coded(parts: list[pd.DataFrame], name: str, order: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """A categorical column as int16 codes and the value each stands for, numbered in
    order of first appearance (as pandas.factorize numbers the values themselves, which
    column_patch relies on), without making a Python string per record."""
    values = union_categoricals([part[name] for part in parts], ignore_order=True)
    number, first = pd.factorize(values.codes[order])
    categories = values.categories
    return number.astype(np.int16), [str(categories[c]) for c in first]


def _meta(data: Any) -> IndexMeta:
    """The meta saved with an index; unknown (never patched) for a file without it."""
    names = [f.name for f in fields(IndexMeta)]
    if not all(f"meta_{n}" in data for n in names):
        return IndexMeta()
    return IndexMeta(**{n: data[f"meta_{n}"].item() for n in names})
