"""Silhouettes of several labelings of the same points, with the distances computed once.

Choosing k fits one model per k and scores each on the same seeded sample; scikit-learn's
``silhouette_score`` would recompute the sample's pairwise distances for every k and sum
them row by row in a Python loop. :func:`silhouette_scores` walks the same distance chunks
once (scikit-learn's own ``pairwise_distances_chunked``, so the distances are the same
numbers) and sums each chunk's rows per cluster with one ``bincount`` over a row block,
which adds in the same order as scikit-learn's per-row ``bincount``: the scores are
bit-identical to ``silhouette_score(X, labels)`` (tests/test_cluster_silhouette.py).
"""

from __future__ import annotations

import numpy as np

__all__ = ["silhouette_scores"]

_BLOCK = 1 << 21
"""Distances per ``bincount`` call (16 MiB of float64, as many again of indices)."""


def _cluster_sums(D: np.ndarray, codes: np.ndarray, n_codes: int) -> np.ndarray:
    """Per row of ``D``, the sum of its entries per cluster code, summed left to right."""
    rows_per_block = max(1, _BLOCK // max(D.shape[1], 1))
    out = np.empty((D.shape[0], n_codes), dtype=D.dtype)
    for lo in range(0, D.shape[0], rows_per_block):  # row blocks, never single members
        block = D[lo:lo + rows_per_block]
        keys = (np.arange(len(block))[:, None] * n_codes + codes[None, :]).ravel()
        out[lo:lo + len(block)] = np.bincount(
            keys, weights=block.ravel(), minlength=len(block) * n_codes
        ).reshape(len(block), n_codes)
    return out


def silhouette_scores(X: np.ndarray, labelings) -> list[float]:
    """``sklearn.metrics.silhouette_score(X, labels)`` for each of ``labelings``.

    Parameters
    ----------
    X : ndarray of shape (n, d)
        Points (Euclidean distance).
    labelings : sequence of array-like of shape (n,)
        Each must have between 2 and ``n - 1`` distinct labels.

    Returns
    -------
    list of float
        The mean silhouette of each labeling, equal to scikit-learn's to the last bit.

    Examples
    --------
    >>> from sklearn.metrics import silhouette_score
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 3))
    >>> labels = [rng.integers(0, k, 60) for k in (2, 3)]
    >>> silhouette_scores(X, labels) == [silhouette_score(X, y) for y in labels]
    True
    """
    from sklearn.metrics import pairwise_distances_chunked

    X = np.asarray(X, dtype=np.float64)
    if not len(labelings):
        return []
    encoded = []
    for labels in labelings:
        codes = np.unique(np.asarray(labels), return_inverse=True)[1].ravel()
        encoded.append((codes, np.bincount(codes)))
    intra = [[] for _ in encoded]
    inter = [[] for _ in encoded]
    start = 0
    for D in pairwise_distances_chunked(X, metric="euclidean"):
        rows = np.arange(len(D))
        for j, (codes, freqs) in enumerate(encoded):
            sums = _cluster_sums(D, codes, len(freqs))
            own = codes[start:start + len(D)]
            intra[j].append(sums[rows, own])
            sums[rows, own] = np.inf
            sums /= freqs
            inter[j].append(sums.min(axis=1))
        start += len(D)
    scores = []
    for j, (codes, freqs) in enumerate(encoded):
        a, b = np.concatenate(intra[j]), np.concatenate(inter[j])
        denom = (freqs - 1).take(codes, mode="clip")
        with np.errstate(divide="ignore", invalid="ignore"):
            a /= denom
        sil = b - a
        with np.errstate(divide="ignore", invalid="ignore"):
            sil /= np.maximum(a, b)
        scores.append(float(np.mean(np.nan_to_num(sil, nan=0.0))))
    return scores
