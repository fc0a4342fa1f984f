"""UCDP GED files: detection, the codebook mappings, and a full import into a GeoPackage."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from incidents.access import Role, Viewer
from incidents.country_names import country_code
from incidents.import_read import ImportFailed, ImportOptions
from incidents.importer import import_file
from incidents.io import ucdp
from incidents.io.formats import detect
from incidents.io.tabular import FileUnusable, read_table
from incidents.query import Query
from incidents.store.gpkg import GeoPackageStore

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "formats" / "ucdp_sample.csv"
EDITOR = Viewer("test", Role.EDITOR)


@pytest.fixture
def store(tmp_path: Path) -> GeoPackageStore:
    return GeoPackageStore(tmp_path / "incidents.gpkg")


def mapped() -> dict[str, dict[str, object]]:
    table = read_table(FIXTURE)
    return {str(raw["source_event_id"]): raw for _, raw in ucdp.raw_rows(table)}


def test_detected_as_ucdp() -> None:
    assert detect(read_table(FIXTURE)) is ucdp


@pytest.mark.parametrize(
    ("where_prec", "precision", "km"),
    [
        ("1", "exact", None),
        ("2", "approximate", 25.0),
        ("3", "approximate", 50.0),
        ("4", "district", None),
        ("5", "approximate", 100.0),
        ("6", "country", None),
        ("7", "approximate", None),
    ],
)
def test_where_prec(where_prec: str, precision: str, km: float | None) -> None:
    raw = ucdp.map_row({"id": "1", "where_prec": where_prec, "latitude": "32", "longitude": "13"})
    assert raw["location_precision"] == precision
    assert raw["location_uncertainty_km"] == ("" if km is None else km)


@pytest.mark.parametrize(
    ("date_prec", "expected"),
    [("1", "day"), ("2", "day"), ("3", "day"), ("4", "month"), ("5", "year")],
)
def test_date_prec(date_prec: str, expected: str) -> None:
    assert ucdp.map_row({"id": "1", "date_prec": date_prec})["date_precision"] == expected


@pytest.mark.parametrize(
    ("violence", "kind", "tag", "sides"),
    [
        ("3", "killing", "one-sided violence", "A"),
        ("1", "other", "state-based conflict", "A; B"),
        ("2", "other", "non-state conflict", "A; B"),
    ],
)
def test_type_of_violence(violence: str, kind: str, tag: str, sides: str) -> None:
    raw = ucdp.map_row({"id": "1", "type_of_violence": violence, "side_a": "A", "side_b": "B"})
    assert raw["type"] == kind
    assert tag in str(raw["tags"]).split("; ")
    assert raw["perpetrators"] == sides


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Murqub district", "Murqub"),
        ("Tarhunah town", "Tarhunah"),
        ("Misratah city", "Misratah"),
        ("Nafusa Mountains Province", "Nafusa Mountains"),
        ("District", "District"),
        ("Tripoli", "Tripoli"),
    ],
)
def test_place_names_lose_ucdp_suffixes(written: str, name: str) -> None:
    assert ucdp.place_name(written) == name


def test_row_mapping() -> None:
    raw = mapped()["ucdp:990001"]
    assert raw["id"] == ""
    assert raw["title"] == "One-sided violence in Tarhunah"
    assert (raw["date_start"], raw["date_end"]) == ("2020-06-05", "2020-06-05")
    assert (raw["place"], raw["admin1"], raw["country"]) == ("Tarhunah", "Murqub", "Libya")
    assert (raw["killed_min"], raw["killed_best"], raw["killed_max"]) == ("5", "5", "7")
    assert (raw["verification"], raw["sensitivity"]) == ("reported", "public")
    assert raw["source1_title"] == "Five civilians killed in Tarhuna (synthetic)"
    assert raw["source1_publisher"] == "Synthetic Wire"
    assert raw["source2_title"] == "UCDP Georeferenced Event Dataset, event 990001"
    assert "civilians 5" in str(raw["description"])


def test_import_accounts_for_every_row(store: GeoPackageStore) -> None:
    report = import_file(FIXTURE, store, EDITOR)
    assert report.format == "ucdp"
    assert report.rows_read == 10
    assert report.imported + report.updated + len(report.rejected) == report.rows_read
    reasons = {r.row: r.reason_text() for r in report.rejected}
    assert set(reasons) == {8, 9, 10}
    assert "at sea" in reasons[8]  # where_prec 7, a point off the coast
    assert "not a real calendar date" in reasons[9]
    assert "the least number" in reasons[10] and "is more than the most" in reasons[10]


def test_imported_records(store: GeoPackageStore) -> None:
    import_file(FIXTURE, store, EDITOR)
    week = store.get("ucdp-990002", EDITOR)
    assert week is not None
    assert (week.date_start.isoformat(), week.date_end.isoformat()) == ("2020-05-04", "2020-05-10")
    assert (week.location_precision, week.location_uncertainty_km) == ("approximate", 25.0)
    month = store.get("ucdp-990004", EDITOR)
    assert month is not None
    assert (month.type, month.date_precision, month.location_precision) == (
        "other",
        "month",
        "district",
    )
    year = store.get("ucdp-990006", EDITOR)
    assert year is not None
    assert (year.date_start.isoformat(), year.date_end.isoformat()) == ("2017-01-01", "2017-12-31")
    assert year.location_precision == "country"


def test_reimport_changes_nothing(store: GeoPackageStore) -> None:
    first = import_file(FIXTURE, store, EDITOR)
    again = import_file(FIXTURE, store, EDITOR)
    assert again.imported == 0
    assert again.unchanged == first.imported  # every row found, nothing changed


REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"
HDX = REAL / "ucdp_ged_hdx_hxl_bangladesh.csv"


@pytest.mark.parametrize(
    ("written", "iso2"),
    [
        ("DR Congo (Zaire)", "CD"),
        ("Myanmar (Burma)", "MM"),
        ("Yemen (North Yemen)", "YE"),
        ("Cambodia (Kampuchea)", "KH"),
    ],
)
def test_country_passes_unchanged(written: str, iso2: str) -> None:
    """UCDP's names reach the record as written; the country resolver reads them."""
    raw = ucdp.map_row({"id": "1", "country": written, "country_id": "999"})
    assert raw["country"] == written
    assert country_code(str(raw["country"])) == iso2


