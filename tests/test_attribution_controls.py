"""Negative controls: a channel declared null, and what the default model gives it (issue 17).

Planted structure: a conversion process in time. A hidden purchase intent (30 % of persons)
raises the rate of buying tenfold. ``email`` reaches everyone alike and causes purchases;
``social`` reaches everyone alike and causes nothing; ``display`` causes nothing and reaches
the high-intent persons twelve times as often (retargeting: it follows buyers). The placebo
check cannot see the confounding (its placebo is not tied to intent); a declared negative
control can. Where the model holds (``temporal_events`` of the hazard tests: no intent), the
same check on its null channel passes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterkit.attribution import AttributionConfig, attribution_outputs
from clusterkit.attribution.controls import control_limit, touch_channels
from clusterkit.attribution.outputs import attribution_config, check_warnings
from clusterkit.data import CommunityData
from clusterkit.errors import ConfigError


def intent_events(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    intent = rng.random(n) < 0.3
    rates = {"email": np.full(n, 1.5), "social": np.full(n, 2.0),
             "display": np.where(intent, 6.0, 0.5)}
    rows = []
    for channel, rate in rates.items():
        k = rng.poisson(rate)
        person = np.repeat(np.arange(n), k)
        t = rng.uniform(0, 60, len(person))
        fire = (rng.random(len(person)) < (0.08 if channel == "email" else 0.0))
        rows.append(pd.DataFrame({"p": person, "t": t, "channel": channel,
                                  "fire": np.where(fire, t + rng.exponential(2.0, len(t)),
                                                   np.inf)}))
    rows.append(pd.DataFrame({"p": np.arange(n), "t": 0.0, "channel": "signup",
                              "fire": np.inf}))  # every spell starts on day 0
    touches = pd.concat(rows, ignore_index=True)
    caused = np.full(n, np.inf)
    np.minimum.at(caused, touches["p"].to_numpy(), touches["fire"].to_numpy())
    base = rng.exponential(1.0 / np.where(intent, 0.02, 0.002))
    buy = np.minimum(caused, base)
    buy[buy > 60] = np.inf
    touches = touches[touches["t"] < buy[touches["p"]]]
    buyers = np.flatnonzero(np.isfinite(buy))
    conv = pd.DataFrame({"p": buyers, "t": buy[buyers], "channel": "shop"})
    ev = pd.concat([touches[["p", "t", "channel"]], conv], ignore_index=True)
    start = pd.Timestamp("2026-01-01", tz="UTC")
    return pd.DataFrame({
        "member_id": "m" + ev["p"].astype(str).str.zfill(6),
        "action": np.where(ev["channel"] == "shop", "purchase", "view"),
        "channel": ev["channel"], "timestamp": start + pd.to_timedelta(ev["t"], unit="D")})


def _checks(events, controls, **kw):
    cfg = AttributionConfig(models=["model"], learn_weights=False, negative_controls=controls,
                            **kw)
    return attribution_outputs(CommunityData.from_frames(events=events), cfg)


@pytest.fixture(scope="module")
def confounded():
    return intent_events(8000, seed=1)


def test_a_retargeted_null_channel_fails_and_warns_where_the_placebo_passes(confounded):
    out = _checks(confounded, ["display", "social"])
    checks = out["checks"].set_index("check")
    assert checks.loc["placebo_share", "passed"]  # the placebo cannot see it
    assert not checks.loc["negative_control:display", "passed"]
    assert checks.loc["negative_control:display", "value"] > 2 * control_limit(1000)
    assert checks.loc["negative_control:social", "passed"]  # null, but not tied to intent
    warnings = check_warnings(out)
    assert len(warnings) == 1 and "'display'" in warnings[0] and "not causal" in warnings[0]
    # the witness: without the control declared, nothing warns
    assert check_warnings(_checks(confounded, [])) == []


def test_a_null_channel_passes_where_the_model_holds():
    from test_attribution_hazard import temporal_events  # no intent; "noise" is null

    out = _checks(temporal_events(8000, seed=1), ["noise"], placebo_check=False)
    assert out["checks"]["check"].tolist() == ["negative_control:noise"]
    assert out["checks"]["passed"].all()
    assert check_warnings(out) == []


def test_controls_match_channels_at_action_level(confounded):
    out = _checks(confounded, ["display"], level="action", placebo_check=False)
    assert not out["checks"]["passed"].iloc[0]
    assert touch_channels(["view@display", "display", "a@b@c"]).tolist() == [
        "display", "display", "b@c"]


def test_the_checks_do_not_depend_on_row_order(confounded):
    shuffled = confounded.sample(frac=1.0, random_state=3).reset_index(drop=True)
    a = _checks(confounded, ["display"], placebo_check=False)["checks"]
    b = _checks(shuffled, ["display"], placebo_check=False)["checks"]
    pd.testing.assert_frame_equal(a, b)


def test_bad_controls_are_named():
    events = intent_events(600, seed=4)
    with pytest.raises(ConfigError, match=r"'dispaly' is not a channel.*Did you mean 'display'"):
        _checks(events, ["dispaly"])
    with pytest.raises(ConfigError, match="add 'model' to attribution.models"):
        attribution_outputs(CommunityData.from_frames(events=events), AttributionConfig(
            models=["last"], learn_weights=False, negative_controls=["display"]))
    with pytest.raises(ConfigError, match="negative_controls: a negative control must name"):
        attribution_config(negative_controls=[" "])
    with pytest.raises(ConfigError, match="listed once"):
        attribution_config(negative_controls=["display", "display"])


def test_cli_attribute_warns_on_a_credited_control_and_refuses_an_unknown_one(tmp_path,
                                                                               capsys):
    from clusterkit.cli.app import main

    folder = tmp_path / "data"
    folder.mkdir()
    intent_events(3000, seed=5).to_csv(folder / "events.csv", index=False)  # ns timestamps
    out = tmp_path / "out"
    assert main(["attribute", str(folder), "--out", str(out), "--bootstrap", "0",
                 "--set", "attribution.negative_controls=[display]"]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "warning: attribution: channel 'display', declared to have no effect" in err
    assert main(["attribute", str(folder), "--out", str(tmp_path / "bad"),
                 "--set", "attribution.negative_controls=[dispaly]"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Did you mean 'display'?" in err[0]
    assert not (tmp_path / "bad").exists()
