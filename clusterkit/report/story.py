"""The report as a story: the executive summary, and what changed since a previous run.

The summary comes first in the report and says, in a few lines: who the influencers are
(the most influential members, by handle when the dataset gives one), which segments carry
the engagement weight and the conversions (their shares against their share of members),
the suggested use of each segment (:func:`~clusterkit.report.cards.suggested_use`), and,
given a previous run, what changed (:func:`run_changes`).

Examples
--------
>>> import pandas as pd
>>> now = pd.DataFrame({"member_id": ["a", "b", "c"], "role": ["fan", "fan", "follower"]})
>>> before = pd.DataFrame({"member_id": ["a", "b", "z"], "role": ["fan", "follower", "fan"]})
>>> role_changes(now, before).to_dict("records")
[{'before': 'follower', 'now': 'fan', 'members': 1}]
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

__all__ = ["changes_html", "role_changes", "run_changes", "segment_changes", "summary_html",
           "title_of"]

TOP_INFLUENCERS = 5
TOP_SEGMENTS = 3
MOVED = 0.005
"""A change of engagement share (0.5 points) the summary names."""


def title_of(n: int, k: int) -> str:
    """The report's title, e.g. ``"Audience segments: 3,000 members, 8 segments"``."""
    return f"Audience segments: {n:,} members, {k} segment{'s' * (k != 1)}"


def _conversions(summary: pd.DataFrame) -> pd.Series:
    """Converted members per segment (conversion rate × size), indexed by segment."""
    rate = summary.get("conversion_rate", pd.Series(np.nan, index=summary.index))
    conv = rate.astype(float).fillna(0.0) * summary["size"].astype(float)
    return pd.Series(conv.round().to_numpy(), index=summary["segment"].astype(str).to_numpy())


