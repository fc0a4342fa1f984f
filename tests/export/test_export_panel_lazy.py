"""The map page's export panel is drawn closed with nothing inside, and its controls
come when it is opened (render_export_panel(lazy=True)): the whole page's first drawing
no longer waits for 25 elements nobody has asked for."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _app(db: str) -> None:
    from app_pages.export_panel import render_export_panel
    from incidents.access import Role, Viewer
    from incidents.query import Query
    from incidents.store import open_store

    render_export_panel(open_store(db), Viewer("someone", Role.VIEWER), Query(), None, lazy=True)


def test_the_panel_draws_its_controls_once_opened(tarhuna_db):
    app = AppTest.from_function(_app, args=(tarhuna_db,), default_timeout=60).run()
    assert not app.exception
    assert not [r for r in app.radio if r.key == "export_profile"]
    app.session_state["export_open"] = True  # what opening it in the browser records
    app.run()
    assert not app.exception
    assert [r for r in app.radio if r.key == "export_profile"]


def test_closing_the_panel_keeps_what_was_typed_and_chosen(tarhuna_db):
    """A widget Streamlit does not draw loses its value: once opened, the panel's
    controls stay drawn (inside the closed panel), so the title and audience survive."""
    app = AppTest.from_function(_app, args=(tarhuna_db,), default_timeout=60).run()
    app.session_state["export_open"] = True
    app.run()
    title = next(t for t in app.text_input if t.key == "export_title")
    title.set_value("Tarhuna briefing").run()
    app.session_state["export_open"] = False  # closed
    app.run()
    app.session_state["export_open"] = True  # and opened again
    app.run()
    assert not app.exception
    assert next(t for t in app.text_input if t.key == "export_title").value == "Tarhuna briefing"
