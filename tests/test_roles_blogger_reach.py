"""A blogger is a regular creator with moderate reach, read against the data (issue 16).

Planted structure: bloggers post ~6 items a month and are answered by ~60 distinct members;
*occasional posters* are passive followers who posted a few times in six months, view a lot
and are answered by a handful of members, as any member is; *hollow creators* post ~20
items a month for bought followers and nobody answers them; fans comment in depth. Content
rate and content share alone call the occasional posters bloggers (the witness below); the
reach test, with the creators' rate break for content nobody answers, does not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterkit.errors import ConfigError
from clusterkit.stages.roles.rules import RuleRoles


def _table(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    months = 6
    groups = {  # name: (members, posts per month, received_distinct median, comments, views)
        "blogger": (150, 6.0, 60, 5, 20),
        "occasional": (400, 0.6, 4, 0, 30),
        "hollow": (30, 20.0, 0, 0, 5),
        "fan": (600, 0.0, 3, 40, 20),
        "follower": (2000, 0.0, 2, 0, 25),
    }
    frames = []
    for name, (k, rate, recv, comments, views) in groups.items():
        posts = rng.poisson(rate * months, k)
        if name == "occasional":
            posts = np.maximum(posts, 3)
        frames.append(pd.DataFrame({
            "group": name, "act_post": posts,
            "act_comment": rng.poisson(comments, k), "act_view": rng.poisson(views, k),
            "received_distinct": rng.poisson(recv, k).astype(float),
            "amplifiers": rng.poisson(recv / 4, k).astype(float),
            "followers": rng.integers(1, 30, k).astype(float)}))
    X = pd.concat(frames, ignore_index=True)
    X.index = [f"m{i:05d}" for i in range(len(X))]
    X["n_events"] = X[["act_post", "act_comment", "act_view"]].sum(axis=1)
    X["tenure_days"] = 30.0 * months
    return X


def _share(stage, X, group, role):
    return float(np.mean(stage.roles_[X["group"].to_numpy() == group] == role))


def test_occasional_posters_are_not_bloggers_but_creators_are():
    X = _table()
    features = X.drop(columns="group")
    witness = RuleRoles(blogger_reach=0).fit(features)  # the content tests alone
    assert _share(witness, X, "occasional", "blogger") > 0.9
    stage = RuleRoles().fit(features)
    assert _share(stage, X, "occasional", "blogger") < 0.05
    assert _share(stage, X, "blogger", "blogger") > 0.95
    # nobody answers the hollow creators: their content rate alone makes them bloggers
    assert _share(stage, X, "hollow", "blogger") == 1.0
    t = stage.thresholds_
    median = float(np.median(X["received_distinct"][X["received_distinct"] > 0]))
    assert t["blogger_reach"] == pytest.approx(3.0 * median)
    assert t["blogger_how"] == "median of the members acted on"
    assert 0.6 < t["blogger_regular"] < 6.0  # between occasional posters and creators
    first_blogger = np.flatnonzero(stage.roles_ == "blogger")[0]
    assert "distinct members (threshold" in stage.explanations_[first_blogger]


def test_without_anyone_acted_on_the_reach_test_is_off():
    X = _table().drop(columns="group")
    with_reach = RuleRoles().fit(X)
    X_blind = X.drop(columns="received_distinct")
    stage = RuleRoles().fit(X_blind)
    assert stage.thresholds_["blogger_reach"] == 0.0
    assert np.array_equal(stage.roles_, RuleRoles(blogger_reach=0).fit(X).roles_)
    assert "distinct members (threshold" not in " ".join(stage.explanations_)
    assert (stage.roles_ == "blogger").sum() > (with_reach.roles_ == "blogger").sum()


def test_same_roles_in_any_row_order():
    X = _table(seed=3).drop(columns="group")
    perm = np.random.default_rng(1).permutation(len(X))
    a = RuleRoles().fit(X)
    b = RuleRoles().fit(X.iloc[perm])
    order = np.argsort(perm)
    assert np.array_equal(np.asarray(b.roles_)[order], a.roles_)
    assert a.thresholds_ == b.thresholds_


@pytest.mark.parametrize("bad", [-1.0, float("inf"), float("nan"), "3", True])
def test_a_bad_blogger_reach_is_refused(bad):
    with pytest.raises(ConfigError, match="blogger_reach"):
        RuleRoles(blogger_reach=bad).fit(_table().drop(columns="group"))


def test_too_few_creators_for_a_break_still_explains_the_reach():
    """With fewer than ``min_sample`` members with content there is no creators' break:
    the reach test alone decides, and the explanation says only that."""
    X = pd.DataFrame({"act_post": [12, 3] + [0] * 28, "act_view": [0, 20] + [30] * 28,
                      "received_distinct": [40.0, 1.0] + [2.0, 3.0] * 14,
                      "tenure_days": [90.0] * 30})
    X["n_events"] = X["act_post"] + X["act_view"]
    stage = RuleRoles().fit(X)
    assert stage.roles_.tolist()[:2] == ["blogger", "follower"]
    assert stage.thresholds_["blogger_regular"] is None  # no break; strict JSON
    assert "x median of the members acted on)" in stage.explanations_[0]
    assert "creators' break" not in stage.explanations_[0]


def test_too_few_members_acted_on_for_a_median_turn_the_test_off():
    """Five members: no distribution to read reach from; the content tests decide."""
    X = pd.DataFrame({"act_post": [12, 9, 0, 0, 0], "act_view": [0, 2, 30, 5, 8],
                      "received_distinct": [40.0, 30.0, 2.0, 3.0, 0.0],
                      "tenure_days": [90.0] * 5})
    X["n_events"] = X["act_post"] + X["act_view"]
    stage = RuleRoles().fit(X)
    assert stage.roles_.tolist()[:2] == ["blogger", "blogger"]
    assert stage.thresholds_["blogger_reach"] == 0.0
    assert stage.thresholds_["blogger_how"] == "off: too few members acted on"


def test_a_missing_audience_is_no_audience_and_never_blocks_the_test_when_off():
    X = _table(seed=2).drop(columns="group")
    X.loc[X.index[:150], "received_distinct"] = np.nan  # the planted bloggers
    off = RuleRoles(blogger_reach=0).fit(X)
    assert (off.roles_[:150] == "blogger").mean() > 0.95
    on = RuleRoles().fit(X)  # no audience: only the creators' break can pass them
    assert on.thresholds_["blogger_reach"] > 0
    assert (on.roles_[:150] == "blogger").mean() == pytest.approx(
        (X["act_post"].iloc[:150] / 6 >= on.thresholds_["blogger_regular"]).mean())


def test_thresholds_are_strict_json():
    import json

    for X in (_table().drop(columns="group"),
              _table().drop(columns=["group", "received_distinct"])):
        json.dumps(RuleRoles().fit(X).thresholds_, allow_nan=False)


def test_the_answered_share_at_the_guard():
    """At exactly half of the creators acted on the reach test is on; just under, off."""
    stage = RuleRoles()
    received, rates = np.r_[np.arange(1.0, 41.0)], np.r_[np.full(30, 0.3), np.full(30, 6.0)]
    assert stage.blogger_found(received, rates, 0.5)["reach"] > 0
    off = stage.blogger_found(received, rates, 0.499)
    assert off["reach"] == 0 and off["how"] == "off: reactions do not name their authors"
    pool = pd.DataFrame({"creator": [True, True, True, False],
                         "received": [3.0, 0.0, np.nan, 5.0]})
    assert stage.answered(pool) == pytest.approx(1 / 3)


def test_reactions_that_do_not_name_their_authors_turn_the_test_off():
    """``target_id`` given for a few actions only (here: only a tenth of the creators were
    ever acted on): reach cannot be read, and the content tests decide alone."""
    X = _table(seed=5).drop(columns="group")
    rng = np.random.default_rng(0)
    X["received_distinct"] = np.where(rng.random(len(X)) < 0.1, X["received_distinct"], 0.0)
    stage = RuleRoles().fit(X)
    assert stage.thresholds_["blogger_reach"] == 0.0
    assert np.array_equal(stage.roles_, RuleRoles(blogger_reach=0).fit(X).roles_)
