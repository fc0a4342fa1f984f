"""What a run shows once survives a run stopped before its end (app_pages/once.py).

Streamlit stops a run at its next element when a newer event arrives; the page below
stands for it with st.stop() right after the sentence is drawn, as a stopped run ends
before app.py's run_finished. On a busy machine the sentence after a change to two
ticked rows never appeared, and a row picked on a phone did not scroll to its panel.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page() -> None:
    import streamlit as st

    from app_pages import once

    once.run_started()
    if st.session_state.get("ask"):
        st.session_state["ask"] = False
        once.ask("said", st.session_state.get("words", "Verification set on 2 incidents."))
    said = once.due("said")
    if said:
        st.success(str(said))
    if st.session_state.get("stop"):
        st.stop()  # this run ends here, as one Streamlit stops does
    if st.session_state.get("ask_again"):  # asked again after it was shown: kept
        st.session_state["ask_again"] = False
        once.ask("said", "Tag added to 2 incidents.")
    once.run_finished()


def _shown(at: AppTest) -> list[str]:
    return [s.value for s in at.success]


def test_shown_by_a_whole_run_then_gone() -> None:
    at = AppTest.from_function(_page)
    at.session_state["ask"] = True
    assert _shown(at.run()) == ["Verification set on 2 incidents."]
    assert _shown(at.run()) == []


def test_a_stopped_run_leaves_it_to_the_next() -> None:
    at = AppTest.from_function(_page)
    at.session_state["ask"] = True
    at.session_state["stop"] = True
    assert _shown(at.run()) == ["Verification set on 2 incidents."]
    assert _shown(at.run()) == ["Verification set on 2 incidents."]  # still stopped
    at.session_state["stop"] = False
    assert _shown(at.run()) == ["Verification set on 2 incidents."]  # the whole run
    assert _shown(at.run()) == []


def test_asked_again_after_it_was_shown_is_kept() -> None:
    at = AppTest.from_function(_page)
    at.session_state["ask"] = True
    at.session_state["ask_again"] = True
    assert _shown(at.run()) == ["Verification set on 2 incidents."]
    assert _shown(at.run()) == ["Tag added to 2 incidents."]
    assert _shown(at.run()) == []
