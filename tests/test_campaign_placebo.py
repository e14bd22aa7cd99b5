"""Own-trend incrementality, placebo checks and the community shift on small planted data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterkit.campaign import run_campaign
from clusterkit.campaign.placebo import material_size, placebo_fails, placebo_note
from clusterkit.data import CommunityData

START = pd.Timestamp("2025-01-01", tz="UTC")


def _latent(n=3000, seed=0, trend=False, season=0.0, n_ad=300):
    """Members with latent purchase rates; blogger A's retweeters chosen on the rate.

    ``trend``: A's retweeters' rates grow by 1 % a day over the whole data (a trend of their
    own, no campaign effect). ``season``: everyone buys that much more in the window.
    """
    rng = np.random.default_rng(seed)
    days = 150
    lam = np.exp(np.log(0.03) - 0.5 + rng.standard_normal(n))
    chosen = rng.choice(n, n_ad, replace=False, p=lam / lam.sum())
    d = np.arange(days)
    rate = np.repeat(lam[:, None], days, axis=1)
    rate[:, 120:127] *= 1 + season
    if trend:
        rate[chosen] *= 1 + 0.01 * d[None, :]
    k = rng.poisson(rate)
    who, day = np.nonzero(k)
    who, day = who.repeat(k[who, day]), day.repeat(k[who, day])
    ids = np.array([f"m{i:05d}" for i in range(n + 1)], dtype=object)
    blog = ids[n]
    t = START + pd.to_timedelta(day + rng.random(len(day)), unit="D")
    buys = pd.DataFrame({"member_id": ids[who], "action": "purchase", "timestamp": t,
                         "target_id": None})
    rt = pd.DataFrame({"member_id": ids[chosen], "action": "retweet",
                       "timestamp": START + pd.to_timedelta(120 + 3 * rng.random(n_ad),
                                                            unit="D"),
                       "target_id": blog})
    post = pd.DataFrame({"member_id": [blog], "action": ["post"],
                         "timestamp": [START + pd.Timedelta(days=120)], "target_id": [None]})
    views = pd.DataFrame({"member_id": ids[rng.integers(0, n, 4 * n)], "action": "view",
                          "timestamp": START + pd.to_timedelta(rng.random(4 * n) * days,
                                                               unit="D"), "target_id": None})
    events = pd.concat([buys, rt, post, views], ignore_index=True)
    members = pd.DataFrame({"member_id": ids,
                            "created_at": START - pd.Timedelta(days=30)})
    spec = {"bloggers": [{"member": blog, "label": "A"}],
            "window": {"start": "2025-05-01", "end": "2025-05-08"},
            "pre_period": {"start": "2025-01-01", "end": "2025-05-01"},
            "bootstrap": 400}
    return CommunityData.from_frames(events=events, members=members), spec


@pytest.fixture(scope="module")
def latent_card():
    data, spec = _latent(seed=3)
    return run_campaign(spec, data, attribution=False)


def test_latent_selection_without_effect_covers_zero(latent_card):
    card = latent_card.cards.iloc[0]
    assert card["adopters_incremental_ci_low"] <= 0 <= card["adopters_incremental_ci_high"]
    assert card["adopters_own_trend_ci_low"] <= 0 <= card["adopters_own_trend_ci_high"]
    assert card["incremental_ci_low"] <= 0 <= card["incremental_ci_high"]
    # the history-matched estimate regresses to the mean: well above the own-trend one
    assert card["adopters_history_matched_conversions"] > card[
        "adopters_incremental_conversions"]


def test_placebo_fields_on_cards_and_outputs(latent_card, tmp_path):
    cards = latent_card.cards
    for col in ("placebo_dates", "placebo_dates_ci_low", "placebo_dates_ci_high",
                "placebo_lookalike", "placebo_lookalike_ci_low", "placebo_lookalike_ci_high",
                "placebo_note", "adopters_placebo_dates", "community_shift",
                "community_shift_ci_low", "community_shift_ci_high"):
        assert col in cards.columns
    assert np.isfinite(cards["placebo_dates"]).all() and cards["placebo_n_dates"].iloc[0] == 3
    shift = latent_card.manifest["community_shift"]["conversions"]
    assert shift["ci_low"] <= 1.0 <= shift["ci_high"]  # nothing seasonal planted
    out = latent_card.save(tmp_path / "camp")
    saved = pd.read_csv(out / "campaign.csv")
    assert "placebo_dates" in saved.columns and "placebo_note" in saved.columns
    html = (out / "campaign.html").read_text()
    assert "placebo: fake dates" in html and "placebo check" in html


def test_card_flags_a_failing_placebo():
    data, spec = _latent(seed=1, trend=True)
    card = run_campaign(spec, data, attribution=False).cards.iloc[0]
    assert card["adopters_placebo_dates_ci_low"] > 0  # the exposed's own trend shows early
    assert "PLACEBO FAILS on fake dates" in card["adopters_placebo_note"]


def test_community_shift_is_reported_and_not_credited():
    data, spec = _latent(seed=2, season=0.5)
    res = run_campaign(spec, data, attribution=False)
    card = res.cards.iloc[0]
    assert card["community_shift_ci_low"] > 0  # everyone bought more in the window
    assert card["adopters_own_trend_ci_low"] <= 0 <= card["adopters_own_trend_ci_high"]


def test_placebo_rules():
    # clearly and materially away from 0 (the estimate's standard error is 17)
    assert placebo_fails(-20.0, -35.0, -5.0, 17.0)
    assert not placebo_fails(-8.0, -14.0, -2.0, 17.0)  # excludes 0 but small: not flagged
    assert not placebo_fails(25.0, -5.0, 55.0, 17.0)  # large but noisy: not flagged
    assert not placebo_fails(float("nan"), 0, 0, 1.0)
    card = {"incremental_conversions": 40.0, "incremental_ci_low": 20.0,
            "incremental_ci_high": 60.0, "own_trend_ci_low": 20.0, "own_trend_ci_high": 60.0,
            "placebo_dates": 25.0, "placebo_dates_ci_low": 5.0,
            "placebo_dates_ci_high": 45.0, "placebo_lookalike": 1.0,
            "placebo_lookalike_ci_low": -9.0, "placebo_lookalike_ci_high": 11.0}
    assert material_size(20.0, 60.0) == pytest.approx(10.2, abs=0.05)
    assert placebo_note(card).startswith("PLACEBO FAILS on fake dates")
    card |= {"placebo_dates": 6.0, "placebo_dates_ci_low": 1.0, "placebo_dates_ci_high": 11.0}
    assert placebo_note(card) == "placebos near zero"  # narrowly excludes 0, not material
    card |= {"placebo_lookalike": -30.0, "placebo_lookalike_ci_low": -50.0,
             "placebo_lookalike_ci_high": -10.0}
    note = placebo_note(card)
    assert note.startswith("HISTORY CHECK") and "PLACEBO FAILS" not in note


def test_cards_rank_by_lower_bound(latent_card):
    cards = latent_card.cards
    for pre in ("", "adopters_"):
        assert sorted(cards[f"{pre}rank"]) == list(range(1, len(cards) + 1))
        assert cards[f"{pre}prob_best"].sum() == pytest.approx(1.0)
        first = cards.loc[cards[f"{pre}rank"] == 1].iloc[0]
        assert first[f"{pre}incremental_ci_low"] == cards[f"{pre}incremental_ci_low"].max()


def test_estimates_do_not_depend_on_row_order(latent_card):
    data, spec = _latent(seed=3)
    shuffled = CommunityData.from_frames(
        events=data.events.sample(frac=1.0, random_state=5).reset_index(drop=True),
        members=data.members.reset_index().sample(frac=1.0, random_state=6))
    again = run_campaign(spec, shuffled, attribution=False).cards
    cols = ["incremental_conversions", "incremental_ci_low", "incremental_ci_high",
            "placebo_dates", "placebo_lookalike", "community_shift"]
    np.testing.assert_allclose(again[cols].to_numpy(float),
                               latent_card.cards[cols].to_numpy(float), rtol=1e-9)
