"""The import page with Streamlit's AppTest: a file uploaded, the mapping chosen column
by column, the same value for every row, Check only, Import, warnings."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from incidents.query import Query
from incidents.store import open_store
from tests.app.conftest import point_app_at

TIMEOUT = 60
ROOT = Path(__file__).resolve().parents[2]


IMPORT_PAGE = str(ROOT / "app_pages" / "import_page.py")


def page(path: Path) -> AppTest:
    """The import page with the file at path uploaded."""
    at = AppTest.from_file(IMPORT_PAGE, default_timeout=TIMEOUT).run()
    return at.file_uploader[0].set_value((path.name, path.read_bytes(), "text/csv")).run()


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return point_app_at(str(tmp_path / "empty.gpkg"), tmp_path, monkeypatch)


def _plain(markdown: str) -> str:
    """Text the page escaped for Markdown, as the reader sees it."""
    return html.unescape(markdown.replace("\\", ""))


def _report(at: AppTest) -> str:
    """The import report as the page shows it: plain text, never Markdown."""
    return "\n".join(t.value for t in at.text)


def _buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def _own_names(tmp_path: Path) -> Path:
    path = tmp_path / "own_names.csv"
    path.write_text(
        "Incident Kind,When,Town,Country name,Remarks\n"
        "Torture,2020-03-01,Tarhuna,Libya,SYNTHETIC first\n"
        "Killing,2020-04-02,Tarhuna,Libya,SYNTHETIC second\n"
        "Torture,2020-02-30,Tarhuna,Libya,SYNTHETIC no such day\n",
        encoding="utf-8",
    )
    return path


def test_a_sheet_with_its_own_column_names_is_mapped_checked_and_imported(
    empty_db, as_editor, tmp_path
):
    at = page(_own_names(tmp_path))
    assert not at.exception
    maps = {_plain(s.label): s for s in at.selectbox if s.key and s.key.startswith("import_map:")}
    assert maps["When"].value == "" and maps["Incident Kind"].value == ""  # — not used —
    assert maps["Town"].value == ""
    assert any(
        "Incident template" in c.value and "encoding utf-8, delimiter comma" in _plain(c.value)
        for c in at.caption
    )
    assert any("gives the date (From)" in _plain(w.value) for w in at.warning)
    assert not any(label.startswith(("Import", "Check")) for label in _buttons(at))
    maps["Incident Kind"].set_value("type")
    maps["When"].set_value("date_start")
    maps["Town"].set_value("place")
    maps["Country name"].set_value("country")
    at.run()
    assert not at.exception and not at.warning
    preview = at.dataframe[0].value
    assert list(preview["Type"])[:2] == ["Torture", "Summary execution / killing"]
    assert list(preview["Country"])[:2] == ["LY", "LY"]
    assert list(preview["Problems and notes"])[:2] == ["", ""]
    assert preview["Problems and notes"][2].startswith("rejected: From: '2020-02-30'")
    assert "Import 3 rows" in _buttons(at)
    at.button(key="import_check").click().run()
    report = _report(at)
    assert "check only: nothing was written" in report and "new: 2" in report
    assert "row 4: From: '2020-02-30' is not a real calendar date" in report
    assert open_store(empty_db).count(Query(), as_editor) == 0
    at.button(key="import_run").click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Imported"] == "2"
    assert open_store(empty_db).count(Query(), as_editor) == 2


def test_a_file_that_cannot_be_read_gets_a_sentence_and_no_import_button(
    empty_db, as_editor, tmp_path
):
    empty = ROOT / "tests" / "fixtures" / "template" / "empty.csv"
    at = page(empty)
    assert not at.exception and at.error and "cannot be read" in at.error[0].value
    assert not any(label.startswith(("Import", "Check")) for label in _buttons(at))
    header_only = tmp_path / "header_only.csv"
    header_only.write_text("type,date_start,place\n", encoding="utf-8")
    at = page(header_only)
    assert any("no rows" in w.value for w in at.warning)
    assert not any(label.startswith(("Import", "Check")) for label in _buttons(at))


def test_the_same_value_for_every_row_and_a_wrong_one(empty_db, as_editor, tmp_path):
    sheet = tmp_path / "no_type.csv"
    sheet.write_text("id,date_start,place\nf-1,2020-06-01,Baidoa\n", encoding="utf-8")
    at = page(sheet)
    at.multiselect(key=f"import_fixed:{sheet.name}").set_value(["type", "country"]).run()
    at.text_input(key=f"import_fixed:{sheet.name}:type").set_value("massacre")
    at.text_input(key=f"import_fixed:{sheet.name}:country").set_value("Somalia").run()
    assert any("every row's type: 'massacre'" in _plain(e.value) for e in at.error)
    assert not any(label.startswith(("Import", "Check")) for label in _buttons(at))
    at.text_input(key=f"import_fixed:{sheet.name}:type").set_value("killing").run()
    assert not at.error
    at.button(key="import_run").click().run()
    assert not at.exception
    record = open_store(empty_db).get("f-1", as_editor)
    assert record is not None and (record.type, record.country) == ("killing", "SO")


def test_warnings_are_counted_listed_and_offered_for_download(empty_db, as_editor, tmp_path):
    from tests.core.test_importer import _ucdp_with_counts

    at = page(_ucdp_with_counts(tmp_path, "1", "3", "2"))
    at.button(key="import_run").click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Warned"] == "1" and metrics["Unchanged"] == "0"
    report = _report(at)
    assert "row 3, Killed max: max 2 was below best 3" in report
    assert "read as: UCDP" in report or "read as: HXL" in report
    downloads = list(at.get("download_button"))
    assert any("warnings" in d.proto.label for d in downloads)


def test_a_viewer_sees_the_preview_but_no_buttons(empty_db, tmp_path):
    at = page(_own_names(tmp_path))
    assert not at.exception
    assert not any(label.startswith(("Import", "Check")) for label in _buttons(at))


REAL = ROOT / "tests" / "fixtures" / "real"


def _acled_renamed(tmp_path: Path) -> Path:
    """The real 2020 ACLED export with 'fatalities' renamed by a user ('Deaths')."""
    text = (REAL / "acled_2020_export_afghanistan.csv").read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    path = tmp_path / "acled_deaths.csv"
    path.write_text(header.replace(",fatalities,", ",Deaths,") + "\n" + rest, encoding="utf-8")
    return path


def test_an_acled_file_gets_editable_mapping_checked_and_imported(empty_db, as_editor, tmp_path):
    """ACLED (not only the template) gets a choice per column, starting where ACLED's
    reader puts it; a renamed column chosen as ACLED's 'fatalities' fills the counts in
    the preview, Check only lists problems by row, and Import stores them."""
    at = page(_acled_renamed(tmp_path))
    assert not at.exception
    maps = {_plain(s.label): s for s in at.selectbox if s.key and s.key.startswith("import_map:")}
    assert maps["event_date"].value == "event_date" and maps["Deaths"].value == ""
    assert any("layout: ACLED 2019-2022 export" in _plain(c.value) for c in at.caption)
    assert "Killed best" not in at.dataframe[0].value.columns
    maps["Deaths"].set_value("fatalities").run()
    assert not at.exception
    preview = at.dataframe[0].value
    assert "Killed best" in preview.columns and list(preview["Row"])[:2] == ["2", "3"]
    at.button(key="import_check").click().run()
    report = _report(at)
    assert "check only: nothing was written" in report and "new: 28" in report
    assert open_store(empty_db).count(Query(), as_editor) == 0
    at.button(key="import_run").click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Imported"] == "28"
    frame = open_store(empty_db).query(Query(), as_editor)
    assert frame["killed_best"].fillna(0).astype(int).sum() > 0


def test_a_ucdp_file_inside_hxl_offers_ucdps_columns(empty_db, as_editor, tmp_path):
    at = page(REAL / "ucdp_ged_hdx_hxl_bangladesh.csv")
    assert not at.exception
    maps = {_plain(s.label): s for s in at.selectbox if s.key and s.key.startswith("import_map:")}
    assert (
        maps["best"].value == "best"
        and "deaths_civilians (UCDP GED column) → Description" in maps["best"].options
    )
    maps["best"].set_value("").run()  # not read: the preview shows no counts
    assert not at.exception
    assert "Killed best" not in at.dataframe[0].value.columns


def test_a_check_lists_problems_by_row_before_anything_is_written(empty_db, as_editor, tmp_path):
    path = tmp_path / "two_bad.csv"
    path.write_text(
        "type,date_start,place,country\n"
        "killing,2020-06-01,Tarhuna,Libya\n"
        "killing,not a date,Tarhuna,Libya\n"
        "killing,2020-06-03,Tarhuna,Atlantis\n",
        encoding="utf-8",
    )
    at = page(path)
    at.button(key="import_check").click().run()
    report = _report(at)
    assert "row 3: From:" in report and "row 4: Country:" in report
    assert open_store(empty_db).count(Query(), as_editor) == 0


def test_a_sheet_of_no_known_format_says_what_is_read_and_offers_no_import(
    empty_db, as_editor, tmp_path
):
    path = tmp_path / "budget.csv"
    path.write_text("Item,Amount\nTents,300\n", encoding="utf-8")
    at = page(path)
    assert not at.exception
    assert any("match none of the formats" in i.value and "GeoJSON" in i.value for i in at.info)
    assert not any(label.startswith(("Import", "Check")) for label in _buttons(at))


def test_a_geojson_with_its_own_property_names_is_not_called_an_unknown_format(
    empty_db, as_editor, tmp_path
):
    """Tried as a new user would: a GeoJSON export from another tool was called a file
    whose columns "match none of the formats (..., GeoJSON, ...)"."""
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [13.63, 32.43]},
        "properties": {"Kind": "mass grave", "Found on": "2020-06-11"},
    }
    path = tmp_path / "sites.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    at = page(path)
    assert not at.exception
    said = " ".join(i.value for i in at.info)
    assert "properties have names of their own" in said and "match none" not in said


def test_the_page_says_when_the_default_country_was_used(empty_db, as_editor, tmp_path):
    path = tmp_path / "no_country.csv"
    path.write_text(
        "type,date_start,place\nkilling,2020-06-01,Baidoa\nkilling,2020-06-02,Kismayo\n",
        encoding="utf-8",
    )
    at = page(path)
    notes = list(at.dataframe[0].value["Problems and notes"])
    assert all("no country named and no point: the default, Libya (LY)" in n for n in notes)
    at.button(key="import_check").click().run()
    kept = "placed in Libya (LY), the tool's default country"  # the offer, kept
    assert any(
        "2 rows named no country and had no point" in w.value and kept in _plain(w.value)
        for w in at.warning
    )
    at.text_input(key=f"import_country:{path.name}").set_value("Atlantis").run()
    assert any("default country is not a country" in e.value for e in at.error)
    assert not any(label.startswith(("Import", "Check")) for label in _buttons(at))
    at.text_input(key=f"import_country:{path.name}").set_value("Somalia").run()
    at.button(key="import_run").click().run()
    chosen = "Somalia (SO), the default country given for this import"
    assert any(chosen in _plain(w.value) for w in at.warning)
    frame = open_store(empty_db).query(Query(), as_editor)
    assert set(frame["country"]) == {"SO"}


def test_the_page_offers_the_country_the_file_names(empty_db, as_editor, tmp_path):
    """Tried as a new user would: a Somali file, one row of which named no country,
    was offered Libya for it. The offer is the country the file's rows name."""
    path = tmp_path / "mostly_somali.csv"
    path.write_text(
        "type,date_start,place,country\nkilling,2020-06-01,Baidoa,\n"
        "killing,2020-06-02,Kismayo,Somalia\n",
        encoding="utf-8",
    )
    at = page(path)
    assert at.text_input(key=f"import_country:{path.name}").value == "Somalia"
    notes = list(at.dataframe[0].value["Problems and notes"])
    assert "no country named and no point: the default, Somalia (SO)" in notes[0]
    at.button(key="import_run").click().run()
    frame = open_store(empty_db).query(Query(), as_editor)
    assert set(frame["country"]) == {"SO"}


