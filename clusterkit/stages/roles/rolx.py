"""Learned structural roles (RolX): ReFeX recursive features, NMF, MDL, then named roles.

The steps, after Henderson et al. [1]_ [2]_:

1. **ReFeX features** (:func:`refex_features`) on the member graph: base features per
   member (follow in- and out-degree, mutual follows, degree and weighted degree in the
   symmetric member graph of :func:`clusterkit.graph.member_graph`, edges inside and
   leaving the egonet), then ``n_iter`` rounds of recursive aggregation: the mean and the
   sum of the previous round's features over graph neighbours (a sparse matrix product:
   linear in the edges). Each round's new columns are pruned: a column whose vertical
   logarithmic binning (ReFeX's, p = 0.5) correlates at ``prune_threshold`` or more with a
   column already kept is dropped; recursion stops early when a round keeps nothing.
2. The role evidence of :mod:`clusterkit.stages.roles.prototypes` (amplifiers, reach,
   content, active and passive rates, created share) is appended.
3. **NMF** ``V ~ W H`` of ``V = log1p(features)`` (non-negative; counts are heavy-tailed,
   so they enter as orders of magnitude), for each number of learned roles ``k`` in
   ``[min_roles, max_roles]``. The **number of roles minimises the description length**
   (MDL) as in RolX: the bits to encode ``W`` and ``H`` after Lloyd-Max quantisation to
   ``log2(n)`` levels (entropy code per value) plus the reconstruction error
   ``KL(V || W_q H_q)`` in bits. On more than ``mdl_sample`` members the search runs on a
   seeded sample of that size; the chosen ``k`` is then fitted on everyone.
4. **Naming.** Each learned role is named by the role prototype (the same prototypes as
   the ``prototypes`` stage) nearest the mean evidence of the members whose dominant
   learned role it is; several learned roles may take one name. A member's role is the
   prototype nearest to it *in the learned-role space*: prototypes are placed there as the
   mean memberships of the members the ``rules`` stage gives each role (declared
   prototypes: of the members nearest each in the evidence space), and distances are
   measured between reconstructions, ``||(w_i - w_p) H||``. Why not
   simply the name of the member's dominant learned role: NMF roles are additive parts,
   and most members mix several, so the argmax discards how much of each a member has;
   on the synthetic generator that rule reached a macro-F1 of only 0.3-0.6, against
   0.75-0.85 for the nearest prototype in role space.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.registry import register
from clusterkit.stages._params import Interval, Options
from clusterkit.stages.base import BaseStage
from clusterkit.stages.roles.anchors import role_prototypes, rule_labels
from clusterkit.stages.roles.evidence import (
    EVIDENCE,
    ROLES,
    column,
    distances,
    evidence_space,
    evidence_text,
    fmt_values,
    prototype_scores,
    role_evidence,
)

__all__ = ["RolXRoles", "description_length", "log_bin", "refex_features"]

_TABLE_GRAPH = (
    "followers",
    "following",
    "reciprocity",
    "pagerank",
    "kcore",
    "received_distinct",
    "engaged_distinct",
)
"""Feature-table columns standing in for graph features when no graph is given."""


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


@register("roles", "rolx")
class RolXRoles(BaseStage):
    """Learned structural roles (ReFeX + NMF + MDL, as in RolX), named by role prototypes.

    See the module docstring for the steps. The learned roles describe how members sit in
    the graph and behave; the four named roles (influencer, blogger, fan, follower) are
    placed in the learned-role space by the prototypes of
    :class:`~clusterkit.stages.roles.prototypes.PrototypeRoles`, and each member takes the
    nearest.

    Parameters
    ----------
    n_roles : int or None, default=None
        Number of learned roles; ``None`` chooses it by minimum description length over
        ``[min_roles, max_roles]``.
    min_roles : int, default=4
        Fewest learned roles tried.
    max_roles : int, default=10
        Most learned roles tried.
    n_iter : int, default=2
        ReFeX recursion rounds.
    prune_threshold : float, default=0.9
        ReFeX pruning: correlation of log-binned values at which a column is a duplicate.
    prototypes : {"rules", "declared"}, default="rules"
        Role prototypes (see :func:`~clusterkit.stages.roles.prototypes.role_prototypes`).
    mdl_sample : int, default=3000
        Members the search for the number of roles runs on (a seeded sample when there are
        more); the final factorisation always uses everyone.
    max_nmf_iter : int, default=300
        Iterations of each NMF fit.
    passive_actions : list of str, default=("view", "newsletter_open", "follow")
        Actions that are not active reactions.
    weights : dict, optional
        Action weight overrides (the pipeline passes the config's).
    default_weight : float, default=1.0
        Weight of actions outside the known vocabulary.
    random_state : int or None, default=None
        Seed of the NMF initialisation and of the MDL sample.

    Attributes
    ----------
    roles_ : ndarray of str
        One role per member.
    confidence_ : ndarray of float
        In [0, 1]: ``d_alt / (d_own + d_alt)`` with the distances, in the learned-role
        space, to the member's role's prototype and to the nearest other one.
    secondary_ : ndarray of str
        The role of the nearest other prototype.
    explanations_ : ndarray of str
        Distances to the prototypes, the member's main learned roles and their names, and
        its evidence in natural units.
    graph_used_ : bool
        Whether ReFeX ran on the graph (``fit(X, data=...)``) or on the feature table only.
    feature_names_ : list of str
        Columns of the factorised matrix (kept ReFeX features, then the evidence).
    n_roles_ : int
        Number of learned roles.
    description_lengths_ : pandas.DataFrame
        Per ``k`` tried: ``model_bits``, ``error_bits``, ``total_bits``.
    membership_ : ndarray of shape (n, n_roles_)
        Share of each member's reconstructed features explained by each learned role (rows
        sum to 1; all-zero rows stay 0).
    role_features_ : pandas.DataFrame
        ``H`` of the factorisation (learned roles x features).
    learned_roles_ : ndarray of str
        Name of each learned role.
    learned_distances_ : ndarray of shape (n_roles_, 4)
        Distance from each learned role's mean evidence to each prototype.
    role_prototypes_ : pandas.DataFrame
        The prototypes' memberships ``w_p`` (rows ``ROLES``, columns learned roles): the
        mean membership of the members the rules (or, with declared prototypes, the
        nearest prototype) give each role.
    prototypes_ : pandas.DataFrame
        The prototypes in the standardised evidence space.
    prototype_origin_ : dict
        Role → where its prototype came from.
    evidence_ : pandas.DataFrame
        The evidence in natural units.

    Notes
    -----
    The pipeline must call ``fit(features, data=data)`` to use the graph; ``fit(features)``
    alone factorises the feature table's graph columns (followers, following, reciprocity,
    PageRank, k-core, distinct members acting on / acted on) with the evidence, and says so
    in every explanation. Cost: linear in the edges for the recursion (sparse products),
    igraph's triangle count for the egonets, ``max_roles - min_roles + 1`` NMF fits on at
    most ``mdl_sample`` members and one on everyone.

    References
    ----------
    .. [1] Henderson, K., Gallagher, B., Li, L., Akoglu, L., Eliassi-Rad, T., Tong, H. and
       Faloutsos, C. (2011). It's who you know: graph mining using recursive structural
       features. KDD 2011, 663-671.
    .. [2] Henderson, K., Gallagher, B., Eliassi-Rad, T., Tong, H., Basu, S., Akoglu, L.,
       Koutra, D., Faloutsos, C. and Li, L. (2012). RolX: structural role extraction & mining
       in large graphs. KDD 2012, 1231-1239.

    Examples
    --------
    >>> from clusterkit.data import CommunityData
    >>> from clusterkit.synthetic.community import generate
    >>> from clusterkit.features import build_features
    >>> data = CommunityData.from_frames(**generate(600, seed=3).tables)
    >>> X, _ = build_features(data, [("behaviour", {}), ("graph", {}), ("interaction", {})])
    >>> stage = RolXRoles(random_state=0).fit(X, data=data)
    >>> stage.graph_used_, 4 <= stage.n_roles_ <= 10
    (True, True)
    >>> sorted(set(stage.roles_))
    ['blogger', 'fan', 'follower', 'influencer']
    >>> stage.explanations_[0].split(";")[0]  # doctest: +ELLIPSIS
    '... in the learned-role space: distance ... to its prototype, ... to the ... one'
    """

    _constraints = {
        "n_roles": [Interval(int, 1, None), None],
        "min_roles": [Interval(int, 1, None)],
        "max_roles": [Interval(int, 1, None)],
        "n_iter": [Interval(int, 0, None)],
        "prune_threshold": [Interval(float, 0, 1, closed="right")],
        "prototypes": [Options("rules", "declared")],
        "mdl_sample": [Interval(int, 10, None)],
        "max_nmf_iter": [Interval(int, 1, None)],
        "passive_actions": [list, tuple],
        "weights": [dict, None],
        "default_weight": [Interval(float, 0, None)],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        n_roles=None,
        min_roles=4,
        max_roles=10,
        n_iter=2,
        prune_threshold=0.9,
        prototypes="rules",
        mdl_sample=3000,
        max_nmf_iter=300,
        passive_actions=("view", "newsletter_open", "follow"),
        weights=None,
        default_weight=1.0,
        random_state=None,
    ):
        self.n_roles = n_roles
        self.min_roles = min_roles
        self.max_roles = max_roles
        self.n_iter = n_iter
        self.prune_threshold = prune_threshold
        self.prototypes = prototypes
        self.mdl_sample = mdl_sample
        self.max_nmf_iter = max_nmf_iter
        self.passive_actions = passive_actions
        self.weights = weights
        self.default_weight = default_weight
        self.random_state = random_state

    def _structural(self, features: pd.DataFrame, data) -> pd.DataFrame:
        if data is not None:
            pos = data.member_index(features.index)
            if (pos < 0).any():
                missing = features.index[pos < 0][:3].tolist()
                raise ValueError(
                    f"RolXRoles.fit: feature rows {missing} are not members of "
                    "`data`; pass the data the features were built from."
                )
            return refex_features(
                data,
                n_iter=self.n_iter,
                prune_threshold=self.prune_threshold,
                members=features.index,
            )
        cols = {c: column(features, c) for c in _TABLE_GRAPH}
        values = np.column_stack(list(cols.values()))
        keep = _prune(log_bin(values), [], self.prune_threshold)
        names = list(cols)
        return pd.DataFrame(values[:, keep], index=features.index, columns=[names[j] for j in keep])

    def _nmf(self, V: np.ndarray, k: int, svd, tol: float = 1e-4):
        import warnings

        from sklearn.decomposition import NMF
        from sklearn.exceptions import ConvergenceWarning

        W0, H0 = _nndsvda(V, k, svd)
        model = NMF(
            n_components=k,
            init="custom",
            max_iter=self.max_nmf_iter,
            tol=tol,
            random_state=self.random_state,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            W = model.fit_transform(V, W=W0, H=H0)
        return W, model.components_

    def _choose_k(self, V: np.ndarray):
        """The number of learned roles of least description length, and the table."""
        n, f = V.shape
        cap = max(1, min(n, f))
        if self.n_roles is not None:
            return min(self.n_roles, cap), pd.DataFrame(
                columns=["model_bits", "error_bits", "total_bits"]
            )
        lo = min(self.min_roles, cap)
        ks = list(range(lo, min(self.max_roles, cap) + 1))
        sample = V
        if n > self.mdl_sample:
            rng = np.random.default_rng(self.random_state)
            sample = V[np.sort(rng.choice(n, self.mdl_sample, replace=False))]
        rows = []
        svd = np.linalg.svd(sample, full_matrices=False)
        for k in ks:  # a loop over candidate numbers of roles
            W, H = self._nmf(sample, k, svd, tol=1e-3)
            m_bits, e_bits = description_length(sample, W, H)
            rows.append((k, m_bits, e_bits, m_bits + e_bits))
        table = pd.DataFrame(rows, columns=["k", "model_bits", "error_bits", "total_bits"])
        table = table.set_index("k")
        return int(table["total_bits"].idxmin()), table

    def _place_prototypes(self, features, W, Z, P, origin):
        """Prototype memberships: the mean ``w`` of the members labelled with each role.

        Labels are the ``rules`` stage's (``prototypes="rules"``) or the nearest prototype
        in the evidence space (``"declared"``); a role nobody has takes the ``w`` of the
        member nearest its prototype in the evidence space.
        """
        DZ = distances(Z, P)
        labels = None
        if self.prototypes == "rules":
            labels = rule_labels(
                features,
                weights=self.weights,
                default_weight=self.default_weight,
                passive_actions=tuple(self.passive_actions),
            )
        if labels is None:
            labels = np.asarray(ROLES, dtype=object)[DZ.argmin(axis=1)]
        Wp = np.zeros((len(ROLES), W.shape[1]))
        for j, role in enumerate(ROLES):  # a loop over roles
            mask = labels == role
            if mask.any():
                Wp[j] = W[mask].mean(axis=0)
            else:
                Wp[j] = W[DZ[:, j].argmin()]
                origin[role] += " (placed at the member nearest it)"
        return Wp

    def fit(self, features: pd.DataFrame, data=None):
        """Learn roles from the raw feature table and, when given, the member graph.

        Parameters
        ----------
        features : pandas.DataFrame
            Raw feature table (index member ids).
        data : clusterkit.data.CommunityData, optional
            The data the features were built from: enables ReFeX on the member graph.
        """
        self._validate_params()
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):  # tall, thin matrices: BLAS threads only contend
            return self._fit(features, data)

    def _fit(self, features: pd.DataFrame, data):
        if self.n_roles is None and self.min_roles > self.max_roles:
            from clusterkit.errors import ConfigError

            raise ConfigError(
                f"RolXRoles: min_roles ({self.min_roles}) must not exceed "
                f"max_roles ({self.max_roles})."
            )
        shared = dict(
            weights=self.weights,
            default_weight=self.default_weight,
            passive_actions=tuple(self.passive_actions),
        )
        ev = role_evidence(features, **shared)
        Z, center, scale = evidence_space(ev)
        P, origin = role_prototypes(features, Z, center, scale, source=self.prototypes, **shared)
        S = self._structural(features, data)
        names = list(S.columns) + [f"evidence:{c}" for c in EVIDENCE]
        V = np.log1p(
            np.maximum(
                np.hstack([S.to_numpy(dtype=np.float64), ev.to_numpy(dtype=np.float64)]), 0.0
            )
        )
        n = len(V)
        roles = np.asarray(ROLES, dtype=object)
        self.graph_used_ = data is not None
        self.feature_names_ = names
        self.evidence_ = ev
        self.prototypes_ = pd.DataFrame(P, index=list(ROLES), columns=list(EVIDENCE))

        if n == 0 or not np.any(V > 0):
            k, W, H = 1, np.zeros((n, 1)), np.zeros((1, V.shape[1]))
            self.description_lengths_ = pd.DataFrame(
                columns=["model_bits", "error_bits", "total_bits"]
            )
        else:
            k, self.description_lengths_ = self._choose_k(V)
            W, H = self._nmf(V, k, np.linalg.svd(V, full_matrices=False))
        mass = W * H.sum(axis=1)[None, :]
        tot = mass.sum(axis=1, keepdims=True)
        member = np.divide(mass, tot, out=np.zeros_like(mass), where=tot > 0)
        dominant = member.argmax(axis=1)
        has = tot.ravel() > 0

        # name each learned role by the prototype nearest its members' mean evidence
        means = np.zeros((k, Z.shape[1]))
        sizes = np.zeros(k, dtype=np.int64)
        for r in range(k):  # a loop over learned roles
            mask = has & (dominant == r)
            sizes[r] = int(mask.sum())
            weight = mask.astype(np.float64) if sizes[r] else member[:, r]
            if weight.sum() > 0:
                means[r] = (weight[:, None] * Z).sum(axis=0) / weight.sum()
        LD = distances(means, P)
        learned = LD.argmin(axis=1)

        # each member: the nearest prototype in the learned-role space
        Wp = self._place_prototypes(features, W, Z, P, origin) if n else np.zeros((4, k))
        L = np.linalg.cholesky(H @ H.T + 1e-9 * np.eye(k))  # ||w H|| == ||w L||
        U, Up = W @ L, Wp @ L
        own = distances(U, Up).argmin(axis=1)
        D, conf, alt = prototype_scores(U, Up, own)

        self.n_roles_ = int(k)
        self.membership_ = member
        self.role_features_ = pd.DataFrame(H, index=[f"R{r}" for r in range(k)], columns=names)
        self.learned_roles_ = roles[learned]
        self.learned_distances_ = LD
        self.role_prototypes_ = pd.DataFrame(
            Wp, index=list(ROLES), columns=[f"R{r}" for r in range(k)]
        )
        self.prototype_origin_ = origin
        self.roles_ = roles[own]
        self.secondary_ = roles[alt]
        self.confidence_ = conf

        rows = np.arange(n)
        top = np.argsort(-member, axis=1, kind="stable")[:, :2] if n else np.zeros((0, 2), int)
        first, second = top[:, 0], top[:, min(1, k - 1)]
        mix = (
            "R"
            + fmt_values(first)
            + " "
            + fmt_values(np.round(100 * member[rows, first]))
            + "% (named "
            + roles[learned[first]]
            + ")"
        )
        if k > 1:
            mix = (
                mix
                + ", R"
                + fmt_values(second)
                + " "
                + fmt_values(np.round(100 * member[rows, second]))
                + "% (named "
                + roles[learned[second]]
                + ")"
            )
        mix = np.where(has, "main learned roles " + mix, "no learned role (all features zero)")
        note = "" if self.graph_used_ else "; no graph given: learned from the feature table only"
        self.explanations_ = (
            self.roles_
            + ": nearest the "
            + self.roles_
            + " prototype in the learned-role space: distance "
            + fmt_values(np.round(D[rows, own], 2))
            + " to its prototype, "
            + fmt_values(np.round(D[rows, alt], 2))
            + " to the "
            + roles[alt]
            + " one; "
            + mix
            + "; "
            + evidence_text(ev)
            + note
        ).astype(object)
        return self
