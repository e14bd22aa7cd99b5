"""Role assignment: every member gets exactly one of influencer, blogger, fan, follower.

The ``rules`` stage is transparent: each role has one piece of evidence measured against a
threshold, and the explanation quotes both. Rates are per 30 days of the data's time span,
so the same thresholds mean the same on a week of data as on two years.

========== ============================================== =====================================
role       evidence                                       threshold
========== ============================================== =====================================
influencer reach: followers in the follow graph, and      ``reach_multiple`` x the median
           amplification: distinct members who shared,    follower count, and
           retweeted, mentioned, replied to, commented    ``min_amplifiers`` distinct members
blogger    original content (post, blog_post, video)      ``blogger_min_rate`` per month, and
           per month, and its share of the member's own   ``blogger_min_ratio``
           weighted activity
fan        weighted active reactions (all but passive     ``fan_min_rate`` per month, on at least
           actions: view, newsletter_open, follow)        ``fan_min_days`` active days
follower   everyone else: connected, mostly passive
========== ============================================== =====================================

Roles are checked in that order. Both influencer thresholds are relative to the data or
absolute counts of distinct people, never a fixed share of members, so the number of
influencers is whatever the data holds. Follower counts come from the follow graph, not the
platform-reported count, and must come with amplification: bought followers make no one an
influencer. Without a follow graph, amplification alone decides (at least ``reach_multiple``
x the median among amplified members); without interaction data (a follower graph only),
in-degree alone does (the ``graph_quantile`` quantile, at least ``min_followers``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.registry import register
from clusterkit.stages._params import Interval
from clusterkit.stages.base import BaseStage
from clusterkit.stages.roles.evidence import (
    ROLES,
    column,
    confidence,
    fmt_value,
    fmt_values,
    weighted_activity,
)
from clusterkit.weights import EngagementWeights

__all__ = ["ROLES", "RuleRoles"]

@register("roles", "rules")
class RuleRoles(BaseStage):
    """Transparent threshold rules for the four roles.

    Parameters
    ----------
    min_amplifiers : int, default=10
        Fewest distinct amplifying members an influencer needs.
    reach_multiple : float, default=15.0
        An influencer's followers (graph in-degree) must reach this multiple of the median
        follower count of members with followers.
    blogger_min_rate : float, default=1.0
        Original content items per 30 days a blogger needs.
    blogger_min_ratio : float, default=0.3
        Share of the member's own events that are original content.
    fan_min_rate : float, default=2.0
        Active reactions per 30 days a fan needs.
    fan_min_days : int, default=3
        Distinct active days a fan needs ("repeatedly").
    passive_actions : list of str, default=["view", "newsletter_open"]
        Actions that do not count as active reactions.
    graph_quantile : float, default=0.98
        Graph-only data: in-degree quantile an influencer must reach.
    min_followers : int, default=20
        Graph-only data: fewest followers (in-degree) an influencer needs.

    Attributes
    ----------
    roles_ : ndarray of str
        One role per member.
    confidence_ : ndarray of float
        In (0, 1); 0.5 means "right at the threshold".
    secondary_ : ndarray of str
        The role with the next-strongest evidence.
    explanations_ : ndarray of str
        The evidence and thresholds that decided the role.
    thresholds_ : dict
        The thresholds used, in feature units.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"amplifiers": [40, 0, 0, 1], "followers": [500, 20, 10, 5],
    ...                   "act_post": [5, 20, 0, 0],
    ...                   "act_comment": [5, 2, 30, 1], "act_view": [0, 0, 3, 40],
    ...                   "active_days": [10, 20, 15, 9], "tenure_days": [90, 90, 90, 90]})
    >>> roles = RuleRoles(min_amplifiers=5).fit(X)
    >>> roles.roles_.tolist()
    ['influencer', 'blogger', 'fan', 'follower']
    >>> print(roles.explanations_[0].replace("; ", ";\\n"))
    influencer: followers in the graph: 500 (threshold 225 = 15 x median);
    distinct amplifying members: 40 (threshold 5)
    """

    _constraints = {
        "min_amplifiers": [Interval(int, 1, None)],
        "reach_multiple": [Interval(float, 1, None)],
        "blogger_min_rate": [Interval(float, 0, None, closed="neither")],
        "blogger_min_ratio": [Interval(float, 0, 1, closed="both")],
        "fan_min_rate": [Interval(float, 0, None, closed="neither")],
        "fan_min_days": [Interval(int, 1, None)],
        "passive_actions": [list, tuple],
        "graph_quantile": [Interval(float, 0, 1, closed="both")],
        "min_followers": [Interval(int, 1, None)],
    }

    def __init__(self, *, min_amplifiers=10, reach_multiple=15.0, blogger_min_rate=0.5,
                 blogger_min_ratio=0.3, fan_min_rate=3.0, fan_min_days=3,
                 passive_actions=("view", "newsletter_open", "follow"), graph_quantile=0.98,
                 min_followers=20):
        self.min_amplifiers = min_amplifiers
        self.reach_multiple = reach_multiple
        self.blogger_min_rate = blogger_min_rate
        self.blogger_min_ratio = blogger_min_ratio
        self.fan_min_rate = fan_min_rate
        self.fan_min_days = fan_min_days
        self.passive_actions = passive_actions
        self.graph_quantile = graph_quantile
        self.min_followers = min_followers

    def fit(self, features: pd.DataFrame, data=None, weights: EngagementWeights | None = None):
        """Assign roles from the raw (untransformed) feature table.

        Parameters
        ----------
        features : pandas.DataFrame
            The run's raw member × feature table.
        data : CommunityData, optional
            Not used by the rules (the role protocol passes it to every role stage).
        weights : EngagementWeights, optional
            The run's engagement weights, for weighted activity (defaults when omitted).
        """
        self.weights_ = weights if weights is not None else EngagementWeights()
        X = features
        n = len(X)
        months = max(float(column(X, "tenure_days").max(initial=0.0)) / 30.0, 1.0)
        amp = column(X, "amplifiers")
        created, content_w, active_w = self._weighted_activity(X)
        total_w = content_w + active_w
        ratio_created = np.divide(content_w, total_w, out=np.zeros(n), where=total_w > 0)
        days = column(X, "active_days")
        followers = column(X, "followers")

        evidence = {"influencer": self._influencer(amp, followers)}
        blog_rate = created / months
        blog_gate = ratio_created >= self.blogger_min_ratio
        pct = fmt_values(np.round(ratio_created * 100))
        evidence["blogger"] = (
            np.where(blog_gate, blog_rate / self.blogger_min_rate,
                     np.minimum(blog_rate / self.blogger_min_rate, 0.99)),
            "content items per month: " + fmt_values(blog_rate)
            + f" (threshold {fmt_value(self.blogger_min_rate)}); " + pct
            + f"% of own weighted activity is content (threshold {self.blogger_min_ratio:.0%})")
        fan_rate = active_w / months
        fan_gate = days >= self.fan_min_days
        evidence["fan"] = (
            np.where(fan_gate, fan_rate / self.fan_min_rate,
                     np.minimum(fan_rate / self.fan_min_rate, 0.99)),
            "weighted active reactions per month: " + fmt_values(fan_rate)
            + f" (threshold {fmt_value(self.fan_min_rate)}) on " + fmt_values(days)
            + f" active days (threshold {self.fan_min_days})")

        scores = np.column_stack([evidence[r][0] for r in ROLES[:3]])  # (n, 3)
        qualifies = scores >= 1.0
        first = np.where(qualifies.any(axis=1), qualifies.argmax(axis=1), 3)
        roles = np.asarray(ROLES, dtype=object)[first]

        best_other = np.full(n, 0.0)
        secondary = np.full(n, "follower", dtype=object)
        for j, role in enumerate(ROLES[:3]):
            s = np.where(first == j, -np.inf, scores[:, j])
            better = s > best_other
            best_other = np.where(better, s, best_other)
            secondary = np.where(better & (s >= 0.5), role, secondary)
        secondary = np.where((roles == "follower") & (secondary == "follower"), "fan", secondary)
        own = np.where(first < 3, scores[np.arange(n), np.minimum(first, 2)], np.nan)
        conf = np.where(first < 3, confidence(own), 1.0 - confidence(best_other))
        self.roles_ = roles
        self.secondary_ = secondary.astype(object)
        self.confidence_ = np.clip(conf, 0.0, 1.0)
        self.thresholds_ = {
            **self._influencer_thresholds,
            "blogger_rate": self.blogger_min_rate,
            "blogger_ratio": self.blogger_min_ratio,
            "fan_rate": self.fan_min_rate,
            "fan_days": self.fan_min_days,
            "months": months,
        }
        self.explanations_ = self._explain(roles, evidence)
        return self

    def _weighted_activity(self, X: pd.DataFrame):
        """Content count, engagement weight of content, and of active (non-passive) reactions."""
        return weighted_activity(X, self.weights_, self.passive_actions)

    def _influencer(self, amp: np.ndarray, followers: np.ndarray):
        """Influencer evidence (ratio to threshold, 1 = at it) and its explanation."""
        has_amp, has_fol = bool(np.any(amp > 0)), bool(np.any(followers > 0))
        if has_fol:
            med_f = float(np.median(followers[followers > 0]))
            t_fol = self.reach_multiple * med_f
        if has_amp and has_fol:
            t_amp = float(self.min_amplifiers)
            ratio = np.minimum(followers / t_fol, amp / t_amp)
            text = ("followers in the graph: " + fmt_values(followers)
                    + f" (threshold {fmt_value(t_fol)}"
                    f" = {fmt_value(self.reach_multiple)} x median); distinct amplifying members: "
                    + fmt_values(amp) + f" (threshold {fmt_value(t_amp)})")
            self._influencer_thresholds = {"influencer_followers": t_fol,
                                           "influencer_amplifiers": t_amp}
        elif has_amp:
            med_a = float(np.median(amp[amp > 0]))
            t_amp = max(float(self.min_amplifiers), self.reach_multiple * med_a)
            ratio = amp / t_amp
            text = ("distinct amplifying members: " + fmt_values(amp)
                    + f" (threshold {fmt_value(t_amp)};"
                    " no follow graph)")
            self._influencer_thresholds = {"influencer_amplifiers": t_amp}
        elif not has_fol:  # no follow graph and no interactions: nothing shows influence
            ratio = np.zeros(len(amp))
            text = np.full(len(amp), "no follow graph or interaction data", dtype=object)
            self._influencer_thresholds = {}
        else:
            pos = followers[followers > 0]
            q = float(np.quantile(pos, self.graph_quantile))
            t_fol = max(float(self.min_followers), q)
            ratio = followers / t_fol
            text = ("followers in the graph: " + fmt_values(followers)
                    + f" (threshold {fmt_value(t_fol)};"
                    " no interaction data)")
            self._influencer_thresholds = {"influencer_followers": t_fol}
        return ratio, text

    def _explain(self, roles, evidence) -> np.ndarray:
        text = {role: evidence[role][1] for role in ROLES[:3]}
        out = np.full(len(roles), "", dtype=object)
        for role in ROLES[:3]:
            out = np.where(roles == role, role + ": " + text[role], out)
        out = np.where(roles == "follower", "follower: below every threshold; " + text["fan"]
                       + "; " + text["blogger"] + "; " + text["influencer"], out)
        return out.astype(object)
