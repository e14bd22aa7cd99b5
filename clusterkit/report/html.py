"""Offline, self-contained HTML report of a run (plotly.js inlined exactly once).

Sections: the segment map (sampled above ``max_points`` members, the sample size stated),
segment profiles, role mix, engagement weight by segment and by segment × channel, the
channel-to-segment flows, the community map, the segment table, and the quality and
provenance panel. Figures that need the run's raw input (the community map needs the
follows) are left out with a note when it is not at hand, e.g. for a run read back with
:func:`~clusterkit.results.load_run`: re-render with ``clusterkit report RUN --data DIR``.

Everything is deterministic: the same inputs give the same HTML bytes (fixed div ids, seeded
sampling, PCA and layout, sorted JSON); the only dates shown are those found in the manifest.

The building blocks (style sheet, page shell, template, colours, figure divs) are shared with
the comparison page through :mod:`clusterkit.report.figures`.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from clusterkit.report.channel_figures import channel_heatmap, channel_table, sankey_figure
from clusterkit.report.figures import (
    figures_to_divs,
    html_table,
    note,
    page,
    plotly_template,
    pretty_json,
    section,
    segment_colors,
    summary_line,
    write_html,
)
from clusterkit.report.segment_figures import (
    MAX_HEATMAP_FEATURES,
    engagement_figure,
    map_figure,
    pca_embedding,
    profile_figure,
    role_figure,
    segment_order,
    stratified_sample,
)

__all__ = ["FIGURES", "render_report", "render_run_report", "stratified_sample",
           "write_report", "write_run_report"]

DATE_KEYS = ("finished_at", "created_at", "started_at", "date", "timestamp")
FIGURES = ("segment-map", "segment-profiles", "role-mix", "engagement", "engagement-channels",
           "channel-flows", "community-map", "journeys", "attribution")
"""Div ids of the report's figures, in page order."""

_NO_DATA = ("The community map needs the run's follows, which a run read back from its "
            "folder does not keep. Re-render with: clusterkit report RUN --data DATASET.")
_NO_CHANNELS = "The run has no engagement broken down by channel (no events with a channel)."
_NO_JOURNEYS = ("No journeys: the data has no conversion event, or attribution was turned off "
                "(attribution.enabled).")


def _embedding(embedding, features, n, random_state):
    if embedding is None or len(embedding) == 0:  # a run folder without embedding.npy
        return pca_embedding(features, random_state), False
    emb = np.asarray(embedding, dtype=float)
    if emb.ndim != 2 or emb.shape[0] != n or emb.shape[1] < 2:
        raise ValueError(f"embedding must have shape ({n}, 2), got {emb.shape}")
    return np.nan_to_num(emb[:, :2]), True


def _follows_of(data, manifest: dict):
    """``(follows frame or file, distinct pairs if known, None)`` or ``(None, None, why)``."""
    if data is None:
        return None, None, _NO_DATA
    if isinstance(data, str | Path):
        from clusterkit.report.community_map import follows_file

        path = follows_file(data)
        if path is None:
            return None, None, (f"No follows table in {str(data)!r}: the community map "
                                "needs follows.")
        return path, manifest.get("n_follows"), None
    if isinstance(data, pd.DataFrame):
        return data, None, None
    if data.follows is None or len(data.follows) == 0:
        return None, None, "The data has no follows: the community map needs them."
    return data.follows, len(data.follows), None  # validated: no repeats, no self-follows


_TABLE = (  # summary column → (header, format); role_* columns become one "role mix" column
    ("segment", "segment", str), ("size", "members", "{:,.0f}"), ("share", "share", "{:.1%}"),
    ("engagement_total", "engagement weight", "{:,.0f}"),
    ("engagement_share", "share of engagement", "{:.1%}"),
    ("engagement_mean", "per member", "{:.3g}"), ("engagement_gini", "Gini", "{:.2f}"),
    ("influence_mean", "influence (mean)", "{:.3g}"), ("reach", "reach", "{:,.0f}"),
    ("conversion_rate", "conversion", "{:.1%}"), ("main_community", "main community", str),
    ("defining_features", "defining features", str), ("top_members", "top members", str),
)


