"""What the store answers for reads besides writes and the audit log: rows by id, the
ids matching the filters only SQL can answer, and a list column's values.

Every other filter (dates, types, districts, precision, the box, located or not) is
evaluated once, over the column snapshot (column_index.ColumnIndex.mask), by the map,
the exports and RecordStore.query alike. The access policy is access.Visibility:
which records a viewer reads (its one SQL predicate) and whether they are coarsened.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geodata import countries_of
from incidents.access import PublicRules, Viewer, Visibility, coarsen_for_public
from incidents.query import Query
from incidents.schema import CONFIDENTIAL_FIELDS
from incidents.store import public_town_search, text_index
from incidents.store.columns import INCIDENT_COLUMN_NAMES, INCIDENT_COLUMNS, LIST_SEPARATOR
from incidents.store.sql import lookup_where

if TYPE_CHECKING:
    from incidents.store.backend import Backend

LIST_COLUMNS = tuple(f.name for f in INCIDENT_COLUMNS if f.kind == "list")
NUMBER_COLUMNS = tuple(f.name for f in INCIDENT_COLUMNS if f.kind in ("integer", "number"))
_DATES = tuple(f.name for f in INCIDENT_COLUMNS if f.kind == "date")
_BOOLEANS = tuple(f.name for f in INCIDENT_COLUMNS if f.kind == "boolean")
_CHUNK = 900

# What coarsen_for_public reads: a public read selects these whatever it was asked for.
PUBLIC_RULE_COLUMNS = (
    "latitude", "longitude", "admin1_code", "date_start", "date_end",
    "date_precision", "public_date_to_month", "location_precision", "place", "country",
)  # fmt: skip


# fids named in one read; more are read in parts of this size and put back in order.
# Reading every visible row and picking from it cost 5.5 s and 1.3 GB for 118k of a
# million records, the parts 0.6 s and 0.36 GB; the whole million alike (docs/benchmarks.md).
_INLINE = 50_000


class RecordReads:
    """Reads by id and by text-like filter, for RecordStore (and the column snapshot)."""

    public_rules: PublicRules
    url: str
    # Dialect: the GeoPackage (SQLite) values; the PostGIS store overrides them.
    like = "LIKE"
    _text_side: bool | None = None  # text_lower's table: the store says on open, or asked
    epoch_day_sql = "CAST(julianday(i.{0}) - 2440587.5 AS INTEGER)"  # days since 1970
    fids_per_read: int = _INLINE  # SQLite's statements are limited to 1,000,000 bytes

    def _read_backend(self) -> AbstractContextManager[Backend]:
        raise NotImplementedError

    def _fid_condition(self, fids: np.ndarray) -> str:
        """SQL true for these fids (integers from the snapshot, written inline)."""
        return f"i.fid IN ({', '.join(map(str, fids.tolist()))})"

    def _fetch(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        with self._read_backend() as db:
            return db.fetch(sql, params)

    def tuples(self, sql: str, params: Sequence[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Column names and rows as plain tuples: several times cheaper than dicts for a
        large read; stores override this with their driver's fast path."""
        rows = self._fetch(sql, params)
        names = list(rows[0]) if rows else []
        return names, [tuple(r.values()) for r in rows]

    def distinct_values(self, column: str, viewer: Viewer) -> list[str]:
        """Every value a list column (perpetrators, tags) holds among visible records."""
        if column not in LIST_COLUMNS:
            raise ValueError(f"'{column}' is not a list column")
        visible = Visibility.of(viewer).sql()
        rows = self._fetch(f"SELECT DISTINCT i.{column} AS v FROM incidents i WHERE {visible}", [])
        parts = {p.strip() for r in rows for p in str(r["v"] or "").split(LIST_SEPARATOR.strip())}
        return sorted((p for p in parts if p), key=str.casefold)

    def matching_fids(self, query: Query, viewer: Viewer) -> list[int]:
        """fids of the records this viewer reads that match the query's text, tag,
        perpetrator and id filters (its other filters are the snapshot's to apply).
        For the public, the text leaves out the place names public rows blank, and finds
        the records shown at a town it names (public_town_search)."""
        seen = Visibility.of(viewer)
        data = self._data_countries(viewer) if query.text.strip() else ()
        side = self._text_side
        if side is None:  # once per store: the table is made on open, never dropped
            side = self._text_side = text_index.has_lower_table(self._fetch, self.like)
        where = lookup_where(query, self.like, public=not seen.exact, data=data, side=side)
        where.add(seen.sql())
        select, params = text_index.fid_select(query, seen, self.like, where, side, data)
        _, rows = self.tuples(text_index.packed(select, self.like), params)
        found = text_index.unpacked(rows[0][0] if rows else None)
        towns = public_town_search.town_fids(self, query, viewer, data)
        return list(dict.fromkeys([*found, *towns])) if towns else found

    def _data_countries(self, viewer: Viewer) -> tuple[str, ...]:
        """The countries this viewer's records are in (their district codes, through
        the column snapshot the map reads them from), whose towns a search knows."""
        snapshot = getattr(self, "snapshot", None)  # every store has it: RecordStore
        return countries_of(snapshot(viewer).district_counts()) if snapshot else ()

    def rows_for(self, fids: Sequence[int], viewer: Viewer, columns: Sequence[str]) -> pd.DataFrame:
        """The records with these fids (as the column snapshot found them), in the usual
        order, coarsened for the public; restricted ones are never returned to the public."""
        wanted = [c for c in columns if c in INCIDENT_COLUMN_NAMES and c not in CONFIDENTIAL_FIELDS]
        needed = list(dict.fromkeys(["id", *wanted, "date_start"]))  # date_start: the order
        seen = Visibility.of(viewer)
        if not seen.exact:
            needed = list(dict.fromkeys([*needed, *PUBLIC_RULE_COLUMNS]))
        rows: list[dict[str, Any]] = []
        select = ", ".join(f"i.{c}" for c in needed)
        for start in range(0, len(fids), _CHUNK):
            part = [int(f) for f in fids[start : start + _CHUNK]]
            marks = ", ".join(["%s"] * len(part))
            rows += self._fetch(
                f"SELECT {select} FROM incidents i WHERE i.fid IN ({marks}) AND {seen.sql()}",
                part,
            )
        frame = _typed(frame_of(rows, needed))
        if not seen.exact:  # ordered by the dates the public sees, never by the exact ones
            frame = coarsen_for_public(frame, self.public_rules)
        frame = public_order(frame)
        frame = frame[[c for c in frame.columns if c in ("id", *wanted)]]
        return frame.reset_index(drop=True)


def public_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by start date (as the frame holds it: coarsened for the public) then id."""
    if frame.empty or "date_start" not in frame.columns:
        return frame
    start = frame["date_start"].astype(str)
    order = np.lexsort((frame["id"].astype(str).to_numpy(), start.to_numpy()))
    return frame.iloc[order]


def frame_of(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as 'YYYY-MM-DD' text and booleans as 0/1, whichever driver read them."""
    for name in _DATES:
        if name in frame.columns:
            frame[name] = frame[name].map(lambda v: v.isoformat() if isinstance(v, date) else v)
    for name in _BOOLEANS:
        if name in frame.columns:
            frame[name] = frame[name].map(lambda v: None if v is None else int(bool(v)))
    for name in NUMBER_COLUMNS:
        if name in frame.columns:
            frame[name] = pd.to_numeric(frame[name], errors="coerce")
    return frame
