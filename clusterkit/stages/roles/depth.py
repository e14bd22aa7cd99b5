"""A fan engages actively: deep reactions are a fair part of what a member does with content.

DESIGN §3: a fan "engages actively and repeatedly" (comments, shares, newsletter clicks,
events, purchases); a follower is "connected but mostly passive". A member who views,
opens and likes hundreds of times a month reaches a fan's number of deep reactions by
volume alone, while they remain a small part of what it does: it is a busy follower, not a
fan. The fan's volume threshold cannot see this; the member's *depth* can.

Definition, stated. A member's depth is its deep reactions (every action that is neither
content nor in ``shallow_actions``: :func:`~clusterkit.stages.roles.evidence.deep_activity`)
over its reactions to content: every event but its own content (``created``) and its
follows (a follow is a connection, not a reaction to content). The reference is the
community's own: the median depth of the members who pass the fan's volume threshold (the
fan pool's members with at least ``fan_min_actions`` deep reactions at the fan rate). A
member whose depth is under ``ratio`` times that median (default one third) is *mostly
passive* and is not called a fan; its fan evidence is held under the threshold and its
explanation says why. With fewer than ``min_sample`` members over the volume threshold
nothing is flagged.

What it assumes and costs: the typical fan's mix of deep and shallow reactions is the
community's norm, and a fan whose reactions are more than two thirds shallower than that
norm engages passively. A fan who likes and views a great deal besides a fair number of
deep reactions can fall under it; measured in ``experiments/results/roles_stress.md``
(on our own generator it costs 0.003 of role macro-F1 at most per case on average, where
the generator's fans follow and like in volume).

Examples
--------
>>> import pandas as pd
>>> X = pd.DataFrame({"act_comment": [6.0] * 30 + [12.0], "act_view": [8.0] * 30 + [300.0],
...                   "reacted": [14.0] * 30 + [312.0]})
>>> share = depth_share(X, ("view", "newsletter_open", "follow", "like"))
>>> found = depth_found(share, 20)
>>> round(found["median"], 3)
0.429
>>> passive(share, found, 1 / 3)[-2:].tolist()
[False, True]
"""

from __future__ import annotations

import numpy as np

from clusterkit.stages.roles.evidence import column, deep_activity
from clusterkit.stages.roles.text import annotate, fmt_text, fmt_value

__all__ = ["depth_found", "depth_share", "depth_text", "passive"]


def depth_share(X, shallow_actions, deep=None) -> np.ndarray:
    """Each member's deep reactions over its reactions to content (0 with no reaction).

    Reactions to content are ``reacted`` (every event but content; ``n_events - created``
    when the table lacks it) less ``act_follow``, and at least the deep count itself.
    ``deep``: the members' deep counts when already computed
    (:func:`~clusterkit.stages.roles.evidence.deep_activity`).
    """
    if deep is None:
        deep, _ = deep_activity(X, None, shallow_actions)
    if "reacted" in X.columns:
        reacted = column(X, "reacted")
    else:
        reacted = column(X, "n_events") - column(X, "created")
    to_content = np.maximum(reacted - column(X, "act_follow"), deep)
    return np.divide(deep, to_content, out=np.zeros(len(deep)), where=to_content > 0)


def depth_found(shares, min_sample: int) -> dict:
    """The reference of :func:`passive`: the median depth of the members over the fan's
    volume threshold (``shares``, their depths, in any order), and how many they are;
    empty (nothing is flagged) with fewer than ``min_sample`` of them."""
    shares = np.asarray(shares, np.float64)
    if len(shares) < min_sample:
        return {}
    return {"median": float(np.median(shares)), "n": int(len(shares))}


def passive(shares, found: dict, ratio: float) -> np.ndarray:
    """Whether each member's depth is under ``ratio`` times the fans' median (``found``)."""
    shares = np.asarray(shares, np.float64)
    if not found or ratio <= 0:
        return np.zeros(len(shares), dtype=bool)
    return shares < ratio * found["median"]


def depth_text(text, flagged, shares, found: dict, ratio: float):
    """``text`` (an Arrow string array, one row per member) with, for the ``flagged``
    members (a boolean mask), why they are not fans: their depth against the fans'. Only
    the flagged rows' text is made and changed."""
    flagged = np.asarray(flagged, bool)
    if not found or not flagged.any():
        return text
    return annotate(
        text, flagged, "; deep reactions are ",
        fmt_text(np.round(np.asarray(shares, np.float64)[flagged] * 100)),
        f"% of its reactions to content, under {fmt_value(ratio)} x the median "
        f"{fmt_value(round(found['median'] * 100))}% of the members over the fan threshold "
        "(mostly passive: a busy follower, not a fan)")
