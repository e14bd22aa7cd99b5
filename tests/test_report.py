"""Tests of the offline HTML report (clusterkit.report)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from clusterkit.report import render_report, write_report
from clusterkit.report.html import stratified_sample

SEGMENTS = ["Core <creators>", "Loyal fans", "Casual & followers", "Bloggers"]
ROLES = ["influencer", "blogger", "fan", "follower"]
PLOTLY_MARK = "* plotly.js v"  # the licence header of the inlined bundle


def fake_inputs(n: int = 300, seed: int = 1) -> dict:
    rng = np.random.default_rng(seed)
    probs = [0.1, 0.3, 0.5, 0.1]
    seg_idx = rng.choice(len(SEGMENTS), size=n, p=probs)
    seg_idx[: len(SEGMENTS)] = np.arange(len(SEGMENTS))  # every segment present
    ids = [f"m{i:05d}" for i in range(n)]
    segments = pd.DataFrame(
        {
            "member_id": ids,
            "segment": [SEGMENTS[i] for i in seg_idx],
            "role": rng.choice(ROLES, size=n),
            "cluster": seg_idx,
            "community": rng.integers(0, 3, size=n),
            "engagement_weight": rng.gamma(2.0, 1.0 + seg_idx),
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
    return {
        "segments": segments,
        "summary": summary,
        "features": features,
        "embedding": rng.normal(size=(n, 2)),
        "metrics": {"modularity": 0.41, "silhouette": float("nan")},
        "manifest": {
            "config_hash": "abc123def456789",
            "seed": 0,
            "finished_at": "2024-05-01T12:00:00Z",
            "warnings": ["<script>alert(1)</script>"],
        },
    }


@pytest.fixture(scope="module")
def page() -> str:
    return render_report(**fake_inputs())


def map_trace_names(html: str) -> set[str]:
    start = html.index('id="segment-map"')
    end = html.index('id="segment-profiles"')
    return set(re.findall(r'"name":"([^"]*)"', html[start:end]))


def test_plotly_inlined_once_and_offline(page: str) -> None:
    assert page.count(PLOTLY_MARK) == 1
    assert page.count("Plotly.newPlot(") == 4
    assert "cdn.plot.ly/plotly" not in page
    assert not re.search(r"<script[^>]*\ssrc=", page)
    assert "<link" not in page


def test_sections_and_segment_names(page: str) -> None:
    for div_id in ("segment-map", "segment-profiles", "role-mix", "engagement"):
        assert f'id="{div_id}"' in page
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


def test_deterministic() -> None:
    a = render_report(**fake_inputs())
    b = render_report(**fake_inputs())
    assert a == b


def test_sampling_keeps_every_segment() -> None:
    html = render_report(**fake_inputs(), max_points=100)
    assert "showing 100 of 300 members" in html
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


def test_embedding_none_uses_pca() -> None:
    inputs = fake_inputs()
    inputs["embedding"] = None
    html = render_report(**inputs)
    assert "PCA of standardised" in html
    assert html == render_report(**inputs)


def test_bad_embedding_shape() -> None:
    inputs = fake_inputs()
    inputs["embedding"] = np.zeros((10, 2))
    with pytest.raises(ValueError, match="embedding"):
        render_report(**inputs)


def test_write_report(tmp_path) -> None:
    out = write_report(tmp_path / "run" / "report.html", **fake_inputs())
    assert out.exists()
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert text.count(PLOTLY_MARK) == 1
