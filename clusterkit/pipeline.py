"""The pipeline: a config becomes stages; ``run(data)`` gives a :class:`RunResult`.

:meth:`Pipeline.run` is one call per step of DESIGN §1, each with its inputs named, and can
stop after any step (``until="features"``), returning the :class:`RunState` computed so far.
Every stage receives what it needs explicitly: the data, the feature table, the graph, and
the run's one :class:`~clusterkit.weights.EngagementWeights`. A stage with a
``random_state`` parameter that the config leaves unset gets a seed derived from the run
seed and its step name (:func:`~clusterkit.stages.base.derive_seed`), and the seeds are
recorded in the manifest.

Examples
--------
>>> from clusterkit.synthetic import generate
>>> from clusterkit.data import CommunityData
>>> from clusterkit.pipeline import Pipeline
>>> data = CommunityData.from_frames(**generate(300, seed=1).tables)
>>> state = Pipeline().run(data, until="features")
>>> state.features.shape[0] == data.n_members
True
>>> sorted(Pipeline().run(data).segments["role"].unique())  # doctest: +SKIP
['blogger', 'fan', 'follower', 'influencer']
"""

from __future__ import annotations

import json
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from clusterkit.config import RunConfig, StageSpec, config_hash
from clusterkit.data.cache import FingerprintCache
from clusterkit.data.coverage import coverage_warnings
from clusterkit.engines.tier import choose_engine
from clusterkit.errors import ConfigError, DataError, did_you_mean
from clusterkit.provenance import StepClock, peak_rss_mb, versions
from clusterkit.registry import create_stage
from clusterkit.stages.base import derive_seed

__all__ = ["STEPS", "Pipeline", "RunState", "community_cache_key", "features_cache_key",
           "graph_cache_key", "roles_cache_key", "scoring_cache_key"]

STEPS = ("features", "transform", "reduce", "roles", "cluster", "community", "scoring",
         "segments", "attribution")
"""Steps in order (a whole run does "attribution" first); ``until`` takes them and "identity"."""


