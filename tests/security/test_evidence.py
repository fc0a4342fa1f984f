"""Saved copies of sources: hashed by their bytes (as sha256sum does), re-verified on demand."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date

import pytest

from incidents.evidence import cited_hashes, evidence_dir, save_copy, sha256_of, verify_copies
from incidents.record import Incident, Source
from tests.conftest import EDITOR, ROOT, file_mode

# Bytes that change if anything decodes and re-encodes them: a BOM, CRLF, invalid UTF-8.
AWKWARD = b"\xef\xbb\xbfWitness statement\r\n\xff\xfe\x00 not text \xe2\x80\r\n"


def test_hash_is_of_the_bytes_exactly_as_sha256sum_computes_it(tmp_path):
    path = tmp_path / "statement.txt"
    path.write_bytes(AWKWARD)
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum is not installed")
    expected = subprocess.run(
        ["sha256sum", str(path)], capture_output=True, text=True, check=True
    ).stdout.split()[0]
    assert sha256_of(path) == expected


def test_saved_copies_are_found_by_hash_and_changes_are_reported(tmp_path):
    folder = tmp_path / "evidence"
    first, second = tmp_path / "a.pdf", tmp_path / "b.jpg"
    first.write_bytes(AWKWARD)
    second.write_bytes(os.urandom(5000))
    digest_a, stored_a = save_copy(first, folder)
    digest_b, stored_b = save_copy(second, folder)
    assert stored_a == folder / digest_a[:2] / f"{digest_a}.pdf"
    assert save_copy(first, folder) == (digest_a, stored_a)  # saving twice keeps one copy
    cited = {digest_a: ["inc-1"], digest_b: ["inc-2"], "f" * 64: ["inc-3"]}
    report = verify_copies(folder, cited)
    assert (report.checked, report.matched) == (2, 2)
    assert report.missing == [("inc-3", "f" * 64)] and not report.ok
    # Someone edits a saved copy (a read-only file does not stop its owner).
    os.chmod(stored_b, 0o644)
    stored_b.write_bytes(stored_b.read_bytes()[:-1] + b"!")
    report = verify_copies(folder, {digest_a: ["inc-1"], digest_b: ["inc-2"]})
    assert [p for p, _ in report.mismatched] == [stored_b]
    assert report.mismatched[0][1] == sha256_of(stored_b)
    assert any("CHANGED" in line for line in report.lines())


def incident_citing(digest: str) -> Incident:
    return Incident(
        id="syn-ev",
        type="mass_grave",
        title="Synthetic incident with a saved source",
        date_start=date(2020, 6, 5),
        date_end=date(2020, 6, 5),
        country="LY",
        sensitivity="restricted",
        sources=(Source(title="Saved report", sha256=digest),),
    )


def test_evidence_verify_command_checks_every_cited_hash(tmp_path, gpkg_store):
    source = tmp_path / "report.pdf"
    source.write_bytes(AWKWARD)
    db = str(gpkg_store.path)

    def evidence(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "incidents", "--db", db, "evidence", *args]
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)

    added = evidence("add", str(source))
    assert added.returncode == 0, added.stderr
    digest = added.stdout.split()[0]
    assert digest == sha256_of(source)
    assert evidence_dir(db).is_dir()  # next to the GeoPackage by default
    gpkg_store.write_batch([incident_citing(digest)], EDITOR)
    assert cited_hashes(gpkg_store) == {digest: ["syn-ev"]}
    ok = evidence("verify")
    assert ok.returncode == 0 and "bytes match their hash: 1" in ok.stdout
    stored = next(evidence_dir(db).rglob(f"{digest}*"))
    os.chmod(stored, 0o644)
    stored.write_bytes(AWKWARD.replace(b"Witness", b"W1tness"))
    bad = evidence("verify")
    assert bad.returncode == 1 and "CHANGED" in bad.stdout


def test_the_evidence_folder_is_private_and_copies_are_owner_read_only(tmp_path, open_umask):
    """Saved sources (witness statements, photographs) are for the store's owner only:
    the folder and its hash subfolders 0700, each copy 0400, whatever the umask."""
    statement = tmp_path / "statement.pdf"
    statement.write_bytes(AWKWARD)
    folder = tmp_path / "data" / "evidence"
    _, stored = save_copy(statement, folder)
    assert file_mode(folder) == 0o700
    assert file_mode(stored.parent) == 0o700
    assert file_mode(stored) == 0o400
    assert file_mode(folder.parent) == 0o755  # folders above it are not the tool's to change


def test_a_strict_umask_still_leaves_the_owner_able_to_use_the_folder(tmp_path):
    old = os.umask(0o277)  # would make folders r-x for their owner only
    try:
        statement = tmp_path / "statement.pdf"
        statement.write_bytes(AWKWARD)
        _, stored = save_copy(statement, tmp_path / "evidence")
        _, other = save_copy(tmp_path / "statement.pdf", tmp_path / "evidence")
    finally:
        os.umask(old)
    assert stored == other
    assert file_mode(tmp_path / "evidence") == 0o700 and file_mode(stored) == 0o400


def test_verify_warns_about_a_folder_others_can_read(tmp_path, open_umask):
    """A folder made before copies were private keeps its mode: the check says so."""
    folder = tmp_path / "evidence"
    folder.mkdir()  # 0755, as earlier versions left it
    statement = tmp_path / "statement.pdf"
    statement.write_bytes(AWKWARD)
    digest, _ = save_copy(statement, folder)
    report = verify_copies(folder, {digest: ["inc-1"]})
    assert report.ok  # a warning, not a changed copy
    assert report.lines()[-1] == (
        f"Warning: {folder} can be read by other accounts on this computer (mode 755); "
        f"make the saved copies private with: chmod -R go-rwx {folder}"
    )
    folder.chmod(0o700)
    assert not any("Warning" in line for line in verify_copies(folder, {}).lines())
