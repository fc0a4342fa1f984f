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
from typing import Any

from incidents import filter_fields
from incidents.access import Viewer
from incidents.export.basemap import PlaceLabel
from incidents.export.caption import incidents_words
from incidents.export.cells import CELLS_ABOVE
from incidents.export.profiles import PROFILES, get_profile
from incidents.export.service import FORMATS, ExportRequest, run_export
from incidents.export.theme import parse_size
from incidents.query import Query
from incidents.translation import DEFAULT_SETTING, LANGUAGES, _, default_language, number, supported

Command = Callable[[argparse.Namespace], int]


def add_commands(
    sub: argparse._SubParsersAction,
    command: Callable[[str], Callable[[Command], Command]],
) -> None:
    """Register `export` on the main parser (called by incidents.cli)."""
    p = sub.add_parser(
        "export", help=_("export the selection as an image, deck, HTML map or table")
    )
    p.add_argument("format", choices=FORMATS)
    p.add_argument("--out", type=Path, required=True, help=_("file to write"))
    add_filter_options(p)
    g = p.add_argument_group(_("audience"))
    g.add_argument(
        "--profile",
        choices=list(PROFILES),
        default="public",
        help=_("public (coarsened, public records), partner, internal"),
    )
    g.add_argument("--as", dest="actor", default="cli", help=_("name recorded in the audit log"))
    # Left out, --lang keeps a value given before the command (the command line's own
    # --lang); neither given, the file speaks the INCIDENTS_LANGUAGE setting, else English.
    g.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        default=argparse.SUPPRESS,
        help=_(
            "language of every word the file prints (default: the {setting} setting, else en)"
        ).format(setting=DEFAULT_SETTING),
    )
    _image_options(p)
    command("export")(_export)


def _image_options(p: argparse.ArgumentParser) -> None:
    """The options of images and decks: words on top, size, extent, extras."""
    v = p.add_argument_group(_("images and decks"))
    v.add_argument("--title", default="")
    v.add_argument("--subtitle", default="")
    v.add_argument("--size", default="16:9", help=_("16:9 (1920x1080), 4:3, a4 or WIDTHxHEIGHT"))
    v.add_argument("--scale", type=int, choices=(1, 2), default=1, help=_("PNG pixel density"))
    v.add_argument("--view", help=_("map extent WEST,SOUTH,EAST,NORTH (default: fit selection)"))
    v.add_argument("--no-locator", action="store_true", help=_("leave out the locator inset"))
    v.add_argument(
        "--label",
        action="append",
        default=[],
        metavar="PLACE",
        help=_("town name, or NAME@LAT,LON, to print on the map (repeatable)"),
    )
    v.add_argument("--panels", choices=("type", "period"), help=_("small multiples"))
    v.add_argument(
        "--break",
        dest="breaks",
        action="append",
        default=[],
        type=_day,
        metavar="YYYY-MM-DD",
        help=_("period panels split here (repeatable)"),
    )
    v.add_argument("--link", default="", help=_("the link that reopens this view, printed on it"))
    v.add_argument(
        "--cells-above",
        type=int,
        default=CELLS_ABOVE,
        metavar="N",
        help=_("images of more incidents count them in squares (default {n})").format(
            n=number(CELLS_ABOVE)
        ),
    )
    v.add_argument("--country", default="LY")  # fmt: skip


def add_filter_options(p: argparse.ArgumentParser) -> None:
    """The app's filters as options (filter_fields.FIELDS)."""
    group = p.add_argument_group(_("filters (as in the app)"))
    for f in filter_fields.FIELDS:
        if not f.flag:
            continue
        codes = _("one of: {codes}").format(codes=", ".join(f.vocab.codes)) if f.vocab else ""
        options: dict[str, Any] = {"help": f.help or codes or None}
        if f.kind == "day":
            options.update(type=_day, metavar="YYYY-MM-DD")
        elif f.kind == "switch":
            options.update(action="store_false" if f.default else "store_true")  # the value
        elif f.kind in ("codes", "names", "district"):
            options.update(action="append", default=[])
            repeat = _("{help} (repeatable)")
            options["help"] = options["help"] and repeat.format(help=options["help"])
        group.add_argument(f.flag, **options)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        said = _("{text}: write dates as YYYY-MM-DD").format(text=repr(text))
        raise argparse.ArgumentTypeError(said) from None


def _box(text: str) -> tuple[float, float, float, float]:
    parts = [float(v) for v in text.split(",")]
    if len(parts) != 4:
        raise ValueError(_("{text}: give WEST,SOUTH,EAST,NORTH").format(text=repr(text)))
    west, south, east, north = parts
    if not (west < east and south < north):
        said = _("{text}: west must be less than east and south less than north")
        raise ValueError(said.format(text=repr(text)))
    return west, south, east, north


def _value(f: filter_fields.FilterField, given: Any) -> Any:
    """The Query value of one option as parsed (None or [] when not given)."""
    if given is None or given == "":
        return f.default
    if f.kind == "box":
        return _box(given)
    if f.kind not in ("code", "codes", "district"):
        return tuple(given) if f.kind == "names" else given
    codes = tuple(_code(f, value) for value in (given if f.kind != "code" else [given]))
    return codes[0] if f.kind == "code" else codes


def _code(f: filter_fields.FilterField, value: str) -> str:
    """The code of a label or code (a district's name or code); ValueError in words."""
    from geodata import find_district

    if f.kind == "district":
        district = find_district(value)
        if district is None:
            raise ValueError(_("no district called {name}").format(name=repr(value)))
        return district.code
    if f.vocab is None:
        return value
    code = f.vocab.lookup(value)
    if code is None:
        said = _("{value} is not a {vocabulary}: {codes}")
        raise ValueError(said.format(value=repr(value), vocabulary=f.vocab.name,
                                     codes=", ".join(f.vocab.codes)))  # fmt: skip
    return code


def query_from_args(args: argparse.Namespace) -> Query:
    """A Query from the filter options; ValueError in plain words for bad values."""
    fields = [f for f in filter_fields.FIELDS if f.flag]  # argparse names each after its flag
    return Query(**{f.name: _value(f, vars(args)[f.flag[2:].replace("-", "_")]) for f in fields})


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
            said = _("could not place {name}: give it as NAME@LAT,LON")
            raise ValueError(said.format(name=repr(value)))
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
        lang=supported(getattr(args, "lang", None)) or default_language(),
    )  # fmt: skip


def _export(args: argparse.Namespace) -> int:
    from incidents.store import open_store

    try:
        query = query_from_args(args)
        request = request_from_args(args)
        if request.panels == "period" and not request.breaks:
            raise ValueError(_("--panels period needs at least one --break YYYY-MM-DD"))
    except ValueError as error:
        print(_("Cannot export: {error}").format(error=error), file=sys.stderr)
        return 2
    started = time.perf_counter()
    viewer = Viewer(args.actor, get_profile(args.profile).role)
    result = run_export(open_store(args.db), viewer, query, request)
    args.out.write_bytes(result.data)
    seconds = time.perf_counter() - started
    counted = incidents_words(result.count)
    if result.squares_km:
        km = number(result.squares_km, 0 if float(result.squares_km).is_integer() else 1)
        counted = _("{incidents}, counted in {km} km squares").format(incidents=counted, km=km)
    said = _("Wrote {file} ({format}, {incidents}, profile {profile}, data version {version}) "
             "in {seconds} s")  # fmt: skip
    print(said.format(file=args.out, format=result.fmt, incidents=counted,
                      profile=result.profile, version=result.data_version,
                      seconds=number(seconds, 1)))  # fmt: skip
    return 0
