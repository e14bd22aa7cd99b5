"""Fandom is breadth: deep reactions spread over the kinds a community uses, not volume on one.

DESIGN §3: a fan engages *across* the community's ways of engaging (comments, shares,
newsletter clicks, events, purchases). A member with hundreds of comments and shares and
nothing else (an engagement bot, a pod account) or one who only buys passes a volume
threshold, but is a busy follower, not a fan. The test asks whether a member's deep
reactions fall on significantly fewer kinds than their number predicts, against how the
community's own members spread theirs.

Model, stated. Over the ``K`` deep action kinds, each member of the pool (active members
who are neither influencers nor bloggers, with at least two deep reactions) has type
shares ``pi ~ Dirichlet(a p)``: ``p`` is the pool's mean mix (each member counted once),
and the concentration ``a`` is read from how much the pool's members specialise (the
intra-member correlation ``rho = 1 / (1 + a)``, by moments: the mean squared deviation of a
member's shares from ``p`` is ``sum p (1 - p) (1 / n + rho (1 - 1 / n))``). Given ``pi``,
the ``n`` reactions are multinomial. Kind ``k`` is then absent with probability
``E[(1 - pi_k)^n] = B(a p_k, a (1 - p_k) + n) / B(a p_k, a (1 - p_k))``, which levels off
as ``n`` grows: a community whose members specialise gives each member room to. Treating
the kinds' presences as independent, the number of kinds used is Poisson-binomial; a
member with ``P(D <= d) < alpha`` (``d`` the kinds it used) is *concentrated* and is not
called a fan (its fan evidence is held under the threshold and its explanation says why).

What it assumes and costs: fans spread their reactions like the pool's members do, on
average; a community whose fans all specialise on kinds the rest of the pool does not use
is read as specialists, which the estimated ``rho`` absorbs. Kinds, not channels: the
feature table counts actions per kind (``act_*``), and a platform's kinds (comments,
shares) are what a bot repeats. With fewer than two deep kinds in the data, or fewer than
``min_sample`` members in the pool, nothing is flagged.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> fans = rng.poisson(3.0, size=(60, 5)).astype(float)         # five kinds, spread
>>> bots = np.zeros((3, 5)); bots[:, :2] = 60.0                 # two kinds, in volume
>>> counts = np.vstack([fans, bots])
>>> found = breadth_found(counts, 20)
>>> found["kinds"], round(found["rho"], 2) < 0.2
(5, True)
>>> flagged = concentrated(counts, found, 0.01)
>>> bool(flagged[-3:].all()), int(flagged[:60].sum())
(True, 0)
"""

from __future__ import annotations

import numpy as np

from clusterkit.stages.roles.evidence import column, deep_actions
from clusterkit.stages.roles.text import annotate, fmt_text

__all__ = ["breadth_found", "breadth_pvalue", "breadth_text", "concentrated", "deep_kinds"]


def deep_kinds(X, shallow_actions, names=None, rows=None):
    """The deep action kinds of the table ``X`` (``act_*`` columns that are neither content
    nor in ``shallow_actions``, by name) and each member's count of each.

    With ``names`` given (a fit's kinds), those kinds in that order, 0 where ``X`` lacks one;
    with ``rows`` (a boolean mask), only those members' counts (what a test reads, without
    a copy of every member's). Returns ``(names, counts)``, counts of shape
    ``(members, len(names))``.
    """
    if names is None:
        names = sorted(deep_actions(X.columns, shallow_actions))
    pick = slice(None) if rows is None else np.asarray(rows, bool)
    size = len(X) if rows is None else int(np.count_nonzero(pick))
    counts = np.column_stack([column(X, f"act_{k}")[pick] for k in names]) if names else \
        np.zeros((size, 0))
    return list(names), counts


