"""Files the command line writes (exports, rejected rows, warnings): never over the
store, and private when they may hold what only some may read.

Tried as a red team would: `export csv --out` naming the GeoPackage itself, or
`import --rejected` naming it, replaced every record and the audit log with an 11 KB
CSV, and the rejected rows of a file holding witnesses' details were written readable
by every account on the machine while the store itself is kept private (0600).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from incidents.translation import _

_SIDECARS = ("-wal", "-shm", "-journal", ".index")  # SQLite's and the column snapshot's


class OutputRefused(ValueError):
    """The output path names a file the tool must not write over."""


def write_output(
    path: Path, data: bytes, *, private: bool, keep: Iterable[str | Path | None] = ()
) -> None:
    """data into path, refused when path is one of keep (the store, whose SQLite and
    snapshot files count too, the input file, the accounts file) or cannot be written
    (check_output): nothing is written then. private: a new file is readable by its
    owner only (0600, whatever the umask), and an existing one is made so."""
    check_output(path, keep)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    try:
        descriptor = os.open(path.resolve(), flags, 0o600 if private else 0o666)
        with os.fdopen(descriptor, "wb") as out:
            if private:
                os.fchmod(out.fileno(), 0o600)
            out.write(data)
    except OSError as error:  # a full disk, a file system mounted read-only
        said = _("{path} could not be written ({error}): choose another output file")
        raise OutputRefused(said.format(path=path, error=error.strerror or error)) from None


def check_output(path: Path, keep: Iterable[str | Path | None] = ()) -> None:
    """Refuse an output path before any work is done for it: one of keep, a folder, in
    a folder that does not exist, or not writable. Tried as a red team would: an export
    to a missing folder, or an import's --rejected file there, ended in 'an unexpected
    error' after the work was done (the import's rows stored, its rejected rows never
    written)."""
    target = path.resolve()
    for kept in keep:
        if kept and _is_or_beside(target, Path(kept)):
            said = _("{path} is {kept} or one of its files: choose another output file")
            raise OutputRefused(said.format(path=path, kept=kept))
    try:
        problem = _unwritable(target)
    except OSError as error:  # a name too long for the file system...
        problem = _("{path} could not be written ({error}): choose another output file")
        problem = problem.replace("{error}", str(error.strerror or error))
    if problem:
        raise OutputRefused(problem.format(path=path))


def _unwritable(target: Path) -> str:
    """Why target cannot be written ('' when it can), with {path} for its name."""
    if target.is_dir():
        return _("{path} is a folder: name a file in it")
    if not target.parent.is_dir():
        return _("the folder of {path} does not exist: create it or choose another output file")
    if not os.access(target.parent, os.W_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        return _("{path} cannot be written (no permission): choose another output file")
    return ""


def kept_files(db: str | None) -> tuple[str, ...]:
    """The files an output must not replace: the store db names (or the default one)
    and the accounts file."""
    from incidents.auth.settings import load_settings
    from incidents.store import store_url

    return (store_url(db), str(load_settings().users_path))


def _is_or_beside(target: Path, kept: Path) -> bool:
    """Whether target is kept, or one of the files SQLite and the snapshot keep beside
    it (kept.gpkg-wal, kept.gpkg.index)."""
    if "://" in str(kept):  # a PostgreSQL store: no file of its own here
        return False
    kept = kept.resolve()
    if target == kept:
        return True
    return target.parent == kept.parent and any(
        target.name == kept.name + suffix for suffix in _SIDECARS
    )
