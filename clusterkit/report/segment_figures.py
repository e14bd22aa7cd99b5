"""Figures of the run report about segments: the map, the profiles, role mix, engagement.

Each function takes the run's per-member ``segments`` table (and what else it needs) and
returns a plotly figure, or ``None`` when there is nothing to draw. Sampling and PCA are
seeded, so the figures depend only on their inputs.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

__all__ = [
    "engagement_figure",
    "map_figure",
    "pca_embedding",
    "profile_figure",
    "role_figure",
    "segment_order",
    "stratified_sample",
]

ROLES = ("influencer", "blogger", "fan", "follower")
ROLE_COLORS = {
    "influencer": "#d62728",
    "blogger": "#ff7f0e",
    "fan": "#2ca02c",
    "follower": "#9aa5b1",
}
GL_THRESHOLD = 5_000  # points on the map above which Scattergl (WebGL) is used
MAX_HEATMAP_FEATURES = 20


def segment_order(segments: pd.DataFrame, summary: pd.DataFrame) -> list[str]:
    """Segments in the summary's order (largest first), then any others sorted by name."""
    order = [str(s) for s in summary["segment"]] if "segment" in summary else []
    extra = sorted({str(s) for s in segments["segment"].unique()} - set(order))
    return order + extra


def stratified_sample(labels: np.ndarray, max_points: int, random_state: int = 0) -> np.ndarray:
    """Sorted row indices of a seeded sample of ~max_points rows, every label kept.

    Each label gets a small floor (at least one row), the rest is allocated proportionally to
    size (largest remainder). The result can exceed max_points only when there are more labels
    than max_points.

    Examples
    --------
    >>> labels = np.array(["a"] * 90 + ["b"] * 9 + ["c"])
    >>> idx = stratified_sample(labels, 20, random_state=0)
    >>> len(idx), sorted(set(labels[idx].tolist()))
    (20, ['a', 'b', 'c'])
    """
    n = len(labels)
    if n <= max_points:
        return np.arange(n)
    rng = np.random.default_rng(random_state)
    codes, uniques = pd.factorize(labels)  # hashing, then names in sorted order
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[np.argsort(np.asarray(uniques, dtype=str), kind="stable")] = np.arange(len(uniques))
    names, inverse = np.sort(np.asarray(uniques, dtype=str)), rank[codes]
    sizes = np.bincount(inverse, minlength=len(names))
    floor = np.minimum(sizes, max(1, max_points // (10 * len(names))))
    rest = max(0, max_points - int(floor.sum()))
    cap = sizes - floor
    exact = rest * cap / max(1, cap.sum())
    extra = np.floor(exact).astype(int)
    left = rest - int(extra.sum())
    if left > 0:
        frac = np.where(cap > extra, exact - extra, -1.0)
        top = np.argsort(-frac, kind="stable")[:left]
        extra[top[frac[top] >= 0]] += 1
    quota = floor + extra
    order = np.argsort(inverse, kind="stable")  # rows grouped by label, one sort
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    chosen = [  # one draw per label (a loop over segments, not members)
        order[starts[i] + rng.choice(int(sizes[i]), size=int(quota[i]), replace=False)]
        for i in range(len(names))
    ]
    return np.sort(np.concatenate(chosen))


def _numeric(features: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """The numeric and boolean columns as float64 (NaN and infinities → 0), and their names."""
    num = features.select_dtypes(include=["number", "bool"])
    x = num.to_numpy(dtype=np.float64, copy=True)
    x[~np.isfinite(x)] = 0.0
    return x, [str(c) for c in num.columns]


def pca_embedding(features: pd.DataFrame, random_state: int = 0) -> np.ndarray:
    """2-D PCA of the standardised log1p(|features|); zeros where it cannot be computed."""
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    x = np.log1p(np.abs(_numeric(features)[0]))
    out = np.zeros((len(x), 2))
    if x.shape[1] == 0 or len(x) < 2:
        return out
    z = StandardScaler().fit_transform(x)
    k = min(2, z.shape[1], len(z))
    out[:, :k] = PCA(n_components=k, random_state=random_state).fit_transform(z)
    return out


def map_figure(segments, emb, order, colors, max_points, random_state):
    """Members on the 2-D embedding coloured by segment; returns ``(figure, points shown)``."""
    import plotly.graph_objects as go

    labels = segments["segment"].astype(str).to_numpy()
    idx = stratified_sample(labels, max_points, random_state)
    trace_cls = go.Scattergl if len(idx) > GL_THRESHOLD else go.Scatter
    # one take of the sample's three columns, then per-segment masks on it
    shown = segments[["member_id", "role", "engagement_weight"]].iloc[idx]
    custom_all = np.column_stack([
        shown["member_id"].astype(str).to_numpy(dtype=object),
        shown["role"].astype(str).to_numpy(dtype=object),
        np.round(shown["engagement_weight"].to_numpy(dtype=np.float64), 4),
    ])
    shown_labels = labels[idx]
    fig = go.Figure()
    for name in order:
        mask = shown_labels == name
        if not mask.any():
            continue
        rows = idx[mask]
        custom = custom_all[mask]
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


def profile_figure(segments, features, order):
    """Heatmap of per-segment feature means (z-scored across segments), top features."""
    import plotly.graph_objects as go
    import scipy.sparse as sp

    x, columns = _numeric(features)
    n = len(x)
    if x.shape[1] == 0 or n == 0:
        return None
    codes, uniques = pd.factorize(segments["segment"].astype(str).to_numpy())
    sizes = np.bincount(codes, minlength=len(uniques)).astype(np.float64)
    onehot = sp.csr_array((np.ones(n), (codes, np.arange(n))), shape=(len(uniques), n))
    means = pd.DataFrame((onehot @ x) / sizes[:, None], index=list(uniques), columns=columns)
    present = set(means.index)
    rows = [s for s in order if s in present]
    sizes = pd.Series(sizes, index=means.index).reindex(rows).to_numpy()
    means = means.reindex(rows)
    total_var = x.var(axis=0)
    between = ((means.to_numpy() - x.mean(axis=0)) ** 2 * sizes[:, None]).sum(axis=0) / n
    ratio = np.divide(between, total_var, out=np.zeros_like(between), where=total_var > 0)
    top = np.argsort(-ratio, kind="stable")[:MAX_HEATMAP_FEATURES]
    keep = [columns[i] for i in top if ratio[i] > 1e-12]
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
        margin={"l": 180, "b": 130},
    )
    return fig


def role_figure(segments, summary, order):
    """Stacked horizontal bars: the share of each role in each segment."""
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
        legend={"orientation": "h", "y": -0.12},
        margin={"l": 180},
    )
    return fig


def engagement_figure(summary, colors):
    """Bars of total engagement weight per segment, labelled with its share of the total."""
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
            cliponaxis=False,
            marker_color=[colors.get(n, "#636efa") for n in names],
            hovertemplate="%{x}<br>engagement: %{y:,.4g}<br>share: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        height=440,
        yaxis_title="engagement weight (total)",
        showlegend=False,
        xaxis={"tickangle": -30, "automargin": True},
        margin={"t": 40},
    )
    return fig
