"""K-means with the number of clusters chosen by silhouette."""

from __future__ import annotations

import numpy as np

from clusterkit.registry import register
from clusterkit.stages._params import Interval, Options
from clusterkit.stages.cluster._common import (
    _K_PARAMS,
    ClusterBase,
    _check_X,
    _fit_k,
    _row_order,
    _seed,
    _unpermute,
    canonical_labels,
)
from clusterkit.stages.cluster._silhouette import silhouette_scores


@register("cluster", "kmeans")
class KMeansCluster(ClusterBase):
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

    def fit(self, X, y=None):
        from sklearn.cluster import KMeans

        X0 = _check_X(X, type(self).__name__, stage=self)
        row_order = _row_order(X0)
        X = X0[row_order]
        n = X.shape[0]
        seed = _seed(self.random_state)
        rng = np.random.default_rng(seed)
        sample = np.sort(rng.choice(n, size=min(self.sample_size, n), replace=False))

        def silhouettes(models):  # silhouette_score's values, the distances computed once
            subs = [km.labels_[sample] for km in models]
            ok = [1 < len(np.unique(sub)) < len(sample) for sub in subs]
            valid = [sub for sub, o in zip(subs, ok, strict=True) if o]
            done = iter(silhouette_scores(X[sample], valid))
            return [next(done) if o else -1.0 for o in ok]

        km, self.k_scores_ = _fit_k(
            self,
            X,
            self.n_clusters,
            lambda k: KMeans(k, n_init=self.n_init, random_state=seed).fit(X),
            lambda km: silhouettes([km])[0],
            score_all=silhouettes,
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
