"""The pipeline: a config becomes stages; ``run(data)`` gives a :class:`RunResult`.

Examples
--------
>>> from clusterkit.synthetic.community import generate
>>> from clusterkit.data import CommunityData
>>> from clusterkit.pipeline import Pipeline
>>> data = CommunityData.from_frames(**generate(300, seed=1).tables)
>>> result = Pipeline().run(data)
>>> sorted(result.segments["role"].unique())  # doctest: +SKIP
['blogger', 'fan', 'follower', 'influencer']
"""

from __future__ import annotations

import inspect
import json
import platform
import resource
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

import numpy as np
import pandas as pd

from clusterkit.config import RunConfig, StageSpec, config_hash
from clusterkit.registry import create_stage, get_stage
from clusterkit.stages.base import NOISE, derive_seed
from clusterkit.stages.roles import ROLES

__all__ = ["STEPS", "Pipeline"]

STEPS = ("features", "transform", "reduce", "roles", "cluster", "community", "scoring",
         "segments", "attribution")
"""Pipeline steps in order (progress callbacks receive these names)."""

_VERSIONED = ("clusterkit", "numpy", "pandas", "scikit-learn", "scipy", "igraph", "leidenalg",
              "python-louvain", "duckdb", "pyarrow", "hdbscan", "umap-learn", "networkx",
              "statsmodels", "splink")


