"""Who is reading, and what the public view rules do to the data they get.

Applied by the stores where rows are read, so no page, cache or export can get
around it: restricted records are not selected for the public, confidential fields
are selected only for those entitled, and public locations and dates are coarsened
before anything is counted or drawn (where a located record is shown: the one rule
in incidents/public_place.py).

Every other field that could give back what coarsening hid follows the same rule:
record times (created_at, updated_at) and the edit count (version) are dropped, a
place name is shown only as the town the point is shown at, or for records known no
finer than a district, and a source's date is shown only to
the month for a record whose public date is its month (public_sources).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from incidents.dates import parse_date
from incidents.public_place import COARSE_PRECISIONS, public_points
from incidents.record import Source


class Role(StrEnum):
    """public: anyone; viewer: staff who read; editor: staff who write; admin: all."""

    PUBLIC = "public"
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"


@dataclass(frozen=True)
class Viewer:
    """The person (or script) on whose behalf data is read or written."""

    name: str
    role: Role

    @property
    def sees_restricted(self) -> bool:
        return self.role is not Role.PUBLIC

    @property
    def sees_confidential(self) -> bool:
        return self.role in (Role.EDITOR, Role.ADMIN)

    @property
    def sees_exact_locations(self) -> bool:
        return self.role is not Role.PUBLIC

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.EDITOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def cache_key(self) -> str:
        """What a cache of rows must be keyed by: the records and values this viewer sees
        (Visibility.key) and whether confidential columns come with them."""
        confidential = "+confidential" if self.sees_confidential else ""
        return Visibility.of(self).key + confidential


@dataclass(frozen=True)
class Visibility:
    """What a kind of viewer sees of the records: the one access policy of reads.

    Two rules, each gated on one property of the viewer:
    - which records: restricted ones only for those who sees_restricted (one SQL
      predicate, sql(); Incident reads check the same flag);
    - how they look: exact points, dates, place names and record times only for those
      who sees_exact_locations; everyone else gets them as coarsen_for_public and
      public_day_range make them (the public rules, this module and public_place.py).
    Both are false for the public and true for staff today; they are kept apart so a
    role that differs in one cannot borrow the other's rule by accident. key is what
    every cache of what a viewer sees (the column snapshot, a page's cached reads) is
    keyed by; confidential fields are columns asked for by name, not part of it.
    """

    restricted: bool
    exact: bool

    @classmethod
    def of(cls, viewer: Viewer) -> Visibility:
        return cls(restricted=viewer.sees_restricted, exact=viewer.sees_exact_locations)

    @property
    def key(self) -> str:
        """'exact' (staff), 'public', or the two rules spelled out for a mixed role."""
        if self.restricted == self.exact:
            return "exact" if self.exact else "public"
        return (
            f"{'restricted' if self.restricted else 'public'}-{'exact' if self.exact else 'coarse'}"
        )

    def shows(self, sensitivity: str) -> bool:
        """A record of this sensitivity is one this viewer reads (sql(), in Python)."""
        return self.restricted or sensitivity == "public"

    def sql(self, alias: str = "i") -> str:
        """The records this viewer may read, as a SQL condition on the incidents table."""
        return "1=1" if self.restricted else f"{alias}.sensitivity = 'public'"


PUBLIC = Viewer("public", Role.PUBLIC)
SYSTEM = Viewer("system", Role.ADMIN)


GRID_VAR = "INCIDENTS_PUBLIC_GRID_KM"
FALLBACK_GRID_VAR = "INCIDENTS_PUBLIC_FALLBACK_GRID_KM"
LEVEL_VAR = "INCIDENTS_PUBLIC_LEVEL"
LEVELS = ("town", "district")
MIN_GRID_KM = 1.0


def _env_km(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    try:
        return float(text) if text else default
    except ValueError:
        raise ValueError(f"{name}='{text}' is not a number of kilometres") from None


def _env_level() -> str:
    return os.environ.get(LEVEL_VAR, "").strip().lower() or "town"


@dataclass(frozen=True)
class PublicRules:
    """Where the public sees a located record (the rule itself: public_place.py).

    level "town" (the default): at the town the record names, when that is a populated
    place of the bundled gazetteer near the site; records known only to their district
    at the district's centre; every other site at the centre of its cell
    of a fallback_grid_km grid. level "district": every record at its district's centre
    (the grid where the district is unknown). grid_km > 0: every record at its cell of
    that grid. Records known only to their country: no public point, on any level.
    Defaults come from INCIDENTS_PUBLIC_LEVEL, INCIDENTS_PUBLIC_GRID_KM and
    INCIDENTS_PUBLIC_FALLBACK_GRID_KM, so every store and export of an instance applies
    the same configured rules.
    """

    grid_km: float = field(default_factory=lambda: _env_km(GRID_VAR, 0.0))
    fallback_grid_km: float = field(default_factory=lambda: _env_km(FALLBACK_GRID_VAR, 10.0))
    level: str = field(default_factory=_env_level)

    def __post_init__(self) -> None:
        # A grid finer than a kilometre would be "rounding" in all but name.
        if self.grid_km != 0 and not self.grid_km >= MIN_GRID_KM:
            raise ValueError(f"the public grid must be 0 (no grid) or >= {MIN_GRID_KM} km")
        if not self.fallback_grid_km >= MIN_GRID_KM:
            raise ValueError(f"the fallback grid must be >= {MIN_GRID_KM} km")
        if self.level not in LEVELS:
            raise ValueError(f"{LEVEL_VAR} must be one of {', '.join(LEVELS)}")

    @property
    def basis(self) -> str:
        """'grid', 'district' or 'town': what a located record is snapped to first."""
        return "grid" if self.grid_km > 0 else self.level

    @property
    def cell_km(self) -> float:
        """The grid of records not shown at a town or district."""
        return self.grid_km if self.grid_km > 0 else self.fallback_grid_km


# Place names of records known no finer than these say no more than the public point
# (the record's own text; a town-shown record shows the gazetteer's name of the town).
PUBLIC_PLACE_PRECISIONS = COARSE_PRECISIONS

# Times of writing can be the day of the incident (a grave entered the day it was
# found); an edit count that rises with no visible change says a hidden field changed.
PUBLIC_HIDDEN_COLUMNS = (
    "created_by", "updated_by", "location_uncertainty_km", "created_at", "updated_at", "version",
)  # fmt: skip


def coarsen_for_public(frame: pd.DataFrame, rules: PublicRules | None = None) -> pd.DataFrame:
    """Snap points and dates as the public view rules say; return a new frame."""
    rules = rules or PublicRules()
    out = frame.drop(columns=[c for c in PUBLIC_HIDDEN_COLUMNS if c in frame.columns])
    if len(out):
        points = public_points(out, rules)
        if "place" in out.columns:
            out["place"] = points.place
        if "admin1_code" in out.columns:
            out["admin1_code"] = points.district
        if "admin1" in out.columns:  # the district's name goes with its code
            out["admin1"] = out["admin1"].where(points.district != "", "")
        if {"latitude", "longitude"} <= set(out.columns):
            out["latitude"], out["longitude"] = points.lat, points.lon
            if "location_precision" in out.columns:
                located = points.precision != ""
                out.loc[located, "location_precision"] = points.precision[located]
    if "public_date_to_month" in out.columns:
        out = _months_only(out)
    return out


def public_day_range(
    start: np.ndarray, end: np.ndarray, monthly: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers (days since 1970) as the public sees them: a month-only record's
    range widened to its months' first and last days (new arrays; others unchanged)."""
    start, end = start.astype(np.int64), end.astype(np.int64)
    if not monthly.any():
        return start, end
    first = start[monthly].astype("datetime64[D]").astype("datetime64[M]")
    last = end[monthly].astype("datetime64[D]").astype("datetime64[M]") + 1
    start[monthly] = first.astype("datetime64[D]").astype(np.int64)
    end[monthly] = last.astype("datetime64[D]").astype(np.int64) - 1
    return start, end


def _months_only(frame: pd.DataFrame) -> pd.DataFrame:
    mask = frame["public_date_to_month"].fillna(False).astype(bool).to_numpy()
    if not mask.any():
        return frame
    out = frame.copy()
    days = [
        pd.to_datetime(out.loc[mask, c]).to_numpy("datetime64[D]").astype(np.int64)
        for c in ("date_start", "date_end")
    ]
    start, end = public_day_range(days[0], days[1], np.ones(len(days[0]), bool))
    for name, values in (("date_start", start), ("date_end", end)):
        out.loc[mask, name] = np.datetime_as_string(
            values.astype("datetime64[D]"), unit="D"
        ).tolist()
    if "date_precision" in out.columns:
        out.loc[mask & (out["date_precision"] == "day"), "date_precision"] = "month"
    return out


def public_source_date(text: str) -> str:
    """A source's date no finer than a month ('2020-06'), or '' when it cannot be read.

    For records whose public date is their month: a report published the day after an
    incident dates the incident. A date that cannot be read is dropped, not guessed.
    """
    text = (text or "").strip()
    if not text:
        return ""
    try:
        parsed = parse_date(text)
    except ValueError:  # DateError, or anything else parse_date refuses
        return ""
    start, end = parsed.start, parsed.end
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%Y-%m}"
    return f"{start:%Y}" if start.year == end.year else ""


