"""What an export is made from: rows read for one viewer, and context.

The store applies the access rules when the rows are read; nothing downstream goes
back to the store except through read_selection, so no export can show more than
the viewer it was read for may see. A large selection is read from the column index
of the same viewer instead (coarsened for the public, as the rows would be): one light
row per incident (type, district, dates, a point only where the map can place it),
which the images then count in squares (cells.py) and the deck's other slides sum.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from geodata import FALLBACK_COUNTRY, countries_of
from incidents import count_totals, translation
from incidents.access import PublicRules, Viewer
from incidents.export import people_words
from incidents.export.caption import counts_line, selection_hash
from incidents.export.placement_words import rules_words
from incidents.export.profiles import Profile, profile_for
from incidents.query import Query
from incidents.record import Source
from incidents.schema import CONFIDENTIAL_FIELDS
from incidents.store.column_index import ColumnIndex
from incidents.store.merges import merge_links
from incidents.store.record_store import RecordStore
from incidents.translation import ngettext

SOURCE_LIMIT = 200_000  # tables list every source up to this many incidents
FACE_SOURCE_LIMIT = 20_000  # images and decks list publishers: a sample is enough, and says so
IndexPart = tuple[ColumnIndex, np.ndarray]  # an index and which of its records are selected
SAMPLED_SOURCES = 3_000  # a selection read from the index: about 0.3 s of reading at 1M
# What images, decks and the HTML map draw or print: reading only these keeps a
# 100k-incident export fast (all columns take several times longer to read).
DRAWING_COLUMNS = (
    "id", "version", "type", "title", "date_start", "date_end", "date_precision",
    "date_kind", "place", "admin1_code", "latitude", "longitude", "location_precision",
    "location_uncertainty_km", "verification", "killed_best", "disappeared_best",
    "displaced_best", "killed_min", "disappeared_min", "displaced_min",
)  # fmt: skip


def _mapped(rows: pd.DataFrame, country: str) -> dict[str, Any]:
    """Selection's country and countries: the one asked for, else the data's."""
    if country:
        return {"country": country.upper(), "countries": (country.upper(),)}
    codes = rows["admin1_code"] if "admin1_code" in rows.columns else pd.Series([], dtype=object)
    found = countries_of(codes.value_counts().items())
    return {"country": found[0] if found else FALLBACK_COUNTRY, "countries": found}


@dataclass(frozen=True)
class Selection:
    """Rows for one profile plus what the face of an export must say about them."""

    query: Query
    profile: Profile
    rows: pd.DataFrame
    excluded: dict[str, int] = field(default_factory=dict)
    sources: dict[str, tuple[Source, ...]] = field(default_factory=dict)
    sources_complete: bool = True
    link: str = ""
    exported_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    country: str = FALLBACK_COUNTRY  # the map's country: outlines, districts, locator
    countries: tuple[str, ...] = ()  # every country the incidents are in, most first
    version: str = ""  # set when the rows were read from the column index
    sources_sampled: bool = False  # sources read for an even sample, not the first ones
    people: tuple[str, ...] | None = None  # people_lines when the rows hold no counts
    merged: int = 0  # source records merged into the incidents shown (each counted once)
    counted: bool = False  # read from the column index: images count it in squares
    placing: str = ""  # how the public rules placed the points counted ('' for staff)
    # the rules the rows were coarsened with (the store's): what a deck's notes name
    public_rules: PublicRules = field(default_factory=PublicRules)

    @functools.cached_property
    def data_version(self) -> str:
        return self.version or selection_hash(self.rows, self.profile.name)

    @functools.cached_property
    def located(self) -> pd.Series:
        """Rows that can be drawn: a point and a precision finer than the country."""
        rows = self.rows
        if rows.empty:
            return pd.Series(dtype=bool)
        ok = rows["latitude"].notna() & rows["longitude"].notna()
        if "location_precision" in rows.columns:
            ok &= rows["location_precision"] != "country"
        return ok

    def not_shown(self, outside_view: int = 0) -> dict[str, int]:
        """Why incidents are missing from a map: imprecise, unverified, outside window/view."""
        out = dict(self.excluded)
        undrawable = int((~self.located).sum())
        out["imprecise"] = out.get("imprecise", 0) + undrawable
        if outside_view:
            out["outside the map view"] = outside_view
        return out

    def counts_line(self, shown: int | None = None) -> str:
        n = int(self.located.sum()) if shown is None else shown
        return counts_line(n, self.not_shown())

    def people_lines(self) -> list[str]:
        """People killed, disappeared, displaced as count_totals adds them up: 'at least
        N' where a best estimate is missing, 'unknown' where no number is given."""
        if self.people is not None:
            return list(self.people)
        return people_words.people_lines(self.rows)

    def merged_line(self) -> str:
        """How many source records were merged into what is shown: a total of merged
        incidents counts each once, and the reader is told so ('' when none)."""
        if not self.merged:
            return ""
        return ngettext(
            "{n} source record merged into the incidents shown (each incident counted once)",
            "{n} source records merged into the incidents shown (each incident counted once)",
            self.merged,
        ).format(n=translation.number(self.merged))

    def exported_on(self) -> str:
        return self.exported_at.strftime("%Y-%m-%d %H:%M UTC")

    def source_list(self) -> list[tuple[Source, int]]:
        """Distinct sources with how many incidents cite each, most cited first."""
        counts: dict[tuple[str, str, str, str], tuple[Source, int]] = {}
        for items in self.sources.values():
            for s in items:
                key = (s.publisher, s.title, s.date, s.url)
                src, n = counts.get(key, (s, 0))
                counts[key] = (src, n + 1)
        return sorted(counts.values(), key=lambda sn: (-sn[1], sn[0].publisher, sn[0].title))

    def publishers(self) -> list[str]:
        """Publishers of the sources, most cited first."""
        seen: dict[str, int] = {}
        for src, n in self.source_list():
            name = src.publisher or src.title or src.url
            seen[name] = seen.get(name, 0) + n
        return sorted(seen, key=lambda p: -seen[p])


