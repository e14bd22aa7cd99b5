"""Per-member panel of a campaign: baseline and outcome counts, history and graph degrees.

One DuckDB pass over the events and one over the follows; every array is aligned to
``data.member_ids`` (members with no event get zeros, or NaN times).

Periods (see :class:`~clusterkit.campaign.match_spec.ResolvedCampaign`): *pre* is the pre-period,
*post* the outcome period ``[window.start, window.end + attribution_days)``, *history* is
everything before the pre-period. *Engagement* is the sum of the run's action weights
(:class:`~clusterkit.weights.EngagementWeights`: the configured weights of the run the
campaign is read against, DESIGN §2 defaults otherwise) over a member's non-conversion
events; channel multipliers and decay are not applied to the panel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterkit.data.sql import member_codes, sql
from clusterkit.weights import EngagementWeights

__all__ = ["Panel", "build_panel"]


@dataclass(frozen=True)
class Panel:
    """Per-member arrays aligned to ``data.member_ids``.

    Attributes
    ----------
    pre_conv, post_conv, hist_conv : numpy.ndarray
        Conversions in the pre-period, the outcome period and before the pre-period.
    pre_eng, post_eng : numpy.ndarray
        Engagement weight in the pre-period and the outcome period.
    first_seen : numpy.ndarray
        When the member appeared: ``created_at`` of the members table where given, else the
        first event (µs since the epoch; NaN if neither).
    last_before : numpy.ndarray
        Last event time before the window (NaN if none: new to the brand).
    active_post : numpy.ndarray of bool
        Any event in the outcome period.
    in_degree, out_degree : numpy.ndarray
        Followers and followees among the follows.
    pre_days, post_days : float
        Lengths of the two periods.
    """

    pre_conv: np.ndarray
    post_conv: np.ndarray
    hist_conv: np.ndarray
    pre_eng: np.ndarray
    post_eng: np.ndarray
    first_seen: np.ndarray
    last_before: np.ndarray
    active_post: np.ndarray
    in_degree: np.ndarray
    out_degree: np.ndarray
    pre_days: float
    post_days: float

    @property
    def scale(self) -> float:
        """Post length over pre length: puts pre-period counts on the outcome scale."""
        return self.post_days / self.pre_days


def build_panel(data, camp, weights: EngagementWeights | None = None) -> Panel:
    """Aggregate the per-member panel of a resolved campaign (DuckDB; no Python loops).

    Parameters
    ----------
    data : CommunityData
    camp : ResolvedCampaign

    Returns
    -------
    Panel
    """
    n = data.n_members
    q = f"""
    WITH e AS (SELECT member_id, epoch_us(timestamp) AS t,
                      action IN (SELECT unnest($conv)) AS conv,
                      {(weights or EngagementWeights()).sql_case()} AS w FROM ev)
    SELECT member_id,
      count(*) FILTER (WHERE conv AND t >= $ps AND t < $pe) AS pre_conv,
      count(*) FILTER (WHERE conv AND t >= $s AND t < $oe) AS post_conv,
      count(*) FILTER (WHERE conv AND t < $ps) AS hist_conv,
      coalesce(sum(w) FILTER (WHERE NOT conv AND t >= $ps AND t < $pe), 0) AS pre_eng,
      coalesce(sum(w) FILTER (WHERE NOT conv AND t >= $s AND t < $oe), 0) AS post_eng,
      min(t) AS first_seen,
      max(t) FILTER (WHERE t < $s) AS last_before,
      count(*) FILTER (WHERE t >= $s AND t < $oe) AS n_post
    FROM e GROUP BY member_id"""
    params = {"conv": list(camp.spec.conversions), "ps": camp.pre_start, "pe": camp.pre_end,
              "s": camp.start, "oe": camp.out_end}
    agg = sql(q, params, ev=data.events[["member_id", "action", "timestamp"]])
    pos = member_codes(data, agg["member_id"])

    def col(name, fill=0.0):
        out = np.full(n, fill, dtype=float)
        out[pos] = agg[name].to_numpy(dtype=float, na_value=np.nan)
        return out

    indeg, outdeg = np.zeros(n), np.zeros(n)
    if data.follows is not None and len(data.follows):
        fol = data.follows[["follower_id", "followee_id"]]
        d_in = sql("SELECT followee_id AS id, count(*) AS k FROM f GROUP BY 1", f=fol)
        d_out = sql("SELECT follower_id AS id, count(*) AS k FROM f GROUP BY 1", f=fol)
        for arr, d in ((indeg, d_in), (outdeg, d_out)):
            p = member_codes(data, d["id"])
            arr[p[p >= 0]] = d["k"].to_numpy(dtype=float)[p >= 0]
    first_seen = col("first_seen", np.nan)
    if "created_at" in data.members.columns:
        created = data.members["created_at"]
        us = created.to_numpy(dtype="datetime64[us]", na_value=np.datetime64("NaT"))
        known = ~np.isnat(us)
        first_seen[known] = us[known].astype(np.int64)
    day = 86_400_000_000
    return Panel(
        pre_conv=col("pre_conv"), post_conv=col("post_conv"), hist_conv=col("hist_conv"),
        pre_eng=col("pre_eng"), post_eng=col("post_eng"),
        first_seen=first_seen, last_before=col("last_before", np.nan),
        active_post=col("n_post") > 0, in_degree=indeg, out_degree=outdeg,
        pre_days=(camp.pre_end - camp.pre_start) / day,
        post_days=(camp.out_end - camp.start) / day,
    )


def panel_frame(panel: Panel, member_ids) -> pd.DataFrame:
    """The panel as a frame indexed by member id (for inspection and export)."""
    cols = {k: getattr(panel, k) for k in ("pre_conv", "post_conv", "hist_conv", "pre_eng",
                                            "post_eng", "first_seen", "last_before",
                                            "active_post", "in_degree", "out_degree")}
    return pd.DataFrame(cols, index=pd.Index(member_ids, name="member_id"))
