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
- ``rank`` and ``prob_best``: the bloggers ordered by the lower bound of the card's
  interval (1 = first; ties by the estimate), the conversions each blogger contributed at
  least, under either estimator, at the card's confidence; and the share of bootstrap
  replicates in which the blogger's own-trend estimate is the highest (its chance of being
  the best, flat prior). Ranking by point estimates lets the noisiest blogger come first by
  chance: a blogger reaching a few hundred heavy buyers has an estimate whose standard
  error is twice that of one reaching a few hundred ordinary members, and no covariate can
  remove most of it (it is the outcome period's own Poisson noise);
  ``experiments/results/campaign_blind.md`` compares the rules.
- ``placebo_dates*``, ``placebo_lookalike*``, ``placebo_note``
  (:mod:`clusterkit.campaign.placebo`: a *fake-dates* placebo that can fail, and a
  *look-alike* history check that measures the sensitivity to selection on history).
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
_RANK_COLUMNS = ("rank", "prob_best")
EFFECT_COLUMNS = (
    *_TIER_COLUMNS[:8], *_RANK_COLUMNS, "incremental_engagement", "engagement_ci_low",
    "engagement_ci_high",
    "community_shift", "community_shift_ci_low", "community_shift_ci_high",
    *_TIER_COLUMNS[8:], "placebo_n_dates", "matched_controls", "match_smd",
    *(f"adopters_{c}" for c in _TIER_COLUMNS),
    *(f"adopters_{c}" for c in _RANK_COLUMNS),
    *(f"audience_{c}" for c in _TIER_COLUMNS[:8]),
)
"""Columns :func:`effect_columns` adds to the cards, in card order."""


def _ranking(lower, estimate, replicates) -> tuple[np.ndarray, np.ndarray]:
    """Rank by the interval's lower bound (ties: estimate) and each one's chance of being best.

    Examples
    --------
    >>> rank, best = _ranking(np.array([-40.0, 20.0]), np.array([60.0, 50.0]),
    ...                       [np.array([0.0, 90.0, 80.0, 10.0]), np.array([50.0] * 4)])
    >>> rank.tolist(), best.tolist()
    ([2, 1], [0.5, 0.5])
    """
    order = np.lexsort((-np.nan_to_num(estimate, nan=-np.inf),
                        -np.nan_to_num(lower, nan=-np.inf)))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    R = np.vstack(replicates)
    best = np.bincount(R.argmax(axis=0), minlength=len(R)) / R.shape[1]
    return rank, best


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
    reps: dict = {}
    own, shift = own_trend(daily.conversions, daily.first, groups, controls,
                           rng=np.random.default_rng([spec.seed, 10]), replicates=reps, **kw)
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
        out[f"{pre}rank"], out[f"{pre}prob_best"] = _ranking(
            out[f"{pre}incremental_ci_low"].to_numpy(),
            out[f"{pre}incremental_conversions"].to_numpy(), [reps[k] for k in keys])
        p = placebo.loc[keys]
        for c in p.columns:
            if c != "placebo_n_dates" or tier == "all":
                out[f"{pre}{c}"] = p[c].to_numpy()
        out[f"{pre}placebo_note"] = [placebo_note(row, pre, spec.confidence)
                                     for _, row in out.iterrows()]
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
