"""``attribute`` and ``compare_models``: every attribution model behind one call.

=================  =========================================================================
model              what it credits
=================  =========================================================================
``model``          **default**: Shapley values over a fitted time-to-conversion model of
                   whole spells (:mod:`~clusterkit.attribution.hazard`): the expected
                   conversions a touch *adds*, with censoring and no look at "the end"
``logistic``       Shapley values over a logistic conversion model of lookback windows
                   (presence, count, recency; :mod:`~clusterkit.attribution.model`)
``first``          first touch (:mod:`~clusterkit.attribution.heuristic`)
``last``           last touch
``linear``         equal parts
``time_decay``     parts halving every ``half_life_days`` before the conversion
``position``       40 / 20 / 40
``markov``         exact Markov removal effects of order ``order`` (1–4);
                   ``markov_1`` … ``markov_4`` name the orders (:mod:`~.markov`)
``shapley_rate``   Shapley over conversion rates of touch sets (:mod:`~.shapley`)
``shapley_count``  Shapley over conversion counts of touch sets
=================  =========================================================================

The result has one row per touch: ``model, touch, conversions, share, ci_low, ci_high``.
``conversions`` are credited conversions (for ``model`` and ``logistic``: the conversions the
touch adds over the no-touch baseline), ``share`` their share of the model's total, and the
interval is the bootstrap percentile interval of the share over persons (NaN without
``bootstrap``).

Windows: ``model`` reads every touch of a spell (journeys built with
``lookback_days=None``), its lags bounded by its own ``lag_edges_days``; every other model
credits only the touches of the last ``lookback_days`` before each journey's end (the
``lookback_days`` argument; journeys already built with a lookback are used as they are).

Examples
--------
>>> from clusterkit.synthetic.journeys import generate_journeys
>>> sj = generate_journeys(3000, seed=2)
>>> res = attribute(sj.journeys, "last")
>>> res.columns.tolist()
['model', 'touch', 'conversions', 'share', 'ci_low', 'ci_high']
>>> round(float(res["share"].sum()), 6)
1.0
"""

from __future__ import annotations

import numbers
import os

import numpy as np
import pandas as pd

from clusterkit.attribution._arrays import prepare
from clusterkit.attribution.bootstrap import (
    bootstrap_shares,
    percentile_interval,
    subsample_scale,
)
from clusterkit.errors import ConfigError, DataError, did_you_mean
from clusterkit.provenance import step_detail

__all__ = ["DEFAULT_MODELS", "MODELS", "attribute", "compare_models"]

MODELS: dict[str, dict] = {
    "model": {"lag_edges_days": [0.0, 1.0, 3.0, 7.0, 14.0, 30.0, 60.0], "censor": "activity",
              "decay": 1.0, "touch_alpha": 1.0, "baseline_bins": "auto",
              "interactions": True, "min_pair_spells": 200, "pair_z": 3.0, "prior_sd": 0.05,
              "pair_prior_sd": 0.05, "credit": "shapley", "max_exact": 14,
              "n_permutations": 128},
    "logistic": {"half_life_days": 7.0, "C": 1.0, "interactions": True,
                 "min_pair_journeys": 100, "interaction_scale": 0.05, "credit": "shapley",
                 "max_exact": 14, "n_permutations": 128},
    "first": {}, "last": {}, "linear": {}, "time_decay": {"half_life_days": 7.0},
    "position": {},
    "markov": {"order": 1}, "markov_1": {}, "markov_2": {}, "markov_3": {}, "markov_4": {},
    "shapley_rate": {"empty": "zero", "min_journeys": 30, "max_exact": 14,
                     "n_permutations": 128},
    "shapley_count": {},
}
"""Model name → its parameters and their defaults."""

BOOTSTRAP_THREADS = min(4, os.cpu_count() or 1)
"""Bootstrap replicates credited at once (threads); the intervals do not depend on it
(:func:`~clusterkit.attribution.bootstrap.bootstrap_shares`)."""

