"""The command line, the audience profiles and the audit log entry of every export."""

from __future__ import annotations

import io
import json

import pytest
from export_fixtures import RESTRICTED_TITLE, SECRET
from PIL import Image

from incidents.access import SYSTEM, Role, Viewer
from incidents.cli import main
from incidents.export.profiles import allowed_profiles, export_viewer, get_profile
from incidents.export.service import ExportRequest, run_export
from incidents.query import Query
from incidents.store import open_store


def test_cli_png_is_the_tarhuna_slide(tarhuna_db, tmp_path, capsys):
    out = tmp_path / "tarhuna.png"
    code = main(["--db", tarhuna_db, "export", "png", "--out", str(out), "--from", "2015-01-01",
                 "--to", "2023-12-31", "--type", "Mass grave", "--type", "killing",
                 "--label", "Tarhuna@32.43501,13.6332", "--profile", "partner",
                 "--link", "http://localhost:8501/?v=1"])  # fmt: skip
    assert code == 0
    assert Image.open(out).size == (1920, 1080)
    assert "3 incidents, profile Partner" in capsys.readouterr().out


def test_cli_names_the_profile_in_the_readers_language(tarhuna_db, tmp_path, capsys):
    """An Arabic reader was told "الجمهور public": the profile's name is a word too."""
    out = tmp_path / "tarhuna.png"
    assert main(["--lang", "ar", "--db", tarhuna_db, "export", "png", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "الجمهور عام" in said and "public" not in said


@pytest.mark.parametrize("fmt", ["svg", "pdf", "pptx", "html", "csv", "xlsx", "geojson"])
def test_cli_writes_every_format(tarhuna_db, tmp_path, fmt):
    out = tmp_path / f"export.{fmt}"
    assert main(["--db", tarhuna_db, "export", fmt, "--out", str(out)]) == 0
    assert out.stat().st_size > 500


def test_cli_refuses_bad_filters_in_words(tarhuna_db, tmp_path, capsys):
    out = tmp_path / "x.png"
    assert main(["--db", tarhuna_db, "export", "png", "--out", str(out), "--type", "war"]) == 2
    assert "not a type" in capsys.readouterr().err
    assert main(["--db", tarhuna_db, "export", "png", "--out", str(out), "--panels", "period"]) == 2


def test_cli_period_panels(tarhuna_db, tmp_path):
    out = tmp_path / "periods.svg"
    args = ["--db", tarhuna_db, "export", "svg", "--out", str(out), "--panels", "period",
            "--break", "2020-06-01"]  # fmt: skip
    assert main(args) == 0
    assert "Before 1 June 2020" in out.read_text()


def test_each_export_is_logged_without_names_in_the_file(mixed_db):
    store = open_store(mixed_db)
    person = Viewer("analyst-name-7", Role.ADMIN)
    result = run_export(store, person, Query(), ExportRequest("png", profile="partner"))
    entry = store.audit_log(SYSTEM)[-1]
    assert entry.action == "export" and entry.actor == "analyst-name-7"
    detail = json.loads(entry.after or "{}")  # log_event stores the detail as "after"
    assert detail == {"format": "png", "profile": "partner", "count": result.count,
                      "data_version": result.data_version}  # fmt: skip
    assert b"analyst-name-7" not in result.data
    assert "analyst-name-7" not in str(Image.open(io.BytesIO(result.data)).info)


def test_a_profile_never_widens_access():
    public = Viewer("visitor", Role.PUBLIC)
    assert allowed_profiles(public) == ("public",)
    assert export_viewer(public, get_profile("internal")).role is Role.PUBLIC
    staff = Viewer("staff", Role.ADMIN)
    assert export_viewer(staff, get_profile("partner")).role is Role.VIEWER
    assert allowed_profiles(staff) == ("public", "partner", "internal")


def test_public_export_hides_restricted_records_and_secrets(mixed_db):
    store = open_store(mixed_db)
    staff = Viewer("staff", Role.ADMIN)
    for fmt in ("svg", "csv", "html", "geojson"):
        data = run_export(store, staff, Query(), ExportRequest(fmt, profile="public")).data
        assert RESTRICTED_TITLE.encode() not in data, fmt
        assert SECRET.encode() not in data, fmt


def test_internal_images_never_print_confidential_fields(mixed_db):
    store = open_store(mixed_db)
    staff = Viewer("staff", Role.ADMIN)
    svg = run_export(store, staff, Query(), ExportRequest("svg", profile="internal")).data
    assert b"INTERNAL" in svg and SECRET.encode() not in svg
    csv = run_export(store, staff, Query(), ExportRequest("csv", profile="internal")).data
    assert SECRET.encode() in csv  # internal tables do carry them


@pytest.mark.parametrize("lang", ["en", "ar", "fr"])
def test_an_audience_is_named_once_in_the_export_panels_choice(lang):
    """The panel and every file face read 'Internal: Internal: staff only…' (the notice
    started with the audience's name)."""
    from incidents.export.service import in_language

    for name in ("public", "partner", "internal"):
        profile = get_profile(name)
        words = in_language(lang, profile.choice_shown)
        named = in_language(lang, profile.name_shown)
        assert words.casefold().startswith(named.casefold()), words
        rest = words[len(named) :].lstrip(" :：")
        assert not rest.casefold().startswith(f"{named}:".casefold()), words
        assert not rest.casefold().startswith(f"{named} :".casefold()), words
        notice = in_language(lang, profile.notice_shown).casefold()  # as faces print it
        assert not notice.startswith((f"{named}:".casefold(), f"{named} :".casefold()))
