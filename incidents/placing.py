"""Give each validated record an honest place: checked point, district, or geocode.

Rows with coordinates are checked against the country they name, read from the
names ACLED, UCDP and researchers write (incidents.country_names): a point within
25 km of it is kept, since the bundled outlines are simplified and ports and border
towns fall just outside them (incidents.borders); one farther away is refused, saying
where it is and how far (swapped latitude and longitude is the commonest slip).
Kept points are given their district by point-in-polygon.
Rows with only a place name are geocoded offline; a weak or ambiguous match is
never taken silently: the record is kept, unconfirmed, with the candidates noted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

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
from incidents.borders import NEAR_KM, area_borders, has_outline, km_from_country, uncoded_area
from incidents.country_names import country_code, country_label
from incidents.record import Incident
from incidents.schema import PRECISION_RANK
from incidents.translation import _
from incidents.validation import Problem


@dataclass(frozen=True)
class Placed:
    """A record after placing, or the problem that stopped it, and a note for review."""

    incident: Incident | None
    problems: tuple[Problem, ...] = ()
    review: str = ""
    defaulted: bool = False  # its country is the project's default (it named none)


def country_name(iso2: str) -> str:
    """'Tunisia (TN)': how a country is named in messages."""
    return f"{country_label(iso2)} ({iso2})"


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
    for country in {c for _name, c in to_geocode}:
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
    # A row naming no country is in its point's country (or, off a simplified coast, its
    # snapped district's): the default is for rows with neither (a South Sudan file was
    # refused point by point as "1709 km from Libya"; a Lebanese port as "at sea").
    own = {k: c or getattr(district_of[k], "country", None) for k, c in country_at.items()}
    countries = [
        own.get(id(i)) or c if not i.country.strip() and i.has_point else c
        for i, c in zip(incidents, countries, strict=True)
    ]
    placed = [
        _place_one(i, c, results, district_of.get(id(i)), country_at.get(id(i)))
        for i, c in zip(incidents, countries, strict=True)
    ]
    # Said in the summary: rows that took the project's default country (named none,
    # and had no point in any country to take one from).
    return [
        replace(p, defaulted=True)
        if not i.country.strip() and not own.get(id(i)) and p.incident is not None
        else p
        for i, p in zip(incidents, placed, strict=True)
    ]


def _place_one(
    incident: Incident,
    country: str | None,
    geocoded: dict[tuple[str, str], GeocodeResult],
    district: District | None,
    country_at_point: str | None,
) -> Placed:
    if country is None:
        message = _(
            "'{country}' is not a country this tool knows; write one country's name (e.g. "
            "Libya) or its ISO code (LY or LBY)"
        ).format(country=incident.country)
        return Placed(None, (Problem("country", message),))
    if incident.country != country:
        incident = incident.replace(country=country)
    if incident.has_point:
        return _check_point(incident, country, district, country_at_point)
    if incident.place:
        return _from_geocode(incident, geocoded[(incident.place, country)])
    return _from_district(incident, _("no coordinates and no place name"))


def _check_point(
    incident: Incident, country: str, district: District | None, where: str | None
) -> Placed:
    """A point in, or within NEAR_KM of, the country its row names is kept (outlines
    are simplified: ports and border towns fall just outside); one farther away is
    refused, naming where it is and how far, or saying the coordinates look swapped."""
    lat, lon = incident.latitude, incident.longitude
    assert lat is not None and lon is not None
    review = ""
    if where != country and not has_outline(country):  # Réunion, Tuvalu...
        said = _("the bundled outlines do not draw {country}: point not checked")
        review = said.format(country=country_name(country))
    elif where != country and not _belongs(lat, lon, country, where):
        return Placed(None, (Problem("latitude", _far_message(lat, lon, country, where)),))
    if district is not None and district.country != country:
        district = None  # a border town just across the line: not the other's district
    if district is not None and incident.location_precision != "country":
        admin1 = incident.admin1 or district.name_en
        if (incident.admin1_code, incident.admin1) != (district.code, admin1):
            incident = incident.replace(admin1_code=district.code, admin1=admin1)
    return Placed(incident, review=review)


def _belongs(lat: float, lon: float, country: str, where: str | None) -> bool:
    """Outside the outline of its country, a point still belongs to it when near it,
    or in (or near, on its coast) a code-less area bordering it (Somaliland for Somalia)."""
    if where is None:
        area = uncoded_area(lat, lon, within_km=NEAR_KM)
        if area is not None and area_borders(area, country):
            return True
    return km_from_country(lat, lon, country) <= NEAR_KM


def _far_message(lat: float, lon: float, country: str, where: str | None) -> str:
    named = country_name(country)
    if abs(lon) <= 90 and country_of_point(lon, lat) == country:
        said = _(
            "{lat}, {lon} is outside {country} but {lon}, {lat} is inside: latitude and "
            "longitude look swapped"
        )
        return said.format(lat=lat, lon=lon, country=named)
    area = uncoded_area(lat, lon) if where is None else None
    km = f"{km_from_country(lat, lon, country):.0f}"
    if where is not None or area is not None:
        said = _(
            "the point {lat}, {lon} is in {area}, {km} km from {country}; check the coordinates"
        )
        shown = country_name(where) if where is not None else area
        return said.format(lat=lat, lon=lon, area=shown, km=km, country=named)
    said = _(
        "the point {lat}, {lon} is not in any country (at sea?), {km} km from {country}; "
        "check the coordinates"
    )
    return said.format(lat=lat, lon=lon, km=km, country=named)


def _from_geocode(incident: Incident, result: GeocodeResult) -> Placed:
    best = result.best
    if best is None:
        match = _("{name} ({district}, score {score})")
        names = "; ".join(
            match.format(name=m.name, district=m.admin1 or "?", score=f"{m.score:.0f}")
            for m in result.matches[:3]
        )
        if names:
            said = _("'{place}' was not matched with confidence; candidates: {names}")
        else:
            said = _("'{place}' was not matched with confidence; no candidates")
        note = said.format(place=incident.place, names=names)
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
            review=_("{why}; kept without a point").format(why=why),
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
        review=_("{why}; placed at the centre of {district} district").format(
            why=why, district=district.name_en
        ),
    )
