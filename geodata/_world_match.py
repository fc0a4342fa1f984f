"""Exact-name matches anywhere in the world, for records that name no country.

Kept apart from the per-country search: here nothing is fuzzy, and the
question is only whether one country holds the name and whether the town is
well known enough to take on trust (see :func:`trusted`).
"""

from __future__ import annotations

from geodata._matches import GeocodeResult, is_confident, place_match
from geodata._places import Place
from geodata._world import ALTERNATE, CURATED, world_index

_NAMED_COUNTRIES = 8  # countries named in an ambiguity note
# Without a country, a unique exact name is taken on trust only for a town this
# large (its own GeoNames name) or larger still and not a short Latin word (an
# alternate name): GeoNames' names include "Snow" (Belarus), "Train" (Germany),
# and alternates such as "Victory" for Juneau or "Gold" for Gold Coast.  Names
# in other scripts are short by nature (حلب) and are not held to the length.
WORLD_TRUSTED_POPULATION = 15_000
WORLD_TRUSTED_ALTERNATE_POPULATION = 100_000
WORLD_TRUSTED_ALTERNATE_LENGTH = 5


def world_exact(name: str, forms: list[str], limit: int) -> GeocodeResult | None:
    """Towns anywhere named exactly this; confident only within one country (else None)."""
    index = world_index()
    kinds: dict[int, int] = {}
    for form in forms:
        for row, kind in index.kinds(form).items():
            kinds[row] = min(kinds.get(row, ALTERNATE), kind)
    if not kinds:
        return None
    rows = sorted(kinds, key=lambda r: -int(index.population[r]))
    places = [index.place(r) for r in rows]  # most populous first
    firsts = list({p.country: p for p in reversed(places)}.values())[::-1]
    chosen = list(dict.fromkeys([*sorted(firsts, key=lambda p: -p.population), *places]))
    matches = [place_match(p, 100.0, name, None, True) for p in chosen[: max(limit, 1)]]
    countries = sorted({p.country for p in places})
    if len(countries) > 1:
        shown = ", ".join(countries[:_NAMED_COUNTRIES]) + (", ..." if len(countries) > 8 else "")
        note = f"'{name}' names towns in {len(countries)} countries ({shown}): give the country"
        return GeocodeResult(name, tuple(matches), False, None, None, note)
    all_matches = [place_match(p, 100.0, name, None, True) for p in places]
    confident = is_confident(all_matches)
    note = "" if confident else f"'{name}' fits several towns in {countries[0]}: choose one"
    if confident and not trusted(places[0], kinds[rows[0]], forms[0]):
        confident = False
        note = (
            f"'{name}' is only known as a small town or a minor name of "
            f"{places[0].name} ({countries[0]}): give the country"
        )
    return GeocodeResult(name, tuple(matches), confident, None, None, note)


def trusted(place: Place, kind: int, key: str) -> bool:
    """Whether a unique exact name found with no country may be taken on trust."""
    if kind == CURATED:
        return True
    if kind == ALTERNATE:
        long_enough = len(key) >= WORLD_TRUSTED_ALTERNATE_LENGTH or not key.isascii()
        return place.population >= WORLD_TRUSTED_ALTERNATE_POPULATION and long_enough
    return place.population >= WORLD_TRUSTED_POPULATION
