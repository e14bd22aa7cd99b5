"""Constrained clustering of links into persons.

Plain connected components chain namesakes into giant clusters: at 100,000 accounts one wrong
link per person is enough to join hundreds of people. Here links are merged *greedily, best
first* (rule links, then Splink links by decreasing match weight; ties by member ids), and a
merge is refused when it would give a person two accounts on one channel
(``one_account_per_channel``) or more than ``max_accounts`` accounts. This is Kruskal's
algorithm with a conflict check, the single-best-links idea of Splink's
``cluster_using_single_best_links`` generalised to channels.

It is computed in rounds, vectorised: in each round every cluster picks its best admissible
link, and links that are the best of both their clusters merge. A link that is best for both
its clusters would also be taken by the sequential greedy pass (every better link touching
either cluster is inadmissible, and stays so as clusters only grow), so the rounds give the
greedy result exactly, in a number of rounds bounded by the size of the largest person.

A person's id is the smallest member id of its accounts: a member alone is its own person,
and ids do not depend on row order.

Examples
--------
>>> import numpy as np
>>> ids = np.array(["a", "b", "c", "d"])
>>> channel = np.array(["tw", "ig", "tw", "shop"])
>>> links = (np.array([0, 1, 0]), np.array([1, 2, 3]), np.array([5.0, 4.0, 1.0]))
>>> constrained_clusters(4, *links, channel=channel).tolist()  # b-c refused: two "tw"
[0, 0, 2, 0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["constrained_clusters", "person_ids"]


def _channel_masks(channel, n: int) -> np.ndarray:
    """One bit per channel, packed in uint64 words: shape (n, words). Missing → no bit."""
    if channel is None:
        return np.zeros((n, 1), dtype=np.uint64)
    codes, uniques = pd.factorize(pd.Series(channel), sort=True)
    words = max(1, (len(uniques) + 63) // 64)
    mask = np.zeros((n, words), dtype=np.uint64)
    ok = codes >= 0
    rows = np.flatnonzero(ok)
    mask[rows, codes[ok] // 64] = np.left_shift(np.uint64(1), (codes[ok] % 64).astype(np.uint64))
    return mask


def constrained_clusters(n: int, left, right, score, *, channel=None, one_per_channel=True,
                         max_size=None, return_edges=False):
    """Greedy best-first merging of ``n`` nodes under channel and size constraints.

    Parameters
    ----------
    n : int
        Number of nodes (accounts), ``0 .. n-1``.
    left, right : array of int
        Link endpoints.
    score : array of float
        Higher merges first (``inf`` for rule links); ties are broken by ``(left, right)``
        after ordering each pair so that ``left < right``.
    channel : array, optional
        Channel of each node; missing values are unconstrained.
    one_per_channel : bool, default True
        Refuse merges that put two nodes of one channel in a cluster.
    max_size : int, optional
        Refuse merges that make a cluster larger than this.
    return_edges : bool, default False
        Also return a boolean array: which links were used to merge.

    Returns
    -------
    labels : ndarray of int
        Cluster of each node: the smallest node index in the cluster.
    merged : ndarray of bool
        Only with ``return_edges``.
    """
    lo = np.minimum(left, right).astype(np.int64)
    hi = np.maximum(left, right).astype(np.int64)
    score = np.asarray(score, dtype=np.float64)
    keep = lo != hi
    order = np.lexsort((hi[keep], lo[keep], -score[keep]))
    idx = np.flatnonzero(keep)[order]  # links, best first
    u, v = lo[idx], hi[idx]
    rank = np.arange(len(idx))
    label = np.arange(n)
    mask = _channel_masks(channel, n) if one_per_channel else np.zeros((n, 1), np.uint64)
    size = np.ones(n, dtype=np.int64)
    cap = np.iinfo(np.int64).max if max_size is None else int(max_size)
    merged = np.zeros(len(idx), dtype=bool)
    alive = np.ones(len(idx), dtype=bool)
    while True:
        live = np.flatnonzero(alive)
        cu, cv = label[u[live]], label[v[live]]
        ok = (cu != cv) & ~(mask[cu] & mask[cv]).any(axis=1) & (size[cu] + size[cv] <= cap)
        alive[live[~ok]] = False  # inadmissible now means inadmissible forever
        live, cu, cv = live[ok], cu[ok], cv[ok]
        if len(live) == 0:
            break
        best = np.full(n, len(idx), dtype=np.int64)
        np.minimum.at(best, cu, rank[live])
        np.minimum.at(best, cv, rank[live])
        mutual = (best[cu] == rank[live]) & (best[cv] == rank[live])
        a, b = cu[mutual], cv[mutual]
        root, other = np.minimum(a, b), np.maximum(a, b)
        mask[root] |= mask[other]
        size[root] += size[other]
        new = np.arange(n)
        new[other] = root
        label = new[label]
        merged[live[mutual]] = True
        alive[live[mutual]] = False
    if return_edges:
        out = np.zeros(len(lo), dtype=bool)
        out[idx[merged]] = True
        return label, out
    return label


def person_ids(member_ids, labels) -> np.ndarray:
    """Person id of each member: the smallest member id of its cluster.

    ``member_ids`` must be sorted, so the smallest index of a cluster is its smallest id.
    """
    ids = np.asarray(member_ids, dtype=object)
    return ids[np.asarray(labels)]
