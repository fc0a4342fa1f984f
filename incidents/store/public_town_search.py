"""The public's text search finds the records the public map shows in the town it names.

The public map puts a located record at its recorded town (incidents.public_place). The
text index holds a place name for the public only where the stored place says no more
than the public point (records known to their district or country: text_index,
sql.add_text), so "Tarhuna" found none of the records drawn at Tarhuna. This finds them:
records the public reads, located finer than a district, that could be shown at a town
the text names: within the town rule's reach of the town the gazetteer finds for the
text (any spelling, either script: "Tarhouna", "ترهونة"), or whose stored place holds
one of the search's needles (text_index.search_needles). A candidate is kept only when
its public point is a town whose name, as the public sees it, holds a needle.

The match is judged on the town the public sees, never on the record's own place text:
a site name ("the farm on the Bani Walid road") found by a search would confirm the
site the public point was moved away from, and a record whose site is shown at a grid
cell or its district is not found by the town's name. A spelling found only in another
script's part of a name ("Tarh" for a place written "ترهونة") does not find it.
Asking the gazetteer about the text is the public rule's own question
(public_place asks it about each record's place), so both agree on what names a town.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any, Protocol

import pandas as pd

from geodata import geocode_many
from incidents.access import PUBLIC_PLACE_PRECISIONS, PublicRules, Visibility
from incidents.public_place import TOWN_RADIUS_KM, public_points
from incidents.query import Query
from incidents.store import text_index
from incidents.store.sql import Where, lookup_where

_KM_PER_DEGREE = 111.32
_RTREE = "rtree_incidents_geom"  # the GeoPackage's spatial index of the points (id = fid)
# What the public rule reads (incidents.public_place.public_points), and the fid.
_COLUMNS = (
    "fid", "latitude", "longitude", "admin1_code", "location_precision", "place", "country",
)  # fmt: skip


class _Reads(Protocol):
    public_rules: PublicRules
    like: str

    def _fetch(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]: ...


def town_fids(reads: _Reads, query: Query, seen: Visibility) -> list[int]:
    """fids of the records this (public) viewer reads that match the query's tag,
    perpetrator and id filters and are shown at a town its text names; [] for staff,
    whose search reads every place name already."""
    if seen.exact or not query.text.strip():
        return []
    needles = text_index.search_needles(query.text)
    where = lookup_where(dataclasses.replace(query, text=""), reads.like)
    where.add(seen.sql())
    where.add("i.latitude IS NOT NULL AND i.longitude IS NOT NULL")
    coarse = ", ".join(f"'{p}'" for p in PUBLIC_PLACE_PRECISIONS)  # searched by their place
    where.add(f"COALESCE(i.location_precision, '') NOT IN ({coarse})")
    _place_holds(where, needles, reads.like, _town_boxes(query.text))
    select = ", ".join(f"i.{c}" for c in _COLUMNS)
    rows = reads._fetch(f"SELECT {select} FROM incidents i WHERE {where.sql()}", where.params)
    if not rows:
        return []
    frame = pd.DataFrame.from_records(rows, columns=list(_COLUMNS))
    points = public_points(frame, reads.public_rules)
    folded = [n.casefold() for n in needles]
    return [
        int(fid)
        for fid, shown, name in zip(frame["fid"], points.precision, points.place, strict=True)
        if shown == "town" and any(n in str(name).casefold() for n in folded)
    ]


def _town_boxes(text: str) -> list[tuple[float, float, float, float]]:
    """(south, north, west, east) around each town the gazetteer confidently finds for
    the text, in the countries a search knows, as far as the town rule reaches."""
    term = text.strip()
    out = []
    for country in text_index.search_countries():
        found = geocode_many([term], country).get(term)
        town = found.best if found is not None and found.confident else None
        if town is None:
            continue
        d_lat = TOWN_RADIUS_KM / _KM_PER_DEGREE
        d_lon = d_lat / max(math.cos(math.radians(town.lat)), 0.01)
        out.append((town.lat - d_lat, town.lat + d_lat, town.lon - d_lon, town.lon + d_lon))
    return out


def _place_holds(
    where: Where,
    needles: tuple[str, ...],
    like: str,
    boxes: list[tuple[float, float, float, float]],
) -> None:
    """The site is in one of the boxes or the stored place holds one of the needles,
    through indexes: in the GeoPackage its R-tree and the FTS5 table's place column
    (needles of three characters or more; shorter ones by LIKE), in PostGIS the point's
    GiST index and ILIKE (its trigram index)."""
    if like == "LIKE":
        _sqlite_candidates(where, needles, boxes)
        return
    parts = ["i.geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)" for _ in boxes]
    params: list[Any] = [float(v) for s, n, w, e in boxes for v in (w, s, e, n)]
    for needle in needles:
        parts.append(f"i.place {like} %s ESCAPE '\\'")
        params.append("%" + _escape(needle) + "%")
    where.add("(" + " OR ".join(parts) + ")", *params)


def _sqlite_candidates(
    where: Where, needles: tuple[str, ...], boxes: list[tuple[float, float, float, float]]
) -> None:
    selects = [
        f"SELECT id FROM {_RTREE} WHERE maxx >= %s AND minx <= %s AND maxy >= %s AND miny <= %s"
        for _ in boxes
    ]
    params: list[Any] = [float(v) for s, n, w, e in boxes for v in (w, e, s, n)]
    long = [n for n in needles if len(n) >= text_index.MIN_TRIGRAM]
    if long:
        phrases = " OR ".join(text_index.fts_phrase(n) for n in long)
        selects.append(f"SELECT rowid FROM {text_index.FTS} WHERE {text_index.FTS} MATCH %s")
        params.append("{place} : (" + phrases + ")")
    parts = [f"i.fid IN ({' UNION '.join(selects)})"] if selects else []
    for needle in needles:
        if len(needle) < text_index.MIN_TRIGRAM:
            parts.append("i.place LIKE %s ESCAPE '\\'")
            params.append("%" + _escape(needle) + "%")
    where.add("(" + " OR ".join(parts) + ")", *params)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
