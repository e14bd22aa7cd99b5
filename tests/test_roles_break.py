"""The influencer break of the ``rules`` stage does not flip with the fan spike (issue 16).

Planted structure: influencers (content creators amplified by ~150 distinct members),
bloggers (creators amplified by ~14, with an audience past the reach gate) and fans
amplified by one to a few members each (a geometric spike). A three-class Otsu split over
every amplified member moves with the size of the spike: with 1,500 fans it falls between
bloggers and influencers (37 amplifiers), with 3,000 inside the bloggers (16), calling 37 %
of them influencers. The break between the two modes of amplified content creators sees
the same creators either way. And occasional posters (a few items each, little reach)
stay out of that population: they pass the content rate and share, not the blogger's reach
test, and among them the break falls inside the bloggers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.stages.roles.evidence import mixture_break, natural_break
from clusterkit.stages.roles.rules import RuleRoles


def _table(n_fans: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)

    def lognormal(median, sigma):
        return lambda k: np.round(np.exp(rng.normal(np.log(median), sigma, k)))

    groups = {  # name: (members, amplifiers, posts, comments, followers)
        # audiences over twice the bloggers' (the gate's floor: 2 x the typical creator's)
        "influencer": (60, lognormal(150, 0.45), (20, 60), (10, 30), (600, 1500)),
        "blogger": (300, lognormal(14, 0.6), (10, 40), (5, 30), (100, 400)),
        "fan": (n_fans, lambda k: rng.geometric(0.45, k), (0, 1), (5, 30), (1, 15)),
    }
    frames = [pd.DataFrame({"group": name, "amplifiers": amp(k),
                            "act_post": rng.integers(*post, k),
                            "act_comment": rng.integers(*com, k),
                            "followers": rng.integers(*fol, k)})
              for name, (k, amp, post, com, fol) in groups.items()]
    X = pd.concat(frames, ignore_index=True)
    X.index = [f"m{i:05d}" for i in range(len(X))]
    X["tenure_days"] = 120.0
    X["active_days"] = 30.0
    return X


def test_old_three_class_break_flips_with_the_fan_spike():
    """The planted structure that broke the previous estimator (a witness, not the method)."""
    breaks = []
    for n_fans in (1500, 3000):
        amp = _table(n_fans)["amplifiers"].to_numpy()
        breaks.append(float(np.expm1(natural_break(np.log1p(amp[amp > 0]), classes=3))))
    assert breaks[0] > 30 and breaks[1] < 20  # between the modes, then inside the bloggers


def test_influencer_break_is_stable_and_separates_bloggers_from_influencers():
    thresholds = []
    for n_fans in (1500, 3000):
        X = _table(n_fans)
        stage = RuleRoles().fit(X.drop(columns="group"))
        roles, group = stage.roles_, X["group"].to_numpy()
        thresholds.append(stage.thresholds_["influencer_amplifiers"])
        assert np.mean(roles[group == "blogger"] == "influencer") <= 0.02
        assert np.mean(roles[group == "influencer"] == "influencer") >= 0.9
        first = np.flatnonzero(roles == "influencer")[0]
        assert "amplified content creators" in stage.explanations_[first]
    assert thresholds[0] == thresholds[1]  # the fans do not move it
    assert 30 < thresholds[0] < 100


def test_influencer_break_falls_back_without_content_creators():
    """No content in the data: the three-class split over amplified members, said so."""
    X = _table(1500).drop(columns=["group", "act_post"])
    stage = RuleRoles().fit(X)
    amp = X["amplifiers"].to_numpy()
    old = float(np.expm1(natural_break(np.log1p(amp[amp > 0]), classes=3)))
    assert np.isclose(stage.thresholds_["influencer_amplifiers"], max(old, 5.0))
    assert any("too few amplified content creators" in e for e in stage.explanations_)


def test_mixture_break_moves_towards_a_small_narrow_upper_class():
    rng = np.random.default_rng(1)
    v = np.r_[rng.normal(1.0, 0.8, 800), rng.normal(4.0, 0.4, 100)]
    assert natural_break(v, 2) < mixture_break(v) < 4.0
    assert mixture_break(np.ones(10)) == np.inf


def test_mixture_break_reads_the_values_not_their_order():
    """The same values in any order, or as counts per distinct value, give the same break
    bit for bit (the Spark engine reads them as counts)."""
    rng = np.random.default_rng(3)
    v = np.log1p(np.round(np.exp(np.r_[rng.normal(2, 0.6, 700), rng.normal(5, 0.4, 60)])))
    brk = mixture_break(v)
    assert mixture_break(rng.permutation(v)) == brk
    values, counts = np.unique(v, return_counts=True)
    assert mixture_break(np.repeat(values[::-1], counts[::-1])) == brk


def test_rules_fit_in_parts_on_slices_of_rows_equals_the_whole_fit():
    """The thresholds read from the pools of every slice, then every slice applied on its
    own, give the whole fit's roles, confidences, explanations and thresholds (how the Spark
    engine runs the rules, one partition at a time)."""
    X = _table(2500, seed=4)
    X["n_events"] = X["act_post"] + X["act_comment"]
    X["received_distinct"] = X["amplifiers"] * 3  # the bloggers' reach test is read too
    expected = RuleRoles().fit(X)
    stage = RuleRoles()
    rng = np.random.default_rng(0)
    slices = np.array_split(rng.permutation(len(X)), 4)
    parts = [X.iloc[s] for s in slices]
    months = stage.months(X)
    pool = pd.concat([stage.influencer_pool(p, months) for p in parts])
    blogger = stage.blogger_found(pool["received"].to_numpy(), pool["content_rate"].to_numpy(),
                                  stage.answered(pool))
    creators = stage.reading_creators(pool["amplifiers"].to_numpy(),
                                      pool["creator"].to_numpy(), stage.creators(pool, blogger))
    found = {"months": months, "influencer": stage.influencer_found(
        pool["amplifiers"].to_numpy(), pool["followers"].to_numpy(), creators,
        pool["followers"].to_numpy()), "blogger": blogger}
    found["fan"] = stage.fan_found(np.concatenate([stage.fan_pool(p, found) for p in parts]))
    found["fan"]["depth"] = stage.depth_found(
        np.concatenate([stage.depth_pool(p, found) for p in parts]))
    order = np.concatenate(slices).argsort()
    got = [RuleRoles().apply(p, found) for p in parts]
    for name in ("roles_", "secondary_", "confidence_"):
        joined = np.concatenate([getattr(g, name) for g in got])[order]
        assert np.array_equal(joined, getattr(expected, name)), name
    text = np.concatenate([np.asarray(g.explanations_, dtype=object) for g in got])[order]
    assert text.tolist() == list(expected.explanations_)
    assert all(g.thresholds_ == expected.thresholds_ for g in got)
    assert set(expected.roles_) >= {"influencer", "blogger", "fan"}
    assert expected.thresholds_["blogger_reach"] > 0


def test_fit_in_blocks_of_rows_equals_one_call_over_every_row(monkeypatch):
    """The fit applies its thresholds block by block (``BLOCK_ROWS``, which bounds the
    explanations' temporaries): roles, secondary roles, confidences, explanations and
    thresholds are those of one call over every row, for blocks that do not divide the
    table evenly."""
    import clusterkit.stages.roles.rules as rules

    X = _table(2500, seed=4)
    X["n_events"] = X["act_post"] + X["act_comment"]
    X["received_distinct"] = X["amplifiers"] * 3
    whole = RuleRoles().fit(X)
    monkeypatch.setattr(rules, "BLOCK_ROWS", 377)
    calls = []
    apply = RuleRoles.apply
    monkeypatch.setattr(RuleRoles, "apply", lambda self, *a: calls.append(1) or apply(self, *a))
    blocks = RuleRoles().fit(X)
    assert len(calls) == -(-len(X) // 377)
    assert len(X) % 377 and len(X) > 2 * 377
    for name in ("roles_", "secondary_", "confidence_"):
        assert np.array_equal(getattr(blocks, name), getattr(whole, name)), name
    assert len(blocks.explanations_) == len(X)
    assert list(blocks.explanations_) == list(whole.explanations_)
    assert all(e.startswith(r) for e, r in zip(blocks.explanations_, blocks.roles_, strict=True))
    assert blocks.thresholds_ == whole.thresholds_

def test_counts_per_value_come_back_as_every_members_value():
    """The Spark engine's counts per distinct value (``groupBy().count()``, in any order)
    back to one entry per member: the same multiset, sorted, ties of a second column kept
    with their value; nothing for an empty result."""
    from clusterkit.engines.spark.roles import _values

    grouped = pd.DataFrame({"amplifiers": [3.0, 1.0, 3.0, 7.0],
                            "creator": [True, False, False, True], "count": [2, 4, 1, 1]})
    amp, creator = _values(grouped.iloc[[2, 0, 3, 1]], "amplifiers", "creator")
    assert amp.tolist() == [1.0] * 4 + [3.0] * 3 + [7.0]
    assert creator.tolist() == [False] * 4 + [False, True, True] + [True]
    (empty,) = _values(grouped.iloc[:0], "amplifiers")
    assert len(empty) == 0


def test_rule_parts_check_their_parameters_as_fit_does():
    """The parts an engine runs refuse what ``fit`` refuses (a ratio above 1)."""
    import pytest

    from clusterkit.errors import ConfigError

    with pytest.raises(ConfigError, match="blogger_min_ratio"):
        RuleRoles(blogger_min_ratio=1.5).fit(_table(50))
    from clusterkit.engines.spark.roles import rule_roles

    with pytest.raises(ConfigError, match="blogger_min_ratio"):
        rule_roles(None, RuleRoles(blogger_min_ratio=1.5))


def _posters(n_posters: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Bloggers (15 posts, ~14 amplifiers, reached by ~40), influencers (~150 amplifiers)
    and ``n_posters`` occasional posters: two to four posts and hardly anything else (so
    their content rate and share pass), amplified by one to four and reached by a few."""
    rng = np.random.default_rng(seed)
    sizes = {"influencer": 40, "blogger": 300, "poster": n_posters}
    amp = np.r_[np.round(np.exp(rng.normal(np.log(150), 0.4, 40))),
                np.round(np.exp(rng.normal(np.log(14), 0.5, 300))),
                rng.integers(1, 5, n_posters)]
    X = pd.DataFrame({
        "amplifiers": amp,
        "act_post": np.r_[rng.integers(10, 30, 340), rng.integers(2, 5, n_posters)],
        "act_comment": np.r_[rng.integers(3, 10, 340), rng.integers(0, 2, n_posters)],
        "followers": np.r_[rng.integers(600, 1500, 40), rng.integers(40, 150, 300),
                           rng.integers(0, 20, n_posters)],
        "received_distinct": np.r_[amp[:340] * 3, rng.integers(1, 4, n_posters)]})
    X.index = [f"m{i:05d}" for i in range(len(X))]
    X["tenure_days"] = 90.0
    X["active_days"] = 20.0
    return X.astype(float), np.repeat(list(sizes), list(sizes.values()))


def test_occasional_posters_do_not_pull_the_break_into_the_bloggers():
    """Many members who post a few items pass the content rate and share, not the reach
    test: read among every such "creator", the break falls between them and the bloggers
    (the witness); read among the creators past the blogger's gate, it separates the
    bloggers from the influencers."""
    X, kind = _posters(1500)
    stage = RuleRoles()
    pool = stage.influencer_pool(X, stage.months(X))
    raw = pool["creator"].to_numpy() & (pool["amplifiers"].to_numpy() > 0)
    assert raw[kind == "poster"].mean() > 0.95  # they pass rate and share
    witness = float(np.expm1(mixture_break(np.log1p(pool["amplifiers"].to_numpy()[raw]))))
    assert witness < 8  # inside the bloggers' lower tail, most would pass
    fitted = stage.fit(X)
    assert fitted.thresholds_["influencer_amplifiers"] > 30
    roles = fitted.roles_
    assert np.mean(roles[kind == "influencer"] == "influencer") > 0.95
    assert np.mean(roles[kind == "blogger"] == "influencer") < 0.05
    assert np.mean(roles[kind == "blogger"] == "blogger") > 0.9
