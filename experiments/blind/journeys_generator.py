"""Blind generator of customer journeys with a planted, known causal conversion model.

Written from the specification only (DESIGN.md sections 2 and 8), without reading the estimators
it is meant to test.  numpy + pandas only; deterministic per seed (``numpy.random.default_rng``).

Output
------
``generate_journeys(n_persons, scenario=..., seed=...)`` returns a dict:

* ``events``  DataFrame ``member_id, action, timestamp, channel, value`` (DESIGN section 2 events
  table).  ``member_id`` is a string (``p0000001`` ...), one member per person (person = member,
  no identity resolution needed), so one journey per member.  ``timestamp`` is ISO-8601 UTC
  (``2024-01-01T13:05:09Z``).  ``value`` is empty for touches and the order value for purchases.
* ``truth``   DataFrame ``channel, true_share`` plus diagnostics (``shapley_conversions``,
  ``removal_effect``, ``per_touch_prob``, ``touches_in_model``, ``persons_reached``,
  ``effect_class``).
* ``meta``    dict: scenario, seed, ``v_empty``, ``v_full``, realised conversions, parameters.

``write(out, folder)`` writes ``events.csv``, ``truth.csv`` and ``meta.json``.

Touches and the conversion
--------------------------
Channels and the actions that represent a touch on them:

* ``newsletter``: ``newsletter_open`` / ``newsletter_click``
* ``instagram``, ``twitter`` (and ``tiktok`` in "many_channels"): ``like`` / ``comment`` / ``share``
* ``display``, ``search``, ``blog``, ``affiliate`` (and ``podcast``): ``view``
* ``events``: ``event_attend``

The conversion is the action ``purchase`` on channel ``shop`` (``value`` = order value, lognormal,
median about 55).  Each person converts at most once; nothing else happens on channel ``shop``.

Exposure (touch schedule) -- exogenous, "causal-clean"
-------------------------------------------------------
Every person i has an observation window ``[s_i, e_i]`` (days after 2024-01-01 00:00 UTC) and an
activity level ``a_i ~ Gamma(shape 2, scale 0.5)`` (mean 1).  For each channel c the person is
*reached* with probability ``reach_c``; a reached person gets ``1 + Poisson(rate_c * a_i * L_i / 30)``
touches (``L_i = e_i - s_i``), at times uniform on ``[s_i, e_i]``; the action of each touch is
drawn from the channel's action mix.  Reach, counts and times are independent of the person's
baseline purchase propensity (there is NO confounding: nothing unobserved drives both touches and
purchases).  Touch frequency is deliberately NOT aligned with effect: ``twitter`` is touched often
and has exactly ZERO effect, ``instagram`` and ``display`` are frequent with small effects,
``events`` and ``affiliate`` are rare with large per-touch effects.

True causal conversion model (competing independent triggers, "noisy-OR in time")
-------------------------------------------------------------------------------
* Baseline: person i has a baseline purchase hazard ``lam_i = base_rate * G_i`` per day,
  ``G_i ~ Exponential(1)`` (unobserved, independent of exposure).  The baseline trigger fires at
  ``s_i + Exponential(1 / lam_i)``.
* Every touch k (channel c, time t_k, and it is the j-th touch, j = 0, 1, ..., of person i on
  channel c in time order) independently *fires* with probability
  ``q_k = q_c * rho**j`` (diminishing returns, ``rho = 0.7``); if it fires, it produces a purchase
  attempt at ``t_k + d_k`` where the delay ``d_k`` follows the channel's delay law: a shifted
  exponential ``lo_c + Exp(mean m_c)`` truncated to ``[lo_c, hi_c]`` days.
* Synergy: a ``search`` touch that happens after the person's first ``display`` touch has
  ``q_k`` multiplied by ``1 + synergy`` (``synergy = 1.5``), i.e. display primes search.
* The person converts at the earliest attempt time that is ``<= e_i`` (if any).  Touches after the
  purchase therefore never cause anything (their attempts would be later than the purchase).
  Hence, given the touch schedule,
  ``P(convert_i) = 1 - exp(-lam_i L_i) * prod_k (1 - q_k F_c(e_i - t_k))``
  with ``F_c`` the delay CDF of the touch's channel.

True contribution shares: Shapley values of the channel-presence game
---------------------------------------------------------------------
For a set S of channels, ``v(S)`` = expected number of conversions over the generated population
when exactly the channels in S are present, i.e. every touch on a channel outside S is deleted and
every other touch keeps its realised time and its within-channel rank j; the expectation is over
the model's conversion randomness (baseline times, firing, delays), conditional on the realised
touch schedules of the generated persons:

    v(S) = sum_i [ 1 - exp(-lam_i L_i) * prod_{k of i, channel(k) in S} (1 - q_k(S) F(e_i - t_k)) ]

where ``q_k(S)`` includes the search synergy only if ``display`` is in S.  ``v({})`` is the
baseline expected conversions.  ``phi_c`` is the exact Shapley value of c in the game v (all
2^C subsets are evaluated, C <= 10), ``shapley_conversions = phi_c`` (sums to
``v(all) - v({})``), and ``true_share = phi_c / (v(all) - v({}))``.  A channel with q_c = 0 is
a null player and gets exactly 0.  ``removal_effect = v(all) - v(all minus c)`` is given for
comparison (it is not the truth).  Post-purchase touches of "arbitrary_ends" (below) are
consequences of the purchase, not part of the exposure, and are not in v.

Scenarios (each a different data assumption)
--------------------------------------------
* ``"arbitrary_ends"``: 8 channels.  Windows differ by person: ``s_i ~ U(0, 60)``,
  ``L_i ~ U(7, 90)`` days, so non-converters' histories end at arbitrary times.  The data does NOT
  stop at the purchase: converters keep all their scheduled touches after the purchase up to
  ``e_i`` and additionally receive extra post-purchase touches (newsletter 6 and instagram 2 per
  30 days, order confirmations / onboarding / sharing the purchase), which are caused by the
  purchase and have no effect on it.  Short delays (mean 1.5 days, max 14).
* ``"long_window"``: 8 channels, everybody observed on ``[0, 120]`` days, touches spread over the
  120 days.  Delays are channel-specific and long for some: search/affiliate/display act within
  days; newsletter and social up to 30 days; ``blog`` 10-60 days, ``events`` 20-60 days before the
  purchase.  A converter's data ends at the purchase (touches after it are not recorded).
* ``"many_channels"``: 10 channels (adds ``podcast``, rare and effective, and ``tiktok``, frequent
  and nearly useless), sparse touches (reach x0.6, rates x0.35), window ``[0, 60]``, short
  delays, data ends at the purchase.
* ``"frequency_misaligned"``: 8 channels; the zero-effect channel ``twitter`` is by far the most
  frequent (reach 0.9, 20 touches per 30 days); window ``[0, 60]``, short delays, data ends at the
  purchase.  Still causal-clean: exposure is independent of propensity.

Conversion rates are tuned to land around 5-10 % of persons (printed by ``main``).  A person with
no touch and no purchase has no event and so does not appear in ``events`` (about 1 % of persons,
about 10 % in "many_channels"); ``meta`` gives ``n_persons`` and ``persons_in_events``, and v(S)
and the conversion rates are over all ``n_persons``.
"""
from __future__ import annotations

