"""What an image of a large selection is made from: the column index, not the rows.

The index is the one for the export's viewer (column_load keys it by what that viewer
sees: public records coarsened for the public, everything exact for staff), so the
counts, points and dates here are the ones read_selection would have read. Only the
sources of an even sample of the incidents are read from the store (their ids first),
as the face of an image names publishers, never every source.
"""

from __future__ import annotations

import pandas as pd

from incidents import count_totals
from incidents.access import PublicRules, Viewer
from incidents.export import people_words
from incidents.export.cells import Tally, sample_fids, tally
from incidents.export.placement_words import rules_words
from incidents.export.profiles import profile_for
from incidents.export.selection import DRAWING_COLUMNS, Selection, excluded_counts
from incidents.query import Query
from incidents.store.column_index import ColumnIndex
from incidents.store.record_store import RecordStore

SAMPLE_SOURCES = 3_000  # about 0.3 s of reading at 1M; publishers repeat, a sample names them


def read_cells(
    store: RecordStore,
    index: ColumnIndex,
    query: Query,
    viewer: Viewer,
    *,
    link: str = "",
    country: str = "LY",
    sample: int = SAMPLE_SOURCES,
) -> tuple[Selection, Tally]:
    """The face's context (exclusions, sources, version) and the counts, as viewer."""
    profile = profile_for(viewer)
    counted = tally(index, query, profile.name)
    excluded = excluded_counts(index.count, query, counted.total)
    if counted.undrawable:
        excluded["imprecise"] = excluded.get("imprecise", 0) + counted.undrawable
    fids = sample_fids(index, query, sample)
    # date_start too: rows_for sorts by it and fails for staff without it
    read = store.rows_for(fids, viewer, ["id", "date_start"]) if fids else None
    ids = read["id"].astype(str).tolist() if read is not None else []
    selection = Selection(
        query=query,
        profile=profile,
        rows=pd.DataFrame({c: pd.Series(dtype=object) for c in DRAWING_COLUMNS}),
        excluded=excluded,
        sources=store.sources(ids, viewer),
        sources_complete=len(ids) >= counted.total,
        link=link,
        country=country,
        version=counted.version,
        sources_sampled=True,
        people=tuple(people_lines(index, query)),
    )
    return selection, counted


def people_lines(index: ColumnIndex, query: Query) -> list[str]:
    """count_totals.people_lines for the selection, summed by the index."""
    totals = {
        what: count_totals.summed(index.district_totals(query, f"{what}_best"))
        for what in count_totals.PEOPLE
    }
    return people_words.lines_for(totals)


def coarsening_note(viewer: Viewer, rules: PublicRules) -> str:
    """How the public rules placed the incidents before they were counted ('' for staff)."""
    if viewer.sees_exact_locations:
        return ""
    return rules_words(rules)
