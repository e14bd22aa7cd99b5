"""One int64 sort key for rows ordered by a group, a time and a few small codes.

``numpy.lexsort`` sorts once per key; over tens of millions of rows, three keys take three
times as long as one. When a group id, a time and small integer codes fit together in 63
bits, :func:`time_key` packs them into one key whose stable ``argsort`` is the same
permutation. Times are counted in their coarsest common unit (second, millisecond or
microsecond), so a second-resolution history of months fits beside millions of groups.
:func:`canonical_order` sorts a table by every column the same way: the leading columns
packed into one key, DuckDB only for the rows that tie on all of them.

Examples
--------
>>> import numpy as np
>>> group, ts = np.array([1, 0, 0, 0]), np.array([5, 9, 5, 5]) * 1_000_000
>>> tie = np.array([0, 0, 2, 1])
>>> key = time_key(group, ts, tie)
>>> np.argsort(key, kind="stable").tolist() == np.lexsort((tie, ts, group)).tolist()
True
>>> np.argsort(time_key(group, ts, newest_first=True), kind="stable").tolist()
[1, 2, 3, 0]
"""

from __future__ import annotations

import numpy as np

__all__ = ["canonical_order", "duckdb_order", "sorted_unique", "time_key"]

_UNITS = (1_000_000, 1_000, 1)
"""Candidate time units, in the time's own unit (microseconds: second, millisecond, µs)."""


