"""Cluster stages: group members whose feature vectors are alike.

Input is a float array ``(n, k)`` aligned to the member index. ``fit`` sets ``labels_``
(int64, :data:`~clusterkit.stages.base.NOISE` = -1 for density-based noise), ``n_clusters_``
and ``probabilities_`` (a confidence in [0, 1] per member, ``None`` where an algorithm gives
none). Labels are canonical (see :func:`canonical_labels`), so they never depend on an
algorithm's internal numbering.

========= ======================= ==========================================
name      class                   ``probabilities_``
========= ======================= ==========================================
kmeans    :class:`KMeansCluster`  1 - d1/d2 (nearest / second centroid)
gmm       :class:`GMMCluster`     posterior of the assigned component
hdbscan   :class:`HDBSCANCluster` HDBSCAN membership strength
sklearn   :class:`SklearnCluster` any ``ClusterMixin``; its own, if it has one
========= ======================= ==========================================
"""

from __future__ import annotations

import importlib

import numpy as np

from clusterkit.errors import ConfigError, DataError
from clusterkit.registry import register
from clusterkit.stages._params import Interval, Options
from clusterkit.stages.base import BaseStage

__all__ = [
    "GMMCluster",
    "HDBSCANCluster",
    "KMeansCluster",
    "SklearnCluster",
    "canonical_labels",
]


def canonical_labels(labels, return_order: bool = False):
    """Renumber labels canonically: by size (largest first), ties by first member position.

    Negative labels (noise -1, isolate -2, ...) are kept as they are.

    Parameters
    ----------
    labels : array-like of int, shape (n,)
    return_order : bool, default False
        Also return ``order``, where ``order[i]`` is the input label that became label ``i``.

    Returns
    -------
    labels : ndarray of int64, shape (n,)
    order : ndarray of int64, only if ``return_order``

    Examples
    --------
    >>> canonical_labels([5, 5, -1, 3, 3, 3, 7]).tolist()
    [1, 1, -1, 0, 0, 0, 2]
    """
    labels = np.asarray(labels, dtype=np.int64).ravel()
    out = labels.copy()
    keep = labels >= 0
    uniq, first, inverse, counts = np.unique(
        labels[keep], return_index=True, return_inverse=True, return_counts=True
    )
    first_pos = np.flatnonzero(keep)[first]
    order = np.lexsort((first_pos, -counts))
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(uniq), dtype=np.int64)
    out[keep] = rank[inverse]
    return (out, uniq[order]) if return_order else out


def _seed(random_state) -> int:
    """An int seed for libraries whose ``None`` means numpy's global RNG.

    ``None`` gets fresh OS entropy (non-deterministic, as asked) without touching global state.
    """
    if random_state is not None:
        return int(random_state)
    return int(np.random.default_rng().integers(0, 2**31 - 1))


def _check_X(X, owner: str, min_rows: int = 1) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise DataError(f"{owner} needs a 2-D array (members × features); got shape {X.shape}.")
    if X.shape[0] < min_rows:
        raise DataError(f"{owner} needs at least {min_rows} rows; got {X.shape[0]}.")
    if not np.isfinite(X).all():
        raise DataError(f"{owner} got NaN or infinite values; impute or drop them first.")
    return X


def _row_order(X: np.ndarray) -> np.ndarray:
    """Rows sorted lexicographically by value: fitting in this order makes order-sensitive
    algorithms (k-means++ seeding, HDBSCAN border points) independent of input row order."""
    return np.lexsort(X.T[::-1]) if X.shape[1] else np.arange(X.shape[0])


def _unpermute(values, order: np.ndarray) -> np.ndarray:
    values = np.asarray(values)
    out = np.empty_like(values)
    out[order] = values
    return out


