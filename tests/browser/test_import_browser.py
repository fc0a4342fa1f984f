"""The import page in a real browser: a real ACLED export whose death counts a user
renamed ('Deaths') is uploaded, the column is mapped back to ACLED's 'fatalities' on the
page, Check only writes nothing, Import stores every row with its counts, and the
summary says how the file was read (format, layout, encoding, delimiter, outcomes).

A real `streamlit run app.py` (browser_support.serve), Debian's Chromium, no request
leaving this machine.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from browser_support import EDITOR_NAME, EDITOR_PASSWORD, ROOT, Guarded, Server, idle

from incidents.access import Role, Viewer
from incidents.query import Query
from incidents.store import open_store

pytestmark = pytest.mark.browser
TIMEOUT = 90_000
WORK = 300_000  # a check or an import on a machine shared with other work: never a speed test
REAL = ROOT / "tests" / "fixtures" / "real" / "acled_2020_export_afghanistan.csv"
READER = Viewer("browser-test-reader", Role.EDITOR)
REPORT = '[data-testid="stText"]'  # the report: plain text, never a code box


def _renamed(tmp_path: Path) -> tuple[Path, int]:
    """The real export with 'fatalities' renamed 'Deaths'; and its total of deaths."""
    with REAL.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    at = rows[0].index("fatalities")
    rows[0][at] = "Deaths"
    path = tmp_path / "acled_afghanistan_deaths.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path, sum(int(r[at]) for r in rows[1:])


def _sign_in_and_open_import(g: Guarded, server: Server) -> None:
    g.page.goto(f"{server.url}/account")
    g.page.get_by_role("textbox", name="Name").fill(EDITOR_NAME)
    g.page.get_by_role("textbox", name="Password").fill(EDITOR_PASSWORD)
    g.page.get_by_role("button", name="Sign in").click()
    g.page.get_by_text(re.compile(r"incidents? shown of")).first.wait_for(timeout=TIMEOUT)
    idle(g)  # the map reports its extent once: let that rerun finish
    g.page.get_by_role("link", name="Import").click()
    g.page.get_by_text("Import incidents").first.wait_for(timeout=TIMEOUT)
    idle(g)


def _choose(g: Guarded, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by typing part of it (long lists are
    drawn a screenful at a time)."""
    box = g.page.get_by_role("combobox", name=re.compile(re.escape(label)))
    box.click()
    g.page.keyboard.type(option[:12])
    g.page.get_by_role("option", name=option).click()


def _acled_records(server: Server) -> list[int]:
    frame = open_store(str(server.db)).query(Query(), READER)
    acled = frame[frame["source_event_id"].astype(str).str.startswith("acled:")]
    return [int(v) for v in acled["killed_best"].fillna(0)]


def test_an_acled_column_is_mapped_checked_and_imported(
    guarded: Guarded, example_server: Server, tmp_path: Path
):
    upload, deaths = _renamed(tmp_path)
    _sign_in_and_open_import(guarded, example_server)
    page = guarded.page
    page.locator('input[type="file"]').set_input_files(str(upload))
    page.get_by_text("Detected format").wait_for(timeout=TIMEOUT)
    idle(guarded)
    assert page.get_by_text(re.compile(r"layout: ACLED 2019-2022 export")).count() >= 1
    _choose(guarded, "Deaths", "fatalities (ACLED column) → Killed best and Type")
    idle(guarded)
    page.get_by_role("button", name="Check only (nothing is written)").click()
    page.locator(REPORT, has_text="check only: nothing was written").wait_for(timeout=WORK)
    checked = page.locator(REPORT).first.inner_text()
    assert "new: 28" in checked and "rejected: 0" in checked
    assert _acled_records(example_server) == []  # nothing written
    page.get_by_role("button", name=re.compile(r"^Import 28 rows")).click()
    page.locator(REPORT, has_text="imported: 28").wait_for(timeout=WORK)
    summary = page.locator(REPORT).first.inner_text()
    assert "read as: ACLED export (CSV/XLSX), layout: ACLED 2019-2022 export" in summary
    assert "encoding utf-8, delimiter comma" in summary
    for outcome in ("imported: 28", "updated: 0", "unchanged: 0", "warned: 0", "rejected: 0"):
        assert outcome in summary
    stored = _acled_records(example_server)
    assert len(stored) == 28 and sum(stored) == deaths > 0  # the mapped column's counts
    assert page.locator('[data-testid="stException"]').count() == 0


def test_the_last_check_is_there_after_the_map_and_a_reload(
    guarded: Guarded, example_server: Server, tmp_path: Path
):
    """A walk found the report (and its rejected rows to fix) gone once the person
    opened the map and came back, or reloaded: now it waits under the empty upload box."""
    sheet = tmp_path / "field-notes.csv"
    sheet.write_text(
        "type,date_start,place,country\nkilling,2020-06-01,Tarhuna,Libya\n"
        "killing,2020-02-30,Tarhuna,Libya\n",  # SYNTHETIC; no such day: rejected
        encoding="utf-8",
    )
    _sign_in_and_open_import(guarded, example_server)
    page = guarded.page
    page.locator('input[type="file"]').set_input_files(str(sheet))
    page.get_by_text("Detected format").wait_for(timeout=TIMEOUT)
    idle(guarded)
    page.get_by_role("button", name="Check only (nothing is written)").click()
    page.locator(REPORT, has_text="check only: nothing was written").wait_for(timeout=WORK)
    rejected = re.compile(r"^Download the rejected rows")
    for leave in ("map", "reload"):
        if leave == "map":
            page.get_by_role("link", name="Map").click()
            page.get_by_text(re.compile(r"incidents? shown of")).first.wait_for(timeout=TIMEOUT)
            idle(guarded)
            page.get_by_role("link", name="Import").click()
        else:
            page.reload()
        page.get_by_text("Last check in this session (nothing was written)").wait_for(
            timeout=TIMEOUT
        )
        idle(guarded)
        assert page.get_by_text("File: field-notes.csv,").count() == 1
        assert "rejected: 1" in page.locator(REPORT).first.inner_text()
        assert page.get_by_role("button", name=rejected).count() == 1
    page.get_by_role("button", name="Dismiss this report").click()
    page.get_by_text("Last check in this session").wait_for(state="detached", timeout=TIMEOUT)
    assert page.locator('[data-testid="stException"]').count() == 0
