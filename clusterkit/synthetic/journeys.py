"""Synthetic journeys with planted channel effects that are *not* aligned with touch frequency.

Every person has one journey: a set of channels touched (each channel ``c`` with
probability ``reach``, then ``1 + Poisson(extra)`` touches), touch times spread uniformly
over the lookback window before the journey's end, and a conversion drawn with probability

.. math::

    p(T) = \\sigma\\Big(b_0 + \\sum_{c \\in T} \\beta_c \\big(f + \\frac{1 - f}
    {1 + \\mathrm{age}_c / \\tau}\\big) + \\sum_{(a, b)} \\gamma_{ab} [a \\in T][b \\in T]\\Big)

for the journey's touched set ``T`` (``age_c``: days from ``c``'s last touch to the end;
``f = recency_floor``, ``τ = recency_days``; ``γ`` the planted synergies). Only presence and
recency matter, not how often a channel is touched. The defaults make the most frequent
channels weak, the rare ones strong and ``video`` useless (``β = 0``).

The *true contribution* of a channel is its Shapley share of each journey's conversion
probability above the no-touch baseline, ``p(S_j) - p(∅)`` over the subsets of the
journey's own set ``S_j`` (ages fixed), summed over all journeys; it is computed exactly.

Examples
--------
>>> sj = generate_journeys(2000, seed=0)
>>> abs(float(sj.truth.loc["video", "true_share"])) < 1e-12     # the zero-effect channel
True
>>> bool(sj.truth.loc["display", "touch_share"] > sj.truth.loc["referral", "touch_share"])
True
>>> sj.journeys.columns.tolist()[:4]
['person_id', 'journey_id', 'step', 'touch']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["DEFAULT_JOURNEY_CHANNELS", "ChannelEffect", "SyntheticJourneys",
           "generate_journeys"]

_DAY = 86400


@dataclass(frozen=True)
class ChannelEffect:
    """A channel of the journey generator.

    Attributes
    ----------
    reach : float
        Probability that a journey touches the channel.
    extra : float
        Mean of the extra touches (Poisson) once touched.
    effect : float
        Planted logit effect ``β`` of a fresh touch.
    actions : dict
        Action → probability of the channel's touches (for events and action level).
    """

    reach: float
    extra: float
    effect: float
    actions: dict = field(default_factory=lambda: {"view": 1.0})


DEFAULT_JOURNEY_CHANNELS = {
    "display": ChannelEffect(0.70, 2.0, 0.05, {"view": 1.0}),
    "social": ChannelEffect(0.55, 1.5, 0.15, {"like": 0.6, "comment": 0.25, "share": 0.15}),
    "email": ChannelEffect(0.45, 1.0, 0.35, {"newsletter_open": 0.7, "newsletter_click": 0.3}),
    "video": ChannelEffect(0.35, 1.0, 0.0, {"view": 0.7, "like": 0.3}),
    "search": ChannelEffect(0.20, 0.5, 0.9, {"view": 1.0}),
    "affiliate": ChannelEffect(0.08, 0.2, 1.3, {"view": 1.0}),
    "referral": ChannelEffect(0.05, 0.1, 1.6, {"view": 1.0}),
    "events": ChannelEffect(0.03, 0.0, 1.8, {"event_attend": 1.0}),
}
"""Frequent weak channels, rare strong ones, and ``video`` with no effect at all."""


@dataclass(frozen=True, eq=False)
class SyntheticJourneys:
    """Generated journeys, the planted truth and the parameters.

    Attributes
    ----------
    journeys : pandas.DataFrame
        Channel-level journeys in the form of
        :func:`~clusterkit.attribution.build_journeys` (one row per touch).
    truth : pandas.DataFrame
        Index channel: ``effect``, ``reach``, ``touches``, ``touch_share``,
        ``true_conversions`` (expected conversions the channel adds, exact Shapley) and
        ``true_share``.
    params : dict
        Resolved parameters (provenance).
    """

    journeys: pd.DataFrame
    truth: pd.DataFrame
    params: dict
    _actions: np.ndarray = field(repr=False, default=None)
    _end: np.ndarray = field(repr=False, default=None)
    _value: np.ndarray = field(repr=False, default=None)

    def action_journeys(self) -> pd.DataFrame:
        """The same journeys at action level (touch ``action@channel``)."""
        j = self.journeys
        touch = self._actions + "@" + j["touch"].astype(str).to_numpy()
        out = j.assign(touch=touch)
        ts = out["timestamp"].to_numpy(dtype="datetime64[us]").astype(np.int64)
        order = np.lexsort((touch, ts, out["journey_id"].to_numpy()))
        out = out.iloc[order].reset_index(drop=True)
        out["step"] = (np.arange(len(out)) - np.searchsorted(
            out["journey_id"].to_numpy(), out["journey_id"].to_numpy())).astype(np.int32)
        out["touch"] = pd.Categorical(out["touch"], categories=np.unique(touch))
        return out

    def events(self) -> pd.DataFrame:
        """The journeys as an events table of the data contract, conversions included.

        Columns ``member_id`` (the person), ``action``, ``channel``, ``timestamp`` and
        ``value`` (purchases on channel ``shop``). ``build_journeys`` on these events (with
        the same lookback) gives back :attr:`journeys`.
        """
        j = self.journeys
        person = pd.Series(j["person_id"].to_numpy()[np.r_[0, np.flatnonzero(
            np.diff(j["journey_id"].to_numpy())) + 1]], dtype="str")
        conv = np.flatnonzero(~np.isnan(self._value))
        touches = pd.DataFrame({"member_id": j["person_id"].to_numpy(),
                                "action": self._actions,
                                "channel": j["touch"].astype(str).to_numpy(),
                                "timestamp": j["timestamp"].to_numpy(), "value": np.nan})
        buys = pd.DataFrame({"member_id": person.to_numpy()[conv], "action": "purchase",
                             "channel": "shop",
                             "timestamp": pd.to_datetime(self._end[conv], unit="s", utc=True),
                             "value": self._value[conv]})
        out = pd.concat([touches, buys], ignore_index=True)
        out["timestamp"] = out["timestamp"].astype("datetime64[us, UTC]")
        return out


def _planted_value(b0, parts, indptr, synergy):
    """Value function of the planted game (for :func:`grouped_shapley`)."""

    def value(rows, P, patterns):
        pos = indptr[rows][:, None] + np.arange(P.shape[1])
        pat = patterns.T.astype(np.float64)
        logit = b0 + parts[pos] @ pat
        for a, b, g in synergy:
            logit += g * (((P == a) @ pat) * ((P == b) @ pat))
        return 1.0 / (1.0 + np.exp(-logit))

    return value


def generate_journeys(n_journeys: int, *, channels=None, baseline: float = -3.2,
                      synergy=(("email", "search", 0.4),), recency_days: float = 5.0,
                      recency_floor: float = 0.5, lookback_days: float = 30.0,
                      days: float = 180.0, start: str = "2026-01-01",
                      seed: int = 0) -> SyntheticJourneys:
    """Generate journeys with planted, known channel effects (see the module docstring).

    Parameters
    ----------
    n_journeys : int
        Number of journeys (= persons).
    channels : dict of str to ChannelEffect, optional
        Default :data:`DEFAULT_JOURNEY_CHANNELS`.
    baseline : float
        Logit ``b0`` of conversion with no touch.
    synergy : sequence of (channel, channel, gamma)
        Extra logit when both channels are touched.
    recency_days, recency_floor : float
        Recency curve ``f + (1 - f) / (1 + age / recency_days)``.
    lookback_days : float
        Touches fall in the lookback window before the journey's end.
    days : float
        Length of the data period; non-converting journeys end at its end.
    start : str
        Start of the data period (UTC).
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    SyntheticJourneys
    """
    from clusterkit.attribution.shapley import grouped_shapley

    spec = dict(DEFAULT_JOURNEY_CHANNELS if channels is None else channels)
    if n_journeys < 1 or not spec or days <= lookback_days or lookback_days <= 0:
        raise ValueError("need n_journeys >= 1, at least one channel and "
                         "0 < lookback_days < days")
    names = np.array(sorted(spec))
    chans = [spec[c] for c in names]
    k = len(names)
    rng = np.random.default_rng(seed)
    reach = np.array([c.reach for c in chans])
    present = rng.random((n_journeys, k)) < reach
    empty = np.flatnonzero(~present.any(axis=1))
    present[empty, rng.choice(k, size=len(empty), p=reach / reach.sum())] = True
    extra = np.array([c.extra for c in chans])
    counts = present * (1 + rng.poisson(extra, size=(n_journeys, k)))
    flat = counts.ravel()
    row_pair = np.repeat(np.arange(flat.size), flat)
    lookback_s = int(round(lookback_days * _DAY))
    age_s = rng.integers(0, lookback_s, size=len(row_pair))
    pj, pc = np.nonzero(present)  # pairs, sorted by journey then channel
    pair_first = np.r_[0, np.cumsum(flat[flat > 0])[:-1]]
    min_age = np.minimum.reduceat(age_s, pair_first) / _DAY
    beta = np.array([c.effect for c in chans])
    parts = beta[pc] * (recency_floor + (1 - recency_floor) / (1 + min_age / recency_days))
    pos = {c: i for i, c in enumerate(names)}
    syn = [(pos[a], pos[b], float(g)) for a, b, g in synergy if a in pos and b in pos]
    logit = baseline + np.bincount(pj, weights=parts, minlength=n_journeys)
    for a, b, g in syn:
        logit += g * (present[:, a] & present[:, b])
    p = 1.0 / (1.0 + np.exp(-logit))
    converted = rng.random(n_journeys) < p
    indptr = np.searchsorted(pj, np.arange(n_journeys + 1))
    true, _ = grouped_shapley(indptr, pc, _planted_value(baseline, parts, indptr, syn),
                              n_players=k, max_exact=k)
    # times: converters end anywhere after the first lookback window, the rest at the end
    t0 = int(pd.Timestamp(start, tz="UTC").timestamp())
    span = int(round(days * _DAY))
    end = np.where(converted, t0 + lookback_s + rng.integers(0, span - lookback_s + 1,
                                                             n_journeys), t0 + span)
    if converted.any():  # the latest conversion closes the data, as build_journeys reads it
        end[np.flatnonzero(converted)[np.argmax(end[converted])]] = t0 + span
    rj = row_pair // k
    rc = (row_pair % k).astype(np.int64)
    ts = end[rj] - age_s
    actions = np.empty(len(rj), dtype=object)
    for i, c in enumerate(chans):  # one draw per channel
        sel = np.flatnonzero(rc == i)
        acts = list(c.actions)
        prob = np.array([c.actions[a] for a in acts], dtype=np.float64)
        actions[sel] = np.array(acts, dtype=object)[rng.choice(len(acts), size=len(sel),
                                                               p=prob / prob.sum())]
    order = np.lexsort((rc, ts, rj))
    rj, rc, ts, actions = rj[order], rc[order], ts[order], actions[order]
    value = np.where(converted, np.round(rng.lognormal(3.9, 0.6, n_journeys), 2), np.nan)
    width = max(7, len(str(n_journeys - 1)))
    ids = pd.Series(np.arange(n_journeys)).astype(str).str.zfill(width)
    person = pd.array(("p" + ids).to_numpy(), dtype="str")
    first = np.searchsorted(rj, np.arange(n_journeys))
    journeys = pd.DataFrame({
        "person_id": person.take(rj),
        "journey_id": rj.astype(np.int64),
        "step": (np.arange(len(rj)) - first[rj]).astype(np.int32),
        "touch": pd.Categorical.from_codes(rc, categories=names),
        "timestamp": pd.to_datetime(ts, unit="s", utc=True).astype("datetime64[us, UTC]"),
        "journey_end": pd.to_datetime(end[rj], unit="s", utc=True).astype(
            "datetime64[us, UTC]"),
        "converted": converted[rj],
        "conversion_value": np.where(converted, value, 0.0)[rj],
        "prior_conversions": np.zeros(len(rj), dtype=np.int32),
    })
    touches = np.bincount(rc, minlength=k)
    truth = pd.DataFrame({
        "effect": beta, "reach": reach, "touches": touches,
        "touch_share": touches / touches.sum(), "true_conversions": true,
        "true_share": true / true.sum()}, index=pd.Index(names, name="channel"))
    params = dict(n_journeys=n_journeys, baseline=baseline, synergy=[list(s) for s in synergy],
                  recency_days=recency_days, recency_floor=recency_floor,
                  lookback_days=lookback_days, days=days, start=start, seed=seed,
                  channels={c: vars(spec[c]) for c in names})
    return SyntheticJourneys(journeys, truth, params, actions.astype(str), end,
                             np.where(converted, value, np.nan))
