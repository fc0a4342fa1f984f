"""How far a point lies from a country's outline, in kilometres on the ellipsoid.

The bundled outlines (Natural Earth 50m, simplified) draw a coast or a border to within
a few kilometres: a port (Tobruk, Lagos, Monrovia, Sfax) or a border town (Myawaddy)
often falls just outside its own country, at sea or across the line. Such a point is
not an error, so the import measures how far it is from the country its row names and
only a point more than NEAR_KM away is refused. The measure is geodesic (WGS 84, by
pyproj): the nearest point of the outline is found in a plane centred on the point and
scaled by the cosine of its latitude, then the distance to it is taken on the
ellipsoid, so 25 km means 25 km at the equator and in the Arctic alike.

Areas the outlines draw without an ISO code (Somaliland, Northern Cyprus, the Siachen
Glacier) are disputed or unrecognised: a point there belongs to the country its row
names, when that country borders the area.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyproj
import shapely
from shapely.ops import nearest_points

from geodata import countries_frame

#: A point this far or nearer (km) from the country its row names is taken as there.
NEAR_KM = 25.0
_GEOD = pyproj.Geod(ellps="WGS84")
_KM_PER_DEGREE = 111.0  # a degree of latitude, within 1%: only to size search windows
_NEAR_SEAM = 150.0  # degrees of longitude: nearer the antimeridian, differences wrap
_BORDERING_DEGREES = 0.05  # outlines that touch, give or take the simplification


@dataclass(frozen=True)
class _Outlines:
    by_code: dict[str, shapely.Geometry]
    uncoded: tuple[tuple[str, shapely.Geometry], ...]  # (name, shape) of areas with no code


@lru_cache(maxsize=1)
def _outlines() -> _Outlines:
    frame = countries_frame()
    by_code: dict[str, shapely.Geometry] = {}
    uncoded = []
    for iso2, name, geom in zip(frame.iso2, frame.name, frame.geometry, strict=True):
        if isinstance(iso2, str) and iso2:
            by_code[iso2] = shapely.union(by_code[iso2], geom) if iso2 in by_code else geom
        else:
            uncoded.append((str(name), geom))
    for geom in [*by_code.values(), *(g for _, g in uncoded)]:
        shapely.prepare(geom)
    return _Outlines(by_code, tuple(uncoded))


def has_outline(iso2: str) -> bool:
    """Whether the bundled outlines draw this country (some small islands they do not)."""
    return iso2.upper() in _outlines().by_code


def uncoded_area(lat: float, lon: float, within_km: float = 0.0) -> str | None:
    """The name of the code-less area (e.g. 'Somaliland') a point lies in, if any; or,
    given within_km, the first such area that near (Zeila, on Somaliland's coast, lies
    just outside the simplified outline, in the sea)."""
    for name, geom in _outlines().uncoded:
        if shapely.intersects_xy(geom, lon, lat):
            return name
    if within_km > 0:
        scale = max(math.cos(math.radians(lat)), 0.01)
        for name, geom in _outlines().uncoded:
            if _km(lat, lon, geom, scale) <= within_km:
                return name
    return None


def area_borders(area: str, iso2: str) -> bool:
    """Whether a code-less area touches the named country ('Somaliland', 'SO')."""
    country = _outlines().by_code.get(iso2.upper())
    shapes = [g for name, g in _outlines().uncoded if name == area]
    return country is not None and any(
        shapely.dwithin(g, country, _BORDERING_DEGREES) for g in shapes
    )


@lru_cache(maxsize=65536)
def km_from_country(lat: float, lon: float, iso2: str) -> float:
    """Geodesic distance (km) from a point to a country's outline: 0 inside it,
    infinity for a country the outlines do not draw."""
    country = _outlines().by_code.get(iso2.upper())
    if country is None:
        return math.inf
    if shapely.intersects_xy(country, lon, lat):
        return 0.0
    scale = max(math.cos(math.radians(lat)), 0.01)
    half = 2 * NEAR_KM / _KM_PER_DEGREE
    box = (lon - half / scale, lat - half, lon + half / scale, lat + half)
    window = shapely.clip_by_rect(country, *box)
    if not window.is_empty and box[0] > -180.0 and box[2] < 180.0:  # clear of the seam
        km = _km(lat, lon, window, scale)
        if km < NEAR_KM * 1.5:  # within the window's half-width: nothing outside is nearer
            return km
    return _km(lat, lon, country, scale)


def _km(lat: float, lon: float, shape: shapely.Geometry, scale: float) -> float:
    """Nearest point in a plane centred on the point (x scaled by cos(lat)), then the
    geodesic distance to it."""

    def local(xy: np.ndarray) -> np.ndarray:
        east = xy[:, 0] - lon
        if abs(lon) > _NEAR_SEAM:  # Fiji, Chukotka: measure across the antimeridian
            east = (east + 180.0) % 360.0 - 180.0
        return np.column_stack([east * scale, xy[:, 1] - lat])

    _, nearest = nearest_points(shapely.Point(0.0, 0.0), shapely.transform(shape, local))
    _, _, metres = _GEOD.inv(lon, lat, lon + nearest.x / scale, lat + nearest.y)
    return float(metres) / 1000.0
