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

__all__ = ["member_graph", "pagerank"]


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
    total = sp.csr_array((n, n), dtype=np.float64)
    if follow_weight > 0 and data.follows is not None and len(data.follows):
        a = data.follow_matrix()[:n, :n].tocsc()
        if hub_damping > 0:
            indeg = np.asarray(a.sum(axis=0)).ravel()
            med = np.median(indeg[indeg > 0]) if np.any(indeg > 0) else 0.0
            damp = np.minimum(1.0, (med + 1.0) / (indeg + 1.0)) ** hub_damping
            a = a @ sp.diags_array(damp)
        a = a.tocsr()
        total = total + follow_weight * (a + a.T)
    if interaction_weight > 0 and data.events is not None and "target_id" in data.events:
        from clusterkit.features.interaction import interaction_matrix

        m = interaction_matrix(data, weighted=False).tocsr()
        m.data = np.log1p(m.data)
        total = total + interaction_weight * (m + m.T)
    total = sp.csr_array(total)
    total.setdiag(0)
    total.eliminate_zeros()
    total.sort_indices()
    return total


def pagerank(adj, damping: float = 0.85, reset=None, tol: float = 1e-13,
             max_iter: int = 1000) -> np.ndarray:
    """PageRank by power iteration on a sparse directed graph, identical on every call.

    igraph's PRPACK solver returns values that differ in the 11th digit from call to call
    (igraph 1.0, measured), which is enough to reorder near-ties in percentile ranks; a
    power iteration over ``scipy.sparse`` sums in a fixed order, so a run is reproducible
    to the last bit.

    Parameters
    ----------
    adj : scipy.sparse matrix, shape (n, n)
        ``adj[i, j]`` is the weight of the edge i → j (e.g. follower → followee).
    damping : float
        Probability of following an edge rather than teleporting.
    reset : array, shape (n,) or (n, k), optional
        Teleport weights (personalised PageRank), one column per personalisation; uniform
        when omitted. Dangling nodes (no out-edge) jump as the teleport does.
    tol : float
        Stop when the L1 change of every column is below ``tol``.
    max_iter : int
        Iterations at most (about 190 reach 1e-13 with damping 0.85).

    Returns
    -------
    numpy.ndarray
        Shape (n,) or (n, k); each column sums to 1.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> adj = sp.csr_array(np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]], dtype=float))
    >>> np.round(pagerank(adj), 6).tolist()  # a cycle: uniform
    [0.333333, 0.333333, 0.333333]
    """
    A = sp.csr_array(adj, dtype=np.float64)
    n = A.shape[0]
    if n == 0:
        return np.zeros(0)
    out = np.asarray(A.sum(axis=1)).ravel()
    dangling = out <= 0
    inv = np.divide(1.0, out, out=np.zeros(n), where=~dangling)
    walk = (sp.diags_array(inv) @ A).T.tocsr()
    if reset is None:
        v = np.full((n, 1), 1.0 / n)
    else:
        v = np.asarray(reset, dtype=np.float64).reshape(n, -1)
        total = v.sum(axis=0)
        v = np.divide(v, total, out=np.full_like(v, 1.0 / n), where=total > 0)
    r = v.copy()
    for _ in range(max_iter):  # a loop over iterations, not over nodes
        new = damping * (walk @ r + v * r[dangling].sum(axis=0)) + (1.0 - damping) * v
        done = np.abs(new - r).sum(axis=0).max() < tol
        r = new
        if done:
            break
    return r[:, 0] if reset is None or np.ndim(reset) == 1 else r
