"""Tests of the offline HTML report (clusterkit.report) and the `clusterkit report` command."""

from __future__ import annotations

import functools
import json
import re

import numpy as np
import pandas as pd
import pytest

from clusterkit.cli.app import main
from clusterkit.errors import DataError
from clusterkit.report import render_report, render_run_report, write_report
from clusterkit.report.channel_figures import channel_heatmap, channel_table, sankey_figure
from clusterkit.report.community_map import community_links, community_map
from clusterkit.report.html import FIGURES
from clusterkit.report.quality import quality_table
from clusterkit.report.segment_figures import stratified_sample

SEGMENTS = ["Core <creators>", "Loyal fans", "Casual & followers", "Bloggers"]
ROLES = ["influencer", "blogger", "fan", "follower"]
CHANNELS = ["twitter", "instagram", "newsletter"]
PLOTLY_MARK = "* plotly.js v"  # the licence header of the inlined bundle


def fake_inputs(n: int = 300, seed: int = 1) -> dict:
    rng = np.random.default_rng(seed)
    probs = [0.1, 0.3, 0.5, 0.1]
    seg_idx = rng.choice(len(SEGMENTS), size=n, p=probs)
    seg_idx[: len(SEGMENTS)] = np.arange(len(SEGMENTS))  # every segment present
    ids = [f"m{i:05d}" for i in range(n)]
    community = rng.integers(0, 3, size=n)
    by_channel = pd.DataFrame(
        {c: rng.gamma(1.0 + j, 1.0 + seg_idx) * (rng.random(n) < 0.7)
         for j, c in enumerate(CHANNELS)}, index=pd.Index(ids, name="member_id"))
    segments = pd.DataFrame(
        {
            "member_id": ids,
            "segment": [SEGMENTS[i] for i in seg_idx],
            "role": rng.choice(ROLES, size=n),
            "cluster": seg_idx,
            "community": community,
            "engagement_weight": by_channel.sum(axis=1).to_numpy(),
            "influence": rng.random(n),
            "confidence": rng.random(n),
            "outlier": rng.random(n) < 0.05,
            "explanation": "reach above p90",
        }
    )
    features = pd.DataFrame(
        {f"f{j}": rng.poisson(1 + j * (seg_idx + 1)) for j in range(25)}, index=ids
    ).assign(constant=1.0, label="x")
    g = segments.groupby("segment", sort=False)
    summary = pd.DataFrame({"segment": SEGMENTS})
    summary["size"] = summary["segment"].map(g.size())
    summary["share"] = summary["size"] / n
    summary["engagement_total"] = summary["segment"].map(g["engagement_weight"].sum())
    summary["engagement_mean"] = summary["engagement_total"] / summary["size"]
    summary["engagement_share"] = summary["engagement_total"] / summary["engagement_total"].sum()
    mix = pd.crosstab(segments["segment"], segments["role"], normalize="index")
    for r in ROLES:
        summary[f"role_{r}"] = summary["segment"].map(mix[r])
    summary["defining_features"] = "f3 high, f7 low"
    summary["top_members"] = "m00001, m00002"
    # follows: mostly inside a community, some across, some to an outside account
    src = rng.integers(0, n, size=4 * n)
    same = rng.random(4 * n) < 0.8
    pool = [np.flatnonzero(community == c) for c in range(3)]
    dst = np.where(same, [rng.choice(pool[community[s]]) for s in src], rng.integers(0, n, 4 * n))
    follows = pd.DataFrame({"follower_id": np.array(ids, dtype=object)[src],
                            "followee_id": np.array(ids, dtype=object)[dst]})
    follows.loc[::50, "followee_id"] = "brand"
    return {
        "segments": segments,
        "summary": summary,
        "features": features,
        "embedding": rng.normal(size=(n, 2)),
        "metrics": {"community": {"stage": "leiden", "modularity": 0.41, "n_communities": 3},
                    "cluster": {"stage": "kmeans", "silhouette": float("nan")},
                    "roles": {"stage": "rules", "counts": {"fan": 10, "follower": 30}}},
        "manifest": {
            "config_hash": "abc123def456789",
            "seed": 0,
            "finished_at": "2024-05-01T12:00:00Z",
            "warnings": ["<script>alert(1)</script>"],
        },
        "engagement_by_channel": by_channel,
        "data": follows,
        "attribution": _attribution(),
    }


