"""Offline, self-contained HTML report of a run (plotly.js inlined exactly once).

The report reads as a story: first the executive summary (who the influencers are, which
segments carry engagement and conversions, what to do with each, what changed since a
previous run: :mod:`.story`), then a card per segment (:mod:`.cards`) and the segments'
affinities (:mod:`.affinity`), then the figures: the segment map (sampled above
``max_points`` members, the sample size stated), segment profiles, each segment's community
mix, engagement weight by segment and by segment × channel, the channel-to-segment flows,
the community map (communities labelled by their top members and topic), journeys and
attribution (the default model drawn, the others a click away), the segment table, and the
quality and provenance panel. What needs the run's input (handles, names, topics,
accounts, follows) comes from the dataset (:mod:`.sources`); without it members are shown
by id and the figures that need it are left out, each with a note: re-render with
``clusterkit report RUN --data DIR``.

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

from clusterkit.report.channel_figures import (
    attribution_figure,
    channel_heatmap,
    channel_table,
    default_model,
    sankey_figure,
)
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
from clusterkit.report.parts import MIN_SUPPORT
from clusterkit.report.segment_figures import (
    MAX_HEATMAP_FEATURES,
    engagement_figure,
    map_figure,
    pca_embedding,
    profile_figure,
    segment_order,
    stratified_sample,
)

__all__ = ["FIGURES", "render_report", "render_run_report", "stratified_sample",
           "write_report", "write_run_report"]

DATE_KEYS = ("finished_at", "created_at", "started_at", "date", "timestamp")
FIGURES = ("segment-map", "segment-profiles", "community-mix", "engagement", "engagement-channels",
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


def _follows_of(data):
    """``(follows frame, distinct pairs if known, None)`` or ``(None, None, why)``."""
    if data is None:
        return None, None, _NO_DATA
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


def _segments_table(summary: pd.DataFrame, parts) -> str:
    """The segment summary formatted for reading (the CSV in the run folder has it all).

    The main community is its label and share of the segment (or "no majority"), the top
    members their handles, by influence.
    """
    names = summary["segment"].astype(str)
    tops = parts.tops.groupby("segment", sort=False)["label"].agg(
        lambda s: ", ".join(map(str, s)))  # one join per segment
    summary = summary.assign(
        main_community=names.map(parts.main.set_index("segment")["main_community"]).to_numpy(),
        top_members=names.map(tops).to_numpy())
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
    previous=None,
    min_support: int = MIN_SUPPORT,
    identifiers: pd.DataFrame | None = None,
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
    data : CommunityData, str, Path or pandas.DataFrame, optional
        The run's input or its dataset folder (loaded once): handles and names, topics,
        accounts and follows for the summary, cards, affinities and the community map.
        A follows frame gives the map and account affinities only. Without it members
        are shown by id and what needs the data is left out, with a note.
    max_points : int
        Members drawn on the segment map at most (a seeded sample, stratified by segment).
    max_communities : int
        Communities drawn on the community map at most (the largest).
    random_state : int
        Seed of the sample, the PCA and the community layout.
    attribution : dict, optional
        ``journeys`` and ``attribution`` frames of
        :func:`clusterkit.attribution.attribution_outputs`: a Sankey of journey flows and
        every model's shares, the default model (:func:`.channel_figures.default_model`)
        drawn and the others a click away.
    previous : RunResult or path, optional
        A previous run (of the same data): the summary and a section say what changed.
    min_support : int
        Members of a segment who must touch an account, topic or channel for it to be
        listed as an affinity.
    identifiers : pandas.DataFrame, optional
        The run folder's ``identifiers.parquet``: handles and names without ``data``.
    """
    from clusterkit.report.cards import cards_html
    from clusterkit.report.communities import community_mix_figure
    from clusterkit.report.community_map import community_map
    from clusterkit.report.parts import affinity_html, affinity_note, story_parts
    from clusterkit.report.quality import quality_html
    from clusterkit.report.sources import as_data, data_folder_name
    from clusterkit.report.story import changes_html, summary_html, title_of

    if len(features) != len(segments):
        raise ValueError(f"features has {len(features)} rows, segments {len(segments)}")
    n = len(segments)
    if "share" not in summary:
        summary = summary.assign(share=summary["size"] / max(int(summary["size"].sum()), 1))
    if "engagement_share" not in summary:
        total = float(summary["engagement_total"].sum())
        summary = summary.assign(engagement_share=summary["engagement_total"] / total
                                 if total > 0 else 0.0)
    emb, given = _embedding(embedding, features, n, random_state)
    order = segment_order(segments, summary)
    colors = segment_colors(order)
    tables = as_data(data, manifest)
    source = tables if tables is not None else data
    chan = channel_table(segment_engagement, engagement_by_channel, segments)
    parts = story_parts(segments, summary, data=source, chan=chan, previous=previous,
                        min_support=min_support, identifiers=identifiers)

    map_fig, shown = map_figure(segments, emb, order, colors, max(1, max_points), random_state)
    follows, n_unique, comm_note = _follows_of(source)
    comm_fig = None
    if follows is not None:
        comm_fig, comm_note = community_map(segments, follows,
                                            max_communities=max(1, max_communities),
                                            random_state=random_state, n_unique=n_unique,
                                            labels=parts.community_labels, data=tables)
    att_figs, att_note = _attribution_figures(attribution or {}, manifest)
    figs = [
        ("segment-map", map_fig),
        ("segment-profiles", _or_note(profile_figure(segments, features, order),
                                      "No numeric features with between-segment variation.")),
        ("community-mix", community_mix_figure(segments, parts.community_labels, order)),
        ("engagement", engagement_figure(summary, colors)),
        ("engagement-channels", _or_note(channel_heatmap(chan, order), _NO_CHANNELS)),
        ("channel-flows", _or_note(sankey_figure(chan, order, colors), _NO_CHANNELS)),
        ("community-map", _or_note(comm_fig, comm_note)),
        *att_figs,
    ]
    divs = figures_to_divs(figs, plotly_template(), note("Nothing to draw."))

    date = next((str(manifest[k]) for k in DATE_KEYS if manifest.get(k)), "")
    folder = data_folder_name(data, manifest)
    sample_note = (
        f"showing {shown:,} of {n:,} members (seeded random sample, stratified by segment)"
        if shown < n
        else f"showing all {n:,} members"
    )
    emb_note = "run embedding" if given else "PCA of standardised log1p(|features|)"
    esc = html.escape
    header = summary_line([
        *([f"data <b>{esc(folder)}</b>"] if folder else []),
        f"run {esc(date)}" if date else "date not recorded",
        f"config {esc(str(manifest.get('name') or ''))} "
        f"{esc(str(manifest.get('config_hash', ''))[:12])}".replace("  ", " "),
    ])
    comm_text = (f"{comm_note} Nodes: communities, labelled by their two most influential "
                 "members and the topic they over-index on, sized by members and coloured by "
                 "engagement weight per member (hover for their segments); edges: follows "
                 "between members of two communities, wider for more."
                 ) if comm_fig is not None else None
    secs = [
        ("Summary", summary_html(summary, parts.influencers, parts.uses, parts.changes,
                                 parts.names_note), None),
        ("Segments", cards_html(summary, parts.tops, parts.uses, parts.affinity,
                                parts.channels, colors),
         "Top members by influence (ties by engagement weight, then id); topics and accounts "
         "the segment over-indexes on (hover for counts and lift); channels by share of the "
         "segment's engagement weight. Suggested use, first rule that holds: invite if "
         "influencers and bloggers are half the segment or more; exclude if engagement per "
         "member is under a quarter of the community's and conversion at most half of it; "
         "activate if engagement per member is at least the community's but conversion "
         "below it; nurture otherwise."),
        ("Affinities", affinity_html(parts, min_support), affinity_note(min_support)),
    ]
    if parts.changes is not None:
        secs.append(("What changed since " + parts.changes["label"],
                     '<div id="changes"></div>' + changes_html(parts.changes),
                     "Segments matched by name; members by member_id."))
    secs += [
        ("Segment map", divs["segment-map"], f"{sample_note}; coordinates: {emb_note}."),
        ("Segment profiles", divs["segment-profiles"],
         "Mean of each feature per segment, standardised per feature across segments "
         f"(z-score); up to {MAX_HEATMAP_FEATURES} features with the largest share of "
         "variance between segments."),
        ("Community mix per segment", divs["community-mix"],
         "Share of each segment's members in the largest communities (labelled by their top "
         "members and topic). Roles are not drawn: segments are made within roles, so each "
         "is one role (the cards and the table give the role mix)."),
        ("Engagement weight by segment", divs["engagement"],
         "Labels: share of total engagement weight."),
        ("Engagement weight by segment and channel", divs["engagement-channels"],
         "Cells: share of all engagement weight; hover for the totals and the shares within "
         "the segment and the channel."),
        ("Channel-to-segment flows", divs["channel-flows"],
         "Engagement weight flowing from each channel (left) to each segment (right); band "
         "width is the weight."),
        ("Community map", divs["community-map"], comm_text),
        ("Journeys to conversion", divs["journeys"],
         "Each person's first touches (channels) before a conversion, or up to the end of "
         "the data, then the outcome; band width is the number of journeys "
         "(journeys.parquet in the run folder)."),
        ("What each channel adds to conversion", divs["attribution"], att_note),
        ("Segment table", f'<div class="scroll">{_segments_table(summary, parts)}</div>',
         "The full table is segment_summary.csv in the run folder."),
        ("Quality and provenance", quality_html(metrics)
         + f"\n<details><summary>Manifest (config, versions, timings, warnings)"
         f"</summary><pre>{pretty_json(manifest)}</pre></details>", None),
    ]
    body = "\n".join(section(f"{i}. {t}", b, note=nt) for i, (t, b, nt) in
                     enumerate(secs, start=1))
    return page(title_of(n, len(order)), header, body)