def test_a_file_s_own_words_in_a_refusal_stay_text(empty_db, as_editor, tmp_path):
    """Tried as a red team would: a GeoJSON whose coordinate system's name held a
    Markdown link and image was refused with them drawn (a phishing link on the page,
    an image fetched from elsewhere). The file's words are shown as written."""
    hostile = (
        "**BOLD** [Click here to re-upload](https://evil.example/phish) "
        "![beacon](http://198.51.100.7/b.png) :material/warning: $x^2$"
    )
    crs = {"type": "name", "properties": {"name": hostile}}
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [13.5, 32.5]},
        "properties": {"type": "killing", "date_start": "2020-01-01"},
    }
    path = tmp_path / "crs.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": crs, "features": [feature]}))
    at = page(path)
    said = " ".join(e.value for e in at.error)
    assert hostile.lower() in _plain(said).lower()  # the reader sees the words as written
    assert "[Click here" not in said and "](http" not in said and ":material" not in said


def test_a_timemap_file_gets_mapping_choices_too(empty_db, as_editor, tmp_path):
    """Timemap events: each column starts as the reader takes it; a column chosen for
    a template field fills it in the preview (and the import), as --map does."""
    at = page(REAL / "timemap_project_mariupol_excerpt.json")
    assert not at.exception
    maps = {_plain(s.label): s for s in at.selectbox if s.key and s.key.startswith("import_map:")}
    assert maps["location"].value == ""  # as the timemap reader takes it
    layout = "timemap: events with sources and associations"
    assert any(layout in _plain(c.value) for c in at.caption)
    maps["id"].set_value("title").run()
    assert not at.exception
    titles = list(at.dataframe[0].value["Title"])
    assert titles and all(t.startswith("CIV") for t in titles)