def _versions(names=_VERSIONED) -> dict:
    """Python's version and the installed version of each named package (None if absent)."""
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Pipeline:
    """Runs the whole chain of DESIGN §1 from a :class:`~clusterkit.config.RunConfig`.

    Parameters
    ----------
    config : RunConfig, optional
        Defaults to ``RunConfig()`` (the same as ``configs/default.yaml``).

    Attributes
    ----------
    stages_ : dict
        The fitted stage objects of the last run, by step.
    """

    def __init__(self, config: RunConfig | None = None):
        self.config = config if config is not None else RunConfig()

    def _make(self, kind: str, spec: StageSpec, step: str):
        cfg = self.config
        params = dict(spec.params)
        names = get_stage(kind, spec.name)._get_param_names()
        actions, pairs = self._weights
        shared = {"weights": actions or None, "default_weight": cfg.default_weight,
                  "channel_weights": dict(cfg.channel_weights) or None,
                  "pair_weights": pairs or None,
                  "half_life_days": cfg.half_life_days,
                  "random_state": derive_seed(cfg.seed, step)}
        for key, value in shared.items():
            if key in names and key not in params:
                params[key] = value
        return create_stage(kind, spec.name, params)

    def _cluster(self, Z: np.ndarray, groups: np.ndarray):
        """Fit the cluster stage within each group; labels are made unique across groups.

        Groups smaller than ``segments.min_size`` (or than the stage can split) are one
        cluster each. Noise stays ``-1``. Returns labels, membership and k scores per group.
        """
        cfg = self.config
        labels = np.full(len(Z), NOISE, dtype=np.int64)
        membership = np.ones(len(Z), dtype=np.float64)
        k_scores: dict = {}
        offset = 0
        names = [g for g in ROLES if g in set(groups)] + sorted(set(groups) - set(ROLES))
        for name in names:  # a loop over groups (at most a handful), not members
            idx = np.flatnonzero(groups == name)
            if len(idx) < cfg.segments.min_size:
                labels[idx] = offset
                offset += 1
                continue
            stage = self._make("cluster", cfg.cluster, f"cluster.{name}")
            stage.fit(Z[idx])
            lab = self._outliers(Z[idx], np.asarray(stage.labels_, dtype=np.int64))
            labels[idx] = np.where(lab >= 0, lab + offset, NOISE)
            offset += int(lab.max(initial=-1)) + 1
            prob = getattr(stage, "probabilities_", None)
            if prob is not None:
                membership[idx] = np.asarray(prob, dtype=np.float64)
            if getattr(stage, "k_scores_", None):
                k_scores[str(name)] = {str(k): float(v) for k, v in stage.k_scores_.items()}
            self.stages_[f"cluster.{name}"] = stage
        return labels, membership, k_scores

    def _outliers(self, Z: np.ndarray, lab: np.ndarray) -> np.ndarray:
        """Apply ``segments.outliers`` and ``segments.target_outlier_rate`` to one group."""
        seg = self.config.segments
        if seg.outliers == "keep" and seg.target_outlier_rate is None:
            return lab
        valid = lab >= 0
        if not valid.any():  # all noise: the group is one cluster around its own centroid
            if seg.outliers == "keep":
                return lab if seg.target_outlier_rate is None else self._outliers(
                    Z, np.zeros_like(lab))
            lab, valid = np.zeros_like(lab), np.ones(len(lab), dtype=bool)
        k = int(lab.max()) + 1
        counts = np.bincount(lab[valid], minlength=k).astype(np.float64)
        centroids = np.column_stack([
            np.bincount(lab[valid], weights=Z[valid, j], minlength=k)
            for j in range(Z.shape[1])  # a loop over dimensions, not members
        ]) / np.maximum(counts, 1.0)[:, None]
        dist = ((Z[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
        nearest = dist.argmin(axis=1)
        out = np.where(lab < 0, nearest, lab) if seg.outliers == "nearest" else lab.copy()
        if seg.target_outlier_rate is not None:
            assigned = np.where(out >= 0, out, nearest)
            own = dist[np.arange(len(dist)), assigned]
            order = np.lexsort((np.arange(len(own)), -own))  # furthest first, ties by position
            out = assigned.copy()
            out[order[: int(round(seg.target_outlier_rate * len(out)))]] = NOISE
        return out

    def run(self, data, progress=None, cache: dict | None = None):
        """Run every step on ``data`` and return a :class:`~clusterkit.results.RunResult`.

        Parameters
        ----------
        data : CommunityData
            Validated input.
        progress : callable, optional
            Called with each step name (see :data:`STEPS`) as the step starts.
        cache : dict, optional
            Shared between runs on the *same* ``data`` (a sweep): the feature table and the
            member graph are reused when the settings they depend on are equal. Keys include
            the data fingerprint, so a cache is never reused across datasets by mistake.
        """
        from clusterkit.features import build_features
        from clusterkit.graph import member_graph
        from clusterkit.metrics import cluster_quality, community_quality
        from clusterkit.results import RunResult
        from clusterkit.segments import (
            cluster_zscores,
            defining_features,
            name_segments,
            segment_channel_engagement,
            segment_summary,
        )
        from clusterkit.stages.scoring.influence import influence_table

        cfg = self.config.check_stages()
        self._weights = cfg.action_weights()
        resolution = None
        if cfg.identity.enabled:  # accounts -> persons; the run is then per person
            from clusterkit.identity import resolve_identities, to_person_data

            t0 = time.perf_counter()
            resolution = resolve_identities(data, cfg.identity.linkage(),
                                            seed=derive_seed(cfg.seed, "identity"))
            data = to_person_data(data, resolution)
            identity_s = round(time.perf_counter() - t0, 4)
        timings: dict[str, float] = {}
        memory: dict[str, float] = {}
        warnings = list(data.warnings)
        if resolution is not None:
            timings["identity"] = identity_s
            warnings += [f"identity: {w}" for w in resolution.warnings]
        self.stages_ = {}

        @contextmanager
        def step(name):
            if progress is not None:
                progress(name)
            t0 = time.perf_counter()
            yield
            timings[name] = round(time.perf_counter() - t0, 4)
            memory[name] = round(_peak_mb(), 1)

        fingerprint = None

        def cached(key, make):
            nonlocal fingerprint
            if cache is None:
                return make()
            if fingerprint is None:
                fingerprint = data.fingerprint()
            full = (fingerprint, key)
            if full not in cache:
                cache[full] = make()
            return cache[full]

        with step("features"):
            specs = []
            for i, s in enumerate(cfg.features):
                stage = self._make("features", s, f"features.{i}")
                specs.append((s.name, stage.get_params(deep=False)))
            key = json.dumps(["features", specs], sort_keys=True, default=str)
            X, feat_warnings = cached(key, lambda: build_features(data, specs))
            warnings += feat_warnings
        with step("transform"):
            Xt = X
            for i, s in enumerate(cfg.transform):
                stage = self._make("transform", s, f"transform.{i}")
                Xt = stage.fit(Xt).transform(Xt)
                self.stages_[f"transform.{i}"] = stage
        with step("reduce"):
            reducer = self._make("reduce", cfg.reduce, "reduce")
            Z = np.asarray(reducer.fit_transform(Xt.to_numpy(dtype=np.float64)))
            self.stages_["reduce"] = reducer
        with step("roles"):
            roler = self._make("roles", cfg.roles, "roles")
            # structural role methods (RolX) also read the graph: fit(features, data=...)
            takes_data = "data" in inspect.signature(roler.fit).parameters
            roler = roler.fit(X, data=data) if takes_data else roler.fit(X)
            roles = np.asarray(roler.roles_, dtype=object)
            self.stages_["roles"] = roler
        with step("cluster"):
            from threadpoolctl import threadpool_limits

            groups = roles if cfg.segments.by == "role" else np.full(len(Z), "all", object)
            # scikit-learn's OpenMP k-means is slower with 2 threads than 1 on small, repeated
            # fits (measured 2x on 20,000 x 12); one thread is also immune to oversubscription.
            with threadpool_limits(limits=1, user_api="openmp"):
                clusters, membership, k_scores = self._cluster(Z, groups)
        with step("community"):
            g = cfg.graph
            graph = cached(json.dumps(["graph", g.model_dump()], sort_keys=True),
                           lambda: member_graph(data, follow_weight=g.follow_weight,
                                                interaction_weight=g.interaction_weight,
                                                hub_damping=g.hub_damping))
            community = self._make("community", cfg.community, "community").fit(graph)
            communities = np.asarray(community.labels_, dtype=np.int64)
            self.stages_["community"] = community
        with step("scoring"):
            scorer = self._make("scoring", cfg.scoring, "scoring").fit(data)
            influence_tab = influence_table(
                data, X, weights=dict(cfg.influence_weights) or None,
                random_state=derive_seed(cfg.seed, "influence"),
                action_weights=self._weights[0] or None, default_weight=cfg.default_weight)
            influence = influence_tab["influence"].to_numpy()
            self.stages_["scoring"] = scorer
        with step("segments"):
            z = cluster_zscores(Xt, clusters, groups)
            defining = defining_features(z)
            single = sum(c.startswith("chan_") for c in X.columns) <= 1
            activity = z["engagement"].to_dict() if "engagement" in z.columns else None
            names = name_segments(clusters, roles, defining, unnamed=frozenset(
                {"n_channels", "channel_entropy"} if single else ()), activity=activity)
            segments = pd.DataFrame({
                "member_id": data.member_ids.to_numpy(dtype=object),
                "segment": pd.Series(clusters).map(names).to_numpy(dtype=object),
                "role": roles,
                "cluster": clusters,
                "community": communities,
                "engagement_weight": np.asarray(scorer.scores_, dtype=np.float64),
                "influence": influence,
                "confidence": np.asarray(roler.confidence_, dtype=np.float64),
                "membership": membership,
                "outlier": clusters == NOISE,
                "explanation": np.asarray(roler.explanations_, dtype=object),
                "secondary_role": np.asarray(getattr(roler, "secondary_", roles), dtype=object),
            })
            if resolution is not None and "member_ids" in data.members.columns:
                segments["accounts"] = data.members["member_ids"].to_numpy(dtype=object)
            summary = segment_summary(segments, X, defining)
            seg_engagement = segment_channel_engagement(
                segments, getattr(scorer, "by_channel_", pd.DataFrame()))
            if len(seg_engagement):
                whole = seg_engagement[seg_engagement["channel"] == "all"].set_index("segment")
                summary["engagement_gini"] = whole["gini"].reindex(summary["segment"]).to_numpy()
            metrics = {
                "cluster": {"stage": cfg.cluster.name,
                            **cluster_quality(Z, clusters, random_state=cfg.seed),
                            "segments_by": cfg.segments.by,
                            **({"k_scores": k_scores} if k_scores else {})},
                "community": {"stage": cfg.community.name,
                              **community_quality(graph, communities)},
                "roles": {"stage": cfg.roles.name,
                          "counts": {r: int((roles == r).sum()) for r in
                                     ("influencer", "blogger", "fan", "follower")},
                          "mean_confidence": float(np.mean(roler.confidence_)),
                          **({"thresholds": roler.thresholds_}
                             if hasattr(roler, "thresholds_") else {})},
                "scoring": {"stage": cfg.scoring.name,
                            "engagement_total": float(np.sum(scorer.scores_))},
                "graph": {"n_edges": int(graph.nnz // 2),
                          "total_weight": float(graph.sum() / 2)},
            }
        attribution: dict = {}
        with step("attribution"):
            if cfg.attribution.enabled:
                from clusterkit.attribution import attribution_outputs

                attribution = attribution_outputs(
                    data, cfg.attribution.settings(derive_seed(cfg.seed, "attribution")),
                    missing="skip")
                if not attribution:
                    warnings.append("attribution: no conversion event ("
                                    + ", ".join(cfg.attribution.conversions)
                                    + "); journeys and attribution skipped.")
        embedding = Z[:, :2] if Z.shape[1] >= 2 else np.column_stack(
            [Z[:, 0] if Z.shape[1] else np.zeros(len(Z)), np.zeros(len(Z))])
        manifest = {
            "name": cfg.name,
            "config": cfg.resolved(),
            "config_hash": config_hash(cfg),
            "data_fingerprint": data.fingerprint(),
            "seed": cfg.seed,
            "step_seeds": {k: derive_seed(cfg.seed, k) for k in
                           ("reduce", "cluster", "community", "roles")},
            "versions": _versions(),
            "timings_s": timings,
            "peak_memory_mb": memory,
            "warnings": warnings,
            "n_members": int(data.n_members),
            "n_events": int(len(data.events)) if data.events is not None else 0,
            "n_follows": int(len(data.follows)) if data.follows is not None else 0,
            "n_outside_accounts": int(len(data.outside_ids)),
            "sources": dict(data.sources),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        if resolution is not None:
            manifest["identity"] = {**resolution.summary(), "timings_s": resolution.timings}
        return RunResult(segments=segments, summary=summary, features=X,
                         embedding=np.ascontiguousarray(embedding, dtype=np.float64),
                         metrics=metrics, manifest=manifest,
                         engagement_by_channel=getattr(scorer, "by_channel_", pd.DataFrame()),
                         influence=influence_tab, segment_engagement=seg_engagement,
                         data=data, identity=resolution, attribution=attribution)
