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

from clusterkit.data.codes import factor
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
        codes, names = _channel_codes(ev)
        if ew.channels:
            w = w * np.array([float(ew.channels.get(c, 1.0)) for c in names])[codes]
        if ew.pairs:
            w = _pair_weights(ev["action"], codes, names, ew.pairs, w)
        if ew.half_life_days is not None:
            ts = ev["timestamp"]
            age = (ts.max() - ts).dt.total_seconds().to_numpy() / 86400.0
            w = w * 0.5 ** (age / ew.half_life_days)
        pos = data.event_codes()[0].astype(np.int64)  # member positions, made once per data
        flat = np.bincount(pos * len(names) + codes, weights=w, minlength=n * len(names))
        grid = flat.reshape(n, len(names))
        self.by_channel_ = pd.DataFrame(grid, index=data.member_ids.rename("member_id"),
                                        columns=list(names))
        self.scores_ = grid.sum(axis=1)
        return self


def _channel_codes(ev: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Each event's channel as a position in the sorted channel names it uses.

    A missing channel (or no ``channel`` column) is ``"unknown"``. Read from the category
    codes: no text per event is made (at 1,000,000 members and 23 M events, the step's
    peak over its start fell from +2.52 to +0.92 GB, and its time from 8.1 to 0.9 s).
    """
    if "channel" not in ev.columns:
        return np.zeros(len(ev), dtype=np.int64), ["unknown"]
    raw, labels = factor(ev["channel"], fill="unknown")
    names = sorted(set(labels[np.flatnonzero(np.bincount(raw, minlength=len(labels)))]))
    lookup = np.array([names.index(lab) if lab in names else -1 for lab in labels])
    return lookup[raw], names


def _pair_weights(action: pd.Series, codes: np.ndarray, names: list[str], pairs: dict,
                  w: np.ndarray) -> np.ndarray:
    """``w`` with the weight of each action × channel pair that ``pairs`` names."""
    a_codes, actions = factor(action)
    grid = np.full((len(actions) + 1, len(names)), np.nan)  # the last row: no action
    for i, a in enumerate(actions):
        for j, c in enumerate(names):
            grid[i, j] = float(pairs.get(a, {}).get(c, np.nan))
    pair = grid[np.where(a_codes < 0, len(actions), a_codes), codes]
    return np.where(np.isnan(pair), w, pair)
