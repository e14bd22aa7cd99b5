"""Fandom is breadth (DESIGN §3: engages *across* the community's ways of engaging): a
member whose many deep reactions all fall on one or two kinds is a busy follower."""

import json

import numpy as np
import pandas as pd
import pytest

from clusterkit.errors import ConfigError
from clusterkit.registry import create_stage
from clusterkit.stages.roles.breadth import breadth_found, breadth_pvalue, concentrated

KINDS = ("comment", "share", "reply", "mention", "newsletter_click", "purchase")


def _world(seed=0, specialise=5.0, bots=60):
    """Feature rows: 400 fans whose deep reactions (Poisson volume) follow a Dirichlet mix
    of six kinds (``specialise``: its concentration; small = each fan keeps to a kind or
    two), ``bots`` accounts with 40-200 comments and shares and nothing else, 1,500 quiet
    followers (a like or two, a comment now and then)."""
    rng = np.random.default_rng(seed)
    n_fans, n_fol = 400, 1500
    mix = rng.dirichlet(np.full(len(KINDS), specialise), n_fans)
    volume = rng.integers(8, 60, n_fans)
    fans = rng.multinomial(volume, mix)
    bot = np.zeros((bots, len(KINDS)))
    bot[:, :2] = rng.integers(40, 200, (bots, 2))
    fol = np.zeros((n_fol, len(KINDS)))
    fol[:, 0] = rng.binomial(1, 0.2, n_fol)
    counts = np.vstack([fans, bot, fol]).astype(float)
    X = pd.DataFrame(counts, columns=[f"act_{k}" for k in KINDS])
    X["act_like"] = np.r_[rng.integers(5, 30, n_fans), rng.integers(100, 300, bots),
                          rng.integers(0, 3, n_fol)]
    X["n_events"] = X.sum(axis=1)
    X["active_days"] = np.r_[np.full(n_fans, 40), np.full(bots, 80), np.full(n_fol, 3)]
    X["tenure_days"] = 90.0
    X.index = [f"m{i:05d}" for i in range(len(X))]
    kind = np.array(["fan"] * n_fans + ["bot"] * bots + ["follower"] * n_fol)
    return X.astype(float), kind


def test_volume_on_two_kinds_is_not_a_fan():
    X, kind = _world()
    off = create_stage("roles", "rules", {"fan_breadth_alpha": 0.0}).fit(X)
    on = create_stage("roles", "rules", {}).fit(X)
    assert np.mean(off.roles_[kind == "bot"] == "fan") > 0.9  # volume alone passes
    assert np.mean(on.roles_[kind == "bot"] == "fan") == 0
    fans_on, fans_off = (np.mean(r.roles_[kind == "fan"] == "fan") for r in (on, off))
    assert fans_on >= fans_off - 0.01
    bot = np.flatnonzero(kind == "bot")[0]
    text = on.explanations_[bot]
    assert on.roles_[bot] == "follower" and on.secondary_[bot] == "fan"
    assert "all on 2 of the 6 kinds" in text
    assert "fan_breadth_rho" in on.thresholds_ and "fan_breadth_rho" not in off.thresholds_
    json.dumps(on.thresholds_)  # recorded as plain JSON


def test_a_community_of_specialists_keeps_its_fans():
    """Where every fan keeps to a kind or two, the estimated specialisation absorbs it."""
    X, kind = _world(specialise=0.3, bots=0)
    on = create_stage("roles", "rules", {}).fit(X)
    off = create_stage("roles", "rules", {"fan_breadth_alpha": 0.0}).fit(X)
    # the fans' Dirichlet(0.3, ...) over six kinds has rho = 1 / (1 + 6 x 0.3)
    assert on.thresholds_["fan_breadth_rho"] == pytest.approx(1 / 2.8, abs=0.05)
    fans_on, fans_off = (np.mean(r.roles_[kind == "fan"] == "fan") for r in (on, off))
    assert fans_on >= fans_off - 0.02


def test_mix_and_specialisation_do_not_depend_on_row_order():
    X, _ = _world()
    a = create_stage("roles", "rules", {}).fit(X)
    perm = np.random.default_rng(3).permutation(len(X))
    b = create_stage("roles", "rules", {}).fit(X.iloc[perm])
    assert a.thresholds_ == b.thresholds_  # bit for bit
    assert np.array_equal(np.asarray(a.roles_)[perm], np.asarray(b.roles_))


def test_pvalue_is_a_probability_that_falls_with_concentration():
    X, _ = _world()
    counts = X[[f"act_{k}" for k in KINDS]].to_numpy()
    found = breadth_found(counts, 20)
    p = breadth_pvalue(np.array([[30, 30, 0, 0, 0, 0], [10, 10, 10, 10, 10, 10],
                                 [3, 3, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]], float), found)
    assert np.all((p >= 0) & (p <= 1))
    assert p[0] < 0.01 < p[1] and p[2] > p[0]  # fewer reactions: fewer kinds expected
    assert p[3] == pytest.approx(1.0) or p[3] <= 1.0


@pytest.mark.parametrize("counts", [np.zeros((100, 1)), np.ones((5, 4)),
                                    np.c_[np.ones(100) * 3, np.zeros(100)]])
def test_off_with_one_kind_too_few_members_or_no_spread(counts):
    found = breadth_found(counts, 20)
    assert found == {}
    assert not concentrated(counts, found, 0.01).any()


@pytest.mark.parametrize("value", [-0.1, 1.0, "0.01"])
def test_bad_alpha_names_the_parameter(value):
    X, _ = _world()
    with pytest.raises((ConfigError, ValueError, TypeError), match="fan_breadth_alpha"):
        create_stage("roles", "rules", {"fan_breadth_alpha": value}).fit(X)
