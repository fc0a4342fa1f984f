"""The frame that scrolls the page to the detail panel (app_pages/detail_panel.py).

Tried on a busy machine, as a phone user picking a row in the table: the run that drew
the frame was followed at once by another (the map reporting the view it flew to), the
frame was gone before the browser put it on the page, and the page stayed at the table.
So the frame of the last asking is drawn in every run, and the page remembers which
asking it scrolled for.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page() -> None:
    import streamlit as st

    from app_pages import detail_panel

    if st.session_state.get("pick"):
        st.session_state["pick"] = False
        detail_panel.ask_into_view()
    detail_panel.bring_into_view()


def _frames(at: AppTest) -> list[str]:
    return [e.proto.srcdoc for e in at.main if e.type == "iframe"]


def test_the_frame_of_a_pick_is_drawn_in_the_runs_after_it_unchanged() -> None:
    at = AppTest.from_function(_page)
    assert _frames(at.run()) == []  # nothing picked: no frame
    at.session_state["pick"] = True
    first = _frames(at.run())
    assert len(first) == 1 and "const asked = 1;" in first[0]
    assert _frames(at.run()) == first  # the map's report: the same frame, left as it is
    at.session_state["pick"] = True
    second = _frames(at.run())
    assert len(second) == 1 and "const asked = 2;" in second[0]


def test_the_page_scrolls_once_for_each_asking() -> None:
    at = AppTest.from_function(_page)
    at.session_state["pick"] = True
    (frame,) = _frames(at.run())
    assert "page.__incidentsPanelScrolled !== asked" in frame
    assert frame.index("page.__incidentsPanelScrolled = asked") < frame.index("scrollIntoView")
