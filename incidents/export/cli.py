"""`python -m incidents export FORMAT --out PATH`: every export, scriptable.

The filter options are the app's filters, so a weekly briefing can be rebuilt by a
script: python -m incidents export pptx --from 2020-01-01 --type mass_grave --out b.pptx
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from incidents.access import Viewer
from incidents.export.basemap import PlaceLabel
from incidents.export.cells import CELLS_ABOVE
from incidents.export.profiles import PROFILES, get_profile
from incidents.export.service import FORMATS, ExportRequest, run_export
from incidents.export.theme import parse_size
from incidents.query import Query
from incidents.schema import (
    DATE_KINDS,
    INCIDENT_TYPES,
    LOCATION_PRECISIONS,
    VERIFICATION_STATUSES,
    Vocabulary,
)

Command = Callable[[argparse.Namespace], int]


def add_commands(
    sub: argparse._SubParsersAction,
    command: Callable[[str], Callable[[Command], Command]],
) -> None:
    """Register `export` on the main parser (called by incidents.cli)."""
    p = sub.add_parser("export", help="export the selection as an image, deck, HTML map or table")
    p.add_argument("format", choices=FORMATS)
    p.add_argument("--out", type=Path, required=True, help="file to write")
    add_filter_options(p)
    g = p.add_argument_group("audience")
    g.add_argument("--profile", choices=list(PROFILES), default="public",
                   help="public (coarsened, public records), partner, internal")  # fmt: skip
    g.add_argument("--as", dest="actor", default="cli", help="name recorded in the audit log")
    v = p.add_argument_group("images and decks")
    v.add_argument("--title", default="")
    v.add_argument("--subtitle", default="")
    v.add_argument("--size", default="16:9", help="16:9 (1920x1080), 4:3, a4 or WIDTHxHEIGHT")
    v.add_argument("--scale", type=int, choices=(1, 2), default=1, help="PNG pixel density")
    v.add_argument("--view", help="map extent WEST,SOUTH,EAST,NORTH (default: fit selection)")
    v.add_argument("--no-locator", action="store_true", help="leave out the locator inset")
    v.add_argument("--label", action="append", default=[], metavar="PLACE",
                   help="town name, or NAME@LAT,LON, to print on the map (repeatable)")  # fmt: skip
    v.add_argument("--panels", choices=("type", "period"), help="small multiples")
    v.add_argument("--break", dest="breaks", action="append", default=[], type=_day,
                   metavar="YYYY-MM-DD", help="period panels split here (repeatable)")  # fmt: skip
    v.add_argument("--link", default="", help="the link that reopens this view, printed on it")
    v.add_argument("--cells-above", type=int, default=CELLS_ABOVE, metavar="N",
                   help="images of more incidents count them in squares "
                   f"(default {CELLS_ABOVE:,})")  # fmt: skip
    v.add_argument("--country", default="LY")
    command("export")(_export)


def add_filter_options(p: argparse.ArgumentParser) -> None:
    """The app's filters as options."""
    f = p.add_argument_group("filters (as in the app)")
    f.add_argument("--from", dest="date_from", type=_day, metavar="YYYY-MM-DD")
    f.add_argument("--to", dest="date_to", type=_day, metavar="YYYY-MM-DD")
    f.add_argument("--date-mode", choices=("overlaps", "within"), default="overlaps")
    f.add_argument("--date-kind", action="append", default=[], help=_codes(DATE_KINDS))
    f.add_argument("--type", action="append", default=[], help=_codes(INCIDENT_TYPES))
    f.add_argument("--verification", action="append", default=[],
                   help=_codes(VERIFICATION_STATUSES))  # fmt: skip
    f.add_argument("--district", action="append", default=[], help="code (LY-MB) or name")
    f.add_argument("--max-precision", help=_codes(LOCATION_PRECISIONS))
    f.add_argument("--perpetrator", action="append", default=[])
    f.add_argument("--tag", action="append", default=[])
    f.add_argument("--text", default="")
    f.add_argument("--bbox", help="only incidents inside WEST,SOUTH,EAST,NORTH")
    f.add_argument("--id", dest="ids", action="append", default=[])
    f.add_argument("--located-only", action="store_true")


