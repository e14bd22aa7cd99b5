"""Infomap, igraph's own implementation (``Graph.community_infomap``)."""

from __future__ import annotations

from clusterkit.registry import register
from clusterkit.stages._params import Interval
from clusterkit.stages.community._graph import _SEED, _Community, _igraph_rng

__all__ = ["InfomapCommunity"]


@register("community", "infomap")
class InfomapCommunity(_Community):
    """Infomap, igraph's own implementation (``Graph.community_infomap``).

    igraph is a core dependency, so no optional package is needed (the GPL ``infomap``
    package is not used).

    Parameters
    ----------
    num_trials : int, default 5
        Attempts; the partition with the shortest code length is kept.
    random_state : int or None, default None
        Seeds a private generator for igraph during the call, as in
        :class:`~clusterkit.stages.community.LabelPropagationCommunity`.

    Attributes
    ----------
    labels_ : ndarray of int64
    n_communities_ : int
    modularity_ : float
    codelength_ : float
        Map-equation code length of the partition.

    References
    ----------
    Rosvall, Bergstrom (2008). Maps of random walks on complex networks reveal community
    structure. PNAS 105, 1118.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.planted_partition_graph(3, 20, 0.5, 0.01, seed=1)
    >>> A = nx.to_scipy_sparse_array(G, nodelist=sorted(G))
    >>> InfomapCommunity(random_state=0).fit(A).n_communities_
    3
    """

    _constraints = {"num_trials": [Interval(int, 1, None)], **_SEED}

    def __init__(self, num_trials=5, random_state=None):
        self.num_trials = num_trials
        self.random_state = random_state

    def fit(self, graph):
        self.codelength_ = float("nan")
        return super().fit(graph)

    def _membership(self, g, n_active):
        with _igraph_rng(self.random_state):
            result = g.community_infomap(edge_weights="weight", trials=self.num_trials)
        self.codelength_ = float(result.codelength)
        return result.membership
