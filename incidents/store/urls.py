"""Store addresses as people see them: never with the password a URL may carry."""

from __future__ import annotations

import re


def redact_url(url: str) -> str:
    """The URL (or key=value string) without its password, for messages and logs."""
    url = re.sub(r"(://[^:/@?#]*:)[^?#]*@", r"\1***@", url)
    return re.sub(r"(password\s*=\s*)('[^']*'|[^&\s]+)", r"\1***", url)
