"""Figures of the run report about channels: engagement by segment × channel, and flows.

Both read one long table of engagement weight per (segment, channel) — the run's
``segment_engagement`` (see :func:`clusterkit.segments.segment_channel_engagement`), or
built from its member × channel ``engagement_by_channel`` when only that is at hand.

Examples
--------
>>> import pandas as pd
>>> seg = pd.DataFrame({"segment": ["fans", "fans", "quiet"]})
>>> by_channel = pd.DataFrame({"shop": [2.0, 1.0, 0.0], "blog": [0.0, 1.0, 0.5]})
>>> t = channel_table(None, by_channel, seg)
>>> t[["segment", "channel", "total"]].to_string(index=False)
'segment channel  total\\n   fans    blog    1.0\\n   fans    shop    3.0\\n  quiet    blog    0.5'
>>> fig = sankey_figure(t, ["fans", "quiet"], {"fans": "#636EFA", "quiet": "#EF553B"})
>>> float(sum(fig.data[0].link.value))
4.5
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["attribution_figure", "channel_heatmap", "channel_table", "default_model",
           "sankey_figure"]

CHANNEL_COLOR = "#7b8794"


def channel_table(segment_engagement, engagement_by_channel, segments) -> pd.DataFrame:
    """Engagement weight per (segment, channel), channels only (no ``"all"`` rows).

    Returns columns ``segment, channel, total, mean`` with rows of zero weight dropped,
    sorted by segment and channel; empty when the run has no channel breakdown.
    """
    cols = ["segment", "channel", "total", "mean"]
    table = segment_engagement
    if (table is None or len(table) == 0) and engagement_by_channel is not None and len(
            getattr(engagement_by_channel, "columns", ())):
        from clusterkit.segments import segment_channel_engagement

        table = segment_channel_engagement(segments, engagement_by_channel)
    if table is None or len(table) == 0 or not {"segment", "channel", "total"} <= set(table):
        return pd.DataFrame(columns=cols)
    out = table[table["channel"].astype(str) != "all"].copy()
    out["segment"] = out["segment"].astype(str)
    out["channel"] = out["channel"].astype(str)
    out["total"] = out["total"].astype(float)
    if "mean" not in out:
        out["mean"] = np.nan
    out = out[out["total"] > 0]
    return out.sort_values(["segment", "channel"], kind="mergesort")[cols].reset_index(
        drop=True)


def _channel_order(table: pd.DataFrame) -> list[str]:
    tot = table.groupby("channel")["total"].sum()
    return sorted(tot.index, key=lambda c: (-tot[c], c))  # a handful of channels


def channel_heatmap(table: pd.DataFrame, order: list[str]):
    """Segment × channel heatmap of the share of all engagement weight (None when empty)."""
    import plotly.graph_objects as go

    if table.empty:
        return None
    channels = _channel_order(table)
    rows = [s for s in order if s in set(table["segment"])]
    total = table.pivot_table(index="segment", columns="channel", values="total",
                              aggfunc="sum").reindex(index=rows, columns=channels).fillna(0.0)
    mean = table.pivot_table(index="segment", columns="channel", values="mean",
                             aggfunc="sum").reindex(index=rows, columns=channels)
    grand = float(total.to_numpy().sum())
    share = total / grand
    seg_share = total.div(total.sum(axis=1).replace(0, 1.0), axis=0)
    chan_share = total.div(total.sum(axis=0).replace(0, 1.0), axis=1)
    custom = np.stack([total.to_numpy(), mean.to_numpy(), seg_share.to_numpy(),
                       chan_share.to_numpy()], axis=-1)
    fig = go.Figure(
        go.Heatmap(
            z=np.round(share.to_numpy(), 5),
            x=channels,
            y=rows,
            customdata=custom,
            colorscale="Blues",
            zmin=0,
            texttemplate="%{z:.1%}",
            colorbar={"title": {"text": "share of total"}, "tickformat": ".0%"},
            hovertemplate="%{y} · %{x}<br>engagement weight: %{customdata[0]:,.4g}"
            "<br>share of all engagement: %{z:.2%}<br>share of the segment's: "
            "%{customdata[2]:.1%}<br>share of the channel's: %{customdata[3]:.1%}"
            "<br>mean per member: %{customdata[1]:.3g}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(320, 34 * len(rows) + 150),
        yaxis={"autorange": "reversed"},
        xaxis={"side": "top"},
        margin={"l": 180, "t": 50, "b": 20},
    )
    return fig


def _rgba(color: str, alpha: float) -> str:
    """``#rrggbb`` or ``rgb(r, g, b)`` → ``rgba(r,g,b,alpha)``."""
    from plotly.colors import hex_to_rgb, unlabel_rgb

    r, g, b = hex_to_rgb(color) if color.startswith("#") else unlabel_rgb(color)
    return f"rgba({int(r)},{int(g)},{int(b)},{alpha})"


