"""Prototype roles: cluster members by behaviour, then name each cluster by its nearest role.

The role-evidence space is shared with :mod:`clusterkit.stages.roles_rolx`; its raw values
come from the same computation as the ``rules`` stage (:class:`~clusterkit.stages.roles.
RuleRoles`), so the three role methods read the same evidence:

================= ================================================================ =========
evidence          meaning (per member)                                             space
================= ================================================================ =========
``amplifiers``    distinct members who shared, retweeted, mentioned, replied to or log1p
                  commented on the member
``reach``         followers in the follow graph / median follower count of members log1p
                  with followers
``content_rate``  original content items (post, blog_post, video) per 30 days      log1p
``active_rate``   weighted active reactions (all but passive actions) per 30 days  log1p
``passive_rate``  passive events (view, newsletter_open, follow) per 30 days       log1p
``created_share`` share of the member's own weighted activity that is content      as is
================= ================================================================ =========

Rates are per 30 days of the data's time span, exactly as in the rules. The transformed
columns are standardised robustly (median, and the 10-90 % quantile spread; see
:func:`evidence_space`), so no single heavy-tailed count dominates distances.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pandas as pd

from clusterkit.registry import register
from clusterkit.stages._params import Interval, Options
from clusterkit.stages.base import BaseStage
from clusterkit.stages.roles import ROLES, RuleRoles, _col, _fmts

__all__ = [
    "DECLARED_PROTOTYPES",
    "EVIDENCE",
    "PrototypeRoles",
    "evidence_space",
    "role_evidence",
    "role_prototypes",
    "rule_labels",
]

EVIDENCE: tuple[str, ...] = (
    "amplifiers",
    "reach",
    "content_rate",
    "active_rate",
    "passive_rate",
    "created_share",
)
"""Columns of the role-evidence table, in order."""

_LOG = np.array([True, True, True, True, True, False])  # log1p per evidence column
_SPREAD = 2.0 * 1.2816  # q90 - q10 of a standard normal

DECLARED_PROTOTYPES = MappingProxyType(
    {
        "influencer": (30.0, 20.0, 2.0, 3.0, 1.0, 0.5),
        "blogger": (3.0, 2.0, 2.0, 2.0, 1.0, 0.5),
        "fan": (1.0, 1.0, 0.05, 8.0, 2.0, 0.02),
        "follower": (0.0, 0.5, 0.0, 0.5, 1.0, 0.0),
    }
)
"""Declared role prototypes in the natural units of :data:`EVIDENCE` (before log1p).

