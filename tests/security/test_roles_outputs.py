"""Roles x outputs: canary strings appear exactly where each role allows, nowhere else.

Three synthetic records carry a distinct canary in every field worth leaking: A is
public at an exact site, B is restricted, C is public but shows only its month. Every
export format (PNG, SVG, PDF, PPTX, standalone HTML, CSV, XLSX, GeoJSON; zipped ones
unpacked, PDF through pdftotext), the app's map HTML for each layer, and the rows an
export is drawn from are produced for every role through the same calls the app and
the command line use, and searched. The page as the browser gets it is checked per
role in test_browser_access.py.

What a format can show is listed in SHOWS; a canary must be present when the role
may see it and the format shows that field (so the search is known to work), and
absent otherwise. PNG pixels are not read (no OCR): the PNG is the same figure as the
SVG, whose drawn text is searched; the PNG's bytes and metadata are searched too.

The same outputs are searched for a month-only record's hidden day and site in
test_public_hidden_day.py.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import subprocess
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date

import numpy as np
import openpyxl
import pytest
from PIL import Image

from incidents.access import PublicRules, Role, Viewer
from incidents.export.profiles import export_viewer, get_profile, profile_for
from incidents.export.selection import read_selection
from incidents.export.service import FORMATS, TABLE_FORMATS, ExportRequest, run_export
from incidents.maps import LAYERS, MAP_COLUMNS, MapOptions, build_map, map_html
from incidents.public_place import snap_to_grid
from incidents.query import Query
from incidents.record import Incident, Source
from incidents.store.column_load import cached_index
from incidents.store.gpkg import GeoPackageStore
from incidents.store.record_store import RecordStore
from tests.conftest import EDITOR, _postgis_url
from tests.distance import km_between

ROLES = [Role.PUBLIC, Role.VIEWER, Role.EDITOR, Role.ADMIN]
SITE_A = (32.43501, 13.6332)  # Tarhuna, LY-MB
SITE_B = (32.51234, 13.71234)
SITE_C = (32.33123, 13.60234)
DISTRICT_CENTRE = (32.33011, 14.05466)  # Al Marqab in the bundled extract
GRID_KM = 10.0
# Snapping cannot keep every site this far from its public point (a site near a cell's
# centre is shown near itself, and moving it away only for such sites would tell where
# it is). These sites are not near a centre; the guarantee for all sites, that the
# public point depends only on the cell or district, is test_public_rules.py's.
MIN_PUBLIC_OFFSET_KM = 5.0
C_DAY = "2020-06-17"  # C's exact day: public outputs may show only June 2020

FIELDS = ("title", "description", "place", "source", "publisher", "notes", "victim", "witness")
CONFIDENTIAL = {"notes", "victim", "witness"}
ALL_DETAIL = set(FIELDS)
SHOWS: dict[str, set[str]] = {
    "png": set(),  # pixels: see the module docstring
    "svg": {"publisher"},  # the face names the publishers of the sources
    "pdf": {"publisher"},
    "pptx": {"publisher", "source"},
    "html": {"title", "publisher"},
    "csv": ALL_DETAIL,
    "xlsx": ALL_DETAIL,
    "geojson": ALL_DETAIL,
    **{f"map-{layer}": ({"title"} if layer == "markers" else set()) for layer in LAYERS},
}
# Images of large selections count incidents in squares from the column index
# (incidents/export/cells.py); the threshold is lowered to 0 to make them here.
CELL_IMAGES = ("png", "svg", "pdf")
SHOWS |= {f"{fmt}-cells": SHOWS[fmt] for fmt in CELL_IMAGES}
# The offline HTML map of a large selection is drawn from the same index (html_map.py),
SHOWS["html-index"] = SHOWS["html"]
SHOWS["pptx-index"] = SHOWS["pptx"]  # and so is a deck (selection.read_selection, index=)


def canary(record: str, field: str) -> str:
    return f"CANARY{record}{field.upper()}"


def record(letter: str, site: tuple[float, float], **changes: object) -> Incident:
    base = Incident(
        id=f"syn-canary-{letter.lower()}",
        type="mass_grave",
        title=canary(letter, "title"),
        description=canary(letter, "description"),
        date_start=date(2020, 6, 5),
        date_end=date(2020, 6, 5),
        place=canary(letter, "place"),
        country="LY",
        admin1="Al Marqab",
        admin1_code="LY-MB",
        latitude=site[0],
        longitude=site[1],
        location_precision="exact",
        sensitivity="public",
        sources=(Source(title=canary(letter, "source"), publisher=canary(letter, "publisher")),),
        confidential_notes=canary(letter, "notes"),
        victim_details=canary(letter, "victim"),
        witness_details=canary(letter, "witness"),
    )
    return base.replace(**changes)


RECORDS = {
    "A": record("A", SITE_A),
    "B": record("B", SITE_B, sensitivity="restricted"),
    "C": record("C", SITE_C, public_date_to_month=True,
                date_start=date.fromisoformat(C_DAY), date_end=date.fromisoformat(C_DAY)),
}  # fmt: skip
EXACT = {k: (r.latitude, r.longitude) for k, r in RECORDS.items()}


@dataclass
class Output:
    text: str
    points: list[tuple[float, float]] | None  # None: the format holds no readable points


@pytest.fixture(scope="module", params=["district", "grid", "town", "postgis-town"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The canaries in a GeoPackage under each rule, and in PostGIS under the default."""
    rules = rules_named(request.param.removeprefix("postgis-"))
    if request.param.startswith("postgis"):
        url = _postgis_url()
        if url is None:
            pytest.skip("no PostGIS server (scripts/test.sh starts one)")
        from incidents.store.postgis import PostGISStore

        pg = PostGISStore(url, rules, schema="t_" + uuid.uuid4().hex[:12])
        pg.write_batch(list(RECORDS.values()), EDITOR)
        yield pg
        pg.drop_schema()
        return
    store = GeoPackageStore(tmp_path_factory.mktemp("canary") / "canary.gpkg", rules)
    store.write_batch(list(RECORDS.values()), EDITOR)
    yield store