def test_a_file_that_is_not_a_table_says_what_the_tool_reads(empty_db, as_editor, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(bytes(range(256)) * 40)  # not text in any encoding the tool reads
    at = page(path)
    assert not at.exception
    said = _plain(at.error[0].value)
    assert "cannot be read" in said and "The tool reads CSV or XLSX sheets" in said
    assert not any(label.startswith(("Import", "Check")) for label in _buttons(at))


_UNCLOSED = 'id,type,date_start,title\nq-1,killing,2020-06-01,"Unclosed\nq-2,killing,2020-06-02,B\n'
_GIVEN_TWICE = (
    '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null, '
    '"properties": {"sensitivity": "restricted", "sensitivity": "public"}}]}'
)


@pytest.mark.parametrize(
    ("name", "content"), [("quote.csv", _UNCLOSED), ("twice.geojson", _GIVEN_TWICE)]
)
def test_a_refusal_of_what_a_readable_file_holds_does_not_list_the_formats(
    empty_db, as_editor, tmp_path, name, content
):
    """The list of formats helps with a file of the wrong kind, not with a CSV whose
    quote is never closed or a GeoJSON that gives a property twice: there it leads
    away from the fix the sentence names."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    at = page(path)
    assert not at.exception
    said = _plain(at.error[0].value)
    assert "cannot be read" in said and "The tool reads" not in said


def test_dates_that_cannot_tell_are_read_in_the_order_chosen(empty_db, as_editor, tmp_path):
    """The page's counterpart of --day-first / --month-first: rows refused as 'could be
    3 April or 4 March' import once the order is chosen."""
    path = tmp_path / "ambiguous.csv"
    path.write_text(
        "id,type,date_start,place,country\n"
        "d-1,killing,03/04/2020,Tarhuna,Libya\nd-2,killing,05/06/2020,Tarhuna,Libya\n",
        encoding="utf-8",
    )
    at = page(path)
    assert all(p.startswith("rejected: From") for p in at.dataframe[0].value["Problems and notes"])
    at.selectbox(key=f"import_day_order:{path.name}").set_value(
        "month first (03/04/2020 is March 4)"
    ).run()
    assert list(at.dataframe[0].value["From"]) == ["2020-03-04", "2020-05-06"]
    at.button(key="import_run").click().run()
    record = open_store(empty_db).get("d-1", as_editor)
    assert record is not None and record.date_start.isoformat() == "2020-03-04"


def test_an_editors_preview_says_which_rows_are_of_deleted_records(empty_db, as_editor, tmp_path):
    path = tmp_path / "with_ids.csv"
    path.write_text(
        "id,type,title,date_start,place,country\n"
        "syn-a,torture,SYNTHETIC kept,2020-03-01,Tarhuna,LY\n"
        "syn-b,killing,SYNTHETIC deleted in the app,2020-04-02,Tarhuna,LY\n",
        encoding="utf-8",
    )
    from incidents.importer import import_file

    store = open_store(empty_db)
    import_file(path, store, as_editor)
    store.delete("syn-b", store.get("syn-b", as_editor).version, as_editor, "entered twice")
    at = page(path)
    assert not at.exception
    problems = list(at.dataframe[0].value["Problems and notes"])
    assert not problems[0].startswith("matches deleted")
    assert problems[1].startswith("matches deleted record syn-b: the import will leave it deleted")


def test_check_only_warns_of_records_the_file_would_write_over(empty_db, as_editor, tmp_path):
    """A walk: a record edited in the app, the same file checked again; the check said
    "Already stored 2" and the import then wrote over the edit. Now the page warns."""
    path = _own_names(tmp_path)
    mapping = {"Incident Kind": "type", "When": "date_start", "Town": "place"}
    at = page(path)
    for label, target in mapping.items():
        next(s for s in at.selectbox if _plain(s.label) == label).set_value(target)
    at.run().button(key="import_run").click().run()
    store = open_store(empty_db)
    first = store.query(Query(), as_editor)["id"][0]
    record = store.get(first, as_editor)
    assert record is not None
    store.save(record.replace(type="killing" if record.type == "torture" else "torture"), as_editor)
    at = page(path)
    for label, target in mapping.items():
        next(s for s in at.selectbox if _plain(s.label) == label).set_value(target)
    at.run().button(key="import_check").click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["To update"] == "1"
    assert any("1 stored record would change" in w.value for w in at.warning)
    assert "): Type" in _report(at)
