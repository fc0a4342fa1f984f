"""Pruning the snapshot cache folder (column_load._prune) while another thread or
server process prunes it too."""

from __future__ import annotations

import os
from pathlib import Path

from incidents.store.column_load import _prune


def test_a_file_gone_between_listing_and_reading_is_skipped(tmp_path: Path) -> None:
    """Seen in CI: two visibilities' snapshots read at once, one prune deleted a file
    the other had just listed, and that visitor's read failed (FileNotFoundError). A
    link to nothing is such a file: listed, gone when its time is read."""
    for age in range(8):
        path = tmp_path / f"s{age}.npz"
        path.write_bytes(b"x")
        os.utime(path, (1_000_000 - age, 1_000_000 - age))
    (tmp_path / "gone.npz").symlink_to(tmp_path / "nothing-here")
    _prune(tmp_path, keep=6)
    left = sorted(p.name for p in tmp_path.glob("*.npz") if p.exists())
    assert left == [f"s{age}.npz" for age in range(6)]
