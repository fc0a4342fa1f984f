"""The filters only the store can answer, as a SQL WHERE clause with bound parameters.

Text, tags, perpetrators and ids need the records' text; every other filter is
evaluated over the column snapshot (column_index.ColumnIndex.mask), which asks the
store for the fids these match (reads.RecordReads.matching_fids). Both stores share
this so a filter means the same thing on GeoPackage and PostGIS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from incidents.access import PUBLIC_PLACE_PRECISIONS
from incidents.query import Query
from incidents.store import text_index, text_lower
from incidents.store.text_lower import like_escape
from incidents.store.text_marks import is_arabic, postgres_unmarked, sqlite_unmarked


@dataclass
class Where:
    """WHERE conditions and their parameters, built up one filter at a time."""

    placeholder: str = "?"
    conditions: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, condition: str, *params: Any) -> None:
        self.conditions.append(condition.replace("%s", self.placeholder))
        self.params.extend(params)

    def any_of(self, column: str, values: tuple[str, ...]) -> None:
        if values:
            marks = ", ".join([self.placeholder] * len(values))
            self.conditions.append(f"{column} IN ({marks})")
            self.params.extend(values)

    def sql(self) -> str:
        return " AND ".join(self.conditions) if self.conditions else "1=1"


def lookup_where(
    query: Query,
    like: str = "LIKE",
    *,
    public: bool = False,
    data: tuple[str, ...] = (),
    side: bool = False,
) -> Where:
    """The query's text, tag, perpetrator and id filters (its others are ignored).

    public: the text search as the public may run it (see add_text); data: the
    countries the data is in, whose towns' spellings the text also finds; side: the
    store has text_lower's table.
    """
    where = Where("%s")
    where.any_of("i.id", query.ids)
    _contains_any(where, "i.perpetrators", query.perpetrators, like)
    _contains_any(where, "i.tags", query.tags, like)
    add_text(where, query.text, like, public=public, data=data, side=side)
    return where


def add_text(
    where: Where,
    text: str,
    like: str = "LIKE",
    *,
    public: bool = False,
    data: tuple[str, ...] = (),
    side: bool = False,
) -> None:
    """The search text in the title, description, place or id.

    The text also finds records that spell the town it names another way or in another
    script (text_index.search_needles: "Tarhouna", "ترهونة" find "Tarhuna"). like "LIKE"
    is SQLite, "ILIKE" PostgreSQL. Each needle of three characters or more is answered
    by the narrow lowered copy's trigram index when the store has it (side,
    text_lower); others, a LIKE on the rows.

    For the public, a place name counts only where the public rows show it (records
    stored no finer than a district: access.coarsen_for_public blanks the others); a
    search matching a blanked name would confirm a guessed site by the count.
    """
    needles = text_index.search_needles(text, data)
    if not needles:  # control characters only: no text to look for
        return
    narrow = [n for n in needles if side and text_lower.answers(n)]
    parts: list[str] = []
    params: list[Any] = []
    if narrow:
        sql, values = text_lower.select(narrow, public, "1=1", like)
        parts.append(f"i.fid IN ({sql})")
        params.extend(values)
    for needle in needles:
        if needle not in narrow:
            sql, values = _like_text(needle, like, public)
            parts.append(sql)
            params.extend(values)
    where.add("(" + " OR ".join(parts) + ")", *params)


def _like_text(needle: str, like: str, public: bool) -> tuple[str, list[str]]:
    """One needle in any searched column by LIKE / ILIKE (short needles, PostgreSQL); an
    Arabic needle is compared with the columns without their marks (text_marks)."""
    pattern = f"%{like_escape(needle)}%"
    drop = sqlite_unmarked if like == "LIKE" else postgres_unmarked
    title, description, place = (
        drop(f"i.{c}") if is_arabic(needle) else f"i.{c}" for c in ("title", "description", "place")
    )
    place = f"{place} {like} %s ESCAPE '\\'"
    if public:
        shown = ", ".join(f"'{p}'" for p in PUBLIC_PLACE_PRECISIONS)
        place = f"({place} AND i.location_precision IN ({shown}))"
    sql = (
        f"{title} {like} %s ESCAPE '\\' OR {description} {like} %s ESCAPE '\\' "
        f"OR {place} OR i.id {like} %s ESCAPE '\\'"
    )
    return sql, [pattern] * 4


def _contains_any(where: Where, column: str, values: tuple[str, ...], like: str) -> None:
    if not values:
        return
    parts = [f"{column} {like} %s ESCAPE '\\'" for _ in values]
    where.add("(" + " OR ".join(parts) + ")", *(f"%{like_escape(v)}%" for v in values))
