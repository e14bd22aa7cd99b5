"""Roles learned from a user's labelled members, beside the thresholds they correct.

When a user knows enough of their influencers, bloggers, fans and followers
(``labels_file``), the threshold multipliers of :mod:`clusterkit.stages.roles.calibrate`
can only move the data-driven cuts; they cannot use evidence the thresholds do not read
(breadth across channels for a fan with few deep reactions, say). This module fits a
multinomial logistic regression on every numeric feature and declared member attribute
(signed ``log1p``, standardised; a missing value at its column's median) and the
thresholds' own role (one-hot), on the calibration labels, and lets it decide a member's
role only where cross-validation on those labels says it agrees with them better than the
thresholds do.

Assumptions, stated:

- *Labels sampled within roles.* The labelled members of a role look like its other members
  (``p(features | role)`` is the same for labelled and unlabelled members); the user may
  label roles in any proportion. Under this *label shift* assumption the population's role
  shares are estimated by expectation-maximisation over every member's predicted
  probabilities (Saerens, Latinne and Decaestecker, 2002), and the probabilities are
  re-weighted from the labels' shares to those. A user who labels 50 of each role
  therefore does not turn a quarter of the audience into influencers.
- *Enough labels.* Each role the thresholds assign needs ``min_per_role`` calibration labels
  (default 15) before the model is fitted; with fewer, the thresholds stand.
- *No role without its evidence.* A member with no events cannot be called a fan or a
  blogger by the model (DESIGN §3: both are defined by what a member does), and a label
  saying so (a fan with no events, as on a follower graph alone) is not learned from.

The choice is made on the labels alone (``model="logistic"`` uses the model whatever it
finds, and still reports it): the model's cross-validated macro-F1 on the calibration
labels, each label weighted by its role's estimated population share over its
share among the labels, against the thresholds' on the same labels, in paired bootstrap
draws of the labels; the model decides when it wins in at least half of them.
``"thresholds"`` never fits the model. Two small biases, stated: the thresholds' multipliers
were searched on the same calibration labels (they rarely move), and the population shares
used inside the folds are estimated once from all calibration labels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.data.timestamps import days_before_latest
from clusterkit.errors import ConfigError

__all__ = ["MODELS", "learned_roles", "member_attributes"]

MODELS = ("auto", "thresholds", "logistic")
"""How labels decide roles: chosen by cross-validation, thresholds only, the model."""

_EVENT_ROLES = ("fan", "blogger")


def member_attributes(data, index) -> pd.DataFrame | None:
    """The members table's numeric and true/false attributes (``views``, ...) and dates
    as days before the latest, aligned to ``index``.

    Parameters
    ----------
    data : CommunityData or None
        Its ``members`` table is read; ``created_at`` is parsed as a date whatever its type.
    index : sequence of str
        Member ids, in the order of the rows wanted.

    Returns
    -------
    pandas.DataFrame or None
        One ``attr_<column>`` per usable column (missing where a member has no row or no
        value); ``None`` when there are none.

    Examples
    --------
    >>> from clusterkit.data import CommunityData
    >>> data = CommunityData.from_frames(members=pd.DataFrame(
    ...     {"member_id": ["a", "b"], "views": [10, 200], "bio": ["x", "y"]}),
    ...     follows=pd.DataFrame({"follower_id": ["a"], "followee_id": ["b"]}))
    >>> member_attributes(data, ["b", "a"])["attr_views"].tolist()
    [200.0, 10.0]
    """
    members = getattr(data, "members", None)
    if members is None or not len(members):
        return None
    kinds = pd.api.types
    usable = [c for c in members.columns if c == "created_at" or kinds.is_numeric_dtype(
        members[c]) or kinds.is_bool_dtype(members[c]) or kinds.is_datetime64_any_dtype(
        members[c])]
    members = members[usable].reindex(index)
    out = {}
    for name in usable:  # a loop over columns, not members
        col = members[name]
        if name == "created_at" or kinds.is_datetime64_any_dtype(col):
            values = days_before_latest(col)
        else:
            values = col.astype("float64").to_numpy(dtype=np.float64, na_value=np.nan)
        out[f"attr_{name}"] = values
    return pd.DataFrame(out, index=members.index) if out else None


def _design(features: pd.DataFrame, base: np.ndarray, roles: list[str]):
    """Standardised signed ``log1p`` numeric columns, and the thresholds' role one-hot.

    A missing value takes its column's median; an infinite one its column's largest
    (smallest) finite value.
    """
    num = features.select_dtypes(["number", "bool"])
    k = num.shape[1]
    Z = np.empty((len(features), k + len(roles)), dtype=np.float64)  # filled in place
    for j, name in enumerate(num.columns):  # a loop over columns, not members
        col = Z[:, j]
        col[:] = num[name].astype("float64").to_numpy(dtype=np.float64, na_value=np.nan)
        finite = np.isfinite(col)
        if not finite.all():
            seen = col[finite]
            lo, mid, hi = ((seen.min(), np.median(seen), seen.max()) if len(seen)
                           else (0.0, 0.0, 0.0))
            col[np.isnan(col)] = mid
            col[np.isposinf(col)], col[np.isneginf(col)] = hi, lo
        sign = np.sign(col)
        np.abs(col, out=col)
        np.log1p(col, out=col)
        col *= sign
    for j, role in enumerate(roles):
        Z[:, k + j] = base == role
    mean, sd = Z.mean(axis=0), Z.std(axis=0)
    Z -= mean
    Z /= np.where(sd > 0, sd, 1.0)
    return Z, list(num.columns)


def _fit(Z, y, C):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=5000).fit(Z, y)


def _label_shift(P: np.ndarray, train: np.ndarray, allowed: np.ndarray,
                 rounds: int = 200) -> np.ndarray:
    """Population class shares by EM over predicted probabilities (Saerens et al., 2002),
    each member's probabilities restricted to the roles it may have."""
    pi = train.copy()
    P = np.where(allowed, P, 0.0)
    for _ in range(rounds):  # EM iterations, each vectorised over members
        Q = P * (pi / train)
        Q /= np.maximum(Q.sum(axis=1, keepdims=True), 1e-300)
        new = Q.mean(axis=0)
        if np.abs(new - pi).max() < 1e-8:
            return new
        pi = new
    return pi


