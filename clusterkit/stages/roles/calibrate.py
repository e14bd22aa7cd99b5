"""Semi-supervised roles: calibrate a role stage's thresholds on a user's labelled members.

A user who knows a handful of their influencers, bloggers, fans and followers gives them
(``labels_file`` in the run config, read by :func:`clusterkit.data.labels.load_labels`).
The labels are split, with the run's seed, into a calibration part and a held-back part.
The stage's threshold multipliers (its ``_calibrated`` parameters, each with the role it
decides, e.g. the ``rules`` stage's ``influencer_scale``, ``fan_scale``, ``blogger_scale``)
are searched on a grid, by
coordinate ascent, for the macro-F1 on the calibration labels; a multiplier moves away
from 1 (the data-driven thresholds) only for a gain larger than the noise of a macro-F1 on
that many labels (``0.5 / sqrt(n)`` by default), and only when the calibration labels hold
at least ``min_per_role`` members of the role it decides (a macro-F1 over three labelled
influencers is noise). Agreement on the held-back labels, before
and after calibration, is reported so the user sees whether the calibration generalised
rather than memorised. Finally every labelled member gets the role it was given, and its
explanation says so.

With enough labels (``min_per_role_model`` of each role the thresholds assign), a model of
the labelled members (:mod:`clusterkit.stages.roles.learned`) then decides the roles where
cross-validation on the calibration labels says it agrees with them better than the
thresholds; the report says which decided, and why.

Assumptions, stated: the labels are a sample of members whose roles follow the same
definitions (DESIGN §3) as the rest; with very few labels per role the calibration can
only move thresholds a little (the grid is bounded to 0.5-2x), which is deliberate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.errors import ConfigError
from clusterkit.stages.roles.learned import MODELS, learned_roles, member_attributes

__all__ = ["SCALES", "calibrate_roles"]

SCALES = (0.5, 0.7, 1.0, 1.4, 2.0)
"""The multipliers tried for each calibrated threshold."""


def _agreement(pred, true) -> tuple[float, float]:
    from sklearn.metrics import f1_score

    if not len(true):
        return float("nan"), float("nan")
    labels = sorted(set(true))
    return (float(np.mean(pred == true)),
            float(f1_score(true, pred, labels=labels, average="macro", zero_division=0)))


def calibrate_roles(stage, features: pd.DataFrame, labels: pd.Series, *, data=None,
                    weights=None, holdout: float = 0.3, random_state=None, rounds: int = 2,
                    min_gain: float | None = None, min_per_role: int = 10,
                    model: str = "auto", min_per_role_model: int = 15):
    """Fit ``stage`` with thresholds calibrated on ``labels``; return it and a report.

    Parameters
    ----------
    stage : role stage
        Unfitted; must declare ``_calibrated`` parameter names (threshold multipliers).
    features : pandas.DataFrame
        The raw feature table (index member ids).
    labels : pandas.Series
        member_id → role, for members of ``features``.
    data, weights
        Passed to ``stage.fit``.
    holdout : float, default 0.3
        Share of the labels held back to measure agreement (none when fewer than 4).
    random_state : int or None
        Seed of the split.
    rounds : int, default 2
        Passes of coordinate ascent over the calibrated parameters.
    min_gain : float, optional
        A multiplier moves only when it raises the calibration macro-F1 by at least this
        much; default ``0.5 / sqrt(calibration labels)``: with a handful of labels, smaller
        gains are noise, and the data-driven thresholds stand.
    min_per_role : int, default 10
        Calibration labels of a role needed before the threshold deciding it may move.
    model : {"auto", "thresholds", "logistic"}, default "auto"
        After the thresholds, a model of the labelled members
        (:func:`clusterkit.stages.roles.learned.learned_roles`) decides the roles where
        cross-validation on the calibration labels prefers it (``auto``), always
        (``logistic``) or never (``thresholds``).
    min_per_role_model : int, default 15
        Calibration labels needed for each role the thresholds assign before the model is
        fitted.

    Returns
    -------
    stage : the fitted stage, with labelled members' roles set to their labels (and the
        report as its ``calibration_``)
    report : dict
        ``labels``, ``calibration``, ``held_back``, the chosen multipliers, ``model`` (what
        the model of the labelled members decided, and why:
        :func:`clusterkit.stages.roles.learned.learned_roles`), and accuracy and macro-F1
        on the held-back labels before and after calibration.

    Examples
    --------
    >>> from clusterkit.stages.roles.rules import RuleRoles
    >>> X = pd.DataFrame({"act_comment": [0, 9, 8, 1, 0, 7], "act_view": [5, 0, 1, 3, 4, 0],
    ...                   "tenure_days": 60, "n_events": [5, 9, 9, 4, 4, 7]},
    ...                  index=list("abcdef"))
    >>> labels = pd.Series({"b": "fan", "d": "fan", "a": "follower", "e": "follower"})
    >>> stage, report = calibrate_roles(RuleRoles(), X, labels, random_state=0)
    >>> stage.roles_[list(X.index).index("d")], report["labels"]
    ('fan', 4)
    """
    if model not in MODELS:
        raise ConfigError(f"labels_model={model!r} is not one of {', '.join(MODELS)}.")
    decides = dict(getattr(type(stage), "_calibrated", {}))
    if not decides:
        raise ConfigError(f"labels_file calibrates role stages with thresholds (rules); the "
                          f"{getattr(stage, 'stage_name', type(stage).__name__)!r} stage has "
                          "none. Use roles.name=rules, or run without labels_file.")
    pos = features.index.get_indexer(labels.index)
    true = labels.to_numpy(dtype=object)
    order = np.random.default_rng(random_state).permutation(len(true))
    n_held = int(round(holdout * len(true))) if len(true) >= 4 else 0
    held, cal = order[:n_held], order[n_held:]

    def fit(params):
        return stage.set_params(**params).fit(features, data=data, weights=weights)

    def score(params):
        pred = np.asarray(fit(params).roles_, dtype=object)[pos]
        return _agreement(pred[cal], true[cal])[1]

    gain = 0.5 / np.sqrt(max(len(cal), 1)) if min_gain is None else float(min_gain)
    counts = pd.Series(true[cal]).value_counts()
    names = [n for n, role in decides.items() if counts.get(role, 0) >= min_per_role]
    base = dict.fromkeys(decides, 1.0)
    before = _agreement(np.asarray(fit(base).roles_, dtype=object)[pos][held], true[held])
    best, best_score = dict(base), score(base)
    for _ in range(rounds):  # coordinate ascent: a loop over parameters and grid values
        for name in names:
            for value in SCALES:
                trial = {**best, name: float(value)}
                s = score(trial)
                if s >= best_score + gain:
                    best, best_score = trial, s
    fitted = fit(best)
    predicted = np.asarray(fitted.roles_, dtype=object)
    explanations = np.asarray(fitted.explanations_, dtype=object).copy()
    confidence = np.asarray(fitted.confidence_, dtype=np.float64).copy()
    learned, l_conf, l_text, l_second, l_report = learned_roles(
        features, predicted, pos[cal], true[cal], model=model,
        attributes=(member_attributes(data, features.index)
                    if data is not None and model != "thresholds" else None),
        min_per_role=min_per_role_model, random_state=random_state)
    if learned is not None:  # the model decides; its own words where it changed a role
        changed = learned != predicted
        explanations[changed], confidence[changed] = l_text[changed], l_conf[changed]
        if hasattr(fitted, "secondary_"):
            secondary = np.asarray(fitted.secondary_, dtype=object).copy()
            moved = changed & pd.notna(l_second)
            secondary[moved] = l_second[moved]
            fitted.secondary_ = secondary
        predicted = learned
    after = _agreement(predicted[pos][held], true[held])
    roles = predicted.copy()
    roles[pos] = true
    explanations[pos] = ("given in the labels file (the run would say "
                         + predicted[pos].astype(str) + ")")
    confidence[pos] = 1.0
    fitted.roles_, fitted.explanations_, fitted.confidence_ = roles, explanations, confidence
    fitted.calibration_ = report = {"labels": int(len(true)), "calibration": int(len(cal)),
              "held_back": int(len(held)), "scales": best,
              "not_calibrated": sorted(set(decides) - set(names)), "model": l_report,
              "held_back_accuracy_before": before[0], "held_back_macro_f1_before": before[1],
              "held_back_accuracy_after": after[0], "held_back_macro_f1_after": after[1]}
    return fitted, report
