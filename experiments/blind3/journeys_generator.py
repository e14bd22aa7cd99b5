"""Synthetic marketing journeys whose causal channel contributions are known exactly.

The world
---------
Persons are observed during calendar year 2024 (UTC). Every person carries three hidden traits:

* *intent* (standard normal): raises the person's propensity to buy with no marketing at all and,
  for some channels, also how often that channel reaches them (retargeting banners and searches are
  shown to people who were going to buy anyway). Touches of those channels are therefore
  correlated with buying without causing it;
* *activity* and a per-channel *affinity*: how much marketing of each kind reaches the person;
* *responsiveness*: a person-level multiplier on every channel's effect.

Marketing reaches a person through eight channels, each with its own actions:

    email     newsletter_open (weekly newsletter, Tuesdays 09:00; sometimes followed by a
              newsletter_click) and, in the decision scenarios, reminder / teaser mails timed
              against the person's decision date
    search    view          social    like / comment / share (weights 0.6 / 1.3 / 2.0)
    display   view          affiliate view
    events    event_attend  (six fixed event evenings in the year)
    video     view          referral  view

Touches are exogenous: when and how often a person is touched never depends on whether or when the
person buys. Switching a channel's *effect* off therefore changes only conversions, never the
touches. A conversion is one row with action "purchase" on channel "shop"; a person converts at
most once.

Two conversion processes
------------------------
(a) *event in time* (hazard). The person is present from an arrival day until the data end or an
    earlier, arbitrary churn day. Their cumulative conversion hazard is a constant baseline rate
    (driven by intent) plus, per channel, ``responsiveness * beta * G(X)`` where ``X`` is the sum of
    the channel's touch weights times an integrated kernel ``1 - exp(-(t - t_touch - lag) / tau)``
    (the hazard a touch adds decays exponentially after an optional lag) and ``G`` is the identity
    or a saturating curve ``s * (1 - exp(-X / s))``; optional synergy terms
    ``gamma * sqrt(z_a * z_b)`` add hazard when two channels have both acted. The purchase happens
    at the first time the cumulative hazard exceeds an Exp(1) draw, if that is before the person
    leaves. Depending on the scenario the touch history continues after the purchase or stops at
    it. Non-converters' histories end at the data end or at their churn day.
(b) *decision at a fixed time*. Each person has a decision day D (a renewal date, or one sale day
    for everybody) and is touched in a window of weeks before D. At D they buy or not with
    probability ``sigmoid(alpha + sum_c responsiveness * beta_c * G(x_c) + synergies)`` where
    ``x_c`` is the recency-weighted touch count ``sum w * exp(-(D - t) / tau_c)``. The purchase row
    is on D itself; converters and non-converters have the same history windows (ending at D).

Ground truth
------------
For each person the game v(T) is the expected number of conversions when only the channels in T
have effects (the others' effect terms are switched off; baseline, touches and traits unchanged):
``1 - exp(-Lambda_T(end))`` for (a), ``sigmoid(lin_T)`` for (b). The Shapley value of the summed
game is computed exactly by enumerating all 2^8 channel subsets (vectorised over persons), and
``true_share`` is each channel's Shapley value divided by ``v(all) - v(empty)``. Exactly one
channel has no effect at all (share 0) and it is always touched often.

Scenarios
---------
default           (a) history continues after purchase; frequent channels (display retargeting,
                  social, newsletter) weak or null, rare ones (referral, events, affiliate, video)
                  strong; display is null and intent-targeted; search x video synergy.
renewal           (b) decision at each person's renewal date, window 45-90 days; reversed alignment:
                  the most frequent channel (email, incl. renewal reminders) is strongest, rare
                  channels weak; social is null and frequent; loyalty drives both opening mails
                  and renewing; email x search synergy.
sale_day          (b) one decision day for everybody (Black Friday 2024-11-29); touch intensity
                  ramps up towards the sale, and persons who start shopping around late in the
                  season have a higher baseline; rare channels strong; display null.
saturating        (a) diminishing returns of repeated touches in every channel; reversed alignment:
                  frequent channels (social, search, email) carry most of the effect despite
                  saturating, rare ones are weak; affiliate is null and frequent; social x search
                  synergy.
lagged            (a) a touch's effect starts only 1-10 days after it (events 10 d, video 5 d, ...);
                  history stops at the purchase; the frequent newsletter is null (intent-driven
                  openers).
mixed_population  half the persons behave as in (a) (default-like), half as in (b) with renewal
                  dates; display is null in both halves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

CHANNELS: tuple[str, ...] = (
    "email",
    "search",
    "social",
    "display",
    "affiliate",
    "events",
    "video",
    "referral",
)
N_CH = len(CHANNELS)
_CI = {c: i for i, c in enumerate(CHANNELS)}

ACTIONS: tuple[str, ...] = (
    "newsletter_open",
    "newsletter_click",
    "view",
    "like",
    "comment",
    "share",
    "event_attend",
    "purchase",
)
_AI = {a: i for i, a in enumerate(ACTIONS)}

DATA_START = pd.Timestamp("2024-01-01", tz="UTC")
DATA_DAYS = 366.0
_NEWSLETTER_SENDS = np.arange(1.0, DATA_DAYS, 7.0) + 9.0 / 24.0  # Tuesdays 09:00
_EVENT_DAYS = np.array([45.0, 101.0, 157.0, 213.0, 262.0, 318.0]) + 18.0 / 24.0
SALE_DAY = 333.0  # 2024-11-29
_SOCIAL_MIX = (("like", 0.7, 0.6), ("comment", 0.2, 1.3), ("share", 0.1, 2.0))
_CLICK_PROB = 0.25


@dataclass(frozen=True)
class Ch:
    """One channel's reach and effect inside a block of persons."""

    rate: float  # poisson channels: touches/day; email: open prob per send; events: attend prob
    beta: float = 0.0  # effect per unit of exposure (hazard mass for (a), logit for (b))
    tau: float = 3.0  # decay (days) of a touch's hazard (a) or recency weight (b)
    lag: float = 0.0  # days before a touch starts acting ((a) only)
    sat: float = 0.0  # 0: linear in exposure; >0: s * (1 - exp(-X / s))
    conf: float = 0.0  # loading of the touch rate on intent (confounding)


