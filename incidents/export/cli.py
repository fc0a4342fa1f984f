"""`python -m incidents export FORMAT --out PATH`: every export, scriptable.

The filter options are the app's filters, so a weekly briefing can be rebuilt by a
script: python -m incidents export pptx --from 2020-01-01 --type mass_grave --out b.pptx
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from geodata import FALLBACK_COUNTRY, countries_of
from incidents import cli_language, filter_fields
from incidents.access import Viewer
from incidents.country_names import country_code
from incidents.export.basemap import PlaceLabel
from incidents.export.caption import incidents_words
from incidents.export.cells import CELLS_ABOVE
from incidents.export.profiles import PROFILES, export_viewer, get_profile
from incidents.export.service import FORMATS, ExportRequest, run_export
from incidents.export.theme import parse_size
from incidents.output_files import OutputRefused, check_output, kept_files, write_output
from incidents.query import Query
from incidents.translation import DEFAULT_SETTING, N_, _, default_language, number, supported

if TYPE_CHECKING:
    from incidents.store.record_store import RecordStore

_F = TypeVar("_F", bound=Callable[..., Any])
_LANG_HELP = N_("language of every word the file prints (default: the {setting} setting, else en)")


def add_filter_options(command: _F) -> _F:
    """The app's filters as options (filter_fields.FIELDS), named after their flags."""
    for f in filter_fields.FIELDS:
        if not f.flag:
            continue
        repeatable = f.kind in filter_fields.LISTS
        options: dict[str, Any] = {"help": f.help or None, "cls": cli_language.Worded}
        if f.vocab:
            words = N_("one of: {codes} (repeatable)") if repeatable else N_("one of: {codes}")
            options.update(help=f.help or words, values={"codes": ", ".join(f.vocab.codes)})
        elif f.help and repeatable:
            options.update(help=N_("{help} (repeatable)"), values={"help": f.help})
        if f.kind == "day":
            options.update(type=_day, metavar="YYYY-MM-DD")
        elif f.kind == "switch":  # the flag says the opposite of the default
            options.update(is_flag=True, flag_value=not f.default, default=f.default)
        elif repeatable:
            options.update(multiple=True)
        click.option(f.flag, **options)(command)
    return command


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        said = _("{text}: write dates as YYYY-MM-DD").format(text=repr(text))
        raise click.BadParameter(said) from None


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
    if f.kind not in ("code", "codes", "district", "country"):
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
    if f.kind == "country":
        code = country_code(value)
        if code is None:
            raise ValueError(_("no country called {name}").format(name=repr(value)))
        return code
    if f.vocab is None:
        return value
    code = f.vocab.lookup(value)
    if code is None:
        said = _("{value} is not a {vocabulary}: {codes}")
        raise ValueError(said.format(value=repr(value), vocabulary=f.vocab.name,
                                     codes=", ".join(f.vocab.codes)))  # fmt: skip
    return code


def query_from_args(params: Mapping[str, Any]) -> Query:
    """A Query from the filter options; ValueError in plain words for bad values."""
    fields = [f for f in filter_fields.FIELDS if f.flag]  # click names each after its flag
    return Query(**{f.name: _value(f, params[f.flag[2:].replace("-", "_")]) for f in fields})


def labels_from_args(values: list[str], countries: str | Sequence[str]) -> tuple[PlaceLabel, ...]:
    """Place names to print: NAME@LAT,LON as given, else looked up offline (GeoNames)
    in these countries, the first first (where the incidents are)."""
    from geodata import geocode

    searched = (countries,) if isinstance(countries, str) else tuple(countries)

    labels = []
    for value in values:
        if "@" in value:
            name, _at, where = value.rpartition("@")  # not '_': that is the translator
            lat, lon = (float(v) for v in where.split(","))
            labels.append(PlaceLabel(name, lat, lon))
            continue
        found = (geocode(value, country=c).best for c in searched)
        best = next((b for b in found if b is not None), None)
        if best is None:
            said = _("could not place {name}: give it as NAME@LAT,LON")
            raise ValueError(said.format(name=repr(value)))
        labels.append(PlaceLabel(value, best.lat, best.lon))
    return tuple(labels)


