"""Shared fixtures: real stores on real files (and the real PostGIS when CI starts one)."""

from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from incidents.access import Role, Viewer
from incidents.store import open_store
from incidents.store.base import Store

# hypothesis' default 200 ms deadline fails tests on a busy machine, not code: none here.
settings.register_profile("incidents", deadline=None)
settings.load_profile("incidents")

# The command line speaks the system's language when no setting names one
# (incidents/cli_language.py): tests that read its English words run it in the C locale,
# so a machine set to French or Arabic gives the same results. Tests of that rule pass
# their own environment.
os.environ["LC_ALL"] = "C.UTF-8"
os.environ.pop("LC_MESSAGES", None)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "examples" / "tarhuna.csv"
EDITOR = Viewer("test-editor", Role.EDITOR)
VIEWER = Viewer("test-viewer", Role.VIEWER)
ADMIN = Viewer("test-admin", Role.ADMIN)


@pytest.fixture
def language_from_the_session() -> Iterator[None]:
    """A page run under AppTest reads its language from the session, as app.py's
    resolve() sets it (the language left English afterwards)."""
    from app_pages import language
    from incidents import translation

    translation.use_resolver(language._from_session)
    yield
    translation.set_language("en")


def _postgis_url() -> str | None:
    return os.environ.get("INCIDENTS_TEST_PG")


def postgis_url() -> str:
    """The test server's URL; skip without one, but fail in CI, where one must be running."""
    url = _postgis_url()
    if url is None:
        if os.environ.get("CI"):
            pytest.fail("INCIDENTS_TEST_PG is not set: scripts/test.sh starts PostGIS in CI")
        pytest.skip("no PostGIS server (scripts/test.sh starts one)")
    return url


def _new_postgis_store() -> Iterator[Store]:
    """An empty PostGIS store in a schema of its own, dropped afterwards."""
    url = postgis_url()
    try:
        from incidents.store.postgis import PostGISStore
    except ModuleNotFoundError as missing:  # psycopg, the postgis extra
        pytest.skip(f"the PostGIS store needs {missing.name} (pip install '.[postgis]')")
    pg = PostGISStore(url, schema="t_" + uuid.uuid4().hex[:12])
    try:
        yield pg
    finally:
        pg.drop_schema()


@pytest.fixture(params=["gpkg", "postgis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each kind; the PostGIS one gets its own schema per test."""
    if request.param == "gpkg":
        yield open_store(str(tmp_path / "incidents.gpkg"))
        return
    yield from _new_postgis_store()


@pytest.fixture
def pg() -> Iterator[Store]:
    """An empty PostGIS store only (what one store must get right on its own)."""
    yield from _new_postgis_store()


@pytest.fixture
def gpkg_store(tmp_path: Path) -> Store:
    return open_store(str(tmp_path / "incidents.gpkg"))


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask (022), under which folders are made 0755 and files 0644: tests of
    files that must be private whatever the umask run under it."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def file_mode(path: Path) -> int:
    """The permission bits of a file or folder (0o600 ...)."""
    return stat.S_IMODE(path.stat().st_mode)
