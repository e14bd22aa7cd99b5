"""Learned structural roles (RolX): ReFeX recursive features, NMF, MDL, then named roles.

The steps, after Henderson et al. [1]_ [2]_:

1. **ReFeX features** (:func:`~clusterkit.stages.roles.refex.refex_features`) on the
   member graph: base features per member (follow in- and out-degree, mutual follows,
   degree and weighted degree in the symmetric member graph of
   :func:`clusterkit.graph.member_graph`, edges inside and leaving the egonet), then
   ``n_iter`` rounds of recursive aggregation: the mean and the sum of the previous round's
   features over graph neighbours (a sparse matrix product: linear in the edges). Each
   round's new columns are pruned: a column whose vertical logarithmic binning (ReFeX's,
   p = 0.5) correlates at ``prune_threshold`` or more with a column already kept is
   dropped; recursion stops early when a round keeps nothing.
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

The ReFeX features, the binning, the description length and the NMF initialisation live in
:mod:`clusterkit.stages.roles.refex` (its public names are re-exported here). This module
is the :class:`RolXRoles` class alone; it is over 400 lines because its ``fit`` is one
pass through the steps above and its docstring documents some twenty fitted attributes,
and splitting either would scatter one algorithm.
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
from clusterkit.stages.roles.refex import (
    _nndsvda,
    _prune,
    description_length,
    log_bin,
    refex_features,
)
from clusterkit.weights import EngagementWeights

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
            labels = rule_labels(features, weights=self.weights_,
                                 passive_actions=tuple(self.passive_actions))
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

    def fit(self, features: pd.DataFrame, data=None, weights: EngagementWeights | None = None):
        """Learn roles from the raw feature table and, when given, the member graph.

        Parameters
        ----------
        features : pandas.DataFrame
            Raw feature table (index member ids).
        data : clusterkit.data.CommunityData, optional
            The data the features were built from: enables ReFeX on the member graph.
        weights : EngagementWeights, optional
            The run's engagement weights, for the role evidence (defaults when omitted).
        """
        from threadpoolctl import threadpool_limits

        self.weights_ = weights if weights is not None else EngagementWeights()

        with threadpool_limits(1):  # tall, thin matrices: BLAS threads only contend
            return self._fit(features, data)

    def _fit(self, features: pd.DataFrame, data):
        if self.n_roles is None and self.min_roles > self.max_roles:
            from clusterkit.errors import ConfigError

            raise ConfigError(
                f"RolXRoles: min_roles ({self.min_roles}) must not exceed "
                f"max_roles ({self.max_roles})."
            )
        shared = dict(weights=self.weights_, passive_actions=tuple(self.passive_actions))
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
