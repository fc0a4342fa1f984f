"""Hostile uploads: XML and zip bombs, oversized files, small files that would fill
memory, and nothing is ever unpickled."""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any, cast

import pytest
import xlsxwriter

from incidents.import_read import ImportFailed
from incidents.importer import import_file
from incidents.io import tabular
from incidents.query import Query
from tests.conftest import EDITOR, ROOT

LAUGHS = "".join(
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(2, 10)
)  # each level ten times the one before: a billion "lol"s from a few hundred bytes
DOCTYPES = {
    "laughs": (f'<!DOCTYPE r [<!ENTITY lol1 "lol">{LAUGHS}]>', "&lol9;"),
    "xxe": ('<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{canary}">]>', "&xxe;"),
}
MEMBERS = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/styles.xml"]
CANARY = "CANARY-LOCAL-FILE-7f3a"


def workbook(rows: list[list[str]]) -> bytes:
    """An XLSX as Excel writes it (XlsxWriter: strings in sharedStrings.xml)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    return out.getvalue()


def poisoned(xlsx: bytes, member: str, kind: str, canary: Path) -> bytes:
    """The workbook with an entity declaration and reference put into one XML member."""
    original = zipfile.ZipFile(io.BytesIO(xlsx)).read(member).decode()
    body = re.sub(r"^<\?xml[^>]*\?>\s*", "", original)
    doctype, reference = DOCTYPES[kind]
    root = re.match(r"<([\w:]+)", body)
    assert root is not None
    doctype = doctype.replace("DOCTYPE r", f"DOCTYPE {root.group(1)}").format(canary=canary)
    if member.endswith("sharedStrings.xml"):  # the entity lands in a cell's text
        body = body.replace("<t>killing</t>", f"<t>{reference}</t>", 1)
    else:
        at = body.index(">") + 1
        body = body[:at] + f"<x>{reference}</x>" + body[at:]
    return with_member(xlsx, member, f'<?xml version="1.0"?>\n{doctype}{body}'.encode())


def with_member(xlsx: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one member replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        target.writestr(name, content)
    return out.getvalue()


def refusal(gpkg_store, data: bytes, name: str) -> str:
    with pytest.raises(ImportFailed) as refused:
        import_file(Path(name), gpkg_store, EDITOR, data=data, name=name)
    return str(refused.value)


ROWS = [["type", "title", "date_start", "country"], ["killing", "t", "2020-01-01", "LY"]]


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("kind", sorted(DOCTYPES))
def test_xml_entities_never_expand_or_reach_the_store(gpkg_store, tmp_path, member, kind):
    canary = tmp_path / "secret.txt"
    canary.write_text(CANARY)
    bomb = poisoned(workbook(ROWS), member, kind, canary)
    try:
        report = import_file(Path("x.xlsx"), gpkg_store, EDITOR, data=bomb, name="x.xlsx")
    except ImportFailed as refused:
        assert "x.xlsx" in str(refused) and CANARY not in str(refused)
        return
    # lxml reads workbook.xml and styles.xml without loading the external entity:
    # the workbook may be read, but nothing from the local file may come with it.
    assert kind == "xxe", "an entity bomb was read"
    stored = gpkg_store.query(Query(), EDITOR)
    assert CANARY not in stored.to_csv() and "lollol" not in stored.to_csv()
    assert report.rows_read <= 1


def test_an_xml_bomb_is_named_as_such(gpkg_store, tmp_path):
    bomb = poisoned(workbook(ROWS), MEMBERS[0], "laughs", tmp_path / "none")
    assert "unsafe" in refusal(gpkg_store, bomb, "bomb.xlsx")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(gpkg_store):
    base = workbook([["type", "title", "date_start"]])
    zeros = b"0" * (60 * 2**20)  # 60 MB that packs into about 60 KB
    bomb = with_member(base, "xl/worksheets/sheet2.xml", zeros)
    assert len(bomb) < 1_000_000
    assert "zip bomb" in refusal(gpkg_store, bomb, "bomb.xlsx")


def test_size_and_row_limits_say_so(gpkg_store, monkeypatch):
    # The limits are settings; lowered here so the test does not need a huge file.
    monkeypatch.setattr(tabular, "MAX_ROWS", 50)
    rows = "type,title,date_start\n" + "killing,t,2020-01-01\n" * 51
    assert "more than 50 rows" in refusal(gpkg_store, rows.encode(), "many.csv")
    monkeypatch.setattr(tabular, "MAX_FILE_BYTES", 1000)
    assert "larger than" in refusal(gpkg_store, b"type,title\n" + b"x,y\n" * 400, "big.csv")


def test_no_code_path_unpickles_anything():
    pattern = re.compile(r"\b(c?pickle|dill|joblib|shelve|marshal)\b|read_pickle|allow_pickle")
    # numpy's loader is allowed only with pickles explicitly refused (the column index).
    refused = re.compile(r"allow_pickle=False")
    sources = [*ROOT.glob("incidents/**/*.py"), *ROOT.glob("app_pages/*.py"), ROOT / "app.py"]
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in sources
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(refused.sub("", line))
    ]
    assert offenders == []


# Small files that made gigabytes: each is read in a fresh Python whose Python-level
# allocations are traced (tracemalloc peak, no clock), with its address space capped so
# that a regression fails the test instead of filling the shared machine.
MEASURE = """
import json, resource, sys, tracemalloc
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))
from incidents.io.formats import read_any
from incidents.io.tabular import FileUnusable
path = Path(sys.argv[1])
tracemalloc.start()
try:
    table = read_any(path)
    outcome = f"read {len(table.rows)} rows of {len(table.header)} columns"
