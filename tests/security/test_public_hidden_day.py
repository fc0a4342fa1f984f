"""A month-only record's day and an exact site's name, in every public output.

H is public but shows only its month (June 2020), at an exact site with a site's
name, cited by a report dated the day after, and written (created_at, updated_at) on
days of that month, as a record migrated from an older store keeps them. Every public
output test_roles_outputs.py makes (each format, the squared images, the decks and
HTML maps drawn from the index, the app's map layers), and the rows and record the
app's map page gives the public, is searched for those days, those times, the site's
coordinates and its name. GeoPackage and PostGIS, district and grid rules.
"""

from __future__ import annotations

import json
import shutil
import uuid
from datetime import date
from pathlib import Path

import pytest

from app_pages.table_panel import TABLE_COLUMNS
from incidents.access import Role, Viewer
from incidents.export.service import TABLE_FORMATS
from incidents.maps import MAP_COLUMNS
from incidents.migrate import _copy_provenance
from incidents.query import Query
from incidents.record import Incident, Source
from incidents.store.base import NotAllowed
from incidents.store.column_load import cached_index
from incidents.store.gpkg import GeoPackageStore
from incidents.store.record_store import RecordStore
from tests.conftest import EDITOR, _postgis_url
from tests.security.test_roles_outputs import OUTPUTS, produce, rules_named

H_SITE = (32.48171, 13.58293)  # an exact site in Al Marqab, away from every public point
H_PLACE = "CANARYHSITE, the farm on the Bani Walid road"
# Its day (17 June), a report of the next day, and the days it was entered and last
# changed (as a record migrated from an older store keeps them): the public sees June.
H_DAYS = (17, 18, 19)
H_TIMES = {"created_at": "2020-06-17T09:12:31.000000Z",
           "updated_at": "2020-06-19T16:40:05.000000Z", "version": 7}  # fmt: skip
H = Incident(
    id="syn-hidden-h", type="mass_grave", title="CANARYHTITLE", date_start=date(2020, 6, 17),
    date_end=date(2020, 6, 17), place=H_PLACE, country="LY", admin1="Al Marqab",
    admin1_code="LY-MB", latitude=H_SITE[0], longitude=H_SITE[1], location_precision="exact",
    sensitivity="public", public_date_to_month=True,
    sources=(Source(title="CANARYHSOURCE", publisher="CANARYHPUBLISHER", date="2020-06-18",
                    url="https://example.org/report"),),
)  # fmt: skip
PAGE_COLUMNS = tuple(dict.fromkeys((*MAP_COLUMNS, *TABLE_COLUMNS)))  # as app_pages/map_page.py
# What the app's map page is given for the public: the table's and markers' rows (read
# by fid from the column index, as app_pages/common.py does) and a record's details.
PAGE_OUTPUTS = ["page-rows", "page-details"]


def hidden_texts(output: str) -> list[str]:
    """Every way an output could write H's hidden days, times or site."""
    texts = ["CANARYHSITE", "09:12:31", "16:40:05"]
    for d in H_DAYS:
        texts += [f"2020-06-{d}", f"202006{d}", f"{d} June 2020", f"June {d}", f"{d} Jun 2020",
                  f"{d}/06/2020", f"06/{d}/2020", f"{d}.06.2020", f"2020/06/{d}"]  # fmt: skip
    drawn = output.startswith(("png", "svg", "pdf", "pptx"))
    digits = 5 if drawn else 3  # drawings hold their own numbers: see the canary test
    texts += [f"{H_SITE[0]:.{digits}f}", f"{H_SITE[1]:.{digits}f}"]
    return texts


