"""Attribution artefacts of a dataset: journeys, every model side by side, learned weights.

:func:`attribution_outputs` is what a run (or ``clusterkit attribute``) calls;
:func:`write_attribution` writes ``journeys.parquet``, ``attribution.csv`` and
``weights.yaml`` into a folder. :class:`AttributionConfig` holds the settings, as a
pydantic model in the style of :mod:`clusterkit.config` (unknown keys are errors), ready to
become an ``attribution:`` section of a run config.

Examples
--------
>>> from clusterkit.synthetic.journeys import generate_journeys
>>> from clusterkit.data import CommunityData
>>> data = CommunityData.from_frames(events=generate_journeys(1500, seed=4).events())
>>> out = attribution_outputs(data, AttributionConfig(models=["last", "model"]))
>>> sorted(out), sorted(out["attribution"]["model"].unique())
(['attribution', 'checks', 'journeys', 'weights'], ['last', 'model'])
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["AttributionConfig", "attribution_config", "attribution_csv", "attribution_outputs",
           "check_warnings", "step_outputs", "write_attribution"]


class AttributionConfig(BaseModel):
    """Settings of journeys and attribution.

    Attributes
    ----------
    conversions : list of str
        Conversion actions (default ``["purchase"]``).
    level : {"channel", "action"}
        Touches are channels, or actions on channels, in ``attribution.csv``.
    lookback_days : float
        Days of touches kept before a conversion (> 0) in ``journeys.parquet`` and by every
        model but the default one, which reads whole spells (its lags are its own
        ``lag_edges_days``).
    models : list of str
        Models written side by side (:data:`clusterkit.attribution.MODELS` names).
    params : dict
        Model name → its parameters.
    bootstrap : int
        Bootstrap replicates over persons for the intervals (0: none).
    bootstrap_persons : int or None
        With more persons than this, a replicate (and the placebo check) draws this many,
        so their cost does not grow with the data; the intervals are rescaled to all
        persons (the m-out-of-n bootstrap, :mod:`clusterkit.attribution.bootstrap`).
        ``None``: every person.
    ci : float
        Interval level.
    seed : int
        Seed of the bootstrap and of sampled Shapley values (a run passes its own).
    learn_weights : bool
        Learn action × channel engagement weights from ``weights_model``. At channel
        ``level`` the default model is refitted at action level for them with main effects
        only (``interactions: false``, unless ``params`` say otherwise): with ~25 action
        types, pair terms cost 100x the time and moved no share by more than 0.01. The
        refit keeps the channel-level fit's BIC choice of baseline bins (the same spells;
        one fit instead of two, as bootstrap replicates do) unless ``params`` set them.
    weights_model : str
        The model the weights are learned from (default: the default model, ``model``).
    weights_min_touches : int
        Touch types with fewer touches keep their default weight. Touches are counted in
        what ``weights_model`` reads: whole spells for the default model (touches outside
        every lookback window included), the lookback windows for the others.
    weights_strength : float
        Blend of learned (1) and default (0) weights.
    placebo_check : bool
        Refit the default model with a placebo touch and warn when it gets credit
        (:mod:`clusterkit.attribution.checks`); skipped with fewer than 100 conversions,
        where noise alone gives a placebo any share.
    negative_controls : list of str
        Channels known to have no effect on conversion (a placebo or ghost-ad campaign, a
        channel an experiment showed to be null). The default model's share of each is
        checked, and a share above the noise warns that a hidden common cause of touches
        and buying (intent, retargeting) inflates the channels that reach the same people
        (:mod:`clusterkit.attribution.controls`). Each must name a channel of the data.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    conversions: list[str] = Field(default_factory=lambda: ["purchase"], min_length=1)
    level: Literal["channel", "action"] = "channel"
    lookback_days: float = Field(30.0, gt=0)
    models: list[str] = Field(default_factory=lambda: list(_default_models()), min_length=1)
    params: dict[str, dict[str, Any]] = Field(default_factory=dict)
    bootstrap: int = Field(0, ge=0)
    bootstrap_persons: int | None = Field(20000, ge=100)
    ci: float = Field(0.95, gt=0, lt=1)
    seed: int = Field(0, ge=0)
    learn_weights: bool = True
    weights_model: str = "model"
    weights_min_touches: int = Field(30, ge=1)
    weights_strength: float = Field(1.0, ge=0, le=1)
    placebo_check: bool = True
    negative_controls: list[str] = Field(default_factory=list)

    @field_validator("negative_controls")
    @classmethod
    def _distinct(cls, v):
        if any(not c.strip() for c in v):
            raise ValueError("a negative control must name a channel, not an empty string")
        if len(set(v)) < len(v):
            raise ValueError("each negative control is listed once")
        return v

    @field_validator("models")
    @classmethod
    def _known(cls, v):
        from clusterkit.attribution.api import _check_model

        for name in v:
            _check_model(name)
        return v


