"""Saved copies of sources, kept by the sha256 of their bytes, and a check that they hold.

A saved copy lives at <dir>/<first two hex digits>/<sha256><original suffix>, where
<dir> is INCIDENTS_EVIDENCE or, by default, a folder next to the GeoPackage
(incidents.gpkg.evidence/). The name is the hash, so a source's sha256 field is all
it takes to find its copy, and any change to the bytes shows when they are hashed
again. Hashes are always of the bytes as stored, never of decoded text.

Saved copies are witness statements, photographs and reports that may name people: the
folder and its subfolders are made 0700 and each copy 0400 (its owner reads it, nobody
else does), whatever the umask. Folders made before keep their mode: `evidence verify`
says when other accounts can read the folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import click

from incidents import cli_language
from incidents.access import SYSTEM, Role, Viewer
from incidents.query import Query
from incidents.store import Store, open_store, store_url
from incidents.translation import N_, _

EVIDENCE_VAR = "INCIDENTS_EVIDENCE"
_HASHED_NAME = re.compile(r"^([0-9a-f]{64})(\.[A-Za-z0-9]{1,10})?$")


def evidence_dir(db_url: str | None = None, explicit: str | Path | None = None) -> Path:
    """Where saved copies are kept for this store."""
    if explicit:
        return Path(explicit)
    if os.environ.get(EVIDENCE_VAR):
        return Path(os.environ[EVIDENCE_VAR])
    target = store_url(db_url)
    if target.startswith(("postgresql://", "postgres://")):
        return Path("data/evidence")
    return Path(target + ".evidence")


def sha256_of(path: Path) -> str:
    """sha256 of the file's bytes, read in blocks (copies can be large videos)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def save_copy(source: Path, directory: Path) -> tuple[str, Path]:
    """Copy a file into the evidence folder under its hash; returns (sha256, stored path)."""
    digest = sha256_of(source)
    suffix = source.suffix.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,10}", source.suffix) else ""
    target = directory / digest[:2] / f"{digest}{suffix}"
    if target.exists():
        return digest, target
    _private_dir(directory)
    _private_dir(target.parent)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while block := src.read(1 << 20):
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if sha256_of(Path(tmp)) != digest:
            raise OSError(_("{path} changed while it was being copied").format(path=source))
        os.chmod(tmp, 0o400)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return digest, target


def _private_dir(path: Path) -> None:
    """Make the folder for its owner only (0700, set after mkdir so no umask changes
    it); folders above it, and one that exists already, are left as they are."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        return
    os.chmod(path, 0o700)


@dataclass
class EvidenceReport:
    """What re-hashing found: matches, changed copies, missing copies, strays."""

    checked: int = 0
    matched: int = 0
    mismatched: list[tuple[Path, str]] = field(default_factory=list)  # path, actual sha256
    missing: list[tuple[str, str]] = field(default_factory=list)  # incident id, sha256
    unreferenced: list[Path] = field(default_factory=list)
    shared: list[tuple[Path, int]] = field(default_factory=list)  # others can read: mode

    @property
    def ok(self) -> bool:
        return not self.mismatched and not self.missing

    def lines(self) -> list[str]:
        checked = _("Saved copies checked: {n}, bytes match their hash: {matched}")
        changed = _("CHANGED: {path} now hashes to {hash}")
        missing = _("MISSING: incident {id} cites {hash}, no saved copy")
        uncited = _("not cited by any incident: {path}")
        shared = _(
            "Warning: {path} can be read by other accounts on this computer (mode {mode}); "
            "make the saved copies private with: chmod -R go-rwx {path}"
        )
        out = [checked.format(n=self.checked, matched=self.matched)]
        out += ["  " + changed.format(path=p, hash=h) for p, h in self.mismatched]
        out += ["  " + missing.format(id=i, hash=h) for i, h in self.missing]
        out += ["  " + uncited.format(path=p) for p in self.unreferenced]
        out += [shared.format(path=p, mode=f"{m:o}") for p, m in self.shared]
        return out


def cited_hashes(store: Store) -> dict[str, list[str]]:
    """sha256 -> ids of the incidents whose sources cite it (every record, any sensitivity)."""
    ids = [str(i) for i in store.query(Query(), SYSTEM, ["id"])["id"]]
    cited: dict[str, list[str]] = {}
    for incident_id, sources in store.sources(ids, SYSTEM).items():
        for source in sources:
            if source.sha256:
                cited.setdefault(source.sha256.lower(), []).append(incident_id)
    return cited


def verify_copies(directory: Path, cited: dict[str, list[str]]) -> EvidenceReport:
    """Hash every saved copy again and compare with its name and with the sources."""
    report = EvidenceReport()
    found: set[str] = set()
    files = sorted(p for p in directory.rglob("*") if p.is_file()) if directory.exists() else []
    if directory.exists() and (mode := stat.S_IMODE(directory.stat().st_mode)) & 0o077:
        report.shared.append((directory, mode))
    for path in files:
        match = _HASHED_NAME.match(path.name)
        if match is None:
            if not path.name.startswith(".incoming-"):
                report.unreferenced.append(path)
            continue
        named = match.group(1)
        actual = sha256_of(path)
        report.checked += 1
        if actual == named:
            report.matched += 1
            found.add(named)
        else:
            report.mismatched.append((path, actual))
            found.add(named)  # present, but wrong: reported once, as changed
        if named not in cited:
            report.unreferenced.append(path)
    for digest, ids in sorted(cited.items()):
        if digest not in found:
            report.missing += [(i, digest) for i in ids]
    return report


@click.command("evidence", help=N_("save source copies by hash; re-verify every hash"))
@click.argument("action", type=click.Choice(["add", "verify"]))
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--dir", "folder", type=click.Path(path_type=Path), cls=cli_language.Worded,
              values={"setting": EVIDENCE_VAR},
              help=N_("saved-copies folder (or {setting})"))  # fmt: skip
@cli_language.pass_db
def evidence_command(db: str | None, action: str, files: tuple[Path, ...],
                     folder: Path | None) -> int:  # fmt: skip
    """`evidence add FILE...` and `evidence verify`."""
    directory = evidence_dir(db, folder)
    if action == "add":
        if not files:
            print(_("Name the files to save."), file=sys.stderr)
            return 2
        store = open_store(db)
        for path in files:
            digest, target = save_copy(path, directory)
            size = target.stat().st_size
            store.log_event(
                Viewer("cli", Role.EDITOR), "evidence:add", {"sha256": digest, "bytes": size}
            )
            print(f"{digest}  {path} -> {target}")
        print(_("Put the sha256 in the source's sha256 field (source1_sha256 in the template)."))
        return 0
    report = verify_copies(directory, cited_hashes(open_store(db)))
    print(_("Evidence folder {path}:").format(path=directory))
    print("\n".join(report.lines()))
    return 0 if report.ok else 1


COMMANDS = (evidence_command,)
