"""Communities in words: labels from their top members and topics, and each segment's mix.

A community label is ``"<number>: <top members> · <top topic>"``: the two most influential
members (by handle where the dataset gives one, see :func:`.cards.top_members`) and the
topic the community over-indexes on most (:func:`.affinity.affinities`); the number keeps
labels unique. Without handles and topics the label is the members' ids.

Examples
--------
>>> import pandas as pd
>>> seg = pd.DataFrame({"member_id": list("abcde"), "segment": ["s", "s", "s", "t", "t"],
...                     "community": [0, 0, 1, 1, 1], "influence": [.9, .1, .5, .7, .2],
...                     "engagement_weight": 1.0})
>>> labels = community_labels(seg, pd.Series(["@a", "b", "c", "@d", "e"], index=list("abcde")))
>>> labels.to_dict()
{0: '0: @a, b', 1: '1: @d, c'}
>>> main_communities(seg, labels)["main_community"].tolist()
['0: @a, b (67%)', '1: @d, c (100%)']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["community_labels", "community_mix_figure", "main_communities"]

MIX_COMMUNITIES = 8


def community_labels(segments: pd.DataFrame, labels: pd.Series,
                     topics: pd.DataFrame | None = None, k: int = 2) -> pd.Series:
    """A label per community (label >= 0): its top ``k`` members, then its top topic.

    ``labels`` maps member ids to what to show (handle, name or id); ``topics`` are
    :func:`~clusterkit.report.affinity.affinities` with the community number as group.
    Vectorised: one sort of the members, string columns joined per rank.
    """
    from clusterkit.report.cards import top_members

    seg = segments[segments["community"].to_numpy() >= 0]
    if len(seg) == 0:
        return pd.Series(dtype=object)
    tops = top_members(seg, k=k, by="community")
    ids = tops["member_id"].astype(str).to_numpy()
    found = labels.reindex(ids).to_numpy()
    tops["label"] = np.where(pd.isna(found), ids, found).astype(str)
    wide = tops.pivot(index="community", columns="rank", values="label")
    text = wide[wide.columns[0]].astype(str)
    for col in wide.columns[1:]:
        text = text + wide[col].map(lambda v: "" if pd.isna(v) else f", {v}")
    if topics is not None and len(topics):
        first = topics[(topics["kind"] == "topic") & (topics["rank"] == 1)]
        top = pd.Series(first["item"].astype(str).to_numpy(),
                        index=first["group"].astype(np.int64).to_numpy())
        top = top.reindex(text.index)
        text = text + top.map(lambda v: "" if pd.isna(v) else f" · {v}")
    out = pd.Series(text.index.astype(str), index=text.index) + ": " + text
    out.index.name = "community"
    return out.rename("label").astype(object)


def main_communities(segments: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """Each segment's largest community, its share of the segment, and whether a majority.

    Returns ``segment, community, community_share, majority, main_community`` (the text
    shown: the label and its share, with ``"no majority"`` when under half the segment).
    """
    counts = (segments.groupby(["segment", "community"]).size().rename("n").reset_index()
              .sort_values(["segment", "n", "community"], ascending=[True, False, True],
                           kind="mergesort"))
    size = counts.groupby("segment")["n"].transform("sum")
    counts["community_share"] = counts["n"] / size
    top = counts.drop_duplicates("segment").reset_index(drop=True)
    top["majority"] = top["community_share"] > 0.5
    name = top["community"].map(labels).where(top["community"] >= 0, "no community")
    name = name.fillna(top["community"].astype(str))
    share = (100 * top["community_share"]).round(0).astype(int).astype(str) + "%"
    top["main_community"] = np.where(top["majority"], name + " (" + share + ")",
                                     "no majority: largest " + name + " (" + share + ")")
    return top[["segment", "community", "community_share", "majority", "main_community"]]


def community_mix_figure(segments: pd.DataFrame, labels: pd.Series, order: list[str]):
    """Stacked bars: the share of each segment's members in each of the largest communities.

    The :data:`MIX_COMMUNITIES` largest communities get a colour each (never repeated);
    the rest are one grey "other communities" bar and members without one "no community".
    Replaces the role mix, which is one role per segment when segments are made within roles.
    """
    import plotly.graph_objects as go

    from clusterkit.report.figures import distinct_palette

    comm = segments["community"].to_numpy(dtype=np.int64)
    sizes = pd.Series(comm[comm >= 0]).value_counts()
    sizes = sizes.sort_index().sort_values(ascending=False, kind="mergesort")
    shown = sizes.index[:MIX_COMMUNITIES].tolist()
    key = np.where(np.isin(comm, shown), comm, np.where(comm >= 0, -2, -1))
    mix = pd.crosstab(segments["segment"].astype(str).to_numpy(), key, normalize="index")
    mix = mix.reindex(index=order, columns=shown + [-2, -1]).fillna(0.0)
    colors = distinct_palette(len(shown)) + ["#9aa5b1", "#d9dee3"]
    names = [str(labels.get(c, c)) for c in shown] + ["other communities", "no community"]
    fig = go.Figure()
    for col, name, color in zip(mix.columns, names, colors, strict=True):
        if not mix[col].any():
            continue
        fig.add_trace(go.Bar(y=list(mix.index), x=mix[col].to_numpy(), name=name,
                             orientation="h", marker_color=color,
                             hovertemplate="%{y}: %{x:.1%}<extra>%{fullData.name}</extra>"))
    fig.update_layout(barmode="stack", height=max(320, 32 * len(mix) + 200),
                      xaxis={"tickformat": ".0%", "range": [0, 1]},
                      yaxis={"autorange": "reversed"}, margin={"l": 180},
                      legend={"orientation": "h", "y": -0.15, "traceorder": "normal"})
    return fig
