"""Browser test fixtures: one server per data set, shared by a module; a guarded page.

Requests to any host but 127.0.0.1/localhost fail the test (see browser_support.Guarded).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, EXAMPLE, Guarded, Server, serve


@pytest.fixture(scope="module")
def example_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app with the Tarhuna example."""
    yield from serve(tmp_path_factory.mktemp("example"), EXAMPLE)


@pytest.fixture(scope="module")
def synthetic_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app with 10,000 synthetic incidents."""
    from incidents.synthetic import write_synthetic_csv

    tmp = tmp_path_factory.mktemp("synthetic")
    csv = write_synthetic_csv(tmp / "synthetic.csv", 10_000, seed=11)
    yield from serve(tmp, Path(csv))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: scripts/system_packages.sh installs it")
        pytest.skip("Debian's chromium is not installed (scripts/system_packages.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def guarded(browser: object) -> Iterator[Guarded]:
    g = Guarded(browser)
    yield g
    g.context.close()
    assert g.offsite == [], f"requests left 127.0.0.1: {g.offsite}"
    assert g.errors == [], f"errors in the page: {g.errors}"