@pytest.mark.parametrize(
    ("row", "iso2"),
    [({"country_id": "490"}, "CD"), ({"gwno": "771"}, "BD"), ({"iso3": "MMR"}, "MM")],
)
def test_country_codes_stand_in_for_a_missing_name(row: dict[str, str], iso2: str) -> None:
    raw = ucdp.map_row({"id": "1", "country": "", **row})
    assert country_code(str(raw["country"])) == iso2


def _renamed(tmp_path: Path, old: str, new: str) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    columns = [new if c == old else c for c in header.split(",")]
    path = tmp_path / "ged_renamed.csv"
    path.write_text(",".join(columns) + "\n" + rest, encoding="utf-8")
    return path


@pytest.mark.parametrize("target", ["best", "killed_best"])
def test_column_map_is_honoured(tmp_path: Path, store: GeoPackageStore, target: str) -> None:
    """The finding: 'best' renamed, --format ucdp --map 'Deaths=best' stored no count."""
    path = _renamed(tmp_path, "best", "Deaths")
    options = ImportOptions(format="ucdp", column_map={"Deaths": target})
    report = import_file(path, store, EDITOR, options)
    assert report.rows_read == 10 and report.imported >= 7
    record = store.get("ucdp-990001", EDITOR)
    assert record is not None and record.killed_best == 5


def test_column_map_it_cannot_apply_is_refused(tmp_path: Path) -> None:
    path = _renamed(tmp_path, "best", "Deaths")
    with pytest.raises(FileUnusable, match="'Deaths' to 'dead', which is neither one of the UCDP"):
        list(ucdp.raw_rows(read_table(path), {"Deaths": "dead"}))


def test_refused_map_reaches_the_user_as_an_import_failure(
    tmp_path: Path, store: GeoPackageStore
) -> None:
    """Nothing is written, and the import stops with a sentence rather than going on."""
    path = _renamed(tmp_path, "best", "Deaths")
    options = ImportOptions(format="ucdp", column_map={"Deaths": "dead"})
    with pytest.raises(ImportFailed):
        import_file(path, store, EDITOR, options)
    assert store.get("ucdp-990001", EDITOR) is None


def test_refused_map_message_names_the_column(tmp_path: Path, store: GeoPackageStore) -> None:
    path = _renamed(tmp_path, "best", "Deaths")
    options = ImportOptions(format="ucdp", column_map={"Deaths": "dead"})
    with pytest.raises(ImportFailed, match="'Deaths' to 'dead'"):
        import_file(path, store, EDITOR, options)


def test_older_release_names_are_read(tmp_path: Path) -> None:
    """GED 1.x/2.0 called the counts best_est, low_est, high_est."""
    path = tmp_path / "ged_old.csv"
    text = FIXTURE.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    old = {"best": "best_est", "low": "low_est", "high": "high_est"}
    path.write_text(",".join(old.get(c, c) for c in header.split(",")) + "\n" + rest, "utf-8")
    table = read_table(path)
    assert detect(table) is ucdp
    raw = dict(ucdp.raw_rows(table))[2]
    assert (raw["killed_min"], raw["killed_best"], raw["killed_max"]) == ("5", "5", "7")


