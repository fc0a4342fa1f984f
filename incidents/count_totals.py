"""People counts added up honestly: unknown is not zero.

A record gives a number of people killed, disappeared or displaced as a minimum, a
best estimate and a maximum, any of which may be blank. Adding the best estimates
with blanks as zero turned "the sources say at least 338 disappeared" into "0
people disappeared". The rule, the same on the map, in tooltips, legends and every
export:

- every record gives a best estimate: the total is their sum ("338");
- some record lacks one: the total is a lower bound, each record's best estimate or
  else its minimum (else nothing), written "at least 338";
- no record gives a best estimate or a minimum: "unknown" (never "0").

Pure functions over arrays and frames (the column snapshot sums people with them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

PEOPLE = ("killed", "disappeared", "displaced")
EXACT, AT_LEAST, UNKNOWN = "exact", "at least", "unknown"
COLUMNS = ("value", "records", "with_best", "with_number")


def what_of(measure: str) -> str | None:
    """'disappeared' for 'disappeared_best' (or 'disappeared'); None for incidents."""
    base = measure.removesuffix("_best")
    return base if base in PEOPLE else None


def best_column(measure: str) -> str:
    return f"{what_of(measure)}_best"


def low_column(measure: str) -> str:
    return f"{what_of(measure)}_min"


@dataclass(frozen=True)
class Total:
    """A sum of people over some records, with how much of it the records give."""

    value: float  # the exact sum, or the lower bound
    records: int
    with_best: int  # records giving a best estimate
    with_number: int  # records giving a best estimate or a minimum

    @property
    def kind(self) -> str:
        if self.records and self.with_best == self.records:
            return EXACT
        return UNKNOWN if self.with_number == 0 else AT_LEAST


def _numbers(values: Sequence[float] | np.ndarray | pd.Series) -> np.ndarray:
    return pd.to_numeric(pd.Series(np.asarray(values, dtype=object)), errors="coerce").to_numpy(
        float
    )


def grouped(codes: np.ndarray, best: np.ndarray, low: np.ndarray, size: int) -> np.ndarray:
    """COLUMNS per group for integer group codes 0..size-1: a (size, 4) array."""
    best, low = np.asarray(best, float), np.asarray(low, float)
    has_best = ~np.isnan(best)
    has_number = has_best | ~np.isnan(low)
    return np.column_stack(
        [
            np.bincount(codes, np.where(has_best, best, np.nan_to_num(low)), minlength=size),
            np.bincount(codes, minlength=size).astype(float),
            np.bincount(codes, has_best.astype(float), minlength=size),
            np.bincount(codes, has_number.astype(float), minlength=size),
        ]
    )


def frame_totals(frame: pd.DataFrame, measure: str, by: str | None = None) -> pd.DataFrame:
    """COLUMNS per value of column by (one row, index '', when by is None)."""
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in COLUMNS})
    empty = pd.Series(np.nan, index=frame.index)
    best = _numbers(frame.get(best_column(measure), empty))
    low = _numbers(frame.get(low_column(measure), empty))
    keys = frame[by].fillna("").astype(str) if by else pd.Series("", index=frame.index)
    codes, labels = pd.factorize(keys)
    table = grouped(codes.astype(np.int64), best, low, len(labels))
    return pd.DataFrame(table, index=pd.Index([str(v) for v in labels]), columns=list(COLUMNS))


def as_total(row: pd.Series | Sequence[float]) -> Total:
    """A row of a totals frame (or grouped's array) as a Total."""
    value, records, with_best, with_number = (float(v) for v in row)
    return Total(value, int(records), int(with_best), int(with_number))


def total(frame: pd.DataFrame, measure: str) -> Total:
    """The whole frame's Total for a people measure."""
    table = frame_totals(frame, measure)
    return as_total(table.iloc[0]) if len(table) else Total(0.0, 0, 0, 0)


def summed(table: pd.DataFrame) -> Total:
    """One Total from a frame of COLUMNS per group (the groups added together)."""
    return as_total(table[list(COLUMNS)].sum()) if len(table) else Total(0.0, 0, 0, 0)
