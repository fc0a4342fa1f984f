"""The public address setting: environment first, then secrets; nothing usable, no link."""

from __future__ import annotations

from incidents.public_address import PUBLIC_URL_VAR, public_url


def test_the_environment_comes_first():
    secrets = {"incidents": {"public_url": "https://from-secrets.example.org/"}}
    env = {PUBLIC_URL_VAR: "https://incidents.example.org/map?x=1#top"}
    assert public_url(env, secrets) == "https://incidents.example.org/map"
    assert public_url({}, secrets) == "https://from-secrets.example.org/"


def test_no_setting_or_a_bad_one_gives_no_address():
    assert public_url({}, {}) == ""
    assert public_url({PUBLIC_URL_VAR: "incidents.example.org"}, {}) == ""
    assert public_url({PUBLIC_URL_VAR: "javascript:alert(1)"}, {}) == ""
    assert public_url({PUBLIC_URL_VAR: "  "}, None) == ""