def _shifted(P, train, prior, allowed):
    """The model's probabilities moved from the labels' role shares to ``prior``,
    restricted to the roles each member may have."""
    P = np.where(allowed, P * (prior / train), 0.0)
    P /= np.maximum(P.sum(axis=1, keepdims=True), 1e-300)
    return P


def _macro_f1(true, pred, weight, classes, counts=None):
    """Weighted macro-F1 over ``classes``; one per row of ``counts`` (bootstrap draws of
    the labels) when given, by matrix products instead of a loop over draws."""
    w = weight if counts is None else counts * weight[None, :]
    w = np.atleast_2d(w)
    hit = (true == pred)
    f1 = np.zeros((len(w), len(classes)))
    for j, c in enumerate(classes):  # a loop over the four roles
        is_t, is_p = true == c, pred == c
        tp = w @ (is_t & hit)
        den = 2 * tp + w @ (is_p & ~hit) + w @ (is_t & ~hit)
        f1[:, j] = np.where(den > 0, 2 * tp / np.where(den > 0, den, 1.0), 0.0)
    out = f1.mean(axis=1)
    return float(out[0]) if counts is None else out


def _explain(Z, coef, names, chosen, classes, P, base, n_labels):
    """'fan: a model of 140 labelled members (probability 0.82; the thresholds said
    follower); n_channels +1.4 sd, act_comment +0.9 sd' for each member."""
    k = len(names)
    row = np.searchsorted(classes, chosen)
    contrib = coef[row][:, :k] * Z[:, :k]
    top = np.argsort(-contrib, axis=1, kind="stable")[:, :2]
    idx = np.arange(len(Z))
    name_arr = np.asarray(names, dtype=object)
    parts = [pd.Series(name_arr[top[:, j]]) + " " + pd.Series(Z[idx, top[:, j]]).map(
        "{:+.1f} sd".format) for j in range(min(2, k))]
    p = pd.Series(P[idx, row]).map("{:.2f}".format)
    text = (pd.Series(chosen, dtype=object) + f": a model of {n_labels} labelled members "
            "(probability " + p + "; the thresholds said " + pd.Series(base, dtype=object)
            + ")")
    if parts:
        text = text + "; " + parts[0]
        if len(parts) > 1:
            text = text + ", " + parts[1]
    return text.to_numpy(dtype=object)