@click.command("export", help=N_("export the selection as an image, deck, HTML map or table"))
@click.argument("fmt", metavar="FORMAT", type=click.Choice(FORMATS))
@click.option("--out", type=click.Path(path_type=Path), required=True, help=N_("file to write"))
@click.option(
    "--profile",
    type=click.Choice(list(PROFILES)),
    default="public",
    help=N_("public (coarsened, public records), partner, internal"),
)
@cli_language.as_option()
@click.option("--title", default="")
@click.option("--subtitle", default="")
@click.option("--size", default="16:9", help=N_("16:9 (1920x1080), 4:3, a4 or WIDTHxHEIGHT"))
@click.option("--scale", type=click.IntRange(1, 2), default=1, help=N_("PNG pixel density"))
@click.option("--view", help=N_("map extent WEST,SOUTH,EAST,NORTH (default: fit selection)"))
@click.option("--no-locator", is_flag=True, help=N_("leave out the locator inset"))
@click.option(
    "--label",
    multiple=True,
    metavar="PLACE",
    help=N_("town name, or NAME@LAT,LON, to print on the map (repeatable)"),
)
@click.option("--panels", type=click.Choice(("type", "period")), help=N_("small multiples"))
@click.option(
    "--break",
    "breaks",
    multiple=True,
    type=_day,
    metavar="YYYY-MM-DD",
    help=N_("period panels split here (repeatable)"),
)
@click.option("--link", default="", help=N_("the link that reopens this view, printed on it"))
@click.option(
    "--cells-above",
    type=int,
    default=CELLS_ABOVE,
    metavar="N",
    cls=cli_language.Worded,
    values={"n": lambda: number(CELLS_ABOVE)},
    help=N_("images of more incidents count them in squares (default {n})"),
)
@click.option(
    "--country",
    default="",
    metavar="CODE",
    cls=cli_language.Worded,
    help=N_("the map's country (ISO code, e.g. LY); by default the incidents' own"),
)
@add_filter_options
@cli_language.pass_db
def _export(db: str | None, **params: Any) -> int:
    from incidents.store import open_store

    store = functools.cache(lambda: open_store(db))  # opened once the options are good
    viewer = Viewer(params["actor"], get_profile(params["profile"]).role)
    try:
        query = query_from_args(params)
        request = request_from_args(params, lambda: _data_countries(store(), viewer, params))
        if request.panels == "period" and not request.breaks:
            raise ValueError(_("--panels period needs at least one --break YYYY-MM-DD"))
        check_output(params["out"], kept_files(db))  # before the work and its audit entry
    except ValueError as error:  # OutputRefused is one
        print(_("Cannot export: {error}").format(error=error), file=sys.stderr)
        return 2
    started = time.perf_counter()
    result = run_export(store(), viewer, query, request)
    try:  # a profile that sees more than the public's writes a file of its owner's only
        write_output(params["out"], result.data, private=viewer.sees_restricted,
                     keep=kept_files(db))  # fmt: skip
    except OutputRefused as error:
        print(_("Cannot export: {error}").format(error=error), file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    counted = incidents_words(result.count)
    if result.squares_km:
        km = number(result.squares_km, 0 if float(result.squares_km).is_integer() else 1)
        counted = _("{incidents}, counted in {km} km squares").format(incidents=counted, km=km)
    said = _("Wrote {file} ({format}, {incidents}, profile {profile}, data version {version}) "
             "in {seconds} s")  # fmt: skip
    print(said.format(file=params["out"], format=result.fmt, incidents=counted,
                      profile=PROFILES[result.profile].name_shown(), version=result.data_version,
                      seconds=number(seconds, 1)))  # fmt: skip
    return 0


_export.params.append(cli_language.lang_option(_LANG_HELP, True, setting=DEFAULT_SETTING))


def _data_countries(
    store: RecordStore, viewer: Viewer, params: Mapping[str, Any]
) -> tuple[str, ...]:
    """The country most incidents this export's audience sees are in: where --label
    names are looked up when no --country is given."""
    reader = export_viewer(viewer, get_profile(params["profile"]))
    return countries_of(store.snapshot(reader).district_counts()) or (FALLBACK_COUNTRY,)


def request_from_args(
    params: Mapping[str, Any],
    data_countries: Callable[[], tuple[str, ...]] = lambda: (FALLBACK_COUNTRY,),
) -> ExportRequest:
    """The export's words, size, extent and extras from the options; data_countries: the
    countries to look --label names up in when --country is not given (asked only then)."""
    p = params
    where = (p["country"],) if p["country"] else (data_countries() if p["label"] else ())
    return ExportRequest(
        fmt=p["fmt"], profile=p["profile"], title=p["title"], subtitle=p["subtitle"],
        size=parse_size(p["size"]), scale=p["scale"],
        extent=_box(p["view"]) if p["view"] else None, locator=not p["no_locator"],
        labels=labels_from_args(list(p["label"]), where), panels=p["panels"] or "",
        breaks=tuple(p["breaks"]), link=p["link"], country=p["country"].upper(),
        cells_above=p["cells_above"], lang=supported(p.get("lang")) or default_language(),
    )  # fmt: skip


COMMANDS = (_export,)