def attribution_config(**settings) -> AttributionConfig:
    """An :class:`AttributionConfig`; invalid settings raise a one-line ConfigError.

    Examples
    --------
    >>> try:
    ...     attribution_config(lookback_days=0)
    ... except ValueError as exc:
    ...     print(exc)
    attribution: lookback_days: Input should be greater than 0 (got 0).
    """
    from pydantic import ValidationError

    from clusterkit.errors import ConfigError

    try:
        return AttributionConfig(**settings)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        raise ConfigError(f"attribution: {loc}: {msg} (got {err.get('input')!r}).") from None


def _default_models():
    from clusterkit.attribution.api import DEFAULT_MODELS

    return DEFAULT_MODELS


def attribution_outputs(data, config: AttributionConfig | None = None, *,
                        missing: Literal["raise", "skip"] = "raise") -> dict[str, pd.DataFrame]:
    """Journeys, the attribution of every configured model and the learned weights.

    Parameters
    ----------
    data : CommunityData
        Members may already be persons (a ``person_id`` column in the members table).
    config : AttributionConfig, optional
    missing : {"raise", "skip"}
        Without any conversion event: raise :class:`~clusterkit.errors.DataError`, or
        return an empty dict (for a pipeline that runs on any dataset).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``journeys`` (at ``config.level``), ``attribution`` (long: ``model, touch,
        conversions, share, ci_low, ci_high``) and, with ``learn_weights``, ``weights``
        (``action, channel, default_weight, weight``).

    Runs with one BLAS thread, as every pipeline step does
    (:class:`~clusterkit.provenance.StepClock`): the models' optimisers work on a few hundred
    parameters, where BLAS threads only contend (2.8 times slower with two).
    """
    from clusterkit.provenance import one_blas_thread

    with one_blas_thread():
        return _outputs(data, config or AttributionConfig(), missing)


