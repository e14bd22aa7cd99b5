"""Louvain (``python-louvain`` on networkx): a reference community stage."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from clusterkit.registry import register
from clusterkit.stages._params import Interval
from clusterkit.stages.cluster import _seed
from clusterkit.stages.community._graph import _SEED, _Community

__all__ = ["LouvainCommunity"]


@register("community", "louvain")
class LouvainCommunity(_Community):
    """Louvain (``python-louvain`` on networkx): a reference implementation.

    Parameters
    ----------
    resolution : float, default 1.0
    random_state : int or None, default None

    Notes
    -----
    python-louvain's result depends on node order even with a seed; nodes are given in the
    canonical member order. Slower than
    :class:`~clusterkit.stages.community.LeidenCommunity`; meant for comparison.

    Attributes
    ----------
    labels_ : ndarray of int64
    n_communities_ : int
    modularity_ : float

    References
    ----------
    Blondel, Guillaume, Lambiotte, Lefebvre (2008). Fast unfolding of communities in large
    networks. J. Stat. Mech. P10008.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.planted_partition_graph(3, 20, 0.5, 0.01, seed=1)
    >>> A = nx.to_scipy_sparse_array(G, nodelist=sorted(G))
    >>> LouvainCommunity(random_state=0).fit(A).n_communities_
    3
    """

    _constraints = {"resolution": [Interval(float, 0, None, "neither")], **_SEED}

    def __init__(self, resolution=1.0, random_state=None):
        self.resolution = resolution
        self.random_state = random_state

    def _membership(self, g, n_active):
        import community as community_louvain
        import networkx as nx

        rows, cols = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2).T
        w = np.asarray(g.es["weight"], dtype=np.float64)
        sub = sp.coo_array((w, (rows, cols)), shape=(n_active, n_active))
        G = nx.from_scipy_sparse_array((sub + sub.T).tocsr(), edge_attribute="weight")
        part = community_louvain.best_partition(
            G,
            weight="weight",
            resolution=float(self.resolution),
            random_state=_seed(self.random_state),
        )
        membership = np.empty(n_active, dtype=np.int64)
        membership[np.fromiter(part.keys(), np.int64)] = np.fromiter(part.values(), np.int64)
        return membership
