"""Session limits, instance settings (private unless said otherwise), public-rule settings."""

from __future__ import annotations

import importlib.util
import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import pytest

from incidents.access import PublicRules, Role
from incidents.auth.sessions import (
    Session,
    SessionPolicy,
    as_session,
    session_problem,
    start_session,
    touched,
)
from incidents.auth.settings import load_settings, users_file_for
from incidents.auth.web_sessions import HANDOFF_SECONDS, SessionRegistry


def test_sessions_end_when_idle_and_after_the_absolute_limit():
    policy = SessionPolicy(idle_seconds=3600, max_seconds=8 * 3600)
    session = start_session("amina", Role.EDITOR, "local", now=0)
    assert session_problem(session, policy, now=3599) == ""
    assert session_problem(session, policy, now=3601) == "idle"
    active = session
    for hour in range(1, 8):
        active = touched(active, Role.EDITOR, now=hour * 3600 - 60)
        assert session_problem(active, policy, now=hour * 3600) == ""
    assert session_problem(active, policy, now=8 * 3600 + 1) == "expired"
    assert touched(session, Role.VIEWER, now=10).role is Role.VIEWER  # role changes apply


def test_session_limits_come_from_the_environment():
    policy = SessionPolicy.from_env(
        {"INCIDENTS_SESSION_IDLE_MINUTES": "15", "INCIDENTS_SESSION_MAX_HOURS": "2"}
    )
    assert (policy.idle_seconds, policy.max_seconds) == (900, 7200)
    assert SessionPolicy.from_env({"INCIDENTS_SESSION_IDLE_MINUTES": "-1"}) == SessionPolicy()


def test_an_instance_is_private_unless_it_says_public():
    assert load_settings({}, {}).mode == "private"
    odd = load_settings({"INCIDENTS_MODE": "open"}, {})
    assert odd.mode == "private" and odd.problems
    assert load_settings({"INCIDENTS_MODE": "public"}, {}).mode == "public"
    assert load_settings({}, {"incidents": {"mode": "public"}}).mode == "public"
    # The environment wins over the secrets file.
    assert load_settings({"INCIDENTS_MODE": "private"}, {"incidents": {"mode": "public"}}).private


def test_accounts_file_sits_next_to_the_geopackage():
    assert users_file_for("/srv/data/x.gpkg") == Path("/srv/data/x.gpkg.users.sqlite")
    assert users_file_for("postgresql://db/x") == Path("data/users.sqlite")
    settings = load_settings({"INCIDENTS_DB": "/a/b.gpkg", "INCIDENTS_USERS": "/etc/u.sqlite"}, {})
    assert settings.users_path == Path("/etc/u.sqlite")


def test_single_sign_on_is_offered_only_when_fully_configured():
    auth = {
        "redirect_uri": "https://maps.example.org/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "id",
        "client_secret": "secret",
        "server_metadata_url": "https://id.example.org/.well-known/openid-configuration",
    }
    settings = load_settings({}, {"auth": auth})
    if importlib.util.find_spec("authlib") is None:
        assert not settings.oidc and "Authlib" in settings.problems[0]
    else:
        assert settings.oidc_providers == (None,)
    partial = load_settings({}, {"auth": {"client_id": "id"}})
    assert not partial.oidc and partial.problems
    assert not load_settings({}, {}).oidc


def test_public_rules_read_their_settings_and_refuse_fake_coarsening(monkeypatch):
    monkeypatch.setenv("INCIDENTS_PUBLIC_GRID_KM", "10")
    assert PublicRules().grid_km == 10
    monkeypatch.setenv("INCIDENTS_PUBLIC_GRID_KM", "0.01")  # rounding in all but name
    with pytest.raises(ValueError, match="grid"):
        PublicRules()
    monkeypatch.delenv("INCIDENTS_PUBLIC_GRID_KM")
    assert PublicRules().grid_km == 0  # district centroids by default
    with pytest.raises(ValueError):
        PublicRules(fallback_grid_km=0)


def _registered(registry: SessionRegistry, now: float = 0.0) -> tuple[Session, str]:
    session = registry.open(start_session("amina", Role.EDITOR, "local", now=now))
    return session, registry.cookie_value(session.key)