@dataclass(frozen=True)
class Block:
    kind: str  # "hazard" | "decision"
    channels: dict[str, Ch]
    base: float  # (a) baseline hazard mass per 100 days; (b) baseline probability
    sig: float = 0.5  # spread of intent in the baseline
    pairs: tuple[tuple[str, str, float], ...] = ()
    stop_after_purchase: bool = False
    decision: str = "renewal"  # (b): "renewal" | "sale_day"
    reminders: tuple[float, ...] = ()  # (b): extra emails this many days before D
    ramp: float = 0.0  # (b): touch intensity 1 + ramp * exp(-(D - t) / 21)
    season: float = 0.0  # (b) sale_day: baseline logit + season * exp(-window / 30)


_DEFAULT_A = dict(
    email=Ch(0.30, 0.0010, tau=2.0, conf=0.3),
    search=Ch(0.035, 0.0036, tau=3.0, conf=0.7),
    social=Ch(0.09, 0.0006, tau=1.5),
    display=Ch(0.16, 0.0, conf=0.6),
    affiliate=Ch(0.006, 0.016, tau=1.0),
    events=Ch(0.05, 0.04, tau=14.0),
    video=Ch(0.012, 0.010, tau=6.0),
    referral=Ch(0.004, 0.04, tau=10.0),
)

