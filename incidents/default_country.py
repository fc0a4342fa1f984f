"""The default country an import offers, for rows that name no country and have no point.

The import page and the command line offered Libya whatever the file: tried as a new
user would with a Somali file whose rows named their towns but not always the
country, the towns of the rows without one were looked up in Libya. The offer is now
the country most of the file's rows name (its other rows are most likely there too),
else the country most stored records are in (the project's), else Libya, the first
case this tool serves. It stays an offer: the page shows it, the user may change it,
and the report counts the rows that took it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from geodata import FALLBACK_COUNTRY
from incidents.country_names import country_code
from incidents.translation import N_

# Why the rows took this country, as the import's summary says it: "placed in Somalia
# (SO), the country most of the file's rows name". It said "the project's default
# country" whatever the origin, even a country only the file's own rows named.
GIVEN = N_("the default country given for this import")
FROM_FILE = N_("the country most of the file's rows name")
FROM_STORE = N_("the country most stored records are in")
FALLBACK = N_("the tool's default country")


class Offer(NamedTuple):
    """The country offered (an ISO code) and why (one of the messages above)."""

    code: str
    why: str


def offered_country(
    columns: Mapping[str, Sequence[Any]], stored: Callable[[], Iterable[str]]
) -> Offer:
    """The country to offer: the file's most named country (columns: its rows as
    template fields), else the first of stored() (the store's countries, the most
    records first; called only when the file names none), else FALLBACK_COUNTRY."""
    cells = Counter(str(v).strip() for v in columns.get("country", ()) if v and str(v).strip())
    named: Counter[str] = Counter()
    for text, n in cells.items():  # each distinct spelling looked up once
        code = country_code(text)
        if code:
            named[code] += n
    if named:
        return Offer(min(named, key=lambda code: (-named[code], code)), FROM_FILE)
    first = next(iter(stored()), None)
    return Offer(first, FROM_STORE) if first else Offer(FALLBACK_COUNTRY, FALLBACK)