def breadth_found(counts, min_sample: int) -> dict:
    """The pool's mean mix of deep kinds and how much its members specialise.

    Parameters
    ----------
    counts : array-like of float, shape (n_members, K)
        Deep reactions per kind of every member of the pool (any order; members with fewer
        than two are not read).
    min_sample : int
        Fewest members the mix is read from.

    Returns
    -------
    dict
        ``{"mix": p, "rho": rho, "kinds": K used by anyone, "members": read}``, or ``{}``
        when the test is off (fewer than two kinds used, too few members, or members that
        each use a single kind, ``rho`` = 1).
    """
    C = np.asarray(counts, np.float64)
    if C.ndim != 2 or C.shape[1] < 2:
        return {}
    n = C.sum(axis=1)
    C, n = C[n >= 2], n[n >= 2]
    if len(n) < min_sample or int(np.count_nonzero(C.sum(axis=0))) < 2:
        return {}
    # rows in one canonical order, so that the sums do not depend on the members' order
    # (nor on how an engine partitions them)
    order = np.lexsort(C.T[::-1])
    share, n = C[order], n[order]
    del C
    share /= n[:, None]  # in place: the pool is read with one copy of its counts at a time
    p = share.mean(axis=0)
    spread = float(np.sum(p * (1 - p)))
    # mean squared deviation of a member's shares from p: mean of sum(s^2) less sum(p^2)
    deviation = float(np.mean(np.einsum("ij,ij->i", share, share)) - np.sum(p * p))
    inv = float(np.mean(1.0 / n))
    rho = (deviation / spread - inv) / (1.0 - inv) if spread > 0 and inv < 1 else 1.0
    if not rho < 1.0:
        return {}
    return {"mix": p, "rho": float(max(rho, 1e-6)), "kinds": int(np.count_nonzero(p)),
            "members": len(n)}


def breadth_pvalue(counts, found: dict) -> np.ndarray:
    """``P(D <= d)`` per member: the chance of using at most as many kinds as it did, given
    its number of deep reactions, under the model of :func:`breadth_found` (1 when off)."""
    from scipy.special import betaln

    C = np.asarray(counts, np.float64)
    if not found:
        return np.ones(len(C))
    p, a = found["mix"], 1.0 / found["rho"] - 1.0
    used = p > 0
    C, p = C[:, used], p[used]
    n = C.sum(axis=1)[:, None]
    A, B = a * p[None, :], a * (1 - p[None, :])
    present = -np.expm1(betaln(A, B + n) - betaln(A, B))  # 1 - E[(1 - pi_k)^n]
    # Poisson-binomial distribution of the number of kinds present, kind by kind (K is
    # small: a loop over kinds, not members)
    dist = np.zeros((len(C), C.shape[1] + 1))
    dist[:, 0] = 1.0
    for k in range(C.shape[1]):
        q = present[:, [k]]
        dist[:, 1:] = dist[:, 1:] * (1 - q) + dist[:, :-1] * q
        dist[:, 0] *= 1 - q[:, 0]
    d = np.count_nonzero(C, axis=1)
    return np.minimum(np.cumsum(dist, axis=1)[np.arange(len(C)), d], 1.0)


def concentrated(counts, found: dict, alpha: float) -> np.ndarray:
    """Whether each member's deep reactions use significantly fewer kinds than their
    number predicts (one-sided, at ``alpha``; none when ``alpha`` is 0 or the test is off)."""
    if alpha <= 0 or not found:
        return np.zeros(len(counts), dtype=bool)
    return breadth_pvalue(counts, found) < alpha


def breadth_text(text, flagged, used, found: dict):
    """``text`` (an Arrow string array, one row per member) with, for the ``flagged``
    members (a boolean mask), why they are not fans: the deep kinds each ``used`` (one
    entry per flagged member). Only the flagged rows' text is made and changed.
    """
    if not found:
        return text
    return annotate(
        text, flagged, "; all on ", fmt_text(np.asarray(used, np.float64)),
        f" of the {found['kinds']} kinds of deep reaction the community uses, significantly "
        "fewer than their number predicts (fans engage across kinds, not in volume on one)")
