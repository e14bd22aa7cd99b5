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

from typing import ClassVar

import numpy as np
import pandas as pd

from clusterkit.registry import register
from clusterkit.stages.base import BaseStage
from clusterkit.weights import EngagementWeights

__all__ = ["EngagementScoring"]


@register("scoring", "engagement")
class EngagementScoring(BaseStage):
    """Engagement weight: sum of action weight × channel weight × time decay per member.

    Attributes
    ----------
    scores_ : ndarray of float
        Engagement weight per member (0 without events).
    by_channel_ : pandas.DataFrame
        Member × channel engagement weight (index member_id); sums to ``scores_``.
    """

    _constraints: ClassVar[dict[str, list]] = {}

    def fit(self, data, weights: EngagementWeights | None = None):
        """Score every member of ``data`` (a :class:`~clusterkit.data.CommunityData`).

        Parameters
        ----------
        data : CommunityData
            Its events are scored.
        weights : EngagementWeights, optional
            Action weights (``weights.default`` for unknown actions) × channel multiplier
            (``weights.channels``), replaced by ``weights.pairs`` for the action × channel
            pairs it names, × ``0.5 ** (age / weights.half_life_days)`` with the age
            measured to the latest event in the data. DESIGN §2 defaults when omitted.
        """
        ew = weights if weights is not None else EngagementWeights()
        n = data.n_members
        ev = data.events
        if ev is None or len(ev) == 0:
            self.scores_ = np.zeros(n)
            self.by_channel_ = pd.DataFrame(index=data.member_ids.rename("member_id"))
            return self
        table = ew.table
        w = ev["action"].map(table).astype("float64").fillna(ew.default).to_numpy()
        if "channel" in ev.columns:
            chan = ev["channel"].astype("str").fillna("unknown")  # a category column too
        else:
            chan = pd.Series("unknown", index=ev.index)
        if ew.channels:
            w = w * chan.map(ew.channels).astype("float64").fillna(1.0).to_numpy()
        if ew.pairs:
            keys = pd.MultiIndex.from_arrays([ev["action"].astype(str), chan])
            table = pd.Series({(a, c): float(v) for a, chans in ew.pairs.items()
                               for c, v in chans.items()}, dtype="float64")
            pair = table.reindex(keys).to_numpy()
            w = np.where(np.isnan(pair), w, pair)
        if ew.half_life_days is not None:
            ts = ev["timestamp"]
            age = (ts.max() - ts).dt.total_seconds().to_numpy() / 86400.0
            w = w * 0.5 ** (age / ew.half_life_days)
        codes, names = pd.factorize(chan, sort=True)
        pos = data.member_index(ev["member_id"].to_numpy(dtype=object))
        flat = np.bincount(pos * len(names) + codes, weights=w, minlength=n * len(names))
        grid = flat.reshape(n, len(names))
        self.by_channel_ = pd.DataFrame(grid, index=data.member_ids.rename("member_id"),
                                        columns=list(names))
        self.scores_ = grid.sum(axis=1)
        return self
