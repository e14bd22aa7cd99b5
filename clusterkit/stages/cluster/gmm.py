"""Gaussian mixture with the number of components chosen by BIC."""

from __future__ import annotations

from clusterkit.registry import register
from clusterkit.stages._params import Interval, Options
from clusterkit.stages.cluster._common import (
    _K_PARAMS,
    ClusterBase,
    _check_X,
    _fit_k,
    _row_order,
    _seed,
    canonical_labels,
)


@register("cluster", "gmm")
class GMMCluster(ClusterBase):
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

    def fit(self, X, y=None):
        from sklearn.mixture import GaussianMixture

        X0 = _check_X(X, type(self).__name__, stage=self)
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
