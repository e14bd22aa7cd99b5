"""Journeys: windows, ties, persons, the generator round trip, row order and errors."""

import numpy as np
import pandas as pd
import pytest

from clusterkit.attribution import build_journeys, to_channel_level, write_journeys
from clusterkit.data import CommunityData
from clusterkit.errors import ConfigError, DataError
from clusterkit.synthetic.journeys import generate_journeys


def _events():
    rows = [  # member, action, channel, day
        ("a", "view", "web", 1), ("a", "like", "x", 5), ("a", "purchase", "shop", 6),
        ("a", "view", "web", 6),  # same instant as the purchase: belongs to it
        ("a", "like", "x", 10), ("a", "purchase", "shop", 12),
        ("a", "view", "web", 14),  # after the last purchase: non-converting journey
        ("b", "view", "web", 2), ("b", "like", "x", 40),  # b never buys
        ("c", "view", "web", 3), ("c", "purchase", "shop", 45),  # touch outside lookback
    ]
    start = pd.Timestamp("2026-01-01", tz="UTC")
    return pd.DataFrame({"member_id": [r[0] for r in rows], "action": [r[1] for r in rows],
                         "channel": [r[2] for r in rows],
                         "timestamp": [start + pd.Timedelta(days=r[3]) for r in rows],
                         "value": [10.0 if r[1] == "purchase" else np.nan for r in rows]})


def test_windows_ties_and_non_converting():
    j = build_journeys(CommunityData.from_frames(events=_events()), lookback_days=30)
    got = {(p, int(jid)): list(g["touch"].astype(str)) for (p, jid), g in
           j.groupby(["person_id", "journey_id"], sort=True)}
    # a: [web, x, web] -> purchase day 6; [x] -> purchase day 12; a's day-14 view is 31
    # days before the end of the data (day 45), outside the window of a non-converting
    # journey; b: only the day-40 like is within 30 days of the end; c's touch is too old
    assert got == {("a", 0): ["web", "x", "web"], ("a", 1): ["x"], ("b", 2): ["x"]}
    first = j.drop_duplicates("journey_id").set_index("journey_id")
    assert first["converted"].tolist() == [True, True, False]
    assert first["conversion_value"].tolist() == [10.0, 10.0, 0.0]
    assert (j["timestamp"] <= j["journey_end"]).all()
    assert j["step"].tolist() == [0, 1, 2, 0, 0]


def test_lookback_and_action_level():
    data = CommunityData.from_frames(events=_events())
    short = build_journeys(data, lookback_days=3, level="action")
    assert short["touch"].astype(str).tolist() == ["like@x", "view@web", "like@x"]
    assert short.drop_duplicates("journey_id")["converted"].tolist() == [True, True]
    assert to_channel_level(short)["touch"].astype(str).tolist() == ["x", "web", "x"]
    assert build_journeys(data, lookback_days=2)["touch"].astype(str).tolist() == ["x", "web"]


def test_persons_merge_accounts():
    ev = _events()
    members = pd.DataFrame({"member_id": ["a", "b", "c"], "person_id": ["P1", "P1", "P2"]})
    j = build_journeys(CommunityData.from_frames(members=members, events=ev))
    assert set(j["person_id"]) == {"P1"}  # P2 (c) has no touch in its window
    by = j.groupby("journey_id")["touch"].agg(lambda s: list(s.astype(str)))
    # b's day-2 view joins a's first journey; b's day-40 like is P1's non-converting one
    assert by.tolist() == [["web", "web", "x", "web"], ["x"], ["x"]]


def test_generator_round_trip_and_row_order():
    sj = generate_journeys(3000, seed=3)
    events = sj.events()
    j = build_journeys(CommunityData.from_frames(events=events))
    pd.testing.assert_frame_equal(j, sj.journeys)
    shuffled = events.sample(frac=1.0, random_state=7).reset_index(drop=True)
    ja = build_journeys(CommunityData.from_frames(events=shuffled), level="action")
    pd.testing.assert_frame_equal(ja, sj.action_journeys())
    pd.testing.assert_frame_equal(to_channel_level(ja), sj.journeys)


def test_generator_truth_is_misaligned_with_frequency():
    sj = generate_journeys(20000, seed=1)
    t = sj.truth
    assert abs(t.loc["video", "true_share"]) < 1e-12  # zero effect, frequent
    assert t["true_share"].sum() == pytest.approx(1.0)
    assert t.loc["display", "touch_share"] > 0.3 > t.loc["display", "true_share"] * 5
    assert t.loc["events", "true_share"] > 10 * t.loc["events", "touch_share"]
    again = generate_journeys(20000, seed=1)
    pd.testing.assert_frame_equal(sj.journeys, again.journeys)


def test_same_journeys_same_file(tmp_path):
    sj = generate_journeys(500, seed=2)
    a = write_journeys(tmp_path / "a", sj.journeys).read_bytes()
    b = write_journeys(tmp_path / "b", generate_journeys(500, seed=2).journeys).read_bytes()
    assert a == b


@pytest.mark.parametrize("kwargs, match", [
    (dict(lookback_days=0), "'lookback_days' parameter of build_journeys must be"),
    (dict(lookback_days=-3), "Got -3"),
    (dict(level="person"), "'level' parameter of build_journeys"),
    (dict(conversions=()), "'conversions' parameter"),
])
def test_parameter_errors(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        build_journeys(CommunityData.from_frames(events=_events()), **kwargs)


def test_no_conversions_is_a_data_error():
    ev = _events()
    ev = ev[ev["action"] != "purchase"]
    with pytest.raises(DataError, match=r"no conversions in the data.*Actions seen"):
        build_journeys(CommunityData.from_frames(events=ev))
    with pytest.raises(DataError, match="no conversions"):
        build_journeys(CommunityData.from_frames(events=_events()), conversions=["signup"])


def test_separator_in_action_is_a_data_error():
    ev = _events()
    ev.loc[0, "action"] = "view@home"
    with pytest.raises(DataError, match="contains '@'"):
        build_journeys(CommunityData.from_frames(events=ev), level="action")


def test_matched_reference_windows_non_converters_like_converters():
    """With ``reference="matched"`` a non-converting journey ends at a pseudo-conversion time
    (last touch + a converter's gap), so it is windowed like a converting one, not dropped
    because its touches are old at the end of the data."""
    data = CommunityData.from_frames(events=_events())
    end = build_journeys(data, lookback_days=30)
    matched = build_journeys(data, lookback_days=30, reference="matched", seed=3)
    nonconv = matched[~matched["converted"]]
    # a's day-14 view is kept now (it was outside the data-end window); b keeps its day-40
    # like only (its day-2 view is older than 30 days before b's pseudo-conversion)
    assert set(nonconv["person_id"]) == {"a", "b"}
    assert len(nonconv) == len(end[~end["converted"]]) + 1
    gaps = (nonconv.groupby("journey_id")["journey_end"].first()
            - nonconv.groupby("journey_id")["timestamp"].max())
    conv = matched[matched["converted"]]
    conv_gaps = set(conv.groupby("journey_id")["journey_end"].first()
                    - conv.groupby("journey_id")["timestamp"].max())
    assert set(gaps) <= conv_gaps  # the gap is one a converter had
    again = build_journeys(data, lookback_days=30, reference="matched", seed=3)
    pd.testing.assert_frame_equal(matched, again)
    with pytest.raises(ConfigError, match="'reference' parameter"):
        build_journeys(data, reference="later")
