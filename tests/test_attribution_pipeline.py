"""Journeys and attribution inside a run: written to the run folder, read back, skipped when
the data has no conversion."""

import pandas as pd
import pytest

from clusterkit.config import RunConfig, apply_overrides
from clusterkit.data import CommunityData
from clusterkit.pipeline import Pipeline
from clusterkit.results import load_run
from clusterkit.weights import load_weights

FAST = ["attribution.bootstrap=20", "attribution.models=[last, markov_1, model]"]


@pytest.fixture(scope="module")
def run(small_synth, tmp_path_factory):
    data = CommunityData.from_frames(**small_synth.tables)
    result = Pipeline(apply_overrides(RunConfig(), FAST)).run(data)
    return result, result.save(tmp_path_factory.mktemp("att") / "run")


def test_run_folder_has_journeys_attribution_and_weights(run, small_synth):
    result, out = run
    att = pd.read_csv(out / "attribution.csv")
    assert sorted(att["model"].unique()) == ["last", "markov_1", "model"]
    assert set(att.columns) >= {"model", "channel", "conversions", "share", "ci_low", "ci_high"}
    # last touch credits exactly the conversions that have a touch in the lookback window
    journeys = pd.read_parquet(out / "journeys.parquet")
    converted = journeys.drop_duplicates("journey_id")["converted"].sum()
    assert att.loc[att["model"] == "last", "conversions"].sum() == pytest.approx(converted)
    assert (att["ci_low"] <= att["share"] + 1e-9).all() and (att["share"] <= att["ci_high"]
                                                             + 1e-9).all()
    actions, pairs = load_weights(out / "weights.yaml")  # readable by weights_file
    assert actions or pairs
    assert "attribution" in result.manifest["timings_s"]


def test_attribution_survives_load_run(run):
    result, out = run
    back = load_run(out).attribution
    pd.testing.assert_frame_equal(
        back["attribution"].reset_index(drop=True),
        result.attribution["attribution"].reset_index(drop=True), check_dtype=False)
    assert len(back["journeys"]) == len(result.attribution["journeys"])


def test_no_conversion_skips_with_a_warning(small_synth):
    tables = dict(small_synth.tables)
    tables["events"] = tables["events"][tables["events"]["action"] != "purchase"]
    result = Pipeline(apply_overrides(RunConfig(), FAST)).run(
        CommunityData.from_frames(**tables))
    assert result.attribution == {}
    assert any("no conversion event (purchase)" in w for w in result.manifest["warnings"])


def test_a_run_where_every_journey_converts_completes_with_a_warning(tmp_path):
    """Degenerate but valid data: every member buys. ``logistic`` has nothing to contrast;
    its rows are empty and a warning says why, the other models and the weights stand."""
    ts = pd.Timestamp("2026-01-01", tz="UTC")
    events = pd.DataFrame({
        "member_id": ["a", "a", "b", "b", "c", "c"],
        "action": ["like", "purchase", "comment", "purchase", "like", "purchase"],
        "channel": ["twitter", "shop", "instagram", "shop", "twitter", "shop"],
        "timestamp": [ts, ts + pd.Timedelta(days=1), ts, ts + pd.Timedelta(days=2), ts,
                      ts + pd.Timedelta(days=3)],
        "target_id": ["b", None, "a", None, "a", None]})
    follows = pd.DataFrame({"follower_id": ["a", "b", "c"], "followee_id": ["b", "a", "a"]})
    data = CommunityData.from_frames(events=events, follows=follows)
    result = Pipeline(apply_overrides(RunConfig(), ["attribution.bootstrap=5"])).run(data)
    att = result.attribution["attribution"]
    assert att.loc[att["model"] == "logistic", "share"].isna().all()
    assert att.loc[att["model"] == "last", "share"].sum() == pytest.approx(1.0)
    assert any("'logistic' credits no conversion" in w for w in result.manifest["warnings"])
    assert not any("placebo" in w for w in result.manifest["warnings"])  # too few to check
    weights = result.attribution["weights"]
    assert len(weights) and weights["weight"].notna().all() and (weights["weight"] >= 0).all()


