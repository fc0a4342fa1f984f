"""Importing real files into a real GeoPackage: every row accounted for, nothing lost."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import xlsxwriter

from incidents.import_read import ImportFailed, ImportOptions
from incidents.importer import import_file
from incidents.query import Query
from tests.conftest import EDITOR, EXAMPLE

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "template"


def reasons(report) -> dict[str, str]:
    return {r.cells.get("id", str(r.row)): r.reason_text() for r in report.rejected}


def test_mixed_file_keeps_good_rows_and_explains_bad_ones(gpkg_store):
    report = import_file(FIXTURES / "mixed.csv", gpkg_store, EDITOR)
    assert report.rows_read == 10
    assert report.accounted
    assert report.imported == 4
    why = reasons(report)
    assert "not a real calendar date" in why["syn-t-03"]
    assert "not one of" in why["syn-t-04"]
    assert "swapped" in why["syn-t-05"]
    assert "future" in why["syn-t-06"]
    assert "header" in why["id"]
    assert "TN" in why["syn-t-07"]
    rows = {r.row: r for r in report.rejected}
    assert rows[4].reasons[0][0] == "date_start"  # row numbers are spreadsheet rows


def test_reimporting_changes_nothing(gpkg_store):
    first = import_file(FIXTURES / "mixed.csv", gpkg_store, EDITOR)
    version = gpkg_store.data_version()
    again = import_file(FIXTURES / "mixed.csv", gpkg_store, EDITOR)
    assert again.imported == again.changed == 0
    assert again.updated == again.unchanged == first.imported and again.accounted
    assert gpkg_store.data_version() == version
    assert "  unchanged: 4" in again.lines() and "  updated: 0" in again.lines()
    assert not any("of which" in line for line in again.lines())
    check = import_file(FIXTURES / "mixed.csv", gpkg_store, EDITOR, ImportOptions(dry_run=True))
    assert (check.imported, check.updated) == (0, first.imported) and check.accounted
    assert "  unchanged: 4" in check.lines() and "  to update: 0" in check.lines()
    assert gpkg_store.data_version() == version  # a check's writes are rolled back


def test_geocoding_places_spellings_and_flags_nonsense(gpkg_store):
    import_file(FIXTURES / "mixed.csv", gpkg_store, EDITOR)
    geocoded = gpkg_store.get("syn-t-02", EDITOR)
    assert geocoded.location_method == "geocoded" and geocoded.place_confirmed
    assert abs(geocoded.latitude - 32.435) < 0.05 and geocoded.admin1_code == "LY-MB"
    arabic = gpkg_store.get("syn-t-08", EDITOR)
    assert arabic.place == "ترهونة" and arabic.admin1_code == "LY-MB"
    nonsense = gpkg_store.get("syn-t-09", EDITOR)
    assert not nonsense.place_confirmed and nonsense.latitude is None


def test_rejected_rows_can_be_fixed_and_reimported(gpkg_store, tmp_path):
    report = import_file(FIXTURES / "mixed.csv", gpkg_store, EDITOR)
    rows = list(csv.DictReader(io.StringIO(report.rejected_csv().decode("utf-8-sig"))))
    assert len(rows) == len(report.rejected)
    fixed = [r for r in rows if r["id"] == "syn-t-03"]
    fixed[0]["date_start"] = "2020-02-28"
    path = tmp_path / "fixed.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(fixed)
    again = import_file(path, gpkg_store, EDITOR)
    assert again.imported == 1 and not again.rejected


@pytest.mark.parametrize("name", ["cp1256.csv", "bom.csv"])
def test_encodings_researchers_send(gpkg_store, name):
    report = import_file(FIXTURES / name, gpkg_store, EDITOR)
    assert report.accounted and report.imported >= 1
    titles = gpkg_store.query(Query(), EDITOR, ["title", "description", "place"])
    if name == "cp1256.csv":
        assert "مصراتة" in set(titles["place"]) or "ترهونة" in set(titles["place"])


def test_unusable_files_fail_whole_with_a_reason(gpkg_store, tmp_path):
    with pytest.raises(ImportFailed, match="empty"):
        import_file(FIXTURES / "empty.csv", gpkg_store, EDITOR)
    other = tmp_path / "other.csv"
    other.write_text("name,age\nx,1\n")
    with pytest.raises(ImportFailed, match="match no known format"):
        import_file(other, gpkg_store, EDITOR)


def test_ambiguous_dates_are_refused_unless_the_order_is_chosen(gpkg_store):
    report = import_file(FIXTURES / "ambiguous_dates.csv", gpkg_store, EDITOR)
    assert len(report.rejected) == 2 and "3 April" in report.rejected[0].reason_text()
    chosen = import_file(
        FIXTURES / "ambiguous_dates.csv", gpkg_store, EDITOR, ImportOptions(day_order="day_first")
    )
    assert chosen.imported == 2
    assert str(gpkg_store.get("syn-d-1", EDITOR).date_start) == "2020-04-03"


def test_xlsx_with_column_names_as_people_write_them(gpkg_store, tmp_path):
    path = tmp_path / "sheet.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Incident Type", "Date", "Location", "Lat", "Lon", "Notes"])
    sheet.write_row(1, 0, ["Torture", "2020-03-01", "Tarhuna", 32.435, 13.633, "SYNTHETIC"])
    book.close()
    report = import_file(path, gpkg_store, EDITOR)
    assert report.imported == 1, report.lines()


def test_zip_bombs_are_refused(gpkg_store, tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(ImportFailed, match="zip bomb"):
        import_file(path, gpkg_store, EDITOR)


def test_the_bundled_example_imports_cleanly(gpkg_store):
    report = import_file(EXAMPLE, gpkg_store, EDITOR)
    assert report.rows_read >= 5 and not report.rejected, report.lines()
    frame = gpkg_store.query(Query(), EDITOR)
    assert set(frame["admin1_code"]) == {"LY-MB"}


REAL = FIXTURES.parent / "real"


def _ucdp_with_counts(tmp_path: Path, low: str, best: str, high: str, **later: str) -> Path:
    """The real UCDP GED excerpt with its first event's low, best and high replaced
    (and the second event's cells named in `later`)."""
    text = (REAL / "ucdp_ged_hdx_hxl_bangladesh.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    rows[2][header.index("low")], rows[2][header.index("best")] = low, best
    rows[2][header.index("high")] = high
    for name, value in later.items():
        rows[3][header.index(name)] = value
    path = tmp_path / "ucdp.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def test_a_ucdp_best_outside_low_high_is_kept_with_a_warning(gpkg_store, tmp_path):
    path = _ucdp_with_counts(tmp_path, "1", "3", "2")
    report = import_file(path, gpkg_store, EDITOR)
    assert report.accounted and not any(r.row == 3 for r in report.rejected), report.lines()
    assert [(w.row, w.field) for w in report.warnings] == [(3, "killed_max")]
    record = gpkg_store.get(report.warnings[0].id, EDITOR)
    assert (record.killed_min, record.killed_best, record.killed_max) == (1, 3, 3)
    assert "  warned: 1" in report.lines()
    assert any(line.startswith("  row 3, killed_max: max 2") for line in report.lines())
    rows = list(csv.DictReader(io.StringIO(report.warnings_csv().decode("utf-8-sig"))))
    assert rows == [
        {
            "file": "ucdp.csv",
            "row": "3",
            "id": record.id,
            "field": "killed_max",
            "warning": "max 2 was below best 3: max raised to 3, best kept",
        }
    ]


def test_a_placeholder_source_url_keeps_the_row(gpkg_store, tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text(
        "id,type,date_start,place,country,source1_title,source1_url\n"
        "w-1,Killing,2020-06-01,Tarhuna,LY,Witness statement,HIDDEN\n"
        "w-2,Killing,2020-06-02,Tarhuna,LY,Report,n/a\n"
        "w-3,Killing,2020-06-03,Tarhuna,LY,Report,https://example.org/3\n"
        "w-4,Killing,2020-06-04,Tarhuna,LY,Report,BBC News\n",
        encoding="utf-8",
    )
    report = import_file(path, gpkg_store, EDITOR)
    assert report.imported == 3 and report.warned == 2 and len(report.rejected) == 1
    assert [(w.row, w.id, w.field) for w in report.warnings] == [
        (2, "w-1", "source1_url"),
        (3, "w-2", "source1_url"),
    ]
    assert gpkg_store.get("w-1", EDITOR).sources[0].title == "Witness statement"
    assert gpkg_store.get("w-1", EDITOR).sources[0].url == ""


def test_the_summary_says_how_the_file_was_read(gpkg_store, tmp_path):
    report = import_file(REAL / "acled_2015_asia_uppercase.csv", gpkg_store, EDITOR)
    assert report.how_read() == (
        "ACLED export (CSV/XLSX), layout: ACLED 2015-2016 upper-case columns (GWNO, "
        "EVENT_ID_CNTY, no sub_event_type), encoding utf-8, delimiter comma"
    )
    assert report.lines()[1] == "  read as: " + report.how_read()
    names = [line.split(":")[0].strip() for line in report.lines()[2:7]]
    assert names == ["imported", "updated", "unchanged", "warned", "rejected"]
    semicolons = tmp_path / "semi.csv"
    semicolons.write_bytes(
        "type;date_start;place;country\nTorture;2020-03-01;ترهونة;LY\n".encode("cp1256")
    )
    report = import_file(semicolons, gpkg_store, EDITOR)
    assert "delimiter semicolon" in report.how_read() and "1256" in report.how_read()


def test_set_gives_every_row_without_a_value_the_same_one(gpkg_store, tmp_path):
    path = tmp_path / "no_type.csv"
    path.write_text(
        "id,date_start,place,type\ns-1,2020-06-01,Tarhuna,\ns-2,2020-06-02,Tarhuna,torture\n",
        encoding="utf-8",
    )
    report = import_file(path, gpkg_store, EDITOR, ImportOptions(fixed={"type": "killing"}))
    assert report.imported == 2, report.lines()
    assert gpkg_store.get("s-1", EDITOR).type == "killing"
    assert gpkg_store.get("s-2", EDITOR).type == "torture"  # the file's own value wins


@pytest.mark.parametrize(
    ("fixed", "said"),
    [
        ({"type": "massacre"}, "every row's type: 'massacre' is not one of"),
        ({"country": "Atlantis"}, "'Atlantis', is not a country"),
        ({"date_start": "2020-02-30"}, "every row's date_start"),
        ({"colour": "red"}, "'colour' is not a field of the template"),
        ({"id": "x"}, "each row needs its own"),
    ],
)
def test_an_invalid_value_for_every_row_refuses_the_import(gpkg_store, fixed, said):
    version = gpkg_store.data_version()
    with pytest.raises(ImportFailed, match="nothing was imported") as refused:
        import_file(EXAMPLE, gpkg_store, EDITOR, ImportOptions(fixed=fixed))
    assert said in str(refused.value)
    assert gpkg_store.data_version() == version


def _acled_cut(tmp_path: Path) -> Path:
    """The real ACLED 2020 excerpt cut to the columns a researcher kept: too few of
    ACLED's own for detection, so it reads only with --format acled. Two events broken:
    one in the future, one whose point is a latitude outside -90..90."""
    text = (REAL / "acled_2020_export_afghanistan.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    kept = ["event_date", "event_type", "country", "location", "latitude", "longitude"]
    kept += ["notes", "fatalities"]
    rows[1]["event_date"] = "21 March 2099"
    rows[4]["latitude"] = "366.9882"
    path = tmp_path / "acled_cut.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=kept, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_rejected_file_of_a_forced_format_reimports_with_no_options(gpkg_store, tmp_path):
    """Its bad rows, left unfixed in the rejected rows' file, are rejected again for the
    same reasons when that file is imported with no options."""
    path = _acled_cut(tmp_path)
    with pytest.raises(ImportFailed, match="match no known format"):
        import_file(path, gpkg_store, EDITOR, ImportOptions(dry_run=True))
    first = import_file(path, gpkg_store, EDITOR, ImportOptions(format="acled"))
    assert {3, 6} <= {r.row for r in first.rejected}, first.lines()
    rejected = tmp_path / "rejected.csv"
    rejected.write_bytes(first.rejected_csv())
    again = import_file(rejected, gpkg_store, EDITOR)
    assert again.rows_read == len(first.rejected) and not again.imported
    # Row 12 has row 10's derived id in the real file (once the event id column is cut):
    # alone in the rejected file it is not a repeat within the file, and it finds
    # (and updates) row 10's record, as any later file holding it would.
    duplicates = [r for r in first.rejected if r.reasons[0][0] == "id"]
    assert [r.row for r in duplicates] == [12] and again.updated == 1
    assert [r.reasons for r in again.rejected] == [
        r.reasons for r in first.rejected if r not in duplicates
    ]
    assert "problem" not in again.unused_columns
    rows = list(csv.DictReader(io.StringIO(rejected.read_bytes().decode("utf-8-sig"))))
    assert rows[0]["problem"].startswith("row 3 of acled_cut.csv: date_start: ")
    assert rows[1]["latitude"] == "366.9882"


def test_the_summary_repeats_what_the_reader_said_it_did(gpkg_store, tmp_path):
    """A title line above the real ACLED 2015 header: the reader skips it and says so."""
    text = (REAL / "acled_2015_asia_uppercase.csv").read_text(encoding="utf-8")
    path = tmp_path / "titled.csv"
    path.write_text("ACLED Asia 2015 (excerpt)\n" + text, encoding="utf-8")
    report = import_file(path, gpkg_store, EDITOR, ImportOptions(dry_run=True))
    notes = [line for line in report.lines() if line.startswith("  note: ")]
    assert notes and notes == [f"  note: {note}" for note in report.notes], report.lines()
    assert report.lines().index(notes[0]) == 2  # right under how the file was read


def test_the_rejected_file_holds_the_values_given_for_every_row(gpkg_store, tmp_path):
    """Re-imported with no options, a rejected row still has the type it was given."""
    path = tmp_path / "no_type.csv"
    path.write_text("id,date_start,place\nr-1,2099-06-01,Tarhuna\n", encoding="utf-8")
    first = import_file(path, gpkg_store, EDITOR, ImportOptions(fixed={"type": "torture"}))
    rows = list(csv.DictReader(io.StringIO(first.rejected_csv().decode("utf-8-sig"))))
    assert rows[0]["type"] == "torture" and rows[0]["id"] == "r-1"
    rejected = tmp_path / "rejected.csv"
    rejected.write_bytes(first.rejected_csv())
    again = import_file(rejected, gpkg_store, EDITOR)
    assert [r.reasons for r in again.rejected] == [r.reasons for r in first.rejected]


def _no_country(tmp_path: Path) -> Path:
    path = tmp_path / "no_country.csv"
    path.write_text(
        "type,date_start,place,country,latitude,longitude\n"
        "killing,2020-06-01,Tarhuna,,,\n"  # neither a country nor a point: the default
        "killing,2020-06-02,Baidoa,,,\n"  # the same, in Somalia's terms
        "killing,2020-06-03,Baidoa,Somalia,,\n"  # names its country
        "killing,2020-06-04,,,2.05,45.33\n",  # a point: its own country (Mogadishu)
        encoding="utf-8",
    )
    return path


def test_the_default_country_is_never_silent(gpkg_store, tmp_path):
    """Rows that name no country and have no point take the default country, here the
    one the file's other rows name (Somalia): the summary says so, how many, which
    country, and how to change it."""
    report = import_file(_no_country(tmp_path), gpkg_store, EDITOR, ImportOptions(dry_run=True))
    assert (report.defaulted, report.default_country) == (2, "SO")
    said = (
        "  country: 2 rows named no country and had no point: placed in Somalia (SO), the "
        "country most of the file's rows name; use --country to change"
    )
    assert said in report.lines()
    assert said.replace("use --country to change", "choose below") in report.lines("choose below")
    libya = import_file(
        _no_country(tmp_path), gpkg_store, EDITOR, ImportOptions(default_country="Libya")
    )
    assert libya.defaulted == 2
    given = "placed in Libya (LY), the default country given for this import;"
    assert given in libya.default_country_note()
    frame = gpkg_store.query(Query(), EDITOR)
    assert sorted(frame["country"]) == ["LY", "LY", "SO", "SO"]
    example = import_file(EXAMPLE, gpkg_store, EDITOR, ImportOptions(dry_run=True))
    assert example.defaulted == 0
    assert not any("default country" in line for line in example.lines())


def _nameless(tmp_path: Path) -> Path:
    path = tmp_path / "nameless.csv"
    path.write_text("type,date_start,place\nkilling,2020-06-02,Baidoa\n", encoding="utf-8")
    return path


def test_a_file_naming_no_country_takes_the_stored_records_country(gpkg_store, tmp_path):
    """Tried as a new user would: a Somali project imported a second file whose rows
    named no country; its towns were looked up in Libya. The default is now the
    country most stored records are in, and Libya only for an empty store."""
    first = import_file(_nameless(tmp_path), gpkg_store, EDITOR, ImportOptions(dry_run=True))
    assert (first.defaulted, first.default_country) == (1, "LY")  # nothing stored yet
    assert "placed in Libya (LY), the tool's default country;" in first.default_country_note()
    import_file(REAL / "acled_2025_current_somalia.csv", gpkg_store, EDITOR)
    second = import_file(_nameless(tmp_path), gpkg_store, EDITOR)
    assert (second.defaulted, second.default_country) == (1, "SO")
    assert "(SO), the country most stored records are in;" in second.default_country_note()
    frame = gpkg_store.query(Query(), EDITOR)
    mine = frame[frame["date_start"].astype(str).str.startswith("2020-06-02")]
    assert list(mine["country"]) == ["SO"]


def test_an_unknown_default_country_refuses_the_import(gpkg_store, tmp_path):
    with pytest.raises(ImportFailed, match=r"'Atlantis' \(the default country\) is not a country"):
        import_file(
            _no_country(tmp_path), gpkg_store, EDITOR, ImportOptions(default_country="Atlantis")
        )


def test_the_command_line_says_when_the_default_country_was_used(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    db = tmp_path / "s.gpkg"
    run = subprocess.run(
        [sys.executable, "-m", "incidents", "--db", str(db), "import", str(_no_country(tmp_path)),
         "--dry-run"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "2 rows named no country and had no point" in run.stdout
    assert "Somalia (SO), the country most of the file's rows name; use --country" in run.stdout
    assert "layout: the template's column names" in run.stdout


def test_a_coastal_town_of_an_area_with_no_code_is_kept(gpkg_store, tmp_path):
    """Zeila, on Somaliland's coast, as the real ACLED 2016 All-Africa workbook places
    it (11.3539, 43.4731: in the sea just off the simplified outline): the row names
    Somalia, whose outline excludes Somaliland, so it was refused as '597 km from
    Somalia'. A point at sea near a code-less area bordering the row's country is kept."""
    path = tmp_path / "zeila.csv"
    path.write_text(
        "type,date_start,place,country,latitude,longitude\n"
        "other,2016-03-01,Zeila,Somalia,11.3539,43.4731\n"
        "other,2016-03-02,Mid-sea,Somalia,12.5,47.0\n",  # the Gulf of Aden, far from land
        encoding="utf-8",
    )
    report = import_file(path, gpkg_store, EDITOR)
    assert report.imported == 1 and [r.row for r in report.rejected] == [3]
    assert "not in any country (at sea?)" in report.rejected[0].reason_text()


def test_a_date_in_year_one_rejects_its_row_and_keeps_the_others(gpkg_store, tmp_path):
    """Tried as a red team would: 0001-01-02 stopped the whole import with an internal
    error (the duplicate check's window ran before the calendar); no row was named."""
    path = tmp_path / "dates.csv"
    path.write_text(
        "type,date_start,place,country\nkilling,2020-01-01,Tarhuna,LY\n"
        "killing,0001-01-02,Tarhuna,LY\n",
        encoding="utf-8",
    )
    report = import_file(path, gpkg_store, EDITOR)
    assert report.imported == 1
    assert [(r.row, r.reasons) for r in report.rejected] == [
        (3, (("date_start", "0001-01-02 is before 1800: check the year"),))
    ]


def test_a_row_rejected_for_its_id_is_not_also_a_place_to_review(gpkg_store, tmp_path):
    """Tried as a red team would: rows refused for repeating an id were listed under
    'places to review' as well, with an empty id ('row 3 ():')."""
    path = tmp_path / "ids.csv"
    path.write_text(
        "id,type,date_start,country\nd-1,killing,2020-01-01,LY\nd-1,torture,2020-01-02,LY\n",
        encoding="utf-8",
    )
    report = import_file(path, gpkg_store, EDITOR, ImportOptions(dry_run=True))
    assert [r.row for r in report.rejected] == [3]
    assert [(row, record) for row, record, _note in report.review] == [(2, "d-1")]
    assert not any("()" in line for line in report.lines())
