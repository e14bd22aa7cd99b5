"""Shared helpers of the cluster stages: the scikit-learn clusterer base, input checks,
seeds, canonical labels, choosing k."""

from __future__ import annotations

import numpy as np
from sklearn.base import ClusterMixin

from clusterkit.errors import ConfigError, DataError
from clusterkit.stages._params import Interval
from clusterkit.stages.base import BaseStage

__all__ = ["ClusterBase", "canonical_labels"]


class ClusterBase(ClusterMixin, BaseStage):
    """Base of the cluster stages: a scikit-learn clusterer (``ClusterMixin``).

    ``fit(X, y=None)`` sets ``labels_`` and ``n_features_in_`` (and ``feature_names_in_``
    for a DataFrame); ``fit_predict(X, y=None)`` returns ``labels_``. ``y`` is ignored: it
    is there so a stage sits in a scikit-learn ``Pipeline`` and passes ``check_estimator``.
    """


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


def _check_X(X, owner: str, min_rows: int = 1, stage=None, reset: bool = True) -> np.ndarray:
    """``X`` as a 2-D finite float64 array (scikit-learn's checks and their messages).

    With ``stage``, fitting (``reset=True``) records ``n_features_in_`` (and
    ``feature_names_in_`` for a DataFrame) on it; ``reset=False`` checks ``X`` against them.
    A bad value raises :class:`~clusterkit.errors.DataError` (a ``ValueError``) naming the
    stage; a type scikit-learn refuses (sparse, strings) keeps its ``TypeError``.
    """
    from sklearn.utils import check_array
    from sklearn.utils.validation import validate_data

    try:
        if stage is None:
            return check_array(X, dtype=np.float64, ensure_min_samples=min_rows)
        return validate_data(stage, X, dtype=np.float64, ensure_min_samples=min_rows,
                             reset=reset)
    except DataError:
        raise
    except ValueError as exc:
        raise DataError(f"{owner}: {exc}") from exc


def _row_order(X: np.ndarray) -> np.ndarray:
    """Rows sorted lexicographically by value: fitting in this order makes order-sensitive
    algorithms (k-means++ seeding, HDBSCAN border points) independent of input row order."""
    return np.lexsort(X.T[::-1]) if X.shape[1] else np.arange(X.shape[0])


def _unpermute(values, order: np.ndarray) -> np.ndarray:
    values = np.asarray(values)
    out = np.empty_like(values)
    out[order] = values
    return out


def _fit_k(stage, X, n_clusters, make, score, lo: int = 2, score_all=None):
    """``make(k)`` for a fixed k, or for each k in [k_min, k_max] keeping the highest score.

    Returns the model and ``{k: score}`` (empty for a fixed k); ties go to the smaller k.
    With ``score_all`` (models in k order -> their scores), every k is fitted first and
    scored in one call (e.g. silhouettes sharing one pass over the sample's distances)
    instead of ``score`` one model at a time; the choice is the same.
    """
    n, name = X.shape[0], type(stage).__name__
    if n_clusters != "auto":
        if n < n_clusters:
            raise DataError(f"{name}: n_clusters={n_clusters} is more than the {n:,} members "
                            "to cluster; lower n_clusters or set it to 'auto'.")
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
    if score_all is not None:
        models = [make(k) for k in ks]
        for k, model, value in zip(ks, models, score_all(models), strict=True):
            scores[k] = float(value)
            if best is None or scores[k] > scores[best[0]]:
                best = (k, model)
        return best[1], scores
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
