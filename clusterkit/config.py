"""Run configuration: pydantic models for the YAML files in ``configs/``.

Unknown keys are errors, stage names are checked against the registry (with "did you mean"),
and stage parameters against the stage's signature. ``RunConfig()`` *is* the default
configuration; ``configs/default.yaml`` is its YAML form (a test keeps the two equal).

Examples
--------
>>> from clusterkit.config import RunConfig, apply_overrides
>>> cfg = RunConfig()
>>> cfg.community.name
'leiden'
>>> apply_overrides(cfg, ["cluster.params.n_clusters=5", "seed=7"]).seed
7
"""

from __future__ import annotations

import json
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from clusterkit.attribution.outputs import AttributionConfig
from clusterkit.data.yaml_files import non_plain, read_yaml_mapping, validation_message
from clusterkit.engines.tier import EngineConfig
from clusterkit.errors import ConfigError
from clusterkit.identity.config import IdentityConfig
from clusterkit.provenance import config_hash
from clusterkit.weights import EngagementWeights, check_component_weights

__all__ = [
    "AttributionSection", "EngineConfig", "GraphConfig", "IdentitySection", "ReportConfig",
    "SegmentConfig", "RunConfig", "StageSpec", "apply_overrides", "config_hash", "load_config",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StageSpec(_Strict):
    """A stage by registered name, with its parameters."""

    name: str
    params: dict[str, Any] = Field(default_factory=dict)

    @field_validator("params")
    @classmethod
    def _plain(cls, params):  # an estimator object → its import path and params (recordable)
        if isinstance(params.get("estimator"), str | None):
            return params
        from clusterkit.stages.cluster.sklearn import plain_params

        return plain_params(params)


class GraphConfig(_Strict):
    """How the graph for community detection is built from follows and interactions.

    Attributes
    ----------
    follow_weight : float
        Weight of a follow edge (either direction) between two members.
    interaction_weight : float
        Weight of ``log1p(number of events)`` from one member to another (reply, share …).
    hub_damping : float
        Exponent ``a`` in ``w = min(1, (median_in_degree + 1) / (in_degree + 1)) ** a`` applied
        to follows into a member. 0 (default) disables it. Hubs are already handled in two
        ways: outside accounts (the brand) are not in the member graph, and modularity's null
        model expects ``k_i k_j / 2m`` edges between members, so edges into hubs count little.
        Measured with Leiden, damping 0.5 lowered NMI on every graph tried (synthetic with a
        brand hub followed by 40% of members: 0.988 → 0.976 at mixing 0.3; musae-github
        0.112 → 0.100; musae-facebook 0.268 → 0.254; email-eu-core and US senate equal).
        Re-measured on other data (``experiments/results/hub_damping.md``): hub-heavy blind
        data reaches NMI 0.973 at mixing 0.45 undamped; damping loses on polbooks.
    """

    follow_weight: float = Field(1.0, ge=0)
    interaction_weight: float = Field(1.0, ge=0)
    hub_damping: float = Field(0.0, ge=0, le=2)


class SegmentConfig(_Strict):
    """How members are grouped into segments.

    Attributes
    ----------
    by : {"role", "none"}
        ``"role"``: the cluster stage runs within each role, so every segment is one kind of
        member split by behaviour ("newsletter-heavy fans", "event-going fans"), its defining
        features measured against the role's own average. ``"none"``: one clustering of all
        members; segments then have a role mix.
    min_size : int
        A role group with fewer members than this is one segment, not clustered further.
    outliers : {"keep", "nearest"}
        What happens to members a clusterer marks as noise (HDBSCAN): ``"keep"`` puts them
        in the segment ``"outliers"``; ``"nearest"`` reassigns each to the cluster whose
        centroid (prototype) is nearest.
    target_outlier_rate : float or None
        If set, exactly this share of each group (rounded) are outliers: the members
        furthest from their cluster's centroid, whatever the clusterer said; the others go
        to their cluster or, if marked noise, to the nearest one. Works with any clusterer.
    """

    by: Literal["role", "none"] = "role"
    min_size: int = Field(40, ge=2)
    outliers: Literal["keep", "nearest"] = "keep"
    target_outlier_rate: float | None = Field(None, ge=0, lt=0.5)


class ReportConfig(_Strict):
    """The HTML report."""

    enabled: bool = True
    max_points: int = Field(50_000, ge=100)


class IdentitySection(IdentityConfig):
    """Identity resolution before everything else (DESIGN §1 step 1, §8).

    Every field of :class:`~clusterkit.identity.IdentityConfig` (threshold, rules,
    probabilistic, one_account_per_channel …), plus ``enabled``. When enabled, accounts are
    linked into persons and the whole run (features, roles, segments, influence, profiles,
    exports) is per person: ``segments.csv`` has one row per person, keyed by its person id
    (the smallest member id of its accounts), with the ``accounts`` it merges. The run folder
    gets ``identity_links.parquet`` (the evidence of every merge) and ``persons.parquet``.
    Off by default: a wrong merge corrupts two profiles, so look at what
    ``clusterkit resolve --data DIR`` would merge first.
    """

    enabled: bool = False

    def linkage(self) -> IdentityConfig:
        """The identity settings without ``enabled``."""
        return IdentityConfig(**self.model_dump(exclude={"enabled"}))


class AttributionSection(AttributionConfig):
    """Journeys and attribution in every run whose events hold a conversion (DESIGN §1 step 7).

    Every field of :class:`~clusterkit.attribution.AttributionConfig` (conversions, level,
    lookback_days, models, bootstrap …), plus ``enabled``. The run folder gets
    ``journeys.parquet``, ``attribution.csv`` (every model side by side, with bootstrap
    intervals over persons) and ``weights.yaml`` (learned action × channel engagement
    weights, which a later run reads with ``--set weights_file=…/weights.yaml``; a run never
    applies its own learned weights). Without conversions in the data the step is skipped.
    ``seed`` is not used inside a run: the run derives it from its own seed.
    """

    enabled: bool = True
    bootstrap: int = Field(100, ge=0)

    def settings(self, seed: int) -> AttributionConfig:
        """The attribution settings without ``enabled``, with the given seed."""
        return AttributionConfig(**{**self.model_dump(exclude={"enabled"}), "seed": seed})


def _spec(name: str, **params) -> StageSpec:
    return StageSpec(name=name, params=params)


class RunConfig(_Strict):
    """A whole run: features, transforms, reduction, clustering, communities, roles, scoring.

    Attributes
    ----------
    name : str
        Label recorded in the manifest.
    seed : int
        Root seed, an int from 0 to 2**63 - 1: each stochastic step derives its own from it.
    weights : dict
        Engagement weight overrides per action (DESIGN §2 defaults otherwise).
    default_weight : float
        Weight of actions that are not in the known vocabulary.
    channel_weights : dict
        Multiplier per channel (1 when absent).
    half_life_days : float or None
        Time decay of engagement weight; ``None`` for none.
    weights_file : str or None
        CSV / YAML / JSON of action weights, optionally per channel
        (:func:`clusterkit.weights.load_weights`), e.g. learned by attribution. ``weights`` and
        ``pair_weights`` given in the config override the file's.
    labels_file : str or None
        CSV of known roles (``member_id, role``) for a few members: the role thresholds
        are calibrated on part of them and agreement on the rest is reported in
        ``metrics.json`` (:mod:`clusterkit.stages.roles.calibrate`).
    labels_model : {"auto", "thresholds", "logistic"}
        With ``labels_file``: whether a model of the labelled members may decide roles
        (:mod:`clusterkit.stages.roles.learned`): where cross-validation on the labels
        prefers it (``auto``), never, or always.
    pair_weights : dict
        ``{action: {channel: weight}}`` for channel-specific action weights.
    influence_weights : dict
        Weights of the combined influence score per component (empty: the documented
        defaults, :data:`~clusterkit.stages.scoring.influence.DEFAULT_WEIGHTS`); finite, >= 0.
    columns : dict
        ``{table: {file column: contract column}}`` (:mod:`clusterkit.data.columns`).
    features : list of StageSpec
        Feature builders (kind ``features``).
    transform : list of StageSpec
        Transforms applied in order (kind ``transform``).
    reduce, cluster, community, roles, scoring : StageSpec
        One stage each; ``cluster`` may be ``none`` (segments are then the roles).
    graph : GraphConfig
        Community graph construction.
    segments : SegmentConfig
        Segments within roles, or across them.
    report : ReportConfig
        The HTML report.
    identity : IdentitySection
        Accounts → persons before the run (off by default).
    attribution : AttributionSection
        Journeys, attribution and learned weights (on when the data has conversions).
    engine : EngineConfig
        The default engine or the large tier, by size (:mod:`clusterkit.engines.tier`).
    """

    name: str = "default"
    seed: int = Field(42, ge=0, le=2**63 - 1, strict=True)  # not true, not past int64
    weights: dict[str, float] = Field(default_factory=dict)
    default_weight: float = Field(1.0, ge=0)
    channel_weights: dict[str, float] = Field(default_factory=dict)
    half_life_days: float | None = Field(None, gt=0)
    weights_file: str | None = None
    labels_file: str | None = None
    labels_model: Literal["auto", "thresholds", "logistic"] = "auto"
    pair_weights: dict[str, dict[str, float]] = Field(default_factory=dict)
    influence_weights: dict[str, float] = Field(default_factory=dict)
    columns: dict[str, dict[str, str]] = Field(default_factory=dict)
    features: list[StageSpec] = Field(
        default_factory=lambda: [_spec("behaviour"), _spec("graph"), _spec("interaction")]
    )
    transform: list[StageSpec] = Field(
        default_factory=lambda: [_spec("log1p"), _spec("scale", method="robust")]
    )
    reduce: StageSpec = Field(default_factory=lambda: _spec("pca", n_components=0.9))
    cluster: StageSpec = Field(
        default_factory=lambda: _spec("kmeans", n_clusters="auto", k_min=2, k_max=6))
    community: StageSpec = Field(default_factory=lambda: _spec("leiden"))
    roles: StageSpec = Field(default_factory=lambda: _spec("rules"))
    scoring: StageSpec = Field(default_factory=lambda: _spec("engagement"))
    graph: GraphConfig = Field(default_factory=GraphConfig)
    segments: SegmentConfig = Field(default_factory=SegmentConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    identity: IdentitySection = Field(default_factory=IdentitySection)
    attribution: AttributionSection = Field(default_factory=AttributionSection)
    engine: EngineConfig = Field(default_factory=EngineConfig)

    @field_validator("influence_weights")
    @classmethod
    def _known_components(cls, v):
        from clusterkit.stages.scoring.influence import COMPONENTS

        unknown = sorted(set(v) - set(COMPONENTS))
        if unknown:
            raise ValueError(f"unknown influence component(s) {unknown}; use {list(COMPONENTS)}")
        return v

    @field_validator("features")
    @classmethod
    def _some_features(cls, v):
        if not v:
            raise ValueError("at least one feature builder is needed")
        return v

    def check_stages(self) -> RunConfig:
        """Resolve every stage name and parameter against the registry.

        Raises
        ------
        ConfigError
            Unknown stage (with suggestions) or parameter, or bad weights.
        """
        from clusterkit.registry import create_stage

        kinds = [("features", s) for s in self.features]
        kinds += [("transform", s) for s in self.transform]
        kinds += [(k, getattr(self, k)) for k in ("reduce", "cluster", "community", "roles",
                                                 "scoring")]
        for kind, spec in kinds:
            create_stage(kind, spec.name, spec.params)
        self.engagement_weights()  # a missing or bad weights file is a config error, found early
        check_component_weights(self.influence_weights)  # negative, NaN or all 0
        return self

    def engagement_weights(self) -> EngagementWeights:
        """The run's one :class:`~clusterkit.weights.EngagementWeights`: file, then config."""
        return EngagementWeights.from_config(self)

    def resolved(self) -> dict:
        """The configuration as plain JSON-able data, every default filled in."""
        return self.model_dump(mode="json")


def _format_validation(exc: ValidationError, source: str) -> str:
    return validation_message(exc, source, RunConfig)


def load_config(path=None, overrides=()) -> RunConfig:
    """Read a YAML config (or the default), apply ``--set`` overrides, check stages.

    Parameters
    ----------
    path : str or Path, optional
        YAML file; ``None`` gives the default configuration.
    overrides : sequence of str
        ``key=value`` strings, see :func:`apply_overrides`.

    Raises
    ------
    ConfigError
        Unreadable file, unknown key, bad value, unknown stage or parameter.
    """
    raw: dict = {}
    source = "default config"
    if path is not None:
        source = str(path)
        raw = read_yaml_mapping(path, dates=False)
    return validated(raw, overrides, source).check_stages()


def validated(raw: dict, overrides, source: str) -> RunConfig:
    """The mapping ``raw`` read from ``source`` with the ``--set`` ``overrides`` applied, as
    a RunConfig; an error is said of ``--set`` where ``raw`` alone is valid, else of
    ``source``."""
    try:
        return RunConfig.model_validate(_apply(raw, overrides))
    except ValidationError as exc:
        try:  # the file alone valid: the overrides broke it, so say so and not the file
            blame = "--set" if overrides and RunConfig.model_validate(raw) else source
        except ValidationError:
            blame = source
        raise ConfigError(_format_validation(exc, blame)) from None


def _apply(raw: dict, overrides) -> dict:
    raw = json.loads(json.dumps(raw))  # deep copy, plain types
    defaults = RunConfig().resolved()
    paths = [item.partition("=")[0].strip().replace("__", ".params.", 1) for item in overrides]
    for key in paths:  # a new stage name starts from that stage's own defaults
        step, _, leaf = key.partition(".")
        if leaf == "name" and isinstance(defaults.get(step), dict) and "params" in defaults[step]:
            if not isinstance(raw.get(step), dict):
                raw[step] = json.loads(json.dumps(defaults[step]))
            raw[step]["params"] = {}
    for item in overrides:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item!r}: expected key=value, e.g. seed=7.")
        path = key.strip().replace("__", ".params.", 1).split(".")
        if len(path) > 1 and not path[1].isdigit() and isinstance(defaults.get(path[0]), list):
            raise ConfigError(f"--set {item!r}: {path[0]!r} is a list of stages; address one "
                              f"by its position, e.g. {path[0]}.0.{'.'.join(path[1:])}=...")
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError:
            value = text
        if non_plain(value):  # a date, !!binary …: the text as written
            value = text.strip()
        node = raw
        for i, part in enumerate(path[:-1]):
            if isinstance(node, list):  # a list of stages: features.0.params.damping=0.9
                if not part.isdigit() or int(part) >= len(node):
                    raise ConfigError(f"--set {item!r}: {'.'.join(path[:i])!r} has "
                                      f"{len(node)} stage(s); give a position 0-"
                                      f"{len(node) - 1}, not {part!r}.")
                node = node[int(part)]
                continue
            if not isinstance(node.get(part), dict | list):  # start from the defaults
                base = defaults
                for p in path[: i + 1]:
                    if isinstance(base, list) and p.isdigit() and int(p) < len(base):
                        base = base[int(p)]
                    else:
                        base = base.get(p, {}) if isinstance(base, dict) else {}
                node[part] = json.loads(json.dumps(base)) if isinstance(
                    base, dict | list) else {}
            node = node[part]
        node[path[-1]] = value
    return raw


def apply_overrides(cfg: RunConfig, overrides) -> RunConfig:
    """A new config with ``key=value`` overrides applied.

    Keys are dotted paths (``cluster.params.n_clusters=5``, ``graph.hub_damping=0``,
    ``cluster.name=hdbscan``, ``attribution.params.model.prior_sd=0.1``, a stage of a
    list by position: ``transform.1.params.method=standard``) or ``step__param``
    (``cluster__n_clusters=5``); values are parsed as YAML.
    """
    raw = _apply(cfg.resolved(), overrides)
    try:
        return RunConfig.model_validate(raw).check_stages()
    except ValidationError as exc:
        raise ConfigError(_format_validation(exc, "--set")) from None
