"""Memory a full read of the store freed, given back to the system (glibc's malloc_trim).

Reading every record into a column snapshot makes a few hundred MB of short-lived
Python objects at a million records (rows, strings); once the arrays are built they
are freed, but glibc keeps the freed pages in the process. A server that had just read
the public's snapshot held 366 MB where 258 MB remain after a trim, 477 against 334 MB
with the staff's too (docs/benchmarks.md): memory a small field server needs for
everything else. Loading a snapshot from the disk cache leaves nothing to give back.
Where the C library has no malloc_trim (macOS, Windows, musl), nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable
from typing import Any


@functools.cache
def _malloc_trim() -> Callable[[int], Any] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return getattr(libc, "malloc_trim", None)


def give_back_freed_memory() -> bool:
    """Return the C library's freed pages to the system; False where it cannot."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
