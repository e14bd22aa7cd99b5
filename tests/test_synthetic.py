"""Tests of the synthetic data generator (clusterkit.synthetic.community)."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from clusterkit.data.schema import TABLES
from clusterkit.synthetic.community import ROLES, SyntheticData, generate


@pytest.fixture(scope="module")
def sd() -> SyntheticData:
    return generate(3000, seed=7)


def _amplifiers(sd: SyntheticData) -> pd.Series:
    """Distinct members amplifying each member (share / retweet / mention / reply)."""
    e = sd.tables["events"]
    amp = e[e["action"].isin(["share", "retweet", "mention", "reply"]) & e["target_id"].notna()]
    distinct = amp.groupby("target_id")["member_id"].nunique()
    return distinct.reindex(sd.truth.index, fill_value=0)


def test_deterministic_per_seed():
    a, b, c = generate(400, seed=3), generate(400, seed=3), generate(400, seed=4)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])
    pd.testing.assert_frame_equal(a.truth, b.truth)
    assert a.params == b.params
    assert not a.tables["events"].equals(c.tables["events"])
    assert not a.tables["follows"].equals(c.tables["follows"])


def test_contract_columns_and_sorting(sd):
    for name, spec in TABLES.items():
        df = sd.tables[name]
        assert set(spec.required) <= set(df.columns), name
        assert set(df.columns) <= set(spec.columns), name
    m, e, f = sd.tables["members"], sd.tables["events"], sd.tables["follows"]
    assert len(m) == 3000 and m["member_id"].is_unique and m["member_id"].is_monotonic_increasing
    assert m["member_id"].iloc[0] == "m000000"
    assert (sd.truth.index == m["member_id"]).all()
    assert e.equals(e.sort_values(["member_id", "timestamp", "action"], ignore_index=True))
    assert f.equals(f.sort_values(["follower_id", "followee_id"], ignore_index=True))
    ts = pd.to_datetime(e["timestamp"], utc=True, format="ISO8601")
    assert ts.min() >= pd.Timestamp("2026-01-01", tz="UTC")
    assert ts.max() < pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(days=180)
    assert e["timestamp"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").all()


def test_events_are_plausible(sd):
    e = sd.tables["events"]
    per_member = len(e) / len(sd.tables["members"])
    assert 15 <= per_member <= 30
    fixed = {
        "newsletter_open": "newsletter",
        "blog_post": "blog",
        "event_attend": "events",
        "purchase": "shop",
    }
    for action, channel in fixed.items():
        assert (e.loc[e["action"] == action, "channel"] == channel).all(), action
    social = ~e["action"].isin([*fixed, "newsletter_click", "follow"])
    assert e.loc[social, "channel"].isin(["twitter", "instagram"]).all()
    targeted = e["action"].isin(["like", "comment", "share", "retweet", "reply", "mention"])
    assert e.loc[targeted, "target_id"].notna().all()
    assert e.loc[~targeted & (e["action"] != "follow"), "target_id"].isna().all()
    assert (e["target_id"] != e["member_id"]).all()
    buy = e["action"] == "purchase"
    assert (e.loc[buy, "value"] > 0).all() and e.loc[~buy, "value"].isna().all()
    buyers = set(e.loc[buy, "member_id"])
    assert (sd.truth["converted"] == sd.truth.index.isin(buyers)).all()
    rate = sd.truth.groupby("role")["converted"].mean()
    assert rate["fan"] == rate.max()
    # some followers exist only in the graph and members table
    n_events = e.groupby("member_id").size().reindex(sd.truth.index, fill_value=0)
    assert (n_events[sd.truth["role"] == "follower"] == 0).any()


def test_no_self_or_duplicate_follows(sd):
    f = sd.tables["follows"]
    assert not (f["follower_id"] == f["followee_id"]).any()
    assert not f.duplicated(["follower_id", "followee_id"]).any()
    brand = f["followee_id"] == "brand"
    assert "brand" not in set(sd.tables["members"]["member_id"])
    assert 0.3 < brand.sum() / len(sd.tables["members"]) < 0.5


@pytest.mark.parametrize("mixing", [0.1, 0.3, 0.5])
def test_realised_mixing(mixing):
    sd = generate(2500, mixing=mixing, seed=11)
    f = sd.tables["follows"]
    f = f[f["followee_id"] != "brand"]
    comm = sd.truth["community"]
    cross = comm.loc[f["follower_id"]].to_numpy() != comm.loc[f["followee_id"]].to_numpy()
    assert abs(cross.mean() - mixing) < 0.05


def test_communities_unequal_and_large_enough(sd):
    sizes = sd.truth["community"].value_counts()
    assert len(sizes) == sd.params["n_communities"] == max(4, round(3000**0.5 / 6))
    assert sizes.min() >= 20 and sizes.max() > 1.5 * sizes.min()


def test_in_degree_heavy_tailed(sd):
    f = sd.tables["follows"]
    indeg = f.loc[f["followee_id"] != "brand", "followee_id"].value_counts()
    indeg = indeg.reindex(sd.truth.index, fill_value=0)
    assert indeg.max() > 10 * indeg.median()
    by_role = indeg.groupby(sd.truth["role"]).median()
    assert by_role["influencer"] > by_role["blogger"] > by_role["fan"] >= by_role["follower"]


def test_role_shares():
    sd = generate(4000, seed=5)
    share = sd.truth["role"].value_counts(normalize=True)
    for role, expected in zip(ROLES, (0.02, 0.08, 0.30, 0.60), strict=True):
        assert abs(share[role] - expected) < 0.01 + 0.1 * expected, role
    for _, roles in sd.truth.groupby("community")["role"]:  # every community has the mix
        if len(roles) >= 100:
            assert abs((roles == "fan").mean() - 0.3) < 0.05
    custom = generate(1000, role_shares={"blogger": 1, "follower": 3}, seed=5)
    share = custom.truth["role"].value_counts(normalize=True)
    assert set(share.index) == {"blogger", "follower"}
    assert abs(share["follower"] - 0.75) < 0.02


def test_influencers_are_amplified(sd):
    distinct = _amplifiers(sd).groupby(sd.truth["role"]).mean()
    assert distinct["influencer"] > 3 * distinct.drop("influencer").max()
    assert distinct["blogger"] > distinct["fan"] > distinct["follower"]


def test_bought_followers(sd):
    truth, members = sd.truth, sd.tables["members"].set_index("member_id")
    bought = truth["bought_followers"]
    assert 0.02 < bought.mean() < 0.08 and not bought[truth["role"] == "influencer"].any()
    normal = ~bought & (truth["role"] != "influencer")
    followers = members["followers"]
    assert followers[bought].median() > followers[normal].quantile(0.9)
    e = sd.tables["events"]
    engaged = e.loc[e["action"] != "follow", "target_id"].value_counts()
    assert not engaged.index.isin(truth.index[bought]).any()
    assert _amplifiers(sd)[bought].mean() < _amplifiers(sd)[truth["role"] == "influencer"].mean()


def test_roles_overlap_not_trivially_separable(sd):
    """No single action count separates fans from followers perfectly."""
    e, role = sd.tables["events"], sd.truth["role"]
    counts = pd.crosstab(e["member_id"], e["action"]).reindex(role.index, fill_value=0)
    total = counts.sum(axis=1)
    fans, followers = total[role == "fan"], total[role == "follower"]
    assert (fans < followers.median()).mean() > 0.01
    assert (followers > fans.median()).mean() > 0.005
    blogs = counts["blog_post"]
    assert (blogs[role == "blogger"] == 0).any()


@pytest.mark.parametrize("fmt", ["csv", "csv.gz", "parquet", "jsonl"])
def test_write_round_trip(tmp_path, fmt):
    sd = generate(300, seed=2)
    out = sd.write(tmp_path / "ds", format=fmt)
    assert (out / "truth.csv").exists()
    for name, df in sd.tables.items():
        path = out / f"{name}.{fmt}"
        if fmt == "parquet":
            back = pd.read_parquet(path)
        elif fmt == "jsonl":
            back = pd.read_json(path, lines=True, dtype=False)
        else:
            back = pd.read_csv(path, dtype=str)
        assert len(back) == len(df) and list(back.columns) == list(df.columns)
    truth = pd.read_csv(out / "truth.csv", index_col="member_id")
    assert truth.index.tolist() == sd.truth.index.tolist()
    with pytest.raises(ValueError, match="format"):
        sd.write(tmp_path / "x", format="xlsx")


def test_invalid_arguments():
    with pytest.raises(ValueError, match="mixing"):
        generate(100, mixing=1.5)
    with pytest.raises(ValueError, match="role_shares"):
        generate(100, role_shares={"guru": 1.0})
    with pytest.raises(ValueError, match="social"):
        generate(100, channels=("newsletter", "shop"))
    with pytest.raises(ValueError, match="brand_id"):
        generate(100, brand_id="m000001")


def test_custom_channels_and_small_sizes():
    sd = generate(60, channels=("twitter", "newsletter"), seed=1)
    assert set(sd.tables["events"]["channel"]) <= {"twitter", "newsletter"}
    assert not sd.truth["converted"].any()  # no shop, no purchases
    assert len(generate(2, seed=0).tables["members"]) == 2


def test_validates_as_community_data():
    from clusterkit.data.dataset import CommunityData

    sd = generate(800, seed=4)
    data = CommunityData.from_frames(**sd.tables)
    assert data.n_members == 800
    assert list(data.outside_ids) == ["brand"]


def test_speed_20k():
    t = time.perf_counter()
    sd = generate(20000, seed=0)
    elapsed = time.perf_counter() - t
    assert elapsed < 15.0  # target < 5 s; generous bound for slow CI
    assert 300_000 <= len(sd.tables["events"]) <= 600_000
    assert np.isclose(sum(sd.params["role_shares"].values()), 1.0)