def _segments_table(summary: pd.DataFrame) -> str:
    """The segment summary formatted for reading (the CSV in the run folder has it all)."""
    out = pd.DataFrame(index=summary.index)
    roles = [c for c in summary.columns if c.startswith("role_")]
    for col, head, fmt in _TABLE:
        if col not in summary:
            continue
        values = summary[col]
        out[head] = values.astype(str) if fmt is str else values.map(
            lambda v, f=fmt: "" if pd.isna(v) else f.format(v))
        if col == "share" and roles:
            mix = summary[roles].rename(columns=lambda c: c.removeprefix("role_"))
            out["role mix"] = mix.apply(  # a row per segment, a handful
                lambda r: ", ".join(f"{k} {v:.0%}" for k, v in r.items() if v >= 0.05), axis=1)
    return html_table(out.fillna(""))


def _or_note(fig, text: str):
    return note(text) if fig is None else fig


def render_report(
    *,
    segments: pd.DataFrame,
    summary: pd.DataFrame,
    features: pd.DataFrame,
    embedding: np.ndarray | None,
    metrics: dict,
    manifest: dict,
    segment_engagement: pd.DataFrame | None = None,
    engagement_by_channel: pd.DataFrame | None = None,
    data=None,
    max_points: int = 50_000,
    max_communities: int = 60,
    random_state: int = 0,
    attribution: dict | None = None,
) -> str:
    """The report as one self-contained HTML string (plotly.js inlined once, no network).

    Parameters
    ----------
    segments, summary, features, embedding, metrics, manifest
        The run's tables (see :class:`~clusterkit.results.RunResult`); ``embedding=None``
        (or empty) draws the map on a PCA of the features.
    segment_engagement, engagement_by_channel : pandas.DataFrame, optional
        Engagement weight per (segment, channel), or per member × channel; either one
        gives the channel heatmap and the channel-to-segment flows.
    data : CommunityData, pandas.DataFrame, str or Path, optional
        The run's input (or its follows table, or its dataset folder) for the community
        map; without it the map is left out with a note.
    max_points : int
        Members drawn on the segment map at most (a seeded sample, stratified by segment).
    max_communities : int
        Communities drawn on the community map at most (the largest).
    random_state : int
        Seed of the sample, the PCA and the community layout.
    attribution : dict, optional
        ``journeys`` and ``attribution`` frames of
        :func:`clusterkit.attribution.attribution_outputs`: a Sankey of journey flows and
        every model's shares side by side, with their intervals.
    """
    from clusterkit.report.community_map import community_map
    from clusterkit.report.quality import quality_html

    if len(features) != len(segments):
        raise ValueError(f"features has {len(features)} rows, segments {len(segments)}")
    n = len(segments)
    emb, given = _embedding(embedding, features, n, random_state)
    order = segment_order(segments, summary)
    colors = segment_colors(order)

    map_fig, shown = map_figure(segments, emb, order, colors, max(1, max_points), random_state)
    chan = channel_table(segment_engagement, engagement_by_channel, segments)
    follows, n_unique, comm_note = _follows_of(data, manifest)
    comm_fig = None
    if follows is not None:
        comm_fig, comm_note = community_map(segments, follows,
                                            max_communities=max(1, max_communities),
                                            random_state=random_state, n_unique=n_unique)
    figs = [
        ("segment-map", map_fig),
        ("segment-profiles", _or_note(profile_figure(segments, features, order),
                                      "No numeric features with between-segment variation.")),
        ("role-mix", role_figure(segments, summary, order)),
        ("engagement", engagement_figure(summary, colors)),
        ("engagement-channels", _or_note(channel_heatmap(chan, order), _NO_CHANNELS)),
        ("channel-flows", _or_note(sankey_figure(chan, order, colors), _NO_CHANNELS)),
        ("community-map", _or_note(comm_fig, comm_note)),
        *_attribution_figures(attribution or {}),
    ]
    divs = figures_to_divs(figs, plotly_template(), note("Nothing to draw."))

    date = next((str(manifest[k]) for k in DATE_KEYS if manifest.get(k)), "")
    title = str(manifest.get("title") or manifest.get("name") or "clusterkit report")
    sample_note = (
        f"showing {shown:,} of {n:,} members (seeded random sample, stratified by segment)"
        if shown < n
        else f"showing all {n:,} members"
    )
    emb_note = "run embedding" if given else "PCA of standardised log1p(|features|)"
    esc = html.escape
    header = summary_line([
        f"<b>{n:,}</b> members", f"<b>{len(order)}</b> segments",
        esc(date) if date else "date not recorded",
        f"config {esc(str(manifest.get('config_hash', ''))[:12])}",
    ])
    comm_text = (f"{comm_note} Nodes: communities, sized by members and coloured by "
                 "engagement weight per member (hover for their segments); edges: follows "
                 "between members of two communities, wider for more."
                 ) if comm_fig is not None else None
    body = "\n".join([
        section("1. Segment map", divs["segment-map"],
                note=f"{sample_note}; coordinates: {emb_note}."),
        section("2. Segment profiles", divs["segment-profiles"],
                note="Mean of each feature per segment, standardised per feature across "
                f"segments (z-score); up to {MAX_HEATMAP_FEATURES} features with the largest "
                "share of variance between segments."),
        section("3. Role mix per segment", divs["role-mix"]),
        section("4. Engagement weight by segment", divs["engagement"],
                note="Labels: share of total engagement weight."),
        section("5. Engagement weight by segment and channel", divs["engagement-channels"],
                note="Cells: share of all engagement weight; hover for the totals and the "
                "shares within the segment and the channel."),
        section("6. Channel-to-segment flows", divs["channel-flows"],
                note="Engagement weight flowing from each channel (left) to each segment "
                "(right); band width is the weight."),
        section("7. Community map", divs["community-map"], note=comm_text),
        section("8. Journeys to conversion", divs["journeys"],
                note="Each person's first touches (channels) before a conversion, or up to the "
                "end of the data, then the outcome; band width is the number of journeys "
                "(journeys.parquet in the run folder)."),
        section("9. What each channel adds to conversion", divs["attribution"],
                note="Share of conversions credited to each channel by every model, side by "
                "side, with bootstrap intervals over persons; 'model' is the default, which "
                "separates how often a channel is touched from what it adds "
                "(attribution.csv; learned engagement weights in weights.yaml)."),
        section("10. Segments", f'<div class="scroll">{_segments_table(summary)}</div>',
                note="The full table is segment_summary.csv in the run folder."),
        section("11. Quality and provenance", quality_html(metrics)
                + f"\n<details><summary>Manifest (config, versions, timings, warnings)"
                f"</summary><pre>{pretty_json(manifest)}</pre></details>"),
    ])
    return page(title, header, body)