except FileUnusable as refused:
    outcome = str(refused)
except MemoryError:
    outcome = "MemoryError"
print(json.dumps({"peak_mb": tracemalloc.get_traced_memory()[1] / 2**20, "outcome": outcome}))
"""
PEAK_MB = 64


def measured(path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return cast(dict[str, Any], json.loads(done.stdout))


def far_right_workbook(path: Path, rows: int) -> Path:
    """A sheet of normal rows, each with one more value in the last column, XFD."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["type", "title", "date_start"])
    for r in range(1, rows):
        sheet.write_row(r, 0, ["killing", f"t{r}", "2020-01-01"])
        sheet.write(r, 16383, "x")
    book.close()
    return path


def test_a_value_in_column_xfd_does_not_pad_every_row(tmp_path):
    path = far_right_workbook(tmp_path / "far.xlsx", 3000)
    assert path.stat().st_size < 100_000
    result = measured(path)
    assert result["peak_mb"] < PEAK_MB, result
    assert result["outcome"].startswith("far.xlsx: row 2 has a value in column XFD"), result


def test_a_claimed_dimension_is_not_trusted(tmp_path):
    """A workbook whose dimension says A1:XFD1048576 but holds three columns reads them."""
    source = tmp_path / "small.xlsx"
    book = xlsxwriter.Workbook(source)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["type", "title", "date_start"])
    for r in range(1, 3000):
        sheet.write_row(r, 0, ["killing", f"t{r}", "2020-01-01"])
    book.close()
    archive = zipfile.ZipFile(source)
    member = "xl/worksheets/sheet1.xml"
    xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>',
                 archive.read(member).decode())  # fmt: skip
    path = tmp_path / "claims.xlsx"
    path.write_bytes(with_member(source.read_bytes(), member, xml.encode()))
    result = measured(path)
    assert result["peak_mb"] < PEAK_MB, result
    assert result["outcome"] == "read 2999 rows of 3 columns", result


def test_far_right_workbook_import_says_so(gpkg_store, tmp_path):
    path = far_right_workbook(tmp_path / "far.xlsx", 20)
    message = refusal(gpkg_store, path.read_bytes(), "far.xlsx")
    assert "column XFD" in message and "at most 200 columns" in message


def test_many_different_property_names_are_refused_early(tmp_path):
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [13.6, 32.4]},
         "properties": {f"key_{n}_{k}": "v" for k in range(30)} | {"type": "killing"}}
        for n in range(2000)
    ]  # fmt: skip
    path = tmp_path / "keys.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    result = measured(path)
    assert result["peak_mb"] < PEAK_MB * 2, result  # the parsed JSON itself is ~40 MB
    assert result["outcome"].startswith("keys.geojson: feature 7 brings the number"), result


def test_a_workbook_of_padding_is_refused_before_it_fills_memory(tmp_path):
    """One value in column A and one in column GQ (199, under the column limit) of each
    row: two cells in the file, 199 in memory for every row."""
    path = tmp_path / "padded.xlsx"
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["type", "title", "date_start"])
    for r in range(1, 60_000):
        sheet.write(r, 0, "killing")
        sheet.write(r, 198, "x")
    book.close()
    result = measured(path)
    assert "mostly empty cells" in result["outcome"], result
    assert result["peak_mb"] < 2 * PEAK_MB, result


def test_a_bomb_part_hidden_behind_a_large_picture_is_refused(gpkg_store):
    """The whole workbook packs only 25 times (a 2 MB picture that does not pack dilutes
    it), but one part packs 1,000 times: refused by the part's own ratio."""
    base = workbook(ROWS)
    picture = with_member(base, "xl/media/image1.png", random.Random(1).randbytes(2 * 2**20))
    bomb = with_member(picture, "xl/worksheets/sheet2.xml", b"0" * (50 * 2**20))
    message = refusal(gpkg_store, bomb, "picture.xlsx")
    assert "xl/worksheets/sheet2.xml" in message and "zip bomb" in message


def test_openpyxl_parses_through_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML, "defusedxml must be installed (requirements.txt)"


def test_one_endless_line_of_commas_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "commas.csv"
    path.write_text("type,title,date_start\nkilling,t" + "," * 20_000_000 + "x\n")
    result = measured(path)
    assert result["outcome"].startswith("commas.csv: line 2 holds more than 100,000 cells")
    assert result["peak_mb"] < 200, result  # the text itself is 20 MB: no list of 20 M cells
