"""The app's export panel: audiences bounded by the person's role, one button per format."""

from __future__ import annotations

import io

from PIL import Image
from streamlit.testing.v1 import AppTest

from app_pages.export_panel import _maker, view_parts
from incidents.access import Role, Viewer
from incidents.export.service import FORMATS, ExportRequest
from incidents.query import Query
from incidents.store import open_store


def _app(db: str, role: str) -> None:
    from app_pages.export_panel import render_export_panel
    from incidents.access import Role, Viewer
    from incidents.query import Query
    from incidents.store import open_store

    view = {"bounds": (12.5, 32.0, 14.5, 33.0), "link": "http://localhost:8501/?v=1"}
    render_export_panel(open_store(db), Viewer("someone", Role(role)), Query(), view)


def test_panel_offers_only_the_audiences_the_role_reaches(tarhuna_db):
    app = AppTest.from_function(_app, args=(tarhuna_db, "viewer"), default_timeout=60).run()
    assert not app.exception
    profiles = next(r for r in app.radio if r.key == "export_profile")
    assert list(profiles.options) == ["Public: Public records only; places shown at their "
                                      "town, a grid square or the district centre",
                                      "Partner: For partner organisations; "
                                      "not for publication"]  # fmt: skip
    assert len(app.get("download_button")) == len(FORMATS)


def test_a_download_builds_the_file_on_click(tarhuna_db):
    make = _maker(open_store(tarhuna_db), Viewer("someone", Role.VIEWER), Query(),
                  ExportRequest("png", profile="partner", extent=view_parts(
                      {"bounds": (12.5, 32.0, 14.5, 33.0)})[0]))  # fmt: skip
    assert Image.open(io.BytesIO(make())).size == (1920, 1080)


def test_view_parts_accepts_the_shapes_the_map_page_may_pass():
    assert view_parts(None) == (None, "")
    assert view_parts((1, 2, 3, 4)) == ((1.0, 2.0, 3.0, 4.0), "")
    assert view_parts({"bounds": [1, 2, 3, 4], "link": "x"}) == ((1.0, 2.0, 3.0, 4.0), "x")


def _arabic_app(db: str) -> None:
    from app_pages.export_panel import render_export_panel
    from incidents.access import Role, Viewer
    from incidents.query import Query
    from incidents.store import open_store
    from incidents.translation import set_language

    set_language("ar")
    render_export_panel(open_store(db), Viewer("someone", Role.VIEWER), Query(), None)


def test_an_arabic_page_offers_the_audiences_in_arabic(tarhuna_db):
    from incidents.export.profiles import PROFILES
    from incidents.export.service import in_language

    app = AppTest.from_function(_arabic_app, args=(tarhuna_db,), default_timeout=60).run()
    assert not app.exception
    profiles = next(r for r in app.radio if r.key == "export_profile")
    public = PROFILES["public"]
    said = in_language("ar", lambda: f"{public.name_shown()}: {public.notice_shown()}")
    assert next(iter(profiles.options)) == said
    assert said.startswith("عام: ")


def test_staff_are_told_what_a_public_file_leaves_out(tmp_path):
    """A public export left restricted incidents out and its counts said nothing of them
    (rightly: they are not the public's to count); the staff member choosing Public is
    now told how many, and the partner audience or a signed-out visitor is not."""
    from incidents.importer import import_file
    from tests.conftest import EDITOR, EXAMPLE

    db = str(tmp_path / "two.gpkg")
    store = open_store(db)
    import_file(EXAMPLE, store, EDITOR)
    for record_id in ("tarhuna-ex-001", "tarhuna-ex-002"):
        record = store.get(record_id, EDITOR)
        assert record
        store.save(record.replace(sensitivity="restricted"), EDITOR)
    told = (
        "A Public file of this selection holds 2 incidents fewer: restricted records are "
        "left out, and some places and dates are coarsened for the public."
    )
    app = AppTest.from_function(_app, args=(db, "viewer"), default_timeout=60).run()
    assert [i.value for i in app.info] == [told]
    next(r for r in app.radio if r.key == "export_profile").set_value("partner").run()
    assert not app.info
    public = AppTest.from_function(_app, args=(db, "public"), default_timeout=60).run()
    assert not public.exception and not public.info
