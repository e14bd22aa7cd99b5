"""ReFeX recursive structural features and the RolX description length.

The helpers of :class:`~clusterkit.stages.roles.rolx.RolXRoles`, after Henderson et al.
(KDD 2011 for ReFeX, KDD 2012 for RolX; full references there):

* :func:`refex_features`: base features per member on the member graph (follow in- and
  out-degree, mutual follows, degree and weighted degree, egonet inner and boundary edges),
  then rounds of recursive aggregation (mean and sum over neighbours), each round pruned of
  columns whose :func:`log_bin` values correlate with a column already kept.
* :func:`log_bin`: ReFeX's vertical logarithmic binning.
* :func:`description_length`: the MDL cost (model bits after Lloyd-Max quantisation, plus
  the KL reconstruction error in bits) that chooses the number of learned roles.
* ``_nndsvda``: the NNDSVDa initialisation shared by the NMF fits for every ``k``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["description_length", "log_bin", "refex_features"]


def log_bin(F: np.ndarray, p: float = 0.5) -> np.ndarray:
    """ReFeX vertical logarithmic binning of each column.

    The fraction ``p`` of members with the lowest values get bin 0, the fraction ``p`` of
    the rest bin 1, and so on; tied values share the lowest bin of the tie. Values are
    ``floor(log_{1/(1-p)}(1 / (1 - q)))`` with ``q`` the share of members strictly below.

    Examples
    --------
    >>> log_bin(np.array([[0.0], [0.0], [1.0], [5.0], [9.0], [20.0], [50.0], [99.0]])).ravel()
    array([0., 0., 0., 0., 1., 1., 2., 3.])
    """
    from scipy.stats import rankdata

    F = np.asarray(F, dtype=np.float64)
    if F.size == 0:
        return F.copy()
    below = rankdata(F, method="min", axis=0) - 1.0
    q = below / F.shape[0]
    return np.floor(np.log(1.0 / (1.0 - q)) / np.log(1.0 / (1.0 - p)) + 1e-9)


def _prune(binned: np.ndarray, kept: list[np.ndarray], threshold: float) -> list[int]:
    """Indices of the columns of ``binned`` that are not near-duplicates (greedy, in order)."""
    out = []
    for j in range(binned.shape[1]):  # a loop over features
        col = binned[:, j]
        if np.ptp(col) == 0:
            continue
        c = (col - col.mean()) / col.std()
        dup = False
        for other in kept:
            if abs(float(np.mean(c * other))) >= threshold:
                dup = True
                break
        if not dup:
            kept.append(c)
            out.append(j)
    return out


def _base_features(data):
    """The binary member adjacency and the ReFeX base features (``data.member_ids`` order).

    Degrees and egonets are those of :func:`clusterkit.graph.member_graph` (follows and
    interactions between members, symmetric); an egonet is a member and its neighbours:
    its inner edges are the degree plus the triangles through the member, its boundary the
    edges from the egonet to the rest.
    """
    import igraph as ig
    import scipy.sparse as sp

    from clusterkit.graph import member_graph

    n = data.n_members
    G = member_graph(data)
    A = G.copy()
    A.data[:] = 1.0
    deg = np.asarray(A.sum(axis=1)).ravel()
    strength = np.asarray(G.sum(axis=1)).ravel()
    upper = sp.triu(A, k=1).tocoo()
    g = ig.Graph(n=n, edges=np.column_stack([upper.row, upper.col]).astype(np.int64))
    clustering = np.nan_to_num(np.asarray(g.transitivity_local_undirected(mode="zero")))
    tri = np.round(clustering * deg * (deg - 1.0) / 2.0)
    F = data.follow_matrix()
    fm = F[:n, :n]
    return A, {
        "follow_in": np.asarray(F.sum(axis=0)).ravel()[:n],
        "follow_out": np.asarray(F.sum(axis=1)).ravel()[:n],
        "follow_mutual": np.asarray(fm.multiply(fm.T).sum(axis=1)).ravel(),
        "degree": deg,
        "strength": strength,
        "egonet_edges": deg + tri,
        "egonet_boundary": np.maximum(A @ deg - deg - 2.0 * tri, 0.0),
    }


def refex_features(
    data, *, n_iter: int = 2, prune_threshold: float = 0.9, members=None
) -> pd.DataFrame:
    """ReFeX recursive structural features of each member.

    Parameters
    ----------
    data : clusterkit.data.CommunityData
        The dataset (follows and, when events carry ``target_id``, interactions).
    n_iter : int, default=2
        Rounds of recursive aggregation (mean and sum over neighbours).
    prune_threshold : float, default=0.9
        A new column is dropped when the correlation of its log-binned values with those of
        a column already kept reaches this value.
    members : array-like, optional
        Member ids to return rows for (default ``data.member_ids``), in that order.

    Returns
    -------
    pandas.DataFrame
        Raw (unbinned) feature values, index the members, kept columns in the order they
        were generated (``degree``, ``mean(degree)``, ``sum(mean(degree))`` ...).

    References
    ----------
    .. [1] Henderson, K., Gallagher, B., Li, L., Akoglu, L., Eliassi-Rad, T., Tong, H. and
       Faloutsos, C. (2011). It's who you know: graph mining using recursive structural
       features. KDD 2011, 663-671.

    Examples
    --------
    >>> from clusterkit.data import CommunityData
    >>> from clusterkit.synthetic.community import generate
    >>> data = CommunityData.from_frames(**generate(300, seed=1).tables)
    >>> F = refex_features(data)
    >>> F.shape[0], "follow_in" in F.columns, any(c.startswith("mean(") for c in F.columns)
    (300, True, True)
    """
    A, base = _base_features(data)
    deg = base["degree"]
    names = list(base)
    values = np.column_stack([base[k] for k in names])
    kept: list[np.ndarray] = []
    keep = _prune(log_bin(values), kept, prune_threshold)
    out_names = [names[j] for j in keep]
    out_values = [values[:, keep]]
    current, current_names = values[:, keep], out_names.copy()
    safe = np.maximum(deg, 1.0)[:, None]
    for _ in range(n_iter):  # a loop over rounds
        if current.shape[1] == 0:
            break
        total = A @ current
        new = np.hstack([total / safe, total])
        new_names = [f"mean({c})" for c in current_names] + [f"sum({c})" for c in current_names]
        keep = _prune(log_bin(new), kept, prune_threshold)
        if not keep:
            break
        current, current_names = new[:, keep], [new_names[j] for j in keep]
        out_values.append(current)
        out_names += current_names
    table = pd.DataFrame(np.hstack(out_values), index=data.member_ids, columns=out_names)
    if members is not None:
        table = table.loc[pd.Index(members, dtype=object)]
    return table


def _quantise(M: np.ndarray, levels: int, n_iter: int = 20):
    """Lloyd-Max (1-D k-means) quantisation of the values of ``M`` to ``levels`` values."""
    v = M.ravel()
    lo, hi = float(v.min()), float(v.max())
    if hi <= lo or levels < 2:
        return np.full_like(M, lo), np.array([v.size])
    code = lo + (np.arange(levels) + 0.5) * (hi - lo) / levels
    for _ in range(n_iter):  # a loop over iterations
        idx = np.searchsorted((code[1:] + code[:-1]) / 2.0, v)
        counts = np.bincount(idx, minlength=levels)
        sums = np.bincount(idx, weights=v, minlength=levels)
        code = np.where(counts > 0, sums / np.maximum(counts, 1), code)
    idx = np.searchsorted((code[1:] + code[:-1]) / 2.0, v)
    return code[idx].reshape(M.shape), np.bincount(idx, minlength=levels)


def _entropy_bits(counts: np.ndarray) -> float:
    """Bits to encode the values whose level counts are ``counts`` (entropy code)."""
    c = counts[counts > 0].astype(np.float64)
    p = c / c.sum()
    return float(-(c * np.log2(p)).sum())


def description_length(V: np.ndarray, W: np.ndarray, H: np.ndarray, levels: int | None = None):
    """RolX description length of the model ``V ~ W H``, in bits.

    Model cost: ``W`` and ``H`` are each quantised to ``levels`` values (Lloyd-Max;
    default ``floor(log2(n))``, as in RolX) and entropy coded. Error cost: the generalised
    Kullback-Leibler divergence ``sum V log(V / R) - V + R`` of the quantised
    reconstruction ``R = W_q H_q``, in bits.

    Returns
    -------
    model_bits, error_bits : float

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> W, H = rng.random((50, 2)), rng.random((2, 6))
    >>> m, e = description_length(W @ H, W, H)
    >>> m > 0 and e >= 0
    True
    """
    n = V.shape[0]
    levels = levels or max(2, int(np.floor(np.log2(max(n, 2)))))
    Wq, cw = _quantise(W, levels)
    Hq, ch = _quantise(H, levels)
    R = np.maximum(Wq @ Hq, 1e-6)
    pos = V > 0
    kl = np.where(pos, V * np.log(np.where(pos, V, 1.0) / R), 0.0) - V + R
    return _entropy_bits(cw) + _entropy_bits(ch), float(kl.sum() / np.log(2.0))


def _nndsvda(V: np.ndarray, k: int, svd):
    """NNDSVDa initialisation (Boutsidis & Gallopoulos, 2008) from a thin SVD of ``V``.

    One exact SVD serves every ``k`` tried (``V`` has few columns), instead of a
    randomised SVD per fit; zeros are filled with the mean of ``V`` as in NNDSVDa.
    """
    U, sv, Vt = svd
    n, f = V.shape
    W, H = np.zeros((n, k)), np.zeros((k, f))
    W[:, 0] = np.sqrt(sv[0]) * np.abs(U[:, 0])
    H[0] = np.sqrt(sv[0]) * np.abs(Vt[0])
    for j in range(1, k):  # a loop over components
        x, y = U[:, j], Vt[j]
        xp, xn, yp, yn = np.maximum(x, 0), np.maximum(-x, 0), np.maximum(y, 0), np.maximum(-y, 0)
        nxp, nyp, nxn, nyn = (float(np.linalg.norm(a)) for a in (xp, yp, xn, yn))
        if nxp * nyp >= nxn * nyn:
            u, v, sigma = xp / max(nxp, 1e-12), yp / max(nyp, 1e-12), nxp * nyp
        else:
            u, v, sigma = xn / max(nxn, 1e-12), yn / max(nyn, 1e-12), nxn * nyn
        lam = np.sqrt(sv[j] * sigma)
        W[:, j], H[j] = lam * u, lam * v
    avg = float(V.mean())
    W[W < 1e-6] = avg
    H[H < 1e-6] = avg
    return W, H
