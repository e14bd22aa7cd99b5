"""Figures for a report: journey flows (Sankey) and attribution bars with intervals.

Both return plotly figures (plotly is imported inside the functions); the report decides
where they go.

Examples
--------
>>> from clusterkit.synthetic.journeys import generate_journeys
>>> from clusterkit.attribution import compare_models
>>> sj = generate_journeys(2000, seed=1)
>>> journey_sankey(sj.journeys, max_steps=3).data[0].type
'sankey'
>>> len(attribution_bars(compare_models(sj.journeys, ["last", "model"])).data)
2
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.attribution._arrays import prepare

__all__ = ["attribution_bars", "journey_flows", "journey_sankey"]


def journey_flows(journeys, max_steps: int = 4) -> pd.DataFrame:
    """Counts of journeys moving between touches, step by step, then to their outcome.

    Parameters
    ----------
    journeys : pandas.DataFrame or JourneyArrays
    max_steps : int
        Touches shown per journey (the first ones); the last shown goes to the outcome.

    Returns
    -------
    pandas.DataFrame
        ``source, target, journeys``; nodes are ``"<step>: <touch>"``, ``"converted"`` and
        ``"not converted"``.
    """
    a = prepare(journeys)
    k = a.n_touches
    step = a.step
    keep = step < max_steps
    last = keep & ((step == a.length[a.journey] - 1) | (step == max_steps - 1))
    nxt = np.flatnonzero(keep & ~last)
    src = step[nxt] * k + a.codes[nxt]
    dst = (step[nxt] + 1) * k + a.codes[nxt + 1]
    end = np.flatnonzero(last)
    outcome = np.where(a.converted[a.journey[end]], max_steps * k, max_steps * k + 1)
    keys = np.concatenate([src * (max_steps * k + 2) + dst,
                           (step[end] * k + a.codes[end]) * (max_steps * k + 2) + outcome])
    uniq, count = np.unique(keys, return_counts=True)
    s, d = np.divmod(uniq, max_steps * k + 2)

    def name(node):
        node = np.asarray(node)
        label = np.array([f"{i // k + 1}: {a.touches[i % k]}" for i in range(max_steps * k)]
                         + ["converted", "not converted"], dtype=object)
        return label[node]

    return pd.DataFrame({"source": name(s), "target": name(d), "journeys": count})


def journey_sankey(journeys, max_steps: int = 4, title: str | None = None):
    """A plotly Sankey of :func:`journey_flows`."""
    import plotly.graph_objects as go

    flows = journey_flows(journeys, max_steps)
    nodes = pd.Index(pd.unique(pd.concat([flows["source"], flows["target"]])))
    link = dict(source=nodes.get_indexer(flows["source"]),
                target=nodes.get_indexer(flows["target"]), value=flows["journeys"])
    fig = go.Figure(go.Sankey(node=dict(label=list(nodes), pad=12), link=link))
    fig.update_layout(title=title or f"Journeys: first {max_steps} touches, then the outcome")
    return fig


def attribution_bars(attribution: pd.DataFrame, title: str | None = None):
    """Grouped bars of each model's shares per touch, with the bootstrap interval if any."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for model, g in attribution.groupby("model", sort=False):
        err = None
        if g["ci_low"].notna().any():
            err = dict(type="data", symmetric=False, array=g["ci_high"] - g["share"],
                       arrayminus=g["share"] - g["ci_low"])
        fig.add_bar(name=model, x=g["touch"], y=g["share"], error_y=err)
    fig.update_layout(barmode="group", yaxis_tickformat=".0%",
                      title=title or "Share of conversions per touch, every model")
    return fig
