"""Which language a visit gets: the link's lang= first, then the switch, the instance's
setting, and English; the sign-in page then speaks it (AppTest, no browser)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from incidents import translation


@pytest.fixture(autouse=True)
def _no_resolver_afterwards() -> Iterator[None]:
    """The app's resolver reads a session: other tests run outside any."""
    yield
    translation.use_resolver(lambda: None)
    translation.set_language("en")


def _page() -> None:
    import streamlit as st

    from app_pages import language
    from incidents.translation import _

    language.resolve()
    language.switch()
    st.title(_("Sign in"))
    st.caption(language.in_link() or "-")


def _run(params: dict[str, str]) -> AppTest:
    at = AppTest.from_function(_page)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize(
    ("params", "setting", "title"),
    [
        ({}, "", "Sign in"),
        ({}, "fr", "Se connecter"),
        ({"lang": "ar"}, "fr", "تسجيل الدخول"),
        ({"lang": "klingon"}, "fr", "Se connecter"),
        ({}, "klingon", "Sign in"),
    ],
)
def test_link_then_setting_then_english(
    params: dict[str, str], setting: str, title: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INCIDENTS_LANGUAGE", setting)
    at = _run(params)
    assert not at.exception
    assert at.title[0].value == title


def test_the_switch_keeps_the_choice_for_the_session_and_the_link(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("INCIDENTS_LANGUAGE", raising=False)
    at = _run({})
    assert at.caption[0].value == "-"  # nothing chosen: the link carries no language
    at.selectbox(key="lang_switch").set_value("fr").run()
    assert at.title[0].value == "Se connecter"
    assert at.caption[0].value == "fr"
    assert at.query_params["lang"] == "fr"
    at.run()  # the next run keeps it
    assert at.title[0].value == "Se connecter"
