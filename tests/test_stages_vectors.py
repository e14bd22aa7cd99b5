"""Transform, reduce and cluster stages on small seeded blobs with planted clusters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from clusterkit.errors import ConfigError
from clusterkit.registry import create_stage, get_stage
from clusterkit.stages.cluster import (
    GMMCluster,
    HDBSCANCluster,
    KMeansCluster,
    NoCluster,
    SklearnCluster,
    canonical_labels,
)
from clusterkit.stages.reduce import NoReduce, PCAReduce, UMAPReduce
from clusterkit.stages.transform import Log1pTransform, NoTransform, ScaleTransform


@pytest.fixture(scope="module")
def blobs():
    X, y = make_blobs(400, n_features=4, centers=4, cluster_std=0.6, random_state=7)
    return X, y


@pytest.fixture
def table():
    rng = np.random.default_rng(0)
    n = 60
    likes = rng.poisson(3.0, n).astype(float)
    rare = np.zeros(n)
    rare[:5] = [1, 4, 2, 9, 1]  # mostly zero: IQR 0, but varies
    return pd.DataFrame(
        {
            "likes": likes,
            "rare": rare,
            "zeros": np.zeros(n),
            "const": np.full(n, 3.0),
            "delta": rng.normal(size=n),
        },
        index=pd.Index([f"m{i:03d}" for i in range(n)], name="member_id"),
    )


def _is_canonical(labels):
    pos = labels[labels >= 0]
    sizes = np.bincount(pos)
    return labels.dtype == np.int64 and (np.diff(sizes) <= 0).all()


# ---- canonical labels ------------------------------------------------------------------


def test_canonical_labels_orders_by_size_then_first_position():
    labels, order = canonical_labels([4, 9, 9, -1, 4, 2], return_order=True)
    assert labels.tolist() == [0, 1, 1, -1, 0, 2]
    assert order.tolist() == [4, 9, 2]
    assert canonical_labels([]).dtype == np.int64


# ---- transform -------------------------------------------------------------------------


def test_log1p_defaults_to_nonnegative_columns(table):
    stage = Log1pTransform().fit(table)
    assert stage.columns_ == ["likes", "rare", "zeros", "const"]
    out = stage.transform(table)
    np.testing.assert_allclose(out["likes"], np.log1p(table["likes"]))
    np.testing.assert_array_equal(out["delta"], table["delta"])  # has negatives: untouched
    assert out.index.equals(table.index) and list(out.columns) == list(table.columns)
    signed = Log1pTransform(columns=["delta"]).fit_transform(table)["delta"]
    np.testing.assert_allclose(signed, np.sign(table["delta"]) * np.log1p(table["delta"].abs()))
    every = Log1pTransform(columns=list(table.columns)).fit_transform(table)  # all: a slice
    v = table.to_numpy(dtype=np.float64)
    assert every.to_numpy().tobytes() == (np.sign(v) * np.log1p(np.abs(v))).tobytes()


def test_log1p_unknown_column_is_a_clear_error(table):
    with pytest.raises(ValueError, match=r"columns \['nope'\] are not in the table"):
        Log1pTransform(columns=["nope"]).fit(table)


@pytest.mark.parametrize("method", ["robust", "standard", "minmax"])
def test_scale_is_finite_on_constant_and_zero_columns(table, method):
    before = table.copy()
    out = ScaleTransform(method=method).fit_transform(table)
    assert np.isfinite(out.to_numpy()).all()
    assert out.index.equals(table.index) and list(out.columns) == list(table.columns)
    assert (out["zeros"] == 0).all() and (out["const"] == 0).all()
    pd.testing.assert_frame_equal(table, before)  # input not modified


def test_robust_scale_falls_back_to_std_for_mostly_zero_columns(table):
    stage = ScaleTransform().fit(table)
    assert stage.fallback_columns_ == ["rare"]
    out = stage.transform(table)
    assert out["rare"].std(ddof=0) == pytest.approx(1.0)


def test_transform_rejects_other_columns(table):
    stage = ScaleTransform().fit(table)
    with pytest.raises(ValueError, match="was fitted on columns"):
        stage.transform(table[["likes"]])


def test_none_transform_is_identity(table):
    assert NoTransform().fit_transform(table) is table
    assert get_stage("transform", "none") is NoTransform


# ---- reduce ----------------------------------------------------------------------------


def test_pca_variance_fraction_and_int_cap(blobs):
    X, _ = blobs
    stage = PCAReduce(n_components=0.9)
    Z = stage.fit_transform(X)
    assert Z.shape == (len(X), stage.n_components_)
    assert stage.explained_variance_ratio_.sum() >= 0.9
    assert stage.embedding_ is Z
    assert PCAReduce(n_components=50).fit_transform(X).shape == (len(X), X.shape[1])
    assert NoReduce().fit_transform(X).shape == X.shape


def test_pca_bad_fraction_message():
    with pytest.raises(ConfigError, match="The 'n_components' parameter of PCAReduce must be"):
        PCAReduce(n_components=1.5).fit(np.ones((5, 2)))


def test_umap_small_and_seeded(blobs):
    X, _ = blobs
    X = X[:300]
    a = UMAPReduce(random_state=3).fit_transform(X)
    b = UMAPReduce(random_state=3).fit_transform(X)
    assert a.shape == (300, 2)
    np.testing.assert_array_equal(a, b)


# ---- cluster ---------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [KMeansCluster, GMMCluster])
def test_auto_k_recovers_planted_blobs(blobs, cls):
    X, y = blobs
    stage = cls(k_max=8, random_state=0).fit(X)
    assert stage.n_clusters_ == 4
    assert adjusted_rand_score(y, stage.labels_) > 0.95
    assert _is_canonical(stage.labels_)
    assert ((stage.probabilities_ >= 0) & (stage.probabilities_ <= 1)).all()
    assert set(stage.k_scores_) == set(range(2, 9))


def test_kmeans_fixed_k_and_centers(blobs):
    X, _ = blobs
    stage = KMeansCluster(n_clusters=3, random_state=0).fit(X)
    assert stage.n_clusters_ == 3 and stage.k_scores_ == {}
    nearest = ((X[:, None, :] - stage.cluster_centers_[None]) ** 2).sum(-1).argmin(1)
    np.testing.assert_array_equal(nearest, stage.labels_)


def test_hdbscan_finds_blobs_and_marks_noise(blobs):
    X, y = blobs
    stage = HDBSCANCluster(min_cluster_size=20).fit(X)
    assert adjusted_rand_score(y, stage.labels_) > 0.9
    rng = np.random.default_rng(1)
    lo, hi = X.min(0) - 10, X.max(0) + 10
    noise = rng.uniform(lo, hi, size=(40, X.shape[1]))
    stage = HDBSCANCluster(min_cluster_size=20).fit(np.vstack([X, noise]))
    assert (stage.labels_[len(X) :] == -1).mean() > 0.8
    assert (stage.labels_[: len(X)] >= 0).mean() > 0.9
    assert (stage.probabilities_[stage.labels_ == -1] == 0).all()


def test_sklearn_path_stage(blobs):
    X, y = blobs
    stage = create_stage(
        "cluster",
        "sklearn",
        {"estimator": "sklearn.cluster.AgglomerativeClustering", "params": {"n_clusters": 4}},
    ).fit(X)
    assert adjusted_rand_score(y, stage.labels_) > 0.95
    assert stage.n_clusters_ == 4 and stage.probabilities_ is None
    seeded = SklearnCluster("sklearn.cluster.KMeans", {"n_clusters": 4, "n_init": 2}, 5).fit(X)
    assert seeded.estimator_.random_state == 5


def test_none_cluster_is_one_cluster(blobs):
    X, _ = blobs
    stage = create_stage("cluster", "none").fit(X)
    assert isinstance(stage, NoCluster) and stage.get_params() == {}
    assert stage.labels_.dtype == np.int64 and stage.labels_.tolist() == [0] * len(X)
    assert stage.n_clusters_ == 1 and (stage.probabilities_ == 1).all()
    with pytest.raises(ConfigError, match="Valid parameters: \\(none\\)"):
        create_stage("cluster", "none", {"n_clusters": 2})


def test_none_cluster_in_a_pipeline_makes_the_roles_the_segments():
    from clusterkit.config import RunConfig
    from clusterkit.data import CommunityData
    from clusterkit.pipeline import Pipeline
    from clusterkit.synthetic import generate

    data = CommunityData.from_frames(**generate(300, seed=1).tables)
    config = RunConfig.model_validate({"cluster": {"name": "none"},
                                       "attribution": {"enabled": False}})
    seg = Pipeline(config).run(data).segments
    assert len(seg) == data.n_members
    assert (seg.groupby("role")["cluster"].nunique() == 1).all()  # one cluster per role
    assert seg.groupby("cluster")["role"].nunique().max() == 1
    assert seg["cluster"].nunique() == seg["role"].nunique()


@pytest.mark.parametrize(
    ("path", "match"),
    [
        ("sklearn.cluster.NoSuchThing", "cannot import estimator 'sklearn.cluster.NoSuchThing'"),
        ("nosuchpkg.Model", "'nosuchpkg.Model' is not from an allowed package"),
        ("sklearn.decomposition.PCA", "is not a scikit-learn ClusterMixin class"),
    ],
)
def test_sklearn_bad_path_message(path, match):
    with pytest.raises(ConfigError, match=match) as info:
        SklearnCluster(path).fit(np.ones((5, 2)))
    assert "sklearn.cluster.AgglomerativeClustering" in str(info.value)  # how to fix


def test_param_validation_message():
    with pytest.raises(ConfigError, match="The 'n_clusters' parameter of KMeansCluster must be"):
        KMeansCluster(n_clusters=0).fit(np.ones((5, 2)))
    with pytest.raises(ConfigError, match="The 'cluster_selection_method' parameter"):
        HDBSCANCluster(cluster_selection_method="best").fit(np.ones((5, 2)))


@pytest.mark.parametrize("cls", [KMeansCluster, GMMCluster])
def test_same_seed_same_labels(blobs, cls):
    X, _ = blobs
    a = cls(k_max=6, random_state=11).fit(X)
    b = cls(k_max=6, random_state=11).fit(X)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_array_equal(a.probabilities_, b.probabilities_)


@pytest.mark.parametrize(
    "stage",
    [
        KMeansCluster(k_max=6, random_state=0),
        GMMCluster(k_max=6, random_state=0),
        HDBSCANCluster(min_cluster_size=20),
    ],
    ids=["kmeans", "gmm", "hdbscan"],
)
def test_row_permutation_gives_same_partition(blobs, stage):
    X, _ = blobs
    perm = np.random.default_rng(3).permutation(len(X))
    a = stage.fit(X).labels_.copy()
    b = np.empty_like(a)
    b[perm] = stage.fit(X[perm]).labels_
    assert adjusted_rand_score(a, b) == 1.0


def test_no_global_random_state_touched(blobs):
    X, _ = blobs
    np.random.seed(123)  # noqa: NPY002 (checks global state)
    _, key, pos, *_ = np.random.get_state()  # noqa: NPY002 (checks global state)
    KMeansCluster(n_clusters=4).fit(X)
    GMMCluster(n_components=4).fit(X)
    SklearnCluster("sklearn.cluster.KMeans", {"n_clusters": 4, "n_init": 1}).fit(X)
    _, key_after, pos_after, *_ = np.random.get_state()  # noqa: NPY002 (checks global state)
    np.testing.assert_array_equal(key_after, key)
    assert pos_after == pos


def test_groups_clustered_side_by_side_equal_one_after_the_other(monkeypatch):
    # with two cores or more the role groups are fitted in threads, largest first: the
    # same labels, memberships, k scores and stages as one group after the other
    import clusterkit.provenance as provenance
    from clusterkit.segments import cluster_groups
    from clusterkit.stages.cluster import KMeansCluster

    rng = np.random.default_rng(4)
    Z = np.r_[rng.normal(0, 1, (900, 3)), rng.normal(6, 1, (500, 3)),
              rng.normal(-6, 1, (300, 3)), rng.normal(3, 1, (20, 3))]
    groups = np.array(["follower"] * 900 + ["fan"] * 500 + ["blogger"] * 300 +
                      ["influencer"] * 20, dtype=object)
    rng.shuffle(groups)
    out = {}
    for cores in (1, 2):
        monkeypatch.setattr(provenance, "usable_cores", lambda cores=cores: cores)
        out[cores] = cluster_groups(
            Z, groups, lambda g: KMeansCluster(n_clusters="auto", k_max=4, random_state=7),
            min_size=40, outliers="keep")
    (l1, m1, k1, s1), (l2, m2, k2, s2) = out[1], out[2]
    assert l1.tobytes() == l2.tobytes() and m1.tobytes() == m2.tobytes()
    assert k1 == k2 and list(s1) == list(s2) == ["blogger", "fan", "follower"]
    assert len(np.unique(l1[groups == "influencer"])) == 1  # below min_size: one cluster
