"""The synthetic generator: template columns, unmistakably fake, plausible spread, fast."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geodata import districts_for_points
from incidents.access import Role, Viewer
from incidents.importer import import_file
from incidents.io.template import TEMPLATE_COLUMNS
from incidents.schema import INCIDENT_TYPES, LOCATION_PRECISIONS
from incidents.store.gpkg import GeoPackageStore
from incidents.synthetic import PREFIX, main, synthetic_frame, write_synthetic_csv

EDITOR = Viewer("test", Role.EDITOR)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return synthetic_frame(5000, seed=3)


def test_template_columns_and_determinism(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == list(TEMPLATE_COLUMNS)
    assert len(frame) == 5000
    pd.testing.assert_frame_equal(frame, synthetic_frame(5000, seed=3))
    assert not frame.equals(synthetic_frame(5000, seed=4))


def test_nobody_can_mistake_it_for_real_data(frame: pd.DataFrame) -> None:
    assert frame["description"].str.startswith(PREFIX).all()
    assert (frame["title"] == [f"Synthetic incident {i}" for i in range(1, 5001)]).all()
    assert (frame["id"] == [f"syn-{i}" for i in range(1, 5001)]).all()
    assert (frame["tags"] == "synthetic").all()
    assert frame["source1_title"].str.match(r"^Synthetic source \d+$").all()
    named = frame["perpetrators"][frame["perpetrators"] != ""]
    assert named.str.endswith("(synthetic)").all()


def test_types_are_weighted(frame: pd.DataFrame) -> None:
    share = frame["type"].value_counts(normalize=True)
    assert set(share.index) <= set(INCIDENT_TYPES.codes)
    assert share.idxmax() == "killing"
    assert share["mass_grave"] < 0.03
    assert min(share["displacement"], share["arbitrary_detention"]) > 0.1


def test_dates_and_precisions(frame: pd.DataFrame) -> None:
    start = pd.to_datetime(frame["date_start"])
    end = pd.to_datetime(frame["date_end"])
    assert start.min() >= pd.Timestamp("2011-01-01")
    assert end.max() <= pd.Timestamp("2024-12-31")
    assert (end >= start).all()
    assert set(frame["date_precision"]) == {"day", "month", "year"}
    day = frame["date_precision"] == "day"
    assert 0.05 < (start[day] != end[day]).mean() < 0.5  # some ranges
    month = frame["date_precision"] == "month"
    assert (start[month].dt.day == 1).all()
    assert (end[month] == start[month] + pd.offsets.MonthEnd(0)).all()


def test_points_lie_in_their_districts(frame: pd.DataFrame) -> None:
    codes = districts_for_points(frame["latitude"].to_numpy(), frame["longitude"].to_numpy())
    assert codes == frame["admin1_code"].tolist()
    assert set(frame["location_precision"]) == set(LOCATION_PRECISIONS.codes) - {"country"}
    approximate = frame["location_precision"] == "approximate"
    assert frame.loc[approximate, "location_uncertainty_km"].between(1, 25).all()
    assert frame.loc[~approximate, "location_uncertainty_km"].isna().all()
    assert frame["admin1_code"].value_counts().index[0] in {"LY-TN", "LY-BA", "LY-MB"}


def test_counts_fit_the_type(frame: pd.DataFrame) -> None:
    disappeared = frame["type"] == "enforced_disappearance"
    assert frame.loc[disappeared, "disappeared_best"].notna().all()
    assert frame.loc[~disappeared, "disappeared_best"].isna().all()
    ranged = frame["killed_min"].notna()
    assert (frame.loc[ranged, "killed_min"] <= frame.loc[ranged, "killed_best"]).all()
    assert (frame.loc[ranged, "killed_best"] <= frame.loc[ranged, "killed_max"]).all()


def test_sensitivity_mix(frame: pd.DataFrame) -> None:
    assert 0.77 < (frame["sensitivity"] == "public").mean() < 0.83


def test_description_length_option() -> None:
    lengths = synthetic_frame(300, description_chars=200)["description"].str.len()
    assert (lengths == 200).all()
    assert synthetic_frame(5, description_chars=3)["description"].str.startswith(PREFIX).all()


def test_columns_do_not_share_memory() -> None:
    small = synthetic_frame(10)
    small.loc[0, "source2_title"] = "changed"
    assert small.loc[0, "source3_title"] == ""


def test_csv_imports_without_rejections(tmp_path: Path) -> None:
    path = write_synthetic_csv(tmp_path / "synthetic.csv", 400, seed=11)
    store = GeoPackageStore(tmp_path / "incidents.gpkg")
    report = import_file(path, store, EDITOR)
    assert (report.rows_read, report.imported, len(report.rejected)) == (400, 400, 0)
    record = store.get("syn-1", EDITOR)
    assert record is not None and record.description.startswith(PREFIX)


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.csv"
    assert main(["25", "--out", str(out), "--seed", "2"]) == 0
    assert len(pd.read_csv(out)) == 25
    assert "25 synthetic incidents" in capsys.readouterr().out


def test_fast_enough() -> None:
    """A million rows must take well under 20 s; 100,000 here keeps the suite quick."""
    started = time.process_time()
    big = synthetic_frame(100_000, seed=1)
    assert len(big) == 100_000
    assert time.process_time() - started < 5
    assert np.isfinite(big["latitude"]).all()
