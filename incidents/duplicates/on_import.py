"""What an import says about duplicates: how many of its rows look like incidents
already stored, so that an editor reviews them (nothing is merged on import).

Why apart from the importer: the look is optional work with its own limits. It reads
only the stored records of the rows' days (rows_like_existing, below), and is
skipped, with a note saying so, when those records and the file's rows are more than
MAX_COMPARED, or for a viewer who may not see every record (the review is staff's; a
count that hid restricted records would be wrong). Rows of records already stored
are not looked at: their pairs were there to review before this file.

Cost measured on this machine (CPU time, GeoPackage,
benchmarks/import_duplicates_bench.py --rounds 4, alternated runs): the 9-row example,
none; a first import into an empty store, none (nothing of its days is stored: one
COUNT, and not even the rows' ids are looked up);
10,000 synthetic rows into a store of 10,000 records of the same years, +22% of the
import without the look over 32 rounds (+0.9 s on 3.9 s at load 7 to 22; single runs
+5% to +32%; the goal is at most +25%; docs/benchmarks.md). The search reads only the
fields it profiles of the stored records of the rows' days (store/profile_reads.py,
not whole records) and profiles them, so the size of the store, not of the file, sets
the cost; above MAX_COMPARED `python -m incidents duplicates` lists the pairs for the
whole store at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from incidents.access import Viewer
from incidents.duplicates.scoring import DAY_WINDOW, DEFAULT_THRESHOLD, Match
from incidents.duplicates.search import find_candidates
from incidents.record import Incident
from incidents.report import ImportReport
from incidents.store.merges import count_between, merge_links, merged_keys, not_same_pairs
from incidents.store.profile_reads import facts_between
from incidents.store.record_store import RecordStore
from incidents.translation import ngettext, number

MAX_COMPARED = 20_000  # rows + stored records of their days; above, the look is skipped


def skipped_large(most: int) -> str:
    """The note an import report shows when the look was skipped, in the reader's
    language (the number as the language writes it)."""
    said = ngettext(
        "not looked for at import: the file's rows and the stored records of their days "
        "are more than {n}; list them with `python -m incidents duplicates`",
        "not looked for at import: the file's rows and the stored records of their days "
        "are more than {n}; list them with `python -m incidents duplicates`",
        most,
    )
    return said.format(n=number(most))


def count_like_existing(report: ImportReport, store: RecordStore, viewer: Viewer,
                        rows: Sequence[Incident]) -> None:  # fmt: skip
    """Set report.like_existing (new rows that look like a stored record, each once;
    a row of a record already stored was there to review before),
    or report.like_existing_note when the look was skipped. Called before the rows
    are written, so a row never finds itself or another row of its own file."""
    if not rows or not viewer.sees_restricted or not count_between(store, _span(rows)):
        return  # nothing stored of those days: no pair (a first import reads no ids)
    stored = store.existing_ids([r.id for r in rows], [])
    gone = store.deleted_among(list(rows))  # merged away or deleted: left as they are
    new = [r for r in rows if r.id not in stored and r.id not in gone]
    found = rows_like_existing(store, viewer, new, most=MAX_COMPARED)
    if found is None:
        report.like_existing_note = skipped_large(MAX_COMPARED)
        return
    report.like_existing = len({m.a for m in found})


def rows_like_existing(
    store: RecordStore,
    viewer: Viewer,
    rows: Sequence[Incident],
    min_score: float = DEFAULT_THRESHOLD,
    most: int | None = None,
) -> list[Match] | None:
    """Pairs of an import's rows (a) and stored records (b) that look like one incident:
    what an import summary counts. Only stored records within the rows' days (and the
    search's window around them) are read, and only the fields the search profiles
    (store/profile_reads.py: the same profiles as of the whole records, at a fraction
    of the cost of reading them whole); None, and nothing read, when rows and those
    records together are more than `most`."""
    if not rows:
        return []
    span = _span(rows)
    if most is not None and len(rows) + count_between(store, span) > most:
        return None
    stored = facts_between(store, viewer, span)
    if not stored:  # nothing of those days: no pair to find (a first import is not slowed)
        return []
    return find_candidates(
        stored,
        rows,
        min_score=min_score,
        sees_restricted=viewer.sees_restricted,
        not_same=not_same_pairs(store),
        merged_ids=merged_keys(merge_links(store, viewer)),
    )


def _span(rows: Sequence[Incident]) -> tuple[date, date]:
    """The days a stored record must touch to be compared with rows (DAY_WINDOW around)."""
    window = timedelta(days=DAY_WINDOW)
    first, last = min(r.date_start for r in rows), max(r.date_end for r in rows)
    return max(first, date.min + window) - window, min(last, date.max - window) + window
