"""Who each blogger reached, who was new or reactivated, and the conversions that followed.

*Exposed* members of a blogger: the cascade's adopters and every follower of a cascade node
(the blogger included), the bloggers themselves excepted. A member's exposure time is the
earliest time one of the nodes they follow joined the cascade (the window's start for the
blogger), or their own adoption time.

Among the exposed members who engaged (adopted, or had any event in the outcome period):
*new* members had no event at all before the window; *reactivated* ones had, but none in the
``dormancy_days`` before it.

*Attributed* conversions are the exposed members' conversions within ``attribution_days``
of their exposure (and inside the outcome period): the naive "came after the campaign"
number, which :mod:`clusterkit.campaign.incrementality` sets against a matched
counterfactual.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.data.sql import member_codes, sql

__all__ = ["downstream", "exposure_table"]


def exposure_table(data, camp, forest: pd.DataFrame) -> pd.DataFrame:
    """Exposed members of each blogger with their exposure time.

    Parameters
    ----------
    data : CommunityData
    camp : ResolvedCampaign
    forest : pandas.DataFrame
        Coded cascade trees (:attr:`Cascades.forest`).

    Returns
    -------
    pandas.DataFrame
        ``root`` (blogger position), ``member`` (code in ``data.member_ids``), ``t_exp``
        (µs), ``adopter`` (bool); sorted by root and member.
    """
    ids = data.member_ids.to_numpy(dtype=object)
    nodes = pd.DataFrame({"member_id": ids[forest["node"].to_numpy()],
                          "root": forest["root"].to_numpy(),
                          "t": np.where(forest["parent"].to_numpy() < 0, camp.start,
                                        forest["time"].to_numpy())})
    parts = [pd.DataFrame({"root": forest["root"].to_numpy(),
                           "member": forest["node"].to_numpy(),
                           "t_exp": nodes["t"].to_numpy(),
                           "adopter": forest["parent"].to_numpy() >= 0})]
    if data.follows is not None and len(data.follows):
        reach = sql("SELECT n.root, f.follower_id, min(n.t) AS t_exp FROM f JOIN n ON "
                    "f.followee_id = n.member_id GROUP BY n.root, f.follower_id",
                    f=data.follows[["follower_id", "followee_id"]], n=nodes)
        parts.append(pd.DataFrame({"root": reach["root"].to_numpy(dtype=np.int64),
                                   "member": member_codes(data, reach["follower_id"]),
                                   "t_exp": reach["t_exp"].to_numpy(dtype=np.int64),
                                   "adopter": False}))
    exp = pd.concat(parts, ignore_index=True)
    bloggers = member_codes(data, camp.bloggers)
    exp = exp[(exp["member"] >= 0) & ~np.isin(exp["member"].to_numpy(), bloggers)]
    out = exp.groupby(["root", "member"], sort=True).agg(
        t_exp=("t_exp", "min"), adopter=("adopter", "any")).reset_index()
    return out


def downstream(data, camp, exposure: pd.DataFrame, panel) -> pd.DataFrame:
    """Reach, new and reactivated members and attributed conversions per blogger.

    Parameters
    ----------
    data : CommunityData
    camp : ResolvedCampaign
    exposure : pandas.DataFrame
        From :func:`exposure_table`.
    panel : Panel
        From :func:`clusterkit.campaign.panel.build_panel`.

    Returns
    -------
    pandas.DataFrame
        Index: blogger position. ``reach`` (exposed members), ``new_members``,
        ``reactivated_members``, ``engaged`` (exposed members who adopted or were active in
        the outcome period), ``exposed_conversions`` and ``exposed_engagement`` (all their
        conversions / engagement in the outcome period), ``attributed_conversions`` and
        ``attributed_value`` (within the attribution window of the exposure).
    """
    r = len(camp.bloggers)
    root = exposure["root"].to_numpy()
    m = exposure["member"].to_numpy()
    engaged = exposure["adopter"].to_numpy() | panel.active_post[m]
    last = panel.last_before[m]
    new = engaged & np.isnan(last)
    dormant_us = camp.spec.dormancy_days * 86_400_000_000
    react = engaged & ~np.isnan(last) & (last < camp.start - dormant_us)
    out = pd.DataFrame({
        "reach": np.bincount(root, minlength=r),
        "engaged": np.bincount(root, weights=engaged, minlength=r).astype(np.int64),
        "new_members": np.bincount(root, weights=new, minlength=r).astype(np.int64),
        "reactivated_members": np.bincount(root, weights=react, minlength=r).astype(np.int64),
        "exposed_conversions": np.bincount(root, weights=panel.post_conv[m], minlength=r),
        "exposed_engagement": np.bincount(root, weights=panel.post_eng[m], minlength=r),
    })
    has_value = "value" in data.events.columns
    conv = sql("SELECT member_id, epoch_us(timestamp) AS t, "
               f"{'coalesce(value, 0)' if has_value else '0.0'} AS value FROM ev "
               "WHERE action IN (SELECT unnest(?)) AND epoch_us(timestamp) >= ? "
               "AND epoch_us(timestamp) < ?",
               [list(camp.spec.conversions), camp.start, camp.out_end],
               ev=data.events[["member_id", "action", "timestamp"]
                              + (["value"] if has_value else [])])
    cv = pd.DataFrame({"member": member_codes(data, conv["member_id"]),
                       "t": conv["t"].to_numpy(dtype=np.int64),
                       "value": conv["value"].to_numpy(dtype=float)})
    j = exposure[["root", "member", "t_exp"]].merge(cv, on="member")
    hit = (j["t"] >= j["t_exp"]) & (j["t"] < j["t_exp"] + camp.attribution_us)
    out["attributed_conversions"] = np.bincount(j.loc[hit, "root"], minlength=r)
    out["attributed_value"] = np.bincount(j.loc[hit, "root"], weights=j.loc[hit, "value"],
                                          minlength=r)
    return out