_SCENARIO_BLOCKS: dict[str, tuple[tuple[float, Block], ...]] = {
    "default": (
        (
            1.0,
            Block("hazard", _DEFAULT_A, base=0.030, pairs=(("search", "video", 0.8),)),
        ),
    ),
    "renewal": (
        (
            1.0,
            Block(
                "decision",
                dict(
                    email=Ch(0.35, 0.22, tau=10.0, sat=3.0, conf=0.6),
                    search=Ch(0.04, 0.25, tau=7.0, conf=0.5),
                    social=Ch(0.14, 0.0, conf=0.3),
                    display=Ch(0.06, 0.15, tau=5.0),
                    affiliate=Ch(0.004, 0.40, tau=3.0),
                    events=Ch(0.03, 0.30, tau=20.0),
                    video=Ch(0.008, 0.35, tau=10.0),
                    referral=Ch(0.003, 0.50, tau=14.0),
                ),
                base=0.030,
                sig=0.8,
                pairs=(("email", "search", 0.3),),
                decision="renewal",
                reminders=(28.0, 14.0, 7.0, 3.0, 1.0),
            ),
        ),
    ),
    "sale_day": (
        (
            1.0,
            Block(
                "decision",
                dict(
                    email=Ch(0.30, 0.05, tau=7.0, conf=0.3),
                    search=Ch(0.03, 0.15, tau=5.0, conf=0.6),
                    social=Ch(0.10, 0.02, tau=4.0),
                    display=Ch(0.15, 0.0, conf=0.7),
                    affiliate=Ch(0.006, 0.9, tau=4.0),
                    events=Ch(0.05, 0.8, tau=30.0),
                    video=Ch(0.008, 0.6, tau=10.0),
                    referral=Ch(0.003, 1.2, tau=20.0),
                ),
                base=0.018,
                sig=0.6,
                pairs=(("video", "affiliate", 0.5),),
                decision="sale_day",
                reminders=(14.0, 7.0, 2.0, 1.0),
                ramp=3.0,
                season=1.0,
            ),
        ),
    ),
    "saturating": (
        (
            1.0,
            Block(
                "hazard",
                dict(
                    email=Ch(0.40, 0.020, tau=2.0, sat=1.5),
                    search=Ch(0.06, 0.030, tau=3.0, sat=1.0, conf=0.6),
                    social=Ch(0.12, 0.025, tau=2.0, sat=2.0),
                    display=Ch(0.04, 0.006, tau=2.0, sat=1.0),
                    affiliate=Ch(0.12, 0.0, conf=0.5),
                    events=Ch(0.02, 0.012, tau=10.0, sat=1.0),
                    video=Ch(0.006, 0.012, tau=4.0, sat=1.0),
                    referral=Ch(0.003, 0.020, tau=7.0, sat=1.0),
                ),
                base=0.028,
                pairs=(("social", "search", 0.5),),
            ),
        ),
    ),
    "lagged": (
        (
            1.0,
            Block(
                "hazard",
                dict(
                    email=Ch(0.45, 0.0, conf=0.6),
                    search=Ch(0.03, 0.005, tau=3.0, lag=1.0, conf=0.4),
                    social=Ch(0.10, 0.0008, tau=3.0, lag=2.0),
                    display=Ch(0.08, 0.0006, tau=3.0, lag=1.0),
                    affiliate=Ch(0.006, 0.02, tau=2.0, lag=1.5),
                    events=Ch(0.04, 0.06, tau=20.0, lag=10.0),
                    video=Ch(0.01, 0.015, tau=7.0, lag=5.0),
                    referral=Ch(0.004, 0.05, tau=10.0, lag=3.0),
                ),
                base=0.030,
                stop_after_purchase=True,
            ),
        ),
    ),
    "mixed_population": (
        (0.5, Block("hazard", _DEFAULT_A, base=0.030, pairs=(("search", "video", 0.8),))),
        (
            0.5,
            Block(
                "decision",
                dict(
                    email=Ch(0.30, 0.10, tau=10.0, sat=2.0, conf=0.4),
                    search=Ch(0.03, 0.15, tau=7.0, conf=0.5),
                    social=Ch(0.10, 0.02, tau=4.0),
                    display=Ch(0.15, 0.0, conf=0.6),
                    affiliate=Ch(0.005, 0.6, tau=5.0),
                    events=Ch(0.04, 0.5, tau=25.0),
                    video=Ch(0.008, 0.5, tau=10.0),
                    referral=Ch(0.003, 0.8, tau=14.0),
                ),
                base=0.035,
                sig=0.7,
                decision="renewal",
                reminders=(21.0, 7.0, 2.0),
            ),
        ),
    ),
}

