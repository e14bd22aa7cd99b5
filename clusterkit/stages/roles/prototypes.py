"""Prototype roles: cluster members by behaviour, then name each cluster by its nearest role.

Members are placed in the role-evidence space of :mod:`clusterkit.stages.roles.evidence`
(the same evidence the ``rules`` stage reads, standardised robustly), clustered by k-means,
and each cluster takes the role whose prototype (:mod:`clusterkit.stages.roles.anchors`) is
nearest its centroid.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.registry import register
from clusterkit.stages._params import Interval, Options
from clusterkit.stages.base import BaseStage
from clusterkit.stages.roles.anchors import role_prototypes, rule_labels
from clusterkit.stages.roles.evidence import (
    DECLARED_PROTOTYPES,
    EVIDENCE,
    ROLES,
    distances,
    evidence_space,
    evidence_text,
    fmt_values,
    prototype_scores,
    role_evidence,
)
from clusterkit.weights import EngagementWeights

__all__ = [
    "DECLARED_PROTOTYPES",
    "EVIDENCE",
    "PrototypeRoles",
    "evidence_space",
    "role_evidence",
    "role_prototypes",
    "rule_labels",
]

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
    >>> from clusterkit.synthetic.community import generate
    >>> from clusterkit.features import build_features
    >>> data = CommunityData.from_frames(**generate(600, seed=3).tables)
    >>> X, _ = build_features(data, [("behaviour", {}), ("graph", {}), ("interaction", {})])
    >>> stage = PrototypeRoles(n_clusters=8, random_state=0).fit(X)
    >>> sorted(set(stage.roles_))
    ['blogger', 'fan', 'follower', 'influencer']
    >>> print(stage.explanations_[0].split("; ")[0])
    fan: cluster 7 (114 members) is nearest the fan prototype (distance 0.86, next follower at 2.50)
    >>> print(stage.explanations_[0].split("; ")[1])  # the member's own distances
    this member: distance 1.45 to fan, 2.64 to follower
    """

    _constraints = {
        "n_clusters": [Interval(int, 4, None)],
        "prototypes": [Options("rules", "declared")],
        "n_init": [Interval(int, 1, None)],
        "passive_actions": [list, tuple],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        n_clusters=12,
        prototypes="rules",
        n_init=4,
        passive_actions=("view", "newsletter_open", "follow"),
        random_state=None,
    ):
        self.n_clusters = n_clusters
        self.prototypes = prototypes
        self.n_init = n_init
        self.passive_actions = passive_actions
        self.random_state = random_state

    def fit(self, features: pd.DataFrame, data=None, weights: EngagementWeights | None = None):
        """Assign roles from the raw (untransformed) feature table.

        ``data`` is not used (the role protocol passes it to every role stage); ``weights``
        are the run's engagement weights (defaults when omitted).
        """
        from sklearn.cluster import KMeans
        from threadpoolctl import threadpool_limits

        shared = dict(
            weights=weights,
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
        CD = distances(centroids, P)  # (k, 4)
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
            + fmt_values(labels)
            + " ("
            + fmt_values(sizes[labels])
            + " members) is nearest the "
            + self.roles_
            + " prototype (distance "
            + fmt_values(np.round(CD[labels, assigned], 2))
            + ", next "
            + roles[c_alt[labels]]
            + " at "
            + fmt_values(np.round(CD[labels, c_alt[labels]], 2))
            + "); this member: distance "
            + fmt_values(np.round(D[rows, assigned], 2))
            + " to "
            + self.roles_
            + ", "
            + fmt_values(np.round(D[rows, alt], 2))
            + " to "
            + roles[alt]
            + "; "
            + evidence_text(ev)
        ).astype(object)
        return self
