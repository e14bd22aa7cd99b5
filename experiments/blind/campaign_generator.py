"""Blind generator of a blogger campaign with a planted, known incremental effect.

Written from the specification only (DESIGN.md sections 2 and 8), without reading the estimators
it is meant to test.  numpy + pandas only; deterministic per seed (``numpy.random.default_rng``).

Output of ``generate_campaign(n_members, scenario=..., seed=...)`` (a dict)
-------------------------------------------------------------------------
* ``members``  ``member_id, handle, channel, followers, following, kind, created_at``
  (``followers`` / ``following`` = degrees in the generated ``follows`` table).
* ``events``   ``member_id, action, timestamp, channel, target_id, content_id, value``.
* ``follows``  ``follower_id, followee_id, channel, since``.
* ``campaign_spec``  ``{"name", "bloggers": [{"id", "handle"}, ...], "window": {"start", "end"},
  "pre_period_days"}``.
* ``truth``    dict: scenario, seed, dates (``data_start``, ``pre_period_start``, ``window_start``,
  ``window_end``, ``effect_end``, ``data_end``), ``bloggers`` (one dict per blogger: id, handle,
  label A/B, exposure selection, rate multiplier, ``n_exposed``,
  ``planted_incremental_conversions`` (realised) and ``planted_incremental_expected``), totals,
  and two DataFrames: ``exposed`` (member_id, blogger_id, first_exposure) and ``latent``
  (member_id, latent_rate_per_day, activity, exposed_A, exposed_B).
All ``member_id`` are strings (``m000000`` ...), all timestamps ISO-8601 UTC (``...Z``).
``write(out, folder)`` writes members.csv, events.csv, follows.csv, campaign.json, truth.json,
truth_exposed.csv and truth_latent.csv.

Timeline (days after 2024-01-01 00:00 UTC)
------------------------------------------
Data covers days [0, 180).  Pre-period = [0, 120) (``pre_period_days = 120``).  Campaign window =
[120, 134) (14 days).  Effect period of blogger B = from a member's first exposure to day 148
(window end + 14 days).

Members and latent propensity
-----------------------------
``n_members`` ordinary members plus the two invited bloggers (ids ``m{n}``, ``m{n+1}``, kind
person, they never purchase).  Every ordinary member i has an UNOBSERVED purchase rate
``lam_i`` per day, lognormal: ``log lam_i = log(0.02) - 0.5 + 1.0 * z_i`` (mean 0.02/day, about
3.6 purchases per 180 days on average, very skewed).  An activity level
``a_i = exp(0.7 * (0.3 z_i + 0.954 u_i) - 0.245)`` (u_i independent normal) drives background
events, so observed activity is only weakly correlated (0.3 on the log scale) with propensity.

Purchases
---------
Per member and day d: ``purchases ~ Poisson(lam_i * week(d) * season(d) * lift_i(d))`` with
``week(d) = 1.15`` on Saturdays/Sundays and 1 otherwise; ``season(d) = 1.15`` inside the window
in scenario "seasonal" (a community-wide +15 %, for everyone), 1 otherwise; ``lift_i(d)`` is B's
causal lift (below).  Times are uniform within the day (within the covered part of the day for
the extra, lift-caused purchases).  Action ``purchase``, channel ``shop``, ``value`` lognormal
(median 40).  Several purchases per member are allowed.

Campaign exposure (who retweets / shares)
-----------------------------------------
Blogger A posts 5 times and blogger B 4 times during the first 10 days of the window (action
``post``, channel twitter, ``content_id`` ``A_c1``.. / ``B_c1``..).  Members who retweet or share a
campaign post (action ``retweet`` 75 % / ``share`` 25 %, channel twitter, ``target_id`` = the
blogger, ``content_id`` = the post) are the EXPOSED members; each does ``1 + Poisson(0.3)`` such
actions at ``post time + Exp(0.75 d)`` (inside the window); exposure time = the first one.

* A: ``n_a`` members (default ``round(0.0325 n)`` = 650 at n = 20 000) drawn without replacement
  with probability proportional to the LATENT rate ``lam_i`` (not to any observed quantity).  A
  has ZERO causal effect in every scenario.  A naive exposed-vs-rest comparison therefore shows a
  large spurious "lift" (A-exposed buy about 2.4-2.7x more at all times, also before the window).
* B: ``n_b`` members (default ``round(0.0125 n)`` = 250) drawn uniformly at random, independent
  of A's draw (a member may be exposed to both).  In "latent_selection" and "seasonal", B's
  exposure multiplies the member's purchase rate by 1.5 from the first exposure to day 148;
  in "null" B has no effect.

Inside the window the ONLY events with ``target_id`` = a blogger are these campaign
retweets/shares.  Outside the window the bloggers also post routinely (about every 3 days) and a
few random followers like those posts (``target_id`` = blogger); these are not exposure and have
no effect.

Planted incremental conversions (the truth)
-------------------------------------------
Conversions = purchase events.  Using common random numbers by Poisson superposition: every
member-day draws its counterfactual purchases ``N0 ~ Poisson(r0)`` and, for B-exposed members in
the effect period, independent extra purchases ``X ~ Poisson(0.5 * r0 * covered_fraction)``; the
realised data contain ``N0 + X`` and the counterfactual world (no B effect) contains exactly
``N0``.  ``planted_incremental_conversions`` = sum of X (realised minus counterfactual with common
random numbers); ``planted_incremental_expected`` = sum of the X rates (its expectation given who
was exposed and when).  For A they are 0, and in "null" both are 0 for both bloggers.  The +15 %
seasonal lift is not a blogger effect (it hits everyone, exposed or not).  For a given seed,
"latent_selection" and "null" produce identical data except B's extra purchases (a paired
counterfactual); "seasonal" redraws purchases (its rates differ) but keeps members, exposure,
follows and background events identical.

Follow graph
------------
Member -> member follows: out-degree ``max(1, round(lognormal(log 12, 0.8)))``, followees drawn
with probability proportional to a Pareto(1.6) popularity (power-law-ish in-degrees), no
self-follows, duplicates dropped.  Followers of A = A's exposed members plus 20 % of the others;
followers of B = B's exposed members plus 12 % of the others.  ``since`` is before the data start.

Background events
-----------------
``Poisson(0.12 * a_i * 180)`` events per member, uniform over the 180 days: ``like`` 55 %,
``view`` 33 %, ``comment`` 12 %, channel twitter 60 % / instagram 40 %, ``target_id`` a member
drawn by popularity (never a blogger).  Background activity does not change at the campaign.
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np
import pandas as pd

START = np.datetime64("2024-01-01T00:00:00", "s")
SCENARIOS = ("latent_selection", "seasonal", "null")
DAYS = 180
WINDOW_START = 120.0
WINDOW_DAYS = 14.0
EFFECT_TAIL = 14.0
PRE_PERIOD_DAYS = 120
MEAN_RATE = 0.02
SIGMA = 1.0
LIFT_B = 0.5
SEASONAL_LIFT = 0.15


def _iso(days):
    days = np.asarray(days, dtype=float)
    ts = START + np.round(days * 86400.0).astype("int64").astype("timedelta64[s]")
    return np.char.add(np.datetime_as_string(ts, unit="s"), "Z").astype(object)


def _ids(idx, width=6):
    return np.char.add("m", np.char.zfill(np.asarray(idx).astype(str), width)).astype(object)


def generate_campaign(n_members: int = 20_000, *, scenario: str = "latent_selection",
                      seed: int = 0, n_a: int | None = None, n_b: int | None = None) -> dict:
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; choose from {SCENARIOS}")
    rng = np.random.default_rng(seed)
    N = int(n_members)
    n_a = int(round(0.0325 * N)) if n_a is None else int(n_a)
    n_b = int(round(0.0125 * N)) if n_b is None else int(n_b)
    width = max(6, len(str(N + 1)))
    ids = _ids(np.arange(N + 2), width)
    A, B = N, N + 1
    id_a, id_b = ids[A], ids[B]
    handle_a, handle_b = "@anna.bakes", "@ben.trails"
    w_end = WINDOW_START + WINDOW_DAYS
    eff_end = w_end + EFFECT_TAIL
    lift_b = 0.0 if scenario == "null" else LIFT_B

    # --- latent propensity and activity
    z = rng.standard_normal(N)
    lam = np.exp(np.log(MEAN_RATE) - 0.5 * SIGMA ** 2 + SIGMA * z)
    act = np.exp(0.7 * (0.3 * z + np.sqrt(1 - 0.09) * rng.standard_normal(N)) - 0.245)

    # --- exposure sets
    exp_a = rng.choice(N, size=n_a, replace=False, p=lam / lam.sum())
    exp_b = rng.choice(N, size=n_b, replace=False)

    ev = []  # list of dicts of arrays

    def add(member, action, t, channel, target=None, content=None, value=None):
        n = len(t)
        ev.append(dict(
            m=np.asarray(member, dtype=np.int64), action=np.broadcast_to(np.asarray(action, dtype=object), (n,)),
            t=np.asarray(t, float), channel=np.broadcast_to(np.asarray(channel, dtype=object), (n,)),
            target=np.full(n, -1, np.int64) if target is None else np.asarray(target, np.int64),
            content=np.full(n, None, dtype=object) if content is None else np.asarray(content, dtype=object),
            value=np.full(n, np.nan) if value is None else np.asarray(value, float)))

    # --- campaign posts and retweets
    first_exp = {}
    for b, exposed, n_posts, lab in ((A, exp_a, 5, "A"), (B, exp_b, 4, "B")):
        pt = WINDOW_START + np.sort(rng.uniform(0.0, 10.0, n_posts))
        cids = np.array([f"{lab}_c{k + 1}" for k in range(n_posts)], dtype=object)
        add(np.full(n_posts, b), "post", pt, "twitter", content=cids)
        k = 1 + rng.poisson(0.3, exposed.size)
        who = np.repeat(exposed, k)
        post = rng.integers(0, n_posts, who.size)
        t = pt[post] + rng.exponential(0.75, who.size)
        late = t >= w_end
        t[late] = pt[post[late]] + rng.random(late.sum()) * (w_end - pt[post[late]])
        act_name = np.where(rng.random(who.size) < 0.75, "retweet", "share").astype(object)
        add(who, act_name, t, "twitter", target=np.full(who.size, b), content=cids[post])
        fe = np.full(N, np.inf)
        np.minimum.at(fe, who, t)
        first_exp[lab] = fe

    # --- follows
    pop = rng.pareto(1.6, N) + 1.0
    k_out = np.maximum(1, np.round(rng.lognormal(np.log(12.0), 0.8, N))).astype(np.int64)
    k_out = np.minimum(k_out, N - 1)
    src = np.repeat(np.arange(N), k_out)
    dst = rng.choice(N, size=src.size, p=pop / pop.sum())
    ok = src != dst
    src, dst = src[ok], dst[ok]
    pair = np.unique(src * (N + 2) + dst)
    src, dst = pair // (N + 2), pair % (N + 2)
    fol_a = np.union1d(exp_a, np.nonzero(rng.random(N) < 0.20)[0])
    fol_b = np.union1d(exp_b, np.nonzero(rng.random(N) < 0.12)[0])
    f_src = np.concatenate([src, fol_a, fol_b])
    f_dst = np.concatenate([dst, np.full(fol_a.size, A), np.full(fol_b.size, B)])
    follows = pd.DataFrame({
        "follower_id": ids[f_src], "followee_id": ids[f_dst],
        "channel": "twitter", "since": _iso(-rng.uniform(1.0, 720.0, f_src.size))})

    # --- routine blogger posts outside the window, liked by random followers
    for b, fol, lab in ((A, fol_a, "A"), (B, fol_b, "B")):
        pt = np.arange(rng.uniform(0, 3), DAYS, 3.0)
        pt = pt[(pt < WINDOW_START - 2.0) | (pt >= w_end)]
        cids = np.array([f"{lab}_r{k + 1}" for k in range(pt.size)], dtype=object)
        add(np.full(pt.size, b), "post", pt, "twitter", content=cids)
        nl = rng.poisson(15, pt.size)
        post = np.repeat(np.arange(pt.size), nl)
        t = pt[post] + rng.exponential(0.5, post.size)
        keep = ((t < WINDOW_START) | (t >= w_end)) & (t < DAYS)
        post, t = post[keep], t[keep]
        add(rng.choice(fol, post.size), "like", t, "twitter", target=np.full(post.size, b),
            content=cids[post])

    # --- background events
    nb = rng.poisson(0.12 * act * DAYS)
    who = np.repeat(np.arange(N), nb)
    t = rng.uniform(0, DAYS, who.size)
    a_names = np.array(["like", "view", "comment"], dtype=object)
    action = a_names[rng.choice(3, who.size, p=[0.55, 0.33, 0.12])]
    chan = np.where(rng.random(who.size) < 0.6, "twitter", "instagram").astype(object)
    tgt = rng.choice(N, size=who.size, p=pop / pop.sum())
    tgt = np.where(tgt == who, (tgt + 1) % N, tgt)
    add(who, action, t, chan, target=tgt)

    # --- purchases: counterfactual draws + superposed B-caused extras
    d = np.arange(DAYS)
    season = np.where(np.isin(d % 7, (5, 6)), 1.15, 1.0)  # 2024-01-01 is a Monday
    if scenario == "seasonal":
        season = season * np.where((d >= WINDOW_START) & (d < w_end), 1.0 + SEASONAL_LIFT, 1.0)
    r0 = lam[:, None] * season[None, :]
    n0 = rng.poisson(r0)
    who = np.repeat(np.arange(N), n0.sum(1))
    day = np.nonzero(n0)[1].repeat(n0[n0 > 0]) if n0.any() else np.zeros(0, int)
    # np.nonzero is row-major, consistent with np.repeat over rows
    t0 = day + rng.random(day.size)
    xb = first_exp["B"]
    exposed_b = np.nonzero(np.isfinite(xb))[0]
    lo = np.maximum(d[None, :], xb[exposed_b, None])
    hi = np.minimum(d[None, :] + 1.0, eff_end)
    cover = np.clip(hi - lo, 0.0, None)  # n_b x DAYS fraction of day in effect period
    x_rate = lift_b * r0[exposed_b] * cover
    xdraw = rng.poisson(x_rate)
    rows, days_x = np.nonzero(xdraw)
    cnt = xdraw[rows, days_x]
    rows, days_x = rows.repeat(cnt), days_x.repeat(cnt)
    tx = lo[rows, days_x] + rng.random(rows.size) * cover[rows, days_x]
    p_who = np.concatenate([who, exposed_b[rows]])
    p_t = np.concatenate([t0, tx])
    add(p_who, "purchase", p_t, "shop",
        value=np.round(rng.lognormal(np.log(40.0), 0.7, p_who.size), 2))

    # --- assemble events
    m = np.concatenate([x["m"] for x in ev])
    tt = np.concatenate([x["t"] for x in ev])
    o = np.lexsort((tt, m))
    target = np.concatenate([x["target"] for x in ev])[o]
    events = pd.DataFrame({
        "member_id": ids[m[o]],
        "action": np.concatenate([x["action"] for x in ev])[o],
        "timestamp": _iso(tt[o]),
        "channel": np.concatenate([x["channel"] for x in ev])[o],
        "target_id": np.where(target >= 0, ids[np.maximum(target, 0)], None),
        "content_id": np.concatenate([x["content"] for x in ev])[o],
        "value": np.concatenate([x["value"] for x in ev])[o],
    })

    # --- members
    indeg = np.bincount(f_dst, minlength=N + 2)
    outdeg = np.bincount(f_src, minlength=N + 2)
    handles = np.char.add("@user", np.arange(N + 2).astype(str)).astype(object)
    handles[A], handles[B] = handle_a, handle_b
    members = pd.DataFrame({
        "member_id": ids, "handle": handles, "channel": "twitter",
        "followers": indeg, "following": outdeg, "kind": "person",
        "created_at": _iso(-rng.uniform(30.0, 1500.0, N + 2))})

    # --- truth
    n_real = int(xdraw.sum())
    n_exp = float(x_rate.sum())
    # counterfactual (N0) purchases of B-exposed members inside their own effect period
    cf_b = int(np.sum(np.isfinite(xb[who]) & (t0 >= xb[who]) & (t0 < eff_end)))
    exposed_rows = []
    for lab, bid in (("A", id_a), ("B", id_b)):
        fe = first_exp[lab]
        idx = np.nonzero(np.isfinite(fe))[0]
        exposed_rows.append(pd.DataFrame({"member_id": ids[idx], "blogger_id": bid,
                                          "first_exposure": _iso(fe[idx])}))
    exposed_df = pd.concat(exposed_rows, ignore_index=True)
    latent = pd.DataFrame({"member_id": ids[:N], "latent_rate_per_day": lam, "activity": act,
                           "exposed_A": np.isfinite(first_exp["A"]),
                           "exposed_B": np.isfinite(first_exp["B"])})
    truth = {
        "scenario": scenario, "seed": int(seed), "n_members": N,
        "data_start": str(_iso(0.0)), "data_end": str(_iso(float(DAYS))),
        "pre_period_start": str(_iso(0.0)), "pre_period_days": PRE_PERIOD_DAYS,
        "window_start": str(_iso(WINDOW_START)), "window_end": str(_iso(w_end)),
        "effect_end": str(_iso(eff_end)),
        "seasonal_lift_in_window": SEASONAL_LIFT if scenario == "seasonal" else 0.0,
        "bloggers": [
            {"id": id_a, "handle": handle_a, "label": "A", "selection": "prob proportional to "
             "latent purchase rate", "rate_multiplier": 1.0, "n_exposed": int(n_a),
             "planted_incremental_conversions": 0, "planted_incremental_expected": 0.0},
            {"id": id_b, "handle": handle_b, "label": "B", "selection": "uniform at random",
             "rate_multiplier": 1.0 + lift_b, "n_exposed": int(n_b),
             "planted_incremental_conversions": n_real, "planted_incremental_expected": n_exp},
        ],
        "planted_incremental_total": n_real,
        "b_exposed_purchases_in_effect_period_realised": int(cf_b + n_real),
        "b_exposed_purchases_in_effect_period_counterfactual": int(cf_b),
        "incremental_definition": "purchase events; realised minus counterfactual with common "
                                  "random numbers (Poisson superposition); expected = sum of the "
                                  "extra Poisson rates given exposure",
        "exposed": exposed_df, "latent": latent,
    }
    spec = {"name": "blind_campaign", "bloggers": [{"id": id_a, "handle": handle_a},
                                                   {"id": id_b, "handle": handle_b}],
            "window": {"start": truth["window_start"], "end": truth["window_end"]},
            "pre_period_days": PRE_PERIOD_DAYS}
    return {"members": members, "events": events, "follows": follows, "truth": truth,
            "campaign_spec": spec}


def write(out: dict, folder: str) -> None:
    os.makedirs(folder, exist_ok=True)
    for name in ("members", "events", "follows"):
        out[name].to_csv(os.path.join(folder, f"{name}.csv"), index=False)
    with open(os.path.join(folder, "campaign.json"), "w") as fh:
        json.dump(out["campaign_spec"], fh, indent=2)
    tr = {k: v for k, v in out["truth"].items() if not isinstance(v, pd.DataFrame)}
    with open(os.path.join(folder, "truth.json"), "w") as fh:
        json.dump(tr, fh, indent=2, default=float)
    out["truth"]["exposed"].to_csv(os.path.join(folder, "truth_exposed.csv"), index=False)
    out["truth"]["latent"].to_csv(os.path.join(folder, "truth_latent.csv"), index=False)


def summarize(out: dict) -> str:
    tr = out["truth"]
    ev = out["events"]
    ts = np.array(ev["timestamp"].str.rstrip("Z").to_numpy(dtype=str), dtype="datetime64[s]")
    day = (ts - START).astype("int64") / 86400.0
    lat = tr["latent"]
    N = tr["n_members"]
    a_ids = set(lat.member_id[lat.exposed_A])
    b_ids = set(lat.member_id[lat.exposed_B])
    pur = ev["action"].to_numpy() == "purchase"
    mid = ev["member_id"].to_numpy()
    ws, we, ee = WINDOW_START, WINDOW_START + WINDOW_DAYS, WINDOW_START + WINDOW_DAYS + EFFECT_TAIL
    in_a = pd.Series(mid).isin(a_ids).to_numpy()
    in_b = pd.Series(mid).isin(b_ids).to_numpy()
    lines = [f"scenario={tr['scenario']} members={N} events={len(ev)} follows={len(out['follows'])} "
             f"purchases={pur.sum()} window={tr['window_start']}..{tr['window_end']} "
             f"effect_end={tr['effect_end']}"]
    for bl in tr["bloggers"]:
        rt = ((ev["target_id"] == bl["id"]) & ev["action"].isin(["retweet", "share"])).to_numpy()
        lines.append(f"  blogger {bl['label']} {bl['id']} {bl['handle']}: retweet/share events="
                     f"{rt.sum()} distinct retweeters={ev.member_id[rt].nunique()} followers="
                     f"{int((out['follows'].followee_id == bl['id']).sum())} planted incremental="
                     f"{bl['planted_incremental_conversions']} (expected "
                     f"{bl['planted_incremental_expected']:.1f})")
    groups = {"A-exposed": in_a & ~in_b, "B-exposed": in_b & ~in_a,
              "others": ~in_a & ~in_b}
    sizes = {"A-exposed": len(a_ids - b_ids), "B-exposed": len(b_ids - a_ids),
             "others": N - len(a_ids | b_ids)}
    lines.append("  purchases per member per 30 days   [pre 0-120)  [window 120-134)  "
                 "[tail 134-148)  [post 148-180)  latent mean rate*30")
    for g, msk in groups.items():
        n = sizes[g]
        row = []
        for lo, hi in ((0, ws), (ws, we), (we, ee), (ee, DAYS)):
            row.append(((pur & msk & (day >= lo) & (day < hi)).sum()) / n / (hi - lo) * 30)
        lr = lat.latent_rate_per_day[lat.member_id.isin(
            {"A-exposed": a_ids - b_ids, "B-exposed": b_ids - a_ids,
             "others": set(lat.member_id) - a_ids - b_ids}[g])].mean() * 30
        lines.append(f"  {g:10s} n={n:6d}          " + "   ".join(f"{x:10.3f}" for x in row)
                     + f"   {lr:10.3f}")
    lines.append(f"  both-exposed n={len(a_ids & b_ids)}; B-exposed purchases in effect period: "
                 f"realised {tr['b_exposed_purchases_in_effect_period_realised']}, "
                 f"counterfactual {tr['b_exposed_purchases_in_effect_period_counterfactual']}")
    lines.append("  actions: " + ", ".join(f"{a}={n}" for a, n in ev["action"].value_counts().items()))
    return "\n".join(lines)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder")
    p.add_argument("--n-members", type=int, default=20_000)
    p.add_argument("--scenario", default="latent_selection", choices=SCENARIOS)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    out = generate_campaign(a.n_members, scenario=a.scenario, seed=a.seed)
    write(out, a.folder)
    print(summarize(out))


if __name__ == "__main__":
    main()
