"""Engagement weight per member, with a per-channel breakdown, and the influence score.

Examples
--------
>>> import pandas as pd
>>> from clusterkit.data import CommunityData
>>> from clusterkit.stages.scoring import EngagementScoring
>>> events = pd.DataFrame({"member_id": ["a", "a", "b"], "action": ["like", "share", "view"],
...                        "timestamp": ["2026-01-01", "2026-01-02", "2026-01-02"],
...                        "channel": ["x", "x", "web"]})
>>> s = EngagementScoring().fit(CommunityData.from_frames(events=events))
>>> s.scores_.tolist()
[6.0, 0.1]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.registry import register
from clusterkit.stages._params import Interval
from clusterkit.stages.base import BaseStage

__all__ = ["EngagementScoring", "influence_score"]


@register("scoring", "engagement")
class EngagementScoring(BaseStage):
    """Engagement weight: sum of action weight × channel weight × time decay per member.

    Parameters
    ----------
    weights : dict, optional
        Action weight overrides (DESIGN §2 defaults otherwise).
    default_weight : float, default=1.0
        Weight of unknown actions.
    channel_weights : dict, optional
        Multiplier per channel (1 when absent).
    half_life_days : float, optional
        Halve an event's weight every ``half_life_days`` before the latest event in the data.

    Attributes
    ----------
    scores_ : ndarray of float
        Engagement weight per member (0 without events).
    by_channel_ : pandas.DataFrame
        Member × channel engagement weight (index member_id); sums to ``scores_``.
    """

    _constraints = {
        "weights": [dict, None],
        "default_weight": [Interval(float, 0, None)],
        "channel_weights": [dict, None],
        "half_life_days": [Interval(float, 0, None, closed="neither"), None],
    }

    def __init__(self, *, weights=None, default_weight=1.0, channel_weights=None,
                 half_life_days=None):
        self.weights = weights
        self.default_weight = default_weight
        self.channel_weights = channel_weights
        self.half_life_days = half_life_days

    def fit(self, data):
        """Compute weights from ``data.events`` (a :class:`~clusterkit.data.CommunityData`)."""
        from clusterkit.features.behaviour import action_weights

        self._validate_params()
        n = data.n_members
        ev = data.events
        if ev is None or len(ev) == 0:
            self.scores_ = np.zeros(n)
            self.by_channel_ = pd.DataFrame(index=data.member_ids.rename("member_id"))
            return self
        table = action_weights(self.weights)
        w = ev["action"].map(table).astype("float64").fillna(self.default_weight).to_numpy()
        if "channel" in ev.columns:
            chan = ev["channel"].fillna("unknown").astype(str)
        else:
            chan = pd.Series("unknown", index=ev.index)
        if self.channel_weights:
            w = w * chan.map(self.channel_weights).astype("float64").fillna(1.0).to_numpy()
        if self.half_life_days is not None:
            ts = ev["timestamp"]
            age = (ts.max() - ts).dt.total_seconds().to_numpy() / 86400.0
            w = w * 0.5 ** (age / self.half_life_days)
        codes, names = pd.factorize(chan, sort=True)
        pos = data.member_index(ev["member_id"].to_numpy(dtype=object))
        flat = np.bincount(pos * len(names) + codes, weights=w, minlength=n * len(names))
        grid = flat.reshape(n, len(names))
        self.by_channel_ = pd.DataFrame(grid, index=data.member_ids.rename("member_id"),
                                        columns=list(names))
        self.scores_ = grid.sum(axis=1)
        return self


def _rank01(x: np.ndarray) -> np.ndarray:
    """Percentile rank in [0, 1]; zeros stay 0 (no evidence is no influence)."""
    out = np.zeros(len(x))
    pos = x > 0
    if pos.any():
        r = pd.Series(x[pos]).rank(method="average", pct=True).to_numpy()
        out[pos] = r
    return out


INFLUENCE_WEIGHTS = {"amplifiers": 0.5, "received_weight": 0.2, "pagerank": 0.15,
                     "followers": 0.15}
"""Weights of the influence components (percentile ranks); follower count is a minor part."""


def influence_score(features: pd.DataFrame, weights=None) -> np.ndarray:
    """Influence in [0, 1]: weighted percentile ranks of amplification and reach.

    Distinct amplifying members weigh most; follower count weighs least, because
    followers can be bought. Components missing from ``features`` are left out and the
    remaining weights renormalised.
    """
    weights = dict(INFLUENCE_WEIGHTS if weights is None else weights)
    used = {k: v for k, v in weights.items() if k in features.columns}
    if not used:
        return np.zeros(len(features))
    total = sum(used.values())
    score = sum(v * _rank01(features[k].to_numpy(dtype=np.float64)) for k, v in used.items())
    return score / total
