"""Offline, self-contained HTML report of a run (plotly.js inlined exactly once).

Everything is deterministic: the same inputs give the same HTML bytes (fixed div ids, seeded
sampling and PCA, sorted JSON); the only dates shown are those found in the manifest.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np
import pandas as pd

ROLES = ("influencer", "blogger", "fan", "follower")
ROLE_COLORS = {
    "influencer": "#d62728",
    "blogger": "#ff7f0e",
    "fan": "#2ca02c",
    "follower": "#9aa5b1",
}
DATE_KEYS = ("finished_at", "created_at", "started_at", "date", "timestamp")
GL_THRESHOLD = 5_000  # points on the map above which Scattergl is used
MAX_HEATMAP_FEATURES = 20

CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;background:#f6f7f9;
color:#1f2933}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{margin:0 0 4px}h2{margin:0 0 8px;font-size:1.2em}
section{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:16px;
margin:16px 0}
.summary span{display:inline-block;margin-right:24px}.note{color:#52606d;font-size:.9em}
table{border-collapse:collapse;font-size:.85em;width:100%}
th,td{border-bottom:1px solid #e4e7eb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5}.scroll{overflow-x:auto}
pre{background:#f0f2f5;padding:12px;border-radius:6px;overflow:auto;max-height:480px;
font-size:.8em}
.panels{display:grid;grid-template-columns:1fr 1fr;gap:16px}
"""


def _segment_order(segments: pd.DataFrame, summary: pd.DataFrame) -> list[str]:
    order = [str(s) for s in summary["segment"]] if "segment" in summary else []
    extra = sorted(set(segments["segment"].astype(str)) - set(order))
    return order + extra


def _colors(names: list[str]) -> dict[str, str]:
    from plotly.colors import qualitative as q

    palette = q.Plotly + q.D3 + q.Alphabet
    return {name: palette[i % len(palette)] for i, name in enumerate(names)}


def _template():
    import plotly.graph_objects as go
    import plotly.io as pio

    # layout only: the full template repeats ~10 KB of per-trace defaults in every figure
    layout = pio.templates["plotly_white"].layout
    return go.layout.Template(layout=layout)


