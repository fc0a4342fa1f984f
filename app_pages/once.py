"""What one run shows once (a sentence saying a record was saved, that a session ended;
the picture that clears the session cookie), kept until a run that showed it has reached
its end.

Such a thing used to be taken out of the session by the run that drew it. But Streamlit
stops a run at its next element, or its next look at the session, when a newer event
arrives (a second click, a map reporting its view), and the element being drawn then
never reaches the browser: what was taken was lost. So a run only marks what it showed,
and the end of a whole run (app.py) drops it; a stopped run leaves it to the next one,
which shows it again.

On the map page even a whole run is not enough: the map reports the view it drew right
after, and the run that follows removed the sentence before a busy browser had put it
on the screen. What is said there is kept while what it speaks of is shown (the ticked
rows, the incident open in the panel): see bulk_actions, merged_records, detail_panel.
"""

from __future__ import annotations

import streamlit as st

_ASKED = "_once_asked"  # name -> (number of the asking, what to show)
_SHOWN = "_once_shown"  # name -> number of the asking this run showed
_COUNT = "_once_count"  # askings so far: tells a new asking from one already shown


def ask(name: str, value: object) -> None:
    """Show value under this name once, in the next run that draws it to its end."""
    number = st.session_state[_COUNT] = int(st.session_state.get(_COUNT, 0)) + 1
    st.session_state.setdefault(_ASKED, {})[name] = (number, value)


def due(name: str) -> object | None:
    """What is asked under this name and not yet shown by a whole run, or None. The
    caller shows it now; the end of this run, if it gets there, drops it."""
    asked = st.session_state.get(_ASKED, {}).get(name)
    if asked is None:
        return None
    st.session_state.setdefault(_SHOWN, {})[name] = asked[0]
    return asked[1]


def drop(name: str) -> None:
    """Forget what was asked under this name, shown or not (what it said no longer holds)."""
    st.session_state.get(_ASKED, {}).pop(name, None)


def run_started() -> None:
    """At the start of each run: what a stopped run showed is still to be shown."""
    st.session_state[_SHOWN] = {}


def run_finished() -> None:
    """At the end of a whole run: what it showed has reached the browser. An asking
    made again after it was shown in this run (a new number) is kept."""
    asked = st.session_state.get(_ASKED, {})
    for name, number in st.session_state.get(_SHOWN, {}).items():
        if name in asked and asked[name][0] == number:
            del asked[name]
    st.session_state[_SHOWN] = {}
