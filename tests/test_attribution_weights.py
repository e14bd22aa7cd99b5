"""Learned weights move engagement toward what drives conversion; outputs and the CLI."""

import hashlib

import numpy as np
import pandas as pd
import pytest

from clusterkit.attribution import (
    AttributionConfig,
    attribute,
    attribution_outputs,
    build_journeys,
    learned_weights,
    write_attribution,
    write_weights_yaml,
)
from clusterkit.cli.app import main
from clusterkit.config import RunConfig
from clusterkit.data import CommunityData
from clusterkit.errors import ConfigError
from clusterkit.stages.scoring.engagement import EngagementScoring
from clusterkit.synthetic.journeys import (
    DEFAULT_JOURNEY_CHANNELS,
    ChannelEffect,
    generate_journeys,
)
from clusterkit.weights import EngagementWeights, action_weights

EMAIL = ("newsletter_open", "newsletter_click")


@pytest.fixture(scope="module")
def email_only():
    """Only email drives conversion (effect 1.5); every other channel has none."""
    chans = {k: ChannelEffect(v.reach, v.extra, 1.5 if k == "email" else 0.0, v.actions)
             for k, v in DEFAULT_JOURNEY_CHANNELS.items()}
    sj = generate_journeys(6000, channels=chans, seed=0)
    data = CommunityData.from_frames(events=sj.events())
    journeys = build_journeys(data, level="action")
    weights = learned_weights(attribute(journeys, "logistic"), journeys, model="logistic")
    return data, journeys, weights


def _email_share(data, pair_weights):
    s = EngagementScoring().fit(data, weights=EngagementWeights(pairs=pair_weights))
    return s.by_channel_["email"].sum() / s.scores_.sum(), s


def test_learned_weights_rise_for_the_only_driver(email_only):
    data, journeys, weights = email_only
    defaults = action_weights()
    counts = journeys["touch"].astype(str).value_counts()
    flat = {f"{a}@{c}": w for a, ch in weights.items() for c, w in ch.items() if c != "*"}
    for a, ch in weights.items():  # the all-channel weight is the touch-weighted mean
        n = counts.reindex([f"{a}@{c}" for c in ch if c != "*"])
        assert ch["*"] == pytest.approx(np.average([ch[c] for c in ch if c != "*"],
                                                   weights=n), abs=1e-3)
    for a in EMAIL:  # the driver's actions rise above their defaults ...
        assert flat[f"{a}@email"] > defaults[a]
    others = [t for t in flat if not t.endswith("@email")]
    top2 = sorted(flat, key=flat.get)[-2:]
    assert set(top2) == {f"{a}@email" for a in EMAIL}  # ... and are the two heaviest
    # every other touch together loses weight; the total over all touches is unchanged
    n = counts.reindex(others)
    assert (n * pd.Series(flat)[others]).sum() < (n * [defaults[t.split("@")[0]]
                                                       for t in others]).sum() * 0.5
    tot = [(counts * pd.Series(w)).sum() for w in (
        flat, {t: defaults[t.split("@")[0]] for t in flat})]
    assert tot[0] == pytest.approx(tot[1], rel=1e-3)


def test_engagement_and_segments_move_in_the_documented_direction(email_only, tmp_path):
    from clusterkit.pipeline import Pipeline

    data, _, weights = email_only
    before, s0 = _email_share(data, None)
    after, s1 = _email_share(data, weights)
    assert after > before + 0.2  # email's share of all engagement weight rises
    buyers = data.member_index(data.events.loc[data.events["action"] == "purchase",
                                               "member_id"].unique())
    touch_only = {"purchase": {"shop": 0.0}}
    e0 = EngagementScoring().fit(data, weights=EngagementWeights(pairs=touch_only)).scores_
    e1 = EngagementScoring().fit(
        data, weights=EngagementWeights(pairs={**weights, **touch_only})).scores_
    assert e1[buyers].sum() / e1.sum() > e0[buyers].sum() / e0.sum()  # converters gain
    # a run with the YAML file scores the same as the weights themselves
    path = write_weights_yaml(tmp_path / "weights.yaml", weights)
    off = {"attribution": {"enabled": False}}  # engagement and segments do not read it
    cfg = RunConfig(weights_file=str(path), **off)
    runs = [Pipeline(c).run(data) for c in (RunConfig(**off), cfg)]
    assert np.allclose(runs[1].segments.set_index("member_id")["engagement_weight"],
                       pd.Series(s1.scores_, index=data.member_ids))
    share = [r.summary.set_index("segment") for r in runs]
    buying = [s.index[s["conversion_rate"] > 0.5] for s in share]
    assert share[1].loc[buying[1], "engagement_share"].sum() > \
        share[0].loc[buying[0], "engagement_share"].sum()