def time_key(group: np.ndarray, ts: np.ndarray, *minor: np.ndarray,
             newest_first: bool = False) -> np.ndarray | None:
    """One int64 key sorting as ``(group, ts, *minor)`` do (``ts`` descending with
    ``newest_first``), or None when it does not fit in 63 bits (the caller then sorts by
    each key).

    Parameters
    ----------
    group : ndarray of int, >= 0
    ts : ndarray of int64
        Times (e.g. microseconds since the epoch).
    *minor : ndarray of int
        Further keys, each of a small range (a flag, a touch code).
    newest_first : bool, default False
    """
    group = np.asarray(group, dtype=np.int64)
    ts = np.asarray(ts, dtype=np.int64)
    if not len(ts) or group.min() < 0:
        return None
    # in place on arrays made here (never on the caller's): at 23 M rows each copy is
    # 184 MB, and this runs at the attribution step's peak
    t = ts - int(ts.min())
    unit = next(u for u in _UNITS if u == 1 or not (t % u).any())
    if unit > 1:
        t //= unit
    t_n = int(t.max()) + 1
    if newest_first:
        np.subtract(t_n - 1, t, out=t)
    size = (int(group.max()) + 1) * t_n
    lows, widths = [], []
    for m in minor:  # a handful of keys
        lo = int(m.min())
        lows.append(lo)
        widths.append(int(m.max()) - lo + 1)
        size *= widths[-1]
    if size >= 2 ** 63:
        return None
    key = group * t_n
    key += t
    del t
    for m, lo, n in zip(minor, lows, widths, strict=True):
        key *= n
        key += m if np.can_cast(m.dtype, np.int64) else np.asarray(m, dtype=np.int64)
        key -= lo  # (key + m) - lo: modular int64 arithmetic, exact whenever size fits
    return key


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``numpy.unique(values)`` by one sort: the same sorted distinct values.

    NumPy 2.4's ``unique`` without ``return_inverse`` or ``return_counts`` de-duplicates
    through a hash table, which on tens of millions of wide integer keys is many times
    slower than sorting them (5 M random int64: 6.2 s against 0.32 s, measured here).

    Examples
    --------
    >>> sorted_unique(np.array([3, 1, 3, 2, 1])).tolist()
    [1, 2, 3]
    """
    out = np.sort(np.asarray(values).ravel())
    if len(out) < 2:
        return out
    keep = np.empty(len(out), dtype=bool)
    keep[0] = True
    np.not_equal(out[1:], out[:-1], out=keep[1:])
    return out[keep]


def canonical_order(df, cols: list) -> np.ndarray:
    """Row numbers of ``df`` sorted by every column of ``cols``, ascending, nulls last: the
    order of DuckDB's ``ORDER BY`` over them (text bytewise, categories in their order).

    The leading columns that have an order-preserving integer code (text, categories,
    times, integers) are packed into one ``int64`` key while they fit in 63 bits, and
    sorted by it; only the runs of rows equal in all of them go to DuckDB, which orders
    them by the other columns. Rows equal in every column are identical, so their order
    among themselves does not matter. At 1,000,000 members the 23 M events sort in 2.9 s,
    where DuckDB's sort by every column took 6-7 s on its one thread.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": pd.array(["b", "a", None, "a"], dtype="string"),
    ...                    "v": [1.0, 2.0, 3.0, float("nan")]})
    >>> canonical_order(df, ["a", "v"]).tolist()
    [1, 3, 0, 2]
    """
    key, size, coded = None, 1, 0
    for col in cols:  # leading columns packed into one key while the product fits
        if size * _code_bound(df[col]) >= 2 ** 63:
            break  # DuckDB orders the ties by this column and the ones after it
        code = _order_code(df[col])
        if code is None or size * code[1] >= 2 ** 63:
            break
        key = code[0] if key is None else key * code[1] + code[0]
        size *= code[1]
        coded += 1
    if key is None:
        return duckdb_order(df, cols)
    order = np.argsort(key, kind="stable").astype(np.int64)
    if coded < len(cols) and len(order) > 1:
        key = key[order]
        same = key[1:] == key[:-1]
        del key
        tied = np.r_[False, same] | np.r_[same, False]
        if tied.any():  # one id per run of rows equal in every coded column
            run = np.cumsum(np.r_[True, ~same])[tied]
            order[tied] = duckdb_order(df, cols, order[tied], run)
    return order


def _code_bound(col) -> int:
    """An upper bound of the ``n`` of :func:`_order_code` (1 when it has no code), known
    without computing the code."""
    import pandas as pd

    if isinstance(col.dtype, pd.CategoricalDtype):
        return len(col.dtype.categories) + 1
    if isinstance(col.dtype, pd.StringDtype):
        return len(col) + 1
    return 1  # times and integers: their code tells (and costs little)


def _order_code(col):
    """``(code, n)``: integers in ``[0, n)`` that sort as ``col`` does in DuckDB, nulls
    last; None for a column without one (floats, objects of mixed types)."""
    import pandas as pd

    dtype = col.dtype
    if isinstance(dtype, pd.CategoricalDtype):  # DuckDB reads it as an ENUM: category order
        if not pd.api.types.is_string_dtype(dtype.categories.dtype):
            return None
        code = col.cat.codes.to_numpy().astype(np.int64)
        n = len(dtype.categories)
        code[code < 0] = n
        return code, n + 1
    if isinstance(dtype, pd.StringDtype):
        import pyarrow as pa
        import pyarrow.compute as pc

        found, distinct = pd.factorize(col)
        rank = np.empty(len(distinct) + 1, dtype=np.int64)  # bytewise, as DuckDB compares
        rank[pc.sort_indices(pa.array(distinct, type=pa.large_string())).to_numpy()] = \
            np.arange(len(distinct))
        rank[-1] = len(distinct)  # factorize's -1: missing, last
        return rank[found], len(distinct) + 1
    if pd.api.types.is_datetime64_any_dtype(dtype):
        x = pd.DatetimeIndex(col).asi8
        missing = np.asarray(pd.isna(col))
    elif pd.api.types.is_integer_dtype(dtype) and isinstance(dtype, np.dtype):
        x, missing = col.to_numpy(), np.zeros(len(col), dtype=bool)
    else:
        return None
    if missing.all():
        return np.zeros(len(x), dtype=np.int64), 1
    lo, hi = int(x[~missing].min()), int(x[~missing].max())
    if hi - lo >= 2 ** 62:
        return None
    span = np.where(missing, 0, x.astype(np.int64) - lo)
    unit = next((u for u in (10 ** 9, 10 ** 6, 10 ** 3) if not (span % u).any()), 1)
    code = span // unit if unit > 1 else span
    n = (hi - lo) // unit + 1
    code[missing] = n
    return code, n + 1


def duckdb_order(df, cols, rows: np.ndarray | None = None, run: np.ndarray | None = None
                 ) -> np.ndarray:
    """``rows`` of ``df`` (all when None) ordered by ``run`` (when given), then by every
    column of ``cols``, nulls last, in DuckDB."""
    from clusterkit.data.sql import connect, ident

    keys = df[cols] if rows is None else df[cols].iloc[rows]  # no copy of a whole table
    keys = keys.reset_index(drop=True)
    keys["__row"] = np.arange(len(df), dtype=np.int64) if rows is None else rows
    order = ", ".join(f"{ident(c)} NULLS LAST" for c in cols)
    if run is not None:
        keys["__run"] = run
        order = f'"__run", {order}'
    con = connect()
    try:
        con.register("t", keys)
        found = con.execute(f'SELECT "__row" FROM t ORDER BY {order}').fetchnumpy()["__row"]
    finally:
        con.close()
    return np.asarray(found, dtype=np.int64)
