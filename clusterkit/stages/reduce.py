"""Reduce stages: map the feature matrix to fewer dimensions before clustering.

Input is a float array ``(n, d)`` aligned to the member index; ``fit_transform(X)`` returns an
array ``(n, k)`` in the same row order and stores it as ``embedding_``; ``transform`` embeds
new rows. The stages are scikit-learn transformers (``fit(X, y=None)``, ``n_features_in_``),
so they sit in a scikit-learn ``Pipeline``.

===== ===================== ==================================================
name  class                 what it does
===== ===================== ==================================================
none  :class:`NoReduce`     identity (the null-object stage)
pca   :class:`PCAReduce`    principal components (scikit-learn ``PCA``)
umap  :class:`UMAPReduce`   UMAP manifold embedding (``umap-learn``)
===== ===================== ==================================================
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import TransformerMixin
from sklearn.utils.validation import check_is_fitted

from clusterkit.errors import DataError
from clusterkit.registry import register
from clusterkit.stages._params import Interval
from clusterkit.stages.base import BaseStage
from clusterkit.stages.cluster import _check_X, _seed

__all__ = ["NoReduce", "PCAReduce", "UMAPReduce"]


class _Reduce(TransformerMixin, BaseStage):
    """Base of the reduce stages: scikit-learn transformers (``fit(X, y=None)``,
    ``fit_transform``, ``transform``); ``fit`` records ``n_features_in_``."""

    def fit(self, X, y=None):
        """Fit on ``X``; the embedding is in ``embedding_``; ``y`` is ignored."""
        self.fit_transform(X)
        return self

    def _check(self, X, reset: bool, min_rows: int = 1) -> np.ndarray:
        if not reset:
            check_is_fitted(self)
        return _check_X(X, type(self).__name__, min_rows=min_rows, stage=self, reset=reset)


@register("reduce", "none")
class NoReduce(_Reduce):
    """Identity: the embedding is ``X`` itself, as float64.

    Attributes
    ----------
    embedding_ : ndarray of shape (n, d)

    Examples
    --------
    >>> import numpy as np
    >>> NoReduce().fit_transform(np.ones((3, 2))).shape
    (3, 2)
    """

    def fit_transform(self, X, y=None) -> np.ndarray:
        """Return ``X`` as a float array (a copy); ``y`` is ignored."""
        self.embedding_ = self._check(X, reset=True).copy()
        return self.embedding_

    def transform(self, X) -> np.ndarray:
        """Return ``X`` as a float array (a copy)."""
        return self._check(X, reset=False).copy()


@register("reduce", "pca")
class PCAReduce(_Reduce):
    """Principal component analysis (scikit-learn ``PCA``), with a deterministic solver.

    Parameters
    ----------
    n_components : int or float, default 0.95
        An int keeps that many components (capped at ``min(n, d)``); a float in (0, 1) keeps
        as many as needed to explain that fraction of the variance.
    random_state : int or None, default None
        Used by the randomized solver only.

    Notes
    -----
    The solver depends only on the data shape: ``"randomized"`` (seeded) when an int number
    of components is asked of a matrix larger than 500 in a dimension and it is below 80% of
    ``min(n, d)``, ``"full"`` otherwise (always for a variance fraction).

    Attributes
    ----------
    embedding_ : ndarray of shape (n, n_components_)
    n_components_ : int
    explained_variance_ratio_ : ndarray
    model_ : sklearn.decomposition.PCA

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(100, n_features=5, random_state=0)
    >>> PCAReduce(n_components=2).fit_transform(X).shape
    (100, 2)
    """

    _constraints = {
        "n_components": [Interval(int, 1, None), Interval(float, 0, 1, "neither")],
        "random_state": ["random_state"],
    }

    def __init__(self, n_components=0.95, random_state=None):
        self.n_components = n_components
        self.random_state = random_state

    def fit_transform(self, X, y=None) -> np.ndarray:
        """Fit the PCA and return the projected rows; ``y`` is ignored."""
        from sklearn.decomposition import PCA

        X = self._check(X, reset=True, min_rows=2)
        n, d = X.shape
        k = self.n_components
        solver, seed = "full", None
        if isinstance(k, numbers.Integral):
            k = min(int(k), n, d)
            if max(n, d) > 500 and k < 0.8 * min(n, d):
                solver, seed = "randomized", _seed(self.random_state)
        model = PCA(n_components=k, svd_solver=solver, random_state=seed)
        self.embedding_ = model.fit_transform(X)
        self.model_ = model
        self.n_components_ = int(model.n_components_)
        self.explained_variance_ratio_ = model.explained_variance_ratio_
        return self.embedding_

    def transform(self, X) -> np.ndarray:
        """Project new rows with the fitted components."""
        return self.model_.transform(self._check(X, reset=False))


@register("reduce", "umap")
class UMAPReduce(_Reduce):
    """UMAP embedding (``umap-learn``, imported when fitting).

    Parameters
    ----------
    n_components : int, default 2
    n_neighbors : int, default 15
        Capped at ``n - 1``.
    min_dist : float, default 0.1
    metric : str, default "euclidean"
    random_state : int or None, default None
        UMAP always gets a seed: ``None`` draws a fresh one (never numpy's global RNG), so
        runs differ but global state is untouched. A seeded UMAP is deterministic and runs
        single-threaded.

    Attributes
    ----------
    embedding_ : ndarray of shape (n, n_components)
    model_ : umap.UMAP

    References
    ----------
    McInnes, Healy, Melville (2018). UMAP: Uniform Manifold Approximation and Projection for
    Dimension Reduction. arXiv:1802.03426.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(100, n_features=5, random_state=0)
    >>> UMAPReduce(random_state=0).fit_transform(X).shape
    (100, 2)
    """

    _constraints = {
        "n_components": [Interval(int, 1, None)],
        "n_neighbors": [Interval(int, 2, None)],
        "min_dist": [Interval(float, 0, None)],
        "metric": [str],
        "random_state": ["random_state"],
    }

    def __init__(
        self, n_components=2, n_neighbors=15, min_dist=0.1, metric="euclidean", random_state=None
    ):
        self.n_components = n_components
        self.n_neighbors = n_neighbors
        self.min_dist = min_dist
        self.metric = metric
        self.random_state = random_state

    def fit_transform(self, X, y=None) -> np.ndarray:
        """Fit UMAP and return the embedding; ``y`` is ignored."""
        X = self._check(X, reset=True)
        n = X.shape[0]
        if n <= self.n_components + 1:
            raise DataError(
                f"{type(self).__name__} needs more than n_components + 1 = "
                f"{self.n_components + 1} members; got {n}."
            )
        import umap

        model = umap.UMAP(
            n_components=self.n_components,
            n_neighbors=min(self.n_neighbors, n - 1),
            min_dist=self.min_dist,
            metric=self.metric,
            random_state=_seed(self.random_state),
            n_jobs=1,
        )
        self.embedding_ = np.asarray(model.fit_transform(X), dtype=np.float64)
        self.model_ = model
        return self.embedding_

    def transform(self, X) -> np.ndarray:
        """Embed new rows with the fitted UMAP model."""
        return np.asarray(self.model_.transform(self._check(X, reset=False)), dtype=np.float64)
