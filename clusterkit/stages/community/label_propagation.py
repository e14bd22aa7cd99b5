"""Weighted label propagation (igraph ``community_label_propagation``)."""

from __future__ import annotations

from clusterkit.registry import register
from clusterkit.stages.community._graph import _SEED, _Community, _igraph_rng

__all__ = ["LabelPropagationCommunity"]


@register("community", "label_propagation")
class LabelPropagationCommunity(_Community):
    """Weighted label propagation (igraph ``community_label_propagation``).

    Parameters
    ----------
    random_state : int or None, default None
        Seeds a private ``random.Random`` given to igraph for the call only (igraph's
        generator is process-wide); see Notes.

    Notes
    -----
    igraph has no getter for its random generator: after the call the default (the
    :mod:`random` module) is reinstalled, replacing any custom generator set before.

    Attributes
    ----------
    labels_ : ndarray of int64
    n_communities_ : int
    modularity_ : float

    References
    ----------
    Raghavan, Albert, Kumara (2007). Near linear time algorithm to detect community
    structures in large-scale networks. Phys. Rev. E 76, 036106.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.planted_partition_graph(3, 20, 0.6, 0.005, seed=1)
    >>> A = nx.to_scipy_sparse_array(G, nodelist=sorted(G))
    >>> LabelPropagationCommunity(random_state=0).fit(A).n_communities_
    3
    """

    _constraints = dict(_SEED)

    def __init__(self, random_state=None):
        self.random_state = random_state

    def _membership(self, g, n_active):
        with _igraph_rng(self.random_state):
            return g.community_label_propagation(weights="weight").membership