def _fit_k(stage, X, n_clusters, make, score, lo: int = 2):
    """``make(k)`` for a fixed k, or for each k in [k_min, k_max] keeping the highest score.

    Returns the model and ``{k: score}`` (empty for a fixed k); ties go to the smaller k.
    """
    n, name = X.shape[0], type(stage).__name__
    if n_clusters != "auto":
        if n < n_clusters:
            raise DataError(f"{name}: n_samples={n} should be >= {n_clusters} clusters.")
        return make(n_clusters), {}
    if stage.k_min > stage.k_max:
        raise ConfigError(f"{name}: k_min={stage.k_min} must be <= k_max={stage.k_max}.")
    ks = range(max(stage.k_min, lo), min(stage.k_max, n - 1) + 1)
    if not ks:
        raise DataError(
            f"{name}: cannot choose k in [{stage.k_min}, {stage.k_max}] with {n} members; "
            "give a fixed number of clusters or more members."
        )
    best, scores = None, {}
    for k in ks:
        model = make(k)
        scores[k] = float(score(model))
        if best is None or scores[k] > scores[best[0]]:
            best = (k, model)
    return best[1], scores


_K_PARAMS = {
    "k_min": [Interval(int, 2, None)],
    "k_max": [Interval(int, 2, None)],
    "random_state": ["random_state"],
}


@register("cluster", "kmeans")
class KMeansCluster(BaseStage):
    """K-means, choosing k by silhouette when ``n_clusters="auto"``.

    Parameters
    ----------
    n_clusters : int or "auto", default "auto"
        Number of clusters, or "auto" to fit every k in [k_min, k_max] and keep the one with
        the best silhouette on a seeded subsample.
    k_min, k_max : int, default 2, 12
        Range of k tried when ``n_clusters="auto"``.
    n_init : int, default 4
        Initialisations per k (scikit-learn ``KMeans(n_init=...)``).
    sample_size : int, default 5000
        Members sampled (seeded) to compute silhouettes.
    random_state : int or None, default None

    Attributes
    ----------
    labels_ : ndarray of int64
    n_clusters_ : int
    probabilities_ : ndarray of float
        ``1 - d1 / d2`` with d1, d2 the distances to the nearest and second-nearest centroid.
    cluster_centers_ : ndarray, rows in canonical label order
    k_scores_ : dict of int to float
        Silhouette per k tried (empty for a fixed ``n_clusters``).

    See Also
    --------
    GMMCluster, canonical_labels

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(300, centers=3, cluster_std=0.5, random_state=0)
    >>> KMeansCluster(random_state=0).fit(X).n_clusters_
    3
    """

    _constraints = {
        "n_clusters": [Interval(int, 1, None), Options("auto")],
        "n_init": [Interval(int, 1, None)],
        "sample_size": [Interval(int, 2, None)],
        **_K_PARAMS,
    }

    def __init__(
        self, n_clusters="auto", k_min=2, k_max=12, n_init=4, sample_size=5000, random_state=None
    ):
        self.n_clusters = n_clusters
        self.k_min = k_min
        self.k_max = k_max
        self.n_init = n_init
        self.sample_size = sample_size
        self.random_state = random_state

    def fit(self, X):
        from sklearn.cluster import KMeans
        from sklearn.metrics import silhouette_score

        self._validate_params()
        X0 = _check_X(X, type(self).__name__)
        row_order = _row_order(X0)
        X = X0[row_order]
        n = X.shape[0]
        seed = _seed(self.random_state)
        rng = np.random.default_rng(seed)
        sample = np.sort(rng.choice(n, size=min(self.sample_size, n), replace=False))

        def silhouette(km):
            sub = km.labels_[sample]
            ok = 1 < len(np.unique(sub)) < len(sample)
            return silhouette_score(X[sample], sub) if ok else -1.0

        km, self.k_scores_ = _fit_k(
            self,
            X,
            self.n_clusters,
            lambda k: KMeans(k, n_init=self.n_init, random_state=seed).fit(X),
            silhouette,
        )
        labels = _unpermute(km.labels_, row_order)
        self.labels_, order = canonical_labels(labels, return_order=True)
        self.cluster_centers_ = km.cluster_centers_[order]
        self.n_clusters_ = len(order)
        d = np.sort(km.transform(X0), axis=1)
        if d.shape[1] < 2:
            self.probabilities_ = np.ones(n)
        else:
            ratio = np.divide(d[:, 0], d[:, 1], out=np.ones(n), where=d[:, 1] > 0)
            self.probabilities_ = np.clip(1.0 - ratio, 0.0, 1.0)
        return self