Read as "a typical member of the role": an influencer is amplified by 30 distinct members
and has 20x the median follower count (both twice the ``rules`` thresholds of 10 and 15x);
a blogger posts 2 items a month (4x the rules' 0.5) that are half of its own activity,
with modest reach; a fan makes 8 weighted active reactions a month (about 3x the rules' 3)
and creates almost nothing; a follower is below every threshold. The values were written
down from DESIGN §3 and the rules' defaults, not fitted to any data. Weighted reaction
rates depend on the configured action weights, which is why the default prototypes are
learned from the rule labelling instead (see :class:`PrototypeRoles`).
"""


def _months(features: pd.DataFrame) -> float:
    return max(float(_col(features, "tenure_days").max(initial=0.0)) / 30.0, 1.0)


def role_evidence(
    features: pd.DataFrame,
    *,
    weights=None,
    default_weight: float = 1.0,
    passive_actions=("view", "newsletter_open", "follow"),
) -> pd.DataFrame:
    """Per-member role evidence in natural units (the ``rules`` stage's definitions).

    Parameters
    ----------
    features : pandas.DataFrame
        The raw feature table (missing columns count as zeros).
    weights : dict, optional
        Action weight overrides (see :func:`~clusterkit.features.behaviour.action_weights`).
    default_weight : float, default=1.0
        Weight of actions outside the known vocabulary.
    passive_actions : sequence of str
        Actions that are not active reactions.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVIDENCE`, same index as ``features``; ``attrs["months"]`` holds the
        time span in 30-day months used for the rates.

    Examples
    --------
    >>> X = pd.DataFrame({"amplifiers": [12, 0], "followers": [40, 4], "act_post": [6, 0],
    ...                   "act_like": [2, 9], "act_view": [0, 3], "tenure_days": [60, 60]})
    >>> role_evidence(X).round(2).to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'amplifiers': [12.0, 0.0], 'reach': [1.82, 0.18], 'content_rate': [3.0, 0.0],
     'active_rate': [1.0, 4.5], 'passive_rate': [0.0, 1.5], 'created_share': [0.86, 0.0]}
    """
    rules = RuleRoles(
        weights=weights, default_weight=default_weight, passive_actions=passive_actions
    )
    created, content_w, active_w = rules._weighted_activity(features)
    months = _months(features)
    n = len(features)
    passive = np.zeros(n)
    for action in set(passive_actions):  # a loop over actions, not members
        passive += _col(features, "act_" + action)
    followers = _col(features, "followers")
    pos = followers[followers > 0]
    median = float(np.median(pos)) if len(pos) else 1.0
    total = content_w + active_w
    out = pd.DataFrame(
        {
            "amplifiers": _col(features, "amplifiers"),
            "reach": followers / median,
            "content_rate": created / months,
            "active_rate": active_w / months,
            "passive_rate": passive / months,
            "created_share": np.divide(content_w, total, out=np.zeros(n), where=total > 0),
        },
        index=features.index,
    )
    out.attrs["months"] = months
    out.attrs["median_followers"] = median
    return out


def _transform(values: np.ndarray) -> np.ndarray:
    v = np.maximum(np.asarray(values, dtype=np.float64), 0.0)
    return np.where(_LOG, np.log1p(v), v)


def evidence_space(evidence: pd.DataFrame):
    """Robustly standardised evidence: ``(transform(e) - median) / spread``.

    ``transform`` is log1p for counts and rates (the share stays as is); ``spread`` is the
    10-90 % quantile range divided by 2.563 (1 for a standard normal), falling back to the
    standard deviation, then to 1, for columns that are (almost) constant. The 10-90 %
    range rather than the interquartile range because most evidence is zero for most
    members, which makes the interquartile range zero or tiny.

    Returns
    -------
    Z : ndarray of shape (n, 6)
    center, scale : ndarray of shape (6,)
        Apply the same map to a prototype ``p`` (natural units) with
        ``(transform(p) - center) / scale``.
    """
    T = _transform(evidence[list(EVIDENCE)].to_numpy(dtype=np.float64))
    if len(T) == 0:
        return T, np.zeros(T.shape[1]), np.ones(T.shape[1])
    center = np.median(T, axis=0)
    q10, q90 = np.quantile(T, [0.1, 0.9], axis=0)
    scale = (q90 - q10) / _SPREAD
    std = T.std(axis=0)
    scale = np.where(scale > 1e-9, scale, np.where(std > 1e-9, std, 1.0))
    return (T - center) / scale, center, scale


def rule_labels(
    features,
    *,
    weights=None,
    default_weight=1.0,
    passive_actions=("view", "newsletter_open", "follow"),
):
    """The ``rules`` stage's roles (default thresholds), or None when it cannot run.

    The rules need followers or amplifiers for their influencer test; a table with
    neither (e.g. behaviour columns only) gets None, and callers use declared prototypes.
    """
    if not (np.any(_col(features, "followers") > 0) or np.any(_col(features, "amplifiers") > 0)):
        return None
    return (
        RuleRoles(weights=weights, default_weight=default_weight, passive_actions=passive_actions)
        .fit(features)
        .roles_
    )


def role_prototypes(
    features,
    Z,
    center,
    scale,
    *,
    source="rules",
    weights=None,
    default_weight=1.0,
    passive_actions=("view", "newsletter_open", "follow"),
):
    """The four role prototypes in the standardised evidence space.

    Parameters
    ----------
    features : pandas.DataFrame
        Raw feature table (for the rule labelling).
    Z, center, scale
        From :func:`evidence_space`.
    source : {"rules", "declared"}
        ``"rules"``: the mean of ``Z`` over the members the ``rules`` stage (default
        thresholds, these action weights) gives each role; a role the rules give to nobody
        falls back to its declared prototype, and so do all roles when the table has neither
        followers nor amplifiers (see :func:`rule_labels`). ``"declared"``:
        :data:`DECLARED_PROTOTYPES`.

    Returns
    -------
    P : ndarray of shape (4, 6)
        One row per role of :data:`~clusterkit.stages.roles.ROLES`.
    origin : dict
        Role → ``"rules (n members)"`` or ``"declared"``.
    """
    declared = np.array([DECLARED_PROTOTYPES[r] for r in ROLES], dtype=np.float64)
    P = (_transform(declared) - center) / scale
    origin = dict.fromkeys(ROLES, "declared")
    labels = None
    if source == "rules" and len(Z):
        labels = rule_labels(
            features,
            weights=weights,
            default_weight=default_weight,
            passive_actions=passive_actions,
        )
    if labels is not None:
        for j, role in enumerate(ROLES):  # a loop over roles
            mask = labels == role
            if mask.any():
                P[j] = Z[mask].mean(axis=0)
                origin[role] = f"rules ({int(mask.sum())} members)"
    return P, origin


def _distances(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Euclidean distances between the rows of ``A`` and ``B``."""
    d2 = (A * A).sum(1)[:, None] - 2.0 * A @ B.T + (B * B).sum(1)[None, :]
    return np.sqrt(np.maximum(d2, 0.0))


def evidence_text(evidence: pd.DataFrame) -> np.ndarray:
    """Readable evidence per member (vectorised), quoting the natural units."""
    e = {c: evidence[c].to_numpy(dtype=np.float64) for c in EVIDENCE}
    return (
        "evidence: "
        + _fmts(e["amplifiers"])
        + " distinct amplifiers, followers "
        + _fmts(np.round(e["reach"], 2))
        + "x median, "
        + _fmts(np.round(e["content_rate"], 2))
        + " content items/month, "
        + _fmts(np.round(e["active_rate"], 2))
        + " weighted active reactions/month, "
        + _fmts(np.round(e["passive_rate"], 2))
        + " passive events/month, "
        + _fmts(np.round(e["created_share"] * 100))
        + "% of own activity is content"
    )


def prototype_scores(Z: np.ndarray, P: np.ndarray, assigned: np.ndarray):
    """Per-member distances to the prototypes, confidence and secondary role.

    ``assigned`` holds role indices. Confidence is ``d_alt / (d_own + d_alt)``: the
    distance to the nearest *other* prototype over the sum of that and the distance to the
    assigned role's prototype; 0.5 on the boundary, 1 on the prototype, below 0.5 when the
    member itself is nearer another role than the one its group was given.
    """
    n = len(Z)
    D = _distances(Z, P)
    rows = np.arange(n)
    d_own = D[rows, assigned]
    other = D.copy()
    other[rows, assigned] = np.inf
    alt = other.argmin(axis=1)
    d_alt = other[rows, alt]
    total = d_own + d_alt
    conf = np.divide(d_alt, total, out=np.full(n, 0.5), where=total > 0)
    return D, np.clip(conf, 0.0, 1.0), alt


@register("roles", "prototypes")
class PrototypeRoles(BaseStage):
    """Cluster members in the role-evidence space, then name each cluster by a prototype.

    Members are clustered with k-means (``n_clusters`` > 4, so that a role can hold several
    behavioural clusters, e.g. quiet and busy fans) on the robustly standardised evidence
    of :func:`role_evidence`. Each cluster takes the role whose prototype is nearest its
    centroid; every member of the cluster gets that role.

    Prototypes are, by default, *learned from the rule labelling*: the centroid of the
    members the ``rules`` stage gives each role. Why not declared vectors by default: the
    evidence mixes counts with weighted rates whose scale follows the configured action
    weights and the platform, so a fixed "typical fan" vector means different things on
    different data; the rule centroids carry the rules' documented semantics into
    whatever scale the data has, and add nothing tuned. Declared prototypes
    (:data:`DECLARED_PROTOTYPES`, natural units) are available with
    ``prototypes="declared"`` and stand in for any role the rules give to nobody.
    What the clustering adds to the rules: members are named by the group they behave
    like rather than by single thresholds, and the distances give a graded confidence.

    Parameters
    ----------
    n_clusters : int, default=12
        Number of k-means clusters (capped at the number of distinct members).
    prototypes : {"rules", "declared"}, default="rules"
        Where the role prototypes come from (see above).
    n_init : int, default=4
        k-means restarts.
    passive_actions : list of str, default=("view", "newsletter_open", "follow")
        Actions that are not active reactions (as in the rules).
    weights : dict, optional
        Action weight overrides (the pipeline passes the config's).
    default_weight : float, default=1.0
        Weight of actions outside the known vocabulary.
    random_state : int or None, default=None
        Seed of k-means.

    Attributes
    ----------
    roles_ : ndarray of str
        One role per member.
    confidence_ : ndarray of float
        In [0, 1]: ``d_alt / (d_own + d_alt)``, the member's distance to the nearest other
        prototype over the sum of that and its distance to its role's prototype.
    secondary_ : ndarray of str
        The role whose prototype is nearest the member, its own role excepted.
    explanations_ : ndarray of str
        Cluster id, the cluster's distances to the prototypes, the member's own distances
        and its evidence in natural units.
    labels_ : ndarray of int64
        k-means cluster of each member.
    cluster_roles_ : ndarray of str
        Role of each cluster.
    cluster_distances_ : ndarray of shape (n_clusters, 4)
        Distance from each cluster centroid to each prototype (columns in ``ROLES`` order).
    prototypes_ : pandas.DataFrame
        The prototypes, standardised (rows ``ROLES``, columns :data:`EVIDENCE`).
    prototype_origin_ : dict
        Role → where its prototype came from.
    evidence_ : pandas.DataFrame
        The evidence in natural units.
    center_, scale_ : ndarray
        The standardisation of the evidence space.

    References
    ----------
    .. [1] Lloyd, S. (1982). Least squares quantization in PCM. IEEE Transactions on
       Information Theory, 28(2), 129-137 (k-means).

    Examples
    --------
    >>> from clusterkit.data import CommunityData
    >>> from clusterkit.data.synthetic import generate
    >>> from clusterkit.features import build_features
    >>> data = CommunityData.from_frames(**generate(600, seed=3).tables)
    >>> X, _ = build_features(data, [("behaviour", {}), ("graph", {}), ("interaction", {})])
    >>> stage = PrototypeRoles(n_clusters=8, random_state=0).fit(X)
    >>> sorted(set(stage.roles_))
    ['blogger', 'fan', 'follower', 'influencer']
    >>> print(stage.explanations_[0].split("; ")[0])
    fan: cluster 7 (114 members) is nearest the fan prototype (distance 0.88, next follower at 2.54)
    >>> print(stage.explanations_[0].split("; ")[1])  # the member's own distances
    this member: distance 1.46 to fan, 2.67 to follower
    """

    _constraints = {
        "n_clusters": [Interval(int, 4, None)],
        "prototypes": [Options("rules", "declared")],
        "n_init": [Interval(int, 1, None)],
        "passive_actions": [list, tuple],
        "weights": [dict, None],
        "default_weight": [Interval(float, 0, None)],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        n_clusters=12,
        prototypes="rules",
        n_init=4,
        passive_actions=("view", "newsletter_open", "follow"),
        weights=None,
        default_weight=1.0,
        random_state=None,
    ):
        self.n_clusters = n_clusters
        self.prototypes = prototypes
        self.n_init = n_init
        self.passive_actions = passive_actions
        self.weights = weights
        self.default_weight = default_weight
        self.random_state = random_state

    def fit(self, features: pd.DataFrame):
        """Assign roles from the raw (untransformed) feature table."""
        self._validate_params()
        from sklearn.cluster import KMeans
        from threadpoolctl import threadpool_limits

        shared = dict(
            weights=self.weights,
            default_weight=self.default_weight,
            passive_actions=tuple(self.passive_actions),
        )
        ev = role_evidence(features, **shared)
        Z, center, scale = evidence_space(ev)
        P, origin = role_prototypes(features, Z, center, scale, source=self.prototypes, **shared)
        n = len(Z)
        k = max(1, min(self.n_clusters, len(np.unique(Z, axis=0)) if n else 1))
        if n >= k > 1:
            km = KMeans(n_clusters=k, n_init=self.n_init, random_state=self.random_state)
            with threadpool_limits(1):  # small data: threads only contend (and vary sums)
                labels = km.fit_predict(Z).astype(np.int64)
            centroids = km.cluster_centers_
        else:
            labels = np.zeros(n, dtype=np.int64)
            centroids = Z.mean(axis=0, keepdims=True) if n else np.zeros((1, Z.shape[1]))
        CD = _distances(centroids, P)  # (k, 4)
        cluster_role = CD.argmin(axis=1)
        assigned = cluster_role[labels]
        D, conf, alt = prototype_scores(Z, P, assigned)

        roles = np.asarray(ROLES, dtype=object)
        self.labels_ = labels
        self.cluster_roles_ = roles[cluster_role]
        self.cluster_distances_ = CD
        self.prototypes_ = pd.DataFrame(P, index=list(ROLES), columns=list(EVIDENCE))
        self.prototype_origin_ = origin
        self.evidence_ = ev
        self.center_, self.scale_ = center, scale
        self.roles_ = roles[assigned]
        self.secondary_ = roles[alt]
        self.confidence_ = conf

        sizes = np.bincount(labels, minlength=len(CD))
        c_other = CD.copy()
        c_other[np.arange(len(CD)), cluster_role] = np.inf
        c_alt = c_other.argmin(axis=1)
        rows = np.arange(n)
        self.explanations_ = (
            self.roles_
            + ": cluster "
            + _fmts(labels)
            + " ("
            + _fmts(sizes[labels])
            + " members) is nearest the "
            + self.roles_
            + " prototype (distance "
            + _fmts(np.round(CD[labels, assigned], 2))
            + ", next "
            + roles[c_alt[labels]]
            + " at "
            + _fmts(np.round(CD[labels, c_alt[labels]], 2))
            + "); this member: distance "
            + _fmts(np.round(D[rows, assigned], 2))
            + " to "
            + self.roles_
            + ", "
            + _fmts(np.round(D[rows, alt], 2))
            + " to "
            + roles[alt]
            + "; "
            + evidence_text(ev)
        ).astype(object)
        return self