DEFAULT_MODELS = ("first", "last", "linear", "time_decay", "position", "markov_1",
                  "markov_2", "markov_3", "markov_4", "shapley_rate", "shapley_count",
                  "logistic", "model")
"""What :func:`compare_models` runs by default: every model."""


def _check_model(name) -> str:
    if name in MODELS:
        return name
    raise ConfigError(f"unknown attribution model {name!r}.{did_you_mean(name, MODELS)} "
                      f"Available: {', '.join(MODELS)}.")


def _check_params(name: str, params: dict) -> dict:
    allowed = MODELS[name]
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        valid = ", ".join(allowed) if allowed else "none"
        raise ConfigError(f"unknown parameter {unknown[0]!r} for attribution model {name!r}; "
                          f"valid parameters: {valid}.")
    merged = dict(allowed, **params)
    if "half_life_days" in merged:
        h = merged["half_life_days"]
        if isinstance(h, bool) or not isinstance(h, numbers.Real) or not h > 0:
            raise ConfigError(f"The 'half_life_days' parameter of {name} must be a number > 0. "
                              f"Got {h!r} instead.")
    return merged


def _credit(name: str, params: dict, random_state: int):
    """A function ``(arrays, weights) -> credited conversions per touch`` for one model."""
    from clusterkit.attribution import heuristic, markov, shapley

    if name in heuristic.RULES:
        return lambda a, w: heuristic.heuristic_credit(a, name, w, **params)
    if name.startswith("markov"):
        order = params.get("order", 1) if name == "markov" else int(name[-1])
        return lambda a, w: markov.markov_credit(a, order, w)
    if name == "shapley_rate":
        return lambda a, w: shapley.shapley_rate(a, w, random_state=random_state, **params)
    if name == "shapley_count":
        return shapley.shapley_count
    if name == "logistic":
        from clusterkit.attribution.model import ConversionModel

        return lambda a, w: ConversionModel(random_state=random_state, **params).fit(
            a, w).credit_(a, w)
    from clusterkit.attribution.hazard import HazardModel as Model

    first = []  # the first fit (the full data's) starts the bootstrap replicates' optimiser

    def warm(a, w):
        # a replicate keeps the full data's BIC choice of baseline bins (coarse, or refined
        # by quantiles): one fit instead of two; BIC separates them by 5-20x its penalty on
        # every generator measured, so replicates would choose the same
        kw = dict(params, baseline_bins=first[1]) if first and params.get(
            "baseline_bins") == "auto" else params
        m = Model(random_state=random_state, **kw).fit(a, w, init=first[0] if first else None)
        credit = m.credit_(a, w)
        if not first:
            vars(m).pop("_fitted", None)  # keep its parameters, not its spells and terms
            first.extend([m, _bins_chosen(m)])
        return credit

    warm.first = first  # the full-data fit and its choice of baseline bins, once made
    return warm


def _bins_chosen(model) -> str | int:
    """The ``baseline_bins`` that a fitted ``baseline_bins="auto"`` model chose."""
    from clusterkit.attribution._hazard_terms import BASE_EDGES
    from clusterkit.attribution.hazard import _BASELINES

    coarse, fine = _BASELINES["auto"]
    return coarse if np.array_equal(model.base_edges_, BASE_EDGES) else fine


def check_models(models, params=None) -> tuple[list[str], dict[str, dict]]:
    """The models' names and their parameters merged with the defaults, checked before
    anything runs: unknown models or parameters, parameters of a model not run, a model
    asked for twice (a ConfigError naming it)."""
    params = dict(params or {})
    names = [_check_model(m) for m in models]
    for extra in sorted(set(params) - set(names)):
        raise ConfigError(f"params given for model {extra!r}, which is not in models.")
    merged = {m: _check_params(m, params.get(m, {})) for m in names}
    labels = [_label(m, merged[m]) for m in names]
    twice = sorted({x for x in labels if labels.count(x) > 1})
    if twice:
        raise ConfigError(f"model {twice[0]!r} is asked for twice (markov with order k is "
                          f"markov_k); list each model once.")
    return names, merged