def _attribution_figures(attribution: dict) -> list:
    from clusterkit.attribution.figures import attribution_bars, journey_sankey

    journeys = attribution.get("journeys")
    table = attribution.get("attribution")
    has_j = journeys is not None and len(journeys) > 0
    has_t = table is not None and len(table) > 0
    return [("journeys", journey_sankey(journeys, title="") if has_j else note(_NO_JOURNEYS)),
            ("attribution", attribution_bars(table, title="") if has_t
             else note(_NO_JOURNEYS))]


def write_report(path: str | Path, **kwargs) -> Path:
    """Render the report (same keyword arguments as render_report) and write it to path."""
    return write_html(path, render_report(**kwargs))


def render_run_report(result, *, data=None, max_points: int = 50_000,
                      max_communities: int = 60) -> str:
    """The report of a :class:`~clusterkit.results.RunResult`.

    ``data`` (a CommunityData, a follows frame or a dataset folder) is the run's input, for
    the community map (omitted without it).
    """
    return render_report(
        segments=result.segments, summary=result.summary, features=result.features,
        embedding=result.embedding, metrics=result.metrics, manifest=result.manifest,
        segment_engagement=result.segment_engagement,
        engagement_by_channel=result.engagement_by_channel,
        data=data, max_points=max_points,
        max_communities=max_communities,
        random_state=int(result.manifest.get("seed", 0) or 0),
        attribution=getattr(result, "attribution", None))


def write_run_report(path: str | Path, result, **kwargs) -> Path:
    """Render a run's report (keywords as :func:`render_run_report`) and write it to path.

    Examples
    --------
    Re-render the report of a saved run, with its dataset for the community map::

        from clusterkit.results import load_run
        write_run_report("run/report.html", load_run("run"), data="data")
    """
    return write_html(path, render_run_report(result, **kwargs))
