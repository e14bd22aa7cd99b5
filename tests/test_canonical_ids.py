"""Sorted distinct ids (:func:`clusterkit.data.canonical.unique_sorted`): Python's order."""

import numpy as np
import pandas as pd

from clusterkit.data.canonical import unique_sorted


def test_unique_sorted_is_pythons_sorted_set_over_every_column():
    rng = np.random.default_rng(3)
    pool = ["NA", "null", "Zoë", "zoe", "ß", "é", "e\u0301", "日本", "😀", "a b", "A", "a",
            "10", "9", "", "\u00a0x", "ǅ", "ｚ", "ﬀ"]
    cols = [pd.Series(rng.choice(pool, size=n), dtype="string[pyarrow]")
            for n in (500, 300, 7)]
    cols.append(pd.Series(["only-here", "日本"], dtype="string[python]"))
    got = unique_sorted(*cols)
    want = sorted(set().union(*(set(c.tolist()) for c in cols)))
    assert got.dtype == object
    assert got.tolist() == want


def test_unique_sorted_of_nothing_and_of_missing_values():
    assert unique_sorted().tolist() == []
    assert unique_sorted(pd.Series([], dtype="string")).tolist() == []
    assert unique_sorted(pd.Series(["b", None, "a"], dtype="string")).tolist() == ["a", "b"]
