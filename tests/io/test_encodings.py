"""Text encodings as field offices send them, written here as real bytes.

Short French text in Windows-1252 and short Arabic in Windows-1256 must each be read
as what they are (a detector that ranks the two alike must not fall back on Arabic);
UTF-8 wins whenever the bytes are valid UTF-8; UTF-16 (as Excel's "Unicode text"
writes it, with and without a byte-order mark) is read; a file mixing UTF-8 rows with
rows in another encoding is refused, naming the rows.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from incidents.import_read import ImportFailed
from incidents.importer import import_file
from incidents.io.encoding import detect
from incidents.io.tabular import FileUnusable, read_table
from incidents.query import Query
from tests.conftest import EDITOR

HEADER = "type,title,date_start,place,country\n"
FRENCH = [
    "Évènement",
    "Été meurtrier",
    "Exécution sommaire",
    "Œuvre",
    "Ça",
    "Déjà vu",
    "ÉVÈNEMENT À TARHOUNA",
]
ARABIC = ["قتل", "ترهونة", "مقبرة جماعية", "إعدام", "مصراتة", "قد"]


def csv_bytes(titles: list[str], encoding: str) -> bytes:
    rows = "".join(f"killing,{t},2020-05-0{n + 1},Tarhuna,LY\n" for n, t in enumerate(titles))
    return (HEADER + rows).encode(encoding)


@pytest.mark.parametrize("title", FRENCH)
def test_short_french_in_windows_1252_is_not_read_as_arabic(title):
    table = read_table(Path("fr.csv"), csv_bytes([title], "cp1252"), "fr.csv")
    assert table.encoding == "cp1252"
    assert table.rows[0][1][1] == title


@pytest.mark.parametrize("title", ARABIC)
def test_short_arabic_in_windows_1256_is_read_as_arabic(title):
    table = read_table(Path("ar.csv"), csv_bytes([title], "cp1256"), "ar.csv")
    assert table.encoding == "cp1256"
    assert table.rows[0][1][1] == title


def test_a_french_file_imports_with_its_accents(gpkg_store):
    data = csv_bytes(["Évènement à Tarhuna", "Découverte d'une fosse"], "cp1252")
    report = import_file(Path("fr.csv"), gpkg_store, EDITOR, data=data, name="fr.csv")
    assert report.imported == 2 and report.encoding == "cp1252"
    titles = set(gpkg_store.query(Query(), EDITOR, ["title"])["title"])
    assert titles == {"Évènement à Tarhuna", "Découverte d'une fosse"}


def test_valid_utf8_is_read_as_utf8_even_when_it_could_be_latin():
    data = csv_bytes(["Ã©tÃ©"], "utf-8")  # valid UTF-8 that cp1252 would also decode
    assert detect(data, "x.csv") == "utf-8"
    assert read_table(Path("x.csv"), data, "x.csv").rows[0][1][1] == "Ã©tÃ©"


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_as_excel_unicode_text_is_read(codec, bom):
    text = (HEADER + "killing,مقبرة جماعية,2020-06-05,ترهونة,LY\n").replace(",", "\t")
    mark = codecs.BOM_UTF16_LE if codec == "utf-16-le" else codecs.BOM_UTF16_BE
    data = (mark if bom else b"") + text.encode(codec)
    table = read_table(Path("unicode.txt"), data, "unicode.txt")
    assert table.header == ["type", "title", "date_start", "place", "country"]
    assert table.rows[0][1][1:4] == ["مقبرة جماعية", "2020-06-05", "ترهونة"]


def test_utf16_file_imports(gpkg_store):
    text = HEADER + "killing,إعدام,2020-06-05,ترهونة,LY\n"
    data = codecs.BOM_UTF16_LE + text.replace(",", "\t").encode("utf-16-le")
    report = import_file(Path("u.txt"), gpkg_store, EDITOR, data=data, name="u.txt")
    assert report.imported == 1
    assert list(gpkg_store.query(Query(), EDITOR, ["title"])["title"]) == ["إعدام"]


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_a_file_mixing_utf8_and_windows_1256_rows_is_refused_with_the_rows(gpkg_store, bom):
    data = bom + (
        HEADER.encode()
        + "killing,مقبرة,2020-05-01,Tarhuna,LY\n".encode()
        + "killing,ترهونة,2020-05-02,Tarhuna,LY\n".encode("cp1256")
        + b"killing,plain,2020-05-03,Tarhuna,LY\n"
        + "killing,إعدام,2020-05-04,Tarhuna,LY\n".encode("cp1256")
    )
    with pytest.raises(ImportFailed) as refused:
        import_file(Path("mixed.csv"), gpkg_store, EDITOR, data=data, name="mixed.csv")
    message = str(refused.value)
    assert message.startswith("mixed.csv: the file mixes text encodings")
    assert "rows 2 are UTF-8" in message and "rows 3, 5 are not" in message
    assert gpkg_store.query(Query(), EDITOR).empty


def test_binary_bytes_are_still_not_a_text_file():
    with pytest.raises(FileUnusable, match="not a text"):
        read_table(Path("x.csv"), b"type,title\n\x00\x01\x02\x00\x00\x07binary", "x.csv")