def public_sources(
    sources: Mapping[str, tuple[Source, ...]], month_only: Mapping[str, bool] | None
) -> dict[str, tuple[Source, ...]]:
    """Sources as the public may see them: dates to the month for month-only records.

    month_only maps a record id to its public_date_to_month; None (or an id it lacks)
    counts as month-only, so a caller that does not know never shows a day.
    """
    out: dict[str, tuple[Source, ...]] = {}
    for incident_id, items in sources.items():
        if month_only is not None and not month_only.get(incident_id, True):
            out[incident_id] = items
            continue
        out[incident_id] = tuple(
            Source(s.title, s.publisher, public_source_date(s.date), s.url, s.sha256) for s in items
        )
    return out


# A map position that leaves the app where someone who does not see exact sites may read
# it: a link made by staff (pasted in a message, printed on an exported slide) or the
# frame of a public export. Tried as an editor would: a link copied after opening a
# record named its exact site to five decimals, and the public map opened centred on
# it; a restricted record a search had zoomed to was named the same way. Such positions
# are named only to this step (about 11 km, coarser than the town a public view shows
# an exact site at); a record open in the view travels as its reference, which each
# reader sees only as their own access allows.
SHARED_STEP_DEG = 0.1


def shared_point(lat: float, lon: float) -> tuple[float, float]:
    """A position rounded to SHARED_STEP_DEG."""
    step = SHARED_STEP_DEG
    return round(round(lat / step) * step, 1) + 0.0, round(round(lon / step) * step, 1) + 0.0


def shared_extent(
    extent: tuple[float, float, float, float],
) -> tuple[float, float, float, float]:
    """A frame (west, south, east, north) grown outwards to whole steps of
    SHARED_STEP_DEG: it holds what it held, and its edges and centre name no site."""
    step = SHARED_STEP_DEG
    west, south, east, north = extent
    low = [round(np.floor(v / step + 1e-9) * step, 1) for v in (west, south)]
    high = [round(np.ceil(v / step - 1e-9) * step, 1) for v in (east, north)]
    if high[0] <= low[0]:
        high[0] = round(low[0] + step, 1)
    if high[1] <= low[1]:
        high[1] = round(low[1] + step, 1)
    return (low[0], low[1], high[0], high[1])
