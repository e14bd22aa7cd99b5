"""A placebo check of the default attribution model's assumptions on the data at hand.

:func:`placebo_share` adds a *placebo touch* to every spell: a touch type that cannot cause
anything, placed at random times while the person is at risk (uniformly between the spell's
first touch and its end as the model censors it), as often as the most frequent real touch
type. The model is refitted with it. When the model's assumptions hold (a conversion process
in time, no confounding of touches with the outcome, see :mod:`~clusterkit.attribution.hazard`),
the placebo's share of the credit stays at the level of noise; a larger share says the model
credits touches for being frequent, and the other shares are not to be trusted either.

Measured (``experiments/results/attribution_blind.md``): 0.7-5.7 % on four journey
generators written blind to the model, where the model holds; on our own generator, whose
journeys are sampled as fixed windows before a decision at their end, not as a process in
time, 23-24 % with the coarse baseline and 5-15 % with the baseline BIC refines there
(20,000 persons; 13-25 % at 4,000), where the model still gets TV 0.13-0.26.

Examples
--------
>>> from clusterkit.attribution._arrays import prepare
>>> from clusterkit.synthetic.journeys import generate_journeys
>>> share = placebo_share(prepare(generate_journeys(2000, seed=1).journeys))
>>> bool(share > PLACEBO_LIMIT)  # our window-sampled generator is not a process in time
True
"""

from __future__ import annotations

import numpy as np

from clusterkit.attribution._arrays import JourneyArrays

__all__ = ["PLACEBO_LIMIT", "PLACEBO_MIN_CONVERSIONS", "PLACEBO_TOUCH", "placebo_share",
           "with_placebo"]

PLACEBO_TOUCH = "(placebo)"
"""Name of the placebo touch type."""

PLACEBO_LIMIT = 0.10
"""A placebo share above this (10 % of the credit) fails the check. Where the model holds,
a placebo as frequent as the most frequent touch gets 0.7-5.7 % from noise (four blind
journey generators x 2 seeds, 20,000 persons); on window-sampled journeys, 5-24 %."""


PLACEBO_MIN_CONVERSIONS = 100
"""Below this many converting spells a run does not check: with a handful of conversions a
placebo gets any share from noise alone (73 % on three persons)."""


def with_placebo(arrays: JourneyArrays, seed: int = 0) -> JourneyArrays:
    """The spells with placebo touches added (a new touch type, the last code).

    Each spell gets ``Poisson(rate * length)`` placebo touches at uniform times over its
    length (first touch to end), ``rate`` the touches per spell-day of the most frequent
    real touch type. Seeded: the same seed gives the same placebo. :func:`placebo_share`
    gives it the spells as the model censors them, so that placebo touches fall only where
    the person is at risk.
    """
    rng = np.random.default_rng(seed)
    length = arrays.per_journey(np.maximum, arrays.age_days, 0.0)
    counts = np.bincount(arrays.codes, minlength=arrays.n_touches)
    rate = counts.max(initial=0) / max(float(length.sum()), 1e-9)
    n = rng.poisson(rate * length)
    journey = np.repeat(np.arange(arrays.n_journeys), n)
    age = rng.random(len(journey)) * length[journey]
    k = arrays.n_touches
    all_j = np.r_[arrays.journey, journey]
    all_age = np.r_[arrays.age_days, age]
    all_codes = np.r_[arrays.codes, np.full(len(journey), k, dtype=np.int32)]
    order = np.lexsort((all_codes, -all_age, all_j))  # rows by spell, then in time order
    all_j = all_j[order]
    start = np.searchsorted(all_j, np.arange(arrays.n_journeys + 1)).astype(np.int64)
    touches = np.append(arrays.touches.astype(object), PLACEBO_TOUCH).astype(str)
    return JourneyArrays(touches, arrays.level, all_codes[order].astype(np.int32), all_j,
                         all_age[order], start, arrays.converted, arrays.person_ids,
                         arrays.prior)


def placebo_share(arrays: JourneyArrays, seed: int = 0, max_persons: int | None = None,
                  **params) -> float:
    """Share of the default model's credit that a placebo touch gets (see the module).

    Parameters
    ----------
    arrays : JourneyArrays
        Whole spells (``build_journeys(lookback_days=None)``), as the model reads them.
    seed : int
        Seed of the placebo times, of the model and of the sample.
    max_persons : int, optional
        Check on the spells of this many persons drawn at random (seeded) when there are
        more; the limit was set from 20,000 persons. Default: every person.
    **params
        Parameters of :class:`~clusterkit.attribution.hazard.HazardModel`.
    """
    from clusterkit.attribution.hazard import HazardModel

    if max_persons is not None and arrays.n_persons > max_persons:
        rng = np.random.default_rng(seed)
        drawn = np.zeros(arrays.n_persons, dtype=bool)
        drawn[rng.choice(arrays.n_persons, int(max_persons), replace=False)] = True
        arrays = arrays.subset(np.flatnonzero(drawn[arrays.person]))
    model = HazardModel(random_state=seed, **params)
    at_risk = model._at_risk(arrays)  # the spells as the model censors them, real touches only
    aug = with_placebo(at_risk, seed)
    model.censor = "end"  # already censored: placebo touches must not extend the spells
    credit = model.fit(aug).credit_(aug)
    total = credit.sum()
    return float(credit[-1] / total) if total > 0 else 0.0