def learned_roles(features: pd.DataFrame, base: np.ndarray, pos: np.ndarray, true: np.ndarray,
                  *, attributes: pd.DataFrame | None = None, model: str = "auto",
                  min_per_role: int = 15, C: float = 0.3, folds: int = 5, sure: float = 0.5,
                  boot: int = 500, random_state=None):
    """Roles from a model of the labelled members, where it beats the thresholds.

    Parameters
    ----------
    features : pandas.DataFrame
        The raw feature table (one row per member).
    base : numpy.ndarray
        The thresholds' roles, one per member.
    pos, true : numpy.ndarray
        Positions (rows of ``features``) and roles of the calibration labels.
    attributes : pandas.DataFrame, optional
        More numeric columns, row for row with ``features`` (:func:`member_attributes`:
        the members table's declared attributes, such as views).
    model : {"auto", "thresholds", "logistic"}
        ``auto`` uses the model where its cross-validated agreement with the labels is
        higher than the thresholds'; ``logistic`` always (when there are enough labels).
    min_per_role : int, default 15
        Calibration labels needed for each role the thresholds assign.
    C : float, default 0.3
        Inverse L2 strength of the logistic regression.
    folds : int, default 5
        Cross-validation folds (stratified, shuffled with ``random_state``).
    sure, boot : float, int, default 0.5, 500
        With ``auto``, the model decides only when its cross-validated macro-F1 beats the
        thresholds' in at least ``sure`` of ``boot`` bootstrap draws of the labels (paired:
        the same draws for both); the share is reported either way. A stricter 0.8 made
        the model decide in half as many cases of the stress family and lowered its mean
        gain (``experiments/results/roles_stress.md``).
    random_state : int or None
        Seed of the folds and of the bootstrap draws.

    Returns
    -------
    roles, confidence, explanations, secondary : numpy.ndarray or None
        ``None`` when the thresholds stand. ``explanations`` holds the model's words for
        the members whose role it changed, and ``None`` for the others; ``secondary`` is
        each member's next most probable role (``None`` where no other role is possible).
    report : dict
        ``model`` (what decided), ``reason``, the cross-validated scores, the estimated
        population shares and ``changed`` (members whose role the model changed, labelled
        members included: a caller that keeps the given roles overwrites theirs).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"n_events": rng.poisson(5, 400), "n_channels": rng.poisson(2, 400)})
    >>> base = np.where(X["n_events"] > 6, "fan", "follower").astype(object)
    >>> truth = np.where(X["n_channels"] > 2, "fan", "follower").astype(object)
    >>> pos = np.arange(0, 400, 2)
    >>> roles, conf, text, second, report = learned_roles(X, base, pos, truth[pos],
    ...                                                   random_state=0)
    >>> report["model"], bool((roles == truth).mean() > (base == truth).mean())
    ('logistic', True)
    """
    from sklearn.model_selection import StratifiedKFold

    checks = {"model": model in MODELS, "min_per_role": min_per_role >= 2, "C": C > 0,
              "folds": folds >= 2, "sure": 0 < sure <= 1, "boot": boot >= 1}
    bad = [name for name, ok in checks.items() if not ok]
    if bad:
        raise ConfigError(f"learned_roles: {bad[0]}={locals()[bad[0]]!r} is out of range "
                          f"(model one of {', '.join(MODELS)}; min_per_role and folds >= 2; "
                          "C > 0; 0 < sure <= 1; boot >= 1).")
    report = {"model": "thresholds", "reason": "", "changed": 0}
    if model == "thresholds":
        report["reason"] = "labels_model is thresholds"
        return None, None, None, None, report
    active = (features["n_events"].to_numpy() > 0 if "n_events" in features
              else np.zeros(len(features), dtype=bool))
    shown = ~np.isin(true, _EVENT_ROLES) | active[pos]  # a fan with no events: not learnable
    report["unlearnable_labels"] = int((~shown).sum())
    pos, true = pos[shown], true[shown]
    counts = pd.Series(true).value_counts()
    assigned = sorted(set(base.tolist()))
    short = [r for r in assigned if counts.get(r, 0) < min_per_role]
    rare = counts.index[(counts < min_per_role) & ~counts.index.isin(assigned)]
    if len(rare):  # a handful of labels of a role the thresholds never assign: too few
        report["too_few_to_learn"] = {str(r): int(counts[r]) for r in sorted(rare)}
        keep = ~np.isin(true, rare.to_numpy())
        pos, true = pos[keep], true[keep]
        counts = counts.drop(rare)
    if short or len(counts) < 2:
        report["reason"] = (f"fewer than {min_per_role} calibration labels of "
                            + ", ".join(short) if short else
                            "labels of fewer than two roles the data can show")
        return None, None, None, None, report
    classes = np.asarray(sorted(counts.index), dtype=object)
    table = features if attributes is None else pd.concat(
        [features, attributes.set_axis(features.index)], axis=1)
    Z, names = _design(table, np.asarray(base, dtype=object), list(classes))
    allowed = ~np.isin(classes, _EVENT_ROLES)[None, :] | active[:, None]
    train = counts.reindex(classes).to_numpy(dtype=np.float64) / len(true)
    fitted = _fit(Z[pos], true, C)
    P_all = fitted.predict_proba(Z)  # once: the shares, then the roles
    prior = _label_shift(P_all, train, allowed)
    report["shares"] = {str(c): round(float(s), 4) for c, s in zip(classes, prior, strict=True)}
    weight = (prior / train)[np.searchsorted(classes, true)]
    cv_pred = np.empty(len(pos), dtype=object)
    n_folds = int(min(folds, counts.min()))
    split = StratifiedKFold(n_folds, shuffle=True, random_state=random_state)
    for a, b in split.split(pos, true):  # a loop over folds, not members
        fold = _fit(Z[pos[a]], true[a], C)
        fold_train = pd.Series(true[a]).value_counts(normalize=True).reindex(classes)
        fold_train = fold_train.fillna(1e-9).to_numpy()
        cv_pred[b] = classes[_shifted(fold.predict_proba(Z[pos[b]]), fold_train, prior,
                                      allowed[pos[b]]).argmax(axis=1)]
    report["cv_macro_f1_model"] = round(_macro_f1(true, cv_pred, weight, classes), 4)
    report["cv_macro_f1_thresholds"] = round(_macro_f1(true, base[pos], weight, classes), 4)
    draws = np.random.default_rng(random_state).multinomial(
        len(pos), np.full(len(pos), 1.0 / len(pos)), size=boot)
    wins = float(np.mean(_macro_f1(true, cv_pred, weight, classes, draws)
                         > _macro_f1(true, base[pos], weight, classes, draws)))
    report["model_better_share"] = round(wins, 4)
    if model == "auto" and wins < sure:
        report["reason"] = (f"the model beat the thresholds in {wins:.0%} of {boot} "
                            f"bootstrap draws of the labels, under {sure:.0%}")
        return None, None, None, None, report
    P = _shifted(P_all, train, prior, allowed)
    order = np.argsort(-P, axis=1, kind="stable")
    roles, confidence = classes[order[:, 0]], P.max(axis=1)
    rows = np.arange(len(P))
    secondary = np.where(P[rows, order[:, 1]] > 0, classes[order[:, 1]], None)
    changed = np.flatnonzero(roles != base)
    explanations = np.full(len(roles), None, dtype=object)
    explanations[changed] = _explain(
        Z[changed], fitted.coef_ if len(classes) > 2 else np.vstack(
            [-fitted.coef_, fitted.coef_]), names, roles[changed], classes, P[changed],
        base[changed], len(pos))
    report.update(model="logistic", reason="it agrees with the labels better"
                  if model == "auto" else "labels_model is logistic",
                  changed=int(len(changed)))
    return roles, confidence, explanations, secondary, report