def _codes(vocab: Vocabulary) -> str:
    return "one of: " + ", ".join(vocab.codes) + " (repeatable)"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write dates as YYYY-MM-DD") from None


def _box(text: str) -> tuple[float, float, float, float]:
    parts = [float(v) for v in text.split(",")]
    if len(parts) != 4:
        raise ValueError(f"{text!r}: give WEST,SOUTH,EAST,NORTH")
    west, south, east, north = parts
    if not (west < east and south < north):
        raise ValueError(f"{text!r}: west must be less than east and south less than north")
    return west, south, east, north


def _vocab(vocab: Vocabulary, values: list[str]) -> tuple[str, ...]:
    codes = []
    for value in values:
        code = vocab.lookup(value)
        if code is None:
            raise ValueError(f"{value!r} is not a {vocab.name}: {', '.join(vocab.codes)}")
        codes.append(code)
    return tuple(codes)


def query_from_args(args: argparse.Namespace) -> Query:
    """A Query from the filter options; ValueError in plain words for bad values."""
    from geodata import find_district

    districts = []
    for name in args.district:
        found = find_district(name)
        if found is None:
            raise ValueError(f"no district called {name!r}")
        districts.append(found.code)
    precision = _vocab(LOCATION_PRECISIONS, [args.max_precision]) if args.max_precision else ()
    return Query(
        date_from=args.date_from, date_to=args.date_to, date_mode=args.date_mode,
        date_kinds=_vocab(DATE_KINDS, args.date_kind), types=_vocab(INCIDENT_TYPES, args.type),
        perpetrators=tuple(args.perpetrator), verification=_vocab(VERIFICATION_STATUSES,
        args.verification), admin1_codes=tuple(districts),
        max_precision=precision[0] if precision else None, tags=tuple(args.tag),
        text=args.text, bbox=_box(args.bbox) if args.bbox else None, ids=tuple(args.ids),
        include_unlocated=not args.located_only,
    )  # fmt: skip


def labels_from_args(values: list[str], country: str) -> tuple[PlaceLabel, ...]:
    """Place names to print: NAME@LAT,LON as given, else looked up offline (GeoNames)."""
    from geodata import geocode

    labels = []
    for value in values:
        if "@" in value:
            name, _, where = value.rpartition("@")
            lat, lon = (float(v) for v in where.split(","))
            labels.append(PlaceLabel(name, lat, lon))
            continue
        best = geocode(value, country=country).best
        if best is None:
            raise ValueError(f"could not place {value!r}: give it as NAME@LAT,LON")
        labels.append(PlaceLabel(value, best.lat, best.lon))
    return tuple(labels)


def request_from_args(args: argparse.Namespace) -> ExportRequest:
    return ExportRequest(
        fmt=args.format, profile=args.profile, title=args.title, subtitle=args.subtitle,
        size=parse_size(args.size), scale=args.scale,
        extent=_box(args.view) if args.view else None, locator=not args.no_locator,
        labels=labels_from_args(args.label, args.country), panels=args.panels or "",
        breaks=tuple(args.breaks), link=args.link, country=args.country.upper(),
        cells_above=args.cells_above,
    )  # fmt: skip


def _export(args: argparse.Namespace) -> int:
    from incidents.store import open_store

    try:
        query = query_from_args(args)
        request = request_from_args(args)
        if request.panels == "period" and not request.breaks:
            raise ValueError("--panels period needs at least one --break YYYY-MM-DD")
    except ValueError as error:
        print(f"Cannot export: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    viewer = Viewer(args.actor, get_profile(args.profile).role)
    result = run_export(open_store(args.db), viewer, query, request)
    args.out.write_bytes(result.data)
    seconds = time.perf_counter() - started
    squares = f" counted in {result.squares_km:g} km squares," if result.squares_km else ""
    print(f"Wrote {args.out} ({result.fmt}, {result.count:,} incidents,{squares} profile "
          f"{result.profile}, data version {result.data_version}) in {seconds:.1f} s")  # fmt: skip
    return 0
