"""Offline HTML comparison page of an experiment (plotly.js inlined exactly once).

Sections: metrics by grid point with error bars over seeds (and every seed's value), seed
stability (pairwise ARI across seeds per grid point), the ranking (mean ranks, Friedman test,
post-hoc p-values), the summary and run tables, skipped combinations, and the experiment's
provenance. Styles and helpers come from :mod:`clusterkit.report.html`; div ids are fixed so
the page depends only on the result.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from clusterkit.report.html import CSS, _colors, _pretty, _template, figures_to_divs

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
    colors = _colors(order)
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


def _table(df: pd.DataFrame, index: bool = False) -> str:
    return df.to_html(
        index=index, escape=True, border=0, na_rep="", float_format=lambda v: f"{v:.4g}"
    )


def render_comparison(result) -> str:
    """The comparison page of an :class:`~clusterkit.experiment.ExperimentResult` as HTML."""
    template = _template()
    figs = [(div_id, fig) for div_id, _, fig in comparison_figures(result)]
    divs = figures_to_divs(figs, template, '<p class="note">Needs at least two seeds.</p>',
                           bottom=90)
    esc = html.escape
    m = result.manifest
    title = f"clusterkit comparison: {m.get('name', '')}"
    metric_divs = "\n".join(
        f"<div><h3>{esc(div_id.removeprefix('metric-'))}</h3>{divs[div_id]}</div>"
        for div_id in divs
        if div_id.startswith("metric-")
    )
    ranking = result.ranking
    fried = ranking.friedman.reset_index()
    post = ranking.posthoc.copy()
    cols = summary_columns(result.summary)
    skipped = (
        _table(result.skipped)
        if len(result.skipped)
        else '<p class="note">Every grid combination ran.</p>'
    )
    metrics_txt = ", ".join(f"{k} ({v} is better)" for k, v in ranking.metrics.items())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title><style>{CSS}</style></head>
<body><main>
<h1>{esc(title)}</h1>
<p class="summary"><span><b>{m.get("n_points", len(result.summary))}</b> grid points</span>
<span><b>{len(m.get("seeds", []))}</b> seeds</span><span><b>{m.get("n_runs", len(result.runs))}
</b> runs</span><span><b>{m.get("n_members", 0):,}</b> members</span>
<span>{esc(str(m.get("created_at", "")))}</span>
<span>data {esc(str(m.get("data_fingerprint", ""))[:12])}</span></p>
<section><h2>1. Metrics by grid point</h2><p class="note">Bars: mean over seeds, error bars:
standard deviation over seeds; dots: each seed.</p><div class="panels">{metric_divs}</div>
</section>
<section><h2>2. Seed stability</h2><p class="note">Adjusted Rand index between the labels of
every two seeds of a grid point (1 = the seed changes nothing).</p>
{divs["seed-stability"]}</section>
<section><h2>3. Ranking</h2><p class="note">Grid points ranked within each seed on
{esc(metrics_txt)}; Friedman test over seeds, Nemenyi critical difference and pairwise
Wilcoxon signed-rank tests with Holm's correction (Demšar 2006).</p>
{divs["ranking"]}
<h3>Mean ranks</h3><div class="scroll">{_table(ranking.mean_ranks, index=True)}</div>
<h3>Friedman test</h3><div class="scroll">{_table(fried)}</div>
<h3>Post-hoc (pairs)</h3><div class="scroll">{_table(post)}</div></section>
<section><h2>4. Summary per grid point</h2><div class="scroll">
{_table(result.summary[cols])}</div></section>
<section><h2>5. Runs</h2><div class="scroll">{_table(result.runs)}</div></section>
<section><h2>6. Skipped combinations</h2>{skipped}</section>
<section><h2>7. Provenance</h2><pre>{_pretty(m)}</pre></section>
</main></body></html>
"""


def summary_columns(summary: pd.DataFrame) -> list[str]:
    """Summary columns worth showing: keys, headline means and stds, seed ARI."""
    keep = [c for c in summary.columns if not c.endswith(("_mean", "_std"))]
    for m in _HEADLINE:
        keep += [c for c in (f"{m}_mean", f"{m}_std") if c in summary.columns]
    return list(dict.fromkeys(keep))


def write_comparison(path: str | Path, result) -> Path:
    """Render the comparison page and write it to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_comparison(result), encoding="utf-8")
    return path
