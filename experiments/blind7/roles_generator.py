"""Blind synthetic community generator for testing clusterkit's role rules (blind7).

Written only from DESIGN.md sections 2 (data contract) and 3 (role semantics), without looking
at how clusterkit assigns roles. Roles are *planted by behaviour*: every member draws latent
rates (creation, reactions, passive consumption, conversions), a reach ("attractiveness" for
being followed), a virality (how much the community reacts to their content) and channel
preferences from a role profile; the tables are then simulated from those latents. No role
label is ever derived from the simulated tables.

The world
---------
* One brand (``brand:acme``, not a member) runs social channels (twitter, instagram, youtube,
  blog, facebook), a website (``web``), a weekly newsletter (``newsletter``) and live events
  (``events``). The brand posts content that members react to; reactions to brand content carry
  ``target_id = "brand:acme"``. Outside accounts (celebrities, press; ``ext:...``) are followed,
  mentioned and reshared too, so some targets / followees are not members.
* Members belong to topical communities (a handful, Dirichlet sizes); 60-70 % of follows stay
  inside the community, content topics are drawn from the creator's community topic mix.
* Follow graph: out-degree log-normal per role; followee chosen proportionally to reach
  (Pareto-tailed for influencers), community-biased, some reciprocity. ``followers`` in the
  members table is what the platform reports: in-community followers + an outside audience
  (log-normal, role dependent) + bought followers for hollow accounts; it is missing for ~6 %
  of members and for many blog-first members (blogs do not report followers).
* Content: creators post ``post`` (twitter/instagram/facebook), ``video`` (youtube) or
  ``blog_post`` (blog), each with a ``content_id``, a topic and a heavy-tailed quality.
* Reactions: ``like``; deep reaction ``reply`` (twitter) / ``comment`` (elsewhere); reshare
  ``retweet`` (twitter) / ``share`` (elsewhere). A reaction goes to brand content, to content of
  someone the member follows (repeat engagement with favourites), or to content picked across
  the community proportionally to creator virality x content quality (this is what gives
  influencers many *distinct* amplifiers). Reaction time = content time + log-normal delay.
  ``mention`` targets are chosen by reach x virality (or a followee, the brand, an outsider).
* Passive and conversion actions: ``view`` (web pages or content, no target), weekly
  ``newsletter_open`` / ``newsletter_click``, ``event_attend`` at a few brand events,
  ``purchase`` with a log-normal order ``value``. ``follow`` events are logged for follow edges
  created inside the window.
* Role profiles (per day, before a mean-1 log-normal activity multiplier):
    - influencer: posts ~1/day, huge outside audience, Pareto reach, high virality, reacts less;
      15-20 % are media / brand accounts.
    - blogger: ~0.35 creations/day, blog/youtube heavy, moderate reach and virality,
      creates more than reacts.
    - fan: likes, comments, shares, newsletter clicks, events and purchases across channels,
      often on brand content and repeatedly on a few favourites; posts rarely, small audience.
    - follower: follows (and the brand), views, opens newsletters, an occasional like.
  Overlap: every real member mixes a Beta(1, 7) share of a random other role's profile into
  their own, and activity is log-normal inside each role (sigma 0.9-1.2, up to 1.9), so the
  role distributions overlap.
* Fake influence: *hollow* accounts (true role blogger or follower) buy followers and/or
  engagement. Bought followers inflate the reported count and partly appear as follow edges
  from bot-farm members; bought engagement is bursts of likes / retweets / generic comments by
  bots within ~2 hours of each post. Bots are members too (truth role ``follower``, flagged in
  the extra truth column ``bot``, ``hollow`` False since they bought nothing); to look organic
  they also follow and like/reshare popular real accounts. Bot accounts were created in a few
  recent batches and follow thousands of accounts.
* Noise: ~0.4 % exact duplicate event rows, ~2 % events with no channel, ~4 % members with no
  channel, missing follower counts, 2 % of reactions and 4 % of mentions aimed at outside
  accounts, brand follows and outside followees in the follow table, members who churn or join
  mid-window.

Settings (``SETTINGS``)
-----------------------
default             mixed community: 3 % influencers, 10 % bloggers, 18 % fans, rest followers,
                    90 days, a small bot farm (1 %) and a few hollow accounts.
fake_influence      heavy bought influence: 10 % of members are bots, 30 % of bloggers and 6 %
                    of followers are hollow (bought 25k-ish followers and/or ~35 bot reactions
                    per post); bots also follow / like / retweet real popular accounts.
broadcasters        influencers are broadcasters (many media accounts): 3x reach, ~200k outside
                    followers, post twice as much, but low engagement per post (virality x0.3,
                    followers engage with them only 25 % as often as with others) and they
                    rarely interact.
micro_influencers   5 % influencers with small audiences (reported followers ~3k, like or below
                    bloggers) but very engaged, *distinct* amplifiers: high virality, fans and
                    followers reshare and mention more and pick across the community.
long_tail           very heavy-tailed activity: 82 % followers with activity sigma 1.9 and 4 %
                    "power consumers" who view / like / open massively (x25) without creating.
channel_fans        fans concentrate on one or two channels but go deep: more comments, 3x
                    purchases, 2x events, fewer likes and newsletter clicks, half of their
                    reactions on brand content.
sparse_window       only 18 days of events, rates x0.8, more churn: most members have a handful
                    of events or none, 2-3 newsletter issues, one brand event.
partial_follows     same world as default, but the exported follow table is a random 30 % sample
                    of the edges (reported follower counts and follow events are unaffected).

Assumptions: member ids are opaque strings in random order; timestamps are pandas UTC
datetimes sorted in time; ``value`` is NaN except for purchases; the extra truth column
``bot`` is informational.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

SETTINGS = (
    "default",
    "fake_influence",
    "broadcasters",
    "micro_influencers",
    "long_tail",
    "channel_fans",
    "sparse_window",
    "partial_follows",
)

ROLES = ("influencer", "blogger", "fan", "follower")
_TYPES = ("influencer", "blogger", "fan", "follower", "bot")  # bot -> truth role follower
INF, BLG, FAN, FOL, BOT = range(5)

ACTIONS = (
    "view", "newsletter_open", "like", "follow", "newsletter_click", "reply", "comment",
    "mention", "share", "retweet", "post", "blog_post", "video", "event_attend", "purchase",
)
A = {a: i for i, a in enumerate(ACTIONS)}

CHANNELS = ("twitter", "instagram", "youtube", "blog", "facebook", "web", "newsletter", "events")
SOCIAL = 5  # first five channels are social
TW, IG, YT, BL, FB, WEB, NL, EVT = range(8)
_CREATE_ACTION = np.array([A["post"], A["post"], A["video"], A["blog_post"], A["post"]])

TOPICS = (
    "#running", "#cycling", "#yoga", "#nutrition", "#gear", "#trail", "#marathon", "#recovery",
    "#outdoors", "#sustainability", "#deals", "#style", "#tech", "#travel", "#family", "#events",
)

BRAND_ID = "brand:acme"

# rate columns (per day)
RATE_COLS = ("create", "like", "deep", "reshare", "mention", "view", "nl_open", "nl_click",
             "event", "purchase")
C = {c: i for i, c in enumerate(RATE_COLS)}

_DIURNAL = np.array([1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.2, 3, 3, 3, 3.2, 3.6, 3.3, 3, 3, 3.2,
                     3.6, 4.2, 4.8, 5, 4.6, 3.4, 2], float)
_DIURNAL /= _DIURNAL.sum()

_FIRST = np.array("Anna Ben Chloe David Emma Felix Grace Hugo Iris Jack Kira Liam Maya Noah Olga "
                  "Paul Quinn Rosa Sam Tara Umar Vera Will Xena Yusuf Zoe Ali Bea Carl Dina Eli "
                  "Fay Gil Hana Ivan Jade Kofi Lena Marco Nina".split(), object)
_LAST = np.array("Smith Jones Garcia Muller Rossi Dubois Kowalski Silva Tanaka Kim Novak Berg "
                 "Costa Haddad Ivanova Jensen Kaur Lopez Moreau Nguyen Okafor Petrov Quist "
                 "Reyes Sato Torres Ueda Varga Weber Yilmaz Zhang Brown Clark Evans Ford Hill "
                 "King Lee Moore".split(), object)
_BRAND_W1 = np.array("Peak Urban Green Swift Daily Open Bright North Blue Iron Wild True".split(),
                     object)
_BRAND_W2 = np.array("Trail Pulse Motion Track Field Stride Summit Core Wave Loop".split(), object)
_BRAND_SFX = np.array(["Media", "News", "Studio", "Co", "Magazine", "Collective"], object)
_LETTERS = np.array(list("abcdefghijklmnopqrstuvwxyz"), object)


# --------------------------------------------------------------------------------------------
# configuration
# --------------------------------------------------------------------------------------------
def _base_config() -> dict:
    rates = np.array([
        # create like  deep  reshare mention view  nl_open nl_click event  purchase
        [0.90, 0.40, 0.25, 0.15, 0.12, 0.20, 0.03, 0.005, 0.002, 0.001],   # influencer
        [0.35, 0.12, 0.08, 0.04, 0.04, 0.30, 0.06, 0.015, 0.004, 0.002],   # blogger
        [0.03, 0.60, 0.25, 0.20, 0.04, 0.60, 0.20, 0.080, 0.015, 0.012],   # fan
        [0.004, 0.08, 0.006, 0.005, 0.001, 0.35, 0.10, 0.008, 0.0008, 0.0012],  # follower
        [0.01, 0.30, 0.00, 0.08, 0.00, 0.00, 0.00, 0.000, 0.000, 0.000],   # bot
    ])
    return dict(
        days=90.0,
        start="2024-03-04",
        frac=(0.03, 0.10, 0.18),           # influencer, blogger, fan (followers: rest of reals)
        bot_frac=0.01,
        hollow_blogger=0.04,
        hollow_follower=0.01,
        p_buy_followers=0.75,
        p_buy_engagement=0.55,
        bought_followers_log=np.log(12000.0),
        bought_eng_log=np.log(20.0),
        bought_in_window=0.5,
        rates=rates,
        rate_scale=1.0,
        act_sigma=np.array([1.0, 0.9, 1.0, 1.2, 0.6]),
        create_sigma=np.array([0.8, 0.7, 1.2, 1.2, 0.5]),
        overlap_beta=(1.0, 7.0),
        p_brand=np.array([0.05, 0.10, 0.35, 0.30, 0.05]),
        p_follow=np.array([0.50, 0.50, 0.40, 0.40, 0.20]),
        following=np.array([40.0, 60.0, 50.0, 30.0, 60.0]),
        following_sigma=np.array([0.9, 0.8, 0.8, 1.0, 0.5]),
        following_outside_log=np.log([300.0, 400.0, 250.0, 150.0, 2500.0]),
        attract=np.array([60.0, 8.0, 1.0, 0.4, 0.05]),
        attract_sigma=np.array([0.0, 0.8, 0.7, 0.7, 0.3]),   # influencers: Pareto instead
        influencer_pareto=1.5,
        virality=np.array([10.0, 2.5, 0.6, 0.5, 0.1]),
        engage=np.ones(5),
        outside_log=np.log([25000.0, 2000.0, 180.0, 80.0, 12.0]),
        outside_sigma=np.array([1.1, 1.0, 0.9, 1.0, 0.8]),
        p_within=np.array([0.6, 0.7, 0.7, 0.7, 0.0]),
        brand_follow=np.array([0.2, 0.4, 0.9, 0.7, 0.3]),
        ext_follow=np.array([3.0, 2.0, 1.0, 1.5, 5.0]),
        recip=np.array([0.05, 0.25, 0.30, 0.30, 0.0]),
        chan_base=np.array([
            [0.35, 0.30, 0.20, 0.05, 0.10],
            [0.15, 0.15, 0.25, 0.35, 0.10],
            [0.30, 0.30, 0.15, 0.10, 0.15],
            [0.30, 0.25, 0.15, 0.05, 0.25],
            [0.55, 0.35, 0.02, 0.02, 0.06],
        ]),
        chan_conc=np.array([3.0, 2.0, 6.0, 2.0, 2.0]),
        chan_boost=np.array([3.0, 3.0, 2.0, 3.0, 4.0]),
        kind_inf=(0.78, 0.16, 0.06),        # person, media, brand
        kind_blg=(0.90, 0.08, 0.02),
        heavy_passive_frac=0.0,
        heavy_passive_mult=1.0,
        follow_sample=1.0,
        p_new_follow=0.12,                  # share of edges created in a 90-day window
        churn=0.2,
        ext_react=0.02,
    )


def _config(setting: str) -> dict:
    if setting not in SETTINGS:
        raise ValueError(f"unknown setting {setting!r}; choose one of {', '.join(SETTINGS)}")
    c = _base_config()
    r = c["rates"]
    if setting == "fake_influence":
        c.update(frac=(0.025, 0.12, 0.15), bot_frac=0.10, hollow_blogger=0.30,
                 hollow_follower=0.06, bought_followers_log=np.log(25000.0),
                 bought_eng_log=np.log(35.0), bought_in_window=0.7)
        r[BOT] = [0.02, 0.50, 0.02, 0.15, 0.005, 0.0, 0.0, 0.0, 0.0, 0.0]
        c["following"][BOT] = 80.0
    elif setting == "broadcasters":
        c["attract"][INF] *= 3.0
        c["outside_log"][INF] = np.log(200000.0)
        c["virality"][INF] *= 0.3
        c["engage"][INF] = 0.25
        r[INF, C["create"]] *= 1.8
        r[INF, [C["like"], C["deep"], C["reshare"], C["mention"]]] *= 0.4
        c["following"][INF] = 15.0
        c["kind_inf"] = (0.5, 0.4, 0.1)
    elif setting == "micro_influencers":
        c["frac"] = (0.05, 0.10, 0.18)
        c["attract"][INF] = 10.0
        c["attract_sigma"][INF] = 0.6
        c["influencer_pareto"] = None
        c["outside_log"][INF] = np.log(3000.0)
        c["outside_sigma"][INF] = 0.6
        c["outside_log"][BLG] = np.log(3500.0)
        c["virality"][INF] *= 1.5
        r[INF, C["create"]] = 0.5
        r[INF, [C["like"], C["deep"]]] *= 1.5
        r[[FAN, FOL], C["reshare"]] *= 1.6
        r[[FAN, FOL], C["mention"]] *= 2.0
        c["p_follow"][[FAN, FOL]] = 0.25
    elif setting == "long_tail":
        c["frac"] = (0.02, 0.06, 0.10)
        c["act_sigma"][[FAN, FOL]] = [1.4, 1.9]
        c["create_sigma"][[INF, BLG]] = [1.2, 1.2]
        r[FOL, C["view"]] *= 1.5
        c["heavy_passive_frac"] = 0.04
        c["heavy_passive_mult"] = 25.0
    elif setting == "channel_fans":
        c["chan_conc"][FAN] = 0.35
        c["chan_boost"][FAN] = 2.5
        r[FAN, C["like"]] *= 0.5
        r[FAN, C["deep"]] *= 1.8
        r[FAN, C["reshare"]] *= 0.6
        r[FAN, C["nl_click"]] *= 0.4
        r[FAN, C["nl_open"]] *= 0.5
        r[FAN, C["event"]] *= 2.0
        r[FAN, C["purchase"]] *= 3.0
        c["p_brand"][FAN] = 0.5
        c["p_follow"][FAN] = 0.25
    elif setting == "sparse_window":
        c.update(days=18.0, rate_scale=0.8, churn=0.35)
    elif setting == "partial_follows":
        c["follow_sample"] = 0.3
    return c


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def _ln1(rng, sigma, size=None):
    """Log-normal with mean 1 (sigma may be an array)."""
    sigma = np.asarray(sigma, float)
    return np.exp(sigma * rng.standard_normal(size if size is not None else sigma.shape)
                  - sigma ** 2 / 2)


def _row_choice(rng, cum_rows):
    """Pick a column per row given cumulative (unnormalised) weights."""
    if len(cum_rows) == 0:
        return np.zeros(0, int)
    u = rng.random(len(cum_rows)) * cum_rows[:, -1]
    return np.minimum((u[:, None] >= cum_rows).sum(1), cum_rows.shape[1] - 1)


def _diurnal_times(rng, lo, hi):
    """Uniform day inside [lo, hi) with a realistic hour-of-day profile (days as floats)."""
    lo = np.asarray(lo, float)
    hi = np.asarray(hi, float)
    t = lo + rng.random(len(lo)) * (hi - lo)
    hr = rng.choice(24, size=len(t), p=_DIURNAL)
    t2 = np.floor(t) + (hr + rng.random(len(t))) / 24.0
    return np.where((t2 < lo) | (t2 >= hi), t, t2)


def _weighted(rng, pool, weights, size):
    if size == 0 or len(pool) == 0:
        return np.zeros(0, int) if size == 0 else np.full(size, -1)
    w = np.asarray(weights, float)
    return pool[rng.choice(len(pool), size=size, p=w / w.sum())]


def _str_ids(prefix, nums, width):
    return np.char.add(prefix, np.char.zfill(np.asarray(nums).astype(str), width)).astype(object)


# --------------------------------------------------------------------------------------------
# generator
# --------------------------------------------------------------------------------------------
def generate(n: int, setting: str = "default", seed: int = 0) -> dict[str, pd.DataFrame]:
    """Generate one synthetic community; see the module docstring for the world and settings."""
    cfg = _config(setting)
    n = int(n)
    if n < 8:
        raise ValueError("n must be at least 8")
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), SETTINGS.index(setting), n]))
    days = float(cfg["days"])
    start = pd.Timestamp(cfg["start"], tz="UTC")

    # ---------------- types, roles, hollow ----------------
    n_bots = int(round(cfg["bot_frac"] * n))
    n_real = n - n_bots
    fr = np.array(cfg["frac"] + (1.0 - sum(cfg["frac"]),))
    counts = rng.multinomial(n_real, fr)
    for k in range(3):  # every role present
        if counts[k] == 0:
            counts[k] += 1
            counts[3] -= 1
    typ = np.concatenate([np.repeat(np.arange(4), counts), np.full(n_bots, BOT)])
    typ = typ[rng.permutation(n)]
    real = typ != BOT
    is_bot = ~real
    role = np.where(is_bot, FOL, typ)
    bots = np.flatnonzero(is_bot)

    hollow = ((typ == BLG) & (rng.random(n) < cfg["hollow_blogger"])) | (
        (typ == FOL) & (rng.random(n) < cfg["hollow_follower"]))
    buy_fol = hollow & (rng.random(n) < cfg["p_buy_followers"])
    buy_eng = hollow & (rng.random(n) < cfg["p_buy_engagement"])
    buy_fol |= hollow & ~buy_eng

    kind = np.zeros(n, int)  # 0 person, 1 media, 2 brand
    kind[typ == INF] = rng.choice(3, size=(typ == INF).sum(), p=cfg["kind_inf"])
    kind[typ == BLG] = rng.choice(3, size=(typ == BLG).sum(), p=cfg["kind_blg"])
    kind[hollow] = 0

    # ---------------- communities & topics ----------------
    K = int(np.clip(n // 500, 3, 15))
    comm = rng.choice(K, size=n, p=rng.dirichlet(np.full(K, 2.0)))
    comm_topic_cum = np.cumsum(rng.dirichlet(np.full(len(TOPICS), 0.3), size=K), axis=1)

    # ---------------- channel preferences ----------------
    base = cfg["chan_base"][typ]
    primary = _row_choice(rng, np.cumsum(base, axis=1))
    alpha = cfg["chan_conc"][typ][:, None] * base
    alpha[np.arange(n), primary] += cfg["chan_boost"][typ]
    pref = rng.gamma(np.maximum(alpha, 1e-3))
    pref /= pref.sum(1, keepdims=True)
    pref_cum = np.cumsum(pref, axis=1)

    # ---------------- latent rates with overlap ----------------
    P = cfg["rates"] * cfg["rate_scale"]
    sec = (typ + rng.integers(1, 4, size=n)) % 4
    w = np.where(real, rng.beta(*cfg["overlap_beta"], size=n), 0.0)
    sec_t = np.where(real, sec, BOT)
    rates = (1 - w)[:, None] * P[typ] + w[:, None] * P[sec_t]
    z1, z2 = rng.standard_normal(n), rng.standard_normal(n)
    s_a, s_c = cfg["act_sigma"][typ], cfg["create_sigma"][typ]
    act = np.exp(s_a * z1 - s_a ** 2 / 2)
    cre = np.exp(s_c * (0.3 * z1 + np.sqrt(1 - 0.09) * z2) - s_c ** 2 / 2)
    rates[:, C["create"]] *= cre
    rates[:, 1:] *= act[:, None]
    if cfg["heavy_passive_frac"] > 0:
        heavy = (typ == FOL) & (rng.random(n) < cfg["heavy_passive_frac"])
        rates[np.ix_(heavy, [C["view"], C["like"], C["nl_open"]])] *= cfg["heavy_passive_mult"]
    rates[buy_eng & (typ == FOL), C["create"]] = np.maximum(
        rates[buy_eng & (typ == FOL), C["create"]], 0.05 * _ln1(rng, 0.5, (buy_eng & (typ == FOL)).sum()))

    def mix_log(arr, sigma):
        v = np.exp((1 - w) * np.log(arr[typ]) + w * np.log(arr[sec_t]))
        return v * _ln1(rng, sigma)

    attract = mix_log(cfg["attract"], cfg["attract_sigma"][typ])
    if cfg["influencer_pareto"]:
        a = cfg["influencer_pareto"]
        inf = typ == INF
        attract[inf] *= (1 + rng.pareto(a, inf.sum())) * (a - 1) / a
    virality = mix_log(cfg["virality"], np.full(n, 0.5))
    engage = cfg["engage"][typ]

    # activity span (churn / late joiners)
    s0 = np.where(rng.random(n) < cfg["churn"], rng.random(n) * 0.7 * days, 0.0)
    e0 = np.where(rng.random(n) < cfg["churn"], s0 + (0.2 + 0.8 * rng.random(n)) * (days - s0), days)
    s0[is_bot], e0[is_bot] = 0.0, days
    span = e0 - s0

    # account creation (days before window start)
    age = np.clip(rng.lognormal(np.log(900), 0.8, n), 20, 5500)
    age[typ == INF] *= 1.5
    if n_bots:
        batches = rng.uniform(15, 150, size=3)
        age[bots] = batches[rng.integers(0, 3, n_bots)] + rng.uniform(0, 3, n_bots)
    age = np.maximum(age, 1.0)

    # ---------------- follow graph ----------------
    kout = np.rint(mix_log(cfg["following"], cfg["following_sigma"][typ])).astype(int)
    kout[real & (rng.random(n) < 0.03)] = 0
    kout = np.minimum(kout, n - 1)
    src = np.repeat(np.arange(n), kout)
    dst = np.empty(len(src), int)
    within = rng.random(len(src)) < cfg["p_within"][typ][src]
    g = np.flatnonzero(~within)
    dst[g] = _weighted(rng, np.arange(n), attract, len(g))
    src_comm = comm[src]
    for k in range(K):
        sel = np.flatnonzero(within & (src_comm == k))
        pool = np.flatnonzero(comm == k)
        dst[sel] = _weighted(rng, pool, attract[pool], len(sel))
    # bought followers: bot-farm members follow follower-buyers
    buyers_f = np.flatnonzero(buy_fol)
    buy_day = np.where(rng.random(n) < cfg["bought_in_window"], rng.uniform(0, days, n),
                       -rng.uniform(1, 120, n))
    if n_bots and len(buyers_f):
        cnt = np.minimum(rng.poisson(rng.uniform(0.3, 0.9, len(buyers_f)) * n_bots), n_bots)
        b_src = bots[rng.integers(0, n_bots, cnt.sum())]
        b_dst = np.repeat(buyers_f, cnt)
    else:
        b_src = b_dst = np.zeros(0, int)
    # reciprocity
    rec = rng.random(len(src)) < cfg["recip"][typ][dst]
    src = np.concatenate([src, dst[rec], b_src])
    dst = np.concatenate([dst, src[: len(rec)][rec], b_dst])
    ok = src != dst
    src, dst = src[ok], dst[ok]
    _, first = np.unique(src.astype(np.int64) * n + dst, return_index=True)
    first.sort()
    bought_edge = np.zeros(len(src), bool)
    bought_edge[len(src) - len(b_src):] = True  # b_* were appended last (before self/dedupe)
    bought_edge = bought_edge[first]
    src, dst = src[first], dst[first]
    bought_edge &= is_bot[src] & buy_fol[dst]

    indeg = np.bincount(dst, minlength=n)
    outdeg = np.bincount(src, minlength=n)

    # non-member followees: the brand and outside accounts
    n_ext = max(20, n // 50)
    ext_w = 1.0 / np.arange(1, n_ext + 1) ** 1.1
    bsrc = np.flatnonzero(rng.random(n) < cfg["brand_follow"][typ])
    xcnt = rng.poisson(cfg["ext_follow"][typ])
    xsrc = np.repeat(np.arange(n), xcnt)
    xdst = -10 - rng.choice(n_ext, size=len(xsrc), p=ext_w / ext_w.sum())
    xkey = np.unique(xsrc.astype(np.int64) * (n_ext + 10) + (-10 - xdst), return_index=True)[1]
    xkey.sort()
    xsrc, xdst = xsrc[xkey], xdst[xkey]

    f_src = np.concatenate([src, bsrc, xsrc])
    f_dst = np.concatenate([dst, np.full(len(bsrc), -1), xdst])
    f_bought = np.concatenate([bought_edge, np.zeros(len(bsrc) + len(xsrc), bool)])
    member_dst = f_dst >= 0
    f_chan = np.where(member_dst, primary[np.maximum(f_dst, 0)], primary[f_src])
    other = rng.random(len(f_src)) < 0.15
    f_chan[other] = _row_choice(rng, pref_cum[f_src[other]])
    # since: old edges before the window, a share created inside it
    dst_age = np.where(member_dst, age[np.maximum(f_dst, 0)], 4000.0)
    min_age = np.minimum(age[f_src], dst_age)
    new = rng.random(len(f_src)) < cfg["p_new_follow"] * days / 90.0
    since = np.where(new, rng.uniform(0, days, len(f_src)), -rng.random(len(f_src)) * min_age)
    bb = f_bought
    since[bb] = np.maximum(buy_day[f_dst[bb]] + rng.exponential(0.5, bb.sum()), -age[f_src[bb]])

    # reported counts
    outside = np.rint(np.exp(cfg["outside_log"][typ] + cfg["outside_sigma"][typ]
                             * rng.standard_normal(n)))
    bought = np.where(buy_fol, np.rint(np.exp(cfg["bought_followers_log"]
                                              + 0.9 * rng.standard_normal(n))), 0)
    followers_rep = (indeg + outside + bought).astype(float)
    following_rep = (np.bincount(f_src, minlength=n)
                     + np.rint(np.exp(cfg["following_outside_log"][typ]
                                      + 0.8 * rng.standard_normal(n)))).astype(float)
    followers_rep[rng.random(n) < 0.06] = np.nan
    followers_rep[(primary == BL) & (rng.random(n) < 0.4)] = np.nan
    following_rep[rng.random(n) < 0.04] = np.nan

    # ---------------- content ----------------
    ncont = rng.poisson(rates[:, C["create"]] * span)
    c_creator = np.repeat(np.arange(n), ncont)
    cstart = np.concatenate([[0], np.cumsum(ncont)[:-1]])
    Nc = len(c_creator)
    c_chan = primary[c_creator].copy()
    o = rng.random(Nc) < 0.3
    c_chan[o] = _row_choice(rng, pref_cum[c_creator[o]])
    c_t = _diurnal_times(rng, s0[c_creator], e0[c_creator])
    c_topic = _row_choice(rng, comm_topic_cum[comm[c_creator]])
    c_q = _ln1(rng, 0.8, Nc)
    # brand content
    Nb = max(10, int(days * 2.5))
    b_chan = rng.choice(SOCIAL, size=Nb, p=[0.3, 0.3, 0.15, 0.1, 0.15])
    b_t = _diurnal_times(rng, np.zeros(Nb), np.full(Nb, days))
    b_topic = rng.integers(0, len(TOPICS), Nb)
    # outside accounts' content
    Nx = max(50, n_ext * 5)
    x_creator = -10 - rng.choice(n_ext, size=Nx, p=ext_w / ext_w.sum())
    x_chan = rng.choice(SOCIAL, size=Nx, p=[0.5, 0.3, 0.15, 0.0, 0.05])
    x_t = rng.uniform(-2, days, Nx)
    x_topic = rng.integers(0, len(TOPICS), Nx)
    # pages, newsletter issues, brand events
    n_pages = 150
    page_w = 1.0 / np.arange(1, n_pages + 1) ** 0.9
    page_topic = rng.integers(0, len(TOPICS), n_pages)
    nl_t = np.arange(rng.uniform(0, 3), days, 7.0)
    n_nl = len(nl_t)
    nl_topic = rng.integers(0, len(TOPICS), n_nl)
    ev_t = np.sort(rng.uniform(0.1 * days, days - 0.5, max(1, int(round(days / 15)))))
    ev_t = np.floor(ev_t) + 18 / 24.0
    n_ev = len(ev_t)
    ev_topic = rng.integers(0, len(TOPICS), n_ev)

    # global content index space
    off_b, off_x = Nc, Nc + Nb
    off_p = off_x + Nx
    off_nl = off_p + n_pages
    off_ev = off_nl + n_nl
    all_creator = np.concatenate([c_creator, np.full(Nb, -1), x_creator])
    all_chan = np.concatenate([c_chan, b_chan, x_chan])
    all_t = np.concatenate([c_t, b_t, x_t])
    all_topic = np.concatenate([c_topic, b_topic, x_topic])
    content_names = np.concatenate([
        _str_ids("c", rng.permutation(Nc) + 10 ** 6, 7) if Nc else np.zeros(0, object),
        _str_ids("brand-p", np.arange(Nb), 4),
        _str_ids("x", np.arange(Nx), 5),
        _str_ids("page-", np.arange(n_pages), 3),
        _str_ids("nl-", np.arange(n_nl), 2),
        _str_ids("evt-", np.arange(n_ev), 2),
    ])

    # per-channel global pools (member content weighted by creator virality x quality)
    cw = virality[c_creator] * c_q
    pools = [np.flatnonzero(c_chan == ch) for ch in range(SOCIAL)]
    brand_pools = [off_b + np.flatnonzero(b_chan == ch) for ch in range(SOCIAL)]
    all_brand = off_b + np.arange(Nb)

    def pick_global(chs):
        out = np.full(len(chs), -1)
        for ch in range(SOCIAL):
            sel = np.flatnonzero(chs == ch)
            if len(sel) and len(pools[ch]):
                out[sel] = _weighted(rng, pools[ch], cw[pools[ch]], len(sel))
        return out

    def pick_brand(chs):
        out = np.empty(len(chs), int)
        for ch in range(SOCIAL):
            sel = np.flatnonzero(chs == ch)
            p = brand_pools[ch] if len(brand_pools[ch]) else all_brand
            out[sel] = p[rng.integers(0, len(p), len(sel))]
        return out

    # CSR of member->member follows (full graph)
    order = np.argsort(src, kind="stable")
    fdst = dst[order]
    deg = np.bincount(src, minlength=n)
    foff = np.concatenate([[0], np.cumsum(deg)[:-1]])

    ev = {k: [] for k in ("m", "a", "t", "ch", "tg", "ct", "tp", "v")}

    def emit(m, a, t, ch, tg, ct, tp, v=None):
        k = len(m)
        ev["m"].append(np.asarray(m, int))
        ev["a"].append(np.broadcast_to(np.asarray(a, int), (k,)))
        ev["t"].append(np.asarray(t, float))
        ev["ch"].append(np.broadcast_to(np.asarray(ch, int), (k,)))
        ev["tg"].append(np.broadcast_to(np.asarray(tg, int), (k,)))
        ev["ct"].append(np.broadcast_to(np.asarray(ct, int), (k,)))
        ev["tp"].append(np.broadcast_to(np.asarray(tp, int), (k,)))
        ev["v"].append(np.full(k, np.nan) if v is None else np.asarray(v, float))

    # content creation events
    emit(c_creator, _CREATE_ACTION[c_chan], c_t, c_chan, -2, np.arange(Nc), c_topic)

    # ---------------- reactions to content ----------------
    cnt_like = rng.poisson(rates[:, C["like"]] * span)
    cnt_deep = rng.poisson(rates[:, C["deep"]] * span)
    cnt_resh = rng.poisson(rates[:, C["reshare"]] * span)
    r_m = np.concatenate([np.repeat(np.arange(n), cnt_like), np.repeat(np.arange(n), cnt_deep),
                          np.repeat(np.arange(n), cnt_resh)])
    r_k = np.concatenate([np.zeros(cnt_like.sum(), int), np.ones(cnt_deep.sum(), int),
                          np.full(cnt_resh.sum(), 2)])
    R = len(r_m)
    u = rng.random(R)
    pb, pf = cfg["p_brand"][typ][r_m], cfg["p_follow"][typ][r_m]
    is_brand = u < pb
    is_fol = (u >= pb) & (u < pb + pf) & (deg[r_m] > 0)
    ch_pref = _row_choice(rng, pref_cum[r_m])
    content = np.full(R, -1)
    fi = np.flatnonzero(is_fol)
    if len(fi):
        rm = r_m[fi]
        f = fdst[foff[rm] + (rng.random(len(fi)) * deg[rm]).astype(int)]
        okf = (ncont[f] > 0) & (rng.random(len(fi)) < engage[f])
        cidx = cstart[f] + (rng.random(len(fi)) * np.maximum(ncont[f], 1)).astype(int)
        cidx = np.minimum(cidx, max(Nc - 1, 0))
        if Nc:
            okf &= pref[rm, c_chan[cidx]] >= 0.03
        content[fi[okf]] = cidx[okf]
    need = np.flatnonzero((content < 0) & ~is_brand)
    content[need] = pick_global(ch_pref[need])
    selfc = content >= 0
    selfc[selfc] = c_creator[content[selfc]] == r_m[selfc]
    content[selfc] = -1
    nb = np.flatnonzero(content < 0)
    content[nb] = pick_brand(ch_pref[nb])
    xs = np.flatnonzero(rng.random(R) < cfg["ext_react"])
    content[xs] = off_x + rng.integers(0, Nx, len(xs))
    r_t = all_t[content] + rng.lognormal(np.log(4 / 24), 1.3, R)
    keep = (r_t < days) & (r_t >= 0)
    r_m, r_k, content, r_t = r_m[keep], r_k[keep], content[keep], r_t[keep]
    # one like / one reshare per member and content
    key = r_m.astype(np.int64) * (off_p + 1) * 3 + content.astype(np.int64) * 3 + r_k
    uniq = np.ones(len(key), bool)
    _, firstk = np.unique(key, return_index=True)
    uniq[:] = False
    uniq[firstk] = True
    keep = uniq | (r_k == 1)
    r_m, r_k, content, r_t = r_m[keep], r_k[keep], content[keep], r_t[keep]
    ch = all_chan[content]
    act_code = np.where(r_k == 0, A["like"],
                        np.where(r_k == 1, np.where(ch == TW, A["reply"], A["comment"]),
                                 np.where(ch == TW, A["retweet"], A["share"])))
    emit(r_m, act_code, r_t, ch, all_creator[content], content, all_topic[content])

    # ---------------- bought engagement (bot bursts) ----------------
    if n_bots:
        bc = np.flatnonzero(buy_eng[c_creator]) if Nc else np.zeros(0, int)
        if len(bc):
            lam = np.exp(cfg["bought_eng_log"] + 0.5 * rng.standard_normal(n))[c_creator[bc]]
            nbx = rng.poisson(lam * c_q[bc] ** 0.3)
            bcont = np.repeat(bc, nbx)
            bm = bots[rng.integers(0, n_bots, len(bcont))]
            kk = rng.choice(3, size=len(bcont), p=[0.6, 0.12, 0.28])
            _, fk = np.unique(bm.astype(np.int64) * (Nc + 1) * 3 + bcont * 3 + kk,
                              return_index=True)
            bm, bcont, kk = bm[fk], bcont[fk], kk[fk]
            bt = c_t[bcont] + rng.uniform(60, 7200, len(bcont)) / 86400.0
            okb = bt < days
            bm, bcont, kk, bt = bm[okb], bcont[okb], kk[okb], bt[okb]
            chb = c_chan[bcont]
            ab = np.where(kk == 0, A["like"],
                          np.where(kk == 1, np.where(chb == TW, A["reply"], A["comment"]),
                                   np.where(chb == TW, A["retweet"], A["share"])))
            emit(bm, ab, bt, chb, c_creator[bcont], bcont, c_topic[bcont])

    # ---------------- mentions ----------------
    cnt_men = rng.poisson(rates[:, C["mention"]] * span)
    m_m = np.repeat(np.arange(n), cnt_men)
    M = len(m_m)
    if M:
        u = rng.random(M)
        tgt = np.full(M, -1)  # brand by default
        isx = u < 0.04
        tgt[isx] = -10 - rng.choice(n_ext, size=isx.sum(), p=ext_w / ext_w.sum())
        isf = (u >= 0.16) & (u < 0.16 + cfg["p_follow"][typ][m_m]) & (deg[m_m] > 0)
        fi = np.flatnonzero(isf)
        tgt[fi] = fdst[foff[m_m[fi]] + (rng.random(len(fi)) * deg[m_m[fi]]).astype(int)]
        gi = np.flatnonzero((u >= 0.16) & ~isf)
        tgt[gi] = _weighted(rng, np.arange(n), attract * virality, len(gi))
        tgt[tgt == m_m] = -1
        tw_share = pref[m_m, TW] / (pref[m_m, TW] + pref[m_m, IG])
        m_ch = np.where(rng.random(M) < tw_share, TW, IG)
        m_t = _diurnal_times(rng, s0[m_m], e0[m_m])
        m_tp = _row_choice(rng, comm_topic_cum[comm[m_m]])
        emit(m_m, A["mention"], m_t, m_ch, tgt, -1, m_tp)

    # ---------------- views ----------------
    cnt_v = rng.poisson(rates[:, C["view"]] * span)
    v_m = np.repeat(np.arange(n), cnt_v)
    V = len(v_m)
    if V:
        v_t = _diurnal_times(rng, s0[v_m], e0[v_m])
        oncontent = rng.random(V) < 0.5
        v_ct = np.where(oncontent, pick_global(_row_choice(rng, pref_cum[v_m])), -1)
        page = off_p + rng.choice(n_pages, size=V, p=page_w / page_w.sum())
        v_ct = np.where(v_ct < 0, page, v_ct)
        isc = v_ct < off_p
        v_ch = np.where(isc, all_chan[np.where(isc, v_ct, 0)], WEB)
        v_tp = np.where(isc, all_topic[np.where(isc, v_ct, 0)], page_topic[np.maximum(v_ct - off_p, 0) % n_pages])
        if Nc:  # a view cannot precede the content it views
            v_t = np.where(isc, np.maximum(v_t, all_t[np.where(isc, v_ct, 0)] + 0.01), v_t)
        okv = v_t < days
        emit(v_m[okv], A["view"], v_t[okv], v_ch[okv], -2, v_ct[okv], v_tp[okv])

    # ---------------- newsletter ----------------
    for col, action, delay in (("nl_open", A["newsletter_open"], 0.4),
                               ("nl_click", A["newsletter_click"], 0.6)):
        cnt = np.minimum(rng.poisson(rates[:, C[col]] * span), n_nl)
        mm = np.repeat(np.arange(n), cnt)
        iss = rng.integers(0, n_nl, len(mm))
        _, fk = np.unique(mm.astype(np.int64) * n_nl + iss, return_index=True)
        mm, iss = mm[fk], iss[fk]
        tt = nl_t[iss] + rng.lognormal(np.log(delay), 1.0, len(mm))
        okn = tt < days
        emit(mm[okn], action, tt[okn], NL, -2, off_nl + iss[okn], nl_topic[iss[okn]])

    # ---------------- events ----------------
    cnt = rng.poisson(rates[:, C["event"]] * days * (1 + n_ev) / 2)
    cnt = np.minimum(cnt, n_ev)
    mm = np.repeat(np.arange(n), cnt)
    evk = rng.integers(0, n_ev, len(mm))
    _, fk = np.unique(mm.astype(np.int64) * n_ev + evk, return_index=True)
    mm, evk = mm[fk], evk[fk]
    emit(mm, A["event_attend"], ev_t[evk] + rng.uniform(-0.02, 0.1, len(mm)), EVT, -2,
         off_ev + evk, ev_topic[evk])

    # ---------------- purchases ----------------
    cnt = rng.poisson(rates[:, C["purchase"]] * span)
    mm = np.repeat(np.arange(n), cnt)
    pt = _diurnal_times(rng, s0[mm], e0[mm])
    pch = np.where(rng.random(len(mm)) < 0.9, WEB, IG)
    val = np.round(rng.lognormal(np.log(45), 0.8, len(mm)) + 5, 2)
    emit(mm, A["purchase"], pt, pch, -2, -1, -1, val)

    # ---------------- follow events (edges created in the window) ----------------
    fe = np.flatnonzero((since >= 0) & (since < days))
    emit(f_src[fe], A["follow"], since[fe], f_chan[fe], f_dst[fe], -1, -1)

    # ---------------- assemble events ----------------
    E_m = np.concatenate(ev["m"])
    E_a = np.concatenate(ev["a"]).astype(int)
    E_t = np.concatenate(ev["t"])
    E_ch = np.concatenate(ev["ch"]).astype(int)
    E_tg = np.concatenate(ev["tg"]).astype(int)
    E_ct = np.concatenate(ev["ct"]).astype(int)
    E_tp = np.concatenate(ev["tp"]).astype(int)
    E_v = np.concatenate(ev["v"])
    NE = len(E_m)
    E_ch[rng.random(NE) < 0.02] = -1  # missing channel
    dup = np.flatnonzero(rng.random(NE) < 0.004)
    idx = np.concatenate([np.arange(NE), dup])
    idx = idx[np.argsort(E_t[idx], kind="stable")]

    ids = _str_ids("u", rng.permutation(n) + 3 * n + 1000, 7)
    ext_ids = np.char.add("ext:acct", np.arange(n_ext).astype(str)).astype(object)
    chan_names = np.array(list(CHANNELS) + [None], object)
    topic_names = np.array(list(TOPICS) + [None], object)
    act_names = np.array(ACTIONS, object)

    def target_names(code):
        out = np.full(len(code), None, object)
        mem = code >= 0
        out[mem] = ids[code[mem]]
        out[code == -1] = BRAND_ID
        xx = code <= -10
        out[xx] = ext_ids[-10 - code[xx]]
        return out

    def to_ts(t):
        ns = np.rint(np.asarray(t) * 86400.0).astype(np.int64) * 1_000_000_000
        return pd.to_datetime(ns + start.value, utc=True)

    tg = E_tg[idx]
    ct = E_ct[idx]
    events = pd.DataFrame({
        "member_id": ids[E_m[idx]],
        "action": act_names[E_a[idx]],
        "timestamp": to_ts(E_t[idx]),
        "channel": chan_names[E_ch[idx]],
        "target_id": target_names(tg),
        "content_id": np.where(ct >= 0, content_names[np.maximum(ct, 0)], None),
        "topic": topic_names[E_tp[idx]],
        "value": E_v[idx],
    })

    # ---------------- follows table ----------------
    fkeep = np.flatnonzero(rng.random(len(f_src)) < cfg["follow_sample"])
    fkeep = fkeep[np.argsort(since[fkeep], kind="stable")]
    follows = pd.DataFrame({
        "follower_id": ids[f_src[fkeep]],
        "followee_id": target_names(f_dst[fkeep]),
        "channel": chan_names[f_chan[fkeep]],
        "since": to_ts(since[fkeep]),
    })

    # ---------------- members table ----------------
    fn = _FIRST[rng.integers(0, len(_FIRST), n)]
    ln = _LAST[rng.integers(0, len(_LAST), n)]
    name = (pd.Series(fn) + " " + pd.Series(ln)).to_numpy(object)
    digits = rng.integers(0, 1000, n).astype(str)
    handle = (pd.Series(fn).str.lower() + "_" + pd.Series(ln).str.lower().str[:4]
              + pd.Series(digits)).to_numpy(object)
    org = kind > 0
    if org.any():
        w1 = _BRAND_W1[rng.integers(0, len(_BRAND_W1), org.sum())]
        w2 = _BRAND_W2[rng.integers(0, len(_BRAND_W2), org.sum())]
        sfx = np.where(kind[org] == 1, _BRAND_SFX[rng.integers(0, len(_BRAND_SFX), org.sum())],
                       "Co")
        name[org] = (pd.Series(w1) + " " + pd.Series(w2) + " " + pd.Series(sfx)).to_numpy(object)
        handle[org] = (pd.Series(w1).str.lower() + pd.Series(w2).str.lower()).to_numpy(object)
    if n_bots:
        letters = _LETTERS[rng.integers(0, 26, (n_bots, 6))]
        lt = pd.Series(letters[:, 0])
        for j in range(1, 6):
            lt = lt + letters[:, j]
        handle[bots] = (lt + pd.Series(rng.integers(10 ** 7, 10 ** 8, n_bots).astype(str))
                        ).to_numpy(object)
        name[bots] = fn[bots]
    m_chan = chan_names[primary].copy()
    m_chan[rng.random(n) < 0.04] = None
    morder = rng.permutation(n)
    members = pd.DataFrame({
        "member_id": ids[morder],
        "name": name[morder],
        "handle": handle[morder],
        "channel": m_chan[morder],
        "followers": followers_rep[morder],
        "following": following_rep[morder],
        "kind": np.array(["person", "media", "brand"], object)[kind[morder]],
        "created_at": to_ts(-age[morder]).floor("s"),
    })
    truth = pd.DataFrame({
        "member_id": ids[morder],
        "role": np.array(ROLES, object)[role[morder]],
        "hollow": hollow[morder],
        "bot": is_bot[morder],
    })
    return {"members": members, "events": events, "follows": follows, "truth": truth}


# --------------------------------------------------------------------------------------------
# self check
# --------------------------------------------------------------------------------------------
def _diagnostics(d: dict) -> pd.DataFrame:
    """Per-role medians of a few behavioural quantities (for eyeballing the planted semantics)."""
    ev, mem, tr = d["events"], d["members"], d["truth"]
    create = ev["action"].isin(["post", "blog_post", "video"])
    react = ev["action"].isin(["like", "reply", "comment", "share", "retweet", "mention"])
    amp = ev[ev["action"].isin(["share", "retweet", "reply", "comment", "mention"])]
    distinct = amp.groupby("target_id")["member_id"].nunique()
    deep = ev["action"].isin(["comment", "reply", "share", "retweet", "newsletter_click",
                              "event_attend", "purchase"])
    t = tr.set_index("member_id")
    t["followers"] = mem.set_index("member_id")["followers"]
    t["creates"] = ev[create].groupby("member_id").size()
    t["reacts"] = ev[react].groupby("member_id").size()
    t["deep"] = ev[deep].groupby("member_id").size()
    t["channels"] = ev.groupby("member_id")["channel"].nunique()
    t["amplifiers"] = distinct
    t = t.fillna({"creates": 0, "reacts": 0, "deep": 0, "channels": 0, "amplifiers": 0})
    g = t.groupby("role")[["followers", "creates", "reacts", "deep", "channels", "amplifiers"]]
    return g.median().reindex(list(ROLES))


def _self_check() -> None:
    n = 5000
    ok_actions = set(ACTIONS)
    try:
        generate(100, "nope")
    except ValueError as exc:
        assert "default" in str(exc)
    else:
        raise AssertionError("unknown setting accepted")
    pd.set_option("display.width", 140)
    for s in SETTINGS:
        t0 = time.perf_counter()
        d = generate(n, s, seed=0)
        dt = time.perf_counter() - t0
        mem, ev, fo, tr = d["members"], d["events"], d["follows"], d["truth"]
        assert set(d) == {"members", "events", "follows", "truth"}
        assert len(tr) == n and tr["member_id"].is_unique
        assert set(tr["role"]) == set(ROLES), set(tr["role"])
        assert set(tr["member_id"]) == set(mem["member_id"])
        truth_ids = set(tr["member_id"])
        assert set(ev["member_id"]) <= truth_ids
        assert set(fo["follower_id"]) <= truth_ids
        for col in (mem["member_id"], ev["member_id"], fo["follower_id"], tr["member_id"]):
            assert all(isinstance(x, str) for x in col.head(1000))
            assert col.map(type).eq(str).all()
        assert set(ev["action"]) <= ok_actions, set(ev["action"]) - ok_actions
        assert tr.loc[tr["hollow"], "role"].isin(["blogger", "follower"]).all()
        assert ev["timestamp"].is_monotonic_increasing
        assert str(ev["timestamp"].dt.tz) == "UTC"
        assert ev.loc[ev["action"] == "purchase", "value"].notna().all()
        cr = ev["action"].isin(["post", "blog_post", "video"])
        assert ev.loc[cr, "content_id"].notna().all()
        nonmember_t = (~ev["target_id"].dropna().isin(truth_ids)).sum()
        roles = tr["role"].value_counts().reindex(list(ROLES)).to_dict()
        hol = tr[tr["hollow"]]["role"].value_counts().to_dict()
        print(f"\n=== {s}: {dt:.2f}s  events={len(ev):,} follows={len(fo):,} "
              f"members={len(mem):,} bots={int(tr['bot'].sum())} "
              f"nonmember_targets={nonmember_t:,}")
        print(f"roles={roles} hollow={hol} "
              f"window={ev['timestamp'].min():%Y-%m-%d}..{ev['timestamp'].max():%Y-%m-%d}")
        print("actions:", ev["action"].value_counts().to_dict())
        print(_diagnostics(d).round(1).to_string())
        assert dt < 15, f"{s} too slow: {dt:.1f}s"
    a = generate(800, "fake_influence", seed=3)
    b = generate(800, "fake_influence", seed=3)
    c = generate(800, "fake_influence", seed=4)
    for k in a:
        pd.testing.assert_frame_equal(a[k], b[k])
    assert not a["events"].equals(c["events"])
    for s in SETTINGS:  # small n still works
        generate(40, s, seed=1)
    print("\nself-check passed")


if __name__ == "__main__":
    _self_check()