@register("cluster", "gmm")
class GMMCluster(BaseStage):
    """Gaussian mixture, choosing the number of components by BIC when ``"auto"``.

    Parameters
    ----------
    n_components : int or "auto", default "auto"
        Components, or "auto" for the lowest BIC over [k_min, k_max].
    k_min, k_max : int, default 2, 12
    covariance_type : {"full", "tied", "diag", "spherical"}, default "full"
    n_init : int, default 1
    random_state : int or None, default None

    Attributes
    ----------
    labels_ : ndarray of int64
    n_clusters_ : int
        Non-empty components.
    probabilities_ : ndarray of float
        Posterior probability of the assigned component.
    k_scores_ : dict of int to float
        BIC per number of components tried (lower is better).

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(300, centers=3, cluster_std=0.5, random_state=0)
    >>> GMMCluster(random_state=0).fit(X).n_clusters_
    3
    """

    _constraints = {
        "n_components": [Interval(int, 1, None), Options("auto")],
        "covariance_type": [Options("full", "tied", "diag", "spherical")],
        "n_init": [Interval(int, 1, None)],
        **_K_PARAMS,
    }

    def __init__(
        self,
        n_components="auto",
        k_min=2,
        k_max=12,
        covariance_type="full",
        n_init=1,
        random_state=None,
    ):
        self.n_components = n_components
        self.k_min = k_min
        self.k_max = k_max
        self.covariance_type = covariance_type
        self.n_init = n_init
        self.random_state = random_state

    def fit(self, X):
        from sklearn.mixture import GaussianMixture

        self._validate_params()
        X0 = _check_X(X, type(self).__name__)
        X = X0[_row_order(X0)]
        seed = _seed(self.random_state)

        def make(k):
            return GaussianMixture(
                k, covariance_type=self.covariance_type, n_init=self.n_init, random_state=seed
            ).fit(X)

        gm, scores = _fit_k(self, X, self.n_components, make, lambda m: -m.bic(X), lo=1)
        self.k_scores_ = {k: -v for k, v in scores.items()}
        proba = gm.predict_proba(X0)
        self.labels_ = canonical_labels(proba.argmax(axis=1))
        self.probabilities_ = proba.max(axis=1)
        self.n_clusters_ = int(self.labels_.max()) + 1
        self.model_ = gm
        return self


@register("cluster", "hdbscan")
class HDBSCANCluster(BaseStage):
    """HDBSCAN (the ``hdbscan`` package): density clusters, with noise labelled -1.

    Parameters
    ----------
    min_cluster_size : int, default 25
    min_samples : int or None, default None
        None means ``min_cluster_size``.
    cluster_selection_method : {"eom", "leaf"}, default "eom"
    metric : str, default "euclidean"

    Attributes
    ----------
    labels_ : ndarray of int64
        -1 (:data:`~clusterkit.stages.base.NOISE`) for noise.
    n_clusters_ : int
    probabilities_ : ndarray of float
        Membership strength; 0 for noise.
    outlier_scores_ : ndarray of float
        GLOSH outlier scores.

    References
    ----------
    Campello, Moulavi, Sander (2013). Density-based clustering based on hierarchical density
    estimates. PAKDD.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(300, centers=3, cluster_std=0.5, random_state=0)
    >>> HDBSCANCluster(min_cluster_size=20).fit(X).n_clusters_
    3
    """

    _constraints = {
        "min_cluster_size": [Interval(int, 2, None)],
        "min_samples": [Interval(int, 1, None), None],
        "cluster_selection_method": [Options("eom", "leaf")],
        "metric": [str],
    }

    def __init__(
        self,
        min_cluster_size=25,
        min_samples=None,
        cluster_selection_method="eom",
        metric="euclidean",
    ):
        self.min_cluster_size = min_cluster_size
        self.min_samples = min_samples
        self.cluster_selection_method = cluster_selection_method
        self.metric = metric

    def fit(self, X):
        import hdbscan

        self._validate_params()
        X = _check_X(X, type(self).__name__, min_rows=2)
        row_order = _row_order(X)
        X = X[row_order]
        model = hdbscan.HDBSCAN(
            min_cluster_size=self.min_cluster_size,
            min_samples=self.min_samples,
            cluster_selection_method=self.cluster_selection_method,
            metric=self.metric,
        ).fit(X)
        self.labels_ = canonical_labels(_unpermute(model.labels_, row_order))
        self.n_clusters_ = int(self.labels_.max()) + 1 if len(self.labels_) else 0
        self.probabilities_ = _unpermute(model.probabilities_, row_order).astype(np.float64)
        self.outlier_scores_ = _unpermute(model.outlier_scores_, row_order).astype(np.float64)
        return self