import argparse
import json
import os
from math import factorial

import numpy as np
import pandas as pd

START = np.datetime64("2024-01-01T00:00:00", "s")
SCENARIOS = ("arbitrary_ends", "long_window", "many_channels", "frequency_misaligned")
SHORT_DELAY = (0.0, 1.5, 14.0)  # lo, mean, hi (days)
RHO = 0.7
SYNERGY = 1.5


def _ch(actions, probs, reach, rate, q, delay=SHORT_DELAY, effect=""):
    return dict(actions=list(actions), probs=list(probs), reach=float(reach), rate=float(rate),
                q=float(q), delay=tuple(float(x) for x in delay), effect=effect)


def _base_channels() -> dict:
    # reach: P(person touched at all); rate: touches per 30 days if reached; q: per-touch fire prob
    return {
        "newsletter": _ch(["newsletter_open", "newsletter_click"], [0.75, 0.25], 0.60, 4.0, 0.004,
                          effect="frequent, moderate"),
        "instagram": _ch(["like", "comment", "share"], [0.70, 0.20, 0.10], 0.50, 5.0, 0.0015,
                         effect="frequent, small"),
        "twitter": _ch(["like", "share", "comment"], [0.60, 0.25, 0.15], 0.55, 6.0, 0.0,
                       effect="frequent, ZERO"),
        "display": _ch(["view"], [1.0], 0.50, 3.0, 0.0015, effect="frequent, small + primes search"),
        "search": _ch(["view"], [1.0], 0.25, 1.0, 0.025, effect="moderate freq, large"),
        "blog": _ch(["view"], [1.0], 0.20, 1.5, 0.012, effect="moderate freq, moderate"),
        "events": _ch(["event_attend"], [1.0], 0.04, 0.3, 0.12, effect="rare, very large"),
        "affiliate": _ch(["view"], [1.0], 0.10, 0.5, 0.03, effect="rare, large"),
    }


