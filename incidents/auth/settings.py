"""How an instance is run: private or public, where accounts live, how sign-in works.

Read from environment variables first, then the [incidents] section of
.streamlit/secrets.toml (the app passes that mapping in; this module never imports
Streamlit). A missing or unknown mode means private: an instance never opens up by
accident.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from incidents.auth.sessions import SessionPolicy

Mode = Literal["private", "public"]
MODE_VAR = "INCIDENTS_MODE"
USERS_VAR = "INCIDENTS_USERS"
DB_VAR = "INCIDENTS_DB"
PROXIES_VAR = "INCIDENTS_TRUSTED_PROXIES"
DEFAULT_DB = "data/incidents.gpkg"
SHARED_USERS_FILE = "data/users.sqlite"


@dataclass(frozen=True)
class Settings:
    """What the app needs to decide who may come in, and how."""

    mode: Mode
    users_path: Path
    oidc_providers: tuple[str | None, ...]  # () when st.login is not configured
    session: SessionPolicy
    problems: tuple[str, ...] = ()  # configuration mistakes to show to an admin
    trusted_proxies: tuple[str, ...] = ()  # whose X-Forwarded-For names the client

    @property
    def private(self) -> bool:
        return self.mode == "private"

    @property
    def oidc(self) -> bool:
        return bool(self.oidc_providers)


def load_settings(
    env: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None
) -> Settings:
    """Settings from the environment, then the secrets file's [incidents] section."""
    env = os.environ if env is None else env
    secrets = secrets or {}
    own = secrets.get("incidents") or {}
    problems: list[str] = []
    raw_mode = str(env.get(MODE_VAR) or own.get("mode") or "private").strip().lower()
    if raw_mode not in ("private", "public"):
        problems.append(f"{MODE_VAR}='{raw_mode}' is not private or public: running private.")
    mode: Mode = "public" if raw_mode == "public" else "private"
    users = env.get(USERS_VAR) or users_file_for(env.get(DB_VAR))
    providers, oidc_problems = oidc_providers(secrets)
    proxies = str(env.get(PROXIES_VAR) or own.get("trusted_proxies") or "")
    return Settings(
        mode=mode,
        users_path=Path(str(users)),
        oidc_providers=providers,
        session=SessionPolicy.from_env(env),
        problems=(*problems, *oidc_problems),
        trusted_proxies=tuple(p.strip() for p in proxies.split(",") if p.strip()),
    )


def users_file_for(db_url: str | None) -> Path:
    """Accounts sit next to a GeoPackage (never inside it); shared stores use data/."""
    target = db_url or DEFAULT_DB
    if target.startswith(("postgresql://", "postgres://")):
        return Path(SHARED_USERS_FILE)
    return Path(target + ".users.sqlite")


def oidc_providers(secrets: Mapping[str, Any]) -> tuple[tuple[str | None, ...], list[str]]:
    """The st.login providers configured in secrets ([auth] or [auth.NAME]), if usable."""
    auth = secrets.get("auth")
    if not isinstance(auth, Mapping):
        return (), []
    providers: list[str | None] = []
    if "client_id" in auth:
        providers.append(None)
    providers += [k for k, v in auth.items() if isinstance(v, Mapping) and "client_id" in v]
    problems = []
    if not providers:
        problems.append("[auth] in secrets.toml names no provider with a client_id.")
    missing = [k for k in ("redirect_uri", "cookie_secret") if k not in auth]
    if providers and missing:
        problems.append(f"[auth] in secrets.toml lacks {', '.join(missing)}.")
    if providers and importlib.util.find_spec("authlib") is None:
        problems.append("Single sign-on is configured but Authlib is not installed.")
    if problems:
        return (), problems
    return tuple(providers), []
