"""Timestamps of input tables: ISO-8601 with a zone on Arrow's fast path, epoch numbers in
any unit told by their magnitude.

Examples
--------
>>> import pandas as pd
>>> notes = []
>>> epoch_to_utc(pd.Series([1.7e12]), "timestamp", "events.csv", notes).dt.year.tolist()
[2023]
>>> notes[0][:52]
"events.csv: column 'timestamp' holds epoch milliseco"
>>> arrow_iso(pd.Series(["2026-03-01T12:00:00Z"], dtype="string")).dt.hour.tolist()
[12]
>>> days_before_latest(pd.Series(["2026-03-01", "2026-03-11", "junk"])).tolist()
[10.0, 0.0, nan]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["EPOCH_UNITS", "arrow_iso", "days_before_latest", "epoch_to_utc"]


def arrow_iso(col: pd.Series) -> pd.Series | None:
    """ISO-8601 strings with a zone (``Z`` or ``+02:00``) parsed by Arrow, or None.

    A fast path that turns no string into a Python object: Arrow parses the common form
    exactly as pandas does (offsets applied, microseconds kept). Any value it cannot parse
    (no zone, a date alone, junk) returns None and the pandas path decides, with its error
    messages.
    """
    if not pd.api.types.is_string_dtype(col):
        return None
    try:
        arr = pa.array(col, type=pa.string(), from_pandas=True)
        ts = pc.cast(arr, pa.timestamp("us", tz="UTC"))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    if ts.null_count != arr.null_count:
        return None
    out = pd.Series(ts.to_pandas(), copy=False).astype("datetime64[us, UTC]")
    out.index = col.index
    return out


EPOCH_UNITS = ((1e11, "s", "seconds"), (1e14, "ms", "milliseconds"),
                (1e17, "us", "microseconds"), (np.inf, "ns", "nanoseconds"))
"""Epoch units by magnitude: the largest |value| of a column below the bound picks the unit
(seconds up to 1e11, year 5138; milliseconds up to 1e14 …)."""


def epoch_to_utc(numbers: pd.Series, name: str, file, notes: list) -> pd.Series:
    """Epoch numbers as UTC timestamps, the unit told by their magnitude (noted unless s)."""
    values = pd.to_numeric(numbers, errors="coerce").astype("float64")
    finite = np.abs(values.to_numpy())
    finite = finite[np.isfinite(finite)]
    top = float(finite.max()) if len(finite) else 0.0
    unit, word = next((u, w) for bound, u, w in EPOCH_UNITS if top < bound)
    if unit != "s":
        notes.append(f"{file}: column {name!r} holds epoch {word} (largest {top:.0f}); read "
                     f"as {word}, not seconds.")
    return pd.to_datetime(values, unit=unit, utc=True, errors="coerce")


def days_before_latest(values: pd.Series) -> np.ndarray:
    """Days from each date to the latest date of ``values`` (an account's age at the data's
    newest account), NaN where a value is missing or does not parse as a date.

    Text and datetimes are read as dates, with or without a zone (all as UTC); plain
    numbers would be read as nanoseconds since the epoch.
    """
    dates = pd.to_datetime(values, utc=True, errors="coerce")
    return (dates.max() - dates).dt.total_seconds().to_numpy(dtype=np.float64) / 86400.0