def _events(rows):
    return pd.DataFrame(rows, columns=["member_id", "action", "channel", "timestamp",
                                       "target_id"])


@pytest.mark.parametrize("case", ["only_purchases", "same_instant", "old_touch_only"])
def test_valid_data_with_little_to_attribute_still_runs(case):
    """Found by the issue 15 fuzz: purchases with no touch before them, a conversion at the
    same instant as the spell's only touch, and a touch type seen only outside the lookback
    window. Each is valid data: the run completes, attribution says what it skipped."""
    t = pd.Timestamp("2026-03-01", tz="UTC")
    day = pd.Timedelta(days=1)
    if case == "only_purchases":
        rows = [("a", "purchase", "shop", t, None), ("b", "purchase", "shop", t + day, None)]
    elif case == "same_instant":
        rows = [("a", "like", "twitter", t, "b"), ("a", "purchase", "shop", t, None),
                ("b", "comment", "twitter", t, "a"), ("b", "purchase", "shop", t, None)]
    else:
        rows = [("a", "blog_post", "blog", t - 90 * day, None), ("a", "like", "ig", t, "b"),
                ("a", "purchase", "shop", t + day, None), ("b", "like", "ig", t, "a"),
                ("c", "like", "ig", t + 2 * day, "a")]
    follows = pd.DataFrame({"follower_id": ["a", "b"], "followee_id": ["b", "a"]})
    data = CommunityData.from_frames(events=_events(rows), follows=follows)
    result = Pipeline(apply_overrides(RunConfig(), ["attribution.bootstrap=3"])).run(data)
    assert len(result.segments) == data.n_members
    att = result.attribution.get("attribution")
    if att is None:
        assert any(w.startswith("attribution: skipped") for w in result.manifest["warnings"])
    else:
        assert att["share"].isna().any() or att.groupby("model")["share"].sum().round(6).eq(
            1.0).all()


@pytest.mark.parametrize("level", ["channel", "action"])
def test_other_models_beside_the_weights_refit_give_the_same_outputs(level, monkeypatch):
    # with two cores the models other than the default run beside the journeys' channel
    # view and the weights' refit, in two calls instead of one: the same frames, rows in
    # the order of the config's models, whatever the cores
    import clusterkit.provenance as provenance
    from clusterkit.attribution import attribution_config, attribution_outputs
    from clusterkit.synthetic.journeys import generate_journeys

    data = CommunityData.from_frames(events=generate_journeys(1200, seed=5).events())
    cfg = attribution_config(models=["last", "model", "markov", "logistic"], level=level,
                             bootstrap=3, params={"markov": {"order": 2}})
    outs = {}
    for cores in (1, 2):
        monkeypatch.setattr(provenance, "usable_cores", lambda cores=cores: cores)
        outs[cores] = attribution_outputs(data, cfg)
    assert sorted(outs[1]) == sorted(outs[2]) == ["attribution", "checks", "journeys",
                                                  "weights"]
    for name in outs[1]:
        pd.testing.assert_frame_equal(outs[1][name], outs[2][name], check_exact=True)
    assert pd.unique(outs[2]["attribution"]["model"]).tolist() == [
        "last", "model", "markov_2", "logistic"]
    with pytest.raises(ValueError, match="params given for model 'first'"):
        attribution_outputs(data, attribution_config(models=["model"],
                                                     params={"first": {}}))
    # every model's parameters are checked before the default model's fit, not after it
    import clusterkit.attribution.api as api

    monkeypatch.setattr(api, "_run", lambda *a, **k: pytest.fail("a model ran"))
    with pytest.raises(ValueError, match="unknown parameter 'depth' for attribution model"):
        attribution_outputs(data, attribution_config(models=["model", "markov"],
                                                     params={"markov": {"depth": 2}}))