@functools.cache
def _attribution() -> dict:
    """Journeys and two attribution models, with intervals, on generated journeys."""
    from clusterkit.attribution import AttributionConfig, attribution_outputs
    from clusterkit.data import CommunityData
    from clusterkit.synthetic.journeys import generate_journeys

    data = CommunityData.from_frames(events=generate_journeys(400, seed=3).events())
    return attribution_outputs(data, AttributionConfig(models=["last", "model"], bootstrap=20,
                                                       learn_weights=False))


@pytest.fixture(scope="module")
def page() -> str:
    return render_report(**fake_inputs())


def map_trace_names(html: str) -> set[str]:
    start = html.index('id="segment-map"')
    end = html.index('id="segment-profiles"')
    return set(re.findall(r'"name":"([^"]*)"', html[start:end]))


def test_plotly_inlined_once_and_offline(page: str) -> None:
    assert page.count(PLOTLY_MARK) == 1
    assert page.count("Plotly.newPlot(") == len(FIGURES) == 9
    assert "cdn.plot.ly/plotly" not in page
    assert not re.search(r"<script[^>]*\ssrc=", page)
    assert "<link" not in page


def test_every_figure_present_in_order(page: str) -> None:
    at = [page.index(f'Plotly.newPlot(                        "{div}"') for div in FIGURES]
    assert at == sorted(at)
    for title in ("Engagement weight by segment and channel", "Channel-to-segment flows",
                  "Community map", "Quality and provenance"):
        assert title in page


def test_sections_and_segment_names(page: str) -> None:
    for name in SEGMENTS:
        assert name.replace("<", "\\u003c").replace(">", "\\u003e") in page or name in page
    # the table escapes names; the raw tag never reaches the page
    assert "Core &lt;creators&gt;" in page
    assert "<creators>" not in page
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page
    assert "300 members" in page.replace("<b>", "").replace("</b>", "")
    assert "2024-05-01T12:00:00Z" in page
    assert "showing all 300 members" in page


def test_deterministic_and_row_order_free_community_map() -> None:
    a = render_report(**fake_inputs())
    assert a == render_report(**fake_inputs())
    shuffled = fake_inputs()
    shuffled["data"] = shuffled["data"].sample(frac=1.0, random_state=3)
    assert render_report(**shuffled) == a


def test_sampling_keeps_every_segment() -> None:
    html = render_report(**fake_inputs(), max_points=100)
    assert "showing 100 of 300 members (seeded random sample, stratified by segment)" in html
    names = {n.replace("\\u003c", "<").replace("\\u003e", ">") for n in map_trace_names(html)}
    assert set(SEGMENTS) <= names


def test_stratified_sample_properties() -> None:
    labels = np.array(["a"] * 990 + ["b"] * 9 + ["c"])
    idx = stratified_sample(labels, 50, random_state=3)
    assert len(idx) == 50
    assert np.all(np.diff(idx) > 0)
    assert set(labels[idx]) == {"a", "b", "c"}
    assert np.array_equal(idx, stratified_sample(labels, 50, random_state=3))
    assert np.array_equal(stratified_sample(labels, 5000), np.arange(1000))
    # proportional: 'a' holds 99 % of the rows, so most of the sample
    assert (labels[idx] == "a").sum() >= 40


def test_embedding_none_or_empty_uses_pca() -> None:
    inputs = fake_inputs()
    inputs["embedding"] = None
    html = render_report(**inputs)
    assert "PCA of standardised" in html
    inputs["embedding"] = np.zeros((0, 2))  # a run folder without embedding.npy
    assert render_report(**inputs) == html


def test_bad_embedding_shape() -> None:
    inputs = fake_inputs()
    inputs["embedding"] = np.zeros((10, 2))
    with pytest.raises(ValueError, match="embedding"):
        render_report(**inputs)


