"""Louvain on NetworKit (``PLM``): the community stage of the large tier."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from clusterkit.registry import register
from clusterkit.stages._params import Interval
from clusterkit.stages.cluster import _seed
from clusterkit.stages.community._graph import _SEED, _Community

__all__ = ["PLMCommunity"]


@register("community", "plm")
class PLMCommunity(_Community):
    """Louvain by NetworKit's ``PLM`` (C++): the community stage of the large tier.

    On the member graph of 1,000,000 members (22.7 M edges) its ``fit`` takes 15.3 s on one
    thread (the algorithm 8.6 s) where the default ``leiden`` takes 53.6 s, with the same
    modularity and NMI, and adds 1.96 GB instead of 3.00 GB (``benchmarks/RESULTS.md``;
    NMI on other graphs: ``experiments/results/large_tier.md``). NetworKit's graph is let
    go before the modularity, and no edge array is held through ``PLM`` (the modularity
    reads the fitted matrix's edges again): there the ``fit`` peaks 1.29 GiB over the
    graph it is given, by the process's high-water mark (1.61 GiB when it kept its edges).
    ``engine: large`` runs it in place of the default ``leiden``
    (:mod:`clusterkit.engines.tier`).

    Parameters
    ----------
    resolution : float, default 1.0
        Higher gives more, smaller communities (``PLM``'s ``gamma``).
    refine : bool, default True
        A second move phase after each coarsening (``PLM``'s ``refine``; NetworKit's own
        default is False). Measured against Leiden (``experiments/results/large_tier.md``):
        the worst NMI loss on a labelled real graph is 0.038 with it and 0.056 without, for
        about 10 % more time at 1,000,000 members.
    max_iter : int, default 32
        Most move-phase sweeps per level.
    threads : int, default 1
        NetworKit threads for the call (restored after it). With one thread the labels
        depend only on the graph and ``random_state``; with more, the parallel move phase
        may give different labels from run to run, so a run is no longer reproducible.
    random_state : int or None, default None
        Seed of NetworKit's generators for the call. ``PLM`` visits the nodes in order, so
        on one thread the labels depend on the graph alone (random states 0-2 gave the
        same NMI on each of eight labelled real graphs).

    Attributes
    ----------
    labels_ : ndarray of int64
        -2 (:data:`~clusterkit.stages.base.ISOLATE`) for members without an edge.
    n_communities_ : int
    modularity_ : float
        Weighted modularity, the same formula as igraph's
        (:func:`clusterkit.metrics.edge_modularity`).

    Notes
    -----
    Louvain does not guarantee connected communities as Leiden does; the NMI and
    modularity measured against the default stage are in
    ``experiments/results/large_tier.md``. Nodes are given in the canonical member order.

    References
    ----------
    Staudt, Meyerhenke (2016). Engineering parallel algorithms for community detection in
    massive networks. IEEE TPDS 27(1), 171-184.

    Examples
    --------
    Two triangles joined by one edge, and a member with no edge (-2):

    >>> import scipy.sparse as sp
    >>> rows, cols = [0, 0, 1, 3, 3, 4, 2], [1, 2, 2, 4, 5, 5, 3]
    >>> A = sp.coo_array((np.ones(7), (rows, cols)), shape=(7, 7)).tocsr()
    >>> stage = PLMCommunity(random_state=0).fit(A + A.T)
    >>> stage.labels_.tolist(), round(stage.modularity_, 3)
    ([0, 0, 0, 1, 1, 1, -2], 0.357)
    """

    _constraints = {
        "resolution": [Interval(float, 0, None, "neither")],
        "refine": [bool],
        "max_iter": [Interval(int, 1, None)],
        "threads": [Interval(int, 1, None)],
        **_SEED,
    }

    def __init__(self, resolution=1.0, refine=True, max_iter=32, threads=1,
                 random_state=None):
        self.resolution = resolution
        self.refine = refine
        self.max_iter = max_iter
        self.threads = threads
        self.random_state = random_state

    def _graph(self, m, edges):
        import networkit as nk

        rows, cols, w = edges
        edges.clear()

        # Each edge once, rows ascending and columns ascending within a row (the upper
        # triangle of a CSR matrix, renumbered monotonically): that is already the CSR
        # layout, and NetworKit reads it as it is (2.6 s at 22.7 M edges, where building
        # from coordinates takes 18 s).
        indptr = np.zeros(m + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=m), out=indptr[1:])
        del rows  # only its counts are needed: 0.18 GB at 22.7 M edges, before NetworKit's
        upper = sp.csr_matrix((w, cols, indptr), shape=(m, m))
        del cols, w
        # NetworKit copies the edges into its own graph: nothing else is held through PLM
        # (the modularity reads the fitted matrix's edges again afterwards; 0.34 GB less
        # at 22.7 M edges than keeping them)
        return nk.graph.GraphFromCsr(upper, directed=False, weighted=True)

    _modularity_from_edges = True  # NetworKit's graph (0.7 GB at 22.7 M edges) is let go

    def _membership(self, g, n_active):
        import networkit as nk

        before = nk.getMaxNumberOfThreads()
        nk.setNumberOfThreads(int(self.threads))
        nk.engineering.setSeed(_seed(self.random_state), False)
        try:
            algo = nk.community.PLM(g, refine=bool(self.refine), gamma=float(self.resolution),
                                    maxIter=int(self.max_iter))
            algo.run()
            return np.asarray(algo.getPartition().getVector(), dtype=np.int64)
        finally:
            nk.setNumberOfThreads(before)
