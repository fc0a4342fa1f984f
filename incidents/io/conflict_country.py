"""The country cell of an ACLED or UCDP row: the name as the data set wrote it.

The name ("DR Congo (Zaire)", "Myanmar (Burma)", "Democratic Republic of Congo") goes to
the record unchanged: incidents.country_names reads those names, and a name cut or
changed here could name another country. Only when a row has no name is a code used:
ISO alpha-3 (ACLED's and HDX's iso3), then ISO 3166 numeric (ACLED's iso), then the
Gleditsch-Ward number UCDP (country_id, gwno) and old ACLED (gwno) use, read with
country_converter's own table (its GWcode column).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path


def country_text(row: Mapping[str, str]) -> str:
    """The name as written, else a code the country resolver reads ('' when none)."""
    name = (row.get("country") or "").strip()
    if name:
        return name
    iso3 = (row.get("iso3") or "").strip()
    if iso3:
        return iso3
    numeric = _integer(row.get("iso"))
    if numeric is not None and numeric in _iso_numeric():
        return _iso_numeric()[numeric]
    for column in ("country_id", "gwno"):
        number = _integer(row.get(column))
        if number is not None and number in _gleditsch_ward():
            return _gleditsch_ward()[number]
    return ""


def _integer(text: str | None) -> int | None:
    try:
        return int(float((text or "").strip()))
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _iso_numeric() -> dict[int, str]:
    import pycountry

    return {int(c.numeric): c.alpha_3 for c in pycountry.countries}


@lru_cache(maxsize=1)
def _gleditsch_ward() -> dict[int, str]:
    """GW number -> ISO alpha-3, current countries only (coco's rows with a GW code)."""
    import country_converter

    path = Path(country_converter.__file__).with_name("country_data.tsv")
    codes: dict[int, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            number = _integer(row.get("GWcode"))
            iso3 = (row.get("ISO3") or "").strip()
            if number is not None and len(iso3) == 3 and not row.get("obsolete"):
                codes.setdefault(number, iso3)
    return codes
