"""The namesake model and the same-channel controls of identity linkage (issue 17)."""

import numpy as np
import pandas as pd
import pytest

from clusterkit.identity import IdentityConfig
from clusterkit.identity.controls import calibrate_to_controls
from clusterkit.identity.namesakes import MAX_CHANNELS, fit_namesakes, same_person_probability


def _population(persons: int, seed: int, channels: int = 4) -> pd.DataFrame:
    """Persons with Zipf-distributed names, each on 1-3 distinct channels of four (or
    ``channels``)."""
    rng = np.random.default_rng(seed)
    firsts = np.array([f"f{i}" for i in range(150)])
    lasts = np.array([f"l{i}" for i in range(400)])

    def zipf(k, n):
        p = 1.0 / (np.arange(k) + 5.0)
        return rng.choice(k, size=n, p=p / p.sum())

    first, last = firsts[zipf(150, persons)], lasts[zipf(400, persons)]
    k = rng.choice([1, 2, 3], size=persons, p=[0.5, 0.3, 0.2])
    weights = np.array([1.0, 1.3, 0.8, 0.5]) if channels == 4 else \
        np.linspace(1.5, 0.3, channels)
    keys = rng.random((persons, channels)) * weights  # channel weights
    order = np.argsort(-keys, axis=1)
    rows = np.repeat(np.arange(persons), k)
    slot = np.arange(len(rows)) - np.repeat(np.cumsum(k) - k, k)
    names = ["tw", "ig", "fb", "nl"] if channels == 4 else [f"c{i}" for i in range(channels)]
    channel = np.array(names)[order[rows, slot]]
    return pd.DataFrame({
        "member_id": [f"m{i:06d}" for i in range(len(rows))], "person": rows,
        "channel": channel, "first": first[rows], "last": last[rows],
        "full_name": [f"{a} {b}" for a, b in zip(first[rows], last[rows], strict=True)]})


def _name_pairs(acc: pd.DataFrame):
    a = acc.reset_index(drop=True).reset_index()[["index", "full_name"]]
    p = a.merge(a, on="full_name")
    p = p[p["index_x"] < p["index_y"]]
    left, right = p["index_x"].to_numpy(), p["index_y"].to_numpy()
    truth = acc["person"].to_numpy()[left] == acc["person"].to_numpy()[right]
    return left, right, truth


def _assert_calibrated_or_conservative(acc: pd.DataFrame) -> None:
    left, right, truth = _name_pairs(acc)
    prob = same_person_probability(acc, left, right)
    scored = ~np.isnan(prob)
    assert scored.sum() > 200
    # never sure of more matches than there are (the documented bias is downwards) ...
    assert prob[scored].mean() <= truth[scored].mean() + 0.03
    # ... and not far below where the names are seen at most once per channel
    assert prob[scored].mean() >= truth[scored].mean() - 0.15
    high = scored & (prob >= 0.9)
    if high.sum() >= 50:
        assert truth[high].mean() >= 0.9


@pytest.mark.parametrize("persons", [3_000, 30_000])
def test_namesake_probability_is_calibrated_or_conservative(persons):
    _assert_calibrated_or_conservative(_population(persons, seed=1))


def test_namesake_model_fits_eleven_channels_and_stays_calibrated_or_conservative():
    # a brand with six social and five CRM channels: the model used to stop at seven
    acc = _population(30_000, seed=4, channels=11)
    assert acc["channel"].nunique() == 11 <= MAX_CHANNELS
    _assert_calibrated_or_conservative(acc)


def test_partition_polynomials_of_the_observed_patterns_match_the_full_table():
    from clusterkit.identity.namesakes import _needed, _partition_polys

    rng = np.random.default_rng(0)
    C = 5
    q = rng.random(1 << C)
    q[0] = 0.0
    full = _partition_polys(q, C, np.arange(1, 1 << C))
    needed = _needed([0b00111, 0b11000])
    part = _partition_polys(q, C, needed)
    np.testing.assert_allclose(part[needed], full[needed], rtol=1e-12)
    assert sorted(needed.tolist()) == [1, 2, 3, 4, 5, 6, 7, 8, 16, 24]
    assert full[0b11111, 1] == pytest.approx(q[0b11111])  # one block: the set itself


