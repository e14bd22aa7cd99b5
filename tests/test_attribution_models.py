"""Attribution models on hand-made journeys: heuristics, exact Markov, Shapley properties."""

import numpy as np
import pandas as pd
import pytest

from clusterkit.attribution import attribute, compare_models
from clusterkit.attribution._arrays import prepare
from clusterkit.attribution.markov import markov_removal
from clusterkit.attribution.shapley import (
    grouped_shapley,
    shapley_count,
    shapley_matrix,
    shapley_rate,
)
from clusterkit.errors import ConfigError, DataError

T0 = pd.Timestamp("2026-03-01", tz="UTC")


def journeys(paths, converted, ages=None):
    """A journeys frame from touch lists (ages: days before the end, default 0)."""
    rows = []
    for j, (path, y) in enumerate(zip(paths, converted, strict=True)):
        for s, touch in enumerate(path):
            age = 0.0 if ages is None else ages[j][s]
            rows.append((f"p{j:03d}", j, s, touch, T0 - pd.Timedelta(days=age), T0, y))
    return pd.DataFrame(rows, columns=["person_id", "journey_id", "step", "touch",
                                       "timestamp", "journey_end", "converted"])


TINY = journeys([["a", "b", "c"], ["a", "c"], ["b", "c"]], [True, False, True])


def test_heuristics_by_hand():
    j = journeys([["a", "b", "c", "b"], ["c"], ["a", "a"]], [True, True, False],
                 ages=[[9, 6, 3, 0], [1], [0, 0]])
    got = compare_models(j, ["first", "last", "linear", "position", "time_decay"],
                         params={"time_decay": {"half_life_days": 3}})
    share = got.pivot(index="model", columns="touch", values="conversions")
    assert share.loc["first"].tolist() == [1, 0, 1]
    assert share.loc["last"].tolist() == [0, 1, 1]
    assert share.loc["linear"].tolist() == [0.25, 0.5, 1.25]
    assert share.loc["position"].tolist() == pytest.approx([0.4, 0.5, 1.1])
    d = np.array([1 / 8, 1 / 4, 1 / 2, 1])  # halving every 3 days
    d = d / d.sum()
    assert share.loc["time_decay"].tolist() == pytest.approx([d[0], d[1] + d[3], d[2] + 1])
    assert got.groupby("model")["share"].sum().tolist() == pytest.approx([1.0] * 5)


def test_markov_exact_on_hand_computed_chains():
    a = prepare(TINY)
    # order 1: P = 2/3; removing a leaves 2/9, removing b 2/9, removing c nothing
    f1 = markov_removal(a, 1)
    assert f1.p_conversion == pytest.approx(2 / 3)
    assert f1.removal_effects == pytest.approx([2 / 3, 2 / 3, 1.0])
    # order 2: states "a b", "b c", "a c": P = 2/3; removing a leaves 1/3
    f2 = markov_removal(a, 2)
    assert (f2.p_conversion, f2.n_states) == (pytest.approx(2 / 3), 3)
    assert f2.removal_effects == pytest.approx([0.5, 1.0, 1.0])
    res = attribute(TINY, "markov_2")
    assert res["conversions"].tolist() == pytest.approx([0.4, 0.8, 0.8])


def test_markov_order1_matches_the_analytic_loop():
    # a -> b 2/5, a -> conversion 2/5, a -> null 1/5; b -> a 1/2, b -> null 1/2
    # P(conversion) = y / (1 - x u) = 0.4 / 0.8; removing b leaves y: effect x u = 0.2
    j = journeys([["a"], ["a"], ["a", "b"], ["a", "b", "a"]], [True, False, False, True])
    fit = markov_removal(prepare(j), 1)
    assert fit.p_conversion == pytest.approx(0.5)
    assert fit.removal_effects == pytest.approx([1.0, 0.2])
    with pytest.raises(ConfigError, match="'order' parameter of markov"):
        markov_removal(prepare(j), 5)


def _random_game(m, rng):
    v = rng.random(1 << m)
    v[0] = 0.0
    return v


def test_shapley_exact_efficiency_symmetry_and_dummy():
    rng = np.random.default_rng(0)
    m = 5
    v = _random_game(m, rng)
    patterns, w = shapley_matrix(m)
    phi = v @ w
    assert phi.sum() == pytest.approx(v[-1] - v[0])  # efficiency
    masks = np.arange(1 << m)
    swap = (masks & ~3) | ((masks & 1) << 1) | ((masks & 2) >> 1)
    sym = (v + v[swap]) / 2  # players 0 and 1 interchangeable
    phi_sym = sym @ w
    assert phi_sym[0] == pytest.approx(phi_sym[1])
    dummy = v[masks & ~(1 << 4)]  # player 4 adds nothing
    assert (dummy @ w)[4] == pytest.approx(0.0, abs=1e-12)
    # sampled permutations: still efficient, and close to the exact values
    ps, ws = shapley_matrix(m, max_exact=2, n_permutations=400, rng=np.random.default_rng(1))
    idx = (ps * (1 << np.arange(m))).sum(axis=1)
    approx = v[idx] @ ws
    assert approx.sum() == pytest.approx(v[-1] - v[0])
    assert np.abs(approx - phi).max() < 0.03


