"""Integer codes of a text column, read from its category codes where it has them.

Events' ``action``, ``channel`` and ``topic`` are category columns
(:func:`clusterkit.data.validate.build_dataset`); decoding their rows into text costs a
string per event (11 s and gigabytes at 23 M events). :func:`factor` gives each row's
code and the names without that.

Examples
--------
>>> import pandas as pd
>>> codes, names = factor(pd.Series(["x", None, "y"]).astype("category"), fill="unknown")
>>> codes.tolist(), names.tolist()
([0, 2, 1], ['x', 'y', 'unknown'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["factor"]


def factor(col: pd.Series, fill: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Codes (int64) and names (str, object array) of a text column.

    A category column's rows are not decoded. A missing value gets ``fill``'s code (added
    to the names when absent), or -1 without ``fill``.
    """
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy().astype(np.int64)
        names = np.asarray(col.cat.categories.astype(str), dtype=object)
    else:
        raw, uniq = pd.factorize(col.astype("str"))
        codes, names = raw.astype(np.int64), np.asarray(uniq, dtype=object)
    missing = codes < 0
    if fill is not None and missing.any():
        at = np.flatnonzero(names == fill)
        if not len(at):
            names, at = np.r_[names, np.array([fill], dtype=object)], [len(names)]
        codes[missing] = at[0]
    return codes, names