SCENARIOS: tuple[str, ...] = tuple(_SCENARIO_BLOCKS)

# all 2^C channel subsets as a 0/1 matrix, subset id = bit mask
_SUBSETS = ((np.arange(2**N_CH)[:, None] >> np.arange(N_CH)[None, :]) & 1).astype(np.float64)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _one_minus_exp_neg(x: np.ndarray) -> np.ndarray:
    return -np.expm1(-x)


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


class _Touches:
    """Flat touch arrays (person index local to a block)."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, ...]] = []

    def add(self, p, t, c, a, w) -> None:
        n = len(p)
        self.parts.append(
            (
                np.asarray(p, np.int64),
                np.asarray(t, np.float64),
                np.full(n, c, np.int64) if np.isscalar(c) else np.asarray(c, np.int64),
                np.full(n, a, np.int64) if np.isscalar(a) else np.asarray(a, np.int64),
                np.full(n, w, np.float64) if np.isscalar(w) else np.asarray(w, np.float64),
            )
        )

    def arrays(self) -> tuple[np.ndarray, ...]:
        if not self.parts:
            e = np.zeros(0)
            return e.astype(np.int64), e, e.astype(np.int64), e.astype(np.int64), e
        return tuple(np.concatenate([p[i] for p in self.parts]) for i in range(5))


def _scheduled(rng, touches, s, e, times, prob, ch, action, click: bool) -> None:
    """Touches at scheduled times (n, k) that each happen with probability prob (n,)."""
    inwin = (times >= s[:, None]) & (times < e[:, None])
    hit = inwin & (rng.random(times.shape) < prob[:, None])
    pi, ki = np.nonzero(hit)
    t = times[pi, ki]
    if click:  # a newsletter is opened some hours after it is sent
        t = t + rng.exponential(0.4, len(t))
    ok = t < e[pi]
    pi, t = pi[ok], t[ok]
    touches.add(pi, t, ch, _AI[action], 1.0)
    if click:
        c = rng.random(len(t)) < _CLICK_PROB
        tc = t[c] + rng.exponential(0.01, int(c.sum()))
        ok = tc < e[pi[c]]
        touches.add(pi[c][ok], tc[ok], ch, _AI["newsletter_click"], 1.0)


def _touches(rng, block: Block, s, e, dday, u, act, aff) -> _Touches:
    """All touches of a block's persons inside their windows [s, e)."""
    n = len(s)
    tt = _Touches()
    dur = e - s
    for name, ch in block.channels.items():
        c = _CI[name]
        lift = np.exp(ch.conf * u - 0.5 * ch.conf**2)
        if name == "email":
            times = np.broadcast_to(_NEWSLETTER_SENDS, (n, len(_NEWSLETTER_SENDS)))
            if block.reminders and dday is not None:
                rem = dday[:, None] - np.asarray(block.reminders)[None, :] - 15.0 / 24.0
                times = np.concatenate([times, rem], axis=1)
            z = rng.standard_normal(n)
            prob = _sigmoid(_logit(ch.rate) + ch.conf * u + 0.8 * z)
            _scheduled(rng, tt, s, e, times, prob, c, "newsletter_open", click=True)
        elif name == "events":
            times = np.broadcast_to(_EVENT_DAYS, (n, len(_EVENT_DAYS)))
            prob = np.minimum(0.9, ch.rate * act * aff[:, c] * lift)
            _scheduled(rng, tt, s, e, times, prob, c, "event_attend", click=False)
        else:
            rate = ch.rate * act * aff[:, c] * lift
            peak = 1.0 + block.ramp
            cnt = rng.poisson(rate * dur * peak)
            p = np.repeat(np.arange(n), cnt)
            t = s[p] + rng.random(len(p)) * dur[p]
            if block.ramp > 0:  # thinning towards a time-varying intensity
                m = 1.0 + block.ramp * np.exp(-(dday[p] - t) / 21.0)
                keep = rng.random(len(p)) * peak < m
                p, t = p[keep], t[keep]
            if name == "social":
                k = rng.choice(3, size=len(p), p=[m[1] for m in _SOCIAL_MIX])
                acts = np.array([_AI[m[0]] for m in _SOCIAL_MIX])[k]
                wts = np.array([m[2] for m in _SOCIAL_MIX])[k]
                tt.add(p, t, c, acts, wts)
            else:
                tt.add(p, t, c, _AI["view"], 1.0)
    return tt


