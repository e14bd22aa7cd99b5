"""Community stages: find groups of members tied to each other in the graph.

Input is a symmetric, non-negative weighted ``scipy.sparse`` array ``(n, n)`` over the member
index (the diagonal is ignored). ``fit(graph)`` sets ``labels_`` (int64, aligned to the
members), ``n_communities_`` and ``modularity_`` (weighted modularity of the partition,
computed by igraph on the graph without isolates; NaN for a graph without edges).

Members with no edge are never dropped: they get :data:`~clusterkit.stages.base.ISOLATE`
(-2). The algorithms run on the other members only. Labels are canonical (size first, ties
by first member; see :func:`~clusterkit.stages.cluster.canonical_labels`).

================= ================================== ==========================================
name              class                              implementation
================= ================================== ==========================================
leiden            :class:`LeidenCommunity`           ``leidenalg`` on igraph (default)
louvain           :class:`LouvainCommunity`          ``python-louvain`` on networkx (reference)
label_propagation :class:`LabelPropagationCommunity` igraph ``community_label_propagation``
infomap           :class:`InfomapCommunity`          igraph ``community_infomap``
================= ================================== ==========================================
"""

from __future__ import annotations

import contextlib
import random

import numpy as np
import scipy.sparse as sp

from clusterkit.errors import DataError
from clusterkit.registry import register
from clusterkit.stages._params import Interval, Options
from clusterkit.stages.base import ISOLATE, BaseStage
from clusterkit.stages.cluster import _seed, canonical_labels

__all__ = [
    "InfomapCommunity",
    "LabelPropagationCommunity",
    "LeidenCommunity",
    "LouvainCommunity",
]


def _edges(graph, owner: str):
    """Checked upper-triangle edges ``(n, rows, cols, weights)`` of a symmetric graph."""
    try:
        A = sp.csr_array(graph, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{owner} needs a scipy.sparse adjacency matrix: {exc}") from exc
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise DataError(f"{owner} needs a square (n, n) adjacency matrix; got {A.shape}.")
    A.eliminate_zeros()
    if not np.isfinite(A.data).all() or (A.data < 0).any():
        raise DataError(f"{owner} needs finite, non-negative edge weights.")
    asym = abs(A - A.T)
    if asym.nnz and asym.max() > 1e-9 * max(abs(A).max(), 1.0):
        raise DataError(
            f"{owner} needs a symmetric (undirected) graph; symmetrise it first, "
            "e.g. (A + A.T) / 2 or A.maximum(A.T)."
        )
    upper = sp.triu(A, k=1, format="coo")
    return A.shape[0], upper.row.astype(np.int64), upper.col.astype(np.int64), upper.data


@contextlib.contextmanager
def _igraph_rng(random_state):
    """Give igraph a seeded ``random.Random`` for the duration of a call.

    igraph draws from a process-wide generator (by default the :mod:`random` module).
    This installs a private ``random.Random(seed)`` (fresh entropy for ``None``), so the
    global :mod:`random` state is neither used nor changed, then reinstalls the
    :mod:`random` module. igraph offers no way to read the current generator, so a custom
    generator set with ``igraph.set_random_number_generator`` is replaced by the default.
    Not thread-safe (igraph's generator is global).
    """
    import igraph as ig

    ig.set_random_number_generator(random.Random(_seed(random_state)))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


class _Community(BaseStage):
    """Shared fit: checks, isolates, igraph graph, canonical labels, modularity."""

    def _membership(self, g, n_active: int) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def fit(self, graph):
        """Find communities in ``graph`` (symmetric sparse adjacency over members)."""
        import igraph as ig

        self._validate_params()
        n, rows, cols, w = _edges(graph, type(self).__name__)
        degree = np.bincount(rows, minlength=n) + np.bincount(cols, minlength=n)
        active = degree > 0
        index = np.cumsum(active) - 1  # position of each active member in the subgraph
        m = int(active.sum())
        g = ig.Graph(
            n=m,
            edges=np.column_stack([index[rows], index[cols]]).tolist(),
            edge_attrs={"weight": w.tolist()},
        )
        labels = np.full(n, ISOLATE, dtype=np.int64)
        if m:
            labels[active] = np.asarray(self._membership(g, m), dtype=np.int64)
        self.labels_ = canonical_labels(labels)
        self.n_communities_ = int(self.labels_.max()) + 1 if m else 0
        self.modularity_ = (
            float(g.modularity(self.labels_[active].tolist(), weights="weight"))
            if g.ecount()
            else float("nan")
        )
        return self


_SEED = {"random_state": ["random_state"]}


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
    n_iterations : int, default -1
        Iterations of the algorithm; -1 runs until the partition is stable.
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
    LouvainCommunity, InfomapCommunity

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

    def __init__(self, objective="modularity", resolution=1.0, n_iterations=-1,
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
    canonical member order. Slower than :class:`LeidenCommunity`; meant for comparison.

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
        :class:`LabelPropagationCommunity`.

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
