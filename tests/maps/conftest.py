"""Selections as the map page gets them: the Tarhuna example and synthetic sets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tarhuna() -> pd.DataFrame:
    return pd.read_csv(ROOT / "data" / "examples" / "tarhuna.csv", dtype={"id": str})


@pytest.fixture(scope="session")
def synthetic_10k() -> pd.DataFrame:
    from incidents.synthetic import synthetic_frame

    frame = synthetic_frame(10_000, seed=3)
    for name in ("latitude", "longitude", "location_uncertainty_km", "killed_best"):
        frame[name] = pd.to_numeric(frame[name], errors="coerce")
    return frame
