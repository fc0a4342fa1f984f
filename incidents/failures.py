"""Unexpected errors: a plain sentence for the person, the trace for the server's log.

People using the tool are not programmers, and a traceback shown in the app can
reveal paths, settings and record text. When something fails that the code did not
foresee (a bug, a file no reader expected, memory running out), the person gets one
sentence with a short reference, and the full trace goes to the logging module under
the same reference, so an administrator can find it.

When the deployment has configured no logging of its own, the trace is written to
INCIDENTS_LOG (default ~/.local/state/incidents/errors.log), never to the terminal or
the page; if that file cannot be opened, to the server's standard error.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from incidents.translation import _

LOGGER = logging.getLogger("incidents")
_DEFAULT_LOG = Path("~/.local/state/incidents/errors.log")


def _ensure_handler() -> None:
    if LOGGER.hasHandlers():
        return
    handler: logging.Handler
    try:
        path = Path(os.environ.get("INCIDENTS_LOG") or _DEFAULT_LOG).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()  # the server's standard error
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    LOGGER.addHandler(handler)


def log_unexpected(what: str, error: BaseException) -> str:
    """Log the error with its trace under a new reference, and return the reference."""
    reference = secrets.token_hex(4)
    _ensure_handler()
    LOGGER.error("%s failed (reference %s)", what, reference, exc_info=error)
    return reference


def sentence(what: str, error: BaseException, reference: str) -> str:
    """The one sentence a person sees: what failed, what to do, and the reference."""
    if isinstance(error, MemoryError):
        cause = _("it needs more memory than the server has (try a smaller file or selection)")
    elif isinstance(error, RecursionError):
        cause = _("the data is nested too deeply to read")
    else:
        cause = _("an unexpected error stopped it")
    where = _("the details are in the server's log, reference {reference}")
    said = _("{what} did not complete: {cause} ({where})")
    return said.format(what=what, cause=cause, where=where.format(reference=reference))
