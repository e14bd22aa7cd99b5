"""Leiden on a graph of pieces (issue 13: communities of a graph too large for the
driver): the objective is the whole graph's modularity, the communities are close to
Leiden's on planted graphs, and the result depends on nothing but the graph."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from clusterkit.engines.coarse_leiden import (
    active,
    coarse_communities,
    coarse_leiden,
    local_moving,
    node_weights,
    tie_key,
)
from clusterkit.metrics import modularity, nmi
from clusterkit.registry import create_stage


def _planted(k=6, size=60, p_in=0.2, p_out=0.01, seed=3):
    G = nx.planted_partition_graph(k, size, p_in, p_out, seed=seed)
    A = sp.csr_array(nx.to_scipy_sparse_array(G, nodelist=sorted(G), dtype=np.float64))
    rng = np.random.default_rng(seed)
    W = sp.triu(A, k=1).tocoo()
    W.data = rng.choice([1.0, 2.0, 3.0], W.nnz)  # integer weights, as a member graph has
    A = (W + W.T).tocsr()
    return A, np.repeat(np.arange(k), size)


def test_cpm_with_strengths_is_modularity():
    """The objective that step 2 optimises is modularity: igraph gives the same partition
    for ``modularity`` and for CPM with strengths and resolution 1 / 2m."""
    A, _ = _planted()
    W = sp.triu(A, k=1).tocoo()
    weight, gamma = node_weights(W.row, W.col, W.data, A.shape[0])
    pieces = np.arange(A.shape[0])
    cpm = coarse_communities(W.row, W.col, W.data, pieces, weight, gamma, 2, 0)
    ref = create_stage("community", "leiden", {"random_state": 0}).fit(A)
    assert nmi(cpm, ref.labels_) == pytest.approx(1.0)
    assert modularity(A, cpm) == pytest.approx(ref.modularity_, abs=1e-12)


def test_recovers_planted_communities_as_leiden_does():
    A, truth = _planted()
    labels, info = coarse_leiden(A, random_state=0)
    whole = create_stage("community", "leiden", {"random_state": 0}).fit(A).labels_
    assert nmi(truth, labels) >= nmi(truth, whole) - 0.02
    assert nmi(truth, labels) > 0.95
    assert abs(modularity(A, labels) - modularity(A, whole)) < 0.01
    assert info["pieces"] < A.shape[0] / 4  # the graph of pieces is much smaller
    assert info["pairs"] < sp.triu(A, k=1).nnz / 4


def test_local_moving_raises_modularity_every_round():
    """Each round moves only the active half, each to a better place: the pieces'
    modularity never falls, and the result has far fewer pieces than members."""
    A, _ = _planted(p_out=0.03)
    W = sp.triu(A, k=1).tocoo()
    weight, gamma = node_weights(W.row, W.col, W.data, A.shape[0])
    before = -np.inf
    for rounds in range(1, 8):
        piece, _ = local_moving(W.row, W.col, W.data, weight, gamma, rounds)
        q = modularity(A, piece)
        assert q >= before - 1e-12
        before = q
    assert len(np.unique(piece)) < A.shape[0] / 4


def test_hashes_stay_in_int64_and_split_members_in_half():
    big = np.array([0, 1, 2**40, 2**62], dtype=np.int64)
    assert (tie_key(big, big[::-1], 10**6) >= 0).all()
    share = active(np.arange(100_000), 3).mean()
    assert 0.48 < share < 0.52
    assert not np.array_equal(active(np.arange(1000), 1), active(np.arange(1000), 2))


def test_same_communities_whatever_the_member_order():
    """Relabelling the members permutes the result's rows: the partition is the same up
    to the hashes, which read positions; here the check is that the same positions give
    the same labels, and a permuted graph gives a partition as good."""
    A, truth = _planted(seed=7)
    a, _ = coarse_leiden(A, random_state=1)
    b, _ = coarse_leiden(A.copy(), random_state=1)
    assert np.array_equal(a, b)
    perm = np.random.default_rng(0).permutation(A.shape[0])
    c, _ = coarse_leiden(A[perm][:, perm], random_state=1)
    assert nmi(truth[perm], c) > 0.95


def test_isolates_and_empty_graph():
    A, _ = _planted(k=2, size=20)
    n = A.shape[0]
    B = sp.block_diag([A, sp.csr_array((3, 3))]).tocsr()
    labels, _ = coarse_leiden(B)
    assert (labels[n:] == -2).all() and (labels[:n] >= 0).all()
    empty, info = coarse_leiden(sp.csr_array((4, 4)))
    assert (empty == -2).all() and info["pieces"] == 0
    zero = sp.csr_array((np.array([1.0, 1.0, 0.0, 0.0]), (np.array([0, 1, 2, 3]),
                                                         np.array([1, 0, 3, 2]))), shape=(4, 4))
    labels, _ = coarse_leiden(zero)  # a stored zero is no edge, as for the Leiden stage
    assert list(labels) == [0, 0, -2, -2]


def test_cpm_objective_counts_members():
    """CPM (unit node weights, resolution in edge weight): a resolution between the weighted
    densities outside (about 0.02) and inside (about 0.4) the planted groups finds them,
    as the whole-graph CPM stage does."""
    A, truth = _planted()
    labels, _ = coarse_leiden(A, objective="cpm", resolution=0.1)
    whole = create_stage("community", "leiden", {"objective": "cpm", "resolution": 0.1,
                                                 "random_state": 0}).fit(A).labels_
    assert nmi(truth, labels) > 0.95 and nmi(truth, labels) >= nmi(truth, whole) - 0.02


def test_quality_from_community_sums_equals_the_graph_one():
    """What a Spark run reports without the graph at hand (per-community sums) equals
    ``community_quality`` on the graph, isolates included."""
    from clusterkit.metrics import community_quality, community_quality_from_sums

    A, truth = _planted(k=4, size=30)
    A = sp.block_diag([A, sp.csr_array((2, 2))]).tocsr()
    labels = np.r_[truth, -2, -2]
    W = sp.triu(A, k=1).tocoo()
    same = labels[W.row] == labels[W.col]
    inner = np.bincount(labels[W.row][same], W.data[same], 4)
    volume = np.bincount(labels[:-2], A.sum(axis=1)[:-2], 4)
    got = community_quality_from_sums(labels, np.arange(4), inner, volume)
    expected = community_quality(A, labels)
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        if isinstance(value, float):
            assert got[key] == pytest.approx(value, abs=1e-12), key
        else:
            assert got[key] == value, key