def test_shapley_count_closed_form_equals_the_generic_game():
    j = journeys([["a", "b"], ["b", "c", "c"], ["a"], ["c"], ["a", "b", "c"]],
                 [True, True, False, True, True])
    arrays = prepare(j)
    closed = shapley_count(arrays)
    sets = [{0, 1}, {1, 2}, {0}, {2}, {0, 1, 2}]
    conv = [1, 1, 0, 1, 1]

    def value(rows, P, patterns):  # v(T) = conversions of journeys whose set is within T
        out = np.zeros((len(rows), len(patterns)))
        for c, s in enumerate(patterns):  # 8 coalitions
            members = set(P[0][s])
            out[:, c] = sum(y for st, y in zip(sets, conv, strict=True) if st <= members)
        return out

    generic, _ = grouped_shapley(np.array([0, 3]), np.array([0, 1, 2]), value, n_players=3)
    assert closed == pytest.approx(generic)
    assert closed.sum() == pytest.approx(4)


def test_shapley_rate_uses_set_rates():
    j = journeys([["a", "b"]] * 4 + [["a"]] * 4 + [["b"]] * 4,
                 [True, True, True, False] + [True, False, False, False] + [False] * 4)
    # v({a}) = 1/4, v({b}) = 0, v({a, b}) = 3/4; v(empty) = 0
    credit = shapley_rate(prepare(j))
    phi_a = 0.5 * (0.25 - 0) + 0.5 * (0.75 - 0.0)
    phi_b = 0.5 * (0.0 - 0) + 0.5 * (0.75 - 0.25)
    assert credit == pytest.approx([4 * phi_a + 4 * 0.25, 4 * phi_b])
    base = shapley_rate(prepare(j), empty="min_single", min_journeys=1)  # v(empty) = 0
    assert base == pytest.approx(credit)


def test_row_order_invariance():
    rng = np.random.default_rng(5)
    paths = [list(rng.choice(list("abcd"), size=rng.integers(1, 5))) for _ in range(300)]
    conv = list(rng.random(300) < 0.3)
    ages = [list(np.sort(rng.random(len(p)) * 20)[::-1]) for p in paths]
    j = journeys(paths, conv, ages)
    shuffled = j.sample(frac=1.0, random_state=3).reset_index(drop=True)
    models = ["first", "time_decay", "markov_3", "shapley_rate", "model"]
    a = compare_models(j, models, bootstrap=5, random_state=2)
    b = compare_models(shuffled, models, bootstrap=5, random_state=2)
    pd.testing.assert_frame_equal(a, b)


def test_unknown_model_and_parameter_errors():
    with pytest.raises(ConfigError, match=r"unknown attribution model 'markov_5'.*Did you mean"):
        attribute(TINY, "markov_5")
    with pytest.raises(ConfigError, match=r"Did you mean 'model'"):
        attribute(TINY, "modle")
    with pytest.raises(ConfigError, match=r"unknown parameter 'order'.*'first'"):
        attribute(TINY, "first", order=2)
    with pytest.raises(ConfigError, match="'bootstrap' parameter"):
        attribute(TINY, "first", bootstrap=-1)
    with pytest.raises(ConfigError, match="'half_life_days' parameter"):
        attribute(TINY, "time_decay", half_life_days=0)
    with pytest.raises(ConfigError, match="built at channel level"):
        attribute(TINY, "first", level="action")
    with pytest.raises(ConfigError, match="'markov_1' is asked for twice"):
        compare_models(TINY, ["markov", "markov_1"])


def test_journey_errors():
    with pytest.raises(DataError, match="no converting journey"):
        attribute(journeys([["a"], ["b"]], [False, False]), "last")
    with pytest.raises(DataError, match="lacks column 'converted'"):
        attribute(TINY.drop(columns="converted"), "last")
    with pytest.raises(DataError, match="no journeys"):
        attribute(TINY.iloc[:0], "last")


def test_journey_flows_conserve_journeys():
    from clusterkit.attribution.figures import attribution_bars, journey_flows

    j = journeys([["a", "b", "c", "a"], ["b"], ["c", "c"]], [True, False, True])
    flows = journey_flows(j, max_steps=2)
    out = flows[flows["target"].isin(["converted", "not converted"])]
    assert out.groupby("target")["journeys"].sum().to_dict() == {"converted": 2,
                                                                 "not converted": 1}
    assert set(flows["source"]) == {"1: a", "1: b", "1: c", "2: b", "2: c"}
    fig = attribution_bars(attribute(j, "last", bootstrap=3))
    assert fig.data[0].error_y.array is not None


def test_models_compared_share_bootstrap_replicates_without_changing_them():
    # compare_models draws each replicate once for every model reading the same journeys;
    # each model's interval must equal the one it gets alone
    from clusterkit.synthetic.journeys import generate_journeys

    journeys = generate_journeys(1500, seed=7).journeys
    names = ["last", "markov_2", "shapley_rate", "model"]
    both = compare_models(journeys, names, bootstrap=12, bootstrap_persons=400,
                          lookback_days=14, random_state=3)
    for name in names:
        alone = attribute(journeys, name, bootstrap=12, bootstrap_persons=400,
                          lookback_days=14, random_state=3)
        got = both[both["model"] == name].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, alone)
        assert got["ci_low"].notna().all()
