"""The data fingerprint: read from the column buffers, equal exactly when the values are."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from clusterkit.data import CommunityData
from clusterkit.data.fingerprint import frame_digest

VALUES = ["a", None, "bé", "", "NA", "a" * 300, "z"]


@pytest.mark.parametrize("chunks", [1, 2, 7])
def test_text_digest_does_not_depend_on_chunks_offsets_or_storage(chunks):
    ref = frame_digest(pd.DataFrame({"x": pd.array(VALUES, dtype="string")}))
    arrow = pa.chunked_array([pa.array(p.tolist(), type=pa.large_string())
                              for p in np.array_split(np.array(VALUES, dtype=object), chunks)])
    chunked = pd.Series(pd.arrays.ArrowStringArray(arrow))
    sliced = pd.Series(pd.array(["pad", *VALUES], dtype="string")).iloc[1:].reset_index(
        drop=True)
    as_object = pd.Series(np.array(VALUES, dtype=object))
    for col in (chunked, sliced, as_object):
        assert frame_digest(pd.DataFrame({"x": col})) == ref


def test_digest_changes_with_any_value_a_null_or_the_order():
    base = pd.DataFrame({"x": pd.array(VALUES, dtype="string"),
                         "t": pd.to_datetime(np.arange(7), unit="s", utc=True),
                         "v": np.arange(7.0)})
    ref = frame_digest(base)
    for change in (
        base.assign(x=pd.array(["a", None, "be", "", "NA", "a" * 300, "z"], dtype="string")),
        base.assign(x=pd.array(["a", "", "bé", None, "NA", "a" * 300, "z"], dtype="string")),
        base.assign(x=pd.array(["a", None, "bé", "", "NA", "a" * 299, "az"], dtype="string")),
        base.assign(v=base["v"].where(base["v"] != 3.0)),
        base.assign(t=base["t"] + pd.Timedelta(seconds=1)),
        base.iloc[::-1].reset_index(drop=True),
        base.rename(columns={"v": "w"}),
    ):
        assert frame_digest(change) != ref
    assert frame_digest(base.copy()) == ref


def test_category_digest_ignores_unused_and_reordered_categories():
    plain = pd.Series(["b", None, "a", "b"]).astype("category")
    other = pd.Series(pd.Categorical(["b", None, "a", "b"], categories=["z", "b", "a"]))
    assert frame_digest(plain.to_frame("c")) == frame_digest(other.to_frame("c"))
    moved = pd.Series(["b", "a", None, "b"]).astype("category")
    assert frame_digest(plain.to_frame("c")) != frame_digest(moved.to_frame("c"))


def test_dataset_fingerprint_is_row_order_free_and_computed_once(synth):
    t = synth.tables
    a = CommunityData.from_frames(**t)
    shuffled = {k: v.sample(frac=1.0, random_state=5) for k, v in t.items()}
    b = CommunityData.from_frames(**shuffled)
    assert a.fingerprint() == b.fingerprint()
    assert a.fingerprint() is a.fingerprint()  # cached on the immutable object
    fewer = CommunityData.from_frames(**{**t, "events": t["events"].iloc[1:]})
    assert fewer.fingerprint() != a.fingerprint()


def test_digest_made_a_chunk_at_a_time_equals_one_piece(monkeypatch):
    import clusterkit.data.fingerprint as fp

    rng = np.random.default_rng(4)
    n = 1001
    df = pd.DataFrame({
        "c": pd.Categorical.from_codes(rng.integers(-1, 4, n), ["d", "c", "b", "a"]),
        "i": rng.integers(0, 9, n), "f": np.where(rng.random(n) < .2, np.nan, rng.random(n)),
        "t": pd.to_datetime(rng.integers(0, 10**9, n), unit="s", utc=True),
        "s": rng.integers(0, 9, (n, 2))[:, 0]})  # a strided column, read through a copy
    whole = frame_digest(df)
    for chunk in (1, 7, 1000, 1001):
        monkeypatch.setattr(fp, "CHUNK", chunk)
        assert frame_digest(df) == whole