def test_a_signed_cookie_names_its_session_and_a_tampered_one_names_none():
    registry = SessionRegistry()
    session, cookie = _registered(registry)
    assert registry.from_cookie(cookie) == session
    session_id, signature = cookie.split(".")
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    other = SessionRegistry().open(start_session("amina", Role.EDITOR, "local"))
    for forged in (
        f"{session_id}.{flipped}",  # the signature changed
        f"{other.key}.{signature}",  # another id with this signature
        session_id,  # the id alone
        f"{cookie}.x",
        f"{session_id}é.{signature}",  # not ASCII: refused, not an error
        f"{session_id}.{signature[:-1]}é",
        "",
        None,
    ):
        assert registry.from_cookie(forged) is None
    # A cookie signed by another server (another key) is worthless here.
    assert SessionRegistry().from_cookie(cookie) is None


def test_the_handoff_token_is_not_the_session_and_works_once():
    registry = SessionRegistry()
    session, cookie = _registered(registry, now=time.time())
    token = registry.handoff(session.key)
    assert session.key not in token and token not in cookie
    assert registry.pending(token)
    assert registry.redeem(token) == cookie
    assert not registry.pending(token) and registry.redeem(token) is None  # single use
    late = registry.handoff(session.key, now=100.0)
    assert registry.redeem(late, now=100.0 + HANDOFF_SECONDS + 1) is None  # too late
    assert registry.redeem("guessed-token") is None


def test_registered_sessions_still_end_when_idle_or_too_old():
    policy = SessionPolicy(idle_seconds=3600, max_seconds=8 * 3600)
    registry = SessionRegistry()
    idle, idle_cookie = _registered(registry, now=0)
    busy, busy_cookie = _registered(registry, now=0)
    for hour in range(1, 8):
        registry.update(touched(busy, Role.EDITOR, now=hour * 3600 - 60))
        assert session_problem(registry.get(busy.key), policy, now=hour * 3600) == ""
    assert session_problem(registry.get(idle.key), policy, now=3601) == "idle"
    registry.prune(policy, now=3601)
    assert registry.from_cookie(idle_cookie) is None
    assert registry.from_cookie(busy_cookie) is not None
    assert session_problem(registry.get(busy.key), policy, now=8 * 3600 + 1) == "expired"
    registry.prune(policy, now=8 * 3600 + 1)
    assert registry.from_cookie(busy_cookie) is None


def test_ending_a_session_ends_it_for_every_tab_and_its_pending_handoff():
    registry = SessionRegistry()
    session, cookie = _registered(registry, now=time.time())
    token = registry.handoff(session.key)
    registry.end(session.key)
    assert registry.get(session.key) is None and registry.from_cookie(cookie) is None
    assert registry.redeem(token) is None
    registry.update(touched(session, Role.EDITOR))  # a late step from a tab revives nothing
    assert registry.get(session.key) is None
    kept, _ = _registered(registry)
    other = registry.open(start_session("someone else", Role.VIEWER, "local"))
    assert registry.end_account("AMINA") == 1
    assert registry.get(kept.key) is None and registry.get(other.key) is not None


def test_every_way_a_session_ends_is_told_to_who_keeps_things_for_it():
    """What the server keeps for a session (an import's rejected rows) goes when the
    session ends by a sign-out, for its account, or past its limits with no tab open."""
    policy = SessionPolicy(idle_seconds=3600, max_seconds=8 * 3600)
    registry = SessionRegistry()
    told: list[str] = []
    registry.on_end(told.append)
    signed_out, _ = _registered(registry, now=0)
    registry.end(signed_out.key)
    assert told == [signed_out.key]
    disabled, _ = _registered(registry, now=0)
    assert registry.end_account("amina") == 1
    assert told[-1] == disabled.key
    idle, _ = _registered(registry, now=0)
    busy, _ = _registered(registry, now=3000)
    registry.prune(policy, now=3601)
    assert told[-1] == idle.key and busy.key not in told
    registry.prune(policy, now=3601)  # already gone: told once
    assert told.count(idle.key) == 1


def test_a_session_made_before_the_modules_were_imported_again_still_holds():
    """Streamlit imports the project's modules again when a file changes; a session
    kept from before belongs to the old classes (stood in for here by look-alikes)
    and must still be recognised, not sign its owner out."""

    class OldRole(Enum):
        EDITOR = "editor"

    @dataclass(frozen=True)
    class OldSession:
        name: str
        role: OldRole
        method: str
        started: float
        last_seen: float
        key: str = ""

    again = as_session(OldSession("amina", OldRole.EDITOR, "local", 5.0, 6.0, "k"))
    assert again == Session("amina", Role.EDITOR, "local", 5.0, 6.0, "k")
    current = start_session("amina", Role.EDITOR, "local")
    assert as_session(current) is current
    assert as_session("not a session") is None and as_session(None) is None
