"""Segments: named groups with their role mix, engagement weight and defining features.

A segment is a behavioural cluster, named from its dominant role(s) and the feature that
sets it apart most (for example "newsletter-heavy fans"). Members marked as noise by a
density-based clusterer form the segment ``"outliers"``.

The segments step of a run, in order: :func:`cluster_groups` runs the cluster stage within
each role (or once over everyone) and applies the outlier policy (:func:`apply_outliers`);
:func:`cluster_zscores` and :func:`defining_features` find what sets each cluster apart;
:func:`name_segments` names them; :func:`segment_table` assembles the one-row-per-member
table; :func:`segment_summary` and :func:`segment_channel_engagement` summarise it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from clusterkit.errors import DataError
from clusterkit.stages.base import NOISE
from clusterkit.stages.roles import ROLES

__all__ = [
    "apply_outliers",
    "cluster_groups",
    "cluster_zscores",
    "defining_features",
    "merge_small",
    "name_segments",
    "segment_channel_engagement",
    "segment_key",
    "segment_summary",
    "segment_table",
    "build_segments",
]

_PHRASES = [
    (r"^chan_(.+)$", "{0}-heavy"),
    (r"^act_(newsletter_open|newsletter_click)$", "newsletter-reading"),
    (r"^act_(purchase)$", "buying"),
    (r"^act_(event_attend)$", "event-going"),
    (r"^act_(blog_post)$", "blogging"),
    (r"^act_(video)$", "video-making"),
    (r"^act_(.+)$", "{0}-heavy"),
    (r"^(amplifiers|conversers|amplification|received_distinct|received_total|received_weight)$",
     "high-reach"),
    (r"^(followers|pagerank|kcore|reported_followers)$", "well-connected"),
    (r"^(following|reciprocity)$", "networking"),
    (r"^(engagement|n_events|reacted|engaged_distinct)$", "highly engaged"),
    (r"^(created|created_ratio)$", "prolific"),
    (r"^(recency)$", "recently active"),
    (r"^(tenure_days)$", "long-standing"),
    (r"^(active_days)$", "frequent"),
    (r"^(n_channels|channel_entropy)$", "multi-channel"),
    (r"^(conversions|value_total)$", "buying"),
]


def _phrase(feature: str) -> str:
    for pattern, text in _PHRASES:
        m = re.match(pattern, feature)
        if m:
            return text.format(*(g.replace("_", " ") for g in m.groups()))
    return feature.replace("_", " ")


def cluster_zscores(Xt: pd.DataFrame, clusters: np.ndarray, groups=None) -> pd.DataFrame:
    """Cluster × feature table of how far each cluster's mean is from its reference.

    The reference is the cluster's group (its role, when segments are made within roles)
    if the group holds several clusters, else all members; differences are in standard
    deviations of the reference. ``Xt`` is the transformed (scaled) table.
    """
    clusters = np.asarray(clusters)
    groups = np.full(len(clusters), "all", object) if groups is None else np.asarray(groups)
    values = Xt.reset_index(drop=True)
    means = values.groupby(clusters).mean()
    if values.shape[1] == 0:
        return means
    group_of = pd.Series(groups).groupby(clusters).first()
    n_in_group = pd.Series(clusters).groupby(groups).nunique()
    own = (n_in_group.reindex(group_of.to_numpy()).to_numpy() > 1) & (means.index >= 0)
    g_mean = values.groupby(groups).mean().reindex(group_of.to_numpy())
    g_std = values.groupby(groups).std().fillna(0.0).reindex(group_of.to_numpy())
    # the whole table's mean and deviation one column at a time: over the table at once
    # the deviation held a squared copy of it (+0.75 GB at 1,000,000 members x 46 features)
    cols = [values.iloc[:, j] for j in range(values.shape[1])]
    ref = np.where(own[:, None], g_mean.to_numpy(), np.array([c.mean() for c in cols])[None, :])
    sd = np.where(own[:, None], g_std.to_numpy(), np.array([c.std() for c in cols])[None, :])
    z = (means.to_numpy() - ref) / np.where(sd > 0, sd, 1.0)
    return pd.DataFrame(z, index=means.index, columns=means.columns)


def defining_features(z: pd.DataFrame, top: int = 3) -> dict:
    """Per cluster, the ``top`` features furthest above the reference (from
    :func:`cluster_zscores`): cluster → list of (feature, difference), largest first."""
    out = {}
    for c, row in z.iterrows():  # loop over clusters, not members
        ranked = row.sort_values(ascending=False, kind="mergesort")
        # columns that move together (identical differences) say one thing, once
        ranked = ranked[~ranked.round(6).duplicated()]
        if len(ranked) and ranked.iloc[0] <= 0.1:  # nothing above: what it lacks defines it
            ranked = ranked.sort_values(kind="mergesort")
        out[int(c)] = [(str(k), float(v)) for k, v in ranked.head(top).items()]
    return out


def name_segments(clusters: np.ndarray, roles: np.ndarray, defining: dict,
                  unnamed=frozenset(), activity: dict | None = None) -> dict:
    """A unique, readable name per cluster from its role mix and defining features.

    Features in ``unnamed`` are not used for names (e.g. channel diversity when the data has
    a single channel, where it only separates active from inactive members). A cluster with
    no standing-out feature is "core" (the body of its role), or "quiet" when its
    ``activity`` (cluster → engagement difference from the reference) is below -0.25.

    Names depend on the partition, never on how its labels are numbered: clusters are named
    largest first (ties by their first member in ``clusters``' order, which is the canonical
    member_id order), and a name already taken gets a second phrase, then a counter
    (``"quiet followers 2"`` is the second largest of that name). So the same segments get
    the same names in every run; a changed partition (other data, config or seed) may not.
    :func:`segment_key` gives each name a slug for scripts.
    """
    names: dict[int, str] = {}
    used: set[str] = set()
    mix = pd.crosstab(clusters, roles, normalize="index").reindex(columns=list(ROLES),
                                                                  fill_value=0.0)
    # named in an order set by content, not by label numbers (which a clusterer may permute):
    # larger clusters first, ties by their first member in the canonical (member_id) order;
    # so when two clusters earn the same name, the larger keeps it and the other gets " 2"
    labels, first, size = np.unique(np.asarray(clusters), return_index=True, return_counts=True)
    order = labels[np.lexsort((first, -size, labels >= 0))]
    for c in order:
        c = int(c)
        if c < 0:
            names[c] = "outliers"
            used.add("outliers")
            continue
        shares = mix.loc[c].sort_values(ascending=False, kind="mergesort")
        head = f"{shares.index[0]}s"
        if shares.iloc[1] >= 0.35:
            head = f"{shares.index[0]}s & {shares.index[1]}s"
        feats = [f for f, z in defining.get(c, []) if z > 0.1 and f not in unnamed]
        low = [f for f, z in defining.get(c, []) if z < -0.1 and f not in unnamed]
        plain = "quiet" if (activity or {}).get(c, 0.0) < -0.25 else "core"
        phrases = (list(dict.fromkeys(_phrase(f) for f in feats))
                   or list(dict.fromkeys(f"less {_phrase(f)}" for f in low)) or [plain])
        name = f"{phrases[0]} {head}"
        if name in used and len(phrases) > 1:
            name = f"{phrases[0]}, {phrases[1]} {head}"
        base, k = name, 2
        while name in used:
            name = f"{base} {k}"
            k += 1
        used.add(name)
        names[c] = name
    return names


def segment_key(name: str) -> str:
    """The slug of a segment name: lower case, runs of other characters as one ``-``.

    Keys are what scripts should select by (``clusterkit export --segment buying-fans``);
    they are as stable as the names (:func:`name_segments`).

    Examples
    --------
    >>> segment_key("Newsletter-reading Fans & Bloggers 2")
    'newsletter-reading-fans-bloggers-2'
    """
    return re.sub(r"[\W_]+", "-", str(name).casefold()).strip("-")


def segment_summary(segments: pd.DataFrame, features: pd.DataFrame, defining: dict,
                    top_members: int = 5) -> pd.DataFrame:
    """One row per segment: size, share, role mix, engagement weight, reach, conversion.

    Parameters
    ----------
    segments : pandas.DataFrame
        The per-member table (``segment``, ``cluster``, ``role``, ``community``,
        ``engagement_weight``, ``influence``, ``member_id``).
    features : pandas.DataFrame
        Raw features aligned with ``segments`` rows.
    defining : dict
        From :func:`defining_features`.
    """
    seg = segments.reset_index(drop=True)
    g = seg.groupby("segment", sort=False)
    total_w = float(seg["engagement_weight"].sum())
    out = pd.DataFrame({
        "segment": list(g.groups),
    })
    out["cluster"] = g["cluster"].first().loc[out["segment"]].to_numpy()
    size = g.size().loc[out["segment"]].to_numpy()
    out["size"] = size
    out["share"] = size / len(seg)
    mix = pd.crosstab(seg["segment"], seg["role"], normalize="index").reindex(
        index=out["segment"], columns=list(ROLES), fill_value=0.0)
    for r in ROLES:
        out[f"role_{r}"] = mix[r].to_numpy()
    out["dominant_role"] = mix.idxmax(axis=1).to_numpy()
    ew = g["engagement_weight"]
    out["engagement_total"] = ew.sum().loc[out["segment"]].to_numpy()
    out["engagement_mean"] = ew.mean().loc[out["segment"]].to_numpy()
    out["engagement_share"] = out["engagement_total"] / total_w if total_w > 0 else 0.0
    out["influence_mean"] = g["influence"].mean().loc[out["segment"]].to_numpy()
    f = features.reset_index(drop=True)
    reach = f["followers"] if "followers" in f else pd.Series(0.0, index=f.index)
    out["reach"] = reach.groupby(seg["segment"]).sum().loc[out["segment"]].to_numpy()
    conv = (f["conversions"] > 0) if "conversions" in f else pd.Series(False, index=f.index)
    out["conversion_rate"] = conv.groupby(seg["segment"]).mean().loc[out["segment"]].to_numpy()
    comm = seg.groupby("segment")["community"].agg(lambda s: s.value_counts().index[0])
    out["main_community"] = comm.loc[out["segment"]].to_numpy()
    out["defining_features"] = [
        "; ".join(f"{n} {v:+.2f}" for n, v in defining.get(int(c), []) if abs(v) > 0.05)
        for c in out["cluster"]
    ]
    # engagement first, then influence: with flat engagement (graph-only data) the most
    # influential members lead, never an alphabetical list
    # the keys alone are sorted, not the table with its explanations
    ranked = seg[["segment", "engagement_weight", "influence", "member_id"]].sort_values(
        ["engagement_weight", "influence", "member_id"], ascending=[False, False, True],
        kind="mergesort")
    tops = ranked.groupby("segment", sort=False)["member_id"].agg(
        lambda s: " ".join(s.head(top_members)))
    out["top_members"] = tops.loc[out["segment"]].to_numpy()
    return out.sort_values(["size", "segment"], ascending=[False, True],
                           kind="mergesort").reset_index(drop=True)


def _gini_by_group(values: np.ndarray, groups: np.ndarray) -> pd.Series:
    """Gini of ``values`` within each group, vectorised (one sort, cumulative ranks)."""
    df = pd.DataFrame({"g": groups, "x": values}).sort_values(["g", "x"], kind="mergesort")
    g = df["g"].to_numpy()
    x = df["x"].to_numpy()
    rank = df.groupby("g", sort=False).cumcount().to_numpy() + 1
    n = df.groupby("g", sort=False)["x"].transform("size").to_numpy()
    total = df.groupby("g", sort=False)["x"].transform("sum").to_numpy()
    term = np.divide((2 * rank - n - 1) * x, n * total, out=np.zeros(len(x)), where=total > 0)
    return pd.Series(term).groupby(g).sum()


def segment_channel_engagement(segments: pd.DataFrame, by_channel: pd.DataFrame
                               ) -> pd.DataFrame:
    """Engagement weight per segment and channel: total, mean, shares and Gini.

    Parameters
    ----------
    segments : pandas.DataFrame
        Per-member table with ``member_id`` and ``segment`` (rows aligned with
        ``by_channel``).
    by_channel : pandas.DataFrame
        Member × channel engagement weight.

    Returns
    -------
    pandas.DataFrame
        One row per (segment, channel): ``total``, ``mean`` (per member of the segment),
        ``share_of_segment``, ``share_of_channel``, ``gini`` (concentration among the
        segment's members). A ``channel == "all"`` row per segment sums the channels.
    """
    cols = ["segment", "channel", "total", "mean", "share_of_segment", "share_of_channel",
            "gini"]
    if by_channel.shape[1] == 0:
        return pd.DataFrame(columns=cols)
    grid = by_channel.reset_index(drop=True)
    channels = np.array([str(c) for c in grid.columns] + ["all"], dtype=object)
    by_rank = channels[np.argsort(channels, kind="stable")]  # sorted, as groupby sorts
    chan_rank = np.argsort(np.argsort(channels, kind="stable"), kind="stable")
    seg_code, seg_names = pd.factorize(segments["segment"].to_numpy(), sort=True)
    seg_code = seg_code.astype(np.int64)
    # one channel at a time ("all", the row sums, last): arrays of one value per member,
    # never the member x channel long table (9 M rows and +0.9 GB at 1,000,000 members);
    # each (segment, channel) group sums the same values in the same order as over the
    # long table
    parts = []
    for j, rank in enumerate(chan_rank):
        w = grid.iloc[:, j] if j < grid.shape[1] else grid.sum(axis=1)
        w = w.to_numpy(dtype=np.float64)
        g = pd.Series(w).groupby(seg_code, sort=True)
        total = g.sum()
        parts.append(pd.DataFrame({
            "seg": total.index.to_numpy(), "chan": int(rank), "total": total.to_numpy(),
            "mean": g.mean().to_numpy(),
            "gini": _gini_by_group(w, seg_code).reindex(total.index, fill_value=0.0).to_numpy()}))
    out = pd.concat(parts, ignore_index=True).sort_values(["seg", "chan"], kind="mergesort")
    s_idx, c_idx = out["seg"].to_numpy(), out["chan"].to_numpy()
    all_rank = int(chan_rank[-1])
    seg_total = out["total"].to_numpy()[c_idx == all_rank]  # one per segment, in code order
    chan_total = pd.Series(out["total"].to_numpy()).groupby(c_idx).sum()
    st = seg_total[s_idx]
    ct = chan_total.reindex(c_idx).to_numpy()
    out["share_of_segment"] = np.divide(out["total"], st, out=np.zeros(len(out)), where=st > 0)
    out["share_of_channel"] = np.divide(out["total"], ct, out=np.zeros(len(out)), where=ct > 0)
    out = out.drop(columns=["seg", "chan"]).reset_index(drop=True)
    out.insert(0, "channel", by_rank[c_idx])
    out.insert(0, "segment", np.asarray(seg_names, dtype=object)[s_idx])
    return out[cols]


def cluster_groups(Z: np.ndarray, groups: np.ndarray, make_stage, *, min_size: int,
                   outliers: str = "keep", target_outlier_rate: float | None = None):
    """Fit a cluster stage within each group; labels are made unique across groups.

    Groups are visited in role order (:data:`~clusterkit.stages.roles.ROLES`), then any
    other group name sorted. A group smaller than ``min_size`` is one cluster. Noise stays
    :data:`~clusterkit.stages.base.NOISE` unless the outlier policy reassigns it.

    Parameters
    ----------
    Z : ndarray of shape (n, k)
        The reduced feature vectors.
    groups : ndarray of shape (n,)
        Group name per member (the role, or one name for everyone).
    make_stage : callable
        ``make_stage(group_name)`` returns a new, unfitted cluster stage for that group.
    min_size, outliers, target_outlier_rate
        As in :class:`~clusterkit.config.SegmentConfig`.

    Returns
    -------
    labels : ndarray of int64
    membership : ndarray of float64
        The stage's ``probabilities_`` where it has them, else 1.
    k_scores : dict
        Group → the stage's ``k_scores_`` (number of clusters → score), where it has them.
    stages : dict
        Group → the fitted stage.

    Examples
    --------
    >>> from clusterkit.stages.cluster import KMeansCluster
    >>> Z = np.r_[np.zeros((50, 2)), np.ones((50, 2)) * 5, np.ones((5, 2))]
    >>> groups = np.array(["fan"] * 100 + ["blogger"] * 5, dtype=object)
    >>> labels, _, _, _ = cluster_groups(
    ...     Z, groups, lambda g: KMeansCluster(n_clusters=2, random_state=0), min_size=40)
    >>> sorted(np.unique(labels).tolist())  # bloggers: too few to split, one cluster
    [0, 1, 2]
    """
    labels = np.full(len(Z), NOISE, dtype=np.int64)
    membership = np.ones(len(Z), dtype=np.float64)
    k_scores: dict = {}
    stages: dict = {}
    offset = 0
    present = set(groups)
    names = [g for g in ROLES if g in present] + sorted(present - set(ROLES))
    rows = {name: np.flatnonzero(groups == name) for name in names}
    from clusterkit.provenance import side_by_side, usable_cores

    def fit(name):  # one group: its own stage and seed, one OpenMP thread
        from threadpoolctl import threadpool_limits

        idx = rows[name]
        with threadpool_limits(limits=1, user_api="openmp"):
            stage = make_stage(name)
            try:
                stage.fit(Z[idx])
            except DataError as exc:  # say which group: a fixed k fits one, not another
                raise DataError(f"cluster, group {name!r} ({len(idx):,} members): {exc}") \
                    from exc
        lab = merge_small(Z[idx], np.asarray(stage.labels_, dtype=np.int64), min_size)
        return apply_outliers(Z[idx], lab, outliers, target_outlier_rate), stage

    # the groups side by side where the process may use two cores, the largest first
    # (1,000,000 members: the followers are half the step; 15.5 s one after the other,
    # 10.3 s side by side); each depends only on its own rows and seed
    big = [n for n in names if len(rows[n]) >= min_size]
    fitted = dict(zip(big, side_by_side(fit, [(n,) for n in big], usable_cores(),
                                        first=lambda a: -len(rows[a[0]])), strict=True))
    for name in names:  # a loop over groups (at most a handful), not members
        idx = rows[name]
        if name not in fitted:  # fewer than min_size: one cluster
            labels[idx] = offset
            offset += 1
            continue
        lab, stage = fitted[name]
        labels[idx] = np.where(lab >= 0, lab + offset, NOISE)
        offset += int(lab.max(initial=-1)) + 1
        prob = getattr(stage, "probabilities_", None)
        if prob is not None:
            membership[idx] = np.asarray(prob, dtype=np.float64)
        if getattr(stage, "k_scores_", None):
            k_scores[str(name)] = {str(k): float(v) for k, v in stage.k_scores_.items()}
        stages[name] = stage
    return labels, membership, k_scores, stages


def merge_small(Z: np.ndarray, lab: np.ndarray, min_size: int) -> np.ndarray:
    """Move the members of clusters smaller than ``min_size`` to the nearest large cluster.

    Nearest by centroid; the kept clusters are renumbered 0..k-1 in their old order. With no
    cluster of ``min_size`` or more, the group is one cluster. Noise (-1) is left as it is.

    Examples
    --------
    >>> Z = np.array([[0.0], [0.1], [0.2], [5.0], [5.1], [9.0]])
    >>> merge_small(Z, np.array([0, 0, 0, 1, 1, 2]), 2).tolist()  # 2 is alone: joins 1
    [0, 0, 0, 1, 1, 1]
    """
    valid = lab >= 0
    if not valid.any():
        return lab
    k = int(lab.max()) + 1
    counts = np.bincount(lab[valid], minlength=k)
    big = np.flatnonzero(counts >= min_size)
    if len(big) == len(np.flatnonzero(counts)):
        return lab
    if not len(big):
        return np.where(valid, 0, lab)
    centroids = np.column_stack([
        np.bincount(lab[valid], weights=Z[valid, j], minlength=k)
        for j in range(Z.shape[1])  # a loop over dimensions, not members
    ]) / np.maximum(counts, 1)[:, None]
    d = ((Z[:, None, :] - centroids[None, big, :]) ** 2).sum(axis=2)
    target = big[d.argmin(axis=1)]
    keep = np.isin(lab, big)
    out = np.where(valid & ~keep, target, lab)
    new = np.full(k, -1, dtype=np.int64)
    new[big] = np.arange(len(big))
    return np.where(out >= 0, new[np.maximum(out, 0)], out)


def apply_outliers(Z: np.ndarray, lab: np.ndarray, outliers: str = "keep",
                   target_outlier_rate: float | None = None) -> np.ndarray:
    """Apply an outlier policy to one group's cluster labels.

    ``outliers="keep"`` leaves noise as it is; ``"nearest"`` moves each noise member to
    the cluster with the nearest centroid. With ``target_outlier_rate``, exactly that share
    of the group (rounded) become outliers: the members furthest from their cluster's
    centroid (ties by position). A group that is all noise is one cluster around its own
    centroid.

    Examples
    --------
    >>> Z = np.array([[0.0], [0.1], [5.0], [9.0]])
    >>> apply_outliers(Z, np.array([0, 0, 1, -1]), "nearest").tolist()
    [0, 0, 1, 1]
    >>> Z = np.array([[0.0], [0.1], [5.0], [5.5], [9.0]])
    >>> apply_outliers(Z, np.array([0, 0, 1, 1, 1]), "keep", 0.2).tolist()
    [0, 0, 1, 1, -1]
    """
    if outliers == "keep" and target_outlier_rate is None:
        return lab
    valid = lab >= 0
    if not valid.any():  # all noise: the group is one cluster around its own centroid
        if outliers == "keep":
            return lab if target_outlier_rate is None else apply_outliers(
                Z, np.zeros_like(lab), outliers, target_outlier_rate)
        lab, valid = np.zeros_like(lab), np.ones(len(lab), dtype=bool)
    k = int(lab.max()) + 1
    counts = np.bincount(lab[valid], minlength=k).astype(np.float64)
    centroids = np.column_stack([
        np.bincount(lab[valid], weights=Z[valid, j], minlength=k)
        for j in range(Z.shape[1])  # a loop over dimensions, not members
    ]) / np.maximum(counts, 1.0)[:, None]
    dist = ((Z[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    nearest = dist.argmin(axis=1)
    out = np.where(lab < 0, nearest, lab) if outliers == "nearest" else lab.copy()
    if target_outlier_rate is not None:
        assigned = np.where(out >= 0, out, nearest)
        own = dist[np.arange(len(dist)), assigned]
        order = np.lexsort((np.arange(len(own)), -own))  # furthest first, ties by position
        out = assigned.copy()
        out[order[: int(round(target_outlier_rate * len(out)))]] = NOISE
    return out


def segment_table(member_ids, clusters, roles, names: dict, *, communities, engagement,
                  influence, roler, membership, accounts=None) -> pd.DataFrame:
    """The one-row-per-member segments table of the run folder (DESIGN §5).

    Columns: ``member_id, segment, segment_key`` (the segment's stable id,
    :func:`segment_key`), ``role, cluster, community, engagement_weight, influence,
    confidence, membership, outlier, explanation, secondary_role`` and, for a run per
    person, ``accounts``. ``roler`` is the fitted role stage (its ``confidence_``,
    ``explanations_`` and, where it has one, ``secondary_``).
    """
    roles = np.asarray(roles, dtype=object)
    table = pd.DataFrame({
        "member_id": np.asarray(member_ids, dtype=object),
        "segment": pd.Series(clusters).map(names).to_numpy(dtype=object),
        "segment_key": pd.Series(clusters).map(
            {c: segment_key(n) for c, n in names.items()}).to_numpy(dtype=object),
        "role": roles,
        "cluster": clusters,
        "community": communities,
        "engagement_weight": np.asarray(engagement, dtype=np.float64),
        "influence": influence,
        "confidence": np.asarray(roler.confidence_, dtype=np.float64),
        "membership": membership,
        "outlier": clusters == NOISE,
        "explanation": roler.explanations_ if isinstance(  # an Arrow array: not copied
            roler.explanations_, pd.api.extensions.ExtensionArray) else np.asarray(
            roler.explanations_, dtype=object),
        "secondary_role": np.asarray(getattr(roler, "secondary_", roles), dtype=object),
    })
    if accounts is not None:
        table["accounts"] = np.asarray(accounts, dtype=object)
    return table


def build_segments(data, features: pd.DataFrame, transformed: pd.DataFrame, clusters, groups,
                   roler, *, membership, communities, scorer, influence,
                   per_person: bool = False, zscores: pd.DataFrame | None = None):
    """The segments step: defining features, names, the segments table and its summaries.

    Parameters
    ----------
    data : CommunityData
        The (per-person, when resolved) data of the run.
    features, transformed : pandas.DataFrame
        The raw and the transformed member × feature tables.
    clusters, groups : ndarray
        From :func:`cluster_groups`, and the groups it clustered within.
    roler : fitted role stage
    membership : ndarray
        Cluster membership probability per member.
    communities : ndarray
        Community label per member.
    scorer : fitted engagement scoring stage (``scores_``, ``by_channel_``)
    influence : ndarray
        Combined influence per member.
    per_person : bool
        The run is per person: add each person's ``accounts``.
    zscores : pandas.DataFrame, optional
        :func:`cluster_zscores` of ``transformed`` when already computed (a whole run reads
        them at its cluster step and lets ``transformed``, then None, go).

    Returns
    -------
    segments, summary, segment_engagement : pandas.DataFrame
    """
    X = features
    roles = np.asarray(roler.roles_, dtype=object)
    z = cluster_zscores(transformed, clusters, groups) if zscores is None else zscores
    defining = defining_features(z)
    single = sum(c.startswith("chan_") for c in X.columns) <= 1
    activity = z["engagement"].to_dict() if "engagement" in z.columns else None
    names = name_segments(clusters, roles, defining, unnamed=frozenset(
        {"n_channels", "channel_entropy"} if single else ()), activity=activity)
    accounts = (data.members["member_ids"] if per_person and data.members is not None
                and "member_ids" in data.members.columns else None)
    segments = segment_table(data.member_ids.to_numpy(dtype=object), clusters, roles, names,
                             communities=communities, engagement=scorer.scores_,
                             influence=influence, roler=roler, membership=membership,
                             accounts=accounts)
    summary = segment_summary(segments, X, defining)
    by_channel = getattr(scorer, "by_channel_", pd.DataFrame())
    seg_engagement = segment_channel_engagement(segments, by_channel)
    if len(seg_engagement):
        whole = seg_engagement[seg_engagement["channel"] == "all"].set_index("segment")
        summary["engagement_gini"] = whole["gini"].reindex(summary["segment"]).to_numpy()
    return segments, summary, seg_engagement
