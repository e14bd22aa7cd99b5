"""Amplification backed by conversation: reshares nobody talks about count for less.

DESIGN §3: an influencer's content is *reshared, mentioned and replied to* by many distinct
members. Bought engagement is mostly reshares and likes from accounts that never talk to
the member; a real audience also mentions, replies and comments. Among the amplified
content creators of one dataset, the share of a member's distinct amplifiers who converse
(``conversers / amplifiers``) is fairly stable (its median, ``typical``); a member whose
share is far below it (under ``conversation_min`` x typical, significantly: a one-sided
binomial test at ``alpha``) has amplification that its conversation does not support, and
counts only as many amplifiers as its conversers would imply at ``conversation_min`` x
typical. Members amplified by a few are never flagged (the test has no power there).

Assumptions, stated: conversing amplifiers are as hard to buy as the rest of a real
audience, and the typical creator is not itself mostly bought. What it costs: a broadcast
account that a real audience reshares without talking to it (news, announcements) counts
for less; it keeps its amplifiers up to what its conversation supports. On the Higgs
Twitter cascades (real retweets, mentions and replies; no labels; the typical share, 0.2,
read over the members amplified by at least five) the members amplified by at least 20,
50, 100 and 300 distinct members who would count fewer than that are 2.9, 8.6, 10.2 and
15.7 %. Where the data has no mentions,
replies or comments (typical share under 5 %, or fewer than ``min_sample`` amplified
creators and amplified members), nothing changes.

Examples
--------
>>> import numpy as np
>>> amp = np.r_[np.full(30, 40.0), 90.0]
>>> talk = np.r_[np.full(30, 24.0), 9.0]          # the last: reshared, hardly talked to
>>> creators = np.ones(31, bool)
>>> found = conversation_found(amp, talk, creators, 0.5, 5, 20)
>>> round(found["typical"], 2), found["how"]
(0.6, 'median of 31 amplified content creators')
>>> backed_amplifiers(amp, talk, found)[-2:]
array([40., 30.])
"""

from __future__ import annotations

import numpy as np

from clusterkit.stages.roles.text import fmt_text, fmt_value, join_text

__all__ = ["backed_amplifiers", "conversation_found", "conversation_text"]

ALPHA = 0.01
"""One-sided significance of the binomial test that flags a member's conversation share."""

MIN_TYPICAL = 0.05
"""A typical conversation share under this: the data has (almost) no conversation."""


def conversation_found(amp, talk, creators, conversation_min: float, min_amplifiers: float,
                       min_sample: int) -> dict:
    """The typical conversation share, read from the amplified content creators.

    Parameters
    ----------
    amp, talk : array-like of float
        Distinct amplifiers and distinct conversers (mention, reply, comment) per member.
    creators : array-like of bool
        Whether each member is a content creator.
    conversation_min : float
        Fraction of the typical share under which a member's amplification is discounted;
        0 turns the discount off.
    min_amplifiers : float
        Members amplified by fewer are not read for the typical share.
    min_sample : int
        Fewest members the typical share is read from: the amplified creators, or, with
        fewer of them, every member amplified by at least ``min_amplifiers``.

    Returns
    -------
    dict
        ``{"typical": share, "min": conversation_min, "how": text}``, or ``{}`` when the
        discount is off (turned off, no conversation in the data, too few members).
    """
    amp = np.asarray(amp, np.float64)
    talk = np.asarray(talk, np.float64)
    if conversation_min <= 0 or not np.any(talk > 0):
        return {}
    read = amp >= min_amplifiers
    pool = read & np.asarray(creators, bool)
    how = f"median of {int(pool.sum()):,} amplified content creators"
    if pool.sum() < min_sample:
        pool, how = read, f"median of {int(read.sum()):,} members amplified by " \
                          f"{fmt_value(min_amplifiers)} or more"
    if pool.sum() < min_sample:
        return {}
    typical = float(np.median(talk[pool] / amp[pool]))
    if typical < MIN_TYPICAL:
        return {}
    return {"typical": typical, "min": float(conversation_min), "how": how}


def _flagged(amp, talk, found) -> np.ndarray:
    from scipy.stats import binom

    n = np.rint(amp).astype(np.int64)
    p = found["min"] * found["typical"]
    return (n > 0) & (binom.cdf(np.rint(talk), n, min(p, 1.0)) < ALPHA)


def backed_amplifiers(amp, talk, found: dict) -> np.ndarray:
    """Distinct amplifiers as far as conversation backs them (``amp`` where not flagged).

    A flagged member counts ``talk / (min x typical)`` amplifiers, rounded down (never
    more than ``amp``); with ``found`` empty (the discount off), ``amp`` unchanged.
    """
    amp = np.asarray(amp, np.float64)
    if not found:
        return amp
    talk = np.asarray(talk, np.float64)
    backed = np.minimum(amp, np.floor(talk / (found["min"] * found["typical"])))
    return np.where(_flagged(amp, talk, found), backed, amp)


def conversation_text(amp, talk, backed, found: dict):
    """For members whose amplifiers were discounted, why (else an empty string): an Arrow
    string array for :func:`~clusterkit.stages.roles.text.join_text`."""
    import pyarrow as pa
    import pyarrow.compute as pc

    amp = np.asarray(amp, np.float64)
    cut = np.asarray(backed, np.float64) < amp
    empty = pa.repeat(pa.scalar("", pa.large_string()), len(amp))
    if not found or not cut.any():
        return empty
    talk = np.asarray(talk, np.float64)
    share = np.divide(talk, amp, out=np.zeros(len(amp)), where=amp > 0)
    text = join_text(
        " (of ", fmt_text(amp), " distinct amplifiers only ", fmt_text(talk),
        " mentioned, replied or commented: ", fmt_text(np.round(share * 100)),
        f"%, against {found['typical']:.0%} typical ({found['how']}); reshares without "
        "conversation count only as far as it supports them)")
    return pc.if_else(pa.array(cut), text.cast(pa.large_string()), empty)