def _check_common(bootstrap, ci, random_state) -> None:
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, numbers.Integral) or \
            bootstrap < 0:
        raise ConfigError(f"The 'bootstrap' parameter must be an int >= 0 (replicates). Got "
                          f"{bootstrap!r} instead.")
    if isinstance(ci, bool) or not isinstance(ci, numbers.Real) or not 0 < ci < 1:
        raise ConfigError(f"The 'ci' parameter must be a float in (0, 1). Got {ci!r} instead.")
    if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral) or \
            random_state < 0:
        raise ConfigError(f"The 'random_state' parameter must be an int >= 0. Got "
                          f"{random_state!r} instead.")


def _check_lookback(days) -> None:
    if days is not None and (isinstance(days, bool) or not isinstance(days, numbers.Real)
                             or not days > 0):
        raise ConfigError(f"The 'lookback_days' parameter must be a number > 0 (days). Got "
                          f"{days!r} instead.")


def _check_persons(max_persons) -> None:
    if max_persons is not None and (isinstance(max_persons, bool) or not isinstance(
            max_persons, numbers.Integral) or max_persons < 100):
        raise ConfigError(f"The 'bootstrap_persons' parameter must be an int >= 100 (persons "
                          f"per replicate) or None (all). Got {max_persons!r} instead.")


def _run(arrays, models, bootstrap, ci, random_state, lookback_days=None, max_persons=None,
         empty="raise") -> pd.DataFrame:
    """Every model's rows: its credit on the data, then the bootstrap replicates of all models
    that read the same journeys together (each replicate's persons drawn and cut out once).

    ``models`` is a list of ``(name, params)``. The default model reads whole spells; the
    others read them windowed to ``lookback_days``, windowed once for all of them and let
    go before the default model runs (its fit is the step's memory peak).
    """
    rows, chosen = [None] * len(models), None
    windowed = [i for i, (name, _) in enumerate(models) if name != "model"]
    whole = [i for i, (name, _) in enumerate(models) if name == "model"]
    for group in (windowed, whole):  # the windowed models, then the default model
        if not group:
            continue
        a = arrays.window(lookback_days) if group is windowed else arrays
        fits = {i: _estimate(a, *models[i], random_state, empty) for i in group}
        bounds = {i: (np.full(len(c), np.nan),) * 2 for i, (_, c) in fits.items()}
        ok = [i for i in group if np.isfinite(fits[i][1]).all()]
        if bootstrap and ok:
            samples = bootstrap_shares(a, [fits[i][0] for i in ok], int(bootstrap),
                                       random_state, max_persons, n_jobs=BOOTSTRAP_THREADS)
            scale = subsample_scale(a.n_persons, max_persons)
            for i, smp in zip(ok, samples, strict=True):
                bounds[i] = percentile_interval(smp, ci, fits[i][1] / fits[i][1].sum(), scale)
        for i in group:
            name, params = models[i]
            conv, (lo, hi) = fits[i][1], bounds[i]
            rows[i] = pd.DataFrame({"model": _label(name, params),
                                    "touch": a.touches.astype(str), "conversions": conv,
                                    "share": conv / conv.sum(), "ci_low": lo, "ci_high": hi})
            if name == "model" and getattr(fits[i][0], "first", None):
                chosen = fits[i][0].first[1]
        del a, fits
    out = pd.concat(rows, ignore_index=True)
    if chosen is not None:  # a refit on other touches may keep it (outputs.py)
        out.attrs["baseline_bins"] = chosen
    return out


def _label(name: str, params: dict) -> str:
    return f"markov_{params.get('order', 1)}" if name == "markov" else name