def rules_named(name: str) -> PublicRules:
    """The instance rules the canaries are checked under: every record at its district
    centre, every record in a 10 km grid, or the default (the named town, else the
    district for records known only to it, else a 10 km grid: the canaries' places name
    no town, so their sites go to the grid)."""
    if name == "district":
        return PublicRules(grid_km=0, level="district")
    if name == "grid":
        return PublicRules(grid_km=GRID_KM)
    return PublicRules(grid_km=0, fallback_grid_km=GRID_KM, level="town")


def produce(store: RecordStore, role: Role, output: str) -> Output:
    """One output for one role, made the way the app and the command line make it."""
    person = Viewer(f"canary-{role.value}", role)
    if output.startswith("map-"):
        reader = export_viewer(person, profile_for(person))
        frame = store.query(Query(), reader, list(MAP_COLUMNS))
        page = map_html(build_map(frame, MapOptions(layer=output[4:])))
        return Output(page, None)
    fmt = output.removesuffix("-cells").removesuffix("-index")
    request = ExportRequest(fmt, profile=profile_for(person).name, title="Canary check",
                            cells_above=0 if output != fmt else 20_000)  # fmt: skip
    result = run_export(store, person, Query(), request)
    assert bool(result.squares_km) == output.endswith("-cells")
    return Output(_text(fmt, result.data), _points(fmt, result.data))


def _text(fmt: str, data: bytes) -> str:
    if fmt in ("pptx", "xlsx"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                 if n.endswith((".xml", ".rels"))]  # fmt: skip
        return html.unescape("\n".join(parts))
    if fmt == "pdf":
        drawn = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
        return drawn.stdout.decode() + data.decode("latin-1")
    if fmt == "png":
        info = Image.open(io.BytesIO(data)).info
        return json.dumps(info, default=str) + data.decode("latin-1")
    return data.decode("utf-8")


def _points(fmt: str, data: bytes) -> list[tuple[float, float]] | None:
    if fmt == "csv":
        rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
        return [(float(r["latitude"]), float(r["longitude"])) for r in rows if r["latitude"]]
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        start = next(i for i, r in enumerate(rows) if "latitude" in r)
        lat, lon = rows[start].index("latitude"), rows[start].index("longitude")
        return [(float(r[lat]), float(r[lon])) for r in rows[start + 1 :] if r[lat] is not None]
    if fmt == "geojson":
        features = json.loads(data)["features"]
        return [(f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0])
                for f in features if f.get("geometry")]  # fmt: skip
    return None


def visible_records(role: Role) -> set[str]:
    return {"A", "C"} if role is Role.PUBLIC else {"A", "B", "C"}


def allowed_fields(role: Role, output: str) -> set[str]:
    shown = SHOWS[output]
    if role is Role.PUBLIC:  # the canaries' sites are exact: a site's name is not public
        shown = shown - {"place"}
    internal = get_profile(profile_for(Viewer("x", role)).name).confidential_in_tables
    if not (internal and output in TABLE_FORMATS):
        shown = shown - CONFIDENTIAL
    return shown


