"""One DuckDB helper for the campaign modules: SQL over pandas frames, a pandas frame back."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

__all__ = ["member_codes", "sql"]


def sql(query: str, params=None, **frames) -> pd.DataFrame:
    """Run ``query`` with each keyword frame registered under its name.

    Examples
    --------
    >>> sql("SELECT sum(x) AS s FROM t", t=pd.DataFrame({"x": [1, 2]}))["s"].tolist()
    [3.0]
    """
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(f"SET threads={max(1, min(4, os.cpu_count() or 1))}")
        con.execute("SET enable_progress_bar = false")  # never write to stdout
        for name, df in frames.items():
            con.register(name, df)
        return con.execute(query, params or []).df()
    finally:
        con.close()


def member_codes(data, ids) -> np.ndarray:
    """Positions of ``ids`` in ``data.member_ids`` (-1 for non-members), as an int64 array."""
    return data.member_index(pd.Index(ids, dtype=object)).astype("int64")