def test_write_report(tmp_path) -> None:
    out = write_report(tmp_path / "run" / "report.html", **fake_inputs())
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert text.count(PLOTLY_MARK) == 1
    assert not list(out.parent.glob(".*tmp"))  # written atomically, nothing left beside


# ---- community map -----------------------------------------------------------------------


def tiny():
    """Planted: communities 0 {a,b,c}, 1 {d,e}, 2 {f}; g isolated (-2)."""
    segments = pd.DataFrame({
        "member_id": list("abcdefg"), "community": [0, 0, 0, 1, 1, 2, -2],
        "segment": ["fans", "fans", "bloggers", "fans", "fans", "quiet", "quiet"],
        "engagement_weight": [1.0, 2.0, 3.0, 4.0, 0.0, 1.0, 0.0]})
    follows = pd.DataFrame({
        "follower_id": ["a", "b", "a", "d", "a", "e", "d", "f", "c", "c", "c", "a", "a"],
        "followee_id": ["b", "c", "d", "a", "e", "c", "e", "a", "brand", "f", "c", "b", "x1"]})
    # between 0-1: a→d, d→a, a→e, e→c = 4; 0-2: f→a, c→f = 2; 1-2: none
    # inside 0: a→b (twice: counted once), b→c = 2 (c→c is a self-follow); inside 1: d→e
    return segments, follows


def test_community_links_count_follows_between_communities() -> None:
    segments, follows = tiny()
    nodes, links, info = community_links(segments, follows)
    assert links.to_dict("records") == [{"source": 0, "target": 1, "follows": 4},
                                        {"source": 0, "target": 2, "follows": 2}]
    assert nodes["community"].tolist() == [0, 1, 2]  # isolates are no community
    assert nodes["members"].tolist() == [3, 2, 1]
    assert nodes["internal_follows"].tolist() == [2, 1, 0]
    assert nodes["top_segment"].tolist() == ["fans", "fans", "quiet"]
    assert nodes["top_segments"].iloc[0] == "fans 67%, bloggers 33%"
    assert nodes["engagement_mean"].tolist() == [2.0, 2.0, 1.0]
    assert info == {"outside_follows": 2, "unlabelled_follows": 0}
    again = community_links(segments.iloc[::-1], follows.iloc[::-1])
    pd.testing.assert_frame_equal(again[1], links)
    pd.testing.assert_frame_equal(again[0], nodes)
    # told the number of distinct pairs (11), the repeated a→b is still counted once
    for n_unique in (11, None):
        got = community_links(segments, follows, n_unique)
        pd.testing.assert_frame_equal(got[0], nodes)
        pd.testing.assert_frame_equal(got[1], links)


def test_community_links_match_a_direct_count_on_a_larger_fixture(tmp_path) -> None:
    inputs = fake_inputs()
    seg, follows = inputs["segments"], inputs["data"]
    _, links, _ = community_links(seg, follows)
    comm = seg.set_index("member_id")["community"]
    f = follows.drop_duplicates()
    f = f[f["follower_id"] != f["followee_id"]]
    ca, cb = f["follower_id"].map(comm), f["followee_id"].map(comm)
    keep = cb.notna() & (ca != cb)
    pair = pd.DataFrame({"source": np.minimum(ca[keep], cb[keep]).astype(int),
                         "target": np.maximum(ca[keep], cb[keep]).astype(int)})
    expected = pair.value_counts().sort_index()
    got = links.set_index(["source", "target"])["follows"]
    assert got.to_dict() == expected.to_dict()
    # the same counts when DuckDB reads the dataset's follows file itself
    for name in ("follows.csv", "follows.parquet"):
        path = tmp_path / name
        follows.to_csv(path, index=False) if name.endswith("csv") else follows.to_parquet(path)
        pd.testing.assert_frame_equal(community_links(seg, path)[1], links)


def test_community_links_refuse_another_dataset() -> None:
    segments, follows = tiny()
    other = pd.concat([follows, pd.DataFrame({"follower_id": ["zz"], "followee_id": ["a"]})])
    with pytest.raises(DataError, match=r"1 follows .* not members of the run \(e\.g\. 'zz'\)"):
        community_links(segments, other)


