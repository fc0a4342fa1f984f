"""HXL tables: hashtag parsing, detection, the hashtag row never counted, full import."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from incidents.access import Role, Viewer
from incidents.import_read import ImportFailed, ImportOptions
from incidents.importer import import_file
from incidents.io import hxl, ucdp
from incidents.io.formats import data_rows, detect
from incidents.io.tabular import FileUnusable, read_table
from incidents.query import Query
from incidents.store.gpkg import GeoPackageStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "formats"
FIXTURE = FIXTURES / "hxl_sample.csv"
EDITOR = Viewer("test", Role.EDITOR)


@pytest.fixture
def store(tmp_path: Path) -> GeoPackageStore:
    return GeoPackageStore(tmp_path / "incidents.gpkg")


def mapped(path: Path = FIXTURE) -> dict[int, dict[str, object]]:
    return dict(hxl.raw_rows(read_table(path)))


@pytest.mark.parametrize(
    ("cell", "parsed"),
    [
        ("#geo+lat", ("geo", frozenset({"lat"}))),
        ("#GEO +Lat", ("geo", frozenset({"lat"}))),
        (" #affected +min +killed ", ("affected", frozenset({"killed", "min"}))),
        ("#date", ("date", frozenset())),
        ("Date", None),
        ("", None),
        ("#", None),
    ],
)
def test_parse_hashtag(cell: str, parsed: object) -> None:
    assert hxl.parse_hashtag(cell) == parsed


@pytest.mark.parametrize(
    ("cell", "field"),
    [
        ("#date", "date_start"),
        ("#date+start", "date_start"),
        ("#date+end", "date_end"),
        ("#affected+killed", "killed_best"),
        ("#affected+min+killed", "killed_min"),
        ("#affected+missing", "disappeared_best"),
        ("#affected+idps", "displaced_best"),
        ("#affected+killed+children", None),
        ("#affected+killed+f", None),
        ("#affected+injured", None),
        ("#adm1+name", "admin1"),
        ("#loc+name", "place"),
        ("#meta+url+source", "source_url"),
        ("#sector", None),
        ("#event", None),
        ("#event+type+main", "type"),
        ("#meta+source+date", "source_date"),
        ("#adm1+pcode", None),
        ("#date+year", None),
    ],
)
def test_field_for_hashtag(cell: str, field: str | None) -> None:
    assert hxl.field_for(hxl.parse_hashtag(cell)) == field


def test_detected_as_hxl_not_template() -> None:
    """The human header has 'Type' and 'Date' too, but the hashtag row decides."""
    assert detect(read_table(FIXTURE)) is hxl


def test_hashtag_row_is_not_a_data_row() -> None:
    table = read_table(FIXTURE)
    rows = list(hxl.raw_rows(table))
    assert len(rows) == len(table.rows) - 1 == 7 == data_rows(table)  # what the page says
    assert [n for n, _ in rows] == [3, 4, 5, 6, 7, 8, 9]


def test_row_mapping() -> None:
    rows = mapped()
    first = rows[3]
    assert first["source_event_id"] == "HXL-001"
    assert (first["type"], first["date_start"], first["date_end"]) == (
        "killing",
        "2020-06-05",
        "2020-06-05",
    )
    assert (first["latitude"], first["longitude"]) == ("32.4350", "13.6336")
    assert (first["place"], first["admin1"], first["admin1_code"]) == ("Tarhuna", "Murqub", "LY-MB")
    assert first["killed_best"] == "5"  # not the children-only column
    assert first["source1_title"] == "Synthetic Observer"
    assert first["source1_url"] == "https://example.org/synthetic/1"
    assert first["perpetrators"] == "Militia X (synthetic)"
    assert first["verification"] == "corroborated"
    assert first["country"] == "LY"
    assert "not for import" not in first.values()  # the column without a hashtag
    assert "sensitivity" not in first  # validation's default: restricted


def test_codes_and_odd_values() -> None:
    rows = mapped()
    assert "admin1_code" not in rows[4]  # an OCHA p-code (LY01) is not ISO 3166-2
    assert rows[4]["disappeared_best"] == "3"
    assert "status: ongoing" in str(rows[5]["tags"])  # not one of our verification codes
    assert "verification" not in rows[5]
    assert rows[6]["type"] == "enforced_disappearance"  # an ACLED sub-event name
    assert (rows[7]["type"], rows[7]["tags"]) == ("other", "HXL; type: Flood")
    assert rows[9]["type"] == "mass_grave"


def test_the_report_lists_the_types_read_from_other_words(store: GeoPackageStore) -> None:
    """'Flood' became Other and an ACLED name was mapped, and the report said nothing."""
    report = import_file(FIXTURE, store, EDITOR, ImportOptions(dry_run=True))
    (note,) = [n for n in report.notes if "words this tool does not use" in n]
    assert '"Flood" as Other (1)' in note
    assert "as Enforced disappearance (1)" in note
    table = read_table(FIXTURE)  # the import page reads one table's rows more than once
    for _ in range(2):
        list(hxl.raw_rows(table))
    assert table.notes == [note]


def test_hashtags_as_the_only_header(tmp_path: Path) -> None:
    path = tmp_path / "tags_only.csv"
    path.write_text(
        "#date,#event+type,#geo+lat,#geo+lon,#loc+name\n2020-06-05,killing,32.435,13.6336,Tarhuna\n",
        encoding="utf-8",
    )
    table = read_table(path)
    assert detect(table) is hxl
    rows = list(hxl.raw_rows(table))
    assert [(n, r["type"], r["place"]) for n, r in rows] == [(2, "killing", "Tarhuna")]


def test_hdx_acled_file_uses_the_acled_mapping(tmp_path: Path, store: GeoPackageStore) -> None:
    """ACLED as republished on HDX: ACLED's columns with a hashtag row under them."""
    with (FIXTURES / "acled_sample.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    tags = {"event_id_cnty": "#event+code", "event_date": "#date+occurred"}
    tags |= {"latitude": "#geo+lat", "longitude": "#geo+lon", "fatalities": "#affected+killed"}
    tags |= {"location": "#loc+name", "admin1": "#adm1+name", "notes": "#description"}
    path = tmp_path / "acled_hdx.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(rows[0])
        writer.writerow([tags.get(c, "") for c in rows[0]])
        writer.writerows(rows[1:])
    table = read_table(path)
    assert detect(table) is hxl
    first = next(hxl.raw_rows(table))
    assert first[0] == 3
    assert (first[1]["source_event_id"], first[1]["type"]) == (
        "acled:LBY900001",
        "enforced_disappearance",
    )
    report = import_file(path, store, EDITOR)
    assert report.format == "hxl"
    assert report.rows_read == 15
    assert report.imported == 13


def test_import_accounts_for_every_row(store: GeoPackageStore) -> None:
    report = import_file(FIXTURE, store, EDITOR)
    assert report.format == "hxl"
    assert report.rows_read == 7  # the hashtag row is not counted
    assert report.imported + report.updated + len(report.rejected) == report.rows_read
    assert [(r.row, r.reason_text()) for r in report.rejected] == [
        (8, "date_start: '2020-02-30' is not a real calendar date")
    ]
    record = store.get("HXL-001", EDITOR)
    assert record is not None
    assert (record.type, record.killed_best, record.verification) == ("killing", 5, "corroborated")
    assert record.sensitivity == "restricted"


def test_reimport_changes_nothing(store: GeoPackageStore) -> None:
    first = import_file(FIXTURE, store, EDITOR)
    again = import_file(FIXTURE, store, EDITOR)
    assert again.imported == 0
    assert again.unchanged == first.imported == 6  # whether or not also counted as updated


REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"


@pytest.mark.parametrize("hashtags", [True, False])
def test_hapi_country_month_totals_are_refused(
    tmp_path: Path, store: GeoPackageStore, hashtags: bool
) -> None:
    """HDX HAPI's ACLED 'conflict events': counts per country and month, no coordinates.
    They were stored as 34 incidents on countries' centres; they are not incidents."""
    path = REAL / "hdx_hapi_acled_conflict_events_hxl.csv"
    if not hashtags:  # the same file as HAPI's API gives it, without the HXL row
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path = tmp_path / "hapi_plain.csv"
        path.write_text(lines[0] + "".join(lines[2:]), encoding="utf-8")
    with pytest.raises(ImportFailed) as refused:
        import_file(path, store, EDITOR)
    message = str(refused.value)
    assert message.startswith(f"{path.name}: this file holds totals per country and month")
    assert "not incidents" in message and "\n" not in message
    assert store.count(Query(), EDITOR) == 0


def test_ucdp_ged_from_hdx_is_read_as_ucdp(store: GeoPackageStore) -> None:
    """UCDP GED as republished on HDX (HXL row under UCDP's header): the HXL reader
    hands it to the UCDP mapping, so the rows are those the UCDP reader gives."""
    path = REAL / "ucdp_ged_hdx_hxl_bangladesh.csv"
    table = read_table(path)
    assert detect(table) is hxl
    _, data = hxl.split(table)
    assert ucdp.matches(data)
    assert list(hxl.raw_rows(table)) == list(ucdp.raw_rows(data))
    report = import_file(path, store, EDITOR)
    assert (report.format, report.rows_read, report.imported) == ("hxl", 38, 38)
    assert data_rows(table) == 38  # the import page's count of rows
    assert not report.rejected
    with path.open(encoding="utf-8", newline="") as handle:
        truth = list(csv.DictReader(handle))[1:]
    frame = store.query(Query(), EDITOR)
    for row in truth:  # every article's quotes (doubled in the file) kept as UCDP wrote them
        stored = frame[frame["source_event_id"] == f"ucdp:{row['id']}"]
        assert len(stored) == 1
        if row["source_headline"] and row["source_article"]:
            assert row["source_article"] in stored["description"].iloc[0]
    assert any(r["source_article"].startswith('"') for r in truth)


def test_title_row_above_an_hdx_file(tmp_path: Path, store: GeoPackageStore) -> None:
    """An HDX download with a title line above UCDP's header and the hashtag row."""
    original = REAL / "ucdp_ged_hdx_hxl_bangladesh.csv"
    path = tmp_path / "ucdp_titled.csv"
    text = original.read_text(encoding="utf-8")
    path.write_text("UCDP GED events, Bangladesh (HDX)\n" + text, encoding="utf-8")
    table = read_table(path)
    assert detect(table) is hxl
    _, data = hxl.split(table)
    assert data.notes == table.notes and "row 2" in table.notes[0]
    report = import_file(path, store, EDITOR)
    assert (report.rows_read, report.imported) == (38, 38)
    assert any("UCDP GED events, Bangladesh" in note for note in report.notes)


def test_a_column_map_reaches_the_ucdp_reader_inside_hxl(
    tmp_path: Path, store: GeoPackageStore
) -> None:
    """UCDP on HDX with its 'best' column renamed (as a user's sheet does): --map puts it
    back and every count is stored, where the HXL reader used to drop the map and store
    every count empty without a word."""
    original = REAL / "ucdp_ged_hdx_hxl_bangladesh.csv"
    with original.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[0] = ["Deaths (best)" if c == "best" else c for c in rows[0]]
    path = tmp_path / "ucdp_renamed.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    options = ImportOptions(column_map={"Deaths (best)": "best"})
    report = import_file(path, store, EDITOR, options)
    assert (report.format, report.imported) == ("hxl", 38)
    best = {f"ucdp:{r[0]}": r[rows[0].index("Deaths (best)")] for r in rows[2:]}
    frame = store.query(Query(), EDITOR)
    stored = dict(zip(frame["source_event_id"], frame["killed_best"], strict=True))
    assert {k: int(v) for k, v in stored.items()} == {k: int(v) for k, v in best.items()}
    with pytest.raises(ImportFailed, match="'Deaths' that the file does not have"):
        import_file(path, store, EDITOR, ImportOptions(column_map={"Deaths": "best"}))


def test_a_column_map_on_a_plain_hxl_file_is_applied_or_refused(tmp_path: Path) -> None:
    """An HXL file read by its hashtags: a mapped column goes to the field named, ''
    leaves it out; an unknown column or field is refused, never ignored."""
    table = read_table(FIXTURE)
    column = table.header[
        [hxl.field_for(hxl.parse_hashtag(c)) for c in table.rows[0][1]].index("description")
    ]
    plain = dict(hxl.raw_rows(table))
    moved = dict(hxl.raw_rows(table, {column: "title"}))
    dropped = dict(hxl.raw_rows(table, {column: ""}))
    for number, raw in plain.items():
        assert moved[number].get("title") == raw.get("description")
        assert "description" not in dropped[number]
    with pytest.raises(FileUnusable, match="not a field of the incident template"):
        list(hxl.raw_rows(table, {column: "no_such_field"}))
    with pytest.raises(FileUnusable, match="that the file does not have"):
        list(hxl.raw_rows(table, {"No such column": "title"}))


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("ucdp_ged_hdx_hxl_bangladesh.csv", "HXL hashtags under the header; rows read as UCDP"),
    ],
)
def test_the_layout_names_the_inner_format(name: str, layout: str) -> None:
    table = read_table(REAL / name)
    assert hxl.layout(table).startswith(layout)
    assert "HDX (start_year, end_year, iso3 added)" in hxl.layout(table)
