"""The template reader's columns (incidents.io.template): which column feeds a field."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from incidents.access import Role, Viewer
from incidents.import_read import ImportFailed, ImportOptions
from incidents.importer import import_file
from incidents.io import template
from incidents.io.formats import read_any
from incidents.io.tabular import FileUnusable
from incidents.query import Query
from tests.conftest import EDITOR, ROOT

PUBLIC = Viewer("public", Role.PUBLIC)
HEAD = "type,date_start,place,country,sensitivity,Vis\n"


def _csv(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    path = tmp_path / "sites.csv"
    path.write_text(head + body, encoding="utf-8")
    return path


def test_a_mapped_column_wins_over_a_column_named_like_its_field(gpkg_store, tmp_path):
    """Tried as a red team would: --map 'Vis=sensitivity' on a file that also had a
    'sensitivity' column kept the file's 'public', and a public export showed the record
    the mapped column called restricted. A map is never ignored."""
    path = _csv(tmp_path, "killing,2020-06-01,Tarhuna,LY,public,restricted\n")
    report = import_file(path, gpkg_store, EDITOR, ImportOptions(column_map={"Vis": "sensitivity"}))
    assert report.imported == 1 and report.unused_columns == ["sensitivity"]
    assert list(gpkg_store.query(Query(), EDITOR)["sensitivity"]) == ["restricted"]
    assert gpkg_store.query(Query(), PUBLIC).empty


@pytest.mark.parametrize(
    ("head", "said"),
    [
        (HEAD.replace("Vis", "visibility_level"), None),  # not a field: not used, no clash
        (
            HEAD.replace("Vis", "sensitivity"),
            "sites.csv: two columns named 'sensitivity' disagree in row 3: keep one",
        ),
    ],
)
def test_two_columns_of_one_field_that_disagree_refuse_the_file(gpkg_store, tmp_path, head, said):
    """The first column's value won and the other was dropped without a word; nothing
    is written, and the message names the file, the columns and the rows."""
    body = (
        "killing,2020-06-01,Tarhuna,LY,public,public\n"
        "killing,2020-06-02,Tarhuna,LY,public,restricted\n"
    )
    path = _csv(tmp_path, body, head)
    if said is None:
        assert import_file(path, gpkg_store, EDITOR).imported == 2
        return
    with pytest.raises(ImportFailed, match=said):
        import_file(path, gpkg_store, EDITOR)
    assert gpkg_store.query(Query(), EDITOR).empty


def test_a_mapped_pair_that_disagrees_names_both_columns_and_how_to_choose(tmp_path):
    path = _csv(
        tmp_path,
        "".join(f"killing,2020-06-0{d},Tarhuna,LY,public,restricted\n" for d in range(1, 8)),
    )
    table = read_any(path)
    both = {"sensitivity": "sensitivity", "Vis": "sensitivity"}
    with pytest.raises(FileUnusable) as refused:
        template.raw_columns(table, both)
    assert str(refused.value) == (
        "sites.csv: the columns 'sensitivity' and 'Vis' both give 'Who may see it' and "
        "disagree in rows 2, 3, 4, 5, 6, …: mark one of them as not used (in the Import "
        "page's column mapping, or with --map 'Vis=' on the command line)"
    )
    with pytest.raises(FileUnusable, match="disagree in row 2:"):
        list(template.raw_rows(table, both))  # the row reader (HXL's template) says the same


def test_a_later_column_still_fills_what_the_earlier_left_empty(tmp_path):
    body = (
        "killing,2020-06-01,Tarhuna,LY,,restricted\nkilling,2020-06-02,Tarhuna,LY, Public ,public\n"
    )
    table = read_any(_csv(tmp_path, body))
    both = {"sensitivity": "sensitivity", "Vis": "sensitivity"}
    _numbers, columns = template.raw_columns(table, both)
    assert columns["sensitivity"] == ["restricted", " Public "]  # case and spaces aside: one
    assert [raw["sensitivity"] for _n, raw in template.raw_rows(table, both)] == columns[
        "sensitivity"
    ]


def test_the_command_line_can_leave_a_column_unused(tmp_path):
    path = _csv(tmp_path, "killing,2020-06-01,Tarhuna,LY,public,restricted\n")
    path.write_text(
        path.read_text().replace("Vis", "notes"), encoding="utf-8"
    )  # notes: description
    run = subprocess.run(
        [sys.executable, "-m", "incidents", "--db", str(tmp_path / "s.gpkg"), "import", str(path),
         "--map", "notes=", "--dry-run"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "columns not used: notes" in run.stdout
