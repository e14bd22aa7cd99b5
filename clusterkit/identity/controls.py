"""Same-channel pairs as negative controls for the match weights of candidate pairs.

A Fellegi-Sunter model multiplies the Bayes factors of its comparisons, as if they were
independent given match status. For non-matches they often are not: two different people named
Maria with handles ``mariag`` and ``mariag84`` agree on the first name *and* on the handle,
because one was made from the other. The product then overstates the evidence, and on a large
population such pairs are many (measured on a generator written blind to this code, 100,000
accounts: pairs agreeing on the first name only and on the handle without its digits scored
above 0.9, and 22 % of them were one person).

The data holds a check. A person has at most one account per channel, so every candidate pair
whose two accounts are on one channel is a non-match. Group the candidates by their agreement
pattern (here the levels of the ``name`` and ``alias`` comparisons). If a non-matching pair is as
likely to show the pattern whether or not its accounts share a channel, the group holds about
``same * (1 - rho) / rho`` non-matching pairs across channels, where ``same`` counts its pairs on
one channel and ``rho`` is the share of same-channel pairs among all pairs of the group's
accounts. When the model's own expected number of non-matches across channels (the sum of one
minus the match probability) is smaller, the group's log-odds are lowered by one constant until
the two agree: the ordering inside the group (by city, bio, digits ...) is kept, and a group is
never made stronger.

Assumptions: at most one account per person per channel; agreement of non-matches does not
depend on sharing a channel. Where a platform keeps a key unique per channel (an exact handle)
the group has no same-channel pairs and is left as the model scored it.

Examples
--------
>>> import numpy as np
>>> w = np.array([10.0, 10.0, 10.0, 10.0, 10.0, 10.0])  # log2 odds: all look like matches
>>> group = np.zeros(6, dtype=np.int64)
>>> channel = np.array([0, 1, 0, 1, 0, 1])  # accounts 0..5, pairs below
>>> left, right = np.array([0, 0, 2, 1, 4, 3]), np.array([2, 1, 3, 5, 5, 4])
>>> out = calibrate_to_controls(w, group, left, right, channel)
>>> bool((out < w).all())  # two pairs share a channel: the group cannot be sure
True
"""

from __future__ import annotations

import numpy as np

from clusterkit.identity.estimate import _sigmoid2

__all__ = ["calibrate_to_controls"]


def calibrate_to_controls(weight, group, left, right, channel, min_same: int = 1):
    """Lower each agreement group's log2 odds to what its same-channel pairs allow.

    Parameters
    ----------
    weight : array of float
        log2 odds of each candidate pair being one person.
    group : array of int
        Agreement pattern of each pair (e.g. its name level x alias level).
    left, right : array of int
        Account positions of each pair.
    channel : array of int
        Channel code of each account (-1 when missing: such pairs are never controls).
    min_same : int
        Fewest same-channel pairs for a group to be checked.

    Returns
    -------
    ndarray of float
        The log2 odds, lowered by one constant per group where needed.
    """
    weight = np.asarray(weight, dtype=np.float64).copy()
    group = np.asarray(group, dtype=np.int64)
    left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    channel = np.asarray(channel, dtype=np.int64)
    cl, cr = channel[left], channel[right]
    same = (cl == cr) & (cl >= 0)
    cross = (cl != cr) & (cl >= 0) & (cr >= 0)
    n_same = np.bincount(group, same, minlength=group.max(initial=-1) + 1)
    for g in np.flatnonzero(n_same >= min_same):  # agreement patterns: a few dozen
        sel = np.flatnonzero(group == g)
        acc = np.unique(np.concatenate([left[sel], right[sel]]))
        n_a = np.bincount(channel[acc][channel[acc] >= 0]).astype(np.float64)
        n = float(n_a.sum())
        rho = float((n_a * (n_a - 1)).sum()) / max(n * (n - 1), 1.0)
        if rho <= 0.0:
            continue
        target = n_same[g] * (1.0 - rho) / rho  # non-matches expected across channels
        x = weight[sel[cross[sel]]]
        if len(x) == 0 or target <= 0.0:
            continue
        target = min(target, float(len(x)))
        if float((1.0 - _sigmoid2(x)).sum()) >= target:
            continue
        lo, hi = -200.0, 0.0  # shift: the model's non-matches grow as it falls
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if float((1.0 - _sigmoid2(x + mid)).sum()) < target:
                hi = mid
            else:
                lo = mid
        weight[sel] += lo
    return weight
