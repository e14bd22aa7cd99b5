"""The incrementality columns of the campaign cards: estimate, tiers, placebos, community shift.

Per blogger, for everyone exposed and separately for the *adopters* (who reshared the
cascade) and the *audience* (reached through a followed cascade node, no reshare):

- ``incremental_conversions``: the own-trend estimate
  (:func:`clusterkit.campaign.own_trend.own_trend`: the exposed members' outcomes against
  their own long-run rate, net of the community's shift). Its interval
  ``incremental_ci_low`` / ``incremental_ci_high`` spans both the own-trend interval
  (``own_trend_ci_*``) and the history-matched one (``history_matched_*``,
  :mod:`clusterkit.campaign.incrementality`): the two rest on opposite assumptions about
  how the exposed were chosen (a stable propensity, or their recent history), which the
  data alone cannot tell apart; where they agree the interval is the usual one, where they
  disagree it says so by its width, and the look-alike placebo says why.
- ``placebo_dates*``, ``placebo_lookalike*``, ``placebo_note``
  (:mod:`clusterkit.campaign.placebo`).
- ``community_shift*``: the unexposed members' outcome-period rate against their own
  baseline, minus 1 (+0.15: everyone bought 15 % more; not credited to any blogger).
- ``incremental_engagement``: the own-trend estimate of engagement weight.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.campaign.incrementality import TIERS, blogger_groups, matched_groups
from clusterkit.campaign.own_trend import daily_panel, own_trend
from clusterkit.campaign.placebo import placebo_checks, placebo_note

__all__ = ["EFFECT_COLUMNS", "effect_columns"]

_TIER_COLUMNS = ("incremental_conversions", "incremental_ci_low", "incremental_ci_high",
                 "own_trend_ci_low", "own_trend_ci_high", "history_matched_conversions",
                 "history_matched_ci_low", "history_matched_ci_high", "placebo_dates",
                 "placebo_dates_ci_low", "placebo_dates_ci_high", "placebo_lookalike",
                 "placebo_lookalike_ci_low", "placebo_lookalike_ci_high", "placebo_note")
EFFECT_COLUMNS = (
    *_TIER_COLUMNS[:8], "incremental_engagement", "engagement_ci_low", "engagement_ci_high",
    "community_shift", "community_shift_ci_low", "community_shift_ci_high",
    *_TIER_COLUMNS[8:], "placebo_n_dates", "matched_controls", "match_smd",
    *(f"adopters_{c}" for c in _TIER_COLUMNS),
    *(f"audience_{c}" for c in _TIER_COLUMNS[:8]),
)
"""Columns :func:`effect_columns` adds to the cards, in card order."""


def effect_columns(data, camp, panel, exposure: pd.DataFrame,
                   weights=None) -> tuple[pd.DataFrame, dict]:
    """Incrementality, placebo and community-shift columns, one row per blogger.

    Parameters
    ----------
    data : CommunityData
    camp : ResolvedCampaign
    panel : Panel
        :func:`clusterkit.campaign.panel.build_panel`.
    exposure : pandas.DataFrame
        :func:`clusterkit.campaign.exposure.exposure_table`.
    weights : EngagementWeights, optional

    Returns
    -------
    columns : pandas.DataFrame
        :data:`EFFECT_COLUMNS`, in blogger order.
    shift : dict
        Metric → the community shift (``ratio``, ``ci_low``, ``ci_high``, ``actual``,
        ``baseline`` of the unexposed members over the outcome period).
    """
    spec = camp.spec
    r = len(camp.bloggers)
    daily = daily_panel(data, camp, weights, panel.first_seen)
    groups = blogger_groups(exposure, r)
    matched, looks = matched_groups(panel, exposure, camp)
    controls = looks["pool"]
    kw = {"origin": daily.origin, "length": daily.length, "start": daily.start,
          "n_boot": spec.bootstrap, "confidence": spec.confidence}
    own, shift = own_trend(daily.conversions, daily.first, groups, controls,
                           rng=np.random.default_rng([spec.seed, 10]), **kw)
    eng, eshift = own_trend(daily.engagement, daily.first,
                            {k: g for k, g in groups.items() if k[1] == "all"}, controls,
                            rng=np.random.default_rng([spec.seed, 13]), **kw)
    headline = {k: g for k, g in groups.items() if k[1] != "audience"}
    placebo = placebo_checks(daily.conversions, daily.first, headline, looks, controls,
                             seed=spec.seed, **{k: v for k, v in kw.items()})
    out = pd.DataFrame(index=range(r))
    for tier in TIERS:
        keys = [(b, tier) for b in range(r)]
        pre = "" if tier == "all" else f"{tier}_"
        o, m = own.loc[keys], matched.loc[keys]
        out[f"{pre}incremental_conversions"] = o["estimate"].to_numpy()
        out[f"{pre}own_trend_ci_low"] = o["ci_low"].to_numpy()
        out[f"{pre}own_trend_ci_high"] = o["ci_high"].to_numpy()
        out[f"{pre}history_matched_conversions"] = m["estimate"].to_numpy()
        out[f"{pre}history_matched_ci_low"] = m["ci_low"].to_numpy()
        out[f"{pre}history_matched_ci_high"] = m["ci_high"].to_numpy()
        out[f"{pre}incremental_ci_low"] = np.fmin(o["ci_low"].to_numpy(),
                                                  m["ci_low"].to_numpy())
        out[f"{pre}incremental_ci_high"] = np.fmax(o["ci_high"].to_numpy(),
                                                   m["ci_high"].to_numpy())
        if tier == "audience":
            continue
        p = placebo.loc[keys]
        for c in p.columns:
            if c != "placebo_n_dates" or tier == "all":
                out[f"{pre}{c}"] = p[c].to_numpy()
        out[f"{pre}placebo_note"] = [placebo_note(row, pre) for _, row in out.iterrows()]
    e = eng.loc[[(b, "all") for b in range(r)]]
    out["incremental_engagement"] = e["estimate"].to_numpy()
    out["engagement_ci_low"] = e["ci_low"].to_numpy()
    out["engagement_ci_high"] = e["ci_high"].to_numpy()
    out["community_shift"] = shift["ratio"] - 1.0
    out["community_shift_ci_low"] = shift["ci_low"] - 1.0
    out["community_shift_ci_high"] = shift["ci_high"] - 1.0
    allk = matched.loc[[(b, "all") for b in range(r)]]
    out["matched_controls"] = allk["matched_controls"].to_numpy()
    out["match_smd"] = allk["match_smd"].to_numpy()
    return out[list(EFFECT_COLUMNS)], {"conversions": shift, "engagement": eshift}
