"""Leiden: the default community stage (igraph's ``community_leiden`` or ``leidenalg``)."""

from __future__ import annotations

from clusterkit.registry import register
from clusterkit.stages._params import Interval, Options
from clusterkit.stages.cluster import _seed
from clusterkit.stages.community._graph import _SEED, _Community, _igraph_rng

__all__ = ["LeidenCommunity"]


@register("community", "leiden")
class LeidenCommunity(_Community):
    """Leiden on a weighted igraph graph: the default community stage.

    Parameters
    ----------
    objective : {"modularity", "cpm"}, default "modularity"
        Modularity (``RBConfigurationVertexPartition``) or the Constant Potts Model
        (``CPMVertexPartition``, resolution in units of edge weight).
    resolution : float, default 1.0
        Higher gives more, smaller communities.
    n_iterations : int, default 2
        Iterations of the algorithm (igraph's and leidenalg's default); -1 runs until the
        partition is stable. Measured against -1 (issue 13, seeds 0-2, LFR at mu 0.2-0.6,
        our generator at mixing 0.3 and 0.5, eight labelled real graphs): 2 iterations lose
        at most 0.001 NMI averaged over seeds (0.003 on one seed), and gain up to 0.009
        elsewhere, while -1 takes 2.7x the time on a 950,000-edge LFR graph, 1.3x on our
        generator's 2.2M edges and 7x on musae-github; see
        ``experiments/results/leiden_iterations.md``.
    random_state : int or None, default None
        Seed (leidenalg's ``seed``, or a private generator given to igraph for the call).
    engine : {"igraph", "leidenalg"}, default "igraph"
        ``"igraph"`` runs igraph's built-in ``Graph.community_leiden`` (C, about 10x faster
        than leidenalg on 100,000 members with the same modularity); ``"leidenalg"`` runs
        the reference ``leidenalg.find_partition``.

    Attributes
    ----------
    labels_ : ndarray of int64
        -2 (:data:`~clusterkit.stages.base.ISOLATE`) for members without an edge.
    n_communities_ : int
    modularity_ : float

    References
    ----------
    Traag, Waltman, van Eck (2019). From Louvain to Leiden: guaranteeing well-connected
    communities. Scientific Reports 9, 5233.

    See Also
    --------
    clusterkit.stages.community.LouvainCommunity
    clusterkit.stages.community.InfomapCommunity

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.planted_partition_graph(3, 20, 0.5, 0.01, seed=1)
    >>> A = nx.to_scipy_sparse_array(G, nodelist=sorted(G))
    >>> LeidenCommunity(random_state=0).fit(A).n_communities_
    3
    """

    _constraints = {
        "objective": [Options("modularity", "cpm")],
        "resolution": [Interval(float, 0, None, "neither")],
        "n_iterations": [Interval(int, 1, None), Options(-1)],
        "engine": [Options("igraph", "leidenalg")],
        **_SEED,
    }

    def __init__(self, objective="modularity", resolution=1.0, n_iterations=2,
                 random_state=None, engine="igraph"):
        self.objective = objective
        self.resolution = resolution
        self.n_iterations = n_iterations
        self.random_state = random_state
        self.engine = engine

    def _membership(self, g, n_active):
        if self.engine == "igraph":
            with _igraph_rng(self.random_state):
                part = g.community_leiden(
                    objective_function="modularity" if self.objective == "modularity" else "CPM",
                    weights="weight",
                    resolution=float(self.resolution),
                    n_iterations=self.n_iterations,
                )
            return part.membership
        import leidenalg

        kind = {
            "modularity": leidenalg.RBConfigurationVertexPartition,
            "cpm": leidenalg.CPMVertexPartition,
        }[self.objective]
        part = leidenalg.find_partition(
            g,
            kind,
            weights="weight",
            n_iterations=self.n_iterations,
            resolution_parameter=float(self.resolution),
            seed=_seed(self.random_state),
        )
        return part.membership
