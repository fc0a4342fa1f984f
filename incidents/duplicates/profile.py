"""What the duplicate search compares of a record, worked out once per record.

Why a profile: a candidate search over a million records compares each record with
its neighbours many times; normalising titles, looking place names up in the
gazetteer and turning a location precision into a radius once per record keeps each
comparison to a few arithmetic steps and one fuzzy ratio.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import chain
from typing import Any, NamedTuple, Protocol

from geodata._places import load_aliases, load_places
from geodata._text import is_generic, normalize

# How far (km) from its point a record's site may lie, by location precision: an exact
# site and a town-level point of the same event can be 10 km apart.
PRECISION_RADIUS_KM: dict[str, float] = {
    "exact": 1.0,
    "approximate": 10.0,
    "town": 10.0,
    "district": 60.0,
    "country": 500.0,
}
_MAX_NGRAM = 3
_MIN_NAME = 4  # shorter names ("Al", "Bir") match too many words of a title
_MIN_WORD = 4
_URL_NOISE = re.compile(r"^https?://(www\.)?|[/#?]+$")  # a URL compared without them


class Cites(Protocol):
    """What a profile reads of a source."""

    @property
    def url(self) -> str: ...
    @property
    def publisher(self) -> str: ...


class Recorded(Protocol):
    """What a profile reads of a record: an Incident, or the narrow read of a stored
    record's fields (store.profile_reads.RecordFacts) that an import's look uses."""

    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def date_start(self) -> date: ...
    @property
    def date_end(self) -> date: ...
    @property
    def description(self) -> str: ...
    @property
    def source_event_id(self) -> str: ...
    @property
    def date_precision(self) -> str: ...
    @property
    def place(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def admin1(self) -> str: ...
    @property
    def admin1_code(self) -> str: ...
    @property
    def latitude(self) -> float | None: ...
    @property
    def longitude(self) -> float | None: ...
    @property
    def location_precision(self) -> str: ...
    @property
    def location_uncertainty_km(self) -> float | None: ...
    @property
    def perpetrators(self) -> Sequence[str]: ...
    @property
    def killed_best(self) -> int | None: ...
    @property
    def sensitivity(self) -> str: ...
    @property
    def sources(self) -> Sequence[Cites]: ...


class Profile(NamedTuple):
    """A record reduced to what duplicates are judged by (a named tuple: made once per
    record of a store, it costs half of a frozen dataclass)."""

    id: str
    start: int  # first possible day (proleptic ordinal)
    end: int  # last possible day
    precision: str  # date precision: day, month, year
    lat: float | None
    lon: float | None
    radius_km: float
    type: str
    country: str
    admin1_code: str
    district: str  # admin1_code, else the admin1 name normalised: a coarse record's block
    place: str
    text: str  # normalised title (and place), for fuzzy comparison
    words: frozenset[str]  # the description's longer words, normalised
    places: frozenset[int]  # gazetteer places named in the title or place field
    urls: frozenset[str]
    event_ids: frozenset[str]
    publishers: frozenset[str]
    killed: int | None
    perpetrators: str
    restricted: bool


def radius_km(record: Recorded) -> float:
    """The record's own uncertainty: its stated radius, else what its precision implies."""
    stated = record.location_uncertainty_km
    base = PRECISION_RADIUS_KM.get(record.location_precision, 10.0)
    if stated is not None and stated > 0:
        return max(float(stated), 1.0)
    return base


def dataset_of(event_id: str) -> str:
    """The data set a source event id comes from: 'acled' of 'acled:LBY1234'."""
    prefix, sep, _ = event_id.partition(":")
    return prefix.strip().casefold() if sep else ""