def _params(block: Block) -> dict[str, np.ndarray]:
    chs = [block.channels[c] for c in CHANNELS]
    return {
        k: np.array([getattr(ch, k) for ch in chs], np.float64)
        for k in ("beta", "tau", "lag", "sat")
    }


def _effects(X: np.ndarray, resp: np.ndarray, par: dict[str, np.ndarray]) -> np.ndarray:
    """Per-person, per-channel effect terms z (n, C) from exposures X (n, C)."""
    sat = par["sat"]
    safe = np.where(sat > 0, sat, 1.0)
    g = np.where(sat > 0, safe * -np.expm1(-X / safe), X)
    return resp[:, None] * par["beta"][None, :] * g


def _pair_terms(block: Block, Z: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
    return [
        (_CI[a], _CI[b], gamma * np.sqrt(Z[:, _CI[a]] * Z[:, _CI[b]]))
        for a, b, gamma in block.pairs
    ]


def _linear(base: np.ndarray, Z: np.ndarray, pairs) -> np.ndarray:
    lin = base + Z.sum(axis=1)
    for _, _, q in pairs:
        lin = lin + q
    return lin


def _game_sums(base, Z, pairs, link) -> np.ndarray:
    """V[S] = sum over persons of v_i(S) for every channel subset S (bit mask)."""
    V = np.zeros(len(_SUBSETS))
    step = 8192
    for lo in range(0, len(base), step):
        sl = slice(lo, lo + step)
        lin = base[sl, None] + Z[sl] @ _SUBSETS.T
        for a, b, q in pairs:
            lin += q[sl, None] * (_SUBSETS[:, a] * _SUBSETS[:, b])[None, :]
        V += link(lin).sum(axis=0)
    return V


def _shapley(V: np.ndarray) -> np.ndarray:
    size = _SUBSETS.sum(axis=1).astype(int)
    f = math.factorial
    w = np.array([f(k) * f(N_CH - k - 1) / f(N_CH) for k in range(N_CH)] + [0.0])
    ids = np.arange(len(V))
    phi = np.zeros(N_CH)
    for c in range(N_CH):
        bit = 1 << c
        S = ids[(ids & bit) == 0]
        phi[c] = np.sum(w[size[S]] * (V[S | bit] - V[S]))
    return phi


def _hazard_exposure(pl, tk, ck, wk, t_eval, n, par) -> np.ndarray:
    du = np.maximum(t_eval[pl] - tk - par["lag"][ck], 0.0)
    val = wk * -np.expm1(-du / par["tau"][ck])
    return np.bincount(pl * N_CH + ck, val, minlength=n * N_CH).reshape(n, N_CH)


def _simulate_block(rng, n: int, block: Block) -> dict:
    par = _params(block)
    u = rng.standard_normal(n)
    act = rng.gamma(2.0, 0.5, n)
    aff = rng.gamma(2.0, 0.5, (n, N_CH))
    resp = rng.gamma(4.0, 0.25, n)

    if block.kind == "hazard":
        s = rng.uniform(0.0, 300.0, n)
        stays = rng.random(n) < 0.55
        e = np.where(stays, DATA_DAYS, np.minimum(DATA_DAYS, s + 3.0 + rng.exponential(100.0, n)))
        dday = None
    else:
        if block.decision == "sale_day":
            dday = np.full(n, SALE_DAY)
            win = rng.uniform(14.0, 150.0, n)
        else:
            dday = rng.uniform(100.0, DATA_DAYS - 1.0, n)
            win = rng.uniform(45.0, 90.0, n)
        s, e = dday - win, dday

    p, t, c, a, w = _touches(rng, block, s, e, dday, u, act, aff).arrays()

    if block.kind == "hazard":
        h0 = block.base / 100.0 * np.exp(block.sig * u - 0.5 * block.sig**2)

        def cum_hazard(idx: np.ndarray, tq: np.ndarray, sel: np.ndarray, loc: np.ndarray):
            X = _hazard_exposure(loc, t[sel], c[sel], w[sel], tq, len(idx), par)
            Z = _effects(X, resp[idx], par)
            return _linear(h0[idx] * (tq - s[idx]), Z, _pair_terms(block, Z)), Z

        allidx = np.arange(n)
        lam_end, Z = cum_hazard(allidx, e, np.ones(len(p), bool), p)
        base = h0 * (e - s)
        pairs = _pair_terms(block, Z)
        link = _one_minus_exp_neg
        draw = rng.exponential(1.0, n)
        conv = draw < lam_end
        conv_t = np.full(n, np.nan)
        idx = np.nonzero(conv)[0]
        if len(idx):
            loc_of = np.full(n, -1)
            loc_of[idx] = np.arange(len(idx))
            sel = loc_of[p] >= 0
            loc = loc_of[p[sel]]
            lo, hi = s[idx].copy(), e[idx].copy()
            for _ in range(40):
                mid = 0.5 * (lo + hi)
                val, _z = cum_hazard(idx, mid, sel, loc)
                up = val >= draw[idx]
                hi = np.where(up, mid, hi)
                lo = np.where(up, lo, mid)
            conv_t[idx] = hi
        if block.stop_after_purchase:
            keep = ~(conv[p] & (t > conv_t[p]))
            p, t, c, a, w = p[keep], t[keep], c[keep], a[keep], w[keep]
    else:
        X = np.bincount(
            p * N_CH + c, w * np.exp(-(dday[p] - t) / par["tau"][c]), minlength=n * N_CH
        ).reshape(n, N_CH)
        Z = _effects(X, resp, par)
        pairs = _pair_terms(block, Z)
        base = _logit(block.base) + block.sig * u
        if block.season:
            base = base + block.season * np.exp(-(e - s) / 30.0)
        link = _sigmoid
        conv = rng.random(n) < _sigmoid(_linear(base, Z, pairs))
        conv_t = np.where(conv, dday + rng.uniform(0.3, 0.95, n), np.nan)

    V = _game_sums(base, Z, pairs, link)
    return {"p": p, "t": t, "c": c, "a": a, "conv": conv, "conv_t": conv_t, "V": V}


def _generate(n_persons: int, scenario: str, seed: int) -> dict:
    if scenario not in _SCENARIO_BLOCKS:
        raise ValueError(f"unknown scenario {scenario!r}; choose from {SCENARIOS}")
    rng = np.random.default_rng(np.random.SeedSequence([seed, SCENARIOS.index(scenario)]))
    blocks = _SCENARIO_BLOCKS[scenario]
    sizes = [int(round(f * n_persons)) for f, _ in blocks]
    sizes[-1] = n_persons - sum(sizes[:-1])
    # persons of different blocks are interleaved at random
    order = rng.permutation(n_persons)
    V = np.zeros(len(_SUBSETS))
    ps, ts, cs, as_ = [], [], [], []
    conv = np.zeros(n_persons, bool)
    conv_t = np.full(n_persons, np.nan)
    off = 0
    for size, (_, block) in zip(sizes, blocks, strict=True):
        r = _simulate_block(rng, size, block)
        gid = order[off : off + size]
        ps.append(gid[r["p"]])
        ts.append(r["t"])
        cs.append(r["c"])
        as_.append(r["a"])
        conv[gid] = r["conv"]
        conv_t[gid] = r["conv_t"]
        V += r["V"]
        off += size
    buyers = np.nonzero(conv)[0]
    p = np.concatenate([*ps, buyers])
    t = np.concatenate([*ts, conv_t[buyers]])
    ch_names = np.array([*CHANNELS, "shop"])
    c = np.concatenate([*cs, np.full(len(buyers), N_CH)])
    a = np.concatenate([*as_, np.full(len(buyers), _AI["purchase"])])
    secs = np.round(t * 86400.0).astype(np.int64)
    ord_ = np.lexsort((a, secs, p))
    p, secs, c, a = p[ord_], secs[ord_], c[ord_], a[ord_]
    ids = np.char.add("p", np.char.zfill((np.arange(n_persons) + 1).astype(str), 6))
    events = pd.DataFrame(
        {
            "member_id": ids[p],
            "action": np.array(ACTIONS)[a],
            "timestamp": DATA_START + pd.to_timedelta(secs, unit="s"),
            "channel": ch_names[c],
        }
    )
    phi = _shapley(V)
    total = V[-1] - V[0]
    truth = pd.DataFrame({"channel": list(CHANNELS), "true_share": phi / total})
    return {
        "events": events,
        "truth": truth,
        "baseline_rate": V[0] / n_persons,
        "expected_rate": V[-1] / n_persons,
        "converted": conv,
        "efficiency_gap": abs(phi.sum() - total),
    }


def generate_journeys(n_persons: int, scenario: str = "default", seed: int = 0) -> dict:
    """Generate {"events": DataFrame, "truth": DataFrame} for one scenario (see module doc)."""
    out = _generate(n_persons, scenario, seed)
    return {"events": out["events"], "truth": out["truth"]}


def _median_days(events: pd.DataFrame) -> tuple[float, float]:
    ev = events
    buy = ev[ev["action"] == "purchase"].set_index("member_id")["timestamp"]
    touch = ev[ev["action"] != "purchase"]
    bt = touch["member_id"].map(buy)
    pre = touch[bt.isna() | (touch["timestamp"] <= bt)]
    first = pre.groupby("member_id")["timestamp"].min()
    conv_members = first.index.intersection(buy.index)
    d_conv = (buy[conv_members] - first[conv_members]).dt.total_seconds() / 86400.0
    non = touch[~touch["member_id"].isin(buy.index)]
    span = non.groupby("member_id")["timestamp"].agg(["min", "max"])
    d_non = (span["max"] - span["min"]).dt.total_seconds() / 86400.0
    return float(np.median(d_conv)), float(np.median(d_non))


if __name__ == "__main__":
    import time

    n = 20000
    for sc in SCENARIOS:
        t0 = time.perf_counter()
        out = _generate(n, sc, seed=0)
        dt = time.perf_counter() - t0
        ev, truth = out["events"], out["truth"]
        touches = ev[ev["action"] != "purchase"]
        tshare = touches["channel"].value_counts(normalize=True).reindex(CHANNELS, fill_value=0)
        d_conv, d_non = _median_days(ev)
        print(
            f"== {sc}: persons {n} (with events {ev['member_id'].nunique()}), "
            f"events {len(ev)}, conv {out['converted'].mean():.3f} "
            f"(expected {out['expected_rate']:.3f}, baseline {out['baseline_rate']:.3f}), "
            f"median days first touch->conv {d_conv:.1f}, first->last (non-conv) {d_non:.1f}, "
            f"{dt:.1f}s, efficiency gap {out['efficiency_gap']:.1e}"
        )
        print("   channel    touch_share  true_share")
        for ch, ts_ in zip(CHANNELS, truth["true_share"], strict=True):
            print(f"   {ch:<10} {tshare[ch]:>10.3f} {ts_:>11.3f}")
