"""Engagement weight per member, with a per-channel breakdown.

Influence is in :mod:`clusterkit.stages.scoring.influence`.

Examples
--------
>>> import pandas as pd
>>> from clusterkit.data import CommunityData
>>> from clusterkit.stages.scoring.engagement import EngagementScoring
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

__all__ = ["EngagementScoring"]


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
    pair_weights : dict, optional
        ``{action: {channel: weight}}``: the weight of an action on one channel, replacing
        action weight × channel multiplier for those pairs (e.g. learned by attribution).
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
        "pair_weights": [dict, None],
        "half_life_days": [Interval(float, 0, None, closed="neither"), None],
    }

    def __init__(self, *, weights=None, default_weight=1.0, channel_weights=None,
                 pair_weights=None, half_life_days=None):
        self.weights = weights
        self.default_weight = default_weight
        self.channel_weights = channel_weights
        self.pair_weights = pair_weights
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
        if self.pair_weights:
            keys = pd.MultiIndex.from_arrays([ev["action"].astype(str), chan])
            table = pd.Series({(a, c): float(v) for a, chans in self.pair_weights.items()
                               for c, v in chans.items()}, dtype="float64")
            pair = table.reindex(keys).to_numpy()
            w = np.where(np.isnan(pair), w, pair)
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
