"""Role prototypes anchored on the ``rules`` stage: where each role sits in evidence space.

The ``prototypes`` and ``rolx`` stages name what they find by the nearest of four role
prototypes; by default a prototype is the mean evidence of the members the rules give that
role, so the three methods agree on what each role means.
"""

from __future__ import annotations

import numpy as np

from clusterkit.stages.roles.evidence import DECLARED_PROTOTYPES, ROLES, column, transform_evidence
from clusterkit.stages.roles.rules import RuleRoles

__all__ = ["role_prototypes", "rule_labels"]


def rule_labels(
    features,
    *,
    weights=None,
    passive_actions=("view", "newsletter_open", "follow"),
):
    """The ``rules`` stage's roles (default thresholds), or None when it cannot run.

    The rules need followers or amplifiers for their influencer test; a table with
    neither (e.g. behaviour columns only) gets None, and callers use declared prototypes.
    """
    if not (np.any(column(features, "followers") > 0)
            or np.any(column(features, "amplifiers") > 0)):
        return None
    return (
        RuleRoles(passive_actions=passive_actions).fit(features, weights=weights).roles_
    )


def role_prototypes(
    features,
    Z,
    center,
    scale,
    *,
    source="rules",
    weights=None,
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
        One row per role of :data:`~clusterkit.stages.roles.rules.ROLES`.
    origin : dict
        Role → ``"rules (n members)"`` or ``"declared"``.
    """
    declared = np.array([DECLARED_PROTOTYPES[r] for r in ROLES], dtype=np.float64)
    P = (transform_evidence(declared) - center) / scale
    origin = dict.fromkeys(ROLES, "declared")
    labels = None
    if source == "rules" and len(Z):
        labels = rule_labels(features, weights=weights, passive_actions=passive_actions)
    if labels is not None:
        for j, role in enumerate(ROLES):  # a loop over roles
            mask = labels == role
            if mask.any():
                P[j] = Z[mask].mean(axis=0)
                origin[role] = f"rules ({int(mask.sum())} members)"
    return P, origin