def sankey_figure(table: pd.DataFrame, order: list[str], colors: dict):
    """Sankey of engagement weight flowing from each channel to each segment (None if empty).

    Link values are the (segment, channel) totals, so the links into a segment add up to
    its engagement weight and all links to the run's total.
    """
    import plotly.graph_objects as go

    if table.empty:
        return None
    from plotly.colors import qualitative as q

    channels = _channel_order(table)
    segs = [s for s in order if s in set(table["segment"])]
    chan_colors = {c: q.Safe[i % len(q.Safe)] for i, c in enumerate(channels)}
    node = {name: i for i, name in enumerate([f"ch:{c}" for c in channels] + segs)}
    t = table.assign(channel_rank=table["channel"].map({c: i for i, c in enumerate(channels)}),
                     segment_rank=table["segment"].map({s: i for i, s in enumerate(segs)}))
    t = t.sort_values(["channel_rank", "segment_rank"], kind="mergesort")
    grand = float(t["total"].sum())
    src = ("ch:" + t["channel"]).map(node).to_numpy()
    dst = t["segment"].map(node).to_numpy()
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            valueformat=",.4g",
            node={
                "label": channels + segs,
                "color": [chan_colors[c] for c in channels]
                + [colors.get(s, CHANNEL_COLOR) for s in segs],
                "pad": 14,
                "thickness": 16,
                "line": {"width": 0},
                "hovertemplate": "%{label}<br>engagement weight: %{value:,.4g}<extra></extra>",
            },
            link={
                "source": src,
                "target": dst,
                "value": t["total"].to_numpy(dtype=np.float64),
                "customdata": t["total"].to_numpy(dtype=np.float64) / grand,
                "color": t["channel"].map({c: _rgba(v, 0.35) for c, v in chan_colors.items()}
                                          ).tolist(),
                "hovertemplate": "%{source.label} → %{target.label}<br>engagement weight: "
                "%{value:,.4g} (%{customdata:.1%} of all)<extra></extra>",
            },
        )
    )
    fig.update_layout(height=max(460, 34 * max(len(segs), len(channels)) + 120),
                      margin={"l": 20, "r": 20, "t": 20, "b": 20})
    return fig


def default_model(manifest: dict, models) -> str | None:
    """The run's default attribution model among ``models``.

    The config's ``attribution.default_model`` when set, else the model the engagement
    weights were learned from (``attribution.weights_model``), else ``"model"``, else the
    first model.
    """
    models = [str(m) for m in models]
    cfg = ((manifest or {}).get("config") or {}).get("attribution") or {}
    for name in (cfg.get("default_model"), cfg.get("weights_model"), "model"):
        if name in models:
            return name
    return models[0] if models else None


def attribution_figure(table: pd.DataFrame, default: str | None):
    """Every model's shares per touch: the default drawn, the others one click away.

    The bars of :func:`clusterkit.attribution.figures.attribution_bars`, recoloured from
    :func:`~clusterkit.report.figures.distinct_palette` (the default first, no colour
    twice however many models) and, but for the default, hidden until clicked in the
    legend (``visible="legendonly"``). Returns ``(figure, note)``: the note names negative
    credits, which are drawn as they are (below zero).
    """
    from clusterkit.attribution.figures import attribution_bars
    from clusterkit.report.figures import distinct_palette

    fig = attribution_bars(table, title="")
    names = [str(t.name) for t in fig.data]
    order = sorted(range(len(names)), key=lambda i: (names[i] != default, i))
    palette = distinct_palette(len(names))
    for rank, i in enumerate(order):  # one trace per model: a dozen or so
        trace = fig.data[i]
        trace.marker.color = palette[rank]
        if names[i] == default:
            trace.name = f"{default} (default)"
            trace.marker.line = {"width": 1.5, "color": "#1f2933"}
        else:
            trace.visible = "legendonly"
    fig.update_layout(legend_title_text="model (click to show)", height=460,
                      title_text=f"Share of conversions per touch: {default} (default); "
                      "other models in the legend")
    share = table["share"].astype(float)
    neg = table[share < 0].assign(share=share[share < 0])
    if neg.empty:
        return fig, None
    neg = neg.sort_values(["share", "model", "touch"], kind="mergesort")
    eg = ", ".join(f"{m} gives {t} {v:.1%}" for m, t, v in
                   neg[["model", "touch", "share"]].head(3).itertuples(index=False))
    return fig, (f"{len(neg)} negative credit(s), drawn below zero as estimated ({eg}): "
                 "in such a model, journeys touching that channel convert less often than "
                 "comparable ones without it, so the others' shares add up to over 100%.")
