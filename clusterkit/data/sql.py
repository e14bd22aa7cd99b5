"""The one DuckDB helper: every connection in clusterkit is opened here, with one policy.

The policy: **one thread, no progress bar**. Parallel aggregation adds floating-point sums in
a varying order, so two runs on the same data could differ in the last digits; a progress
bar would write to the terminal. Aggregation over a few million rows is fast enough on one
thread, and the same config and data then always give the same bytes.

The one exception, asked for by name (``connect(..., exact=True)``): a connection whose every
statement gives the same table however DuckDB splits the rows between threads may use the
cores this process may use. That is: copies kept in insertion order (a ``POSITIONAL JOIN``
of two tables in that order is one), and counts, min / max,
ranks and sums of integers, every table written under an ORDER BY that orders its rows
totally; never a floating-point sum or average. The profile index is such a build (1,000,000
members: 55 → 40 s; its tables equal the one-thread build's, row for row).

Examples
--------
>>> import pandas as pd
>>> sql("SELECT sum(x) AS s FROM t", t=pd.DataFrame({"x": [1, 2]}))["s"].tolist()
[3.0]
>>> con = connect()
>>> con.execute("SELECT current_setting('threads')").fetchone()[0]
1
>>> con.close()
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["THREADS", "connect", "ident", "member_codes", "sql", "sql_list"]

THREADS = 1
"""DuckDB threads of every connection (see the module docstring for why)."""


def connect(path=None, *, read_only: bool = False, config: dict | None = None,
            exact: bool = False):
    """A DuckDB connection with the project's policy (one thread, no progress bar).

    Parameters
    ----------
    path : str or Path, optional
        Database file; in memory when omitted.
    read_only : bool, default False
        Open ``path`` read-only.
    config : dict, optional
        Further DuckDB settings (e.g. ``preserve_insertion_order``); ``threads`` cannot be
        changed here.
    exact : bool, default False
        Every statement on this connection gives the same table however its rows are split
        between threads (the module docstring says which statements do): it may use the
        cores this process may use instead of one.
    """
    import duckdb

    from clusterkit.provenance import usable_cores

    settings = {**(config or {}), "threads": usable_cores() if exact else THREADS}
    con = duckdb.connect(":memory:" if path is None else str(path), read_only=read_only,
                         config=settings)
    con.execute("SET enable_progress_bar = false")  # never write to the terminal
    return con


def sql(query: str, params=None, **frames) -> pd.DataFrame:
    """Run ``query`` with each keyword frame registered under its name; a pandas frame back.

    Parameters
    ----------
    query : str
        SQL text; ``?`` placeholders take ``params``.
    params : sequence, optional
        Values for the placeholders.
    **frames : pandas.DataFrame or pyarrow.Table
        Registered as views under their keyword names.
    """
    con = connect()
    try:
        for name, df in frames.items():
            con.register(name, df)
        return con.execute(query, params or []).df()
    finally:
        con.close()


def sql_list(values) -> str:
    """A sorted, quoted SQL list literal: ``'a', 'b'`` (quotes doubled).

    Examples
    --------
    >>> sql_list({"share", "it's"})
    "'it''s', 'share'"
    """
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in sorted(values))


def ident(name) -> str:
    """A quoted SQL identifier: ``"name"`` with inner double quotes doubled.

    Column names come from users' files; every one pasted into SQL goes through here.

    Examples
    --------
    >>> ident('we"ird')
    '"we""ird"'
    """
    return '"' + str(name).replace('"', '""') + '"'


def member_codes(data, ids) -> np.ndarray:
    """Positions of ``ids`` in ``data.member_ids`` (-1 for non-members), as an int64 array."""
    return data.member_index(pd.Index(ids, dtype=object)).astype("int64")
