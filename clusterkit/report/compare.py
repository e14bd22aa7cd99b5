"""Offline HTML comparison page of an experiment (plotly.js inlined exactly once).

Sections: metrics by grid point with error bars over seeds (and every seed's value), seed
stability (pairwise ARI across seeds per grid point), the ranking (mean ranks, Friedman test,
post-hoc p-values), the summary and run tables, skipped combinations, and the experiment's
provenance. The style sheet, page shell, plotly template, colours and figure divs are the
run report's, from :mod:`clusterkit.report.figures`; div ids are fixed so the page depends
only on the result.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from clusterkit.report.figures import (
    figures_to_divs,
    html_table,
    page,
    plotly_template,
    pretty_json,
    section,
    segment_colors,
    summary_line,
    write_html,
)

__all__ = ["comparison_figures", "render_comparison", "summary_columns", "write_comparison"]

_HEADLINE = (
    "nmi",
    "ami",
    "ari",
    "role_macro_f1",
    "modularity",
    "coverage",
    "n_communities",
    "community_jaccard",
    "silhouette",
    "n_segments",
    "wall_s",
    "peak_mib",
)
_MAX_FIGURES = 8


def _metric_figure(runs: pd.DataFrame, summary: pd.DataFrame, metric: str, colors: dict):
    import plotly.graph_objects as go

    labels = summary["label"].astype(str).tolist()
    mean = summary[f"{metric}_mean"].to_numpy(dtype=np.float64)
    std = np.nan_to_num(summary[f"{metric}_std"].to_numpy(dtype=np.float64))
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=labels,
            y=mean,
            name="mean over seeds",
            marker_color=[colors[name] for name in labels],
            opacity=0.55,
            error_y={"type": "data", "array": std, "visible": True},
            hovertemplate="%{x}<br>mean %{y:.4g} ± %{error_y.array:.3g} (std)<extra></extra>",
        )
    )
    seeds = runs["seed"].astype(str).to_numpy()
    fig.add_trace(
        go.Scatter(
            x=runs["label"].astype(str).tolist(),
            y=runs[metric].to_numpy(dtype=np.float64),
            mode="markers",
            name="one seed",
            marker={"color": "#1f2933", "size": 6},
            customdata=seeds,
            hovertemplate="%{x}<br>seed %{customdata}: %{y:.4g}<extra></extra>",
        )
    )
    fig.update_layout(height=380, yaxis_title=metric, showlegend=False, xaxis={"tickangle": -25})
    return fig


def _stability_figure(stability: pd.DataFrame, order: list[str]):
    import plotly.graph_objects as go

    if stability.empty:
        return None
    fig = go.Figure()
    for kind, color in (("community", "#1f77b4"), ("cluster", "#ff7f0e")):
        sub = stability[stability["kind"] == kind]
        if sub.empty:
            continue
        fig.add_trace(
            go.Box(
                x=sub["label"].astype(str).tolist(),
                y=sub["ari"].to_numpy(dtype=np.float64),
                name=f"{kind} labels",
                marker_color=color,
                boxpoints="all",
                jitter=0.3,
                pointpos=0,
                hovertemplate="%{x}<br>pairwise ARI %{y:.4f}<extra>" + kind + "</extra>",
            )
        )
    fig.update_layout(
        boxmode="group",
        height=400,
        yaxis_title="ARI between two seeds",
        yaxis={"range": [min(-0.05, float(stability["ari"].min()) - 0.05), 1.05]},
        xaxis={"categoryorder": "array", "categoryarray": order, "tickangle": -25},
    )
    return fig


def _rank_figure(ranking, order: list[str]):
    import plotly.graph_objects as go

    mr = ranking.mean_ranks
    if mr.empty:
        return None
    fig = go.Figure()
    for metric in ranking.metrics:
        fig.add_trace(
            go.Scatter(
                x=mr[metric].to_numpy(dtype=np.float64),
                y=[str(i) for i in mr.index],
                mode="markers",
                name=metric,
                marker={"size": 11},
                hovertemplate="%{y}<br>mean rank %{x:.2f}<extra>"
                + html.escape(metric)
                + "</extra>",
            )
        )
        cd = ranking.friedman.loc[metric, "cd"]
        if np.isfinite(cd):
            best = float(np.nanmin(mr[metric].to_numpy(dtype=np.float64)))
            fig.add_shape(
                type="line",
                x0=best,
                x1=best + cd,
                y0=-0.6,
                y1=-0.6,
                line={"width": 4},
                xref="x",
                yref="y",
            )
            fig.add_annotation(
                x=best + cd / 2,
                y=-0.6,
                yshift=12,
                showarrow=False,
                text=f"Nemenyi CD = {cd:.2f} ({metric})",
            )
    fig.update_layout(
        height=max(260, 34 * len(mr) + 140),
        xaxis_title="mean rank (1 = best)",
        yaxis={"autorange": "reversed"},
    )
    return fig


def comparison_figures(result) -> list[tuple[str, str, object]]:
    """``(div id, title, plotly figure or None)`` of the page, in order."""
    runs, summary = result.runs, result.summary
    order = summary["label"].astype(str).tolist()
    colors = segment_colors(order)
    ranked = list(result.ranking.metrics)
    metrics = [
        m
        for m in dict.fromkeys(ranked + list(_HEADLINE))
        if m in runs.columns and f"{m}_mean" in summary.columns and runs[m].notna().any()
    ][:_MAX_FIGURES]
    figs = [(f"metric-{m}", m, _metric_figure(runs, summary, m, colors)) for m in metrics]
    figs.append(("seed-stability", "seed stability", _stability_figure(result.stability, order)))
    figs.append(("ranking", "ranking", _rank_figure(result.ranking, order)))
    return figs


def render_comparison(result) -> str:
    """The comparison page of an :class:`~clusterkit.experiment.ExperimentResult` as HTML."""
    figs = [(div_id, fig) for div_id, _, fig in comparison_figures(result)]
    divs = figures_to_divs(figs, plotly_template(),
                           '<p class="note">Needs at least two seeds.</p>', bottom=90)
    esc = html.escape
    m = result.manifest
    metric_divs = "\n".join(
        f"<div><h3>{esc(div_id.removeprefix('metric-'))}</h3>{divs[div_id]}</div>"
        for div_id in divs
        if div_id.startswith("metric-")
    )
    ranking = result.ranking
    skipped = (html_table(result.skipped) if len(result.skipped)
               else '<p class="note">Every grid combination ran.</p>')
    metrics_txt = ", ".join(f"{k} ({v} is better)" for k, v in ranking.metrics.items())
    header = summary_line([
        f"<b>{m.get('n_points', len(result.summary))}</b> grid points",
        f"<b>{len(m.get('seeds', []))}</b> seeds",
        f"<b>{m.get('n_runs', len(result.runs))}</b> runs",
        f"<b>{m.get('n_members', 0):,}</b> members",
        esc(str(m.get("created_at", ""))),
        f"data {esc(str(m.get('data_fingerprint', ''))[:12])}",
    ])
    verdict = getattr(result, "verdict", None)
    decision = ("" if verdict is None else section(
        "Recommendation", f"<p><b>{esc(verdict.line)}</b></p>"
        + "".join(f'<p class="note">{esc(n)}</p>' for n in verdict.notes),
        note=f"Ties of the mean rank are broken by {verdict.to_dict()['tie_break']}; "
        "degenerate grid points (one community or cluster, too much noise) are never "
        "recommended."))
    body = "\n".join([
        decision,
        section("1. Metrics by grid point", f'<div class="panels">{metric_divs}</div>',
                note="Bars: mean over seeds, error bars: standard deviation over seeds; "
                "dots: each seed."),
        section("2. Seed stability", divs["seed-stability"],
                note="Adjusted Rand index between the labels of every two seeds of a grid "
                "point (1 = the seed changes nothing)."),
        section("3. Ranking", divs["ranking"]
                + f"\n<h3>Mean ranks</h3><div class=\"scroll\">"
                f"{html_table(ranking.mean_ranks, index=True)}</div>"
                f"\n<h3>Friedman test</h3><div class=\"scroll\">"
                f"{html_table(ranking.friedman.reset_index())}</div>"
                f"\n<h3>Post-hoc (pairs)</h3><div class=\"scroll\">"
                f"{html_table(ranking.posthoc.copy())}</div>",
                note=f"Grid points ranked within each seed on {metrics_txt}. Friedman: do "
                "the grid points differ at all (small p: yes). Nemenyi: do two mean ranks "
                "differ by more than the critical difference (p < 0.05: yes). Wilcoxon-Holm: "
                "is one point better seed by seed, corrected for the number of pairs; with "
                "few seeds it cannot reach 0.05, so read Nemenyi first (Demšar 2006)."),
        section("4. Summary per grid point", '<div class="scroll">'
                f"{html_table(result.summary[summary_columns(result.summary)])}</div>"),
        section("5. Runs", f'<div class="scroll">{html_table(result.runs)}</div>'),
        section("6. Skipped combinations", skipped),
        section("7. Provenance", f"<pre>{pretty_json(m)}</pre>"),
    ])
    return page(f"clusterkit comparison: {m.get('name', '')}", header, body)


def summary_columns(summary: pd.DataFrame) -> list[str]:
    """Summary columns worth showing: keys, headline means and stds, seed ARI."""
    keep = [c for c in summary.columns if not c.endswith(("_mean", "_std"))]
    for m in _HEADLINE:
        keep += [c for c in (f"{m}_mean", f"{m}_std") if c in summary.columns]
    return list(dict.fromkeys(keep))


def write_comparison(path: str | Path, result) -> Path:
    """Render the comparison page and write it to ``path``."""
    return write_html(path, render_comparison(result))
