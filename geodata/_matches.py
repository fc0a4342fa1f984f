"""Candidate places, results, and the rule that says when a result is confident.

Kept apart from the search itself (``geodata.gazetteer``) so the rule can be
read, and tested, on its own: the best candidate scores >= 90, and every
rival within 5 points is the same place (within 10 km: GeoNames lists some
towns twice) or, for an exact name, at most a tenth as populous.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from geodata import districts
from geodata._places import Place

CONFIDENT_SCORE = 90.0
RIVAL_MARGIN = 5.0
SAME_PLACE_KM = 10.0
POPULATION_RATIO = 10.0


@dataclass(frozen=True)
class PlaceMatch:
    """One candidate place; ``admin1`` comes from the district polygon, not GeoNames."""

    name: str
    geonameid: int
    lat: float
    lon: float
    country: str
    admin1: str | None
    admin1_code: str | None
    score: float
    precision: str
    matched: str
    population: int
    geonames_admin1: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "admin1": self.admin1,
            "admin1_code": self.admin1_code,
            "score": self.score,
            "precision": self.precision,
            "geonameid": self.geonameid,
            "country": self.country,
        }


@dataclass(frozen=True)
class GeocodeResult:
    """Candidates for one query, best first; ``best`` is None unless confident.

    ``country`` is the country searched (None: the world); ``assumed_country``
    is set when that country was the project default, not the record's own;
    ``note`` says in one sentence why a result is not confident.
    """

    query: str
    matches: tuple[PlaceMatch, ...]
    confident: bool = False
    country: str | None = None
    assumed_country: str | None = None
    note: str = ""

    @property
    def best(self) -> PlaceMatch | None:
        return self.matches[0] if self.confident and self.matches else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "confident": self.confident,
            "country": self.country,
            "assumed_country": self.assumed_country,
            "note": self.note,
            "matches": [m.to_dict() for m in self.matches],
        }


def km_between(lat1: float, lon1: float, lat2: float, lon2: float, earth: float = 6371.0) -> float:
    """Great-circle distance (haversine), enough to tell duplicates from namesakes."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * earth * math.asin(min(1.0, math.sqrt(h)))


def is_confident(matches: tuple[PlaceMatch, ...] | list[PlaceMatch]) -> bool:
    """Apply the confidence rule (module docstring) to candidates ranked best first."""
    if not matches or matches[0].score < CONFIDENT_SCORE:
        return False
    best = matches[0]
    for rival in matches[1:]:
        if rival.score < best.score - RIVAL_MARGIN:
            break
        near = km_between(best.lat, best.lon, rival.lat, rival.lon) <= SAME_PLACE_KM
        if rival.geonameid == best.geonameid or near:
            continue
        dominant = best.population >= POPULATION_RATIO * max(rival.population, 1)
        if best.score >= 100.0 and dominant:
            continue
        return False
    return True


def place_match(
    place: Place, score: float, spelling: str, code: str | None, lookup: bool
) -> PlaceMatch:
    if lookup:
        found = districts.district_at(place.lat, place.lon, place.country)
        code = found.code if found else None
    district = districts.district_by_code(code) if code else None
    return PlaceMatch(
        name=place.name,
        geonameid=place.geonameid,
        lat=place.lat,
        lon=place.lon,
        country=place.country,
        admin1=district.name_en if district else None,
        admin1_code=code,
        score=round(score, 1),
        precision="town",
        matched=spelling,
        population=place.population,
        geonames_admin1=place.geonames_admin1 or None,
    )
