"""Hostile contents inside files that parse: one plain sentence each, never a traceback.

A row or feature that cannot be read is rejected alone, with the file, row and field
named, and kept in the rejected rows; the good rows are imported. Whole-file problems
(JSON nested beyond Python's reach, a side table that cannot be matched) refuse the
file with a sentence. Every file here is synthetic and built in the test.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from incidents.import_read import ImportFailed
from incidents.importer import import_file
from incidents.io.tabular import MAX_CELL_CHARS
from incidents.query import Query
from incidents.store.gpkg import GeoPackageStore
from tests.conftest import EDITOR

HEADER = "id,type,title,description,date_start,country,latitude,longitude\n"


def row(n: int, description: str) -> str:
    return f'h-{n},killing,Row {n},"{description}",2020-05-0{n},LY,32.4,13.6\n'


def refusal(store: Any, data: bytes, name: str) -> str:
    with pytest.raises(ImportFailed) as refused:
        import_file(Path(name), store, EDITOR, data=data, name=name)
    message = str(refused.value)
    assert "Traceback" not in message and "\n" not in message
    return message


def test_megabyte_cells_import_whole(store):
    """Over the csv module's 128 KB field limit, under the documented 4 Mi characters."""
    long, longer = "ج" * 200_000, "x" * 2**20
    data = (HEADER + row(1, long) + row(2, longer) + row(3, "short")).encode()
    report = import_file(Path("long.csv"), store, EDITOR, data=data, name="long.csv")
    assert report.imported == 3 and not report.rejected
    stored = store.query(Query(), EDITOR, ["id", "description"]).set_index("id")["description"]
    assert stored["h-1"] == long and stored["h-2"] == longer