def profile(record: Recorded, extra_event_ids: Sequence[str] = (), whole: bool = True) -> Profile:
    """The profile of one record; extra_event_ids are ids of records merged into it.
    Not whole: without the title, description, perpetrators and places named in them
    (the costly part), enough for the blocking and to rule out most pairs.

    Made field by field in Profile's order (an import's look outlines every row and
    every stored record of the file's days: keyword arguments cost a fifth of that)."""
    own = record.source_event_id.strip().casefold()
    if extra_event_ids:
        ids = {own, *(e.strip().casefold() for e in extra_event_ids)}
        event_ids = frozenset(e for e in ids if e)
    else:
        event_ids = frozenset((own,)) if own else _NONE
    sources, urls, publishers = record.sources, _NONE, _NONE
    if sources:
        urls = frozenset(_URL_NOISE.sub("", s.url.strip().casefold()) for s in sources) - {""}
        publishers = frozenset(_short_normal(s.publisher) for s in sources if s.publisher.strip())
    admin1_code = record.admin1_code
    outline = _made(
        (
            record.id,
            record.date_start.toordinal(),
            record.date_end.toordinal(),
            record.date_precision,
            record.latitude,
            record.longitude,
            radius_km(record),
            record.type,
            record.country.upper(),
            admin1_code,
            admin1_code or _short_normal(record.admin1),  # district
            _short_normal(record.place),
            "",  # text
            _NONE,  # words
            _NONE,  # places
            urls,
            event_ids,
            publishers,
            record.killed_best,
            "",  # perpetrators
            record.sensitivity != "public",  # restricted
        )
    )
    return completed(outline, record) if whole else outline


def completed(outline: Profile, record: Recorded) -> Profile:
    """The whole profile of the record an outline was made of: only the costly part
    (title, description, perpetrators, places named) is worked out, so that an
    import's search does not profile a record twice over."""
    title, place, country = normalize(record.title), outline.place, outline.country
    text = f"{title} {place}".strip() if place and place not in title else title
    return _made(
        (
            *outline[:_TEXT],
            text,
            description_words(record.description),
            _places_named(country, title) | _places_named(country, place),
            *outline[_URLS:_PERPETRATORS],
            _short_normal("; ".join(record.perpetrators)),
            outline.restricted,
        )
    )


_NONE: frozenset[str] = frozenset()
_TEXT, _URLS = Profile._fields.index("text"), Profile._fields.index("urls")
_PERPETRATORS = Profile._fields.index("perpetrators")


def _made(values: tuple[Any, ...]) -> Profile:
    """A profile from its values in field order (what Profile._make does, without its
    length check: the two callers above give every field)."""
    return tuple.__new__(Profile, values)


def description_words(text: str) -> frozenset[str]:
    """The words of a description that say something (four letters or more), as
    compared; the first 1,000 characters are enough to tell two stories apart.

    The same words as normalize(text) would give, worked out one space-separated word
    at a time through a cache: normalising acts within words (an article dropped,
    letters unified), and a language has far fewer words than a store has records."""
    return frozenset(chain.from_iterable(map(_token_words, text[:1000].split())))


@functools.lru_cache(maxsize=1 << 17)
def _token_words(token: str) -> tuple[str, ...]:
    return tuple(w for w in normalize(token).split() if len(w) >= _MIN_WORD)


_short_normal = functools.lru_cache(maxsize=1 << 16)(normalize)  # places, publishers, names


def profiles(records: Iterable[Recorded]) -> list[Profile]:
    return [profile(r) for r in records]


def _places_named(country: str, text: str) -> frozenset[int]:
    """Gazetteer places whose name (in any script: GeoNames alternate names and the
    committed aliases) occurs as one to three words of the text."""
    if not country or not text:
        return frozenset()
    names, starts = _names_and_starts(country)
    words = text.split()
    found: set[int] = set()
    for i, word in enumerate(words):
        if word not in starts:  # no name begins with this word: most words of a title
            continue
        for size in range(1, _MAX_NGRAM + 1):
            hit = names.get(" ".join(words[i : i + size])) if i + size <= len(words) else None
            if hit is not None:
                found.add(hit)
    return frozenset(found)


@functools.lru_cache(maxsize=32)
def _names_and_starts(country: str) -> tuple[dict[str, int], frozenset[str]]:
    names = place_names(country)
    return names, frozenset(name.split()[0] for name in names if name.split())


@functools.lru_cache(maxsize=32)
def place_names(country: str) -> dict[str, int]:
    """Every normalised name of the country's gazetteer places, to the place's id.
    A name two places share is left out: it cannot tell the places apart."""
    try:
        places = load_places(country)
    except (KeyError, ValueError, OSError):
        return {}
    names: dict[str, int] = {}
    shared: set[str] = set()
    for place in places:
        for name in {normalize(n) for n in (place.name, *place.names)}:
            if len(name) < _MIN_NAME or is_generic(name):
                continue
            if names.get(name, place.geonameid) != place.geonameid:
                shared.add(name)
            names[name] = place.geonameid
    for alias in load_aliases():
        if alias.country.upper() == country:
            names[normalize(alias.alias)] = alias.geonameid
    for name in shared:
        names.pop(name, None)
    return names
