"""Leiden on a graph of pieces: communities of a graph too large to hold in one place.

Three steps; only the second needs one machine, and only for a graph of pieces:

1. **Pieces by local moving** (:func:`local_moving`): Louvain's first phase, run on the
   whole graph in synchronous rounds so that each round is a join and an aggregate (with
   Spark: :mod:`clusterkit.engines.spark.community`). Every member starts alone. In each
   round the *active* half of the members (:func:`active`, a fixed hash of member and
   round) each move to the neighbouring community that raises the objective most, if that
   beats staying; ties go to the smallest :func:`tie_key`. It stops when a round moves no
   one, or after ``rounds`` rounds.
2. **Leiden on the pieces** (:func:`coarse_communities`): one node per piece (its weight:
   its members' node weights), edges the summed weights between pieces, and Leiden with
   the same objective. A member's community is its piece's.
3. **Refinement** (:func:`local_moving` again, from those communities): up to
   ``refine_rounds`` rounds in which the active half of the members may each move to a
   neighbouring community, as in step 1. A member put in a wrong piece by step 1 can
   leave it here.

The objective is the whole graph's modularity, written as the Constant Potts Model with
each member's strength as its node weight and resolution ``resolution / 2m`` (igraph gives
the same partition for both forms); ``objective="cpm"`` uses unit node weights. Both are
sums over communities, so a merge of pieces in step 2 is valued exactly as in the whole
graph, and what a piece holds inside it is a constant that step 2 can leave out.

Assumptions
-----------
- Step 2 never splits a piece; step 3 moves single members only, so a whole piece that
  belongs elsewhere stays. Moving half the members per round keeps two neighbours from
  swapping places forever, as fully synchronous moves do.
- What step 1 costs against Leiden on the whole graph is measured, not assumed
  (``experiments/results/coarse_leiden.md``: LFR, our generator, the blind generator and
  eleven real graphs).
- Deterministic: the hashes and tie rule depend only on member positions and the round;
  the Leiden seed is ``random_state``; every graph is built from edges sorted by their
  ends. Sums of weights in another order (Spark's) can move a value in its last bit and
  so break a tie differently; with integer weights the sums are exact.

Examples
--------
>>> import networkx as nx, scipy.sparse as sp
>>> G = nx.planted_partition_graph(4, 50, 0.3, 0.005, seed=2)
>>> A = sp.csr_array(nx.to_scipy_sparse_array(G, nodelist=sorted(G)))
>>> labels, info = coarse_leiden(A, random_state=0)
>>> int(labels.max()) + 1, info["pieces"] < 50
(4, True)
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["REFINE_ROUNDS", "ROUNDS", "active", "coarse_communities", "coarse_leiden",
           "local_moving", "named_communities", "node_weights", "tie_key"]

ROUNDS = 30
"""Default most rounds of step 1 (most graphs stop by themselves before; measured with
refinement: 10 rounds lose up to 0.007 NMI more, on the blind generator's hub-heavy graphs
at mixing 0.6, and leave up to 5x the pairs of pieces, on musae-github)."""

REFINE_ROUNDS = 10
"""Default most rounds of step 3 (measured: the worst modularity loss against Leiden on the
whole graph, on musae-twitch-de, falls from 0.015 without it to 0.007; the worst NMI loss,
on football, from 0.040 to 0.034)."""

_PRIME = 2_147_483_647  # 2**31 - 1


def tie_key(label, vid, round_: int):
    """Tie rule: an integer hash of (community, member, round), smallest first.

    Written with int64 products that cannot overflow, so that Spark SQL computes the same
    value.
    """
    label = np.asarray(label, dtype=np.int64)
    vid = np.asarray(vid, dtype=np.int64)
    return ((label % 1_000_003) * 7_919 + (vid % 1_000_033) * 104_729
            + int(round_) * 15_485_863) % _PRIME


def active(vid, round_: int):
    """Whether each member may move in a round: half of them, by a double hash."""
    vid = np.asarray(vid, dtype=np.int64)
    h = (vid % _PRIME * 48_271 + int(round_) * 16_807) % _PRIME * 69_621 % _PRIME
    return h % 2 == 0


def node_weights(i, j, w, n: int, objective: str = "modularity", resolution: float = 1.0):
    """``(node weight of each member, gamma)`` of the objective, from each edge once."""
    if objective == "cpm":
        return np.ones(n), float(resolution)
    strength = np.bincount(i, w, n) + np.bincount(j, w, n)
    total = strength.sum()
    return strength, float(resolution) / total if total > 0 else 0.0


def local_moving(i, j, w, node_weight, gamma: float, rounds: int = ROUNDS, start=None):
    """Steps 1 and 3: each member's piece, named by a member position.

    Parameters
    ----------
    i, j, w : ndarray
        Each undirected edge once (``i != j``), member positions.
    node_weight : ndarray
        One per member (:func:`node_weights`).
    gamma : float
    rounds : int, default ROUNDS
    start : ndarray, optional
        Each member's community to start from, named by a member position (a member
        position names at most one community); default: every member alone.

    Returns
    -------
    (piece, rounds_run) : (ndarray of int64, int)
    """
    n = len(node_weight)
    src, dst, ww = np.r_[i, j], np.r_[j, i], np.r_[w, w]
    vid = np.arange(n, dtype=np.int64)
    label = vid.copy() if start is None else np.asarray(start, dtype=np.int64).copy()
    r = 0
    for r in range(1, int(rounds) + 1):  # a loop over rounds; each one is vectorised
        S = sp.coo_array((ww, (src, label[dst])), shape=(n, n)).tocsr()
        S.sum_duplicates()
        K = np.bincount(label, node_weight, n)
        at, c = np.repeat(vid, np.diff(S.indptr)), S.indices.astype(np.int64)
        own = c == label[at]
        value = S.data - gamma * node_weight[at] * (K[c] - np.where(own, node_weight[at], 0.0))
        stay = -gamma * node_weight * (K[label] - node_weight)  # no edge into its own
        stay[at[own]] = value[own]
        order = np.lexsort((tie_key(c, at, r), -value, at))
        first = order[np.r_[0, np.flatnonzero(np.diff(at[order])) + 1]] if len(at) else order
        who, best, gain = at[first], c[first], value[first]
        move = (gain > stay[who]) & (best != label[who]) & active(who, r)
        if not move.any():
            break
        label[who[move]] = best[move]
    return label, r


def coarse_communities(pi, pj, w, pieces, piece_weight, gamma: float, n_iterations: int,
                       seed: int) -> np.ndarray:
    """Step 2: the community of each piece, from Leiden on the graph of pieces.

    Parameters
    ----------
    pi, pj, w : ndarray
        Summed weights between two different pieces, each pair once.
    pieces : ndarray
        Every piece, ascending.
    piece_weight : ndarray
        Each piece's node weight (its members' sum).
    gamma : float
    n_iterations : int
        Leiden iterations (-1: until stable).
    seed : int

    Returns
    -------
    ndarray of int64
        Community of each of ``pieces``.
    """
    from clusterkit.graph.igraph_build import igraph_from_edges
    from clusterkit.stages.community._graph import _igraph_rng

    a, b = np.searchsorted(pieces, pi), np.searchsorted(pieces, pj)
    order = np.lexsort((b, a))
    g = igraph_from_edges(len(pieces), a[order], b[order])
    with _igraph_rng(int(seed)):  # the community stages' seeding, one home
        part = g.community_leiden(objective_function="CPM",
                                  weights=np.asarray(w, dtype=np.float64)[order].tolist(),
                                  node_weights=np.asarray(piece_weight, np.float64).tolist(),
                                  resolution=float(gamma), n_iterations=int(n_iterations))
    return np.asarray(part.membership, dtype=np.int64)


def coarse_leiden(graph, *, objective: str = "modularity", resolution: float = 1.0,
                  n_iterations: int = 2, random_state: int = 0, rounds: int = ROUNDS,
                  refine_rounds: int = REFINE_ROUNDS):
    """The three steps on one machine: the reference that the Spark version equals.

    Parameters
    ----------
    graph : scipy.sparse array
        Symmetric, non-negative member graph.
    objective : {"modularity", "cpm"}
    resolution : float, default 1.0
    n_iterations : int, default 2
        Leiden iterations in step 2 (-1: until stable).
    random_state : int, default 0
    rounds : int, default ROUNDS
    refine_rounds : int, default REFINE_ROUNDS

    Returns
    -------
    (labels, info)
        Canonical community labels (-2 for members without an edge), and ``pieces``,
        ``pairs`` (the graph of pieces' size), ``rounds`` and ``refine_rounds`` run.
    """
    from clusterkit.stages.base import ISOLATE
    from clusterkit.stages.cluster import canonical_labels
    from clusterkit.stages.community._graph import _checked

    A = sp.triu(_checked(graph, "coarse_leiden"), k=1).tocoo()  # symmetric, no stored 0
    i, j, w = A.row.astype(np.int64), A.col.astype(np.int64), A.data
    n = graph.shape[0]
    weight, gamma = node_weights(i, j, w, n, objective, resolution)
    piece, rounds_run = local_moving(i, j, w, weight, gamma, rounds)
    pi, pj = piece[i], piece[j]
    cross = pi != pj
    C = sp.coo_array((w[cross], (np.minimum(pi, pj)[cross], np.maximum(pi, pj)[cross])),
                     shape=(n, n)).tocsr()
    C.sum_duplicates()
    C = C.tocoo()
    has_edge = np.zeros(n, dtype=bool)
    has_edge[i] = has_edge[j] = True
    pieces = np.unique(piece[has_edge])
    where = np.searchsorted(pieces, piece[has_edge])
    com = coarse_communities(C.row, C.col, C.data, pieces,
                             np.bincount(where, weight[has_edge], len(pieces)), gamma,
                             n_iterations, random_state)
    start = named_communities(com[where], np.flatnonzero(has_edge), n)
    refined, refine_run = (local_moving(i, j, w, weight, gamma, refine_rounds, start)
                           if refine_rounds > 0 else (start, 0))
    labels = np.full(n, ISOLATE, dtype=np.int64)
    labels[has_edge] = refined[has_edge]
    info = {"pieces": int(len(pieces)), "pairs": int(C.nnz), "rounds": int(rounds_run),
            "refine_rounds": int(refine_run)}
    return canonical_labels(labels), info


def named_communities(community, members, n: int) -> np.ndarray:
    """Step 3's start: each of ``n`` members' community named by its smallest member
    position (``community`` of the ``members`` listed, ascending); others alone."""
    out = np.arange(n, dtype=np.int64)
    _, first, inverse = np.unique(community, return_index=True, return_inverse=True)
    out[members] = members[first][inverse]
    return out
