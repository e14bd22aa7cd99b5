"""An influencer's audience answers: followers who never amplify do not make one.

DESIGN §3: an influencer has *large reach and amplification*. Bought followers give reach
without amplification: an account followed by hundreds of members, of whom a handful
ever reshare, mention or reply, has an audience that does not answer. The audience gate
alone cannot see it (followers are followers); the member's *response* can.

Definition, stated. A member's response is its distinct amplifiers over its reach (the
larger of its followers in the follow graph and its distinct amplifiers, as the audience
gate reads it). The reference is the community's own: the median response of the
amplified content creators (bloggers and influencers alike). A member whose response is
under ``ratio`` times that median (default one third) has an audience that its
amplification does not support and is not called an influencer; its influencer evidence
is held under the threshold and its explanation says why. With fewer than ``min_sample``
amplified creators nothing is flagged.

What it assumes: the followers in the data are members of the community, whose
amplification the events would show (a follow graph). A platform-reported count includes
an audience outside the data, and its response falls with size (a celebrity's is a
fraction of a blogger's), so the test is off where followers are reported counts rather
than a follow graph: on the fifth blind generator's ``podcast`` (no follow table) it
would have taken 4-9 of 50 influencers per seed (role macro-F1 -0.036 at worst). Also
assumed: the typical amplified creator is not itself mostly bought, and an influencer's
audience amplifies at least a third as often as a blogger's. Measured in
``experiments/results/roles_stress.md`` (144 cases with behaviour per seed range, six
generators, five of them written blind to this code; before the influencer's references
were read past the blogger's gate): of the 365 members it took from the
influencers on seeds 0-2, 356 are hollow accounts with bought followers and 9 true
influencers; on the held-out seeds 3-5, 333 hollow, 6 true influencers and 1 other member
of 340. A member whose bought followers come with bought amplification, or whose
amplifiers are bought as well, passes (the fifth blind generator's ``beauty_instagram``
and ``political``: unchanged).

The test is a third gate: a member's influencer evidence is the smallest of its ratios to
the audience gate, the amplifier gate and the response threshold (:func:`answer_ratio`), so a
member held back by its response has the confidence of a member that far under a gate.

Examples
--------
>>> import numpy as np
>>> amp = np.r_[np.full(30, 20.0), 150.0, 30.0]
>>> followers = np.r_[np.full(30, 40.0), 300.0, 400.0]  # the last: 30 of 400 answer
>>> found = response_found(amp, followers, np.ones(32, bool), 20)
>>> found["median"], found["n"]
(0.5, 32)
>>> answer_ratio(amp, followers, found, 1 / 3)[-2:].round(2).tolist()
[3.0, 0.45]
"""

from __future__ import annotations

import numpy as np

from clusterkit.stages.roles.evidence import column
from clusterkit.stages.roles.text import annotate, fmt_text, fmt_value

__all__ = ["answer_ratio", "follow_graph", "graph_followers", "response_found",
           "response_share", "response_text"]


def graph_followers(max_following) -> bool:
    """Whether followers come from a follow graph, from the largest ``following`` of the
    members (its NaN-free maximum; None: the table has no such column). A maximum of 0
    means the graph features had no follows table, so ``followers`` are platform-reported
    counts; a table without the column is taken as given (its followers as a graph's)."""
    return max_following is None or bool(float(max_following) > 0)


def follow_graph(features) -> bool:
    """:func:`graph_followers` of a feature table (the one-machine reading; the Spark
    engine collects the same maximum)."""
    if "following" not in features.columns:
        return graph_followers(None)
    following = column(features, "following")
    kept = following[~np.isnan(following)]
    return graph_followers(kept.max() if len(kept) else 0.0)


def response_share(amp, followers) -> np.ndarray:
    """Each member's distinct amplifiers over its reach (the larger of ``followers`` and
    ``amp``); 0 for a member with neither."""
    amp = np.asarray(amp, np.float64)
    reach = np.maximum(np.asarray(followers, np.float64), amp)
    return np.divide(amp, reach, out=np.zeros(len(amp)), where=reach > 0)


def response_found(amp, audience, creators, min_sample: int) -> dict:
    """The reference of :func:`answer_ratio`: the median response of the amplified content
    creators (``creators`` with ``amp`` > 0; ``amp``, ``audience`` and ``creators`` aligned,
    in any order) and how many they are; empty (the test is off) with fewer than
    ``min_sample`` of them."""
    amp = np.asarray(amp, np.float64)
    pool = np.asarray(creators, bool) & (amp > 0)
    if int(pool.sum()) < min_sample:
        return {}
    share = response_share(amp[pool], np.asarray(audience, np.float64)[pool])
    return {"median": float(np.median(share)), "n": int(pool.sum())}


def answer_ratio(amp, followers, found: dict, ratio: float) -> np.ndarray:
    """Each member's response as a ratio to its threshold, ``ratio`` times the creators'
    median (``found``); under 1: the audience does not answer. Infinite for everyone when
    the test is off (``found`` empty or ``ratio`` 0), so it never decides."""
    if not found or ratio <= 0 or found["median"] <= 0:
        return np.full(len(np.asarray(amp)), np.inf)
    return response_share(amp, followers) / (ratio * found["median"])


def response_text(text, flagged, amp, followers, found: dict, ratio: float):
    """``text`` (an Arrow string array, one row per member) with, for the ``flagged``
    members (a boolean mask), why they are not influencers: their response against the
    creators'. Only the flagged rows' text is made and changed."""
    flagged = np.asarray(flagged, bool)
    if not found or not flagged.any():
        return text
    share = response_share(np.asarray(amp)[flagged], np.asarray(followers)[flagged])
    return annotate(
        text, flagged, "; its amplifiers are ", fmt_text(np.round(share * 100)),
        f"% of its reach, under {fmt_value(ratio)} x the median "
        f"{fmt_value(round(found['median'] * 100))}% of {found['n']:,} amplified content "
        "creators (an audience that does not answer, e.g. bought followers: not an "
        "influencer)")
