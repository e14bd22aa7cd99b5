"""Plain values: a cell of an input table holds a string, a number, true/false or nothing.

Every format is held to it: the JSONL reader refuses a list or object value as it reads
the line (:func:`~clusterkit.data.loaders.read_table`); :func:`refuse_nested` refuses what
other readers or a caller's frames carry (a Parquet list, struct or map column, a column
of lists). :func:`refuse_flags` refuses true/false where a timestamp belongs, which would
otherwise be read as epoch seconds 1 and 0 (1970-01-01T00:00:01Z).

Examples
--------
>>> import pandas as pd
>>> try:
...     refuse_nested(pd.DataFrame({"member_id": ["a", "b"], "tags": [["x"], None]}),
...                   "members.parquet")
... except ValueError as exc:
...     print(str(exc)[:60])
members.parquet: column 'tags' holds nested values (lists, s
>>> refuse_flags(pd.Series(["2026-01-01"]), "timestamp", "events.csv")  # no error
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.errors import DataError

__all__ = ["refuse_flags", "refuse_nested"]

_SHOW = 5  # rows an error quotes, as validation does


def _rows(mask: np.ndarray) -> list[int]:
    return [int(i) + 1 for i in np.flatnonzero(mask)[:_SHOW]]


def _nested(value) -> bool:
    return isinstance(value, list | tuple | dict | set | frozenset | np.ndarray)


def refuse_nested(df: pd.DataFrame, file) -> None:
    """Raise :class:`~clusterkit.errors.DataError` for the first column holding a list,
    struct or map value, naming the file, the column and its rows.

    Only object columns that pandas infers as ``"mixed"`` are looked at value by value
    (lists are): text, number and time columns never are.
    """
    for name in df.columns:
        col = df[name]
        if not pd.api.types.is_object_dtype(col.dtype) or \
                pd.api.types.infer_dtype(col, skipna=True) != "mixed":
            continue
        bad = col.map(_nested).to_numpy(dtype=bool)  # a rare column, looked at once
        if bad.any():
            first = col.iloc[int(np.flatnonzero(bad)[0])]
            shown = first.tolist() if isinstance(first, np.ndarray) else first
            raise DataError(
                f"column {name!r} holds nested values (lists, structs or maps) in "
                f"{int(bad.sum())} row(s), at rows {_rows(bad)} (1-based, header excluded), "
                f"e.g. {str(shown)[:60]!r}; values must be plain strings, numbers, "
                "true/false or empty. Flatten it into columns or write it as a string.",
                file=file, column=str(name), rows=_rows(bad))


def refuse_flags(col: pd.Series, name: str, file) -> None:
    """Raise :class:`~clusterkit.errors.DataError` when the timestamp column ``name`` holds
    true/false (a boolean column, or JSON ``true``/``false`` beside ``null``)."""
    if pd.api.types.is_bool_dtype(col.dtype) or pd.api.types.is_object_dtype(col.dtype) \
            and pd.api.types.infer_dtype(col, skipna=True) == "boolean":
        bad = col.notna().to_numpy(dtype=bool)
        raise DataError(
            f"column {name!r} holds true/false values, not timestamps, in {int(bad.sum())} "
            f"row(s), at rows {_rows(bad)} (1-based, header excluded). Use ISO-8601 "
            "('2026-03-01T12:00:00Z') or epoch seconds, or leave the cell empty.",
            file=file, column=name, rows=_rows(bad))