def test_hdx_copy_forced_as_ucdp_skips_the_hashtag_row(store: GeoPackageStore) -> None:
    """--format ucdp on HDX's HXL-tagged file: the #hashtag row is not a data row."""
    report = import_file(HDX, store, EDITOR, ImportOptions(format="ucdp"))
    assert report.format == "ucdp"
    assert report.rows_read == 38
    assert not report.rejected


def test_hdx_copy_is_read_with_ucdp_codes() -> None:
    """Detected as HXL, the file is handed to the UCDP reader (incidents.io.hxl)."""
    from incidents.io import hxl

    table = read_table(HDX)
    assert detect(table) is hxl
    rows = dict(hxl.raw_rows(table))
    assert len(rows) == 38
    assert all(str(r["source_event_id"]).startswith("ucdp:") for r in rows.values())
    assert {r["country"] for r in rows.values()} == {"Bangladesh"}
    assert {r["location_precision"] for r in rows.values()} <= {
        "exact",
        "approximate",
        "district",
        "country",
    }


@pytest.mark.parametrize(
    ("date_prec", "start", "end", "precision"),
    [
        ("4", "2020-05-01", "2020-05-31", "month"),
        ("4", "2020-02-01", "2020-02-29", "month"),
        ("4", "2020-05-20", "2020-06-10", "day"),  # a span of 8 to 30 days: kept as it is
        ("5", "2017-01-01", "2017-12-31", "year"),
        ("5", "2015-03-01", "2015-07-15", "day"),  # more than 30 days: kept as it is
        ("5", "2015-03-01", "2015-03-31", "month"),
        ("2", "2020-05-04", "2020-05-06", "day"),
    ],
)
def test_date_span_is_kept_as_ucdp_gives_it(
    date_prec: str, start: str, end: str, precision: str
) -> None:
    row = {"id": "1", "date_prec": date_prec, "date_start": start, "date_end": end}
    raw = ucdp.map_row(row)
    assert (raw["date_start"], raw["date_end"], raw["date_precision"]) == (start, end, precision)


def test_stored_span_is_not_widened(tmp_path: Path, store: GeoPackageStore) -> None:
    """date_prec 4 from 20 May to 10 June: not stored as 1 May to 10 June."""
    text = FIXTURE.read_text(encoding="utf-8")
    header, first = text.split("\n")[:2]
    cells = dict(zip(header.split(","), next(csv.reader([first])), strict=True))
    cells.update(date_prec="4", date_start="2020-05-20", date_end="2020-06-10")
    path = tmp_path / "ged_span.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(cells))
        writer.writeheader()
        writer.writerow(cells)
    report = import_file(path, store, EDITOR)
    assert report.imported == 1, report.rejected
    record = store.get("ucdp-990001", EDITOR)
    assert record is not None
    assert (record.date_start.isoformat(), record.date_end.isoformat()) == (
        "2020-05-20",
        "2020-06-10",
    )


@pytest.mark.parametrize(
    ("article", "publisher"),
    [
        ('Reuters (1989-10-01): "SEPARATIST REBELS KILL SIX PEOPLE"', "Reuters"),
        ("BBC 2/28/1991 Election - some clashes reported.  AFP", "BBC"),
        ('R, 1992-05-19: "BANGLADESH REBELS KILL THREE FAMILY MEMBERS".', "Reuters"),
        ("r 13/7 2001", "Reuters"),
        ('BBC Monitoring South Asia (2010-02-10): "Student killed"', "BBC Monitoring South Asia"),
        ("SATP", "SATP"),
        ('"BBC Monitoring Newsfile,2013-12-14,Seven killed"', ""),
        ("Villagers said soldiers had burned the houses", ""),  # a sentence, not a name
        ("", ""),
    ],
)
def test_an_older_citation_names_its_publisher(article: str, publisher: str) -> None:
    """Older GED events cite the article in one string and leave source_office empty:
    exports, which name sources by publisher, printed the whole citation as one."""
    assert ucdp.cited_publisher(article) == publisher


def test_real_citations_give_publishers_not_citations(tmp_path: Path) -> None:
    real = FIXTURE.parent.parent / "real" / "ucdp_ged_hdx_hxl_bangladesh.csv"
    store = GeoPackageStore(str(tmp_path / "u.gpkg"))
    assert import_file(real, store, Viewer("t", Role.EDITOR)).accounted
    editor = Viewer("t", Role.EDITOR)
    ids = list(store.query(Query(), editor, ["id"])["id"])
    publishers = {found[0].publisher for found in store.sources(ids, editor).values()}
    assert publishers == {
        "Reuters", "BBC", "BBC Monitoring Newsfile", "BBC Monitoring South Asia", "SATP"
    }  # fmt: skip