def stratified_sample(labels: np.ndarray, max_points: int, random_state: int = 0) -> np.ndarray:
    """Sorted row indices of a seeded sample of ~max_points rows, every label kept.

    Each label gets a small floor (at least one row), the rest is allocated proportionally to
    size (largest remainder). The result can exceed max_points only when there are more labels
    than max_points.
    """
    n = len(labels)
    if n <= max_points:
        return np.arange(n)
    rng = np.random.default_rng(random_state)
    names, inverse = np.unique(labels, return_inverse=True)
    sizes = np.bincount(inverse, minlength=len(names))
    floor = np.minimum(sizes, max(1, max_points // (10 * len(names))))
    rest = max(0, max_points - int(floor.sum()))
    cap = sizes - floor
    exact = rest * cap / max(1, cap.sum())
    extra = np.floor(exact).astype(int)
    left = rest - int(extra.sum())
    if left > 0:
        frac = np.where(cap > extra, exact - extra, -1.0)
        for i in np.argsort(-frac, kind="stable")[:left]:
            if frac[i] >= 0:
                extra[i] += 1
    quota = floor + extra
    chosen = [
        rng.choice(np.flatnonzero(inverse == i), size=int(quota[i]), replace=False)
        for i in range(len(names))
    ]
    return np.sort(np.concatenate(chosen))


def _numeric(features: pd.DataFrame) -> pd.DataFrame:
    num = features.select_dtypes(include=["number", "bool"]).astype(float)
    return num.replace([np.inf, -np.inf], np.nan).fillna(0.0)


def pca_embedding(features: pd.DataFrame, random_state: int = 0) -> np.ndarray:
    """2-D PCA of the standardised log1p(|features|); zeros where it cannot be computed."""
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    x = np.log1p(np.abs(_numeric(features).to_numpy()))
    out = np.zeros((len(x), 2))
    if x.shape[1] == 0 or len(x) < 2:
        return out
    z = StandardScaler().fit_transform(x)
    k = min(2, z.shape[1], len(z))
    out[:, :k] = PCA(n_components=k, random_state=random_state).fit_transform(z)
    return out


def _map_figure(segments, emb, order, colors, max_points, random_state):
    import plotly.graph_objects as go

    labels = segments["segment"].astype(str).to_numpy()
    idx = stratified_sample(labels, max_points, random_state)
    trace_cls = go.Scattergl if len(idx) > GL_THRESHOLD else go.Scatter
    fig = go.Figure()
    for name in order:
        rows = idx[labels[idx] == name]
        if len(rows) == 0:
            continue
        sub = segments.iloc[rows]
        custom = np.column_stack(
            [
                sub["member_id"].astype(str),
                sub["role"].astype(str),
                np.round(sub["engagement_weight"].astype(float).to_numpy(), 4),
            ]
        )
        fig.add_trace(
            trace_cls(
                x=emb[rows, 0].astype(np.float32),
                y=emb[rows, 1].astype(np.float32),
                mode="markers",
                name=name,
                marker={"size": 5, "color": colors[name], "opacity": 0.7},
                customdata=custom,
                hovertemplate="%{customdata[0]}<br>role: %{customdata[1]}"
                "<br>engagement weight: %{customdata[2]}<extra>" + html.escape(name) + "</extra>",
            )
        )
    fig.update_layout(
        height=560, legend_title_text="segment", xaxis_title="dim 1", yaxis_title="dim 2"
    )
    return fig, len(idx)


def _profile_figure(segments, features, order):
    import plotly.graph_objects as go

    num = _numeric(features)
    if num.shape[1] == 0 or len(num) == 0:
        return None
    labels = segments["segment"].astype(str).to_numpy()
    grouped = num.set_axis(labels, axis=0).groupby(level=0, sort=False)
    means = grouped.mean().reindex([s for s in order if s in set(labels)])
    sizes = grouped.size().reindex(means.index).to_numpy(float)
    total_var = num.var(ddof=0).to_numpy()
    between = ((means - num.mean()) ** 2).mul(sizes, axis=0).sum().to_numpy() / len(num)
    ratio = np.divide(between, total_var, out=np.zeros_like(between), where=total_var > 0)
    top = np.argsort(-ratio, kind="stable")[:MAX_HEATMAP_FEATURES]
    keep = [means.columns[i] for i in top if ratio[i] > 0]
    if not keep:
        return None
    m = means[keep]
    sd = m.std(ddof=0).replace(0, 1.0)
    z = ((m - m.mean()) / sd).to_numpy()
    fig = go.Figure(
        go.Heatmap(
            z=np.round(z, 3),
            x=[str(c) for c in keep],
            y=list(m.index),
            customdata=m.to_numpy(),
            colorscale="RdBu",
            reversescale=True,
            zmid=0,
            colorbar={"title": {"text": "z"}},
            hovertemplate="%{y}<br>%{x}<br>mean: %{customdata:.4g}<br>z: %{z}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(320, 40 * len(m) + 160),
        yaxis={"autorange": "reversed"},
        xaxis={"tickangle": -35},
    )
    return fig


def _role_figure(segments, summary, order):
    import plotly.graph_objects as go

    cols = [f"role_{r}" for r in ROLES]
    if set(cols) <= set(summary.columns):
        mix = summary.assign(segment=summary["segment"].astype(str)).set_index("segment")[cols]
        mix.columns = list(ROLES)
    else:
        mix = pd.crosstab(segments["segment"].astype(str), segments["role"], normalize="index")
    mix = mix.reindex(index=order, columns=list(ROLES)).fillna(0.0)
    fig = go.Figure(
        [
            go.Bar(
                y=list(mix.index),
                x=mix[r].to_numpy(),
                name=r,
                orientation="h",
                marker_color=ROLE_COLORS[r],
                hovertemplate="%{y}: %{x:.1%}<extra>" + r + "</extra>",
            )
            for r in ROLES
        ]
    )
    fig.update_layout(
        barmode="stack",
        height=max(300, 32 * len(mix) + 140),
        xaxis={"tickformat": ".0%", "range": [0, 1]},
        yaxis={"autorange": "reversed"},
    )
    return fig


def _engagement_figure(summary, colors):
    import plotly.graph_objects as go

    names = summary["segment"].astype(str).tolist()
    total = summary["engagement_total"].astype(float).to_numpy()
    share = summary["engagement_share"] if "engagement_share" in summary else total / total.sum()
    fig = go.Figure(
        go.Bar(
            x=names,
            y=total,
            text=[f"{s:.1%}" for s in np.asarray(share, float)],
            textposition="outside",
            marker_color=[colors.get(n, "#636efa") for n in names],
            hovertemplate="%{x}<br>engagement: %{y:,.4g}<br>share: %{text}<extra></extra>",
        )
    )
    fig.update_layout(height=420, yaxis_title="engagement weight (total)", showlegend=False)
    return fig


def _summary_table(summary: pd.DataFrame) -> str:
    return summary.to_html(
        index=False, escape=True, border=0, na_rep="", float_format=lambda v: f"{v:.4g}"
    )


def _pretty(obj) -> str:
    return html.escape(json.dumps(obj, indent=2, sort_keys=True, default=str, allow_nan=True))


def figures_to_divs(figs, template, empty_html: str, bottom: int = 60) -> dict:
    """``(div_id, figure)`` pairs → HTML divs, plotly.js inlined in the first one only.

    A ``None`` figure becomes ``empty_html``. Div ids are fixed, so output is deterministic.
    """
    divs, first = {}, True
    for div_id, fig in figs:
        if fig is None:
            divs[div_id] = empty_html
            continue
        fig.update_layout(template=template, margin={"l": 60, "r": 20, "t": 30, "b": bottom})
        divs[div_id] = fig.to_html(
            full_html=False,
            include_plotlyjs=first,
            div_id=div_id,
            config={"displaylogo": False, "responsive": True},
        )
        first = False
    return divs


def render_report(
    *,
    segments: pd.DataFrame,
    summary: pd.DataFrame,
    features: pd.DataFrame,
    embedding: np.ndarray | None,
    metrics: dict,
    manifest: dict,
    max_points: int = 50_000,
    random_state: int = 0,
) -> str:
    """The report as one self-contained HTML string (plotly.js inlined once, no network)."""
    if len(features) != len(segments):
        raise ValueError(f"features has {len(features)} rows, segments {len(segments)}")
    n = len(segments)
    if embedding is None:
        emb = pca_embedding(features, random_state)
    else:
        emb = np.asarray(embedding, dtype=float)
        if emb.ndim != 2 or emb.shape[0] != n or emb.shape[1] < 2:
            raise ValueError(f"embedding must have shape ({n}, 2), got {emb.shape}")
        emb = np.nan_to_num(emb[:, :2])
    order = _segment_order(segments, summary)
    colors = _colors(order)
    template = _template()

    map_fig, shown = _map_figure(segments, emb, order, colors, max(1, max_points), random_state)
    figs = [
        ("segment-map", map_fig),
        ("segment-profiles", _profile_figure(segments, features, order)),
        ("role-mix", _role_figure(segments, summary, order)),
        ("engagement", _engagement_figure(summary, colors)),
    ]
    divs = figures_to_divs(
        figs, template, '<p class="note">No numeric features with between-segment variation.</p>'
    )

    date = next((str(manifest[k]) for k in DATE_KEYS if manifest.get(k)), "")
    title = str(manifest.get("title") or manifest.get("name") or "clusterkit report")
    sample_note = (
        f"showing {shown:,} of {n:,} members (seeded random sample, stratified by segment)"
        if shown < n
        else f"showing all {n:,} members"
    )
    emb_note = "PCA of standardised log1p(|features|)" if embedding is None else "run embedding"
    esc = html.escape
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title><style>{CSS}</style></head>
<body><main>
<h1>{esc(title)}</h1>
<p class="summary"><span><b>{n:,}</b> members</span><span><b>{len(order)}</b> segments</span>
<span>{esc(date) if date else "date not recorded"}</span>
<span>config {esc(str(manifest.get("config_hash", ""))[:12])}</span></p>
<section><h2>1. Segment map</h2><p class="note">{esc(sample_note)}; coordinates: {emb_note}.</p>
{divs["segment-map"]}</section>
<section><h2>2. Segment profiles</h2><p class="note">Mean of each feature per segment, standardised
per feature across segments (z-score); up to {MAX_HEATMAP_FEATURES} features with the largest
share of variance between segments.</p>
{divs["segment-profiles"]}</section>
<section><h2>3. Role mix per segment</h2>{divs["role-mix"]}</section>
<section><h2>4. Engagement weight by segment</h2><p class="note">Labels: share of total
engagement weight.</p>
{divs["engagement"]}</section>
<section><h2>5. Segments</h2><div class="scroll">{_summary_table(summary)}</div></section>
<section><h2>6. Quality and provenance</h2><div class="panels">
<div><h3>Metrics</h3><pre>{_pretty(metrics)}</pre></div>
<div><h3>Manifest</h3><pre>{_pretty(manifest)}</pre></div></div></section>
</main></body></html>
"""


def write_report(path: str | Path, **kwargs) -> Path:
    """Render the report (same keyword arguments as render_report) and write it to path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(**kwargs), encoding="utf-8")
    return path
