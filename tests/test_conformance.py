"""One conformance suite run over every registered stage (like scikit-learn's
``parametrize_with_checks``): parameters, cloning, no mutation, alignment, seeds, row order."""

import inspect

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import make_blobs

from clusterkit.data import CommunityData
from clusterkit.metrics import ari
from clusterkit.registry import get_stage, list_stages
from clusterkit.stages import base
from clusterkit.synthetic.community import generate

ALL = [(k, n) for k, names in list_stages().items() for n in names]
PROTOCOL = {
    "features": base.FeatureBuilder, "transform": base.TransformStage,
    "reduce": base.ReduceStage, "cluster": base.ClusterStage,
    "community": base.CommunityStage, "roles": base.RoleStage, "scoring": base.ScoringStage,
}
METHODS = {"features": ("build",), "transform": ("fit", "transform"),
           "reduce": ("fit_transform",), "cluster": ("fit",), "community": ("fit",),
           "roles": ("fit",), "scoring": ("fit",)}


@pytest.fixture(scope="module")
def data():
    return CommunityData.from_frames(**generate(300, seed=2).tables)


@pytest.fixture(scope="module")
def features(data):
    from clusterkit.features import build_features

    X, _ = build_features(data, [("behaviour", {}), ("graph", {}), ("interaction", {})])
    return X


def _blobs():
    X, _ = make_blobs(n_samples=240, centers=3, cluster_std=0.5, random_state=0)
    return X


def _graph():
    G = nx.planted_partition_graph(4, 30, 0.4, 0.01, seed=1)
    g = sp.csr_array(nx.to_scipy_sparse_array(G, nodelist=sorted(G), dtype=float))
    return sp.block_diag([g, sp.csr_array((2, 2))], format="csr")  # plus 2 isolates


def _input(kind, data, features):
    return {"features": data, "scoring": data, "roles": features, "transform": features,
            "reduce": np.log1p(features.to_numpy()), "cluster": _blobs(),
            "community": _graph()}[kind]


def _make(kind, name, **params):
    cls = get_stage(kind, name)
    sig = inspect.signature(cls)
    if "random_state" in sig.parameters:
        params.setdefault("random_state", 0)
    if kind == "reduce" and name == "umap":
        params.setdefault("n_neighbors", 10)
    return cls(**params)


def _output(kind, stage, X):
    if kind == "features":
        return stage.build(X)
    if kind == "transform":
        return stage.fit(X).transform(X)
    if kind == "reduce":
        return stage.fit_transform(X)
    stage.fit(X)
    attr = {"cluster": "labels_", "community": "labels_", "roles": "roles_",
            "scoring": "scores_"}[kind]
    return getattr(stage, attr)


@pytest.mark.parametrize("kind, name", ALL, ids=[f"{k}.{n}" for k, n in ALL])
def test_parameters_and_clone(kind, name):
    cls = get_stage(kind, name)
    sig = inspect.signature(cls.__init__)
    if cls.__init__ is not object.__init__:  # null stages have no parameters at all
        assert not any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                       for p in sig.parameters.values())
    else:
        sig = inspect.Signature()
    stage = cls()
    params = stage.get_params(deep=False)
    defaults = {k: p.default for k, p in sig.parameters.items() if k != "self"}
    assert params == defaults  # __init__ only stores its arguments
    again = clone(stage)
    assert again.get_params(deep=False) == params and again is not stage
    assert stage.set_params(**params) is stage
    for method in METHODS[kind]:
        assert callable(getattr(stage, method, None)), method
    assert stage.stage_kind == kind and stage.stage_name == name


@pytest.mark.parametrize("kind, name", ALL, ids=[f"{k}.{n}" for k, n in ALL])
def test_output_aligned_deterministic_and_input_untouched(kind, name, data, features):
    X = _input(kind, data, features)
    before = X.copy() if hasattr(X, "copy") else X
    first = _output(kind, _make(kind, name), X)
    second = _output(kind, _make(kind, name), X)
    n = X.n_members if kind in ("features", "scoring") else X.shape[0]
    assert len(first) == n
    if isinstance(first, pd.DataFrame):
        pd.testing.assert_frame_equal(first, second)
        assert np.isfinite(first.to_numpy(dtype=float)).all()
    else:
        np.testing.assert_array_equal(np.asarray(first), np.asarray(second))
    if isinstance(X, pd.DataFrame):
        pd.testing.assert_frame_equal(X, before)
    elif isinstance(X, np.ndarray):
        np.testing.assert_array_equal(X, before)
    elif sp.issparse(X):
        assert (X != before).nnz == 0
    if kind in ("cluster", "community"):
        assert np.asarray(first).dtype == np.int64
    if kind == "community":
        assert (np.asarray(first)[-2:] == base.ISOLATE).all()  # isolates kept, labelled


@pytest.mark.parametrize("kind, name", [(k, n) for k, n in ALL if k in ("cluster", "community")])
def test_row_order_does_not_change_the_partition(kind, name, data, features):
    X = _input(kind, data, features)
    perm = np.random.default_rng(7).permutation(X.shape[0])
    Xp = X[perm] if kind == "cluster" else X[perm][:, perm]
    a = np.asarray(_output(kind, _make(kind, name), X))
    b = np.empty_like(a)
    b[perm] = np.asarray(_output(kind, _make(kind, name), Xp))
    assert ari(a, b) == 1.0


@pytest.mark.parametrize("kind, name", ALL, ids=[f"{k}.{n}" for k, n in ALL])
def test_bad_parameter_message(kind, name, data, features):
    cls = get_stage(kind, name)
    constraints = getattr(cls, "_constraints", {})
    if not constraints:
        pytest.skip("stage has no constrained parameters")
    param = sorted(constraints)[0]
    stage = _make(kind, name, **{param: object()})
    with pytest.raises(ValueError, match=rf"The '{param}' parameter of {cls.__name__} must be"):
        _output(kind, stage, _input(kind, data, features))
