"""The labelled pairs: the committed table is what the builder makes, and the search
meets the issue's goals on it at the default threshold."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_labelled_set_is_built_as_committed_and_the_goals_hold() -> None:
    labelled = _load("labelled_set", ROOT / "tests/fixtures/duplicates/labelled_set.py")
    bench = _load("duplicates_bench", ROOT / "benchmarks/duplicates_bench.py")
    records, built = labelled.build()
    committed = labelled.read_pairs()
    assert built == committed
    assert len(committed) >= 200
    labels = {p.label for p in committed}
    assert labels == {"duplicate", "distinct"}
    assert all(p.a in records and p.b in records for p in committed)
    result = bench.evaluate(bench.DEFAULT_THRESHOLD, show_errors=False)
    assert result["precision"] >= 0.9
    assert result["recall"] >= 0.85
