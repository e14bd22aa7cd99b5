"""A fan engages actively (DESIGN §3): a member whose deep reactions are a sliver of hundreds
of views and likes is a busy follower, not a fan (:mod:`clusterkit.stages.roles.depth`)."""

import json

import numpy as np
import pandas as pd
import pytest

from clusterkit.errors import ConfigError
from clusterkit.registry import create_stage
from clusterkit.stages.roles.depth import depth_found, depth_share, passive

KINDS = ("comment", "share", "reply", "newsletter_click", "event_attend")
SHALLOW = ("view", "newsletter_open", "follow", "like")


def _world(seed=0, busy=80, fan_follows=0):
    """Feature rows: 400 fans (8-60 deep reactions over five kinds, as many likes and
    views again), ``busy`` followers who view and like hundreds of times and react in
    depth a tenth as often as the fans (over the same kinds), 1,500 quiet followers.
    ``fan_follows``: follow events each fan also has (connections, not reactions)."""
    rng = np.random.default_rng(seed)
    n_fans, n_fol = 400, 1500
    fans = rng.multinomial(rng.integers(8, 60, n_fans), np.full(len(KINDS), 0.2))
    heavy = rng.multinomial(rng.integers(25, 60, busy), np.full(len(KINDS), 0.2))
    quiet = np.zeros((n_fol, len(KINDS)))
    quiet[:, 0] = rng.binomial(1, 0.2, n_fol)
    X = pd.DataFrame(np.vstack([fans, heavy, quiet]).astype(float),
                     columns=[f"act_{k}" for k in KINDS])
    X["act_like"] = np.r_[rng.integers(5, 30, n_fans), rng.integers(100, 300, busy),
                          rng.integers(0, 3, n_fol)]
    X["act_view"] = np.r_[rng.integers(5, 30, n_fans), rng.integers(300, 900, busy),
                          rng.integers(0, 5, n_fol)]
    X["act_follow"] = np.r_[np.full(n_fans, fan_follows), np.zeros(busy), np.ones(n_fol)]
    X["n_events"] = X.sum(axis=1)
    X["reacted"] = X["n_events"]  # no content in this world
    X["active_days"] = np.r_[np.full(n_fans, 40), np.full(busy, 80), np.full(n_fol, 3)]
    X["tenure_days"] = 90.0
    X.index = [f"m{i:05d}" for i in range(len(X))]
    kind = np.array(["fan"] * n_fans + ["busy"] * busy + ["follower"] * n_fol)
    return X.astype(float), kind


def test_busy_viewers_with_a_sliver_of_depth_are_not_fans():
    X, kind = _world()
    off = create_stage("roles", "rules", {"fan_depth_ratio": 0.0}).fit(X)
    on = create_stage("roles", "rules", {}).fit(X)
    assert np.mean(off.roles_[kind == "busy"] == "fan") > 0.9  # volume and kinds pass
    assert np.mean(on.roles_[kind == "busy"] == "fan") == 0
    assert np.mean(on.roles_[kind == "fan"] == "fan") >= np.mean(
        off.roles_[kind == "fan"] == "fan") - 0.01
    one = np.flatnonzero(kind == "busy")[0]
    assert on.roles_[one] == "follower" and on.secondary_[one] == "fan"
    assert "of its reactions to content" in on.explanations_[one]
    assert "mostly passive" in on.explanations_[one]
    assert "mostly passive" not in off.explanations_[one]
    assert 0.3 < on.thresholds_["fan_depth_median"] < 0.7
    assert on.thresholds_["fan_depth_ratio"] == pytest.approx(1 / 3)
    assert "fan_depth_median" not in off.thresholds_
    json.dumps(on.thresholds_)  # recorded as plain JSON


def test_follows_are_connections_not_passive_reactions():
    """Fans who also follow a great many accounts keep their depth (follows are left out of
    the reactions to content)."""
    X, kind = _world()
    following, _ = _world(fan_follows=300)
    a = create_stage("roles", "rules", {}).fit(X)
    b = create_stage("roles", "rules", {}).fit(following)
    assert np.array_equal(a.roles_, b.roles_)
    assert a.thresholds_["fan_depth_median"] == b.thresholds_["fan_depth_median"]


def test_depth_reference_does_not_depend_on_row_order():
    X, _ = _world()
    a = create_stage("roles", "rules", {}).fit(X)
    perm = np.random.default_rng(3).permutation(len(X))
    b = create_stage("roles", "rules", {}).fit(X.iloc[perm])
    assert a.thresholds_ == b.thresholds_  # bit for bit
    assert np.array_equal(np.asarray(a.roles_)[perm], np.asarray(b.roles_))
    assert list(np.asarray(a.explanations_, dtype=object)[perm]) == list(b.explanations_)


def test_too_few_members_over_the_volume_threshold_flag_nobody():
    shares = np.array([0.5, 0.4, 0.01])
    found = depth_found(shares, 20)
    assert found == {}
    assert not passive(shares, found, 1 / 3).any()
    found = depth_found(np.r_[np.full(30, 0.5), 0.1, 0.2], 20)
    assert found["median"] == 0.5 and found["n"] == 32
    assert passive(np.array([0.1, 0.2]), found, 1 / 3).tolist() == [True, False]
    assert not passive(np.array([0.1]), found, 0.0).any()  # 0: off


def test_depth_share_definition():
    X = pd.DataFrame({"act_comment": [3.0, 0.0, 4.0], "act_like": [3.0, 5.0, 0.0],
                      "act_follow": [4.0, 0.0, 10.0], "act_post": [0.0, 0.0, 2.0],
                      "n_events": [10.0, 5.0, 16.0], "created": [0.0, 0.0, 2.0]})
    # reactions to content: n_events - created - follows (at least the deep count)
    assert depth_share(X, SHALLOW).tolist() == [0.5, 0.0, 1.0]
    assert depth_share(X.assign(reacted=[10.0, 5.0, 14.0]), SHALLOW).tolist() == [0.5, 0.0, 1.0]
    assert depth_share(X.iloc[:0], SHALLOW).tolist() == []


@pytest.mark.parametrize("bad", [-0.1, 1.5, "a third"])
def test_bad_ratio_names_the_parameter(bad):
    X, _ = _world(busy=5)
    with pytest.raises(ConfigError, match="fan_depth_ratio"):
        create_stage("roles", "rules", {"fan_depth_ratio": bad}).fit(X)