@pytest.mark.parametrize("line", [MAX_CELL_CHARS + 1, 9])  # one line, or a million short ones
def test_a_cell_over_the_limit_rejects_its_row_and_names_it(gpkg_store, line):
    text = ("y" * (line - 1) + "\n") * (MAX_CELL_CHARS // line) + "y" * (MAX_CELL_CHARS % line + 1)
    assert len(text) == MAX_CELL_CHARS + 1
    data = (HEADER + row(1, "fine") + row(2, text) + row(3, "fine")).encode()
    report = import_file(Path("huge.csv"), gpkg_store, EDITOR, data=data, name="huge.csv")
    assert report.imported == 2 and [r.row for r in report.rejected] == [3]
    (field, reason), *_ = report.rejected[0].reasons
    assert field == "description" and f"{MAX_CELL_CHARS + 1:,} characters" in reason
    assert report.rejected[0].cells["title"] == "Row 2"  # kept, to be fixed


@pytest.mark.parametrize("column", ["type", "date_start", "latitude", "killed_best"])
def test_a_megabyte_value_in_a_coded_field_is_rejected_with_a_short_reason(gpkg_store, column):
    big = "ترهونة " * 150_000
    values = {"type": "killing", "date_start": "2020-01-01", "country": "LY", column: big}
    data = (",".join(values) + "\n" + ",".join(values.values()) + "\n").encode()
    report = import_file(Path("mb.csv"), gpkg_store, EDITOR, data=data, name="mb.csv")
    assert report.imported == 0 and len(report.rejected) == 1
    (field, reason), *_ = report.rejected[0].reasons
    assert field == column and len(reason) <= 300 and reason.startswith("'ترهونة")
    assert report.rejected[0].cells[column] == big  # kept whole, to be fixed
    assert max(len(line) for line in report.lines()) < 400


def test_a_geojson_property_over_the_limit_rejects_its_feature(gpkg_store):
    features = [feature(1, [13.6, 32.4]), feature(2, [13.6, 32.4])]
    features[1]["properties"]["description"] = "z" * (MAX_CELL_CHARS + 1)
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    report = import_file(Path("big.geojson"), gpkg_store, EDITOR, data=data, name="big.geojson")
    assert report.imported == 1 and [r.row for r in report.rejected] == [2]
    assert report.rejected[0].reasons[0][0] == "description"


def test_an_hxl_row_with_a_cell_over_the_limit_is_rejected_too(gpkg_store):
    tags = "#meta+id,#event+type,#event+title,#description,#date,#country+code,#geo+lat,#geo+lon\n"
    data = (HEADER + tags + row(1, "fine") + row(2, "y" * (MAX_CELL_CHARS + 1))).encode()
    report = import_file(Path("hxl.csv"), gpkg_store, EDITOR, data=data, name="hxl.csv")
    assert report.format == "hxl" and report.imported == 1
    assert [r.row for r in report.rejected] == [4]
    assert report.rejected[0].reasons[0][0] == "description"


def feature(number: int, coordinates: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": coordinates},
        "properties": {"id": f"g-{number}", "type": "killing", "date_start": "2020-05-01"},
    }


@pytest.mark.parametrize(
    "coordinates", [{"lon": 13.6, "lat": 32.4}, 13, True, ["13.6", "32.4"], [True, False]]
)
def test_point_coordinates_that_are_not_numbers_reject_the_feature(gpkg_store, coordinates):
    features = [feature(1, [13.6, 32.4]), feature(2, coordinates), feature(3, [13.7, 32.5])]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    report = import_file(Path("pts.geojson"), gpkg_store, EDITOR, data=data, name="pts.geojson")
    assert report.imported == 2 and [r.row for r in report.rejected] == [2]
    assert report.rejected[0].reasons[0][0] == "geometry"
    assert "not [longitude, latitude]" in report.rejected[0].reasons[0][1]


def test_a_broken_polygon_rejects_only_its_feature(gpkg_store):
    broken = {"type": "Polygon", "coordinates": [[[13.6, 32.4], [13.7]]]}
    features = [feature(1, [13.6, 32.4]), {**feature(2, None), "geometry": broken}]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    report = import_file(Path("poly.geojson"), gpkg_store, EDITOR, data=data, name="poly.geojson")
    assert report.imported == 1 and [r.row for r in report.rejected] == [2]
    assert report.rejected[0].reasons[0] == ("geometry", "the Polygon cannot be read as a shape")


@pytest.mark.parametrize("depth", [5_000, 200_000])
def test_deeply_nested_json_is_refused_with_a_sentence(gpkg_store, depth):
    deep = "[" * depth + "]" * depth
    text = '{"type": "FeatureCollection",\n"features": [\n' + deep + "]}"
    message = refusal(gpkg_store, text.encode(), "deep.geojson")
    assert message == (
        "deep.geojson: the JSON is nested too deeply to read (line 3); "
        "GeoJSON features are never nested that deep"
    )


def test_a_number_too_long_for_python_is_refused_with_a_sentence(gpkg_store):
    """Refused in the reader's words: it quoted Python ("use sys.set_int_max_str_digits()")."""
    data = b'{"type": "FeatureCollection", "features": [], "x": ' + b"7" * 5000 + b"}"
    said = refusal(gpkg_store, data, "n.geojson")
    assert said == "n.geojson: a number in the file has more than 4,300 digits; no field holds one"


def store_file(tmp_path: Path) -> Path:
    """A real store holding one record with a source, as the tool writes it."""
    path = tmp_path / "from-another-office.gpkg"
    source = GeoPackageStore(path)
    csv = HEADER.strip() + ",source1_title\n" + row(1, "d").strip() + ",Report\n"
    assert import_file(Path("a.csv"), source, EDITOR, data=csv.encode(), name="a.csv").imported
    return path


def rebuild(path: Path, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"CREATE TABLE {table} ({columns})")
        marks = ", ".join("?" * len(rows[0])) if rows else ""
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def test_side_tables_with_other_columns_are_read_for_what_they_have(gpkg_store, tmp_path):
    path = store_file(tmp_path)
    rebuild(path, "incident_sources", "incident_id TEXT, title TEXT, note TEXT",
            [("h-1", "Report of another office", "extra")])  # fmt: skip
    rebuild(path, "incident_confidential", "incident_id TEXT, something_else TEXT",
            [("h-1", "x")])  # fmt: skip
    report = import_file(path, gpkg_store, EDITOR)
    assert report.imported == 1 and not report.rejected
    assert gpkg_store.get("h-1", EDITOR).sources[0].title == "Report of another office"


def test_a_side_table_without_incident_id_is_refused_with_a_sentence(gpkg_store, tmp_path):
    path = store_file(tmp_path)
    rebuild(path, "incident_sources", "record TEXT, title TEXT", [("h-1", "t")])
    message = refusal(gpkg_store, path.read_bytes(), "other.gpkg")
    assert message.startswith("other.gpkg: the table incident_sources has no incident_id column")


def test_a_record_with_thousands_of_sources_is_rejected_not_widened(gpkg_store, tmp_path):
    path = store_file(tmp_path)
    with sqlite3.connect(path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(incident_sources)")]
        template = conn.execute("SELECT * FROM incident_sources").fetchone()
        at = columns.index("position")
        copies = [(*template[:at], n, *template[at + 1 :]) for n in range(2, 5002)]
        marks = ", ".join("?" * len(columns))
        conn.executemany(f"INSERT INTO incident_sources VALUES ({marks})", copies)
    report = import_file(path, gpkg_store, EDITOR)
    assert report.imported == 0 and len(report.rejected) == 1
    assert report.rejected[0].reasons == (
        ("sources", "the record has 5,001 sources; at most 9 are imported"),
    )
    assert len(report.header) < 100


def test_a_geopackage_layer_with_thousands_of_fields_is_refused(gpkg_store, tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    frame = gpd.GeoDataFrame(
        {f"field_{n}": ["v"] for n in range(500)}, geometry=[Point(13.6, 32.4)], crs=4326
    )
    path = tmp_path / "wide.gpkg"
    frame.to_file(path, layer="points", driver="GPKG")
    message = refusal(gpkg_store, path.read_bytes(), "wide.gpkg")
    assert (
        message == "wide.gpkg: the layer points has 500 fields; the tool reads at most 200 columns"
    )
