"""Community stages on a seeded planted-partition graph with isolates."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from clusterkit.errors import ConfigError, DataError
from clusterkit.registry import get_stage, list_stages
from clusterkit.stages.base import ISOLATE
from clusterkit.stages.community import (
    InfomapCommunity,
    LabelPropagationCommunity,
    LeidenCommunity,
    LouvainCommunity,
)

N_ISOLATES = 3
ALL = ["leiden", "louvain", "label_propagation", "infomap"]


@pytest.fixture(scope="module")
def planted():
    """4 groups of 30, weighted edges, then 3 isolates spread through the member order."""
    G = nx.planted_partition_graph(4, 30, 0.4, 0.01, seed=42)
    rng = np.random.default_rng(42)
    A = nx.to_scipy_sparse_array(G, nodelist=sorted(G), format="coo")
    w = rng.uniform(0.5, 2.0, A.nnz)
    upper = A.row < A.col
    r, c, w = A.row[upper], A.col[upper], w[upper]
    n0 = G.number_of_nodes()
    truth = np.repeat(np.arange(4), 30)
    # insert isolates at positions 0, 50, 100 of the member order
    iso_pos = np.array([0, 50, 100])
    n = n0 + N_ISOLATES
    keep = np.setdiff1d(np.arange(n), iso_pos)  # keep[i] = new position of old node i
    r, c = keep[r], keep[c]
    M = sp.coo_array((w, (r, c)), shape=(n, n))
    M = (M + M.T).tocsr()
    labels = np.full(n, ISOLATE)
    labels[keep] = truth
    return M, labels, iso_pos


def _stage(name, **params):
    return get_stage("community", name)(**params)


def test_registered():
    assert set(ALL) <= set(list_stages("community"))
    assert get_stage("community", "leiden") is LeidenCommunity


@pytest.mark.parametrize("name", ALL)
def test_recovers_planted_partition(planted, name):
    A, truth, iso = planted
    stage = _stage(name, random_state=0).fit(A)
    labels = stage.labels_
    assert labels.dtype == np.int64 and labels.shape == (A.shape[0],)
    assert (labels[iso] == ISOLATE).all()
    assert (labels == ISOLATE).sum() == N_ISOLATES
    core = truth != ISOLATE
    assert normalized_mutual_info_score(truth[core], labels[core]) >= 0.9
    assert stage.n_communities_ == len(np.unique(labels[core]))
    sizes = np.bincount(labels[core])
    assert (np.diff(sizes) <= 0).all()  # canonical: largest first


@pytest.mark.parametrize("name", ALL)
def test_same_seed_same_labels(planted, name):
    A, _, _ = planted
    a = _stage(name, random_state=5).fit(A).labels_
    b = _stage(name, random_state=5).fit(A).labels_
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", ALL)
def test_modularity_matches_networkx(planted, name):
    A, _, _ = planted
    stage = _stage(name, random_state=1).fit(A)
    G = nx.from_scipy_sparse_array(A)
    groups = [set(np.flatnonzero(stage.labels_ == k)) for k in range(stage.n_communities_)]
    groups += [{int(i)} for i in np.flatnonzero(stage.labels_ == ISOLATE)]
    expected = nx.community.modularity(G, groups, weight="weight")
    assert stage.modularity_ == pytest.approx(expected, abs=1e-9)


def test_permuting_node_order_gives_same_partition(planted):
    A, _, _ = planted
    perm = np.random.default_rng(9).permutation(A.shape[0])
    a = LeidenCommunity(random_state=0).fit(A).labels_
    b = np.empty_like(a)
    b[perm] = LeidenCommunity(random_state=0).fit(A[perm][:, perm]).labels_
    assert adjusted_rand_score(a, b) == 1.0
    np.testing.assert_array_equal(a == ISOLATE, b == ISOLATE)


def test_cpm_objective_and_resolution(planted):
    A, truth, _ = planted
    core = truth != ISOLATE
    cpm = LeidenCommunity(objective="cpm", resolution=0.05, random_state=0).fit(A)
    assert normalized_mutual_info_score(truth[core], cpm.labels_[core]) >= 0.9
    fine = LeidenCommunity(resolution=5.0, random_state=0).fit(A)
    assert fine.n_communities_ > 4


def test_input_graph_not_modified_and_global_rngs_untouched(planted):
    import random

    A, _, _ = planted
    before = A.copy()
    random.seed(3)
    np.random.seed(3)  # noqa: NPY002 (checks global state)
    py_state, np_state = random.getstate(), np.random.get_state()  # noqa: NPY002 (checks global state)
    for name in ALL:
        _stage(name).fit(A)
    assert random.getstate() == py_state
    assert np.random.get_state()[2] == np_state[2]  # noqa: NPY002 (checks global state)
    assert (A != before).nnz == 0


def test_graph_without_edges_is_all_isolates():
    stage = LeidenCommunity(random_state=0).fit(sp.csr_array((4, 4)))
    assert stage.labels_.tolist() == [ISOLATE] * 4
    assert stage.n_communities_ == 0 and np.isnan(stage.modularity_)


def test_bad_graphs_are_clear_errors():
    directed = sp.csr_array(np.array([[0.0, 1.0], [0.0, 0.0]]))
    with pytest.raises(DataError, match="symmetric"):
        LouvainCommunity().fit(directed)
    with pytest.raises(DataError, match="square"):
        LeidenCommunity().fit(sp.csr_array((2, 3)))
    with pytest.raises(DataError, match="non-negative"):
        LeidenCommunity().fit(sp.csr_array(-np.ones((2, 2))))


def test_param_validation():
    with pytest.raises(ConfigError, match="The 'objective' parameter of LeidenCommunity must be"):
        LeidenCommunity(objective="surprise").fit(sp.csr_array((2, 2)))
    with pytest.raises(ConfigError, match="The 'num_trials' parameter of InfomapCommunity"):
        InfomapCommunity(num_trials=0).fit(sp.csr_array((2, 2)))
    assert LabelPropagationCommunity().get_params() == {"random_state": None}


def test_member_graph_is_symmetric_with_a_zero_diagonal_in_place(monkeypatch):
    # self-interactions reach the sum and are zeroed in place (no copy of the matrix);
    # follows and interactions add as weight * (A + A.T)
    import pandas as pd

    import clusterkit.graph.member as member
    from clusterkit.data import CommunityData

    follows = pd.DataFrame({"follower_id": ["a", "b", "c"], "followee_id": ["b", "a", "a"]})
    events = pd.DataFrame({"member_id": ["a"], "target_id": ["a"], "action": ["reply"],
                           "timestamp": pd.to_datetime(["2026-01-01"], utc=True)})
    data = CommunityData.from_frames(follows=follows, events=events)
    inter = sp.csr_array(np.array([[3.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 2.0]]))
    monkeypatch.setattr(member, "interaction_matrix", lambda d, weighted: inter.copy())
    g = member.member_graph(data, follow_weight=2.0, interaction_weight=0.5).toarray()
    a = data.follow_matrix().toarray()
    m = np.log1p(inter.toarray())
    want = 2.0 * (a + a.T) + 0.5 * (m + m.T)
    np.fill_diagonal(want, 0.0)
    np.testing.assert_array_equal(g, want)
    assert member.member_graph(data).nnz == 4  # a-b both ways, a-c both ways; no diagonal
