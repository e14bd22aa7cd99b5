"""What the role methods share: the roles, evidence in natural units, formatting.

The ``rules``, ``prototypes`` and ``rolx`` stages read the same evidence per member, defined
once here:

================= ================================================================ =========
evidence          meaning                                                          scale
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

Rates are per 30 days of the data's time span. The transformed columns are standardised
robustly (median, and the 10-90 % quantile spread; see :func:`evidence_space`), so no single
heavy-tailed count dominates distances.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pandas as pd

from clusterkit.data.schema import CONTENT_ACTIONS
from clusterkit.stages.roles.text import fmt_value, fmt_values
from clusterkit.weights import EngagementWeights

__all__ = [
    "DECLARED_PROTOTYPES",
    "EVIDENCE",
    "ROLES",
    "column",
    "confidence",
    "deep_actions",
    "deep_activity",
    "distances",
    "evidence_space",
    "evidence_text",
    "fmt_value",
    "fmt_values",
    "mixture_break",
    "natural_break",
    "prototype_scores",
    "transform_evidence",
    "role_evidence",
    "weighted_activity",
]

ROLES: tuple[str, ...] = ("influencer", "blogger", "fan", "follower")
"""The four roles of DESIGN §3, in priority order."""


def column(features: pd.DataFrame, name: str) -> np.ndarray:
    if name in features.columns:
        return features[name].to_numpy(dtype=np.float64)
    return np.zeros(len(features))


def confidence(ratio: np.ndarray) -> np.ndarray:
    """Map evidence/threshold to (0, 1): 0.5 at the threshold, 0.9 at 9x (log-odds)."""
    r = np.maximum(ratio, 1e-9)
    return r / (1.0 + r)


def weighted_activity(X: pd.DataFrame, weights: EngagementWeights | None = None,
                      passive_actions=("view", "newsletter_open", "follow")):
    """Content count, engagement weight of content, and of active (non-passive) reactions.

    Reads the ``act_<action>`` columns of the raw feature table; each action count is
    weighted by its engagement weight (the run's :class:`~clusterkit.weights.EngagementWeights`;
    DESIGN §2 defaults when omitted, unknown actions ``weights.default``).
    """
    ew = weights if weights is not None else EngagementWeights()
    table = ew.table
    passive = set(passive_actions)
    count = np.zeros(len(X))
    content = np.zeros(len(X))
    active = np.zeros(len(X))
    for col in X.columns:  # loop over action columns, not members
        if not col.startswith("act_"):
            continue
        action = col[4:]
        w = table.get(action, ew.default) * X[col].to_numpy(dtype=np.float64)
        if action in CONTENT_ACTIONS:
            count += X[col].to_numpy(dtype=np.float64)
            content += w
        elif action not in passive:
            active += w
    return count, content, active


def deep_actions(columns, shallow_actions) -> list[str]:
    """The deep actions among a feature table's ``columns`` (``act_<action>``), in column
    order: every action that is neither original content nor in ``shallow_actions``."""
    shallow = set(shallow_actions)
    return [c[4:] for c in columns if c.startswith("act_") and c[4:] not in CONTENT_ACTIONS
            and c[4:] not in shallow]


def deep_activity(X: pd.DataFrame, weights: EngagementWeights | None = None,
                  shallow_actions=("view", "newsletter_open", "follow", "like")):
    """Count and engagement weight of *deep* reactions: neither content nor shallow.

    Deep reactions are what DESIGN §3 calls engaging in depth (comments, replies, shares,
    mentions, newsletter clicks, events, purchases …): every action that is not original
    content and not in ``shallow_actions`` (views, opens, follows and likes by default).
    """
    ew = weights if weights is not None else EngagementWeights()
    table = ew.table
    count = np.zeros(len(X))
    weight = np.zeros(len(X))
    for action in deep_actions(X.columns, shallow_actions):  # action columns, not members
        x = X[f"act_{action}"].to_numpy(dtype=np.float64)
        count += x
        weight += table.get(action, ew.default) * x
    return count, weight


def natural_break(values: np.ndarray, classes: int = 2, bins: int = 256) -> float:
    """The lower edge of the top class of an Otsu split of ``values`` into ``classes``.

    Otsu's method (1979) chooses the cut(s) that maximise the variance between classes of a
    histogram (``bins`` equal-width bins): a threshold read from the data's own distribution,
    with no assumed share of members above it. With ``classes=3`` the top class is the
    upper of two cuts (e.g. members amplified by a few / by some / by many). Returns
    ``inf`` when there are fewer distinct values than classes.

    Examples
    --------
    >>> v = np.r_[np.zeros(50), np.full(30, 2.0), np.full(5, 6.0)]
    >>> round(natural_break(v, 2), 1), round(natural_break(v, 3), 1)  # middles of the gaps
    (1.0, 4.0)
    """
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if len(np.unique(v)) < classes:
        return np.inf
    hist, edges = np.histogram(v, bins=bins)
    mids = (edges[:-1] + edges[1:]) / 2
    w = hist / hist.sum()
    cw = np.cumsum(w)
    cm = np.cumsum(w * mids)
    total = cm[-1]
    # class sums for a cut after bin i: [0..i], (i..j], (j..end]
    if classes == 2:
        w0, w1 = cw[:-1], 1.0 - cw[:-1]
        with np.errstate(divide="ignore", invalid="ignore"):
            between = w0 * w1 * (cm[:-1] / w0 - (total - cm[:-1]) / w1) ** 2
        i = int(np.nanargmax(np.where((w0 > 0) & (w1 > 0), between, np.nan)))
        return _gap_middle(hist, edges, i)
    i, j = np.triu_indices(bins - 1, k=1)  # cut after bin i, then after bin j > i
    w0, w1, w2 = cw[i], cw[j] - cw[i], 1.0 - cw[j]
    m0, m1, m2 = cm[i], cm[j] - cm[i], total - cm[j]
    ok = (w0 > 0) & (w1 > 0) & (w2 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        between = m0 ** 2 / w0 + m1 ** 2 / w1 + m2 ** 2 / w2  # maximising this = Otsu
    best = int(np.nanargmax(np.where(ok, between, np.nan)))
    return _gap_middle(hist, edges, int(j[best]))


def _gap_middle(hist: np.ndarray, edges: np.ndarray, cut: int) -> float:
    """The middle of the empty bins after bin ``cut`` (every cut there splits alike)."""
    nxt = cut + 1 + int(np.argmax(hist[cut + 1:] > 0))
    return float((edges[cut + 1] + edges[nxt]) / 2)


def mixture_break(values: np.ndarray, grid: int = 2001) -> float:
    """Minimum-error boundary between the two classes of an Otsu split of ``values``.

    A normal distribution is fitted to each class of the two-class Otsu split
    (:func:`natural_break`), weighted by its share of the values; the boundary is the first
    point from the lower class mean up where the upper class is the more likely (the Bayes
    boundary of the two fitted classes). Otsu alone places the cut near the midpoint of the
    class means; when the upper class is the smaller and narrower one (a few influencers
    above many creators), the boundary moves towards it. Searched on ``grid`` points between
    the class means, so it always lies between them. Returns ``inf`` for fewer than two
    distinct values. Reads the values, not their order: they are sorted first, so the
    classes' sums run in one order however the values come (the same break, bit for bit,
    from members in any order or from counts per distinct value, as on Spark).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> v = np.r_[rng.normal(0, 1, 900), rng.normal(5, 0.5, 100)]
    >>> bool(natural_break(v, 2) < mixture_break(v) < 5)
    True
    """
    v = np.sort(np.asarray(values, dtype=np.float64))
    v = v[np.isfinite(v)]
    cut = natural_break(v, 2)
    if not np.isfinite(cut):
        return np.inf
    upper = v >= cut
    share = np.array([np.mean(~upper), np.mean(upper)])
    mean = np.array([v[~upper].mean(), v[upper].mean()])
    sd = np.array([v[~upper].std(), v[upper].std()]) + 1e-6 * (1.0 + np.ptp(v))
    g = np.linspace(mean[0], mean[1], grid)[:, None]
    loglik = -0.5 * ((g - mean) / sd) ** 2 - np.log(sd) + np.log(share)
    above = loglik[:, 1] > loglik[:, 0]
    return float(g[int(np.argmax(above)), 0]) if above.any() else float(mean[1])


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
    return max(float(column(features, "tenure_days").max(initial=0.0)) / 30.0, 1.0)


def role_evidence(
    features: pd.DataFrame,
    *,
    weights: EngagementWeights | None = None,
    passive_actions=("view", "newsletter_open", "follow"),
) -> pd.DataFrame:
    """Per-member role evidence in natural units (the ``rules`` stage's definitions).

    Parameters
    ----------
    features : pandas.DataFrame
        The raw feature table (missing columns count as zeros).
    weights : EngagementWeights, optional
        The run's engagement weights (DESIGN §2 defaults when omitted).
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
    created, content_w, active_w = weighted_activity(features, weights, passive_actions)
    months = _months(features)
    n = len(features)
    passive = np.zeros(n)
    for action in set(passive_actions):  # a loop over actions, not members
        passive += column(features, "act_" + action)
    followers = column(features, "followers")
    pos = followers[followers > 0]
    median = float(np.median(pos)) if len(pos) else 1.0
    total = content_w + active_w
    out = pd.DataFrame(
        {
            "amplifiers": column(features, "amplifiers"),
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


def transform_evidence(values: np.ndarray) -> np.ndarray:
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
    T = transform_evidence(evidence[list(EVIDENCE)].to_numpy(dtype=np.float64))
    if len(T) == 0:
        return T, np.zeros(T.shape[1]), np.ones(T.shape[1])
    center = np.median(T, axis=0)
    q10, q90 = np.quantile(T, [0.1, 0.9], axis=0)
    scale = (q90 - q10) / _SPREAD
    std = T.std(axis=0)
    scale = np.where(scale > 1e-9, scale, np.where(std > 1e-9, std, 1.0))
    return (T - center) / scale, center, scale


def distances(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Euclidean distances between the rows of ``A`` and ``B``."""
    d2 = (A * A).sum(1)[:, None] - 2.0 * A @ B.T + (B * B).sum(1)[None, :]
    return np.sqrt(np.maximum(d2, 0.0))


def evidence_text(evidence: pd.DataFrame) -> np.ndarray:
    """Readable evidence per member (vectorised), quoting the natural units."""
    e = {c: evidence[c].to_numpy(dtype=np.float64) for c in EVIDENCE}
    return (
        "evidence: "
        + fmt_values(e["amplifiers"])
        + " distinct amplifiers, followers "
        + fmt_values(np.round(e["reach"], 2))
        + "x median, "
        + fmt_values(np.round(e["content_rate"], 2))
        + " content items/month, "
        + fmt_values(np.round(e["active_rate"], 2))
        + " weighted active reactions/month, "
        + fmt_values(np.round(e["passive_rate"], 2))
        + " passive events/month, "
        + fmt_values(np.round(e["created_share"] * 100))
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
    D = distances(Z, P)
    rows = np.arange(n)
    d_own = D[rows, assigned]
    other = D.copy()
    other[rows, assigned] = np.inf
    alt = other.argmin(axis=1)
    d_alt = other[rows, alt]
    total = d_own + d_alt
    conf = np.divide(d_alt, total, out=np.full(n, 0.5), where=total > 0)
    return D, np.clip(conf, 0.0, 1.0), alt
