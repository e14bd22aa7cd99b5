"""Blind synthetic generator of members / events / follows with planted roles and communities.

Written only from the input data contract and the role definitions (DESIGN sections 2 and 3),
without reading any clusterkit method, test or benchmark. It plants ground truth (``truth``
table) against which role assignment and community detection can be scored.

Usage
-----
>>> tables = generate(2000, setting="default", seed=1)          # doctest: +SKIP
>>> write(tables, "out/default")                                 # doctest: +SKIP

``python roles_generator.py OUT_DIR --members 5000 --setting hollow --seed 3 --mixing 0.45``
(add ``--summary`` to print per-role statistics.)

How the data are made (the assumptions, stated plainly)
--------------------------------------------------------
1. **Roles are latent labels drawn first; behaviour is drawn from role-conditional
   distributions that overlap.** Shares vary with the seed: influencer U(1.5 %, 2.5 %)
   (U(1 %, 4 %) in ``micro_influencers``), blogger U(6 %, 8 %), fan U(20 %, 30 %), follower
   the rest. No role is defined by a count threshold.
2. **Volume is not role.** Each member has an activity rate (events per 120-day window) drawn
   from a log-normal whose median depends on the role (influencer 300, blogger 150, fan 100,
   follower 20) with wide spread (sigma 0.7-1.0 in natural-log units), so busy followers
   out-produce quiet fans and quiet bloggers. Typical generators and rule sets say things like
   "a blogger posts >= N times a month" or "a fan has >= M interactions a month"; here a role is
   a *mix*, not a level:
   - blogger: at least 55 % of the member's own actions are creation (post / blog_post / video),
     so they create more than they react; moderate latent reach; some amplification.
   - fan: spread over 3-6 channels with fairly even preferences, deep actions (comment, share,
     retweet, reply, newsletter_click, event_attend, purchase) are a large share, creation
     is capped at 8 % of actions, small reach.
   - follower: 1-3 channels, >= ~85 % passive actions (view, newsletter_open, like), and
     follow edges (they are "connected").
   - influencer: large latent reach (many follow edges in and a large reported follower count)
     AND a high "amplification appeal": other members' share / retweet / mention / reply events
     pick them as ``target_id`` often, so many *distinct* members amplify them.
   Rates are per whole window and not stationary: ~20 % of members join mid-window and ~15 %
   stop early, and 25 % of events fall on a few "campaign" spikes, so per-month rates of one
   member vary month to month.
3. **Amplification = share, retweet, mention, reply** whose ``target_id`` is a member. Likes,
   comments and views also carry targets (someone's content) but are not counted as
   amplification here. A reaction's target is drawn 65 % of the time from the actor's
   followees (weighted by the followee's appeal) and otherwise from a community (the actor's
   own with probability ``1 - mixing``) weighted by appeal. About 15 % of reactions are on the
   brand's own content (empty ``target_id``; also always empty on newsletter / events / shop
   channels) and 3 % of targets are outsiders (ids ``x0000``...), which are not members.
4. **Reported followers are not reach.** ``members.followers`` is the platform count: latent
   reach times a little noise (``follows`` is a sample of the platform). It is inflated by
   bought followers in ``hollow``. The follows table contains in-edges in proportion to
   latent reach, so in-degree within the sample and reported count agree except for hollow
   accounts. ``views`` scales with *real* reach and creation volume (so hollow accounts have
   few views for their follower count).
5. **Communities.** K communities with Dirichlet(4) sizes; roles are independent of community.
   Each member gets a binomial quota of cross-community follow edges (rate ``mixing``); targets
   are drawn by reach, de-duplicated, and a within-community shortfall is filled uniformly, so
   the realised fraction is within ~0.01 of ``mixing``; it is stored in ``truth.attrs``.
   In ``hub_heavy`` hubs get no reach-based edges; each is followed by a community-blind
   random 30-60 % of all members. ``mixing`` applies to non-hub edges; ``truth.attrs`` has
   both ``realised_mixing`` (non-hub) and ``realised_mixing_all_edges``.
6. **Channels constrain actions** (newsletter_* only on newsletter, blog_post on blog,
   retweet on twitter, event_attend on events, purchase on shop, video on youtube / tiktok /
   instagram, ...). Each member's (action, channel) distribution is role mix x personal
   Dirichlet noise x channel preference x compatibility.
7. ``follow`` events are emitted only for follow edges whose ``since`` falls in the window
   (about 12 % of edges plus the edges of members who joined mid-window); older edges appear
   only in ``follows``.
8. Timestamps: 120 days from 2024-03-01T00:00:00Z, diurnal hour profile, ISO-8601 with ``Z``.
9. Known simplifications: a reaction may precede the creation of the content it points to;
   the target's content channel is not matched to the reaction's channel; content ids of
   reactions are drawn from the target's created items (``<target>-c<k>``).

Settings (each is a different stress)
-------------------------------------
- ``default``: as above.
- ``wide_activity``: rates are role median x 10**U(-2.5, 1.0): 3.5 orders of magnitude within
  every role; many members have 0-2 events, so mix-based evidence is thin at the low end.
- ``single_channel_likers``: ~25 % of followers are very busy (median 250 events) but only
  like / view, on ONE social channel. They stay followers (flag ``single_channel_heavy``).
- ``hollow``: ~5 % of members (about 30 % of them bloggers, the rest followers; never
  influencers) have 10k-100k+ bought followers in ``followers``, real reach like a follower,
  zero amplification appeal (flag ``hollow``).
- ``micro_influencers``: influencer share U(1 %, 4 %); influencer latent reach log-uniform
  200 .. 50 000, while their amplification appeal stays influencer-like, so micro influencers
  have fewer followers than many bloggers but more distinct amplifiers.
- ``hub_heavy``: 3-6 hubs (brand / media / celebrity accounts, ``kind`` column) each followed by
  30-60 % of all members regardless of community. Hubs are labelled influencer (flag ``hub``).
- ``graph_only``: ``events`` is empty (columns only). Roles in truth are unchanged, but only
  influencer vs the rest (reach, in-degree, ``views``) is identifiable from the data; bloggers and
  fans differ from followers only by behaviour, which is absent (out-degree and ``views`` carry a
  weak hint). Score only influencer detection / communities on this setting.
- ``events_only``: ``follows`` is empty and there are no ``follow`` events either. A latent follow
  graph is still used to choose reaction targets, so communities remain visible in interactions.

Everything is driven by one ``numpy.random.default_rng(seed)``: same arguments, same tables.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import pandas as pd

__all__ = ["generate", "write", "summarize", "main", "SETTINGS", "ROLES", "ACTIONS", "CHANNELS"]

SETTINGS = ("default", "wide_activity", "single_channel_likers", "hollow",
            "micro_influencers", "hub_heavy", "graph_only", "events_only")
ROLES = ("influencer", "blogger", "fan", "follower")
INF, BLOG, FAN, FOL = 0, 1, 2, 3

ACTIONS = np.array(["view", "newsletter_open", "like", "follow", "newsletter_click", "reply",
                    "comment", "mention", "share", "retweet", "post", "blog_post", "video",
                    "event_attend", "purchase"])
CHANNELS = np.array(["twitter", "instagram", "newsletter", "blog", "events", "shop",
                     "youtube", "tiktok"])
_A = {a: i for i, a in enumerate(ACTIONS)}
_C = {c: i for i, c in enumerate(CHANNELS)}
NA, NC = len(ACTIONS), len(CHANNELS)
SOCIAL = np.array([_C[c] for c in ("twitter", "instagram", "blog", "youtube", "tiktok")])
CREATION = np.array([_A["post"], _A["blog_post"], _A["video"]])
AMPLIFY = ("share", "retweet", "mention", "reply")

WINDOW_START = np.datetime64("2024-03-01T00:00:00", "s")
WINDOW_DAYS = 120
DAY = 86400

# which (action, channel) pairs can happen
_COMPAT_SPEC = {
    "view": list(CHANNELS),
    "newsletter_open": ["newsletter"],
    "newsletter_click": ["newsletter"],
    "like": ["twitter", "instagram", "youtube", "tiktok", "blog"],
    "follow": ["twitter", "instagram", "youtube", "tiktok", "blog"],
    "reply": ["twitter", "instagram", "youtube", "tiktok"],
    "comment": ["instagram", "youtube", "tiktok", "blog"],
    "mention": ["twitter", "instagram", "tiktok"],
    "share": ["instagram", "tiktok", "youtube", "blog", "newsletter"],
    "retweet": ["twitter"],
    "post": ["twitter", "instagram", "tiktok"],
    "blog_post": ["blog"],
    "video": ["youtube", "tiktok", "instagram"],
    "event_attend": ["events"],
    "purchase": ["shop"],
}
COMPAT = np.zeros((NA, NC))
for _a, _cs in _COMPAT_SPEC.items():
    for _c in _cs:
        COMPAT[_A[_a], _C[_c]] = 1.0


def _vec(d, keys):
    return np.array([float(d.get(k, 0.0)) for k in keys])


# role-conditional action mixes (relative weights; "follow" comes from the follow graph)
_ACTION_MIX = np.vstack([
    _vec(dict(view=6, newsletter_open=1, like=8, newsletter_click=0.5, reply=10, comment=4,
              mention=7, share=3, retweet=7, post=30, blog_post=3, video=12, event_attend=1.5,
              purchase=0.3), ACTIONS),                                   # influencer
    _vec(dict(view=8, newsletter_open=2, like=8, newsletter_click=1, reply=4, comment=6,
              mention=2, share=2, retweet=2, post=25, blog_post=22, video=14, event_attend=1,
              purchase=1), ACTIONS),                                     # blogger
    _vec(dict(view=10, newsletter_open=8, like=14, newsletter_click=8, reply=7, comment=12,
              mention=3, share=9, retweet=6, post=2, blog_post=0.3, video=0.3, event_attend=5,
              purchase=5), ACTIONS),                                     # fan
    _vec(dict(view=50, newsletter_open=18, like=22, newsletter_click=1.5, reply=0.7, comment=1,
              mention=0.3, share=0.7, retweet=0.6, post=0.6, blog_post=0.05, video=0.05,
              event_attend=0.3, purchase=0.8), ACTIONS),                 # follower
])
_LIKER_MIX = _vec(dict(like=75, view=25), ACTIONS)

# channel inclusion weights, number of channels (lo, hi), gamma shape of preferences
_CHANNEL_W = np.vstack([
    _vec(dict(twitter=9, instagram=8, newsletter=0.5, blog=1.5, events=1, shop=0.3, youtube=5,
              tiktok=5), CHANNELS),
    _vec(dict(twitter=4, instagram=5, newsletter=2, blog=8, events=1, shop=0.5, youtube=4,
              tiktok=2), CHANNELS),
    _vec(dict(twitter=6, instagram=6, newsletter=8, blog=3, events=6, shop=6, youtube=4,
              tiktok=3), CHANNELS),
    _vec(dict(twitter=5, instagram=6, newsletter=5, blog=1.5, events=0.5, shop=1, youtube=4,
              tiktok=4), CHANNELS),
])
_N_CHANNELS = [(2, 4), (2, 4), (3, 6), (1, 3)]
_PREF_SHAPE = [1.5, 1.2, 3.0, 0.8]

# (median, sigma) of log-normals per role
_RATE = [(300, 0.7), (150, 0.7), (100, 0.7), (20, 1.0)]     # events per 120 days
_REACH = [(8000, 0.7), (800, 0.7), (60, 0.8), (30, 0.9)]    # latent platform followers
_APPEAL = [(40, 0.5), (5, 0.6), (0.5, 0.7), (0.12, 0.7)]    # amplification appeal
_OUTDEG = [(45, 0.8), (35, 0.7), (30, 0.7), (12, 0.8)]      # follow edges out (in sample)

_TARGET_P = _vec(dict(view=0.4, like=0.85, comment=0.85, reply=1.0, mention=1.0, share=0.8,
                      retweet=1.0), ACTIONS)

_TOPIC_WORDS = ["#running", "#yoga", "#vegan", "#coffee", "#travel", "#hiking", "#gaming",
                "#esports", "#photography", "#film", "#jazz", "#hiphop", "#kpop", "#fashion",
                "#skincare", "#diy", "#gardening", "#cycling", "#football", "#tennis", "#books",
                "#poetry", "#startups", "#crypto", "#ai", "#python", "#design", "#cats", "#dogs",
                "#parenting", "#cooking", "#baking", "#wine", "#climate", "#science", "#space",
                "#history", "#anime", "#comics", "#music"]
_BRAND_TOPICS = np.array(["#brandnews", "#sale", "#launch", "#giveaway", "#newsletter"])
_FIRST = ["Anna", "Ben", "Carla", "David", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas",
          "Kemal", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tara",
          "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno", "Chloe", "Dmitri",
          "Emma", "Femi", "Gita", "Hana", "Ivan", "Julia", "Kofi", "Lucia", "Malik", "Nina"]
_LAST = ["Schmidt", "Garcia", "Nguyen", "Okafor", "Rossi", "Kowalski", "Silva", "Yilmaz",
         "Dubois", "Jensen", "Haddad", "Tanaka", "Novak", "Moreau", "Fischer", "Costa", "Ivanova",
         "Mendes", "Larsen", "Kaur", "Brown", "Weber", "Popescu", "Ahmed", "Lopez", "Sato",
         "Meyer", "Horvat", "Ortiz", "Berg"]
_HUB_NAMES = ["Northwind", "Lumora", "Kestrel", "Quanta", "Vireo", "Solace", "Brightline",
              "Orbis"]


# ----------------------------------------------------------------------------- helpers
def _lognormal(rng, med, sigma, size):
    return np.exp(np.log(med) + sigma * rng.standard_normal(size))


def _by_role(rng, roles, table):
    out = np.empty(len(roles))
    for r, (med, sig) in enumerate(table):
        m = roles == r
        out[m] = _lognormal(rng, med, sig, int(m.sum()))
    return out


def _weighted_pick_grouped(rng, group_of_draw, members_sorted, group_start, group_end, w_sorted):
    """For each draw, pick a member of its group with probability proportional to w.

    ``members_sorted`` lists members grouped contiguously; ``group_start/end`` index into it.
    Returns -1 where the group has no positive weight.
    """
    cw = np.cumsum(w_sorted)
    base = np.concatenate([[0.0], cw])
    lo = base[group_start[group_of_draw]]
    hi = base[group_end[group_of_draw]]
    tot = hi - lo
    u = lo + rng.random(len(group_of_draw)) * tot
    idx = np.searchsorted(cw, u, side="right")
    idx = np.minimum(idx, np.maximum(group_end[group_of_draw] - 1, 0))
    idx = np.maximum(idx, group_start[group_of_draw])
    out = members_sorted[np.minimum(idx, len(members_sorted) - 1)]
    return np.where(tot > 0, out, -1)


def _other_community(rng, own, probs):
    """Draw a community != own, proportional to community size."""
    K = len(probs)
    c = rng.choice(K, size=len(own), p=probs)
    for _ in range(30):
        bad = c == own
        if not bad.any():
            break
        c[bad] = rng.choice(K, size=int(bad.sum()), p=probs)
    bad = c == own
    c[bad] = (own[bad] + 1 + rng.integers(0, K - 1, int(bad.sum()))) % K
    return c


def _pick_community(rng, own, mixing, probs):
    K = len(probs)
    tc = own.copy()
    if K > 1 and mixing > 0:
        cross = rng.random(len(own)) < mixing
        tc[cross] = _other_community(rng, own[cross], probs)
    return tc


def _iso(secs):
    t = WINDOW_START + secs.astype("timedelta64[s]")
    return np.char.add(np.datetime_as_string(t, unit="s"), "Z").astype(object)


def _concat_str(*parts):
    """Element-wise string concatenation of arrays and scalar strings (at least one array)."""
    n = next(len(p) for p in parts if not isinstance(p, str))
    s = pd.Series([""] * n, dtype=object)
    for p in parts:
        s = s + (p if isinstance(p, str) else pd.Series(np.asarray(p)).astype(str).to_numpy(dtype=object))
    return s.to_numpy(dtype=object)


# ----------------------------------------------------------------------------- main generator
def generate(n_members=5000, *, setting="default", n_communities=10, mixing=0.45, seed=0):
    """Generate one synthetic dataset with planted roles and communities.

    Parameters
    ----------
    n_members : int
        Number of members (>= 50).
    setting : str
        One of ``SETTINGS`` (see the module docstring for what each stresses).
    n_communities : int
        Number of planted communities (>= 1).
    mixing : float in [0, 1]
        Fraction of (non-hub) follow edges that cross communities; also the probability that a
        community-level reaction target lies outside the actor's community.
    seed : int
        Seed for ``numpy.random.default_rng``.

    Returns
    -------
    dict with DataFrames ``members``, ``events``, ``follows``, ``truth``. ``truth.attrs`` holds
    the setting, seed and realised mixing.
    """
    if setting not in SETTINGS:
        raise ValueError(f"The 'setting' parameter must be one of {SETTINGS}. Got {setting!r} instead.")
    n = int(n_members)
    if n < 50:
        raise ValueError(f"The 'n_members' parameter must be an int >= 50. Got {n_members!r} instead.")
    K = int(n_communities)
    if K < 1 or K > n // 5:
        raise ValueError(f"The 'n_communities' parameter must be in [1, n_members/5]. Got {n_communities!r} instead.")
    if not 0.0 <= float(mixing) <= 1.0:
        raise ValueError(f"The 'mixing' parameter must be a float in [0, 1]. Got {mixing!r} instead.")
    mixing = float(mixing)
    rng = np.random.default_rng(seed)

    # ---- roles ---------------------------------------------------------------------------
    inf_share = rng.uniform(0.01, 0.04) if setting == "micro_influencers" else rng.uniform(0.015, 0.025)
    n_hubs = int(rng.integers(3, 7)) if setting == "hub_heavy" else 0
    n_inf = max(1, n_hubs, int(round(inf_share * n)))
    n_blog = max(1, int(round(rng.uniform(0.06, 0.08) * n)))
    n_fan = max(1, int(round(rng.uniform(0.20, 0.30) * n)))
    n_fol = n - n_inf - n_blog - n_fan
    roles = np.repeat(np.arange(4), [n_inf, n_blog, n_fan, n_fol])
    rng.shuffle(roles)

    # ---- communities ---------------------------------------------------------------------
    cprobs = rng.dirichlet(np.full(K, 4.0))
    comm = rng.choice(K, size=n, p=cprobs)
    comm[rng.choice(n, K, replace=False)] = np.arange(K)
    csize = np.bincount(comm, minlength=K)
    cprobs_real = csize / n

    # ---- flags ---------------------------------------------------------------------------
    hollow = np.zeros(n, bool)
    liker = np.zeros(n, bool)
    hub = np.zeros(n, bool)
    fol_idx = np.flatnonzero(roles == FOL)
    if setting == "single_channel_likers":
        k = int(round(rng.uniform(0.22, 0.28) * len(fol_idx)))
        liker[rng.choice(fol_idx, k, replace=False)] = True
    if setting == "hollow":
        h = int(round(rng.uniform(0.045, 0.055) * n))
        hb = min(int(round(0.3 * h)), n_blog // 2)
        blog_idx = np.flatnonzero(roles == BLOG)
        hollow[rng.choice(blog_idx, hb, replace=False)] = True
        hollow[rng.choice(fol_idx, min(h - hb, len(fol_idx)), replace=False)] = True
    if n_hubs:
        hub[rng.choice(np.flatnonzero(roles == INF), n_hubs, replace=False)] = True

    # ---- latent reach (R) and amplification appeal (r) ------------------------------------
    R = _by_role(rng, roles, _REACH)
    r = _by_role(rng, roles, _APPEAL)
    infm = roles == INF
    if setting == "micro_influencers":
        R[infm] = 10 ** rng.uniform(np.log10(200), np.log10(50000), int(infm.sum()))
        r[infm] *= (R[infm] / 3000.0) ** 0.1
    else:
        r[infm] *= (R[infm] / _REACH[INF][0]) ** 0.15
    R[hollow] = _lognormal(rng, 20, 0.6, int(hollow.sum()))
    r[hollow] = 0.0
    r[hub] = 150 * _lognormal(rng, 1.0, 0.3, int(hub.sum()))

    # ---- channel sets and preferences -----------------------------------------------------
    W = _CHANNEL_W[roles]
    keys = np.log(W) - np.log(-np.log(rng.random((n, NC))))
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    lo = np.array([x[0] for x in _N_CHANNELS])[roles]
    hi = np.array([x[1] for x in _N_CHANNELS])[roles]
    kch = rng.integers(lo, hi + 1)
    chosen = rank < kch[:, None]
    shape = np.array(_PREF_SHAPE)[roles]
    pref = rng.gamma(shape[:, None], 1.0, (n, NC)) * chosen
    bl = np.flatnonzero(roles == BLOG)            # bloggers get a creation "home" channel
    home = rng.choice([_C["blog"], _C["youtube"], _C["instagram"], _C["tiktok"]], size=len(bl),
                      p=[0.5, 0.25, 0.15, 0.1])
    pref[bl, home] = pref[bl].sum(1) + rng.gamma(2.0, 1.0, len(bl))
    lk = np.flatnonzero(liker)                    # single-channel likers: exactly one channel
    if len(lk):
        one = rng.choice([_C["instagram"], _C["tiktok"], _C["twitter"], _C["youtube"]], size=len(lk),
                         p=[0.4, 0.3, 0.2, 0.1])
        pref[lk] = 0.0
        pref[lk, one] = 1.0
    # social "home" channel (used for follow edges)
    soc = pref[:, SOCIAL]
    home_social = np.where(soc.sum(1) > 0, SOCIAL[np.argmax(soc, 1)],
                           rng.choice(SOCIAL[[0, 1, 3, 4]], size=n))

    # ---- account creation and activity window ---------------------------------------------
    joins = rng.random(n) < 0.2
    act_start = np.where(joins, rng.uniform(0, 100, n), 0.0)           # days
    stops = rng.random(n) < 0.15
    act_end = np.where(stops, act_start + 10 + rng.uniform(0, 1, n) * (WINDOW_DAYS - act_start - 10),
                       float(WINDOW_DAYS))
    act_end = np.minimum(act_end, WINDOW_DAYS)
    created = np.where(joins, act_start * DAY - rng.uniform(0, 2, n) * DAY,
                       -np.clip(_lognormal(rng, 900, 0.7, n), 30, 5000) * DAY)  # secs from start

    # ---- follow graph (latent; emitted unless events_only) --------------------------------
    cap = max(2, min(800, n // 3))
    outdeg = np.clip(np.round(_by_role(rng, roles, _OUTDEG)), 1, cap).astype(np.int64)
    # quota of cross-community edges per member, then 3x over-sampling per (member, kind),
    # de-duplication and truncation to quota, so that the realised mixing stays near `mixing`
    # even though within-community draws concentrate on a few high-reach members.
    n_cross = rng.binomial(outdeg, mixing if K > 1 else 0.0)
    n_within = outdeg - n_cross
    over = 3
    src = np.concatenate([np.repeat(np.arange(n), over * n_within),
                          np.repeat(np.arange(n), over * n_cross)])
    kind_ = np.concatenate([np.zeros(over * n_within.sum(), np.int64),
                            np.ones(over * n_cross.sum(), np.int64)])
    tcomm = comm[src].copy()
    xc = kind_ == 1
    if xc.any():
        tcomm[xc] = _other_community(rng, comm[src[xc]], cprobs_real)
    order = np.argsort(comm, kind="stable")
    cstart = np.searchsorted(comm[order], np.arange(K), "left")
    cend = np.searchsorted(comm[order], np.arange(K), "right")
    Rf = R.copy()
    Rf[hub] = 0.0          # hubs are followed only through the community-blind hub edges below
    tgt = _weighted_pick_grouped(rng, tcomm, order, cstart, cend, Rf[order])
    keep = (tgt >= 0) & (tgt != src)
    src, tgt, kind_ = src[keep], tgt[keep], kind_[keep]
    o = np.lexsort((rng.random(len(src)), tgt, src))
    src, tgt, kind_ = src[o], tgt[o], kind_[o]
    uniq = np.concatenate([[True], (src[1:] != src[:-1]) | (tgt[1:] != tgt[:-1])])
    src, tgt, kind_ = src[uniq], tgt[uniq], kind_[uniq]
    o = np.lexsort((rng.random(len(src)), kind_, src))
    src, tgt, kind_ = src[o], tgt[o], kind_[o]
    gkey = src * 2 + kind_
    gstart = np.concatenate([[True], gkey[1:] != gkey[:-1]])
    gpos = np.arange(len(gkey)) - np.maximum.accumulate(np.where(gstart, np.arange(len(gkey)), 0))
    quota = np.where(kind_ == 1, n_cross[src], n_within[src])
    keep = gpos < quota
    src, tgt, kind_ = src[keep], tgt[keep], kind_[keep]
    # members whose community could not supply enough distinct high-reach followees: fill the
    # within-community shortfall with uniformly chosen community members
    short = np.maximum(n_within - np.bincount(src[kind_ == 0], minlength=n), 0)
    short = np.minimum(short, np.maximum(csize[comm] - 1 - (n_within - short), 0))
    if short.any():
        fs = np.repeat(np.arange(n), 3 * short)
        ft = _weighted_pick_grouped(rng, comm[fs], order, cstart, cend, np.ones(n))
        ok_ = ft != fs
        fs, ft = fs[ok_], ft[ok_]
        fk = fs * n + ft
        new_ = ~np.isin(fk, src[kind_ == 0] * n + tgt[kind_ == 0])
        fs, ft, fk = fs[new_], ft[new_], fk[new_]
        _, ui = np.unique(fk, return_index=True)
        ui = np.sort(ui)
        fs, ft = fs[ui], ft[ui]
        fstart_ = np.concatenate([[True], fs[1:] != fs[:-1]])
        fpos = np.arange(len(fs)) - np.maximum.accumulate(np.where(fstart_, np.arange(len(fs)), 0))
        kf = fpos < short[fs]
        src = np.concatenate([src, fs[kf]])
        tgt = np.concatenate([tgt, ft[kf]])
    # every member follows someone: the highest-reach other member of its community
    lonely = np.setdiff1d(np.arange(n), src)
    if len(lonely):
        best = np.empty(K, np.int64)
        second = np.empty(K, np.int64)
        for c in range(K):
            mem = order[cstart[c]:cend[c]]
            srt = mem[np.argsort(-Rf[mem])]
            best[c] = srt[0]
            second[c] = srt[1] if len(srt) > 1 else order[(cend[c]) % n]
        t = best[comm[lonely]]
        t = np.where(t == lonely, second[comm[lonely]], t)
        src = np.concatenate([src, lonely])
        tgt = np.concatenate([tgt, t])
    is_hub_edge = np.zeros(len(src), bool)
    for h in np.flatnonzero(hub):
        f = rng.uniform(0.30, 0.60)
        fo = np.flatnonzero(rng.random(n) < f)
        fo = fo[fo != h]
        src = np.concatenate([src, fo])
        tgt = np.concatenate([tgt, np.full(len(fo), h)])
        is_hub_edge = np.concatenate([is_hub_edge, np.ones(len(fo), bool)])
    ekey = src.astype(np.int64) * n + tgt
    # de-duplicate, keeping the hub flag if any copy is a hub edge
    o = np.lexsort((~is_hub_edge, ekey))
    ekey, src, tgt, is_hub_edge = ekey[o], src[o], tgt[o], is_hub_edge[o]
    first = np.concatenate([[True], ekey[1:] != ekey[:-1]])
    src, tgt, is_hub_edge = src[first], tgt[first], is_hub_edge[first]   # sorted by follower
    E = len(src)
    cross = comm[src] != comm[tgt]
    realised_mix = float(cross[~is_hub_edge].mean()) if (~is_hub_edge).any() else float("nan")
    realised_mix_all = float(cross.mean()) if E else float("nan")
    indeg = np.bincount(tgt, minlength=n)
    outdeg_real = np.bincount(src, minlength=n)

    # edge channel and since
    ech = np.where(rng.random(E) < 0.8, home_social[tgt], home_social[src])
    recent = rng.random(E) < 0.12
    since = np.where(recent, rng.uniform(0, WINDOW_DAYS * DAY, E),
                     -np.clip(_lognormal(rng, 300, 1.0, E), 1, 3000) * DAY)
    floor_ = np.maximum(created[src], created[tgt])
    late = since < floor_
    since[late] = floor_[late] + rng.uniform(0, 3 * DAY, int(late.sum()))
    since = np.minimum(since, WINDOW_DAYS * DAY - 1)

    # ---- member attributes ---------------------------------------------------------------
    Rrep = R.copy()
    Rrep[hub] = indeg[hub] * 25.0 * _lognormal(rng, 1.0, 0.2, int(hub.sum()))
    bought = np.zeros(n)
    bought[hollow] = _lognormal(rng, 30000, 0.8, int(hollow.sum()))
    followers = np.round(Rrep * _lognormal(rng, 1.0, 0.1, n) + bought).astype(np.int64)
    following = np.round(outdeg_real * _lognormal(rng, 3.0, 0.5, n)).astype(np.int64)

    # ---- per-member (action, channel) distributions and rates ------------------------------
    base = _ACTION_MIX[roles].copy()
    base[liker] = _LIKER_MIX
    base = base / base.sum(1, keepdims=True)
    p = rng.gamma(np.maximum(30.0 * base, 1e-12), 1.0)
    p[:, _A["view"]] += 1e-6
    J = p[:, :, None] * pref[:, None, :] * COMPAT[None]
    s = J.sum((1, 2))
    dead = s <= 0
    if dead.any():                                   # cannot happen in practice; be safe
        J[dead, _A["view"], home_social[dead]] = 1.0
        s = J.sum((1, 2))
    J /= s[:, None, None]
    cmass = J[:, CREATION, :].sum((1, 2))
    # bloggers: creation >= 55 % of own actions
    need = (roles == BLOG) & (cmass < 0.55) & (cmass > 0)
    if need.any():
        fac = 0.55 * (1 - cmass[need]) / (cmass[need] * 0.45)
        J[np.ix_(need, CREATION)] *= fac[:, None, None]
    # fans: creation <= 8 %
    need = (roles == FAN) & (cmass > 0.08)
    if need.any():
        fac = 0.08 * (1 - cmass[need]) / (cmass[need] * 0.92)
        J[np.ix_(need, CREATION)] *= fac[:, None, None]
    J /= J.sum((1, 2))[:, None, None]
    expected_creation_share = J[:, CREATION, :].sum((1, 2))

    if setting == "wide_activity":
        med = np.array([m for m, _ in _RATE])[roles]
        rate = med * 10 ** rng.uniform(-2.5, 1.0, n)
    else:
        rate = _by_role(rng, roles, _RATE)
    rate[liker] = _lognormal(rng, 250, 0.4, int(liker.sum()))
    active_frac = (act_end - act_start) / WINDOW_DAYS
    exp_events = rate * active_frac

    views = np.round(R * (0.5 + 0.2 * exp_events * expected_creation_share)
                     * _lognormal(rng, 1.0, 0.5, n) + rng.poisson(5, n)).astype(np.int64)

    # ---- ids and names -------------------------------------------------------------------
    perm = rng.permutation(n) + 1
    ids = np.array([f"m{v:06d}" for v in perm], dtype=object)
    fi = rng.integers(0, len(_FIRST), n)
    la = rng.integers(0, len(_LAST), n)
    first_names = np.array(_FIRST, dtype=object)[fi]
    last_names = np.array(_LAST, dtype=object)[la]
    names = _concat_str(first_names, " ", last_names).copy()
    handles = _concat_str("@", pd.Series(first_names).str.lower().to_numpy(),
                          pd.Series(last_names).str[0].str.lower().to_numpy(), perm).copy()
    kind = np.full(n, "person", dtype=object)
    hub_ids = np.flatnonzero(hub)
    if len(hub_ids):
        hk = rng.choice(np.array(["brand", "media", "person"], dtype=object), len(hub_ids))
        kind[hub_ids] = hk
        hn = rng.choice(len(_HUB_NAMES), len(hub_ids), replace=False)
        for j, i in enumerate(hub_ids):
            if hk[j] != "person":
                names[i] = f"{_HUB_NAMES[hn[j]]} {'Official' if hk[j] == 'brand' else 'News'}"
                handles[i] = f"@{_HUB_NAMES[hn[j]].lower()}{'' if hk[j] == 'brand' else 'news'}"

    members = pd.DataFrame({
        "member_id": ids, "name": names, "handle": handles, "kind": kind,
        "followers": followers, "following": following, "views": views,
        "created_at": _iso(np.floor(created)),
    }).sort_values("member_id", kind="stable").reset_index(drop=True)

    follows = pd.DataFrame({
        "follower_id": ids[src], "followee_id": ids[tgt],
        "channel": CHANNELS[ech].astype(object), "since": _iso(np.floor(since)),
    })
    if setting == "events_only":
        follows = follows.iloc[0:0].reset_index(drop=True)
    else:
        follows = follows.iloc[rng.permutation(E)].reset_index(drop=True)

    truth = pd.DataFrame({
        "member_id": ids, "role": np.array(ROLES, dtype=object)[roles], "community": comm,
        "hollow": hollow, "single_channel_heavy": liker, "hub": hub,
    }).sort_values("member_id", kind="stable").reset_index(drop=True)
    truth.attrs.update(setting=setting, seed=seed, n_communities=K, mixing=mixing,
                       realised_mixing=realised_mix, realised_mixing_all_edges=realised_mix_all,
                       n_hubs=int(hub.sum()))

    ev_cols = ["member_id", "action", "timestamp", "channel", "target_id", "content_id",
               "topic", "value"]
    if setting == "graph_only":
        events = pd.DataFrame({c: pd.Series(dtype=object) for c in ev_cols})
        events["value"] = events["value"].astype(float)
        return {"members": members, "events": events, "follows": follows, "truth": truth}

    # ---- events --------------------------------------------------------------------------
    N = rng.poisson(exp_events)
    esrc = np.repeat(np.arange(n), N)
    M = len(esrc)
    cum = np.cumsum(J.reshape(n, NA * NC), axis=1)
    cum /= cum[:, -1:]
    flat = (cum + np.arange(n)[:, None]).ravel()
    u = rng.random(M) * (1 - 1e-9)
    jidx = np.searchsorted(flat, esrc + u, side="right") - esrc * (NA * NC)
    jidx = np.clip(jidx, 0, NA * NC - 1)
    eact = jidx // NC
    ech_ev = jidx % NC

    # timestamps
    camp_days = np.sort(rng.uniform(5, WINDOW_DAYS - 5, 6))
    day = act_start[esrc] + rng.random(M) * (act_end[esrc] - act_start[esrc])
    camp = rng.random(M) < 0.25
    cd = camp_days[rng.integers(0, len(camp_days), int(camp.sum()))] + np.abs(rng.normal(0, 1.5, int(camp.sum())))
    ok = (cd >= act_start[esrc[camp]]) & (cd < act_end[esrc[camp]])
    tmp = day[camp]
    tmp[ok] = cd[ok]
    day[camp] = tmp
    hours_p = np.array([1, .6, .4, .3, .3, .5, 1, 2, 3, 3.5, 3.5, 4, 5, 4.5, 4, 4, 4.5, 5, 6, 7,
                        7.5, 6.5, 4, 2])
    hour = rng.choice(24, size=M, p=hours_p / hours_p.sum())
    secs = np.floor(day) * DAY + hour * 3600 + rng.integers(0, 3600, M)
    secs = np.clip(secs, 0, WINDOW_DAYS * DAY - 1)

    # targets: -1 none (brand content), -2 outsider, else member index
    brand_ch = np.isin(ech_ev, [_C["newsletter"], _C["events"], _C["shop"]])
    has_t = (rng.random(M) < _TARGET_P[eact]) & ~brand_ch
    has_t &= rng.random(M) >= 0.15 * (_TARGET_P[eact] < 1)     # some reactions on brand content
    tix = np.flatnonzero(has_t)
    ts = esrc[tix]
    target = np.full(M, -1, np.int64)
    tt = np.full(len(tix), -1, np.int64)
    # path 1: followees weighted by appeal (latent graph, sorted by follower)
    fstart = np.searchsorted(src, np.arange(n), "left")
    fend = np.searchsorted(src, np.arange(n), "right")
    use_f = rng.random(len(tix)) < 0.65
    if use_f.any():
        tt[use_f] = _weighted_pick_grouped(rng, ts[use_f], tgt, fstart, fend, r[tgt])
    # path 2: community weighted by appeal (also the fallback)
    rest = tt < 0
    if rest.any():
        tc = _pick_community(rng, comm[ts[rest]], mixing, cprobs_real)
        tt[rest] = _weighted_pick_grouped(rng, tc, order, cstart, cend, r[order])
    self_ = tt == ts
    if self_.any():
        tc = _pick_community(rng, comm[ts[self_]], mixing, cprobs_real)
        tt[self_] = _weighted_pick_grouped(rng, tc, order, cstart, cend, r[order])
    tt[tt == ts] = -1
    outsider = rng.random(len(tix)) < 0.03
    tt[outsider] = -2
    target[tix] = tt
    out_k = np.minimum(rng.zipf(1.6, M) - 1, 299)

    # content ids
    is_create = np.isin(eact, CREATION)
    cre_idx = np.flatnonzero(is_create)
    o = np.lexsort((secs[cre_idx], esrc[cre_idx]))
    cre_sorted = cre_idx[o]
    grp = esrc[cre_sorted]
    starts = np.concatenate([[0], np.flatnonzero(grp[1:] != grp[:-1]) + 1]) if len(grp) else np.array([], int)
    seq = np.arange(len(grp)) - np.repeat(starts, np.diff(np.concatenate([starts, [len(grp)]])))
    n_created = np.bincount(esrc[cre_idx], minlength=n)
    content = np.empty(M, dtype=object)
    content[cre_sorted] = _concat_str(ids[grp], "-c", seq)
    mt = np.flatnonzero(target >= 0)
    kk = (rng.random(len(mt)) * np.maximum(n_created[target[mt]], 1)).astype(np.int64)
    content[mt] = _concat_str(ids[target[mt]], "-c", kk)
    ot = np.flatnonzero(target == -2)
    content[ot] = _concat_str("x", pd.Series(out_k[ot]).map("{:04d}".format).to_numpy(), "-c",
                              rng.integers(0, 50, len(ot)))
    rest_m = np.flatnonzero((target == -1) & ~is_create)
    chr_ = ech_ev[rest_m]
    week = (secs[rest_m] // (7 * DAY)).astype(np.int64)
    c_nl = _concat_str("nl-", pd.Series(week).map("{:02d}".format).to_numpy())
    c_ev = _concat_str("ev-", np.searchsorted(camp_days, secs[rest_m] / DAY) % 12)
    c_sk = _concat_str("sku-", np.minimum(rng.zipf(1.4, len(rest_m)), 400))
    c_br = _concat_str("brand-", np.minimum(rng.zipf(1.5, len(rest_m)), 200))
    content[rest_m] = np.where(chr_ == _C["newsletter"], c_nl,
                               np.where(chr_ == _C["events"], c_ev,
                                        np.where(chr_ == _C["shop"], c_sk, c_br)))
    target_id = np.full(M, "", dtype=object)
    target_id[mt] = ids[target[mt]]
    target_id[ot] = _concat_str("x", pd.Series(out_k[ot]).map("{:04d}".format).to_numpy())

    # topics
    words = np.array(_TOPIC_WORDS, dtype=object)
    if 3 * K <= len(words):
        ctop = rng.permutation(words)[:3 * K].reshape(K, 3)
    else:
        ctop = np.array([[f"#topic{c}_{j}" for j in range(3)] for c in range(K)], dtype=object)
    owner_comm = np.where(target >= 0, comm[np.maximum(target, 0)], comm[esrc])
    member_content = is_create | (target >= 0)
    topic = _BRAND_TOPICS[rng.integers(0, len(_BRAND_TOPICS), M)].astype(object)
    own_t = member_content & (rng.random(M) < 0.85)
    topic[own_t] = ctop[owner_comm[own_t], rng.integers(0, 3, int(own_t.sum()))]
    topic[rng.random(M) < 0.10] = ""

    value = np.full(M, np.nan)
    pu = eact == _A["purchase"]
    value[pu] = np.round(_lognormal(rng, 40, 0.8, int(pu.sum())), 2)

    events = pd.DataFrame({
        "member_id": ids[esrc], "action": ACTIONS[eact].astype(object), "_t": secs,
        "channel": CHANNELS[ech_ev].astype(object), "target_id": target_id,
        "content_id": content, "topic": topic, "value": value,
    })
    if setting != "events_only":
        fe = np.flatnonzero((since >= 0) & (since < WINDOW_DAYS * DAY))
        fev = pd.DataFrame({
            "member_id": ids[src[fe]], "action": "follow", "_t": np.floor(since[fe]),
            "channel": CHANNELS[ech[fe]].astype(object), "target_id": ids[tgt[fe]],
            "content_id": "", "topic": "", "value": np.nan,
        })
        events = pd.concat([events, fev], ignore_index=True)
    events = events.sort_values("_t", kind="stable").reset_index(drop=True)
    events.insert(2, "timestamp", _iso(events.pop("_t").to_numpy()))
    events = events[ev_cols]
    return {"members": members, "events": events, "follows": follows, "truth": truth}


def write(tables, folder):
    """Write members.csv, events.csv, follows.csv, truth.csv (utf-8, no index) into ``folder``."""
    os.makedirs(folder, exist_ok=True)
    for name in ("members", "events", "follows", "truth"):
        tables[name].to_csv(os.path.join(folder, f"{name}.csv"), index=False, encoding="utf-8")


# ----------------------------------------------------------------------------- diagnostics
def summarize(tables):
    """Per-role summary: events, channels, distinct amplifiers, followers, in-degree, creation share."""
    truth = tables["truth"].set_index("member_id")
    members = tables["members"].set_index("member_id")
    ev = tables["events"]
    fo = tables["follows"]
    out = pd.DataFrame(index=truth.index)
    out["role"] = truth["role"]
    nonfollow = ev[ev["action"] != "follow"]
    out["events"] = nonfollow.groupby("member_id").size().reindex(out.index, fill_value=0)
    out["channels"] = nonfollow.groupby("member_id")["channel"].nunique().reindex(out.index, fill_value=0)
    amp = ev[ev["action"].isin(AMPLIFY) & (ev["target_id"] != "")]
    out["amplifiers"] = amp.groupby("target_id")["member_id"].nunique().reindex(out.index, fill_value=0)
    cre = nonfollow["action"].isin(["post", "blog_post", "video"])
    out["creation_share"] = (cre.groupby(nonfollow["member_id"]).mean()
                             .reindex(out.index))
    deep = nonfollow["action"].isin(["comment", "share", "retweet", "reply", "newsletter_click",
                                     "event_attend", "purchase"])
    out["deep_share"] = deep.groupby(nonfollow["member_id"]).mean().reindex(out.index)
    out["followers"] = members["followers"]
    out["indeg"] = fo.groupby("followee_id").size().reindex(out.index, fill_value=0)
    g = out.groupby("role")
    s = pd.DataFrame({
        "n": g.size(),
        "ev_mean": g["events"].mean().round(1),
        "ev_med": g["events"].median(),
        "ev_p5": g["events"].quantile(0.05),
        "ev_p95": g["events"].quantile(0.95),
        "chan": g["channels"].mean().round(2),
        "amp_mean": g["amplifiers"].mean().round(1),
        "amp_med": g["amplifiers"].median(),
        "create": g["creation_share"].mean().round(2),
        "deep": g["deep_share"].mean().round(2),
        "foll_med": g["followers"].median(),
        "indeg_mean": g["indeg"].mean().round(1),
    }).reindex(list(ROLES))
    return s


def main(argv=None):
    ap = argparse.ArgumentParser(description="Blind roles/communities test-data generator.")
    ap.add_argument("out_dir")
    ap.add_argument("--members", type=int, default=5000)
    ap.add_argument("--setting", default="default", choices=SETTINGS)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mixing", type=float, default=0.45)
    ap.add_argument("--communities", type=int, default=10)
    ap.add_argument("--summary", action="store_true", help="print per-role statistics")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    tables = generate(a.members, setting=a.setting, n_communities=a.communities,
                      mixing=a.mixing, seed=a.seed)
    t1 = time.perf_counter()
    write(tables, a.out_dir)
    t2 = time.perf_counter()
    print(f"{a.setting}: {len(tables['members'])} members, {len(tables['events'])} events, "
          f"{len(tables['follows'])} follows; generate {t1 - t0:.1f}s, write {t2 - t1:.1f}s; "
          f"realised mixing {tables['truth'].attrs['realised_mixing']:.3f}", file=sys.stderr)
    if a.summary:
        with pd.option_context("display.width", 200, "display.max_columns", 30):
            print(summarize(tables))
    return 0


if __name__ == "__main__":
    sys.exit(main())