def read_selection(
    store: RecordStore,
    query: Query,
    viewer: Viewer,
    *,
    link: str = "",
    confidential: bool = False,
    source_limit: int = SOURCE_LIMIT,
    country: str = "",
    columns: Sequence[str] | None = None,
    index: ColumnIndex | None = None,
) -> Selection:
    """Read the rows, the exclusion counts and the sources an export needs, as viewer.

    columns=None reads every column the viewer may see (tables); confidential=True adds
    the confidential ones where the viewer is entitled and the profile allows them.
    index: the viewer's column index, to read a large selection from (counted=True).
    country: the map's country; "" takes it from the incidents' districts (_mapped).
    """
    if index is not None:
        return _read_counted(store, index, query, viewer, link, country)
    profile = profile_for(viewer)
    if confidential and viewer.sees_confidential and profile.confidential_in_tables:
        from incidents.store.columns import INCIDENT_COLUMN_NAMES

        columns = [*(columns or INCIDENT_COLUMN_NAMES), *CONFIDENTIAL_FIELDS]
    rows = store.query(query, viewer, list(columns) if columns else None)
    excluded = excluded_counts(lambda q: store.count(q, viewer), query, len(rows))
    ids = rows["id"].astype(str).tolist() if "id" in rows.columns else []
    sources = store.sources(ids[:source_limit], viewer)
    return Selection(
        query=query,
        profile=profile,
        rows=rows,
        excluded=excluded,
        sources=sources,
        sources_complete=len(ids) <= source_limit,
        link=link,
        **_mapped(rows, country),
        merged=merged_count(store, viewer, ids),
        public_rules=store.public_rules,
    )


