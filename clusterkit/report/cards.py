"""Segment cards: who is in a segment, what they care about, and what to do with them.

One card per segment: name, size and share of members, the handles of its most influential
members, the accounts, topics and channels it over-indexes on (:mod:`.affinity`), its
engagement weight and conversion rate, and a suggested use (:func:`suggested_use`).

Examples
--------
>>> import pandas as pd
>>> seg = pd.DataFrame({"member_id": ["a", "b", "c", "d"], "segment": ["s"] * 4,
...                     "influence": [0.2, 0.9, 0.9, 0.1], "engagement_weight": [1.0] * 4})
>>> top_members(seg, k=3)["member_id"].tolist()  # by influence, ties by engagement, then id
['b', 'c', 'a']
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

__all__ = ["USES", "cards_html", "suggested_use", "top_members"]

USES = ("invite", "activate", "nurture", "exclude")
"""Suggested uses of a segment (see :func:`suggested_use`)."""

CREATOR_SHARE = 0.5
LOW_ENGAGEMENT = 0.25
LOW_CONVERSION = 0.5


def top_members(segments: pd.DataFrame, k: int = 5, by: str = "segment") -> pd.DataFrame:
    """The ``k`` most influential members of each ``by`` group.

    Ordered by ``influence`` (descending), then ``engagement_weight`` (descending), then
    ``member_id``, so flat engagement never gives an alphabetical list and the order never
    depends on input rows. Returns the rows of ``segments`` with a ``rank`` (1 …) column,
    sorted by group and rank.
    """
    cols = [by, "influence", "engagement_weight", "member_id"]
    t = segments[cols].copy()
    for c in ("influence", "engagement_weight"):
        t[c] = t[c].astype(float).fillna(-np.inf)
    t = t.sort_values(cols, ascending=[True, False, False, True], kind="mergesort")
    t = t.groupby(by, sort=False).head(k)
    t["rank"] = t.groupby(by, sort=False).cumcount() + 1
    for c in ("influence", "engagement_weight"):
        t[c] = t[c].replace(-np.inf, np.nan)
    return t.reset_index(drop=True)


def suggested_use(summary: pd.DataFrame) -> pd.DataFrame:
    """A suggested use per segment, and the reason, from its role mix, engagement and conversion.

    The rules, first match wins (community figures over all members):

    1. **invite** — influencers and bloggers make at least half of the segment
       (``role_influencer + role_blogger >= 0.5``): creators to invite into a creator,
       ambassador or partner programme.
    2. **exclude** — engagement weight per member below a quarter of the community's and
       conversion rate at most half the community's (or no conversions anywhere): leave
       out of paid targeting.
    3. **activate** — engagement weight per member at least the community's while the
       conversion rate is below the community's: engaged but not buying, ready for an offer.
    4. **nurture** — everyone else: converting at or above the community's rate, or
       moderately engaged; keep them warm.

    A missing conversion rate counts as 0; missing role shares as 0.

    Parameters
    ----------
    summary : pandas.DataFrame
        The run's segment summary: ``segment, size, engagement_total`` and optionally
        ``role_influencer``, ``role_blogger``, ``conversion_rate``.

    Returns
    -------
    pandas.DataFrame
        ``segment, use, reason``, in the summary's order.

    Examples
    --------
    >>> s = pd.DataFrame({"segment": ["a", "b", "c", "d"], "size": [10, 10, 10, 10],
    ...                   "engagement_total": [50.0, 200.0, 5.0, 145.0],
    ...                   "role_influencer": [1.0, 0, 0, 0],
    ...                   "conversion_rate": [0.0, 0.1, 0.0, 0.5]})
    >>> suggested_use(s)["use"].tolist()
    ['invite', 'activate', 'exclude', 'nurture']
    """
    size = summary["size"].astype(float).to_numpy()
    mean = summary["engagement_total"].astype(float).to_numpy() / np.maximum(size, 1)
    com_mean = float(summary["engagement_total"].astype(float).sum()) / max(size.sum(), 1)
    zero = pd.Series(0.0, index=summary.index)
    conv = summary.get("conversion_rate", zero).astype(float).fillna(0.0).to_numpy()
    com_conv = float((conv * size).sum() / max(size.sum(), 1))
    creators = (summary.get("role_influencer", zero).astype(float).fillna(0.0)
                + summary.get("role_blogger", zero).astype(float).fillna(0.0)).to_numpy()
    invite = creators >= CREATOR_SHARE
    exclude = (mean < LOW_ENGAGEMENT * com_mean) & (conv <= LOW_CONVERSION * com_conv)
    activate = (mean >= com_mean) & (conv < com_conv)
    use = np.select([invite, exclude, activate], ["invite", "exclude", "activate"], "nurture")
    ratio = mean / com_mean if com_mean > 0 else np.zeros_like(mean)
    eng = [f"engagement {r:.1f}× the community's per member" for r in ratio]
    conv_t = [f"conversion {c:.1%} vs {com_conv:.1%}" for c in conv]
    reason = np.select(
        [invite, exclude, activate],
        [np.array([f"{c:.0%} influencers and bloggers" for c in creators], dtype=object),
         np.array([f"{e}; {c}" for e, c in zip(eng, conv_t, strict=True)], dtype=object),
         np.array([f"{e}; {c}" for e, c in zip(eng, conv_t, strict=True)], dtype=object)],
        np.array([f"{c}; {e}" for e, c in zip(eng, conv_t, strict=True)], dtype=object))
    return pd.DataFrame({"segment": summary["segment"].astype(str).to_numpy(), "use": use,
                         "reason": reason})


def _chips(rows: pd.DataFrame, fmt) -> str:
    if rows is None or len(rows) == 0:
        return '<span class="none">none over-indexed with enough members</span>'
    return " ".join(f'<span class="chip" title="{html.escape(t)}">{html.escape(s)}</span>'
                    for s, t in (fmt(r) for r in rows.itertuples()))


def _affinity_chip(r):
    return (str(r.label), f"{r.count:,} of {r.size:,} members ({r.share:.0%}) vs "
            f"{r.community_share:.0%} of the community: lift {r.lift:.1f}")


def cards_html(summary: pd.DataFrame, tops: pd.DataFrame, uses: pd.DataFrame,
               affinity: pd.DataFrame, channels: pd.DataFrame, colors: dict) -> str:
    """The cards as HTML (every user string escaped), one per row of ``summary``.

    ``tops`` is :func:`top_members` with a ``label`` column; ``uses`` is
    :func:`suggested_use`; ``affinity`` is :func:`~clusterkit.report.affinity.affinities`
    by segment with a ``label`` column; ``channels`` has ``segment, channel, share`` (of the
    segment's engagement weight).
    """
    esc = html.escape
    tops_by = {k: g for k, g in tops.groupby("segment", sort=False)}
    aff_by = {k: g for k, g in affinity.groupby(["group", "kind"], sort=False)}
    chan_by = {k: g for k, g in channels.groupby("segment", sort=False)}
    use_of = uses.set_index("segment")
    cards = []
    for row in summary.itertuples(index=False):  # one card per segment: a few dozen at most
        name = str(row.segment)
        t = tops_by.get(name)
        members = '<span class="none">no members</span>' if t is None else ", ".join(
            f'<b class="handle" title="{esc(str(m.member_id))} · influence '
            f'{m.influence:.3g}">{esc(str(m.label))}</b>' for m in t.itertuples())
        ch = chan_by.get(name)
        chan = _chips(ch, lambda r: (f"{r.channel} {r.share:.0%}",
                                     f"{r.share:.1%} of the segment's engagement weight"))
        conv = getattr(row, "conversion_rate", float("nan"))
        use, reason = use_of.loc[name, "use"], use_of.loc[name, "reason"]
        lines = [
            f'<div class="card" data-segment="{esc(name)}" style="border-top-color:'
            f'{colors.get(name, "#9aa5b1")}">',
            f'<h3>{esc(name)}</h3><p class="size">{int(row.size):,} members · '
            f"{row.share:.1%} of the community</p>",
            f'<p><span class="use use-{use}" title="{esc(reason)}">{use}</span> '
            f'<span class="note">{esc(reason)}</span></p>',
            f'<p class="kv"><span>top by influence</span> {members}</p>',
            f'<p class="kv"><span>topics</span> '
            f'{_chips(aff_by.get((name, "topic")), _affinity_chip)}</p>',
            f'<p class="kv"><span>accounts</span> '
            f'{_chips(aff_by.get((name, "account")), _affinity_chip)}</p>',
            f'<p class="kv"><span>channels</span> {chan}</p>',
            f'<p class="kv"><span>engagement</span> {row.engagement_total:,.0f} '
            f"({getattr(row, 'engagement_share', float('nan')):.1%} of all; "
            f"{row.engagement_total / max(int(row.size), 1):.3g} per member)</p>",
            f'<p class="kv"><span>conversion</span> '
            f"{'not measured' if pd.isna(conv) else f'{conv:.1%} of members'}</p>",
            "</div>"]
        cards.append("\n".join(lines))
    return '<div class="cards">' + "\n".join(cards) + "</div>"
