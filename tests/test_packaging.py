"""The package installs with pip into a new virtual environment and its command runs.

Offline: the new environment has no packages of its own (``--without-pip``); a ``.pth``
file lets it see the test environment's packages (the dependencies, setuptools, wheel),
pip runs from the test environment against it (``pip --python``), and nothing is
fetched (``--no-deps --no-build-isolation``). The sources are copied to a temporary
folder first, so the build's files never land in the checkout. What is checked is
the package itself: its files, its data, its console script.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "incidents", "geodata"]


def _copy_sources(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)


def _new_env(where: Path) -> Path:
    """A virtual environment that sees this one's packages through a .pth file."""
    venv.EnvBuilder(with_pip=False).create(where)
    python = where / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "test_env_packages.pth").write_text("\n".join(sorted(ours)) + "\n")
    return python


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a new environment with the package installed by pip."""
    base = tmp_path_factory.mktemp("packaging")
    source = base / "src"
    source.mkdir()
    _copy_sources(source)
    python = _new_env(base / "env")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check"]
    env = dict(os.environ, PIP_NO_INDEX="1", PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [*pip, "install", "--quiet", "--no-deps", "--no-build-isolation", str(source)],
        capture_output=True,
        text=True,
        env=env,
        cwd=base,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return python.parent


def _run(bin_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        list(args), capture_output=True, text=True, env=env, cwd=bin_dir.parent, check=False
    )


def test_console_script_runs(installed: Path) -> None:
    done = _run(installed, str(installed / "incidents"), "--help")
    assert done.returncode == 0, done.stderr
    assert "import" in done.stdout
    assert "Traceback" not in done.stderr


def test_installed_package_is_the_copy_with_its_data(installed: Path) -> None:
    code = (
        "import geodata, incidents; from geodata import gazetteer; "
        "print(incidents.__file__); print(gazetteer.geocode('Tarhuna', 'LY').best.geonameid)"
    )
    done = _run(installed, str(installed / "python"), "-c", code)
    assert done.returncode == 0, done.stderr
    where, geonameid = done.stdout.split()
    assert not Path(where).is_relative_to(ROOT)  # not the checkout on sys.path
    assert geonameid == "2210221"


def test_dependencies_are_the_runtime_pins_and_extras() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    pins = {re.sub(r"\s+#.*", "", line).strip() for line in lines}
    pins.discard("")
    pins = {p for p in pins if not p.startswith("#")}
    extras = project["optional-dependencies"]
    assert set(extras) == {"postgis", "sso"}
    declared = set(project["dependencies"]) | {p for group in extras.values() for p in group}
    assert declared == pins
    assert project["scripts"]["incidents"] == "incidents.cli:main"


def test_license_file_is_the_licence_pyproject_names() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"]["text"] == "AGPL-3.0-or-later"
    text = (ROOT / "LICENSE").read_text()
    assert text.lstrip().startswith("GNU AFFERO GENERAL PUBLIC LICENSE")
    assert "Version 3, 19 November 2007" in text
