"""What a person asks the store for: a time window, a place and filters.

A Query is plain data so the same question can be answered by the GeoPackage store,
the PostGIS store, put in a URL, or stamped on an exported image.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from incidents.schema import PRECISION_RANK

DateMode = Literal["overlaps", "within"]


@dataclass(frozen=True)
class Query:
    """Filters for the incidents to show; empty tuples mean 'no filter'."""

    date_from: date | None = None
    date_to: date | None = None
    date_mode: DateMode = "overlaps"
    date_kinds: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    perpetrators: tuple[str, ...] = ()
    verification: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2, as records store them
    admin1_codes: tuple[str, ...] = ()
    max_precision: str | None = None
    tags: tuple[str, ...] = ()
    text: str = ""
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    ids: tuple[str, ...] = ()
    include_unlocated: bool = True

    def replace(self, **changes: Any) -> Query:
        return dataclasses.replace(self, **changes)

    def precisions(self) -> tuple[str, ...]:
        """The location precisions this query keeps (all when max_precision is unset)."""
        if self.max_precision is None:
            return ()
        limit = PRECISION_RANK[self.max_precision]
        return tuple(code for code, rank in PRECISION_RANK.items() if rank <= limit)