OUTPUTS = [*FORMATS, *(f"{f}-cells" for f in CELL_IMAGES), "html-index", "pptx-index",
           *(f"map-{layer}" for layer in LAYERS)]  # fmt: skip


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_canaries_appear_exactly_where_the_role_allows(store, role, output):
    result = produce(store, role, output)
    found = set(re.findall(r"CANARY[ABC][A-Z]+", result.text))
    expected = {canary(r, f) for r in visible_records(role) for f in allowed_fields(role, output)}
    assert found == expected, f"{role.value} / {output}: leaked {found - expected}, " \
                              f"missing {expected - found}"  # fmt: skip
    if role is Role.PUBLIC:
        # Text formats carry coordinates as text: not even rounded to three decimals.
        # Drawings hold their own numbers (paths), so only the exact digits are sought.
        digits = (
            3
            if output in (*TABLE_FORMATS, "html", "html-index") or output.startswith("map-")
            else 5
        )
        for lat, lon in EXACT.values():
            assert f"{lat:.{digits}f}" not in result.text
            assert f"{lon:.{digits}f}" not in result.text
        assert C_DAY not in result.text and "20200617" not in result.text
    elif output in TABLE_FORMATS:
        assert C_DAY in result.text  # the search would have found it


@pytest.mark.parametrize("output", [*TABLE_FORMATS, "selection", "cells"])
def test_public_points_are_snapped_and_far_from_the_site(store, output):
    person = Viewer("canary-public", Role.PUBLIC)
    reader = export_viewer(person, get_profile("public"))
    if output == "selection":
        rows = read_selection(store, Query(), reader).rows
        points = list(zip(rows["latitude"], rows["longitude"], strict=True))
    elif output == "cells":  # what the squares of a large public image are counted from
        counted = read_selection(store, Query(), reader, index=cached_index(store, reader))
        drawn = counted.rows[counted.located]
        points = list(zip(drawn["latitude"], drawn["longitude"], strict=True))
    else:
        points = produce(store, Role.PUBLIC, output).points or []
    expected = {k: _public_point(store.public_rules, EXACT[k]) for k in ("A", "C")}
    assert len(points) == 2  # A and C; never B
    for point in points:
        matches = [k for k, e in expected.items() if point == pytest.approx(e, abs=1e-6)]
        assert matches, f"{point} is not where the public rules put any visible record"
        assert km_between(point, EXACT[matches[0]]) >= MIN_PUBLIC_OFFSET_KM
        assert all(km_between(point, EXACT[k]) >= MIN_PUBLIC_OFFSET_KM for k in EXACT)
    viewer_points = produce(store, Role.VIEWER, "csv").points or []
    assert sorted(viewer_points) == sorted(EXACT.values())  # staff get the exact sites


def _public_point(rules: PublicRules, site: tuple[float, float]) -> tuple[float, float]:
    """Where the rules put a site: the district centre, or its grid cell's centre."""
    if rules.basis == "district":
        return DISTRICT_CENTRE
    lat, lon = snap_to_grid(np.array([site[0]]), np.array([site[1]]), rules.cell_km)
    return float(lat[0]), float(lon[0])


def test_public_counts_are_made_after_the_rules(store):
    """A count, a total or an 'excluded' figure never includes a record the public cannot see."""
    person = Viewer("canary-public", Role.PUBLIC)
    reader = export_viewer(person, get_profile("public"))
    june = Query(date_from=date(2020, 6, 1), date_to=date(2020, 6, 10))
    assert store.count(Query(), reader) == 2
    # C is on 17 June, but the public sees only "June": it stays in a window ending on
    # the 10th, so the window cannot be used to find its day.
    assert store.count(june, reader) == 2
    outside = read_selection(store, Query(date_from=date(2021, 1, 1)), reader)
    assert len(outside.rows) == 0 and outside.excluded == {"outside the window": 2}
    # Boxes drawn around each exact site find nothing for the public.
    for lat, lon in EXACT.values():
        box = Query(bbox=(lon - 0.02, lat - 0.02, lon + 0.02, lat + 0.02))
        assert store.count(box, reader) == 0
    assert store.count(Query(types=("mass_grave",)), reader) == 2


def test_an_export_profile_never_widens_access(store):
    viewer = Viewer("canary-viewer", Role.VIEWER)
    request = ExportRequest("csv", profile="internal", title="Canary check")
    text = run_export(store, viewer, Query(), request).data.decode("utf-8")
    assert "CANARYANOTES" not in text and "CANARYBTITLE" in text


def test_public_points_do_not_change_between_exports(store):
    """No random jitter: a random offset drawn anew for each export averages away."""
    assert produce(store, Role.PUBLIC, "csv").points == produce(store, Role.PUBLIC, "csv").points