@register("cluster", "sklearn")
class SklearnCluster(BaseStage):
    """Any scikit-learn ``ClusterMixin``, named by its import path.

    Parameters
    ----------
    estimator : str
        Import path of the class, e.g. ``"sklearn.cluster.AgglomerativeClustering"``.
    params : dict or None, default None
        Keyword arguments for the estimator (None means none).
    random_state : int or None, default None
        Passed to the estimator only if it has a ``random_state`` parameter (and ``params``
        does not set one); ``None`` then draws a fresh seed, never numpy's global RNG.

    Attributes
    ----------
    labels_ : ndarray of int64
        Negative labels of the estimator (e.g. DBSCAN noise) are kept.
    n_clusters_ : int
    probabilities_ : ndarray of float or None
        The estimator's ``probabilities_`` if it has one, else None.
    estimator_ : the fitted estimator

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(200, centers=2, random_state=0)
    >>> stage = SklearnCluster("sklearn.cluster.AgglomerativeClustering", {"n_clusters": 2})
    >>> stage.fit(X).n_clusters_
    2
    """

    _constraints = {
        "estimator": [str],
        "params": [dict, None],
        "random_state": ["random_state"],
    }

    def __init__(self, estimator="sklearn.cluster.KMeans", params=None, random_state=None):
        self.estimator = estimator
        self.params = params
        self.random_state = random_state

    def _resolve(self):
        from sklearn.base import ClusterMixin

        how = (
            "Give the full import path of a scikit-learn ClusterMixin class, e.g. "
            "'sklearn.cluster.AgglomerativeClustering'."
        )
        module, _, attr = self.estimator.rpartition(".")
        try:
            cls = getattr(importlib.import_module(module), attr) if module else None
        except (ImportError, AttributeError) as exc:
            raise ConfigError(
                f"Cluster stage 'sklearn' cannot import estimator {self.estimator!r} ({exc}). "
                + how
            ) from exc
        if not (isinstance(cls, type) and issubclass(cls, ClusterMixin)):
            raise ConfigError(
                f"Cluster stage 'sklearn': {self.estimator!r} is not a scikit-learn "
                f"ClusterMixin class. {how}"
            )
        return cls

    def fit(self, X):
        self._validate_params()
        cls = self._resolve()
        X = _check_X(X, type(self).__name__)
        params = dict(self.params or {})
        est = cls(**params)
        if "random_state" in est.get_params(deep=False) and "random_state" not in params:
            est.set_params(random_state=_seed(self.random_state))
        row_order = _row_order(X)
        labels = _unpermute(est.fit_predict(X[row_order]), row_order)
        self.labels_ = canonical_labels(labels)
        self.n_clusters_ = int(self.labels_.max()) + 1 if (self.labels_ >= 0).any() else 0
        proba = getattr(est, "probabilities_", None)
        self.probabilities_ = (None if proba is None
                               else _unpermute(proba, row_order).astype(np.float64))
        self.estimator_ = est
        return self
