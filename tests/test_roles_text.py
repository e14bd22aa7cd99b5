"""The role explanations' number formatting and text joins: the same text as formatting
one value at a time, in row order."""

import numpy as np
import pandas as pd
import pytest

from clusterkit.stages.roles.rules import RuleRoles
from clusterkit.stages.roles.text import fmt_text, fmt_value, fmt_values, join_text

EDGES = [0.0, -0.0, -1e-12, 1e-12, -0.4e-9, 0.5, 1.5, 2.5, -2.5, 0.125, 1.005, 0.995, 0.005,
         4.9999999999, 5.0000000001, -3.0000000001, 123456789.0, 2.0**53 - 1, 2.0**53,
         2.0**53 + 2, -(2.0**60), 1e300, -1e300, np.nan]


def _one_at_a_time(values):
    """:func:`fmt_value` per value; NaN and infinities as ``%.2f`` writes them."""
    return [f"{v:.2f}" if not np.isfinite(v) else fmt_value(v) for v in values]


@pytest.mark.parametrize("seed", [0, 1])
def test_fmt_values_is_fmt_value_per_value(seed):
    rng = np.random.default_rng(seed)
    values = np.concatenate([
        EDGES, [np.inf, -np.inf], rng.integers(-1000, 1000, 500).astype(float),
        rng.exponential(3, 500), np.round(rng.exponential(3, 500), 2), rng.normal(0, 1e6, 200),
        rng.integers(0, 100, 200) / 4])
    rng.shuffle(values)
    with np.errstate(invalid="ignore"):
        got = fmt_values(values)
        assert got.dtype == object
        assert got.tolist() == _one_at_a_time(values)
        assert fmt_text(values).to_pylist() == got.tolist()
    assert fmt_values(np.zeros(0)).tolist() == []
    assert fmt_values(np.array([3.0, 0.0, 7.0])).tolist() == ["3", "0", "7"]  # counts only


def test_join_text_mixes_scalars_and_arrays():
    import pyarrow as pa

    out = join_text("a=", np.array(["1", "22"], dtype=object), "; b=", pa.array(["x", "y"]), ".")
    assert out.to_pylist() == ["a=1; b=x.", "a=22; b=y."]


def test_rule_explanations_follow_each_members_role_in_any_row_order():
    rng = np.random.default_rng(3)
    n = 400
    X = pd.DataFrame({
        "amplifiers": rng.poisson(0.5, n) * (rng.random(n) < 0.1) * 40,
        "followers": rng.poisson(20, n).astype(float),
        "act_post": rng.poisson(0.3, n) * (rng.random(n) < 0.2) * 20,
        "act_comment": rng.poisson(2, n) * (rng.random(n) < 0.3) * 10,
        "act_like": rng.poisson(3, n), "act_view": rng.poisson(10, n),
        "n_events": rng.poisson(30, n), "active_days": rng.integers(1, 60, n),
        "tenure_days": np.full(n, 180)})
    fitted = RuleRoles().fit(X)
    text = np.asarray(fitted.explanations_, dtype=object)
    roles = fitted.roles_
    assert len(set(roles)) >= 3
    for role in ("influencer", "blogger", "fan"):
        assert all(t.startswith(f"{role}: ") for t in text[roles == role])
    followers = text[roles == "follower"]
    assert all(t.startswith("follower: below every threshold; weighted deep reactions")
               and "content items per month" in t and "followers in the graph" in t
               for t in followers)
    order = rng.permutation(n)
    again = RuleRoles().fit(X.iloc[order].reset_index(drop=True))
    assert np.asarray(again.explanations_, dtype=object).tolist() == text[order].tolist()
