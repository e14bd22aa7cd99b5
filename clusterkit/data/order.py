"""One int64 sort key for rows ordered by a group, a time and a few small codes.

``numpy.lexsort`` sorts once per key; over tens of millions of rows, three keys take three
times as long as one. When a group id, a time and small integer codes fit together in 63
bits, :func:`time_key` packs them into one key whose stable ``argsort`` is the same
permutation. Times are counted in their coarsest common unit (second, millisecond or
microsecond), so a second-resolution history of months fits beside millions of groups.

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

__all__ = ["sorted_unique", "time_key"]

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
    span = ts - int(ts.min())
    unit = next(u for u in _UNITS if u == 1 or not (span % u).any())
    t = span // unit if unit > 1 else span
    t_n = int(t.max()) + 1
    if newest_first:
        t = (t_n - 1) - t
    size = (int(group.max()) + 1) * t_n
    lows, widths = [], []
    for m in minor:  # a handful of keys
        lo = int(m.min())
        lows.append(lo)
        widths.append(int(m.max()) - lo + 1)
        size *= widths[-1]
    if size >= 2 ** 63:
        return None
    key = group * t_n + t
    for m, lo, n in zip(minor, lows, widths, strict=True):
        key = key * n + (np.asarray(m, dtype=np.int64) - lo)
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