def _outputs(data, cfg: AttributionConfig, missing: str) -> dict[str, pd.DataFrame]:
    from clusterkit.attribution._arrays import prepare
    from clusterkit.attribution.api import _label, check_models, compare_models
    from clusterkit.attribution.controls import check_controls
    from clusterkit.attribution.journeys import build_journeys, to_channel_level, window_journeys
    from clusterkit.attribution.weights import learned_weights, weights_table
    from clusterkit.provenance import usable_cores

    conv = {c.strip().lower() for c in cfg.conversions}
    if missing == "skip" and (data.events is None or not data.events["action"].isin(conv).any()):
        return {}
    level = "action" if cfg.learn_weights else cfg.level
    spells = build_journeys(data, cfg.conversions, level, None, seed=cfg.seed)
    journeys = window_journeys(spells, cfg.lookback_days)
    # the spells as arrays at their own level, sorted once, and the frame let go: at
    # 1,000,000 members it is 23 M rows and 1.35 GB, the arrays 0.5 GB
    spell_arrays = prepare(spells)
    del spells
    models = list(cfg.models)
    if cfg.learn_weights and cfg.weights_model not in models:
        models.append(cfg.weights_model)
    arrays = spell_arrays.with_level(cfg.level)  # the models and the placebo check
    check_models(models, cfg.params)  # every model's parameters, before any model runs
    check_controls(cfg.negative_controls, arrays.touches, "model" in cfg.models, arrays.level)

    def attribute(names):
        return compare_models(arrays, names, cfg.level, bootstrap=cfg.bootstrap, ci=cfg.ci,
                              random_state=cfg.seed,
                              params={m: cfg.params[m] for m in names if m in cfg.params},
                              lookback_days=cfg.lookback_days,
                              bootstrap_persons=cfg.bootstrap_persons, empty="nan")

    # the default model first, alone: its fit is the step's memory peak, and the weights'
    # refit keeps its choice of baseline bins; the other models then run beside the
    # journeys' channel view and that refit (the same rows as one call of every model:
    # each group draws its own bootstrap replicates from the seed)
    whole = attribute(["model"]) if "model" in models else None
    chosen = {} if whole is None else dict(whole.attrs)
    out = {}

    def weights_and_journeys(att=None):  # att: every model's rows (action level only)
        out["journeys"] = journeys if cfg.level == "action" else to_channel_level(journeys)
        if cfg.learn_weights:
            own = dict(cfg.params.get(cfg.weights_model, {}))
            if cfg.weights_model == "model":
                own = {"interactions": False, **own}
                if "baseline_bins" not in own and "baseline_bins" in chosen:
                    own["baseline_bins"] = chosen["baseline_bins"]
            source = att if cfg.level == "action" else \
                compare_models(spell_arrays, [cfg.weights_model], "action",
                               random_state=cfg.seed, params={cfg.weights_model: own},
                               lookback_days=cfg.lookback_days, empty="nan")
            # touches counted in what its model read (the default model: whole spells, a
            # touch outside every lookback window too), never in the windowed journeys
            read = spell_arrays if cfg.weights_model == "model" else \
                spell_arrays.window(cfg.lookback_days)
            weights = learned_weights(source, read, model=cfg.weights_model,
                                      min_touches=cfg.weights_min_touches,
                                      strength=cfg.weights_strength,
                                      conversions=cfg.conversions)
            out["weights"] = weights_table(weights)

    others = [m for m in models if m != "model"]
    if cfg.level == "action" or usable_cores() < 2:  # action level: the weights read them
        att = _in_order(models, whole, attribute(others) if others else None)
        weights_and_journeys(att)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:  # the models here: their progress is reported
            beside = pool.submit(weights_and_journeys)
            att = _in_order(models, whole, attribute(others) if others else None)
            beside.result()
    # the weights' model, when added for them only, is not reported ("markov" with an
    # order is reported under its label, markov_k)
    added = {_label(m, cfg.params.get(m, {})) for m in models[len(cfg.models):]}
    out["attribution"] = att[~att["model"].isin(added)].reset_index(drop=True)
    checks = _checks(cfg, arrays, whole)
    if checks is not None:
        out["checks"] = checks
    return out


def _checks(cfg: AttributionConfig, arrays, whole) -> pd.DataFrame | None:
    """The assumption checks of the default model: the placebo touch and the declared
    negative controls (none with fewer than 100 converting spells, where noise alone gives
    any touch any share)."""
    from clusterkit.attribution.checks import (
        PLACEBO_LIMIT,
        PLACEBO_MIN_CONVERSIONS,
        placebo_share,
    )
    from clusterkit.attribution.controls import control_checks

    conversions = int(arrays.converted.sum())
    if "model" not in cfg.models or conversions < PLACEBO_MIN_CONVERSIONS:
        return None
    frames = []
    if cfg.placebo_check:
        share = placebo_share(arrays, cfg.seed, cfg.bootstrap_persons,
                              **cfg.params.get("model", {}))
        frames.append(pd.DataFrame({"check": ["placebo_share"], "value": [share],
                                    "limit": [PLACEBO_LIMIT],
                                    "passed": [share <= PLACEBO_LIMIT]}))
    if cfg.negative_controls:
        frames.append(control_checks(whole, cfg.negative_controls, conversions, arrays.level))
    return pd.concat(frames, ignore_index=True) if frames else None


def _in_order(models, whole, others) -> pd.DataFrame:
    """The rows of the default model (``whole``) and of the others (``others``, in the
    order of ``models``) as one call of :func:`compare_models` with ``models`` gives them."""
    labels = iter(pd.unique(others["model"]) if others is not None else ())
    rank = {label: i for i, label in enumerate(
        "model" if m == "model" else next(labels) for m in models)}
    att = pd.concat([f for f in (whole, others) if f is not None], ignore_index=True)
    att = att.iloc[np.argsort(att["model"].map(rank).to_numpy(), kind="stable")]
    att = att.reset_index(drop=True)
    att.attrs = dict(whole.attrs) if whole is not None else {}
    return att