def segment_changes(summary: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Sizes and engagement shares of segments now and in the previous run, by name.

    Returns ``segment, size, size_before, size_change, engagement_share,
    engagement_share_before, engagement_share_change, status`` (``"new"``, ``"gone"`` or
    ``""``), segments of this run first (in its order), then those gone.
    """
    cols = ["segment", "size", "engagement_share"]

    def part(s):
        t = s.assign(segment=s["segment"].astype(str))
        if "engagement_share" not in t:
            tot = float(t["engagement_total"].sum())
            t["engagement_share"] = t["engagement_total"] / tot if tot > 0 else 0.0
        return t[cols]

    now, before = part(summary), part(previous)
    out = now.merge(before, on="segment", how="outer", suffixes=("", "_before"),
                    indicator=True, sort=False)
    rank = pd.Series(np.arange(len(now)), index=now["segment"].to_numpy())
    out["_order"] = out["segment"].map(rank).fillna(len(now) + out["size_before"].rank(
        ascending=False, method="first").fillna(0))
    out["status"] = out["_merge"].map({"left_only": "new", "right_only": "gone",
                                       "both": ""}).astype(str)
    out["size_change"] = out["size"].fillna(0) - out["size_before"].fillna(0)
    out["engagement_share_change"] = (out["engagement_share"].fillna(0)
                                      - out["engagement_share_before"].fillna(0))
    out = out.sort_values(["_order", "segment"], kind="mergesort").reset_index(drop=True)
    return out[["segment", "size", "size_before", "size_change", "engagement_share",
                "engagement_share_before", "engagement_share_change", "status"]]


def role_changes(segments: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Members present in both runs whose role changed: ``before, now, members`` per change,
    most members first (ties by role names)."""
    both = segments[["member_id", "role"]].merge(
        previous[["member_id", "role"]], on="member_id", suffixes=("", "_before"))
    moved = both[both["role"].astype(str) != both["role_before"].astype(str)]
    out = (moved.groupby(["role_before", "role"]).size().rename("members").reset_index()
           .rename(columns={"role_before": "before", "role": "now"}))
    out = out.sort_values(["members", "before", "now"], ascending=[False, True, True],
                          kind="mergesort").reset_index(drop=True)
    return out.astype({"before": str, "now": str, "members": np.int64})


def run_changes(segments, summary, previous) -> dict:
    """What changed against ``previous`` (a :class:`~clusterkit.results.RunResult`).

    Returns ``segments`` (:func:`segment_changes`), ``roles`` (:func:`role_changes`),
    ``common`` (members in both runs), ``role_changed`` (how many of them changed role)
    and ``label`` (the previous run's date and config hash).
    """
    roles = role_changes(segments, previous.segments)
    common = int(segments["member_id"].isin(previous.segments["member_id"]).sum())
    m = previous.manifest or {}
    label = " ".join(str(x) for x in (m.get("created_at") or m.get("finished_at") or "",
                                      str(m.get("config_hash", ""))[:12]) if x)
    return {"segments": segment_changes(summary, previous.summary), "roles": roles,
            "common": common, "role_changed": int(roles["members"].sum()),
            "label": label or "the previous run"}


def _share_list(names, shares, members, what) -> str:
    return "; ".join(f"<b>{html.escape(str(s))}</b> {v:.0%} of {what} from {m:.0%} of members"
                     for s, v, m in zip(names, shares, members, strict=True))


def summary_html(summary: pd.DataFrame, influencers: pd.DataFrame, uses: pd.DataFrame,
                 changes: dict | None, names_note: str | None) -> str:
    """The executive summary: influencers, engagement, conversions, next steps, changes.

    ``influencers`` are the most influential members overall (``label, member_id, segment,
    influence``); ``uses`` is :func:`~clusterkit.report.cards.suggested_use`.
    """
    esc = html.escape
    items = []
    who = ", ".join(
        f'<b class="handle" title="{esc(str(r.member_id))}">{esc(str(r.label))}</b> '
        f'<span class="note">({esc(str(r.segment))}, influence {r.influence:.3f})</span>'
        for r in influencers.itertuples())
    items.append(f"<li><b>Who the influencers are</b>: {who or 'no members'}.</li>")
    share = summary["share"].astype(float).to_numpy()
    eng = summary.get("engagement_share")
    if eng is not None:
        top = np.argsort(-eng.astype(float).to_numpy(), kind="stable")[:TOP_SEGMENTS]
        items.append("<li><b>Engagement</b>: " + _share_list(
            summary["segment"].to_numpy()[top], eng.to_numpy()[top], share[top],
            "engagement weight") + ".</li>")
    conv = _conversions(summary)
    if conv.sum() > 0:
        cs = conv.to_numpy() / conv.sum()
        top = np.argsort(-cs, kind="stable")[:TOP_SEGMENTS]
        top = top[cs[top] > 0]
        items.append("<li><b>Conversions</b>: " + _share_list(
            conv.index.to_numpy()[top], cs[top], share[top], "converted members") + ".</li>")
    else:
        items.append("<li><b>Conversions</b>: none recorded in this run.</li>")
    by_use = uses.groupby("use", sort=False)["segment"].agg(list)
    nxt = " · ".join(f'<span class="use use-{u}">{u}</span> ' + ", ".join(
        esc(s) for s in by_use[u]) for u in ("invite", "activate", "nurture", "exclude")
        if u in by_use.index)
    items.append(f"<li><b>Next</b>: {nxt} (rules in the cards below).</li>")
    if changes is not None:
        seg = changes["segments"]
        moved = seg[seg["status"] == ""].assign(a=lambda t: t["engagement_share_change"].abs())
        big = moved[moved["a"] >= MOVED].sort_values(
            ["a", "segment"], ascending=[False, True], kind="mergesort").head(2)
        parts = [f"{esc(r.segment)} engagement share {r.engagement_share_before:.1%} → "
                 f"{r.engagement_share:.1%}" for r in big.itertuples()] or [
            f"no engagement share moved by {100 * MOVED:.1f} points or more"]
        new, gone = int((seg["status"] == "new").sum()), int((seg["status"] == "gone").sum())
        parts.append(f"segments: {new} new, {gone} gone")
        parts.append(f"{changes['role_changed']:,} of {changes['common']:,} members in both "
                     "runs changed role")
        items.append(f"<li><b>Since {esc(changes['label'])}</b>: {'; '.join(parts)} "
                     '(<a href="#changes">details</a>).</li>')
    extra = f'<p class="note">{esc(names_note)}</p>' if names_note else ""
    return f'<ul class="story">{"".join(items)}</ul>{extra}'


def changes_html(changes: dict) -> str:
    """Tables of segment and role changes against the previous run."""
    from clusterkit.report.figures import html_table

    seg = changes["segments"]

    def fmt(v, f):
        return "" if pd.isna(v) else f.format(v)

    t = pd.DataFrame({
        "segment": seg["segment"], "status": seg["status"],
        "members before": seg["size_before"].map(lambda v: fmt(v, "{:,.0f}")),
        "members now": seg["size"].map(lambda v: fmt(v, "{:,.0f}")),
        "change": seg["size_change"].map(lambda v: fmt(v, "{:+,.0f}")),
        "engagement share before": seg["engagement_share_before"].map(
            lambda v: fmt(v, "{:.1%}")),
        "engagement share now": seg["engagement_share"].map(lambda v: fmt(v, "{:.1%}")),
        "change (points)": seg["engagement_share_change"].map(
            lambda v: fmt(100 * v, "{:+.1f}"))})
    roles = changes["roles"].rename(columns={"before": "role before", "now": "role now"})
    head = (f"{changes['role_changed']:,} of {changes['common']:,} members present in both "
            "runs changed role.")
    return (f'<div class="scroll">{html_table(t)}</div><h3>Role changes</h3>'
            f'<p class="note">{html.escape(head)}</p>'
            + (f'<div class="scroll">{html_table(roles)}</div>' if len(roles) else ""))