def test_community_map_shows_the_largest_with_a_note() -> None:
    segments, follows = tiny()
    fig, note = community_map(segments, follows, max_communities=2)
    assert "3 communities hold 6 members; showing the 2 largest (83% of those members)" in note
    assert "4 follows between the communities shown" in note
    nodes = fig.data[-1]
    assert list(nodes.text) == ["0", "1"]
    edge_hover = fig.data[-2].customdata
    assert [(row[0], row[1], row[2]) for row in edge_hover] == [("0", "1", 4.0)]
    fig2, _ = community_map(segments, follows, max_communities=2)
    assert np.array_equal(np.asarray(fig2.data[-1].x), np.asarray(nodes.x))  # seeded layout


# ---- channels ----------------------------------------------------------------------------


def test_sankey_flows_add_up_to_engagement() -> None:
    inputs = fake_inputs()
    seg, by_channel = inputs["segments"], inputs["engagement_by_channel"]
    table = channel_table(None, by_channel, seg)
    order = SEGMENTS
    fig = sankey_figure(table, order, {})
    link = fig.data[0].link
    values = np.asarray(link.value, dtype=float)
    assert values.sum() == pytest.approx(seg["engagement_weight"].sum())
    labels = list(fig.data[0].node.label)
    into = pd.Series(values).groupby([labels[t] for t in link.target]).sum()
    expected = seg.groupby("segment")["engagement_weight"].sum()
    pd.testing.assert_series_equal(into.sort_index(), expected.sort_index(), check_names=False)
    out_of = pd.Series(values).groupby([labels[s] for s in link.source]).sum()
    assert out_of.sort_index().to_dict() == pytest.approx(by_channel.sum().to_dict())
    # the run's segment_engagement table gives the same flows as the member x channel table
    from clusterkit.segments import segment_channel_engagement

    same = channel_table(segment_channel_engagement(seg, by_channel), None, seg)
    pd.testing.assert_frame_equal(same, table)


def test_channel_heatmap_shares_sum_to_one() -> None:
    inputs = fake_inputs()
    table = channel_table(None, inputs["engagement_by_channel"], inputs["segments"])
    fig = channel_heatmap(table, SEGMENTS)
    z = np.asarray(fig.data[0].z, dtype=float)
    assert z.shape == (len(SEGMENTS), len(CHANNELS))
    assert z.sum() == pytest.approx(1.0, abs=1e-3)
    assert list(fig.data[0].y) == SEGMENTS


# ---- graceful omission, quality panel ----------------------------------------------------


def test_figures_needing_raw_data_are_omitted_with_a_note() -> None:
    inputs = fake_inputs()
    inputs["data"] = None
    html = render_report(**inputs)
    assert html.count("Plotly.newPlot(") == len(FIGURES) - 1
    assert 'Plotly.newPlot(                        "community-map"' not in html
    assert "clusterkit report RUN --data DATASET" in html
    inputs["engagement_by_channel"] = None
    html = render_report(**inputs)
    assert html.count("Plotly.newPlot(") == len(FIGURES) - 3
    inputs["attribution"] = None
    html = render_report(**inputs)
    assert html.count("Plotly.newPlot(") == len(FIGURES) - 5
    assert "no conversion event" in html
    assert html.count("no engagement broken down by channel") == 2


def test_quality_panel_is_a_readable_table(page: str) -> None:
    table = quality_table(fake_inputs()["metrics"])
    rows = {(r.stage, r.metric): r.value for r in table.itertuples()}
    assert rows[("communities", "modularity")] == "0.41"
    assert rows[("clusters", "silhouette")] == "not computed"
    assert rows[("roles", "members per role")] == "fan 10 (25.0%), follower 30 (75.0%)"
    assert table["stage"].tolist()[0] == "communities"
    assert '<table class="quality">' in page and "<details><summary>All metrics" in page


# ---- a real run, and the command ---------------------------------------------------------