def scenario_config(scenario: str) -> dict:
    """All parameters of a scenario (also returned in ``meta``)."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; choose from {SCENARIOS}")
    ch = _base_channels()
    cfg = dict(scenario=scenario, window="fixed", T=60.0, base_rate=0.03 / 60.0,
               truncate_at_purchase=True, post_purchase=None, rho=RHO, synergy=SYNERGY)
    if scenario == "arbitrary_ends":
        cfg.update(window="arbitrary", s_max=60.0, L_min=7.0, L_max=90.0, base_rate=0.03 / 50.0,
                   truncate_at_purchase=False,
                   post_purchase={"newsletter": 6.0, "instagram": 2.0})
    elif scenario == "long_window":
        cfg.update(T=120.0, base_rate=0.03 / 120.0)
        delays = {"search": (0.0, 0.5, 3.0), "affiliate": (0.0, 1.0, 7.0),
                  "display": (0.0, 2.0, 14.0), "newsletter": (0.0, 5.0, 30.0),
                  "instagram": (0.0, 5.0, 30.0), "twitter": (0.0, 5.0, 30.0),
                  "blog": (10.0, 15.0, 60.0), "events": (20.0, 20.0, 60.0)}
        for c, d in delays.items():
            ch[c]["delay"] = d
            ch[c]["rate"] *= 0.55  # touches spread thin over 120 days
        ch["blog"]["effect"] += ", slow (10-60 d)"
        ch["events"]["effect"] += ", slow (20-60 d)"
    elif scenario == "many_channels":
        ch["podcast"] = _ch(["view"], [1.0], 0.08, 0.8, 0.05, effect="rare, large")
        ch["tiktok"] = _ch(["like", "share", "comment"], [0.75, 0.15, 0.10], 0.40, 6.0, 0.0005,
                           effect="frequent, tiny")
        for c in ch.values():
            c["reach"] *= 0.6
            c["rate"] *= 0.35
            c["q"] *= 1.6
    elif scenario == "frequency_misaligned":
        ch["twitter"].update(reach=0.9, rate=20.0, effect="MOST frequent, ZERO")
    cfg["channels"] = ch
    return cfg


# ----------------------------------------------------------------------------- delay law
def _delay_cdf(x, lo, mean, hi):
    x = np.asarray(x, dtype=float)
    z = 1.0 - np.exp(-(hi - lo) / mean)
    f = (1.0 - np.exp(-np.clip(x - lo, 0.0, None) / mean)) / z
    return np.where(x < lo, 0.0, np.where(x >= hi, 1.0, f))


def _delay_sample(rng, n, lo, mean, hi):
    z = 1.0 - np.exp(-(hi - lo) / mean)
    return lo - mean * np.log1p(-rng.random(n) * z)


# ----------------------------------------------------------------------------- main generator
def generate_journeys(n_persons: int = 100_000, *, scenario: str = "arbitrary_ends",
                      seed: int = 0, return_internals: bool = False) -> dict:
    """See the module docstring.  ``return_internals=True`` adds ``out["internals"]`` (the touch
    schedule with per-touch probabilities, the person windows, the baseline hazards and the full
    value function ``v`` indexed by channel bitmask, bit i = ``truth.channel[i]``) for auditing."""
    cfg = scenario_config(scenario)
    rng = np.random.default_rng(seed)
    N = int(n_persons)
    names = list(cfg["channels"])
    C = len(names)
    chs = [cfg["channels"][c] for c in names]

    # --- person windows, activity, baseline propensity
    if cfg["window"] == "arbitrary":
        s = rng.uniform(0.0, cfg["s_max"], N)
        L = rng.uniform(cfg["L_min"], cfg["L_max"], N)
    else:
        s = np.zeros(N)
        L = np.full(N, cfg["T"])
    e = s + L
    act = rng.gamma(2.0, 0.5, N)
    lam = cfg["base_rate"] * rng.exponential(1.0, N)

    # --- exogenous touch schedule
    pid_l, ch_l = [], []
    for ci, c in enumerate(chs):
        reached = rng.random(N) < c["reach"]
        n = np.where(reached, 1 + rng.poisson(c["rate"] * act * L / 30.0), 0)
        pid_l.append(np.repeat(np.arange(N), n))
        ch_l.append(np.full(int(n.sum()), ci, dtype=np.int16))
    pid = np.concatenate(pid_l)
    chn = np.concatenate(ch_l).astype(np.int64)
    t = s[pid] + rng.random(pid.size) * L[pid]
    order = np.lexsort((t, chn, pid))
    pid, chn, t = pid[order], chn[order], t[order]
    K = pid.size

    # within-(person, channel) rank j
    key = pid * C + chn
    first = np.r_[True, key[1:] != key[:-1]]
    grp_start = np.maximum.accumulate(np.where(first, np.arange(K), 0))
    rank = np.arange(K) - grp_start

    q_c = np.array([c["q"] for c in chs])
    q0 = q_c[chn] * cfg["rho"] ** rank
    # synergy: search after the person's first display touch
    i_search = names.index("search")
    i_disp = names.index("display")
    first_disp = np.full(N, np.inf)
    dmask = chn == i_disp
    np.minimum.at(first_disp, pid[dmask], t[dmask])
    boosted = (chn == i_search) & (first_disp[pid] < t)
    q1 = np.where(boosted, q0 * (1.0 + cfg["synergy"]), q0)

    F = np.empty(K)
    for ci, c in enumerate(chs):
        m = chn == ci
        F[m] = _delay_cdf(e[pid[m]] - t[m], *c["delay"])

    # --- exact Shapley of the channel-presence game
    logS0 = -lam * L  # log P(no baseline conversion in window)
    Lmat = np.bincount(key, weights=np.log1p(-q0 * F), minlength=N * C).reshape(N, C)
    Dsyn = np.bincount(pid, weights=np.log1p(-q1 * F) - np.log1p(-q0 * F), minlength=N)
    M = 1 << C
    bits = ((np.arange(M)[:, None] >> np.arange(C)[None, :]) & 1).astype(float)  # M x C
    syn_on = bits[:, i_search] * bits[:, i_disp]
    v = np.zeros(M)
    chunk = max(1, 4_000_000 // M)
    for a in range(0, N, chunk):
        b = min(N, a + chunk)
        ls = logS0[a:b, None] + Lmat[a:b] @ bits.T + Dsyn[a:b, None] * syn_on[None, :]
        v += (-np.expm1(ls)).sum(axis=0)
    sizes = bits.sum(1).astype(int)
    w = np.array([factorial(k) * factorial(C - k - 1) / factorial(C) for k in range(C)])
    phi = np.zeros(C)
    full = M - 1
    for ci in range(C):
        without = np.nonzero(((np.arange(M) >> ci) & 1) == 0)[0]
        phi[ci] = np.sum(w[sizes[without]] * (v[without | (1 << ci)] - v[without]))
    removal = np.array([v[full] - v[full & ~(1 << ci)] for ci in range(C)])
    total = v[full] - v[0]

    # --- realise conversions
    fired = rng.random(K) < q1
    d = np.empty(K)
    for ci, c in enumerate(chs):
        m = chn == ci
        d[m] = _delay_sample(rng, int(m.sum()), *c["delay"])
    att = t + d
    valid = fired & (att <= e[pid])
    conv = s + rng.exponential(1.0, N) / lam
    conv = np.where(conv <= e, conv, np.inf)
    np.minimum.at(conv, pid[valid], att[valid])
    converted = np.isfinite(conv)

    # --- observed events
    keep = t < conv[pid] if cfg["truncate_at_purchase"] else np.ones(K, bool)
    ev_pid, ev_ch, ev_t = [pid[keep]], [chn[keep]], [t[keep]]
    if cfg["post_purchase"]:
        cv = np.nonzero(converted)[0]
        for cname, rate in cfg["post_purchase"].items():
            ci = names.index(cname)
            n = rng.poisson(rate * (e[cv] - conv[cv]) / 30.0)
            pp = np.repeat(cv, n)
            ev_pid.append(pp)
            ev_ch.append(np.full(pp.size, ci))
            ev_t.append(conv[pp] + rng.random(pp.size) * (e[pp] - conv[pp]))
    ev_pid = np.concatenate(ev_pid)
    ev_ch = np.concatenate(ev_ch)
    ev_t = np.concatenate(ev_t)
    actions = np.empty(ev_pid.size, dtype=object)
    for ci, c in enumerate(chs):
        m = ev_ch == ci
        actions[m] = rng.choice(np.array(c["actions"], dtype=object), size=int(m.sum()),
                                p=c["probs"])
    ch_names = np.array(names, dtype=object)
    cv = np.nonzero(converted)[0]
    all_pid = np.concatenate([ev_pid, cv])
    all_t = np.concatenate([ev_t, conv[cv]])
    all_action = np.concatenate([actions, np.full(cv.size, "purchase", dtype=object)])
    all_channel = np.concatenate([ch_names[ev_ch], np.full(cv.size, "shop", dtype=object)])
    all_value = np.concatenate([np.full(ev_pid.size, np.nan),
                                np.round(rng.lognormal(np.log(55.0), 0.6, cv.size), 2)])
    o = np.lexsort((all_t, all_pid))
    width = max(7, len(str(N)))
    mid = np.char.add("p", np.char.zfill(np.arange(N).astype(str), width)).astype(object)
    ts = START + np.round(all_t[o] * 86400.0).astype("int64").astype("timedelta64[s]")
    events = pd.DataFrame({
        "member_id": mid[all_pid[o]],
        "action": all_action[o],
        "timestamp": np.char.add(np.datetime_as_string(ts, unit="s"), "Z"),
        "channel": all_channel[o],
        "value": all_value[o],
    })

    truth = pd.DataFrame({
        "channel": names,
        "true_share": phi / total,
        "shapley_conversions": phi,
        "removal_effect": removal,
        "per_touch_prob": q_c,
        "touches_in_model": np.bincount(chn, minlength=C),
        "persons_reached": np.bincount(np.unique(key) % C, minlength=C),
        "effect_class": [c["effect"] for c in chs],
    })
    meta = dict(scenario=scenario, seed=int(seed), n_persons=N, start=str(START) + "Z",
                v_empty=float(v[0]), v_full=float(v[full]),
                expected_conversion_rate=float(v[full] / N),
                realised_conversions=int(converted.sum()),
                realised_conversion_rate=float(converted.mean()),
                persons_in_events=int(events["member_id"].nunique()),
                share_definition="exact Shapley of v(S)=expected conversions with only channels "
                                 "in S present (see module docstring), normalised by "
                                 "v(all)-v({})",
                config={k: v_ for k, v_ in cfg.items() if k != "channels"},
                channels=cfg["channels"])
    out = {"events": events, "truth": truth, "meta": meta}
    if return_internals:
        out["internals"] = dict(pid=pid, chn=chn, t=t, q0=q0, q1=q1, F=F, s=s, e=e, lam=lam,
                                v=v, conv=conv, names=names)
    return out


def write(out: dict, folder: str) -> None:
    os.makedirs(folder, exist_ok=True)
    out["events"].to_csv(os.path.join(folder, "events.csv"), index=False)
    out["truth"].to_csv(os.path.join(folder, "truth.csv"), index=False)
    if "meta" in out:
        with open(os.path.join(folder, "meta.json"), "w") as fh:
            json.dump(out["meta"], fh, indent=2, default=str)


def summarize(out: dict) -> str:
    ev = out["events"]
    touches = ev[ev["action"] != "purchase"]
    buyers = ev.loc[ev["action"] == "purchase", "member_id"].nunique()
    persons = out["meta"]["n_persons"]
    lines = [f"scenario={out['meta']['scenario']} persons={persons} events={len(ev)} "
             f"converters={buyers} conversion_rate={buyers / persons:.4f} "
             f"(expected {out['meta']['expected_conversion_rate']:.4f}; "
             f"v_empty/N={out['meta']['v_empty'] / persons:.4f})"]
    tpc = touches.groupby("channel").size().rename("observed_touches")
    tab = out["truth"].set_index("channel").join(tpc)
    tab["touches_per_person"] = tab["observed_touches"] / persons
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        lines.append(tab[["true_share", "shapley_conversions", "removal_effect", "per_touch_prob",
                          "observed_touches", "touches_per_person", "persons_reached"]]
                     .round(4).to_string())
    lines.append("actions: " + ", ".join(f"{a}={n}" for a, n in
                                          ev["action"].value_counts().items()))
    return "\n".join(lines)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder")
    p.add_argument("--n-persons", type=int, default=100_000)
    p.add_argument("--scenario", default="arbitrary_ends", choices=SCENARIOS)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    out = generate_journeys(a.n_persons, scenario=a.scenario, seed=a.seed)
    write(out, a.folder)
    print(summarize(out))


if __name__ == "__main__":
    main()