def test_em_step_takes_every_subset_at_once_as_one_at_a_time_would():
    import clusterkit.identity.namesakes as ns

    acc = _population(4_000, seed=5, channels=6)
    model = ns.fit_namesakes(acc, iterations=3)
    # the same three EM steps, one subset at a time (the plain reading of the model)
    a = acc[["full_name", "first", "last", "channel"]]
    channels = sorted(a["channel"].unique())
    C = len(channels)
    code = a["channel"].map({c: i for i, c in enumerate(channels)}).to_numpy()
    N = pd.crosstab(a["full_name"].to_numpy(), code).reindex(
        columns=range(C), fill_value=0).to_numpy(float)
    clean = (N <= 1).all(axis=1)
    mask = (N[clean] @ (1 << np.arange(C))).astype(np.int64)
    bits = (np.arange(1 << C)[:, None] >> np.arange(C)[None, :]) & 1
    names = (a.drop_duplicates("full_name").set_index("full_name")
             .reindex(pd.crosstab(a["full_name"].to_numpy(), code).index)[["first", "last"]])
    e, stratum = ns._strata(names)
    pairs, weighted = (N * (N - 1)).sum(axis=1), N.sum(axis=1) * e
    pooled = (pairs.sum() + 1.0) / (weighted.sum() + 1.0)
    shrink = ns._SHRINK * float(np.mean(e))
    n_bins = int(stratum.max()) + 1
    ratio = (np.bincount(stratum, pairs, n_bins) + shrink * pooled) / (
        np.bincount(stratum, weighted, n_bins) + shrink)
    q = np.full(1 << C, 1.0 / ((1 << C) - 1))
    q[0] = 0.0
    for _ in range(3):
        pi = q @ bits
        lam = (ratio * pi.sum() / (pi ** 2).sum())[stratum[clean]] * e[clean]
        poly = ns._partition_polys(q, C, np.arange(1, 1 << C))
        persons = np.zeros(1 << C)
        for A in np.unique(mask):
            la = lam[mask == A]
            z = ns._evaluate(poly[A], la)
            for B in ns._subsets(int(A)):
                persons[B] += q[B] * float((la * ns._evaluate(poly[A ^ B], la) / z).sum())
        q = persons + ns._Q_PRIOR
        q[0] = 0.0
        q /= q.sum()
    np.testing.assert_allclose(model.q, q, rtol=1e-10, atol=1e-14)


def test_namesake_probability_falls_as_the_population_grows():
    means = []
    for persons in (2_000, 40_000):
        acc = _population(persons, seed=2)
        left, right, _ = _name_pairs(acc)
        prob = same_person_probability(acc, left, right)
        means.append(np.nanmean(prob))
    assert means[1] < means[0] - 0.05


def test_namesake_model_is_row_order_invariant():
    acc = _population(5_000, seed=3)
    left, right, _ = _name_pairs(acc)
    prob = same_person_probability(acc, left, right)
    perm = np.random.default_rng(0).permutation(len(acc))
    shuffled = acc.iloc[perm].reset_index(drop=True)
    where = np.empty(len(acc), dtype=np.int64)
    where[perm] = np.arange(len(acc))
    again = same_person_probability(shuffled, where[left], where[right])
    np.testing.assert_allclose(again, prob, rtol=1e-9, equal_nan=True)


def test_namesake_model_leaves_what_it_cannot_judge():
    acc = pd.DataFrame({
        "member_id": list("abcde"), "channel": ["x", "x", "y", "x", None],
        "full_name": ["ann lee", "ann lee", "ann lee", "bo wu", "bo wu"],
        "first": ["ann", "ann", "ann", "bo", "bo"], "last": ["lee", "lee", "lee", "wu", "wu"]})
    prob = same_person_probability(acc, [0, 0, 3], [1, 2, 4])
    assert np.isnan(prob[0]) and np.isnan(prob[1])  # 'ann lee' twice on x: two people
    assert 0.0 < prob[2] <= 1.0  # a missing channel is a channel of its own
    many = pd.DataFrame({"member_id": [str(i) for i in range(MAX_CHANNELS + 1)],
                         "channel": [f"c{i}" for i in range(MAX_CHANNELS + 1)],
                         "full_name": "ann lee", "first": "ann", "last": "lee"})
    assert fit_namesakes(many) is None
    assert np.isnan(same_person_probability(many, [0], [1])).all()


def test_controls_lower_a_pattern_its_same_channel_pairs_contradict():
    rng = np.random.default_rng(0)
    n = 400
    channel = rng.integers(0, 4, size=n)
    left = rng.integers(0, n, size=600)
    right = (left + 1 + rng.integers(0, n - 1, size=600)) % n
    group = np.where(np.arange(600) < 300, 0, 1)
    weight = np.full(600, 8.0)
    # group 1 stands for a key the platform keeps unique per channel: no same-channel pairs
    g1 = group == 1
    right[g1] = np.where(channel[right[g1]] == channel[left[g1]], (right[g1] + 1) % n,
                         right[g1])
    keep = ~g1 | (channel[left] != channel[right])
    weight, group, left, right = weight[keep], group[keep], left[keep], right[keep]
    out = calibrate_to_controls(weight, group, left, right, channel)
    assert (out <= weight + 1e-12).all()  # never stronger
    assert (out[group == 0] < weight[group == 0] - 1.0).all()  # same-channel pairs: lowered
    np.testing.assert_array_equal(out[group == 1], weight[group == 1])
    # the model's expected non-matches across channels now reach the control's count
    sel = group == 0
    cross = sel & (channel[left] != channel[right])
    same = int((sel & (channel[left] == channel[right])).sum())
    acc = np.unique(np.concatenate([left[sel], right[sel]]))
    n_a = np.bincount(channel[acc]).astype(float)
    rho = (n_a * (n_a - 1)).sum() / (n_a.sum() * (n_a.sum() - 1))
    expected = (1.0 / (1.0 + np.exp2(out[cross]))).sum()
    assert expected == pytest.approx(min(same * (1 - rho) / rho, cross.sum()), rel=1e-3)


def test_identity_config_switches_are_documented_parameters():
    cfg = IdentityConfig()
    assert cfg.namesakes and cfg.controls
    assert not IdentityConfig(namesakes=False, controls=False).namesakes