def _read_counted(
    store: RecordStore, index: ColumnIndex, query: Query, viewer: Viewer, link: str, country: str
) -> Selection:
    """read_selection from the index; only the sources of an even sample of the
    incidents are read from the store (the face of an image names publishers)."""
    profile = profile_for(viewer)
    keep = index.mask(query)
    fids = index.fid[keep]
    if len(fids) > SAMPLED_SOURCES:
        fids = fids[np.linspace(0, len(fids) - 1, SAMPLED_SOURCES).astype(np.int64)]
    # date_start too: rows_for sorts by it and fails for staff without it
    read = (
        store.rows_for([int(f) for f in fids], viewer, ["id", "date_start"]) if len(fids) else None
    )
    ids = read["id"].astype(str).tolist() if read is not None else []
    rows = index_frame(index, keep)
    return Selection(
        query=query,
        profile=profile,
        rows=rows,
        excluded=excluded_counts(index.count, query, len(rows)),
        sources=store.sources(ids, viewer),
        sources_complete=len(ids) >= len(rows),
        link=link,
        **_mapped(rows, country),
        version=_index_version(index, keep, profile.name),
        sources_sampled=True,
        people=tuple(_people_lines(index, query)),
        merged=merged_count(store, viewer, None, (index, keep)),
        counted=True,
        placing="" if viewer.sees_exact_locations else rules_words(store.public_rules),
        public_rules=store.public_rules,
    )


def index_frame(index: ColumnIndex, keep: np.ndarray) -> pd.DataFrame:
    """One row per match, in the index's (date) order: type, admin1_code, date_start,
    date_end, and latitude/longitude only where the map can place the incident."""
    drawable = index.drawable[keep]

    def labelled(name: str) -> pd.Categorical[str]:
        labels = pd.Index(index.labels[name])
        return pd.Categorical.from_codes(index.codes[name][keep], categories=labels)

    return pd.DataFrame(
        {
            "type": labelled("type"),
            "admin1_code": labelled("admin1_code"),
            "date_start": pd.to_datetime(index.start[keep], unit="D"),
            "date_end": pd.to_datetime(index.end[keep], unit="D"),
            "latitude": np.where(drawable, index.lat[keep], np.nan),
            "longitude": np.where(drawable, index.lon[keep], np.nan),
        }
    )


def _index_version(index: ColumnIndex, keep: np.ndarray, profile: str) -> str:
    """Short, stable hash of what is drawn and counted (records, types, dates, points)."""
    digest = hashlib.sha256(profile.encode())
    digest.update("\x1f".join(index.labels["type"]).encode())
    for array in (index.fid, index.codes["type"], index.start, index.end, index.lat, index.lon):
        digest.update(np.ascontiguousarray(array[keep]).tobytes())
    return digest.hexdigest()[:10]


def _people_lines(index: ColumnIndex, query: Query) -> list[str]:
    """people_words.people_lines for the selection, summed by the index."""
    totals = {
        what: count_totals.summed(index.district_totals(query, f"{what}_best"))
        for what in count_totals.PEOPLE
    }
    return people_words.lines_for(totals)


def merged_count(
    store: RecordStore, viewer: Viewer, ids: Sequence[str] | None, index: IndexPart | None = None
) -> int:
    """Records merged into these (incidents.store.merges): what an export says. A
    selection read from the index (index: it and the selection's mask) holds no ids: the
    ids of the records merged into are looked up in it instead (few; read by fid)."""
    links = merge_links(store, viewer) if ids or index is not None else []
    if index is not None and links:
        column, keep = index
        kept = keep & column.mask(Query(ids=tuple(sorted({link.kept_id for link in links}))))
        fids = [int(f) for f in column.fid[kept]]
        read = store.rows_for(fids, viewer, ["id", "date_start"]) if fids else None
        ids = read["id"].astype(str).tolist() if read is not None else []
    shown = set(ids or ())
    return sum(link.kept_id in shown for link in links)


def excluded_counts(count: Callable[[Query], int], query: Query, shown: int) -> dict[str, int]:
    """Incidents left out by the window, verification and precision filters, in turn
    (count answers for the export's viewer: the store, or its column index).

    Each filter is relaxed on top of the previous ones, so the parts add up and no
    incident is counted twice.
    """
    steps: list[tuple[str, dict[str, Any]]] = [
        ("outside the window", {"date_from": None, "date_to": None}),
        ("unverified", {"verification": ()}),
        ("imprecise", {"max_precision": None}),
    ]
    out: dict[str, int] = {}
    relaxed, before = query, shown
    for why, change in steps:
        candidate = relaxed.replace(**change)
        if candidate == relaxed:
            continue
        relaxed = candidate
        total = count(relaxed)
        out[why] = max(total - before, 0)
        before = total
    return out