@pytest.fixture(scope="module")
def run_folder(small_folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "run"
    assert main(["run", "--data", str(small_folder), "--out", str(out)]) == 0
    return out


def test_run_report_has_every_figure_and_flows_match(run_folder, small_synth) -> None:
    from clusterkit.data import CommunityData
    from clusterkit.pipeline import Pipeline
    from clusterkit.results import load_run

    html = (run_folder / "report.html").read_text(encoding="utf-8")
    assert html.count("Plotly.newPlot(") == len(FIGURES)
    result = Pipeline().run(CommunityData.from_frames(**small_synth.tables))
    table = channel_table(result.segment_engagement, None, result.segments)
    assert table["total"].sum() == pytest.approx(result.segments["engagement_weight"].sum())
    back = load_run(run_folder)
    assert not hasattr(back, "data")  # outputs only, never the raw input
    assert render_run_report(back).count("Plotly.newPlot(") == len(FIGURES) - 1


def test_report_command(run_folder, small_folder, tmp_path, capsys) -> None:
    out = tmp_path / "again.html"
    code = main(["report", str(run_folder), "--out", str(out), "--data", str(small_folder),
                 "--max-points", "200"])
    assert code == 0, capsys.readouterr().err
    html = out.read_text(encoding="utf-8")
    assert html.count("Plotly.newPlot(") == len(FIGURES)
    assert "showing 200 of 600 members" in html
    assert f"wrote {out}" in capsys.readouterr().err
    assert main(["report", str(run_folder), "--out", str(tmp_path / "no-data.html")]) == 0
    assert "--data DATASET" in (tmp_path / "no-data.html").read_text(encoding="utf-8")
    manifest = json.loads((run_folder / "manifest.json").read_text())
    assert manifest["n_members"] == 600


def test_report_command_refuses_bad_paths(run_folder, small_folder, tmp_path, capsys) -> None:
    capsys.readouterr()
    assert main(["report", str(small_folder)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and "not a run folder" in err[0]
    assert main(["report", str(tmp_path / "missing")]) == 2
    capsys.readouterr()
    assert main(["report", str(run_folder), "--out", str(tmp_path)]) == 2
    assert "is a folder; give the file to write" in capsys.readouterr().err
    assert not (small_folder / "report.html").exists()


@pytest.mark.parametrize("seed", [1, 2])
def test_community_links_from_positions_equal_the_sql_join(small_synth, seed):
    """The dataset's follow edges (positions) give the SQL join's counts: shuffled segment
    rows, isolates and unlabelled members (-2, -1), follows of an outside account."""
    from clusterkit.data import CommunityData
    from clusterkit.report.community_map import _pairs_from_positions

    data = CommunityData.from_frames(**small_synth.tables)
    assert len(data.outside_ids)  # the brand: follows of an outside account are counted
    rng = np.random.default_rng(seed)
    n = data.n_members
    seg = pd.DataFrame({"member_id": data.member_ids, "community": rng.integers(-2, 6, n),
                        "segment": rng.choice(["a", "b"], n), "engagement_weight": rng.random(n)})
    seg = seg.iloc[rng.permutation(n)].reset_index(drop=True)
    sql = community_links(seg, data.follows, n_unique=len(data.follows))
    fast = community_links(seg, data.follows, n_unique=len(data.follows), data=data)
    assert _pairs_from_positions(seg, data) is not None
    assert _pairs_from_positions(seg.iloc[1:], data) is None  # not the data's members: SQL
    for a, b in zip(sql[:2], fast[:2], strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert sql[2] == fast[2] and sql[2]["outside_follows"] > 0


def test_member_labels_made_for_the_ids_asked_equal_the_labels_of_all(small_synth):
    """The report labels only the members it names; each gets the label that labelling
    every member gives (handles, names, e-mail accounts skipped, outside ids as is)."""
    from clusterkit.data import CommunityData
    from clusterkit.report.sources import MemberLabels, member_labels

    data = CommunityData.from_frames(**small_synth.tables)
    every = member_labels(data.member_ids.to_numpy(), data)["label"]
    rng = np.random.default_rng(0)
    asked = [*rng.choice(data.member_ids.to_numpy(), 25), "brand", "not-a-member"]
    got = MemberLabels(data).reindex(asked)
    want = every.reindex(asked)
    want = want.where(want.notna(), pd.Series(asked, index=want.index))
    assert got.tolist() == want.tolist()
    assert (got != got.index).any()  # some members have a handle or a name
