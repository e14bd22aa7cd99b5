"""Resolution scan for Leiden: the choice of granularity, degenerate partitions, the table."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from clusterkit.errors import ConfigError
from clusterkit.metrics import ari, modularity, nmi
from clusterkit.registry import get_stage
from clusterkit.stages.base import ISOLATE
from clusterkit.stages.community import LeidenCommunity
from clusterkit.stages.community.leiden_scan import (
    ResolutionScanLeiden,
    _choose,
    default_resolutions,
)

COLUMNS = ["resolution", "stability", "modularity", "n_communities", "valid", "chosen"]


@pytest.fixture(scope="module")
def many_small():
    """60 planted blocks of 15 members: modularity at resolution 1 merges blocks."""
    G = nx.planted_partition_graph(60, 15, 0.5, 0.002, seed=1)
    A = sp.csr_array(nx.to_scipy_sparse_array(G, nodelist=range(900), dtype=float))
    return A, np.repeat(np.arange(60), 15)


@pytest.fixture(scope="module")
def ring():
    """The classic resolution-limit example: a ring of 60 cliques of 5."""
    A = sp.csr_array(nx.to_scipy_sparse_array(nx.ring_of_cliques(60, 5), dtype=float))
    return A, np.repeat(np.arange(60), 5)


def test_registered_with_defaults():
    assert get_stage("community", "leiden_scan") is ResolutionScanLeiden
    assert ResolutionScanLeiden().get_params() == {
        "objective": "modularity",
        "resolutions": None,
        "n_seeds": 5,
        "criterion": "stability",
        "tolerance": 0.005,
        "n_iterations": 2,
        "random_state": None,
    }


@pytest.mark.parametrize("graph", ["ring", "many_small"])
def test_scan_beats_the_resolution_limit(graph, request):
    A, truth = request.getfixturevalue(graph)
    plain = LeidenCommunity(random_state=0).fit(A)
    assert plain.n_communities_ < 60 and nmi(truth, plain.labels_) < 0.95  # merged
    scan = ResolutionScanLeiden(random_state=0).fit(A)
    assert scan.n_communities_ == 60 and nmi(truth, scan.labels_) == 1.0
    assert scan.resolution_ > 1.0
    cpm = ResolutionScanLeiden(objective="cpm", random_state=0).fit(A)
    assert nmi(truth, cpm.labels_) == 1.0


def test_scan_table(ring):
    A, _ = ring
    scan = ResolutionScanLeiden(random_state=0).fit(A)
    table = scan.scan_
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns) == COLUMNS
    assert table["chosen"].dtype == bool and int(table["chosen"].sum()) == 1
    row = table[table["chosen"]].iloc[0]
    assert row["resolution"] == scan.resolution_ and row["valid"]
    assert (np.diff(table["resolution"]) > 0).all()
    assert table["stability"].between(-1, 1).all()
    assert row["stability"] == table.loc[table["valid"], "stability"].max()
    assert scan.modularity_ == pytest.approx(modularity(A, scan.labels_))
    assert scan.n_communities_ == len(np.unique(scan.labels_))


def test_default_grid_is_relative_to_density():
    grid = default_resolutions(1000, 10_000, 10_000.0)
    assert grid[0] == 1.0 and np.allclose(grid[1:] / grid[:-1], np.sqrt(2))
    assert grid[-2] <= 999 / 20 < grid[-1]  # up to (n - 1) / mean degree
    rho = 2 * 10_000 / (1000 * 999)
    np.testing.assert_allclose(default_resolutions(1000, 10_000, 10_000.0, "cpm"), grid * rho)
    # doubling every weight doubles the CPM grid, leaves the modularity grid alone
    np.testing.assert_allclose(default_resolutions(1000, 10_000, 20_000.0, "cpm"), 2 * grid * rho)
    np.testing.assert_allclose(default_resolutions(1000, 10_000, 20_000.0), grid)
    assert default_resolutions(5, 0, 0.0).size == 0


def test_cpm_scan_is_invariant_to_the_unit_of_weight(many_small):
    A, truth = many_small
    a = ResolutionScanLeiden(objective="cpm", random_state=0).fit(A)
    b = ResolutionScanLeiden(objective="cpm", random_state=0).fit(A * 3.0)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    assert b.resolution_ == pytest.approx(3.0 * a.resolution_)


def test_degenerate_partitions_are_never_chosen():
    # one clique: every resolution gives one community or (near) singletons
    A = sp.csr_array(nx.to_scipy_sparse_array(nx.complete_graph(12), dtype=float))
    scan = ResolutionScanLeiden(random_state=0).fit(A)
    assert not scan.scan_["valid"].any() and int(scan.scan_["chosen"].sum()) == 1
    assert scan.resolution_ == 1.0  # falls back to the standard scale
    # two cliques joined by one edge: two communities, although one and twelve are stable
    G = nx.barbell_graph(6, 0)
    A = sp.csr_array(nx.to_scipy_sparse_array(G, nodelist=range(12), dtype=float))
    scan = ResolutionScanLeiden(resolutions=[0.01, 1.0, 100.0], random_state=0).fit(A)
    assert scan.scan_["valid"].tolist() == [False, True, False]
    assert scan.n_communities_ == 2


def test_modularity_criterion_picks_a_near_maximum(many_small):
    A, _ = many_small
    scan = ResolutionScanLeiden(criterion="modularity", random_state=0).fit(A)
    table = scan.scan_
    best = table.loc[table["valid"], "modularity"].max()
    assert table.loc[table["chosen"], "modularity"].iloc[0] >= best - 0.005


def test_user_resolutions(many_small):
    A, truth = many_small
    scan = ResolutionScanLeiden(resolutions=[16.0, 1.0, 4.0], random_state=0).fit(A)
    assert scan.scan_["resolution"].tolist() == [1.0, 4.0, 16.0]
    assert nmi(truth, scan.labels_) == 1.0


def test_choose_takes_the_middle_of_the_longest_plateau():
    log_res = np.log(2.0 ** np.arange(8))
    valid = np.ones(8, dtype=bool)
    n_comm = np.arange(8) + 2.0
    # plateau of 2 (indices 1-2) and of 3 (4-6): the longer wins, its middle is chosen
    score = np.array([0.5, 1.0, 1.0, 0.7, 0.999, 1.0, 0.998, 0.6])
    assert _choose(score, valid, log_res, n_comm, 0.005) == 5
    # invalid points break plateaus and are never chosen
    valid[5] = False
    assert _choose(score, valid, log_res, n_comm, 0.005) in (1, 2)
    # equal lengths: the more stable plateau, then the finer
    score = np.array([1.0, 1.0, 0.5, 0.996, 0.996, 0.5, 0.5, 0.5])
    assert _choose(score, np.ones(8, dtype=bool), log_res, n_comm, 0.005) in (0, 1)


def test_same_seed_same_labels_isolates_and_row_order(many_small):
    A, _ = many_small
    A = sp.block_diag([A, sp.csr_array((2, 2))], format="csr")
    a = ResolutionScanLeiden(random_state=3).fit(A)
    b = ResolutionScanLeiden(random_state=3).fit(A)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    pd.testing.assert_frame_equal(a.scan_, b.scan_)
    assert (a.labels_[-2:] == ISOLATE).all() and (a.labels_[:-2] >= 0).all()
    perm = np.random.default_rng(5).permutation(A.shape[0])
    c = np.empty_like(a.labels_)
    c[perm] = ResolutionScanLeiden(random_state=3).fit(A[perm][:, perm]).labels_
    assert ari(a.labels_, c) == 1.0


def test_graph_without_edges():
    scan = ResolutionScanLeiden(random_state=0).fit(sp.csr_array((3, 3)))
    assert scan.labels_.tolist() == [ISOLATE] * 3 and scan.n_communities_ == 0
    assert np.isnan(scan.resolution_) and scan.scan_.empty
    assert list(scan.scan_.columns) == COLUMNS


@pytest.mark.parametrize(
    "params, message",
    [
        (
            {"n_seeds": 1},
            "The 'n_seeds' parameter of ResolutionScanLeiden must be an int in "
            r"the range \[2, inf\). Got 1 instead.",
        ),
        ({"criterion": "nmi"}, "The 'criterion' parameter of ResolutionScanLeiden must be one"),
        ({"objective": "surprise"}, "The 'objective' parameter of ResolutionScanLeiden"),
        ({"tolerance": -0.1}, "The 'tolerance' parameter of ResolutionScanLeiden"),
        ({"resolutions": 1.0}, "The 'resolutions' parameter of ResolutionScanLeiden must be"),
        ({"resolutions": []}, "The 'resolutions' parameter of ResolutionScanLeiden must be"),
        ({"resolutions": [1.0, -2.0]}, "The 'resolutions' parameter of ResolutionScanLeiden"),
        ({"resolutions": ["a"]}, "The 'resolutions' parameter of ResolutionScanLeiden"),
    ],
)
def test_invalid_parameters(params, message):
    with pytest.raises(ConfigError, match=message):
        ResolutionScanLeiden(**params).fit(sp.csr_array((3, 3)))


def test_lfr_small_communities():
    """LFR (NetworKit) with small communities: the scan recovers them, plain Leiden merges."""
    nk = pytest.importorskip("networkit")
    nk.setSeed(1, False)
    gen = nk.generators.LFRGenerator(2000)
    gen.generatePowerlawDegreeSequence(20, 50, -2.0)
    gen.generatePowerlawCommunitySizeSequence(10, 50, -1.0)
    gen.setMu(0.3)
    gen.run()
    truth = np.asarray(gen.getPartition().getVector())
    A = sp.csr_array(nk.algebraic.adjacencyMatrix(gen.getGraph()), dtype=float)
    plain = nmi(truth, LeidenCommunity(random_state=0).fit(A).labels_)
    scan = nmi(truth, ResolutionScanLeiden(random_state=0).fit(A).labels_)
    assert scan >= 0.98 and scan > plain
