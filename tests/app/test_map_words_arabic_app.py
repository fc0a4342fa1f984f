"""The map page's own words in Arabic with AppTest: the district totals list says
"at least 338" and "unknown" in Arabic under Arabic headings, and the detail panel of
a selected record labels its fields in Arabic (the record's text stays as written)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import language

MAP_PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "map_page.py")
WHOLE_PAGE = "_whole_page"


pytestmark = pytest.mark.usefixtures("language_from_the_session")


def _arabic_page(**params: str) -> AppTest:
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    at.session_state[language.ACTIVE] = "ar"
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.session_state[WHOLE_PAGE] = True
    at.run()
    assert not at.exception
    return at


def test_district_totals_in_arabic(example_db: str) -> None:
    at = _arabic_page(layer="districts", measure="disappeared_best")
    frame = next(d.value for d in at.dataframe if "المنطقة" in d.value.columns)
    assert list(frame.columns) == ["المنطقة", "عدد المختفين", "الحوادث"]
    totals = dict(zip(frame["المنطقة"], frame["عدد المختفين"], strict=True))
    assert "338 على الأقل" in totals.values()
    killed = _arabic_page(layer="districts", measure="killed_best")
    frame = next(d.value for d in killed.dataframe if "المنطقة" in d.value.columns)
    assert set(frame["عدد القتلى"]) == {"غير معروف"}


def test_the_detail_panel_in_arabic(example_db: str) -> None:
    at = _arabic_page(sel="tarhuna-ex-001")
    shown = " ".join(m.value for m in at.markdown)
    for label in ("النوع", "التاريخ", "التحقق", "المكان", "المصادر", "السجل"):
        assert f"{label}" in shown, label
    assert "مقبرة جماعية" in shown and "شعبية المرقب (LY-MB)" in shown
    assert "At least 11 mass graves" in shown  # the record's own title, as written
    # The town as the map labels it in Arabic, the record's own spelling beside it.
    assert "ترهونة (Tarhuna)" in shown and "بلدة ترهونة" in shown
    for english in ("Verification", "Sources", "Location precision", "best estimate"):
        assert english not in shown, english


def test_tables_read_right_to_left(example_db: str) -> None:
    """The grid draws left to right: in Arabic its columns come in reverse, the first
    (the reference) at the right edge where the reader starts, and none is pinned to
    the left; the district totals too. English keeps the order as written."""
    at = _arabic_page(layer="districts")
    table = next(d for d in at.dataframe if "المرجع" in d.value.columns)
    order = list(table.proto.column_order)
    assert order == list(table.value.columns)[::-1] and order[-1] == "المرجع"
    assert "pinned" not in table.proto.columns  # the column settings, as JSON
    totals = next(d for d in at.dataframe if "المنطقة" in d.value.columns)
    assert list(totals.proto.column_order)[-1] == "المنطقة"
    english = AppTest.from_file(MAP_PAGE, default_timeout=60).run()
    english.session_state[WHOLE_PAGE] = True
    english.run()
    assert not list(english.dataframe[0].proto.column_order)
    assert '"pinned": true' in english.dataframe[0].proto.columns.replace(":true", ": true")


def test_the_datas_span_is_written_in_words(example_db: str) -> None:
    """ "Data from 2015-01-01 to ..." in an Arabic line read back to front ("01-01-2015",
    a day-month date): the span's dates are now written as the language writes them."""
    at = _arabic_page()
    captions = " ".join(c.value for c in at.caption)
    assert "1 يناير 2015" in captions, captions
    assert "2015-01-01" not in captions


def test_the_detail_panel_in_french_spaces_its_colons(example_db: str) -> None:
    """French writes "Type : …" (the rest of the French pages did; the panel wrote
    "Type:"); Arabic keeps its colon against the label."""
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    at.session_state[language.ACTIVE] = "fr"
    at.query_params["sel"] = "tarhuna-ex-001"
    at.run()
    at.session_state[WHOLE_PAGE] = True
    at.run()
    assert not at.exception
    shown = html.unescape(" ".join(m.value for m in at.markdown))
    assert "<b>Type\u00a0:</b>" in shown and "<b>Type:</b>" not in shown
    arabic = html.unescape(" ".join(m.value for m in _arabic_page(sel="tarhuna-ex-001").markdown))
    assert "<b>النوع:</b>" in arabic