@dataclass
class RunState:
    """What a run has computed so far; :meth:`Pipeline.run` with ``until`` returns it.

    Fields are filled step by step (``None`` before their step): ``data`` (per person
    after identity resolution), ``identity`` (a :class:`~clusterkit.identity.Resolution`),
    ``engine`` (:func:`~clusterkit.engines.tier.choose_engine`), ``features`` (member ×
    feature), ``transformed``, ``embedding``, ``roles`` and ``influence`` (fitted stages),
    and the rest by name. ``whole``: a whole run, which lets go of what its result does not
    keep as soon as it is used (the transformed table and all but two columns of the
    embedding after the cluster step, which then reads the clusters' z-scores and quality
    for the segments step; the member graph after the community step).
    """

    data: object
    weights: object
    warnings: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    memory: dict = field(default_factory=dict)
    identity: object = None
    engine: object = None
    whole: bool = False
    features: pd.DataFrame | None = None
    transformed: pd.DataFrame | None = None
    embedding: np.ndarray | None = None
    roles: object = None
    groups: np.ndarray | None = None
    clusters: np.ndarray | None = None
    membership: np.ndarray | None = None
    k_scores: dict = field(default_factory=dict)
    zscores: pd.DataFrame | None = None
    cluster_quality: dict | None = None
    graph: object = None
    communities: np.ndarray | None = None
    graph_metrics: dict = field(default_factory=dict)
    scorer: object = None
    influence: object = None
    segments: pd.DataFrame | None = None
    summary: pd.DataFrame | None = None
    segment_engagement: pd.DataFrame | None = None
    metrics: dict = field(default_factory=dict)
    attribution: dict = field(default_factory=dict)


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

    def run(self, data, progress=None, cache=None, until=None, detail=None):
        """Run the steps on ``data``; a :class:`~clusterkit.results.RunResult` at the end.

        Parameters
        ----------
        data : CommunityData
            Validated input.
        progress : callable, optional
            Called with each step name (see :data:`STEPS`) as the step starts.
        cache : dict, optional
            Shared between runs on the *same* ``data`` (a sweep), keyed with its fingerprint:
            features and member graph reused when their settings are equal; a fitted role,
            community or scoring stage found there (``*_cache_key``: the Spark run's) is the
            run's, never stored by the run.
        until : str, optional
            Stop after this step (``"identity"`` or a :data:`STEPS` name): a RunState so far.
        detail : callable, optional
            Called with ``(step, text)`` in a step (:func:`~clusterkit.provenance.step_detail`).
        """
        cfg = self.config.check_stages()
        last = _check_until(until)
        s = RunState(data=data, weights=cfg.engagement_weights(), whole=last is None,
                     warnings=list(data.warnings) + coverage_warnings(data))
        self.stages_ = {}
        step = StepClock(s.timings, s.memory, progress, detail)
        if cfg.identity.enabled:  # accounts -> persons; the run is then per person
            with step("identity", report=False):
                s.data, s.identity = self._identity(data, s.warnings)
        if last == "identity":
            return s
        if s.data.n_members < 2:  # nothing to cluster, rank or compare: say so, in one line
            raise DataError(
                f"the data hold {s.data.n_members} member(s): a run needs at least 2 (members "
                "act in events or follow in follows; accounts only acted on are outside).")
        cached, labels = FingerprintCache(cache, s.data), self._labels(s.data)  # fail early
        s.engine = choose_engine(cfg.engine, s.data.n_members)  # :mod:`clusterkit.engines.tier`
        first = self._attribution_first(s, step) if last is None else None
        for name, call in (
            ("features", lambda: self._features(s.data, s.weights, cached, s.warnings)),
            ("transform", lambda: self._transform(s.features)),
            ("reduce", lambda: self._reduce(s.transformed)),
            ("roles", lambda: self._roles(s.features, s.data, s.weights, labels, cached)),
            ("cluster", lambda: self._cluster(s)),
            ("community", lambda: self._community(s, cached)),
            ("scoring", lambda: self._scoring(s, cached)),
            ("segments", lambda: self._segments(s)),
            ("attribution", lambda: self._attribution(s.data, s.warnings)),
        ):
            if last in STEPS[: STEPS.index(name)]:
                return s
            if name == "attribution":  # the last step: drop what the result does not keep
                s.graph = s.transformed = None  # with the embedding, 1.5 GB at 1 M members
                s.embedding = np.ascontiguousarray(s.embedding[:, :2])
                if first is not None:  # computed first or beside; its warnings come last
                    s.attribution, found = first.result()
                    s.warnings.extend(found)
                    break
            with step(name):
                _assign(s, name, call())
        return self._result(s)

    def _stage(self, kind: str, spec: StageSpec, step: str):  # below: one method per step
        """Create a registered stage; an unset ``random_state`` is derived from the seed."""
        stage = create_stage(kind, spec.name, spec.params)
        if "random_state" in stage.get_params(deep=False) and "random_state" not in spec.params:
            stage.set_params(random_state=derive_seed(self.config.seed, step))
        return stage

    def _identity(self, data, warnings: list):
        from clusterkit.identity import resolve_identities, to_person_data

        cfg = self.config
        resolution = resolve_identities(data, cfg.identity.linkage(),
                                        seed=derive_seed(cfg.seed, "identity"))
        warnings += [f"identity: {w}" for w in resolution.warnings]
        return to_person_data(data, resolution), resolution

    def _features(self, data, weights, cached, warnings: list):
        from clusterkit.features import build_features

        X, built_warnings = cached(features_cache_key(self.config), lambda: build_features(
            data, self._feature_specs(), weights=weights))
        warnings += built_warnings
        return X

    def _feature_specs(self) -> list:
        """``(builder, params)`` of the config's feature builders, random states derived."""
        return [(s.name, self._stage("features", s, f"features.{i}").get_params(deep=False))
                for i, s in enumerate(self.config.features)]

    def _transform(self, X):
        for i, spec in enumerate(self.config.transform):
            stage = self.stages_[f"transform.{i}"] = self._stage("transform", spec,
                                                                 f"transform.{i}")
            X = stage.fit(X).transform(X)
        return X

    def _reduce(self, Xt):
        reducer = self.stages_["reduce"] = self._stage("reduce", self.config.reduce, "reduce")
        return np.asarray(reducer.fit_transform(Xt.to_numpy(dtype=np.float64)))

    def _labels(self, data):
        """The user's known roles (``labels_file``), checked against the data, or None."""
        if not self.config.labels_file:
            return None
        from clusterkit.data.labels import load_labels

        return load_labels(self.config.labels_file, data)

    def _roles(self, X, data, weights, labels, cached):
        roler = self._stage("roles", self.config.roles, "roles")
        given = None if labels is not None else cached.given(roles_cache_key(self.config))
        if given is not None:  # fitted elsewhere on the same table (the Spark run's)
            roler = given
        elif labels is not None:  # semi-supervised: calibrate on the user's labels
            from clusterkit.stages.roles.calibrate import calibrate_roles

            roler, _ = calibrate_roles(roler, X, labels, data=data, weights=weights,
                                       random_state=derive_seed(self.config.seed, "labels"),
                                       model=self.config.labels_model)
        else:
            roler.fit(X, data=data, weights=weights)
        self.stages_["roles"] = roler
        return roler

    def _cluster(self, s: RunState):
        from threadpoolctl import threadpool_limits

        from clusterkit.metrics import cluster_quality
        from clusterkit.segments import cluster_groups, cluster_zscores

        cfg, Z = self.config, s.embedding
        roles = np.asarray(s.roles.roles_, dtype=object)
        groups = roles if cfg.segments.by == "role" else np.full(len(Z), "all", object)
        # scikit-learn's OpenMP k-means is slower with 2 threads than 1 on small, repeated
        # fits (measured 2x on 20,000 x 12); one thread is also immune to oversubscription.
        with threadpool_limits(limits=1, user_api="openmp"):
            labels, membership, k_scores, stages = cluster_groups(
                Z, groups, lambda g: self._stage("cluster", cfg.cluster, f"cluster.{g}"),
                min_size=cfg.segments.min_size, outliers=cfg.segments.outliers,
                target_outlier_rate=cfg.segments.target_outlier_rate)
        self.stages_.update({f"cluster.{g}": st for g, st in stages.items()})
        # a whole run reads now what the segments step needs of the transformed table and
        # the embedding, and lets them go (_assign): 0.5 GB at 1,000,000 members
        early = (cluster_zscores(s.transformed, labels, groups),
                 cluster_quality(Z, labels, random_state=cfg.seed)) if s.whole else None
        return groups, labels, membership, k_scores, early

    def _community(self, s: RunState, cached):
        """The member graph, its communities and their metrics (the stage as the engine
        tier says: :mod:`clusterkit.engines.tier`)."""
        from clusterkit.graph import member_graph
        from clusterkit.metrics import community_quality, graph_summary

        given = cached.given(community_cache_key(self.config))
        if given is not None:  # found where the graph is (the Spark run's, too large for here)
            stage, quality = given
            self.stages_["community"] = stage
            self._isolate_warning(s, quality["graph"]["isolated_share"])
            return None, np.asarray(stage.labels_, dtype=np.int64), quality
        g = self.config.graph
        graph = cached(graph_cache_key(self.config), lambda: member_graph(
            s.data, follow_weight=g.follow_weight, interaction_weight=g.interaction_weight,
            hub_damping=g.hub_damping))
        name, params = s.engine.community(self.config.community.name, self.config.community.params)
        stage = self._stage("community", StageSpec(name=name, params=params), "community")
        stage.fit(graph)
        self.stages_["community"] = stage
        self._isolate_warning(
            s, float(np.mean(np.diff(graph.indptr) == 0)) if graph.shape[0] else 0.0)
        labels = np.asarray(stage.labels_, dtype=np.int64)
        # its metrics now: a whole run lets go of the graph (0.7 GB at 1 M members) here
        quality = {"community": {"stage": name, **community_quality(graph, labels)},
                   "graph": graph_summary(graph)}
        return None if s.whole else graph, labels, quality

    @staticmethod
    def _isolate_warning(s: RunState, isolated: float) -> None:
        if isolated >= 0.05:
            s.warnings.append(f"community: {isolated:.0%} of members have no follow or "
                              "interaction with another member; their community is -2 "
                              "(isolate).")

    def _scoring(self, s: RunState, cached):
        from clusterkit.stages.scoring.influence import InfluenceScoring

        cfg, data, X, weights, warnings = self.config, s.data, s.features, s.weights, s.warnings
        given = cached.given(scoring_cache_key(cfg))  # the Spark run's data-wide parts
        scorer, parts = given if given is not None else (
            self._stage("scoring", cfg.scoring, "scoring").fit(data, weights=weights), None)
        influence = InfluenceScoring(component_weights=dict(cfg.influence_weights) or None,
                                     random_state=derive_seed(cfg.seed, "influence"))
        self.stages_["scoring"] = scorer
        influence.fit(data, X, weights=weights, given=parts)
        warnings += [f"influence: {note}" for note in influence.table_.attrs.get("notes", [])
                     if not note.startswith(("views", "platform_followers", "account_age"))]
        return scorer, influence

    def _segments(self, s: RunState):
        from clusterkit.segments import build_segments

        segments, summary, seg_engagement = build_segments(
            s.data, s.features, s.transformed, s.clusters, s.groups, s.roles,
            membership=s.membership, communities=s.communities, scorer=s.scorer,
            influence=s.influence.scores_, per_person=s.identity is not None,
            zscores=s.zscores)
        return segments, summary, seg_engagement, self._metrics(s)

    def _metrics(self, s: RunState) -> dict:
        """Quality metrics of every stage (``metrics.json``)."""
        from clusterkit.metrics import cluster_quality

        cfg, roles, roler = self.config, np.asarray(s.roles.roles_, dtype=object), s.roles
        return {
            "cluster": {"stage": cfg.cluster.name,
                        **(s.cluster_quality or cluster_quality(
                            s.embedding, s.clusters, random_state=cfg.seed)),
                        "segments_by": cfg.segments.by,
                        **({"k_scores": s.k_scores} if s.k_scores else {})},
            "community": s.graph_metrics["community"],  # the stage that ran, its quality
            "roles": {"stage": cfg.roles.name,
                      "counts": {r: int((roles == r).sum()) for r in
                                 ("influencer", "blogger", "fan", "follower")},
                      "mean_confidence": float(np.mean(roler.confidence_)),
                      **{key: getattr(roler, attr) for key, attr in (
                          ("thresholds", "thresholds_"), ("labels", "calibration_"))
                         if hasattr(roler, attr)}},
            "scoring": {"stage": cfg.scoring.name,
                        "engagement_total": float(np.sum(s.scorer.scores_))},
            "graph": s.graph_metrics["graph"],
            "influence": {"components": s.influence.table_.attrs.get("components", {}),
                          "notes": s.influence.table_.attrs.get("notes", [])},
        }

    def _attribution_first(self, s: RunState, step):
        """A whole run attributes first, while little but the data is held (at 1 M members
        its peak sat on ~7 GB when it came last), or beside the other steps in a second
        thread (``engine.attribution_beside``). A future of ``(outputs, its warnings)``."""
        found, done = [], Future()
        if s.engine.attribution_beside:
            return step.beside("attribution", lambda: (self._attribution(s.data, found), found))
        with step("attribution"):
            done.set_result((self._attribution(s.data, found), found))
        return done

    def _attribution(self, data, warnings: list):
        cfg = self.config.attribution
        if not cfg.enabled:
            return {}
        from clusterkit.attribution.outputs import step_outputs

        return step_outputs(data, cfg.settings(derive_seed(self.config.seed, "attribution")),
                            warnings)

    def _result(self, s: RunState):
        from clusterkit.results import RunResult

        cfg, data, Z = self.config, s.data, s.embedding
        embedding = Z[:, :2] if Z.shape[1] >= 2 else np.column_stack(
            [Z[:, 0] if Z.shape[1] else np.zeros(len(Z)), np.zeros(len(Z))])
        manifest = {
            "name": cfg.name, "config": cfg.resolved(), "config_hash": config_hash(cfg),
            "data_fingerprint": data.fingerprint(), "seed": cfg.seed,
            "step_seeds": {k: derive_seed(cfg.seed, k) for k in
                           ("reduce", "cluster", "community", "roles")},
            "versions": versions(), "timings_s": s.timings,
            "peak_memory_mb": {**s.memory, "run": round(peak_rss_mb(), 1)},
            "warnings": s.warnings, "n_members": int(data.n_members),
            "n_events": int(len(data.events)) if data.events is not None else 0,
            "n_follows": int(len(data.follows)) if data.follows is not None else 0,
            "n_outside_accounts": int(len(data.outside_ids)), "sources": dict(data.sources),
            "engine": s.engine.manifest(s.metrics["community"]["stage"]),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        if s.identity is not None:
            manifest["identity"] = {**s.identity.summary(), "timings_s": s.identity.timings}
        return RunResult(segments=s.segments, summary=s.summary, features=s.features,
                         embedding=np.ascontiguousarray(embedding, dtype=np.float64),
                         metrics=s.metrics, manifest=manifest,
                         engagement_by_channel=getattr(s.scorer, "by_channel_", pd.DataFrame()),
                         influence=s.influence.table_, segment_engagement=s.segment_engagement,
                         identity=s.identity, attribution=s.attribution)


def features_cache_key(config: RunConfig) -> str:
    """The cache key of a config's feature table (how the Spark run gives its table)."""
    return json.dumps(["features", Pipeline(config)._feature_specs(),
                       asdict(config.engagement_weights())], sort_keys=True, default=str)


def roles_cache_key(config: RunConfig) -> str:
    """The cache key of a config's fitted role stage, on its feature table (how the Spark
    run gives the roles it computed per partition)."""
    return json.dumps(["roles", features_cache_key(config), config.roles.model_dump()],
                      sort_keys=True, default=str)


def scoring_cache_key(config: RunConfig) -> str:
    """The cache key of a config's fitted scoring stage and the influence components read
    from every event and follow (how the Spark run gives what it scored on Spark)."""
    return json.dumps(["scoring", features_cache_key(config), config.scoring.model_dump(),
                       derive_seed(config.seed, "influence")], sort_keys=True, default=str)


def community_cache_key(config: RunConfig) -> str:
    """The cache key of a config's fitted community stage and its quality (how the Spark
    run gives the communities it found on a graph too large for the driver)."""
    return json.dumps(["community", graph_cache_key(config), config.community.model_dump()],
                      sort_keys=True, default=str)


def graph_cache_key(config: RunConfig) -> str:
    """The cache key of the member graph a config builds (shared with experiment sweeps)."""
    return json.dumps(["graph", config.graph.model_dump()], sort_keys=True)


def _check_until(until):
    steps = ("identity", *STEPS)
    if until is not None and until not in steps:
        raise ConfigError(f"until={until!r} is not a step.{did_you_mean(until, steps)} "
                          f"Steps: {', '.join(steps)}.")
    return until


def _assign(s: RunState, name: str, value) -> None:
    """Store a step's outputs on the run state."""
    if name == "cluster":
        s.groups, s.clusters, s.membership, s.k_scores, early = value
        if early is not None:  # a whole run: what is left of them is not read again
            s.zscores, s.cluster_quality = early
            s.transformed, s.embedding = None, np.ascontiguousarray(s.embedding[:, :2])
    elif name == "community":
        s.graph, s.communities, s.graph_metrics = value
    elif name == "scoring":
        s.scorer, s.influence = value
    elif name == "segments":
        s.segments, s.summary, s.segment_engagement, s.metrics = value
    else:
        setattr(s, {"transform": "transformed", "reduce": "embedding"}.get(name, name), value)

