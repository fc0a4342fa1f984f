"""Freed memory given back to the system after a full read (freed_memory)."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from incidents.store.freed_memory import give_back_freed_memory

# In a process of its own: many blocks big enough for the C library's allocator (not
# Python's own), nine in ten freed between survivors, so the freed pages sit between
# live ones where only a trim gives them back. Prints the resident MB before and after.
_CHILD = """
import resource
from incidents.store.freed_memory import give_back_freed_memory
def resident():
    return int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize() / 2**20
blocks = [bytes(4000) for _ in range(50_000)]
kept = blocks[::10]
del blocks
before = resident()
give_back_freed_memory()
print(before, resident())
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_freed_pages_go_back_to_the_system() -> None:
    out = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True,
                         check=True)  # fmt: skip
    before, after = map(float, out.stdout.split())
    assert before - after > 100, (before, after)  # about 180 MB freed between survivors


def test_it_can_be_called_any_time() -> None:
    assert give_back_freed_memory() in (True, False)
    assert give_back_freed_memory() in (True, False)
