"""Whether a follow export was cut at a fixed number of followers per account.

Platform APIs and scrapers often return at most the latest *k* followers of an account (a
streamer's last 150, an API page of 5,000). Every account with more followers then shows
exactly *k*: the in-degree has a spike at its largest value, where a natural heavy-tailed
in-degree has one or a few accounts. Above *k* the audience is unknown (censored), so a
threshold on followers above *k* can pass nobody, however large their real audience.

:func:`export_cap` reads that signature from the counts alone (their distribution, not
their order), so an engine can call it on collected counts of values. It is used by the
graph features (a warning) and by the influencer's audience gate
(:func:`clusterkit.stages.roles.gates.follower_threshold`).

Assumption, stated: a natural follower distribution does not put ``min_count`` accounts on
its largest value with fewer accounts just under it. A community where many accounts
really have the same, largest follower count (a closed group where every member follows
the same dozens of leaders) reads as capped; the floor (``floor``, 20 followers) keeps
small graphs out.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> natural = np.floor(rng.pareto(1.5, 5000) * 10)
>>> export_cap(natural) is None
True
>>> export_cap(np.minimum(natural, 150))  # the export kept the last 150 followers
150.0
"""

from __future__ import annotations

import numpy as np

__all__ = ["cap_text", "export_cap"]


def export_cap(counts, min_count: int = 20, floor: float = 20.0) -> float | None:
    """The per-account cap a follow export was cut at, or None when it looks uncut.

    Parameters
    ----------
    counts : array-like of float
        Followers per account (in-degree in the follow export); zeros and non-finite
        values are ignored, so only the positive counts may be given.
    min_count : int, default=20
        Fewest accounts at the largest count for it to read as a cap.
    floor : float, default=20
        Smallest count that can read as a cap.

    Returns
    -------
    float or None
        The largest count, when at least ``min_count`` accounts have exactly it, more than
        twice as many as have 90 % of it or more but less; otherwise None.
    """
    c = np.asarray(counts, dtype=np.float64)
    c = c[np.isfinite(c) & (c > 0)]
    if not len(c):
        return None
    top = float(c.max())
    at_top = int(np.count_nonzero(c == top))
    just_under = int(np.count_nonzero((c >= 0.9 * top) & (c < top)))
    if top >= floor and at_top >= min_count and at_top > 2 * just_under:
        return top
    return None


def cap_text(counts, cap: float) -> str:
    """The evidence :func:`export_cap` read ``cap`` from, for warnings and explanations.

    >>> cap_text([5, 150, 150], 150.0)
    "the follow export's cap: 2 accounts have exactly 150 followers, the most of any"
    """
    at = int(np.count_nonzero(np.asarray(counts, dtype=np.float64) == cap))
    return (f"the follow export's cap: {at:,} accounts have exactly {cap:,.0f} followers, "
            "the most of any")
