"""The report as a story (issue 14): summary, cards, affinities, community labels, palette.

Small synthetic data with planted structure: segment "A" over-indexes on the topic
"#Planted" and the account "hub_a"; three members of "B" share a rare topic (a high lift
below the support threshold: noise); engagement is flat, so the order of top members can
only come from influence.
"""

from __future__ import annotations

import re
from html import escape

import numpy as np
import pandas as pd
import pytest

from clusterkit.cli.app import main
from clusterkit.data import CommunityData
from clusterkit.report import render_run_report
from clusterkit.report.affinity import KINDS, affinities
from clusterkit.report.cards import suggested_use, top_members
from clusterkit.report.channel_figures import attribution_figure, default_model
from clusterkit.report.figures import distinct_palette, segment_colors
from clusterkit.report.parts import story_parts
from clusterkit.report.sources import NO_NAMES, NO_TOPICS
from clusterkit.results import RunResult

SEGS = ["A", "B", "C", "D"]
TOPICS = [f"#noise{i}" for i in range(8)]


def planted(n: int = 400, seed: int = 0):
    """A run's tables and its dataset: 4 segments of n/4 members, 4 communities."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"u{i:04d}" for i in range(n)], dtype=object)
    seg = np.array(SEGS, dtype=object)[np.arange(n) % 4]
    community = (np.arange(n) // 7) % 4
    segments = pd.DataFrame({
        "member_id": ids, "segment": seg,
        "role": np.where(seg == "D", "influencer", np.where(seg == "C", "follower", "fan")),
        "cluster": np.arange(n) % 4, "community": community,
        "engagement_weight": 1.0,  # flat: the order of top members comes from influence
        "influence": rng.permutation(n) / n, "confidence": 1.0, "outlier": False,
        "explanation": ""})
    rows = []
    for k in range(3):  # three noise events per member (a loop over 3, not members)
        rows.append(pd.DataFrame({"member_id": ids, "action": "like",
                                  "topic": rng.choice(TOPICS, n), "channel": "web",
                                  "target_id": ids[rng.integers(0, n, n)],
                                  "timestamp": pd.Timestamp("2026-01-01", tz="UTC")
                                  + pd.to_timedelta(k, unit="D")}))
    a = (seg == "A") & (rng.random(n) < 0.8) | (seg != "A") & (rng.random(n) < 0.05)
    rows.append(pd.DataFrame({"member_id": ids[a], "action": "share", "topic": "#Planted",
                              "channel": "shop", "target_id": "hub_a",
                              "timestamp": pd.Timestamp("2026-02-01", tz="UTC")}))
    rare = ids[seg == "B"][:3]
    rows.append(pd.DataFrame({"member_id": rare, "action": "like", "topic": "#rare",
                              "channel": "web", "target_id": None,
                              "timestamp": pd.Timestamp("2026-02-02", tz="UTC")}))
    events = pd.concat(rows, ignore_index=True)
    members = pd.DataFrame({"member_id": ids, "handle": [f"@h<{i}>&" for i in range(n)],
                            "name": [f"Name {i}" for i in range(n)]})
    follows = pd.DataFrame({"follower_id": ids, "followee_id": ids[(np.arange(n) + 1) % n]})
    g = segments.groupby("segment")
    summary = pd.DataFrame({"segment": SEGS, "size": g.size().reindex(SEGS).to_numpy()})
    summary["share"] = summary["size"] / n
    summary["engagement_total"] = g["engagement_weight"].sum().reindex(SEGS).to_numpy()
    summary["engagement_share"] = summary["engagement_total"] / n
    summary["role_influencer"] = [0.0, 0.0, 0.0, 1.0]
    summary["conversion_rate"] = [0.1, 0.0, 0.0, 0.2]
    result = RunResult(segments=segments, summary=summary,
                       features=pd.DataFrame({"f": rng.random(n)}, index=ids),
                       embedding=rng.normal(size=(n, 2)), metrics={},
                       manifest={"config_hash": "abc", "seed": 0, "name": "default",
                                 "created_at": "2026-12-01T00:00:00Z"})
    data = CommunityData.from_frames(members=members, events=events, follows=follows)
    return result, data


@pytest.fixture(scope="module")
def run():
    return planted()


def test_affinities_recover_planted_items_and_ignore_noise(run) -> None:
    result, data = run
    groups = result.segments[["member_id"]].assign(group=result.segments["segment"])
    aff = affinities(groups, data.events, data.follows, min_support=10)
    a_topics = aff[(aff["group"] == "A") & (aff["kind"] == "topic")]
    assert a_topics.iloc[0]["item"] == "#Planted" and a_topics.iloc[0]["lift"] > 2
    row = a_topics.iloc[0]
    assert row["share"] == pytest.approx(row["count"] / row["size"])
    assert row["lift"] == pytest.approx(row["share"] / row["community_share"])
    assert row["community_count"] == int(data.events.loc[
        data.events["topic"] == "#Planted", "member_id"].nunique())
    a_acc = aff[(aff["group"] == "A") & (aff["kind"] == "account")]
    assert a_acc.iloc[0]["item"] == "hub_a" and a_acc.iloc[0]["lift"] > 2
    assert "#rare" not in set(aff["item"])  # lift 100 from 3 members: below support
    assert (aff["count"] >= 10).all() and (aff["lift"] > 1).all()
    assert "#Planted" not in set(aff.loc[aff["group"] != "A", "item"])  # under-indexed
    low = affinities(groups, data.events, None, min_support=3, kinds=("topic",))
    assert "#rare" in set(low.loc[low["group"] == "B", "item"])


def test_top_members_by_influence_not_alphabetical_when_engagement_is_flat(run) -> None:
    result, _ = run
    tops = top_members(result.segments, k=5)
    for _, g in tops.groupby("segment"):
        assert list(g["influence"]) == sorted(g["influence"], reverse=True)
        assert list(g["member_id"]) != sorted(g["member_id"])
    seg = pd.DataFrame({"member_id": ["d", "c", "b", "a"], "segment": "s",
                        "influence": [0.5, 0.5, 0.5, 0.9], "engagement_weight": [1, 3, 1, 1]})
    assert top_members(seg, k=4)["member_id"].tolist() == ["a", "c", "b", "d"]


def test_palette_never_repeats_for_many_models() -> None:
    assert len(set(distinct_palette(13))) == 13
    assert len(set(distinct_palette())) == len(distinct_palette()) > 100
    assert len(set(segment_colors([f"s{i}" for i in range(40)]).values())) == 40
    models = [f"model_{i}" for i in range(12)] + ["model"]
    table = pd.DataFrame({"model": np.repeat(models, 3), "touch": ["blog", "shop", "web"] * 13,
                          "share": np.tile([-0.02, 0.5, 0.52], 13), "ci_low": np.nan,
                          "ci_high": np.nan})
    assert default_model({}, models) == "model"
    assert default_model({"config": {"attribution": {"weights_model": "model_3"}}},
                         models) == "model_3"
    fig, text = attribution_figure(table, "model")
    colors = [t.marker.color for t in fig.data]
    assert len(set(colors)) == 13
    shown = {t.name: t.visible for t in fig.data}
    assert shown.pop("model (default)") in (None, True)
    assert set(shown.values()) == {"legendonly"}
    assert "negative credit" in text and "blog -2.0%" in text


def test_suggested_use_follows_its_rules() -> None:
    s = pd.DataFrame({
        "segment": ["creators", "half", "dead", "keen", "buyers", "middle"],
        "size": [10] * 6,
        "engagement_total": [10.0, 10.0, 1.0, 300.0, 200.0, 79.0],
        "role_influencer": [0.3, 0.25, 0, 0, 0, 0], "role_blogger": [0.3, 0.25, 0, 0, 0, 0],
        "conversion_rate": [0.0, 0.0, 0.0, 0.05, 0.5, 0.0]})
    # community: engagement 10 per member, conversion 0.55 / 6 ≈ 9.2 %
    uses = suggested_use(s).set_index("segment")["use"]
    assert uses.to_dict() == {"creators": "invite", "half": "invite", "dead": "exclude",
                              "keen": "activate", "buyers": "nurture", "middle": "nurture"}
    no_conv = suggested_use(s.drop(columns=["conversion_rate", "role_blogger"]))
    assert no_conv.set_index("segment")["use"]["keen"] == "nurture"  # no rate: 0 everywhere
    # 30 % creators is not enough, and 1 per member is a tenth of the community's
    assert no_conv.set_index("segment")["use"]["creators"] == "exclude"


def test_report_renders_with_data_handles_escaped(run) -> None:
    result, data = run
    html = render_run_report(result, data=data, min_support=10)
    assert "<title>Audience segments: 400 members, 4 segments</title>" in html
    assert "@h&lt;" in html and "@h<" not in html  # handles escaped
    assert html.count('class="card"') == 4
    assert "#Planted" in html and "hub_a" in html
    assert NO_NAMES not in html
    assert "invite" in html  # D is all influencers


def test_report_renders_without_data_with_a_note(run) -> None:
    result, _ = run
    html = render_run_report(result)
    assert NO_NAMES in html
    assert html.count('class="card"') == 4
    assert "Affinities need the dataset" in html
    assert "u0" in html  # members by id


def test_report_with_previous_run_says_what_changed(run) -> None:
    result, data = run
    seg = result.segments.copy()
    seg.loc[:49, "role"] = "blogger"
    seg.loc[seg["segment"] == "B", "segment"] = "A"
    old_summary = result.summary[result.summary["segment"] != "B"].copy()
    old_summary.loc[old_summary["segment"] == "A", "size"] = 200
    before = RunResult(segments=seg, summary=old_summary, features=result.features,
                       embedding=result.embedding, metrics={},
                       manifest={"created_at": "2026-11-01T00:00:00Z", "config_hash": "old"})
    html = render_run_report(result, data=data, previous=before)
    assert "Since 2026-11-01T00:00:00Z old" in html
    parts = story_parts(result.segments, result.summary, data=data, previous=before)
    ch = parts.changes
    assert ch["common"] == 400
    assert ch["role_changed"] == int((result.segments["role"] != seg["role"]).sum())
    rows = ch["segments"].set_index("segment")
    assert rows.loc["B", "status"] == "new" and rows.loc["A", "size_change"] == -100
    assert "What changed since" in html


def test_report_tables_do_not_depend_on_input_row_order(run) -> None:
    result, data = run
    a = story_parts(result.segments, result.summary, data=data, min_support=5)
    perm = np.random.default_rng(7).permutation
    shuffled = CommunityData.from_frames(
        members=data.members.reset_index().iloc[perm(len(data.members))],
        events=data.events.iloc[perm(len(data.events))],
        follows=data.follows.iloc[perm(len(data.follows))])
    seg = result.segments.iloc[perm(len(result.segments))]
    b = story_parts(seg, result.summary, data=shuffled, min_support=5)
    pd.testing.assert_frame_equal(a.affinity, b.affinity)
    pd.testing.assert_frame_equal(a.tops, b.tops)
    pd.testing.assert_frame_equal(a.main, b.main)
    pd.testing.assert_frame_equal(a.influencers, b.influencers)
    pd.testing.assert_series_equal(a.community_labels, b.community_labels)
    assert len(a.affinity) > 0 and a.community_labels.str.contains("@h").all()


def test_report_command_previous(tmp_path, capsys, run) -> None:
    result, data = run
    folder = result.save(tmp_path / "run", data=data)
    old = result.save(tmp_path / "old")
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "--out", str(out), "--previous", str(old),
                 "--min-support", "3"]) == 0
    assert "What changed since" in out.read_text(encoding="utf-8")
    assert "at least 3 of its members" in out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["report", str(folder), "--out", str(out), "--previous",
                 str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--previous" in err[0] and "not a run folder" in err[0]


def test_report_command_without_data_takes_handles_from_the_run_folder(tmp_path, run) -> None:
    from clusterkit.export import write_identifiers

    result, data = run
    folder = result.save(tmp_path / "run", data=data)
    out = tmp_path / "ids.html"
    assert main(["report", str(folder), "--out", str(out)]) == 0
    assert NO_NAMES in out.read_text(encoding="utf-8")  # no identifiers.parquet: ids
    write_identifiers(folder, data)
    assert main(["report", str(folder), "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert escape(NO_TOPICS) in html and NO_NAMES not in html
    assert 'class="handle" title="u' in html and "@h&lt;" in html


def test_dataset_folder_read_with_the_runs_column_mapping(tmp_path, run) -> None:
    """A run made with a ``columns:`` mapping: --data is read with the same mapping."""
    result, data = run
    folder = tmp_path / "data"
    folder.mkdir()
    data.members.reset_index().rename(columns={"handle": "screen_name"}).to_csv(
        folder / "members.csv", index=False)
    ev = data.events.assign(timestamp=data.events["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"))
    ev.rename(columns={"member_id": "user_id"}).to_csv(folder / "events.csv", index=False)
    data.follows.to_csv(folder / "follows.csv", index=False)
    mapping = {"members": {"screen_name": "handle"}, "events": {"user_id": "member_id"}}
    manifest = {**result.manifest, "config": {"columns": mapping}}
    mapped = RunResult(segments=result.segments, summary=result.summary,
                       features=result.features, embedding=result.embedding, metrics={},
                       manifest=manifest)
    html = render_run_report(mapped, data=folder)
    assert re.search(r'class="handle"[^>]*>@h&lt;\d+&gt;&amp;<', html)
    assert "#Planted" in html and NO_NAMES not in html


def test_report_without_share_column_or_communities(run) -> None:
    result, data = run
    bare = RunResult(segments=result.segments.assign(community=-1),
                     summary=result.summary.drop(columns=["share", "conversion_rate",
                                                          "engagement_share"]),
                     features=result.features, embedding=result.embedding, metrics={},
                     manifest={})
    html = render_run_report(bare, data=data)
    assert "no community" in html and "Conversions</b>: none recorded" in html
    cards = html[html.index('<div class="cards">'):html.index("3. Affinities")]
    assert "25.0% of the community" in cards and "(25.0% of all;" in cards
    assert "nan" not in cards.lower()


@pytest.mark.parametrize("tables", ["events", "follows", "both"])
def test_affinities_from_events_or_follows_alone(run, tables) -> None:
    result, data = run
    groups = result.segments[["member_id"]].assign(group=result.segments["segment"])
    events = data.events if tables != "follows" else None
    follows = data.follows if tables != "events" else None
    aff = affinities(groups, events, follows, min_support=1, min_lift=0.0)
    assert set(aff["kind"]) == ({"account"} if events is None else set(KINDS))