def _attribution_figures(attribution: dict, manifest: dict) -> tuple[list, str]:
    from clusterkit.attribution.figures import journey_sankey

    journeys = attribution.get("journeys")
    table = attribution.get("attribution")
    has_j = journeys is not None and len(journeys) > 0
    has_t = table is not None and len(table) > 0
    text = ("Share of conversions credited to each channel, with bootstrap intervals over "
            "persons (attribution.csv; learned engagement weights in weights.yaml). ")
    fig = note(_NO_JOURNEYS)
    if has_t:
        default = default_model(manifest, table["model"].astype(str).unique())
        fig, neg = attribution_figure(table, default)
        text += (f"Drawn: the run's default model, {default!r}, which separates how often a "
                 "channel is touched from what it adds; the other models are listed in the "
                 "legend: click one to show it. " + (neg or ""))
    return [("journeys", journey_sankey(journeys, title="") if has_j else note(_NO_JOURNEYS)),
            ("attribution", fig)], text.strip()


def write_report(path: str | Path, **kwargs) -> Path:
    """Render the report (same keyword arguments as render_report) and write it to path."""
    return write_html(path, render_report(**kwargs))


def render_run_report(result, *, data=None, max_points: int = 50_000,
                      max_communities: int = 60, previous=None,
                      min_support: int = MIN_SUPPORT, identifiers=None) -> str:
    """The report of a :class:`~clusterkit.results.RunResult`.

    ``data`` (a CommunityData, a dataset folder or a follows frame) is the run's input, for
    handles, topics, affinities and the community map (members shown by id and the map
    omitted without it); ``previous`` (a RunResult or a run folder) adds what changed.
    Other keywords as :func:`render_report`.
    """
    return render_report(
        segments=result.segments, summary=result.summary, features=result.features,
        embedding=result.embedding, metrics=result.metrics, manifest=result.manifest,
        segment_engagement=result.segment_engagement,
        engagement_by_channel=result.engagement_by_channel,
        data=data, max_points=max_points,
        max_communities=max_communities,
        random_state=int(result.manifest.get("seed", 0) or 0),
        attribution=getattr(result, "attribution", None), previous=previous,
        min_support=min_support, identifiers=identifiers)


def write_run_report(path: str | Path, result, **kwargs) -> Path:
    """Render a run's report (keywords as :func:`render_run_report`) and write it to path.

    Examples
    --------
    Re-render the report of a saved run, with its dataset for the community map::

        from clusterkit.results import load_run
        write_run_report("run/report.html", load_run("run"), data="data")

    and say what changed since an earlier run of the same data::

        write_run_report("run/report.html", load_run("run"), data="data", previous="old-run")
    """
    return write_html(path, render_run_report(result, **kwargs))