@pytest.fixture(
    scope="module",
    params=["gpkg-district", "gpkg-grid", "gpkg-town", "postgis-district", "postgis-town"],
)
def hidden_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A store holding H alone, with the times and version it was migrated with."""
    kind, rules_name = request.param.split("-")
    rules = rules_named(rules_name)
    if kind == "postgis":
        url = _postgis_url()
        if url is None:
            pytest.skip("no PostGIS server (scripts/test.sh starts one)")
        from incidents.store.postgis import PostGISStore

        store: RecordStore = PostGISStore(url, rules, schema="t_" + uuid.uuid4().hex[:12])
    else:
        store = GeoPackageStore(Path(tmp_path_factory.mktemp("hidden")) / "h.gpkg", rules)
    store.write_batch([H], EDITOR)
    _copy_provenance(store, [H.replace(created_by=EDITOR.name, updated_by=EDITOR.name, **H_TIMES)])
    held = store.get(H.id, EDITOR)
    assert held is not None and held.created_at == H_TIMES["created_at"]  # planted
    yield store
    if kind == "postgis":
        store.drop_schema()  # type: ignore[attr-defined]


def public_output(store: RecordStore, output: str) -> str:
    """An output for the public as text (the canary test's produce, or the page's data)."""
    public = Viewer("hidden-public", Role.PUBLIC)
    if output == "page-rows":
        fids = cached_index(store, public).first_fids(Query(), 500)
        return store.rows_for([int(f) for f in fids], public, list(PAGE_COLUMNS)).to_csv()
    if output == "page-details":
        return repr(store.get(H.id, public))
    return produce(store, Role.PUBLIC, output).text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("output", [*OUTPUTS, *PAGE_OUTPUTS])
def test_public_outputs_never_show_a_hidden_day_or_site(hidden_store, output):
    """Month-only means every date of the record: its own, its sources', its times."""
    text = public_output(hidden_store, output)
    leaked = [t for t in hidden_texts(output) if t in text]
    assert not leaked, f"{output}: the public output shows {leaked}"
    if output in (*TABLE_FORMATS, "page-rows"):
        assert "CANARYHTITLE" in text and "2020-06-01" in text  # the search finds H
    if output in ("pptx", "pptx-index", "page-details"):  # the sources are there, by month
        assert "CANARYHPUBLISHER" in text and "2020-06" in text


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_public_tables_carry_no_record_times_and_staff_ones_do(hidden_store, fmt):
    """created_at/updated_at cannot be coarsened meaningfully, and version rises with
    edits the public cannot see: public tables have none of them; staff tables keep them."""
    for role, shown in ((Role.PUBLIC, False), (Role.VIEWER, True)):
        text = produce(hidden_store, role, fmt).text
        for column in ("created_at", "updated_at", "version"):
            assert (f'"{column}"' in text or f",{column}" in text or f">{column}<" in text) is shown
        assert ("2020-06-18" in text) is shown  # the source's day, for staff only


def test_the_publics_search_does_not_confirm_a_hidden_site_name(hidden_store):
    public = Viewer("hidden-public", Role.PUBLIC)
    assert hidden_store.count(Query(text="CANARYHTITLE"), public) == 1  # the search works
    assert hidden_store.count(Query(text="CANARYHSITE"), public) == 0
    assert hidden_store.query(Query(text="CANARYHSITE"), public).empty


def test_the_public_reads_no_audit_entry_of_the_record(hidden_store):
    """Audit entries hold the exact day, site and the time of each change."""
    public = Viewer("hidden-public", Role.PUBLIC)
    assert hidden_store.history(H.id, public) == []  # the detail panel's change history
    with pytest.raises(NotAllowed):
        hidden_store.audit_log(public)
    assert any(H_SITE[0] == json.loads(e.after or "{}").get("latitude")
               for e in hidden_store.history(H.id, Viewer("staff", Role.VIEWER)))  # fmt: skip


def test_an_edit_the_public_cannot_see_leaves_its_files_unchanged(store):
    """Moving H within its month and its district changes nothing the public gets: no
    version or time of change says that something hidden was edited, or when."""
    store.write_batch([H], EDITOR)
    before = {fmt: produce(store, Role.PUBLIC, fmt).text for fmt in ("csv", "geojson")}
    held = store.get(H.id, EDITOR)
    assert held is not None
    moved = held.replace(date_start=date(2020, 6, 21), date_end=date(2020, 6, 22),
                         latitude=32.47012, longitude=13.59876)  # fmt: skip
    assert store.save(moved, EDITOR).version == held.version + 1
    after = {fmt: produce(store, Role.PUBLIC, fmt).text for fmt in ("csv", "geojson")}
    assert after["csv"] == before["csv"]
    old, new = json.loads(before["geojson"]), json.loads(after["geojson"])
    assert new["features"] == old["features"]
    assert new["metadata"]["Data version"] == old["metadata"]["Data version"]
