"""Quality metrics as free functions: internal, graph, external, stability and business.

========== =====================================================================================
family     functions
========== =====================================================================================
internal   :func:`cluster_quality` (silhouette on a seeded sample, Davies-Bouldin,
           Calinski-Harabasz)
graph      :func:`modularity`, :func:`coverage`, :func:`conductance`, :func:`community_quality`,
           :func:`size_distribution`
external   :func:`nmi`, :func:`ami`, :func:`ari`, :func:`role_macro_f1`
stability  :func:`pairwise_ari` (across seeds), :func:`bootstrap_jaccard` (per segment,
           Hennig 2007)
business   :func:`engagement_share`, :func:`concentration`, :func:`gini`, :func:`hhi`
========== =====================================================================================

Negative labels are special (``-1`` noise, ``-2`` isolate) and belong to no group in the size,
stability and concentration functions.

Examples
--------
>>> import numpy as np
>>> from clusterkit.metrics import nmi, role_macro_f1
>>> nmi([0, 0, 1, 1], [1, 1, 0, 0])
1.0
>>> role_macro_f1(["fan", "fan", "follower"], ["fan", "follower", "follower"])
0.6666666666666666
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = [
    "ami",
    "ari",
    "bootstrap_jaccard",
    "cluster_quality",
    "community_quality",
    "community_quality_from_sums",
    "concentration",
    "conductance",
    "coverage",
    "edge_modularity",
    "engagement_share",
    "gini",
    "graph_summary",
    "hhi",
    "modularity",
    "nmi",
    "pairwise_ari",
    "role_macro_f1",
    "size_distribution",
]


def nmi(labels_true, labels_pred) -> float:
    """Normalised mutual information (arithmetic mean normalisation)."""
    from sklearn.metrics import normalized_mutual_info_score

    return float(normalized_mutual_info_score(labels_true, labels_pred))


def ari(labels_true, labels_pred) -> float:
    """Adjusted Rand index."""
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(labels_true, labels_pred))


def ami(labels_true, labels_pred) -> float:
    """Adjusted mutual information (arithmetic mean normalisation), corrected for chance.

    Examples
    --------
    >>> round(ami([0, 0, 1, 1], [1, 1, 0, 0]), 6)
    1.0
    """
    from sklearn.metrics import adjusted_mutual_info_score

    return float(adjusted_mutual_info_score(labels_true, labels_pred))


def role_macro_f1(roles_true, roles_pred) -> float:
    """Macro-averaged F1 over the roles present in the truth."""
    from sklearn.metrics import f1_score

    labels = sorted(set(np.asarray(roles_true, dtype=object).tolist()))
    return float(f1_score(roles_true, roles_pred, labels=labels, average="macro",
                          zero_division=0))


def _edges(graph: sp.csr_array, labels):
    coo = sp.triu(sp.csr_array(graph), k=1).tocoo()
    labels = np.asarray(labels)
    return coo.row, coo.col, coo.data, labels


_KNOWN_MODULARITY: dict = {}
"""The last modularity a community stage computed, keyed by the content of its graph and
labels (see :func:`remember_modularity`)."""


def _modularity_key(graph, labels, resolution: float) -> str:
    import hashlib

    A = sp.csr_array(graph)
    h = hashlib.blake2b(digest_size=20)
    h.update(repr((A.shape, A.dtype.str, float(resolution))).encode())
    for arr in (A.indptr, A.indices, A.data, np.asarray(labels, dtype=np.int64)):
        h.update(np.ascontiguousarray(arr).view(np.uint8))
    return h.hexdigest()


def remember_modularity(graph, labels, value: float, resolution: float = 1.0) -> None:
    """Record the modularity a community stage got from igraph for ``labels`` on ``graph``.

    :func:`modularity` of the same graph and labels (equal content, checked by a hash of
    the arrays) then returns ``value`` instead of building the igraph graph again (4 s
    at 200,000 members). The stage's igraph graph leaves out isolates, whose empty
    community adds exact zeros, so ``value`` is what :func:`modularity` computes, to the
    last bit (tests/test_speed_equal.py checks it). One entry is kept.
    """
    _KNOWN_MODULARITY.clear()
    _KNOWN_MODULARITY[_modularity_key(graph, labels, resolution)] = float(value)


def modularity(graph: sp.csr_array, labels, resolution: float = 1.0) -> float:
    """Weighted Newman modularity of ``labels`` on a symmetric graph (isolates ignored)."""
    import igraph as ig

    if _KNOWN_MODULARITY:
        known = _KNOWN_MODULARITY.get(_modularity_key(graph, labels, resolution))
        if known is not None:
            return known
    r, c, w, labels = _edges(graph, labels)
    if len(w) == 0:
        return 0.0
    # edges as an (m, 2) int64 array, not a Python list of pairs
    g = ig.Graph(n=graph.shape[0], edges=np.column_stack([r, c]).astype(np.int64))
    member = np.unique(labels, return_inverse=True)[1]
    return float(g.modularity(member.tolist(), weights=w.tolist(), resolution=resolution))


def edge_modularity(rows, cols, weights, labels) -> float:
    """Modularity (resolution 1) of ``labels`` on an undirected graph given once per edge.

    :func:`modularity` from edge arrays, with no graph built: what a community stage that
    does not run on igraph reports (at 1,000,000 members, igraph's graph alone is ~1 GB).

    ``Q = sum_c [ W_c / W - (S_c / 2W)^2 ]``, with ``W`` the total edge weight, ``W_c`` the
    weight inside community ``c`` and ``S_c`` the summed strength of its nodes: igraph's
    ``Graph.modularity`` for a graph without self-loops.

    Examples
    --------
    >>> round(edge_modularity([0, 1, 2], [1, 2, 3], [1.0, 1.0, 1.0], [0, 0, 1, 1]), 4)
    0.1667
    """
    rows, cols = np.asarray(rows, np.int64), np.asarray(cols, np.int64)
    w, labels = np.asarray(weights, np.float64), np.asarray(labels, np.int64)
    total = float(w.sum())
    if total <= 0:
        return float("nan")
    k = int(labels.max()) + 1
    # one edge-long copy at a time beside the labels of the rows (at 1,000,000 members
    # 184 MB each); the same sums in the same order as adding both bincounts at once
    lr = labels[rows]
    strength = np.bincount(lr, weights=w, minlength=k)
    lc = labels[cols]
    strength += np.bincount(lc, weights=w, minlength=k)
    same = lr == lc
    del lc
    inside = np.bincount(lr, weights=np.where(same, w, 0.0), minlength=k)
    return float(inside.sum() / total - np.sum((strength / (2 * total)) ** 2))

def coverage(graph: sp.csr_array, labels) -> float:
    """Share of edge weight inside communities."""
    r, c, w, labels = _edges(graph, labels)
    total = w.sum()
    return float(w[labels[r] == labels[c]].sum() / total) if total > 0 else 0.0


def conductance(graph: sp.csr_array, labels) -> dict[int, float]:
    """Conductance of each community: cut weight / min(volume, total volume - volume)."""
    r, c, w, labels = _edges(graph, labels)
    codes, member = np.unique(labels, return_inverse=True)
    vol = np.bincount(member[r], weights=w, minlength=len(codes)) + np.bincount(
        member[c], weights=w, minlength=len(codes))
    cross = member[r] != member[c]
    cut = np.bincount(member[r][cross], weights=w[cross], minlength=len(codes)) + np.bincount(
        member[c][cross], weights=w[cross], minlength=len(codes))
    total = vol.sum()
    denom = np.minimum(vol, total - vol)
    cut, denom = cut.astype(np.float64), denom.astype(np.float64)
    cond = np.divide(cut, denom, out=np.zeros_like(cut), where=denom > 0)
    return {int(k): float(v) for k, v in zip(codes, cond, strict=True)}


def cluster_quality(X: np.ndarray, labels, *, sample_size: int = 5000,
                    random_state: int | None = 0) -> dict:
    """Silhouette (on a seeded sample), Davies-Bouldin and Calinski-Harabasz, noise excluded."""
    from sklearn.metrics import (
        calinski_harabasz_score,
        davies_bouldin_score,
        silhouette_score,
    )

    labels = np.asarray(labels)
    keep = labels >= 0
    X, labels = X[keep], labels[keep]
    k = len(np.unique(labels))
    out = {"n_clusters": int(k), "noise_share": float(1 - keep.mean()) if len(keep) else 0.0}
    if k < 2 or k >= len(labels):
        return out
    rng = np.random.default_rng(random_state)
    idx = rng.choice(len(labels), size=min(sample_size, len(labels)), replace=False)
    if len(np.unique(labels[idx])) > 1:
        out["silhouette"] = float(silhouette_score(X[idx], labels[idx]))
    out["davies_bouldin"] = float(davies_bouldin_score(X, labels))
    out["calinski_harabasz"] = float(calinski_harabasz_score(X, labels))
    return out


def graph_summary(graph: sp.csr_array) -> dict:
    """Edges, total weight and share of isolated nodes of a symmetric weighted graph.

    Examples
    --------
    >>> graph_summary(sp.csr_array([[0, 2.0, 0], [2.0, 0, 0], [0, 0, 0]]))
    {'n_edges': 1, 'total_weight': 2.0, 'isolated_share': 0.3333333333333333}
    """
    return {"n_edges": int(graph.nnz // 2), "total_weight": float(graph.sum() / 2),
            "isolated_share": float(np.mean(np.diff(graph.indptr) == 0))
            if graph.shape[0] else 0.0}


def community_quality(graph: sp.csr_array, labels) -> dict:
    """Modularity, coverage, mean conductance, number and sizes of communities."""
    labels = np.asarray(labels)
    cond = conductance(graph, labels)
    cond_real = [v for k, v in cond.items() if k >= 0]
    return {
        "modularity": modularity(graph, labels),
        "coverage": coverage(graph, labels),
        "mean_conductance": float(np.mean(cond_real)) if cond_real else 0.0,
        **_community_sizes(labels),
    }


def _community_sizes(labels: np.ndarray) -> dict:
    real = labels[labels >= 0]
    sizes = np.sort(np.bincount(np.unique(real, return_inverse=True)[1]))[::-1] if len(
        real) else np.array([], dtype=int)
    return {"n_communities": int(len(sizes)), "n_isolates": int((labels == -2).sum()),
            "largest_sizes": [int(s) for s in sizes[:10]],
            "size_distribution": size_distribution(labels)}


def community_quality_from_sums(labels, codes, inner, volume) -> dict:
    """:func:`community_quality` from each community's sums, with no graph at hand.

    Parameters
    ----------
    labels : array-like
        Every member's community (-2: no edge).
    codes, inner, volume : array-like
        For each community with an edge: its label, the weight of its inner edges (each
        once) and its volume (its members' summed strength).

    Returns
    -------
    dict
        The keys of :func:`community_quality`: modularity as :func:`edge_modularity`
        writes it, coverage, mean conductance (cut / min(volume, total volume - volume))
        over communities ``>= 0``, number and sizes (equal to the graph's to rounding).

    Examples
    --------
    >>> q = community_quality_from_sums([0, 0, 1, 1], [0, 1], [1.0, 1.0], [3.0, 3.0])
    >>> round(q["modularity"], 4), q["coverage"], round(q["mean_conductance"], 4)
    (0.1667, 0.6666666666666666, 0.3333)
    """
    labels = np.asarray(labels, dtype=np.int64)
    codes = np.asarray(codes, dtype=np.int64)
    inner, volume = np.asarray(inner, np.float64), np.asarray(volume, np.float64)
    total = volume.sum() / 2
    real = codes >= 0
    if total <= 0:  # no edge: as modularity() and coverage() of an empty graph
        q, cov, cond = 0.0, 0.0, np.zeros(0)
    else:
        q = float(np.sum(inner / total - (volume / (2 * total)) ** 2))
        cov = min(1.0, float(inner.sum() / total))  # sums in another order: not above 1
        denom = np.minimum(volume, 2 * total - volume)
        cut = np.maximum(volume - 2 * inner, 0.0)  # nor a cut below 0
        cond = np.divide(cut, denom, out=np.zeros_like(cut), where=denom > 0)[real]
    return {"modularity": q, "coverage": cov,
            "mean_conductance": float(np.mean(cond)) if len(cond) else 0.0,
            **_community_sizes(labels)}


# --------------------------------------------------------------------------------------------
# sizes and concentration


def gini(values) -> float:
    """Gini coefficient of non-negative values: 0 when all are equal, ``1 - 1/n`` at most.

    ``G = sum_i (2 i - n - 1) x_(i) / (n sum x)`` over the values sorted ascending
    (``i = 1..n``), i.e. the mean absolute difference over twice the mean.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 4])
    0.75
    """
    x = np.sort(np.asarray(values, dtype=np.float64).ravel())
    n, total = len(x), x.sum()
    if n == 0 or total <= 0:
        return 0.0
    i = np.arange(1, n + 1)
    return float(np.sum((2 * i - n - 1) * x) / (n * total))


def hhi(values) -> float:
    """Herfindahl-Hirschman index: sum of squared shares, from ``1/n`` (even) to 1.

    ``values`` are amounts (normalised to shares here), not percentages.

    Examples
    --------
    >>> hhi([1, 1, 1, 1])
    0.25
    >>> hhi([3, 1])
    0.625
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    total = x.sum()
    if len(x) == 0 or total <= 0:
        return 0.0
    return float(np.sum((x / total) ** 2))


def concentration(values) -> dict:
    """Gini, HHI, the largest share and the effective number ``1 / HHI`` of ``values``."""
    x = np.asarray(values, dtype=np.float64).ravel()
    total = x.sum()
    h = hhi(x)
    return {"gini": gini(x), "hhi": h, "top_share": float(x.max() / total) if total > 0
            else 0.0, "effective_number": float(1.0 / h) if h > 0 else 0.0}


def size_distribution(labels) -> dict:
    """Number and size distribution of the groups in ``labels`` (negative labels excluded).

    Returns
    -------
    dict
        ``n`` (groups), ``largest``, ``smallest``, ``median``, ``mean``, ``largest_share``
        (of the labelled members), ``n_singletons``, ``gini`` of the sizes, ``n_unlabelled``
        (negative labels: noise, isolates).

    Examples
    --------
    >>> d = size_distribution([0, 0, 0, 1, 1, 2, -1])
    >>> d["n"], d["largest"], d["median"], d["n_singletons"], d["n_unlabelled"]
    (3, 3, 2.0, 1, 1)
    >>> round(d["gini"], 4)
    0.2222
    """
    labels = np.asarray(labels).ravel()
    real = labels[labels >= 0]
    sizes = np.unique(real, return_counts=True)[1] if len(real) else np.array([], dtype=int)
    if len(sizes) == 0:
        return {"n": 0, "largest": 0, "smallest": 0, "median": 0.0, "mean": 0.0,
                "largest_share": 0.0, "n_singletons": 0, "gini": 0.0,
                "n_unlabelled": int(len(labels))}
    return {
        "n": int(len(sizes)),
        "largest": int(sizes.max()),
        "smallest": int(sizes.min()),
        "median": float(np.median(sizes)),
        "mean": float(sizes.mean()),
        "largest_share": float(sizes.max() / sizes.sum()),
        "n_singletons": int((sizes == 1).sum()),
        "gini": gini(sizes),
        "n_unlabelled": int(len(labels) - len(real)),
    }


def engagement_share(segments, by: str = "segment", weight: str = "engagement_weight"):
    """Engagement weight per segment: size, total, share of all engagement, share of members.

    Parameters
    ----------
    segments : pandas.DataFrame
        One row per member (a run's ``segments`` table).
    by : str, default "segment"
        Grouping column (``"segment"``, ``"cluster"``, ``"community"``, ``"role"`` …).
    weight : str, default "engagement_weight"
        Column with each member's engagement weight.

    Returns
    -------
    pandas.DataFrame
        Index the groups (largest engagement first, ties by name); columns ``size``,
        ``member_share``, ``engagement_total``, ``engagement_share`` and ``lift``
        (engagement share / member share). Use :func:`concentration` on
        ``engagement_total`` for Gini and HHI over segments.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"segment": ["a", "a", "b", "c"],
    ...                     "engagement_weight": [3.0, 1.0, 4.0, 0.0]})
    >>> engagement_share(seg)["engagement_share"].tolist()
    [0.5, 0.5, 0.0]
    >>> concentration(engagement_share(seg)["engagement_total"])["hhi"]
    0.5
    """
    import pandas as pd

    if by not in segments.columns or weight not in segments.columns:
        raise ValueError(f"engagement_share needs the columns {by!r} and {weight!r}; got "
                         f"{list(segments.columns)}.")
    keys = segments[by].to_numpy()
    w = segments[weight].to_numpy(dtype=np.float64)
    groups, inverse = np.unique(keys, return_inverse=True)
    size = np.bincount(inverse, minlength=len(groups))
    total = np.bincount(inverse, weights=w, minlength=len(groups))
    all_w = total.sum()
    share = total / all_w if all_w > 0 else np.zeros_like(total)
    member_share = size / max(1, size.sum())
    out = pd.DataFrame({"size": size, "member_share": member_share, "engagement_total": total,
                        "engagement_share": share,
                        "lift": np.divide(share, member_share, out=np.zeros_like(share),
                                          where=member_share > 0)},
                       index=pd.Index(groups, name=by))
    order = np.lexsort((np.arange(len(groups)), -total))  # np.unique already sorted names
    return out.iloc[order]


# --------------------------------------------------------------------------------------------
# stability


def pairwise_ari(labelings, *, return_matrix: bool = False):
    """Mean adjusted Rand index over all pairs of labelings of the same members.

    Use it across seeds (run-to-run agreement): 1 means every seed gave the same partition.

    Parameters
    ----------
    labelings : sequence of array-like, or 2-D array (runs × members)
        At least two labelings, aligned to the same members.
    return_matrix : bool, default False
        Also return the symmetric ``(runs, runs)`` ARI matrix (ones on the diagonal).

    Returns
    -------
    mean : float
        NaN when fewer than two labelings are given.
    matrix : ndarray, only if ``return_matrix``

    Examples
    --------
    >>> pairwise_ari([[0, 0, 1, 1], [1, 1, 0, 0], [0, 0, 1, 1]])
    1.0
    >>> mean, m = pairwise_ari([[0, 0, 1, 1], [0, 1, 0, 1]], return_matrix=True)
    >>> round(mean, 3), m.shape
    (-0.5, (2, 2))
    """
    from sklearn.metrics import adjusted_rand_score

    runs = [np.asarray(lab).ravel() for lab in labelings]
    m = len(runs)
    if m and any(len(r) != len(runs[0]) for r in runs):
        raise ValueError("pairwise_ari needs labelings of the same length (the same members).")
    matrix = np.eye(m)
    iu, ju = np.triu_indices(m, k=1)
    for i, j in zip(iu, ju, strict=True):  # a loop over pairs of runs (few), not members
        matrix[i, j] = matrix[j, i] = adjusted_rand_score(runs[i], runs[j])
    mean = float(matrix[iu, ju].mean()) if len(iu) else float("nan")
    return (mean, matrix) if return_matrix else mean


def _best_jaccard(orig, new, k_orig: int) -> np.ndarray:
    """For each original group ``0..k_orig-1``: max Jaccard with any group of ``new``.

    ``orig`` and ``new`` are aligned labels of the same (unique) members; negative labels
    belong to no group. NaN for original groups absent from these members.
    """
    a = np.bincount(orig[orig >= 0], minlength=k_orig)
    both = (orig >= 0) & (new >= 0)
    if not both.any():
        return np.where(a > 0, 0.0, np.nan)
    new_codes, new_inv = np.unique(new[new >= 0], return_inverse=True)
    b = np.bincount(new_inv, minlength=len(new_codes))
    new_pos = np.full(len(new), -1, dtype=np.int64)
    new_pos[new >= 0] = new_inv
    table = sp.coo_array((np.ones(int(both.sum())), (orig[both], new_pos[both])),
                         shape=(k_orig, len(new_codes))).tocsr()
    table.sum_duplicates()
    coo = table.tocoo()
    jac = coo.data / (a[coo.row] + b[coo.col] - coo.data)
    best = np.zeros(k_orig)
    np.maximum.at(best, coo.row, jac)
    return np.where(a > 0, best, np.nan)


def bootstrap_jaccard(labels_fn, data, labels=None, *, n_boot: int = 20,
                      method: str = "bootstrap", fraction: float = 0.8,
                      random_state: int | None = None):
    """Per-segment Jaccard stability under resampling (Hennig 2007, ``clusterboot``).

    For each original group ``C`` and each resample, the members of the resample are
    re-labelled by ``labels_fn``; ``C``'s score in that resample is the best Jaccard
    similarity ``|C ∩ D| / |C ∪ D|`` over the groups ``D`` of the new labelling, both
    restricted to the (distinct) members drawn. The stability of ``C`` is the mean over
    resamples. Hennig's reading: below 0.5 the group "dissolves", above 0.75 it is stable.
    All overlaps of one resample come from one sparse contingency table (no loop over
    members or groups).

    Parameters
    ----------
    labels_fn : callable
        ``labels_fn(subset) -> labels`` for the rows of ``subset``, in order, where ``subset``
        is, depending on ``data``: the index array itself (``data`` an int), the rows
        ``data[idx]`` (an array or DataFrame, positional), or the induced subgraph
        ``data[idx][:, idx]`` (a square ``scipy.sparse`` matrix). Negative labels mean "in no
        group".
    data : int, array-like, pandas.DataFrame or square scipy.sparse matrix
        What is resampled: ``n`` members (an int) or the member rows / graph.
    labels : array-like of int, optional
        The original labels; ``labels_fn`` on all members when omitted.
    n_boot : int, default 20
        Number of resamples.
    method : {"bootstrap", "subsample"}, default "bootstrap"
        ``"bootstrap"`` draws ``n`` members with replacement (duplicates are given to
        ``labels_fn``; a member's label is that of its first copy); ``"subsample"`` draws
        ``round(fraction * n)`` distinct members. Use ``"subsample"`` for graphs, where
        duplicated nodes make no sense.
    fraction : float, default 0.8
        Share of members drawn by ``"subsample"``.
    random_state : int or None
        Seed of the resampling (``numpy.random.default_rng``); ``labels_fn`` seeds itself.

    Returns
    -------
    pandas.DataFrame
        One row per original group (index ``label``, negative labels excluded): ``size``,
        ``jaccard_mean``, ``jaccard_std``, ``dissolved`` (share of resamples with Jaccard
        below 0.5), ``n_present`` (resamples in which the group had members).

    References
    ----------
    Hennig, C. (2007). Cluster-wise assessment of cluster stability. Computational
    Statistics & Data Analysis 52(1), 258-271.

    See Also
    --------
    pairwise_ari : agreement of whole partitions across seeds.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.r_[np.zeros((20, 1)), np.full((20, 1), 10.0)]
    >>> split = lambda rows: (rows[:, 0] > 5).astype(int)   # a perfectly stable rule
    >>> bootstrap_jaccard(split, X, n_boot=5, random_state=0)["jaccard_mean"].tolist()
    [1.0, 1.0]
    """
    import pandas as pd

    if method not in ("bootstrap", "subsample"):
        raise ValueError(f"The 'method' parameter of bootstrap_jaccard must be 'bootstrap' or "
                         f"'subsample'. Got {method!r} instead.")
    if int(n_boot) < 1:
        raise ValueError(f"The 'n_boot' parameter of bootstrap_jaccard must be an int >= 1. "
                         f"Got {n_boot!r} instead.")
    if not 0 < fraction <= 1:
        raise ValueError(f"The 'fraction' parameter of bootstrap_jaccard must be in (0, 1]. "
                         f"Got {fraction!r} instead.")
    if isinstance(data, (int, np.integer)):
        n = int(data)

        def take(idx):
            return idx
    elif sp.issparse(data):
        A = sp.csr_array(data)
        if A.shape[0] != A.shape[1]:
            raise ValueError(f"bootstrap_jaccard: a sparse 'data' must be a square graph; got "
                             f"shape {A.shape}.")
        n = A.shape[0]

        def take(idx):
            return A[idx][:, idx]
    else:
        n = len(data)

        def take(idx):
            return data.iloc[idx] if hasattr(data, "iloc") else np.asarray(data)[idx]

    full = np.arange(n)
    if labels is None:
        labels = labels_fn(take(full))
    labels = np.asarray(labels).ravel()
    if len(labels) != n:
        raise ValueError(f"bootstrap_jaccard: {len(labels)} labels for {n} members.")
    codes, inverse = np.unique(labels, return_inverse=True)
    real = codes >= 0
    remap = np.where(real, np.cumsum(real) - 1, -1)
    orig = remap[inverse]  # 0..k-1, -1 for negative labels
    k = int(real.sum())
    rng = np.random.default_rng(random_state)
    scores = np.full((int(n_boot), k), np.nan)
    for b in range(int(n_boot)):  # a loop over resamples, not members
        if method == "bootstrap":
            idx = rng.integers(0, n, size=n)
        else:
            idx = np.sort(rng.choice(n, size=max(1, round(fraction * n)), replace=False))
        new = np.asarray(labels_fn(take(idx))).ravel()
        if len(new) != len(idx):
            raise ValueError(f"bootstrap_jaccard: labels_fn returned {len(new)} labels for "
                             f"{len(idx)} rows.")
        uniq, first = np.unique(idx, return_index=True)
        new_codes, new_inv = np.unique(new[first], return_inverse=True)
        new_lab = np.where(new_codes[new_inv] >= 0, new_inv, -1)
        scores[b] = _best_jaccard(orig[uniq], new_lab, k)
    present = np.isfinite(scores)
    n_present = present.sum(axis=0)
    with np.errstate(invalid="ignore"):
        mean = np.where(n_present > 0, np.nansum(scores, axis=0) / np.maximum(n_present, 1),
                        np.nan)
        dev = np.where(present, scores - mean, 0.0)
        std = np.where(n_present > 0, np.sqrt((dev ** 2).sum(axis=0) /
                                              np.maximum(n_present, 1)), np.nan)
        dissolved = np.where(n_present > 0, ((scores < 0.5) & present).sum(axis=0) /
                             np.maximum(n_present, 1), np.nan)
    return pd.DataFrame({"size": np.bincount(orig[orig >= 0], minlength=k),
                         "jaccard_mean": mean, "jaccard_std": std, "dissolved": dissolved,
                         "n_present": n_present},
                        index=pd.Index(codes[real], name="label"))
