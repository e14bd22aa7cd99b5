"""The scikit-learn contract (DESIGN §4): cluster, transform and reduce stages pass
``check_estimator`` and sit in a scikit-learn ``Pipeline``; the ``sklearn`` cluster stage
takes an estimator object as well as an import path.

Checks a stage fails by design are listed in :data:`EXPECTED_FAILURES` with the reason, and
run as expected failures (scikit-learn's ``expected_failed_checks``), never skipped. UMAP is
left out: compiling it (numba) for ~45 checks costs minutes, and its contract code is the
same ``_Reduce`` base that ``NoReduce`` and ``PCAReduce`` are checked through.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.cluster import DBSCAN, Birch, KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from clusterkit.config import RunConfig, config_hash
from clusterkit.errors import ConfigError
from clusterkit.stages.cluster import (
    GMMCluster,
    HDBSCANCluster,
    KMeansCluster,
    NoCluster,
    SklearnCluster,
)
from clusterkit.stages.reduce import NoReduce, PCAReduce
from clusterkit.stages.transform import Log1pTransform, NoTransform, ScaleTransform

ESTIMATORS = [
    KMeansCluster(n_clusters=3, random_state=0),
    GMMCluster(n_components=3, random_state=0),
    HDBSCANCluster(min_cluster_size=5),
    SklearnCluster(Birch(n_clusters=3)),
    SklearnCluster("sklearn.cluster.Birch", {"n_clusters": 3}),
    NoCluster(),
    Log1pTransform(),
    ScaleTransform(),
    NoTransform(),
    NoReduce(),
    PCAReduce(n_components=2, random_state=0),
]

EXPECTED_FAILURES = {
    NoCluster: {
        "check_clustering": "NoCluster is the null-object stage: one cluster of everyone by "
        "design (segments are then the roles), so its ARI against three blobs is 0.",
    },
}


def _expected(estimator) -> dict:
    return EXPECTED_FAILURES.get(type(estimator), {})


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected)
def test_check_estimator(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def blobs():
    X, y = make_blobs(300, n_features=4, centers=3, cluster_std=0.6, random_state=3)
    return X * [1.0, 10.0, 100.0, 0.1], y  # columns on very different scales


@pytest.mark.parametrize("stage", [
    KMeansCluster(n_clusters=3, random_state=0),
    HDBSCANCluster(min_cluster_size=20),
    SklearnCluster(Birch(n_clusters=3)),
], ids=["kmeans", "hdbscan", "sklearn-birch"])
def test_cluster_stage_in_a_sklearn_pipeline(stage, blobs):
    X, y = blobs
    pipe = make_pipeline(StandardScaler(), stage)
    labels = pipe.fit_predict(X)
    assert labels.dtype == np.int64 and labels.shape == (len(X),)
    assert adjusted_rand_score(y, labels) == pytest.approx(1.0)
    fitted = pipe[-1]
    assert fitted.n_features_in_ == X.shape[1]
    np.testing.assert_array_equal(fitted.labels_, labels)
    again = clone(pipe).set_params(**{f"{pipe.steps[-1][0]}__{k}": v
                                      for k, v in stage.get_params(deep=False).items()})
    np.testing.assert_array_equal(again.fit_predict(X), labels)  # get/set_params round-trip


def test_transform_and_reduce_stages_chain_in_a_sklearn_pipeline(blobs):
    X, y = blobs
    pipe = Pipeline([
        ("log", Log1pTransform()),
        ("scale", ScaleTransform(method="standard")),
        ("pca", PCAReduce(n_components=2, random_state=0)),
        ("cluster", KMeansCluster(n_clusters=3, random_state=0)),
    ])
    labels = pipe.fit_predict(X, y)  # y is accepted and ignored all along
    assert adjusted_rand_score(y, labels) > 0.9
    assert pipe[:-1].transform(X).shape == (len(X), 2)
    scaled = make_pipeline(ScaleTransform(method="standard")).set_output(transform="pandas")
    assert list(scaled.fit_transform(X).columns) == ["x0", "x1", "x2", "x3"]


def test_sklearn_stage_takes_an_estimator_object_and_clones_it(blobs):
    X, _ = blobs
    birch = Birch(n_clusters=3)
    stage = SklearnCluster(birch).fit(X)
    assert not hasattr(birch, "subcluster_centers_")  # the given object is never fitted
    assert stage.estimator_ is not birch and stage.estimator is birch
    by_path = SklearnCluster("sklearn.cluster.Birch", {"n_clusters": 3}).fit(X)
    np.testing.assert_array_equal(stage.labels_, by_path.labels_)
    assert stage.get_params()["estimator__n_clusters"] == 3  # nested parameters
    stage.set_params(estimator__n_clusters=2)  # as in sklearn: set on the held object
    assert stage.fit(X).n_clusters_ == 2 and not hasattr(birch, "subcluster_centers_")
    with_params = SklearnCluster(Birch(n_clusters=5), params={"n_clusters": 2}).fit(X)
    assert with_params.n_clusters_ == 2  # params override the object's values


def test_sklearn_stage_random_state_with_an_object(blobs):
    X, _ = blobs
    seeded = SklearnCluster(KMeans(3, n_init=1), random_state=7).fit(X)
    assert seeded.estimator_.random_state == 7  # unset on the object: the stage's seed
    own = SklearnCluster(KMeans(3, n_init=1, random_state=1), random_state=7).fit(X)
    assert own.estimator_.random_state == 1  # set on the object: kept
    noise = SklearnCluster(DBSCAN(eps=0.3, min_samples=5)).fit(StandardScaler().fit_transform(X))
    assert noise.labels_.min() >= -1


def test_bad_estimator_is_refused_in_fit_not_init():
    stage = SklearnCluster(estimator=42)  # __init__ only stores
    with pytest.raises(ConfigError, match="'estimator' parameter of SklearnCluster must be a "
                                          "str or a ClusterMixin. Got 42 instead"):
        stage.fit(np.ones((5, 2)))
    with pytest.raises(ConfigError, match="not a scikit-learn ClusterMixin"):
        SklearnCluster("sklearn.preprocessing.StandardScaler").fit(np.ones((5, 2)))


def test_run_config_records_an_estimator_object_as_path_and_params():
    by_object = RunConfig(cluster={"name": "sklearn", "params": {
        "estimator": Birch(n_clusters=4, threshold=0.3)}})
    by_path = RunConfig(cluster={"name": "sklearn", "params": {
        "estimator": "sklearn.cluster.Birch", "params": {"n_clusters": 4, "threshold": 0.3}}})
    assert by_object.resolved()["cluster"] == by_path.resolved()["cluster"] == {
        "name": "sklearn",
        "params": {"estimator": "sklearn.cluster.Birch",
                   "params": {"n_clusters": 4, "threshold": 0.3}},
    }
    assert config_hash(by_object) == config_hash(by_path)
    by_object.check_stages()


def test_run_config_refuses_an_estimator_it_cannot_record():
    def init(X, n_clusters, random_state):
        return X[:n_clusters]

    with pytest.raises(ValueError, match="parameter 'init' .* is not plain data"):
        RunConfig(cluster={"name": "sklearn", "params": {"estimator": KMeans(init=init)}})

    class Local(KMeans):
        pass

    with pytest.raises(ValueError, match="cannot be imported by path"):
        RunConfig(cluster={"name": "sklearn", "params": {"estimator": Local()}})


def test_y_is_accepted_and_ignored(blobs):
    X, y = blobs
    a = KMeansCluster(n_clusters=3, random_state=0).fit(X, y).labels_
    b = KMeansCluster(n_clusters=3, random_state=0).fit_predict(X)
    np.testing.assert_array_equal(a, b)
    assert ScaleTransform().fit(X, y).transform(X).shape == X.shape
