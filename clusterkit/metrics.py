"""Quality metrics as free functions: internal, graph, external.

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
    "ari",
    "cluster_quality",
    "community_quality",
    "conductance",
    "coverage",
    "modularity",
    "nmi",
    "role_macro_f1",
]


def nmi(labels_true, labels_pred) -> float:
    """Normalised mutual information (arithmetic mean normalisation)."""
    from sklearn.metrics import normalized_mutual_info_score

    return float(normalized_mutual_info_score(labels_true, labels_pred))


def ari(labels_true, labels_pred) -> float:
    """Adjusted Rand index."""
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(labels_true, labels_pred))


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


def modularity(graph: sp.csr_array, labels, resolution: float = 1.0) -> float:
    """Weighted Newman modularity of ``labels`` on a symmetric graph (isolates ignored)."""
    import igraph as ig

    r, c, w, labels = _edges(graph, labels)
    if len(w) == 0:
        return 0.0
    g = ig.Graph(n=graph.shape[0], edges=np.column_stack([r, c]).tolist())
    member = np.unique(labels, return_inverse=True)[1]
    return float(g.modularity(member.tolist(), weights=w.tolist(), resolution=resolution))


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


def community_quality(graph: sp.csr_array, labels) -> dict:
    """Modularity, coverage, mean conductance, number and sizes of communities."""
    labels = np.asarray(labels)
    real = labels[labels >= 0]
    sizes = np.sort(np.bincount(np.unique(real, return_inverse=True)[1]))[::-1] if len(
        real) else np.array([], dtype=int)
    cond = conductance(graph, labels)
    cond_real = [v for k, v in cond.items() if k >= 0]
    return {
        "modularity": modularity(graph, labels),
        "coverage": coverage(graph, labels),
        "mean_conductance": float(np.mean(cond_real)) if cond_real else 0.0,
        "n_communities": int(len(sizes)),
        "n_isolates": int((labels == -2).sum()),
        "largest_sizes": [int(s) for s in sizes[:10]],
    }