def step_outputs(data, settings: AttributionConfig, warnings: list) -> dict:
    """:func:`attribution_outputs` as a run's step: data with nothing to attribute give an
    empty dict and a warning instead of an error; failed checks add their warnings."""
    import clusterkit.attribution as package  # the name sweeps and tests patch
    from clusterkit.errors import DataError

    try:
        out = package.attribution_outputs(data, settings, missing="skip")
    except DataError as exc:  # valid data with nothing to attribute: the run goes on
        warnings.append(f"attribution: skipped: {exc}")
        return {}
    if not out:
        warnings.append(f"attribution: no conversion event ({', '.join(settings.conversions)}"
                        "); journeys and attribution skipped.")
    warnings.extend(check_warnings(out))
    return out


def check_warnings(outputs: dict) -> list[str]:
    """One warning per failed assumption check of :func:`attribution_outputs`.

    Examples
    --------
    >>> checks = pd.DataFrame({"check": ["placebo_share"], "value": [0.2], "limit": [0.1],
    ...                        "passed": [False]})
    >>> check_warnings({"checks": checks})[0][:52]
    'attribution: a placebo touch placed at random got 20'
    """
    att = outputs.get("attribution")
    empty = [] if att is None else sorted(
        set(att["model"]) - set(att.loc[att["share"].notna(), "model"]))
    out = [f"attribution: model {m!r} credits no conversion to any touch (every journey "
           "converts, or its touches explain nothing); its rows are empty." for m in empty]
    checks = outputs.get("checks")
    if checks is None:
        return out
    return out + [_check_warning(r) for r in checks.itertuples() if not r.passed]


def _check_warning(r) -> str:
    """The warning of one failed check (a row of the checks table)."""
    if r.check.startswith("negative_control:"):
        from clusterkit.attribution.controls import control_warning

        return control_warning(r.check.split(":", 1)[1], r.value, r.limit)
    return (f"attribution: a placebo touch placed at random got {r.value:.0%} of the default "
            f"model's credit (limit {r.limit:.0%}): the data do not look like a conversion "
            "process in time (e.g. journeys sampled as fixed windows before a decision), so "
            "its shares are not to be trusted; compare with model 'logistic'.")


def attribution_csv(attribution: pd.DataFrame) -> pd.DataFrame:
    """The attribution as written to ``attribution.csv``: ``touch`` split into its parts.

    Channel level: ``model, channel, conversions, share, ci_low, ci_high``; action level:
    ``model, action, channel, …``.
    """
    from clusterkit.attribution.journeys import TOUCH_SEP

    att = attribution.copy()
    touch = att.pop("touch").astype(str)
    if len(touch) and touch.str.contains(TOUCH_SEP, regex=False).all():
        parts = touch.str.split(TOUCH_SEP, n=1)
        att.insert(1, "action", parts.str[0])
        att.insert(2, "channel", parts.str[1])
    else:
        att.insert(1, "channel", touch)
    return att


def write_attribution(folder, outputs: dict, *, header: str | None = None) -> dict[str, Path]:
    """Write ``journeys.parquet``, ``attribution.csv`` and ``weights.yaml`` (what exists).

    Returns the paths written, by name.
    """
    from clusterkit.attribution.journeys import write_journeys
    from clusterkit.attribution.weights import write_weights_yaml

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    if "journeys" in outputs:
        paths["journeys"] = write_journeys(folder, outputs["journeys"])
    if "attribution" in outputs:
        paths["attribution"] = folder / "attribution.csv"
        attribution_csv(outputs["attribution"]).to_csv(paths["attribution"], index=False,
                                                       float_format="%.10g")
    if "weights" in outputs:
        w = outputs["weights"]
        nested: dict = {}
        for a, c, v in zip(w["action"], w["channel"], w["weight"], strict=True):
            nested.setdefault(a, {})[c] = v  # a small table: one row per action x channel
        paths["weights"] = write_weights_yaml(folder / "weights.yaml", nested, header=header)
    return paths
