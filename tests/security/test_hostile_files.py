"""Hostile uploads: XML and zip bombs, oversized files, and nothing is ever unpickled."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from incidents.importer import ImportFailed, import_file
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
