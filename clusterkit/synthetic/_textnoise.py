"""Vectorised string noise for the identity generator: typos, case, picking among variants.

All functions take and return numpy unicode arrays and draw from the generator they are given;
none loops over rows.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> out = typos(np.array(["alexsmith", "bob"]), rng, p=1.0)
>>> out[1]  # too short to change
np.str_('bob')
>>> bool(out[0] != "alexsmith")
True
"""

from __future__ import annotations

import numpy as np

__all__ = ["choose", "recase", "typos", "zipf_index"]


def zipf_index(n: int, size: int, rng, offset: float = 10.0, power: float = 1.0) -> np.ndarray:
    """Indices in ``[0, n)`` drawn with probability ``∝ 1 / (rank + offset) ** power``.

    A shifted Zipf law: the head is heavy (common names) but not as extreme as a pure Zipf.
    """
    p = 1.0 / (np.arange(1, n + 1) + offset) ** power
    return rng.choice(n, size=size, p=p / p.sum())


def choose(codes: np.ndarray, options: list[np.ndarray]) -> np.ndarray:
    """Row ``i`` takes ``options[codes[i]][i]`` (every option is an array of the same length)."""
    width = max(o.dtype.itemsize // 4 for o in options) or 1
    out = np.empty(len(codes), dtype=f"<U{width}")
    for k, opt in enumerate(options):  # a handful of variants, not rows
        sel = codes == k
        out[sel] = opt[sel]
    return out


def recase(s: np.ndarray, rng, p_lower: float, p_upper: float, p_title: float = 0.0):
    """Lower-case, upper-case or title-case a random share of the strings."""
    r = rng.random(len(s))
    out = s.copy()
    lo = r < p_lower
    up = (r >= p_lower) & (r < p_lower + p_upper)
    ti = (r >= p_lower + p_upper) & (r < p_lower + p_upper + p_title)
    out[lo] = np.char.lower(s[lo])
    out[up] = np.char.upper(s[up])
    out[ti] = np.char.title(s[ti])
    return out


def typos(s: np.ndarray, rng, p: float) -> np.ndarray:
    """One keyboard-style edit (deletion, transposition or substitution) in a share ``p``.

    Strings shorter than 4 characters are left alone; the first character is never edited.
    Works on the code points of a fixed-width unicode array, so it is vectorised.
    """
    s = np.asarray(s, dtype=str)
    lens = np.char.str_len(s)
    rows = np.flatnonzero((rng.random(len(s)) < p) & (lens >= 4))
    if len(rows) == 0:
        return s
    w = s.dtype.itemsize // 4 + 1
    codes = s[rows].astype(f"<U{w}").view(np.uint32).reshape(len(rows), w)
    length = lens[rows]
    pos = (1 + rng.random(len(rows)) * (length - 2)).astype(np.int64)[:, None]  # 1 .. len-2
    op = rng.integers(3, size=len(rows))[:, None]
    j = np.arange(w)[None, :]
    src = np.where(op == 0, j + (j >= pos), j)  # deletion shifts the tail left
    src = np.where((op == 1) & (j == pos), pos + 1, src)  # transposition
    src = np.where((op == 1) & (j == pos + 1), pos, src)
    out = np.take_along_axis(codes, np.minimum(src, w - 1), axis=1)
    sub = np.flatnonzero(op[:, 0] == 2)
    out[sub, pos[sub, 0]] = rng.integers(97, 123, size=len(sub))  # substitution: a-z
    res = s.astype(f"<U{w}")
    res[rows] = np.ascontiguousarray(out).view(f"<U{w}").ravel()
    return res