def _estimate(arrays, name, params, random_state, empty):
    """``(credit function, credited conversions)`` of one model on ``arrays`` (NaN
    conversions when it credits nothing and ``empty`` is not "raise")."""
    step_detail(_label(name, params))
    credit = _credit(name, params, random_state)
    if arrays.n_journeys and arrays.converted.any():
        conv = np.asarray(credit(arrays, None), dtype=np.float64)
    else:  # no converting journey keeps a touch in the window: nothing to credit
        conv = np.zeros(arrays.n_touches)
    total = conv.sum()
    if not np.isfinite(total) or total == 0:
        if empty == "raise":
            raise DataError(f"attribution model {name!r} credits no conversion to any "
                            "touch (every journey converts, or the touches explain "
                            "nothing); check that both converting and other journeys "
                            "have touches.")
        conv = np.full(len(conv), np.nan)
    return credit, conv


def attribute(journeys, model: str = "model", level: str | None = None, *, bootstrap: int = 0,
              ci: float = 0.95, random_state: int = 0, lookback_days: float | None = None,
              bootstrap_persons: int | None = None, **params) -> pd.DataFrame:
    """Credit every touch with one attribution model.

    Parameters
    ----------
    journeys : pandas.DataFrame or JourneyArrays
        From :func:`~clusterkit.attribution.build_journeys`.
    model : str, default "model"
        A name of :data:`MODELS` (see the module docstring).
    level : {"channel", "action"}, optional
        ``"channel"`` merges action-level journeys into channels; default: as built.
    bootstrap : int, default 0
        Bootstrap replicates over persons for the interval (0: no interval).
    ci : float, default 0.95
        Interval level.
    random_state : int, default 0
        Seed of the bootstrap and of sampled Shapley values.
    lookback_days : float, optional
        Models other than ``model`` credit only touches this recent before each journey's
        end (default: every touch of the journeys given).
    bootstrap_persons : int, optional
        With more persons than this, each replicate draws this many (the m-out-of-n
        bootstrap, its interval rescaled: :mod:`~clusterkit.attribution.bootstrap`), so
        that a replicate's cost does not grow with the data; default: all persons.
    **params
        The model's parameters (:data:`MODELS`), e.g. ``order=2`` or ``half_life_days=3``.

    Returns
    -------
    pandas.DataFrame
        ``model, touch, conversions, share, ci_low, ci_high``, one row per touch (sorted).

    Raises
    ------
    ConfigError
        Unknown model (with a suggestion) or parameter, bad bootstrap / ci / level.
    DataError
        Not a journeys frame, no journeys, or no converting journey.
    """
    name = _check_model(model)
    merged = _check_params(name, params)
    _check_common(bootstrap, ci, random_state)
    _check_lookback(lookback_days)
    _check_persons(bootstrap_persons)
    return _run(prepare(journeys, level), [(name, merged)], bootstrap, ci, random_state,
                lookback_days, bootstrap_persons)


def compare_models(journeys, models=DEFAULT_MODELS, level: str | None = None, *,
                   bootstrap: int = 0, ci: float = 0.95, random_state: int = 0,
                   params: dict | None = None, lookback_days: float | None = None,
                   bootstrap_persons: int | None = None,
                   empty: str = "raise") -> pd.DataFrame:
    """Run several models on the same journeys; their rows stacked (long format).

    Parameters
    ----------
    models : sequence of str
        Model names, default all (:data:`DEFAULT_MODELS`).
    params : dict, optional
        Model name → parameters.
    journeys, level, bootstrap, ci, random_state, lookback_days, bootstrap_persons
        As in :func:`attribute`.
    empty : {"raise", "nan"}
        A model that credits nothing (e.g. ``logistic`` when every journey converts):
        raise :class:`~clusterkit.errors.DataError`, or give it NaN rows.

    Examples
    --------
    >>> from clusterkit.synthetic.journeys import generate_journeys
    >>> sj = generate_journeys(2000, seed=3)
    >>> t = compare_models(sj.journeys, ["first", "markov_2"])
    >>> t.pivot(index="touch", columns="model", values="share").shape
    (8, 2)
    """
    names, merged = check_models(models, params)
    _check_common(bootstrap, ci, random_state)
    _check_lookback(lookback_days)
    _check_persons(bootstrap_persons)
    return _run(prepare(journeys, level), [(m, merged[m]) for m in names], bootstrap, ci,
                random_state, lookback_days, bootstrap_persons, empty)
