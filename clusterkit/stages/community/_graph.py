"""Shared parts of the community stages: graph checks, igraph's seed, the common ``fit``.

:func:`_edges` checks the adjacency matrix and returns its upper-triangle edges,
:func:`_igraph_rng` seeds igraph for one call, and :class:`_Community` is the base class
whose ``fit`` handles isolates, builds the igraph graph, canonicalises the labels and
computes the modularity; a subclass only supplies ``_membership``.
"""

from __future__ import annotations

import contextlib
import random

import numpy as np
import scipy.sparse as sp

from clusterkit.errors import DataError
from clusterkit.graph.igraph_build import igraph_from_edges
from clusterkit.metrics import edge_modularity
from clusterkit.provenance import release_freed_memory
from clusterkit.stages.base import ISOLATE, BaseStage
from clusterkit.stages.cluster import _seed, canonical_labels


def _edges(graph, owner: str):
    """Checked upper-triangle edges ``(n, rows, cols, weights)`` of a symmetric graph.

    Each edge once, in row-major order with columns ascending within a row.
    """
    return _upper(_checked(graph, owner))


def _checked(graph, owner: str) -> sp.csr_array:
    """``graph`` as a canonical float CSR matrix, checked square, finite, non-negative and
    symmetric (its own arrays when it already is one: no copy)."""
    try:
        A = sp.csr_array(graph, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{owner} needs a scipy.sparse adjacency matrix: {exc}") from exc
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise DataError(f"{owner} needs a square (n, n) adjacency matrix; got {A.shape}.")
    A.eliminate_zeros()
    if not np.isfinite(A.data).all() or (A.data < 0).any():
        raise DataError(f"{owner} needs finite, non-negative edge weights.")
    A.sum_duplicates()  # canonical: rows ascending, columns ascending within a row
    if _asymmetry(A) > 1e-9 * max(float(A.data.max()) if A.nnz else 0.0, 1.0):
        raise DataError(
            f"{owner} needs a symmetric (undirected) graph; symmetrise it first, "
            "e.g. (A + A.T) / 2 or A.maximum(A.T)."
        )
    return A


def _upper(A: sp.csr_array):
    """``(n, rows, cols, weights)`` of the upper triangle of a canonical CSR matrix."""
    rows = np.repeat(np.arange(A.shape[0], dtype=np.int32), np.diff(A.indptr))
    upper = A.indices > rows  # the upper triangle, read from the CSR arrays in place
    return (A.shape[0], rows[upper].astype(np.int64), A.indices[upper].astype(np.int64),
            A.data[upper])


def _asymmetry(A: sp.csr_array) -> float:
    """``max |A - A.T|`` of a canonical CSR matrix.

    When ``A`` and its transpose have the same structure (every symmetric graph), the
    values are compared in place in one copy of the transpose; ``A - A.T`` would make two
    more matrices of up to twice the edges.
    """
    if not A.nnz:
        return 0.0
    t = A.T.tocsr()
    t.sort_indices()
    if np.array_equal(A.indptr, t.indptr) and np.array_equal(A.indices, t.indices):
        np.subtract(A.data, t.data, out=t.data)
        return float(np.abs(t.data, out=t.data).max())
    diff = abs(A - t)
    return float(diff.max()) if diff.nnz else 0.0


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
    """Shared fit: checks, isolates, the library's graph, canonical labels, modularity.

    A subclass supplies ``_membership``; one that runs on another graph library also
    overrides ``_graph`` (build it from the active members' edges) and ``_modularity``.
    """

    def _membership(self, g, n_active: int) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _graph(self, m: int, edges: list):
        """The weighted igraph graph of the ``m`` active members.

        ``edges`` is the list ``[rows, cols, weights]`` (ends in ``[0, m)``), which the hook
        takes over: it empties the list, so that each array is freed as soon as the hook
        no longer needs it (the caller keeps no other reference).
        """
        rows, cols, w = edges
        edges.clear()
        g = igraph_from_edges(m, rows, cols)  # no Python list of edges
        del rows, cols
        g.es["weight"] = w.tolist()
        return g

    def _modularity(self, g, labels: np.ndarray) -> float:
        """Weighted modularity (resolution 1) of ``labels`` over the active members."""
        return float(g.modularity(labels.tolist(), weights="weight"))

    _modularity_from_edges = False
    """True for a stage whose library's graph is let go once the communities are found:
    the modularity is then computed from the fitted matrix's edges (:func:`edge_modularity`,
    the same sums), read again, and ``fit`` keeps the checked matrix for that (the
    caller's own arrays when it is a canonical float CSR matrix: no copy)."""

    def fit(self, graph):
        """Find communities in ``graph`` (symmetric sparse adjacency over members)."""
        A = _checked(graph, type(self).__name__)  # graph's own arrays when canonical
        n, rows, cols, w = _upper(A)
        if not self._modularity_from_edges:
            A = None  # (a copy, where graph was not canonical, is not held through the fit)
        degree = np.bincount(rows, minlength=n) + np.bincount(cols, minlength=n)
        active = degree > 0
        index = np.cumsum(active) - 1  # position of each active member in the subgraph
        m = int(active.sum())
        rows = index[rows]  # each original end freed as its copy is made: 0.18 GB at 1 M
        cols = index[cols]
        del degree, index
        n_edges = len(w)
        edges = [rows, cols, w]  # handed over: what the stage keeps of them is in g
        del rows, cols, w
        g = self._graph(m, edges)
        labels = np.full(n, ISOLATE, dtype=np.int64)
        if m:
            labels[active] = np.asarray(self._membership(g, m), dtype=np.int64)
        if self._modularity_from_edges:
            g = None  # the library's graph is let go before the modularity, and the heap
            release_freed_memory()  # it freed given back (at 1 M members, with the
            # modularity's temporaries one at a time: the fit's peak 1.48 -> 1.19 GB)
        self.labels_ = canonical_labels(labels)
        self.n_communities_ = int(self.labels_.max()) + 1 if m else 0
        if not n_edges:
            self.modularity_ = float("nan")
        elif self._modularity_from_edges:  # isolates have no edge: the same sums as over
            # the active members alone
            self.modularity_ = edge_modularity(*_upper(A)[1:], self.labels_)
        else:
            self.modularity_ = self._modularity(g, self.labels_[active])
        if n_edges:  # metrics.modularity of this graph and these labels: no second build
            from clusterkit.metrics import remember_modularity

            remember_modularity(graph, self.labels_, self.modularity_)
        return self


_SEED = {"random_state": ["random_state"]}
"""The ``random_state`` constraint shared by the seeded community stages."""
