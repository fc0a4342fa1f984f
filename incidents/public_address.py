"""The instance's public address, for links printed in exported files.

An exported slide or image travels far from the machine that made it: a link to
localhost (what the server sees itself as) is useless to its reader. The address is
a setting, read like the others (incidents.auth.settings): the environment variable
first, then public_url in the [incidents] section of .streamlit/secrets.toml. No
setting (or one that is not an http(s) address) means no link in the files.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

PUBLIC_URL_VAR = "INCIDENTS_PUBLIC_URL"


def public_url(
    env: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None
) -> str:
    """The configured address readers can open (no query or fragment), else ""."""
    env = os.environ if env is None else env
    own = (secrets or {}).get("incidents") or {}
    raw = str(env.get(PUBLIC_URL_VAR) or own.get("public_url") or "").strip()
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
