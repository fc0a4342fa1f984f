"""The public's text search finds the records the public map shows at the town it names.

The public map puts a located record at its recorded town (incidents.public_place). The
text index holds a place name for the public only where the stored place says no more
than the public point (records known to their district or country: text_index,
sql.add_text), so "Tarhuna" found none of the records drawn at Tarhuna. This finds them:
when the gazetteer confidently names a town for the search text (any spelling, either
script: "Tarhuna", "Tarhouna", "ترهونة"), the records whose public point is that town's
point. Asking the gazetteer about the text is the public rule's own question
(public_place asks it about each record's place), so both agree on what names a town.

The match is on the public point alone, as the public snapshot holds it (the column
index the map draws from), never on the record's own place text or its site: a site
shown at a grid cell or its district, a site's own name ("the farm on the Bani Walid
road") and a part of a name ("Tarh") find nothing here. Reading the snapshot keeps the
search a comparison of two arrays, whatever the number of records near the town.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from geodata import geocode_many
from geodata.spellings import same_place_names
from incidents.access import PUBLIC_PLACE_PRECISIONS, Viewer, Visibility
from incidents.query import Query
from incidents.store import text_index
from incidents.store.sql import lookup_where
from incidents.validation import clean_text

if TYPE_CHECKING:
    from incidents.store.column_index import ColumnIndex


class _Reads(Protocol):
    like: str
    fids_per_read: int

    def _fetch(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]: ...

    def _fid_condition(self, fids: np.ndarray) -> str: ...


def town_fids(reads: _Reads, query: Query, viewer: Viewer, data: tuple[str, ...] = ()) -> list[int]:
    """fids of the records this (public) viewer reads that are shown at the town the
    query's text names and match its tag, perpetrator and id filters; [] for staff,
    whose search reads every place name already, and for a text naming no town."""
    seen = Visibility.of(viewer)
    if seen.exact or not query.text.strip():
        return []
    towns = named_towns(query.text, data)
    if not towns:
        return []
    snapshot: Callable[[Viewer], ColumnIndex] | None = getattr(reads, "snapshot", None)
    if snapshot is None:  # every store has it (RecordStore.snapshot): the map's read model
        return []
    index = snapshot(viewer)
    keep = np.zeros(len(index), dtype=bool)
    for lat, lon in towns:
        keep |= (index.lat == lat) & (index.lon == lon)
    at = np.flatnonzero(keep)  # the few at the town: the precision is checked on those only
    coarse = [
        i for i, p in enumerate(index.labels["stored_precision"]) if p in PUBLIC_PLACE_PRECISIONS
    ]
    precision = index.codes["stored_precision"][at]
    at = at[~np.isin(precision, np.asarray(coarse, dtype=precision.dtype))]
    fids: list[int] = index.fid[at].tolist()
    if fids and (query.tags or query.perpetrators or query.ids):
        where = lookup_where(dataclasses.replace(query, text=""), reads.like)
        where.add(seen.sql())
        if len(fids) <= reads.fids_per_read:  # those rows only, not every row (1 s at 1M)
            where.add(reads._fid_condition(np.asarray(fids)))
        allowed = {int(r["fid"]) for r in reads._fetch(_select(where.sql()), where.params)}
        fids = [f for f in fids if f in allowed]
    return fids


def named_towns(text: str, data: tuple[str, ...] = ()) -> list[tuple[float, float]]:
    """The point of the town the gazetteer confidently finds for the text, in each
    country a search knows (text_index.search_countries(data)), when the text is one
    of the town's names: the rule by which staff's search adds its spellings. Found in
    a browser walk: "Tarhuna's" (the geocoder reads past the "'s") found the town's
    nine records for the public and one for staff."""
    term = clean_text(text)  # as search_needles reads it
    countries = text_index.search_countries(data)
    out = []
    for country in countries if same_place_names(term, countries) else ():
        found = geocode_many([term], country).get(term)
        town = found.best if found is not None and found.confident else None
        if town is not None:
            out.append((float(town.lat), float(town.lon)))
    return out


def _select(condition: str) -> str:
    return f"SELECT i.fid AS fid FROM incidents i WHERE {condition}"
