"""What an export is made from: rows read from the store for one viewer, and context.

The store applies the access rules when the rows are read; nothing downstream goes
back to the store except through read_selection, so no export can show more than
the viewer it was read for may see.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from incidents import translation
from incidents.access import Viewer
from incidents.export import people_words
from incidents.export.caption import counts_line, selection_hash
from incidents.export.profiles import Profile, profile_for
from incidents.query import Query
from incidents.record import Source
from incidents.schema import CONFIDENTIAL_FIELDS
from incidents.store.base import Store
from incidents.translation import ngettext

SOURCE_LIMIT = 200_000  # tables list every source up to this many incidents
FACE_SOURCE_LIMIT = 20_000  # images and decks list publishers: a sample is enough, and says so
# What images, decks and the HTML map draw or print: reading only these keeps a
# 100k-incident export fast (all columns take several times longer to read).
DRAWING_COLUMNS = (
    "id", "version", "type", "title", "date_start", "date_end", "date_precision",
    "date_kind", "place", "admin1_code", "latitude", "longitude", "location_precision",
    "location_uncertainty_km", "verification", "killed_best", "disappeared_best",
    "displaced_best", "killed_min", "disappeared_min", "displaced_min",
)  # fmt: skip


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
    country: str = "LY"
    version: str = ""  # set when the rows are not held (a selection drawn as cells)
    sources_sampled: bool = False  # sources read for an even sample, not the first ones
    people: tuple[str, ...] | None = None  # people_lines when the rows are not held
    merged: int = 0  # source records merged into the incidents shown (each counted once)

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

    def counts_line(self, shown: int | None = None, outside_view: int = 0) -> str:
        n = int(self.located.sum()) - outside_view if shown is None else shown
        return counts_line(n, self.not_shown(outside_view))

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
    store: Store,
    query: Query,
    viewer: Viewer,
    *,
    link: str = "",
    confidential: bool = False,
    source_limit: int = SOURCE_LIMIT,
    country: str = "LY",
    columns: Sequence[str] | None = None,
) -> Selection:
    """Read the rows, the exclusion counts and the sources an export needs, as viewer.

    columns=None reads every column the viewer may see (tables); confidential=True adds
    the confidential ones where the viewer is entitled and the profile allows them.
    """
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
        country=country,
        merged=merged_count(store, viewer, ids),
    )


def merged_count(store: Store, viewer: Viewer, ids: Sequence[str]) -> int:
    """Records merged into these (incidents.store.merges): what an export says."""
    from incidents.store.merges import merge_links
    from incidents.store.record_store import RecordStore

    if not ids or not isinstance(store, RecordStore):
        return 0
    shown = set(ids)
    return sum(link.kept_id in shown for link in merge_links(store, viewer))


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


def selection_from_frame(
    rows: pd.DataFrame,
    query: Query | None = None,
    *,
    profile: Profile | None = None,
    link: str = "",
    sources: dict[str, tuple[Source, ...]] | None = None,
    excluded: dict[str, int] | None = None,
) -> Selection:
    """A Selection from rows read elsewhere (tests, benchmarks, synthetic data)."""
    from incidents.export.profiles import get_profile

    return Selection(
        query=query or Query(),
        profile=profile or get_profile("public"),
        rows=rows.reset_index(drop=True),
        excluded=excluded or {},
        sources=sources or {},
        link=link,
    )
