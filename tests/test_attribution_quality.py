"""The default model against planted effects; bootstrap intervals and their seeds."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from clusterkit.attribution import attribute, compare_models
from clusterkit.attribution._arrays import prepare
from clusterkit.attribution.model import ConversionModel
from clusterkit.synthetic.journeys import generate_journeys


@pytest.fixture(scope="module")
def planted():
    return generate_journeys(50_000, seed=21)


def _tv(res, truth):
    share = res.set_index("touch")["share"].reindex(truth.index)
    return 0.5 * float(np.abs(share - truth["true_share"]).sum()), share


def test_logistic_model_recovers_planted_shares(planted):
    """The logistic model on the generator written from its own assumptions (decision at
    the journey's end; the default hazard model is tested on a temporal process in
    tests/test_attribution_hazard.py)."""
    tv, share = _tv(attribute(planted.journeys, "logistic"), planted.truth)
    assert tv < 0.1
    assert spearmanr(share, planted.truth["true_share"]).statistic >= 0.9
    # the touch-frequency baselines do not: they rank the frequent, weak channels first
    for name in ("last", "markov_2", "shapley_count"):
        tv_base, base = _tv(attribute(planted.journeys, name), planted.truth)
        assert tv_base > 0.3 > tv
        assert spearmanr(base, planted.truth["true_share"]).statistic < 0.5


def test_model_credit_adds_up_to_the_conversions(planted):
    a = prepare(planted.journeys[planted.journeys["journey_id"] < 20_000])
    m = ConversionModel().fit(a)
    total = m.credit_(a).sum() + m.baseline_conversions(a)
    assert total == pytest.approx(a.converted.sum(), rel=0.01)  # logistic MLE: sum p = sum y
    removal = ConversionModel(credit="removal").fit(a).credit_(a)
    assert np.argmax(removal) == np.argmax(m.credit_(a))


def test_bootstrap_is_seeded_and_covers_the_zero_effect_channel(planted):
    small = prepare(planted.journeys[planted.journeys["journey_id"] < 20_000])
    a = attribute(small, "logistic", bootstrap=20, random_state=4).set_index("touch")
    b = attribute(small, "logistic", bootstrap=20, random_state=4).set_index("touch")
    c = attribute(small, "logistic", bootstrap=20, random_state=5).set_index("touch")
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["ci_low"], c["ci_low"])
    assert (a["ci_low"] <= a["share"]).all() and (a["share"] <= a["ci_high"]).all()
    assert a.loc["video", "ci_low"] < 0 < a.loc["video", "ci_high"]
    assert a.loc["search", "ci_low"] > 0.1  # a strong channel is clearly above 0


def test_action_level_merges_into_channels(planted):
    sj = generate_journeys(8000, seed=9)
    by_action = sj.action_journeys()
    merged = compare_models(by_action, ["last", "markov_2"], level="channel")
    direct = compare_models(sj.journeys, ["last", "markov_2"])
    pd.testing.assert_frame_equal(merged, direct)