def test_weight_parameter_errors(email_only):
    _, journeys, _ = email_only
    att = attribute(journeys, "last")
    with pytest.raises(ConfigError, match="no rows of model 'model'"):
        learned_weights(att, journeys)
    with pytest.raises(ConfigError, match="'strength' parameter"):
        learned_weights(att, journeys, model="last", strength=2)
    channel_level = journeys.assign(touch=journeys["touch"].astype(str).str.split("@").str[1])
    with pytest.raises(ConfigError, match="need action-level journeys"):
        learned_weights(att, channel_level, model="last")


def test_outputs_are_identical_for_the_same_seed(tmp_path):
    data = CommunityData.from_frames(events=generate_journeys(3000, seed=6).events())
    cfg = AttributionConfig(models=["last", "markov_2", "shapley_rate", "model"],
                            bootstrap=4, seed=3)
    digests = []
    for name in ("a", "b"):
        paths = write_attribution(tmp_path / name, attribution_outputs(data, cfg))
        digests.append({k: hashlib.sha256(p.read_bytes()).hexdigest()
                        for k, p in paths.items()})
    assert digests[0] == digests[1] and set(digests[0]) == {"journeys", "attribution",
                                                              "weights"}
    csv = pd.read_csv(tmp_path / "a" / "attribution.csv")
    assert csv.columns.tolist() == ["model", "channel", "conversions", "share", "ci_low",
                                    "ci_high"]
    assert attribution_outputs(data.with_tables(events=data.events[
        data.events["action"] != "purchase"]), cfg, missing="skip") == {}
    with pytest.raises(ValueError, match="unknown attribution model"):
        AttributionConfig(models=["lats"])


def test_cli(tmp_path, capsys):
    sj = generate_journeys(3000, seed=8)
    folder = tmp_path / "data"
    folder.mkdir()
    sj.events().to_parquet(folder / "events.parquet", index=False)
    out = tmp_path / "out"
    code = main(["attribute", str(folder), "--out", str(out), "--level", "action",
                 "--bootstrap", "3", "--seed", "1"])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["attribution.csv", "journeys.parquet",
                                                     "weights.yaml"]
    csv = pd.read_csv(out / "attribution.csv")
    assert {"action", "channel"} <= set(csv.columns) and csv["ci_low"].notna().all()
    shown = capsys.readouterr().out
    assert "mk4 = markov_4" in shown and "shR = shapley_rate" in shown
    assert main(["attribute", str(folder), "--model", "modle"]) == 2
    assert "Did you mean 'model'" in capsys.readouterr().err
    assert main(["attribute", str(folder), "--lookback-days", "0"]) == 2
    assert "lookback_days" in capsys.readouterr().err
    assert main(["attribute", str(folder), "--conversions", "signup"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "no conversions" in err


def test_cli_attribute_takes_the_run_config_and_overrides(tmp_path):
    """attribute on a run folder starts from that run's configuration (bootstrap, model
    parameters), and --set reaches nested attribution parameters as in run."""
    from clusterkit.synthetic import generate

    data_dir = generate(400, seed=2).write(tmp_path / "data")
    run = tmp_path / "run"
    assert main(["run", "--data", str(data_dir), "--out", str(run), "--no-report",
                 "--set", "attribution.bootstrap=5"]) == 0
    out = tmp_path / "att"
    assert main(["attribute", str(run), "--out", str(out),
                 "--set", "attribution.params.model.prior_sd=0.1"]) == 0
    att = pd.read_csv(out / "attribution.csv")
    assert att["ci_low"].notna().any()  # the run's 5 bootstrap replicates, not 0
    assert main(["attribute", str(run), "--out", str(tmp_path / "bad"),
                 "--set", "attribution.params.model.bogus=3"]) == 2


def test_weights_refit_keeps_the_channel_fits_choice_of_baseline_bins(monkeypatch):
    # the action-level refit for the weights reads the same spells: it keeps the BIC choice
    # of the channel-level fit (one fit instead of two), and its weights equal those of a
    # refit that chooses again
    from clusterkit.attribution import attribution_config
    from clusterkit.attribution._hazard_terms import BASE_EDGES
    from clusterkit.attribution.hazard import HazardModel
    from clusterkit.synthetic.journeys import generate_journeys

    data = CommunityData.from_frames(events=generate_journeys(1500, seed=2).events())
    cfg = attribution_config(models=["model"], placebo_check=False)
    calls = []
    fit_bins = HazardModel._fit_bins

    def spy(self, arrays, w, init, terms, gate=None):  # the bins, as in attrs
        calls.append("coarse" if np.array_equal(terms.base_edges, BASE_EDGES) else 16)
        return fit_bins(self, arrays, w, init, terms, gate)

    monkeypatch.setattr(HazardModel, "_fit_bins", spy)
    kept = attribution_outputs(data, cfg)
    assert len(calls) == 3  # channel level: coarse and fine; the weights: the one chosen
    assert calls[2] == kept["attribution"].attrs["baseline_bins"] in calls[:2]
    calls.clear()
    again = attribution_outputs(data, attribution_config(
        models=["model"], placebo_check=False, params={"model": {"baseline_bins": "auto"}}))
    assert len(calls) == 4  # set in params: the refit chooses again
    pd.testing.assert_frame_equal(kept["weights"], again["weights"])
