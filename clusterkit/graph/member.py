"""The member graph that community detection runs on.

Follows and interactions (replies, shares, mentions …) between members become one
symmetric, weighted ``scipy.sparse`` matrix over the member index. Outside accounts (the
brand itself, accounts not in the roster) are left out: a follow of the brand says nothing
about which community a member belongs to. Member hubs are left to the community stage:
modularity's null model already discounts edges into high-degree members.

Examples
--------
>>> import pandas as pd
>>> from clusterkit.data import CommunityData
>>> from clusterkit.graph import member_graph
>>> follows = pd.DataFrame({"follower_id": ["a", "b", "c"], "followee_id": ["b", "a", "a"]})
>>> g = member_graph(CommunityData.from_frames(follows=follows))
>>> g.toarray()
array([[0., 2., 1.],
       [2., 0., 0.],
       [1., 0., 0.]])
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from clusterkit.graph.interaction import interaction_matrix
from clusterkit.provenance import release_freed_memory

__all__ = ["member_graph"]


def member_graph(data, *, follow_weight: float = 1.0, interaction_weight: float = 1.0,
                 hub_damping: float = 0.0) -> sp.csr_array:
    """Symmetric weighted graph over ``data.member_ids``.

    Parameters
    ----------
    data : CommunityData
        The dataset.
    follow_weight : float
        Weight of one follow; a mutual follow counts twice.
    interaction_weight : float
        Weight of ``log1p(n)`` for ``n`` events from one member aimed at another.
    hub_damping : float
        Follows into member ``j`` are weighted by
        ``min(1, (median_in_degree + 1) / (in_degree_j + 1)) ** hub_damping``, so members
        followed by everyone do not pull everyone into one community. 0 (default) disables
        it; see :class:`clusterkit.config.GraphConfig` for why.

    Returns
    -------
    scipy.sparse.csr_array
        Shape ``(n_members, n_members)``, symmetric, zero diagonal, non-negative.
    """
    n = data.n_members
    # as few copies of ~20 M-edge matrices as the sums need: at 1,000,000 members the
    # community step's peak was this function's intermediates
    follows = interactions = None
    # the interactions first: their matrix's build is the function's largest transient
    # (+1.0 GiB at 1,000,000 members), and the follows' sum is not yet held beside it
    if interaction_weight > 0 and data.events is not None and "target_id" in data.events:
        m = interaction_matrix(data, weighted=False).tocsr()
        m.data = np.log1p(m.data)
        interactions = _symmetric(m, interaction_weight)
        del m
        release_freed_memory()  # the query's freed heap (0.4 GiB at 1 M) not held below
    if follow_weight > 0 and data.follows is not None and len(data.follows):
        # the matrix the data holds, read-only; a copy only where it is scaled in place
        a = data.follow_matrix(copy=hub_damping > 0)
        if a.shape[0] > n:  # outside accounts: rows and columns left out (a new matrix)
            a = a[:n, :n]
        if hub_damping > 0:
            indeg = np.bincount(a.indices, weights=a.data, minlength=n)
            med = np.median(indeg[indeg > 0]) if np.any(indeg > 0) else 0.0
            damp = np.minimum(1.0, (med + 1.0) / (indeg + 1.0)) ** hub_damping
            a.data *= damp[a.indices]  # follows into member j scaled by damp[j]
        follows = _symmetric(a, follow_weight)
        del a  # held to the end otherwise: 0.25 GB at 1,000,000 members
        release_freed_memory()
    # follows + interactions, in that order (a sum of two numbers is the same either way)
    parts = [p for p in (follows, interactions) if p is not None]
    del follows, interactions
    total = parts[0] if len(parts) == 1 else (
        parts[0] + parts[1] if parts else sp.csr_array((n, n), dtype=np.float64))
    del parts
    total = sp.csr_array(total)
    if total.diagonal().any():  # zeroed in place (setdiag(0) inserts into the structure,
        # 0.7 s at 200,000 members; subtracting a diagonal copied the whole matrix)
        rows = np.repeat(np.arange(n, dtype=np.int32), np.diff(total.indptr))
        total.data[rows == total.indices] = 0.0
        del rows
    total.eliminate_zeros()
    total.sort_indices()
    return total


def _symmetric(a: sp.csr_array, weight: float) -> sp.csr_array:
    """``weight * (a + a.T)``, the weight applied in place."""
    out = sp.csr_array(a + a.T)
    if weight != 1.0:
        out.data *= weight
    return out
