"""Synthetic community worlds with known behavioural roles (written blind, from the data contract).

World model
-----------
A community of ``n`` members lives for a window of ``W`` days. Every member carries a small set of
latent traits, drawn per member with heavy tails *inside* every role:

* **reach** ``R`` -- how much attention the member's content draws, per author (not per post):
  influencers get a Pareto tail, bloggers a log-normal around a moderate level, fans and
  followers a small log-normal. A post's pull is ``R / posts_of_author`` times a log-normal
  "virality" factor, so a rare poster with large reach has each post massively amplified.
* **creation rate** -- posts per day (influencers and bloggers high, fans rare, followers ~never);
  bloggers post on a regular cadence, others in sessions and bursts.
* **reaction volume** -- log-normal number of reactions over the window, with role medians that
  overlap (busy followers exist, quiet fans exist).
* **channel mix** -- a per-member Dirichlet draw around a role profile: fans spread over many
  channels (social, newsletter, events, shop), followers sit on one or two, creators on social ones.
* **action depth** -- role weights over the known action vocabulary, tilted per member by Gamma
  noise: fans comment, share, retweet, click newsletters, attend events and buy; followers view,
  open newsletters and occasionally like.
* **community** -- Zipf-sized communities; 55 % of reactions and most follows stay local.

Reactions pick a channel, then an action, then (on content channels) a post -- weighted by its pull,
inside the member's community or globally -- and land a log-normal delay after the post. So the
members whose content is retweeted, shared, mentioned and replied to by *many distinct* members are
the high-reach creators (influencers). Newsletter opens/clicks target weekly issues ("brand"), event
attendance targets a few live events ("brand"), shop views and purchases target products ("shop",
with an order value). Follows form a community graph with popularity-biased global links
(influencers followed by many), role- and community-dependent reciprocity, channels and ``since``
dates; follows inside the window are also logged as ``follow`` events. Platform-reported
``followers`` = in-graph in-degree + an outside audience growing with reach.

Hollow accounts bought followers: their reported ``followers`` is influencer-sized and a batch of
"ghost" members (followers with no activity) follows them, but their behaviour -- and truth role --
is that of an ordinary blogger or follower. They are never influencers.

Truth roles (DESIGN section 3): influencer (large reach and amplification by many distinct members),
blogger (regular creator, moderate reach, creates more than reacts), fan (active, repeated,
cross-channel deep engagement, creates little, reaches few), follower (connected, mostly passive).

Settings
--------
* ``default`` -- 180 days, ~2.5 % influencers, 7 % bloggers, 16 % fans, a few hollow accounts with
  ghost followers, three mild campaign peaks.
* ``bursty`` -- 120 days dominated by five campaign days; 70 % of followers and 35 % of fans are
  active only around one campaign, reactions arrive within the hour.
* ``lurker_heavy`` -- 87 % followers; 7 % of them are single-action heavy consumers (thousands of
  views on one content channel, or thousands of newsletter opens) who remain followers.
* ``engaged_followers`` -- a quarter of followers like heavily on one or two social channels (busy
  but shallow, still followers); fans are only moderately active but span 3+ channels with deep
  actions (comments, shares, clicks, events, purchases).
* ``bot_amplified`` -- 1.5 % hollow accounts with bought followers (ghosts) *and* bought
  amplification: a ring of 20 bot accounts retweets (and likes) nearly every hollow post within
  minutes and sprinkles a few camouflage retweets. Bots are followers; hollow accounts are
  bloggers or followers by behaviour.
* ``creator_economy`` -- 240 days, 18 % bloggers with a wide continuum of reach, 3 % influencers
  at the top; a third of the influencers post rarely but each post is massively amplified.
* ``sparse_short`` -- a 30-day window with low activity: few events per member, one campaign.
* ``mixed`` -- every stress at once at milder strength (bursts, heavy lurkers, likers, bots).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ROLES = ("influencer", "blogger", "fan", "follower")
INF, BLOG, FAN, FOL = range(4)
CHANNELS = ("twitter", "instagram", "youtube", "blog", "newsletter", "events", "shop")
TW, IG, YT, BL, NL, EV, SH = range(7)
N_CONTENT_CH = 4  # twitter, instagram, youtube, blog carry member content
ACTIONS = (
    "view", "newsletter_open", "like", "follow", "newsletter_click", "reply", "comment",
    "mention", "share", "retweet", "post", "blog_post", "video", "event_attend", "purchase",
)
A = {a: i for i, a in enumerate(ACTIONS)}
CREATE_ACTION = np.array([A["post"], A["post"], A["video"], A["blog_post"]])
DAY = 86400.0
HOUR = 3600.0
END = pd.Timestamp("2024-06-30", tz="UTC").timestamp()

# actions each channel admits for reactions (creation and follow are generated separately)
_ALLOWED = {
    TW: ("view", "like", "reply", "mention", "retweet"),
    IG: ("view", "like", "comment", "share", "mention"),
    YT: ("view", "like", "comment", "share"),
    BL: ("view", "like", "comment", "share"),
    NL: ("newsletter_open", "newsletter_click"),
    EV: ("event_attend",),
    SH: ("view", "purchase"),
}

# role action weights, in ACTIONS order
_ACT_W = np.array([
    # view nlo like fol nlc reply comm ment share rt post blog vid event buy
    [3.0, 0.5, 3.0, 0, 0.2, 4.0, 2.0, 2.0, 1.0, 2.0, 0, 0, 0, 0.2, 0.1],   # influencer
    [4.0, 1.0, 3.0, 0, 0.4, 2.0, 3.0, 1.0, 1.0, 1.0, 0, 0, 0, 0.2, 0.2],   # blogger
    [2.5, 2.0, 4.0, 0, 2.5, 2.0, 3.0, 1.0, 2.5, 2.5, 0, 0, 0, 1.0, 1.0],   # fan
    [10., 5.0, 1.5, 0, 0.15, 0.05, 0.1, 0.03, 0.08, 0.1, 0, 0, 0, 0.05, 0.08],  # follower
])
_ACT_W_FAN_WIDE = np.array([1.5, 1.5, 1.5, 0, 3.0, 2.0, 4.0, 1.0, 3.5, 3.0, 0, 0, 0, 1.5, 1.5])

# reaction channel profile (Dirichlet base) and its concentration per role
_CH_BASE = np.array([
    [4.0, 3.0, 1.5, 1.0, 0.5, 0.2, 0.2],
    [2.0, 2.0, 1.5, 2.0, 1.0, 0.3, 0.3],
    [2.0, 2.0, 1.5, 1.5, 2.0, 1.2, 1.2],
    [1.5, 1.5, 1.2, 0.6, 1.5, 0.1, 0.4],
])
_CH_CONC = np.array([1.0, 1.0, 2.5, 0.35])
# creation channel profile (twitter, instagram, youtube, blog)
_CREATE_BASE = np.array([
    [0.45, 0.35, 0.15, 0.05],
    [0.20, 0.15, 0.20, 0.45],
    [0.60, 0.40, 0.00, 0.00],
    [0.60, 0.40, 0.00, 0.00],
])
_CREATE_RATE = np.array([0.45, 0.2, 0.02, 0.002])   # posts/day, median
_CREATE_SIG = np.array([0.7, 0.6, 1.3, 1.2])
_REACT_MED = np.array([70.0, 35.0, 90.0, 7.0])       # reactions per 180 days, median
_REACT_SIG = np.array([1.0, 0.9, 1.0, 1.4])
_OUTDEG_MED = np.array([150.0, 90.0, 60.0, 20.0])
_RECIP = np.array([0.02, 0.10, 0.18, 0.15])           # follow-back probability by followee role
_BURSTY = np.array([0.2, 0.1, 0.35, 0.5])             # share of own-timeline events in bursts

_SETTINGS: dict[str, dict] = {
    "default": {},
    "bursty": dict(window_days=120, n_campaigns=5, campaign_amp=30.0, campaign_width=0.6,
                   single_burst=(0.0, 0.0, 0.35, 0.7), delay_h=0.7, blog_regular=0.2,
                   inf_regular=0.05),
    "lurker_heavy": dict(shares=(0.01, 0.04, 0.08), heavy_frac=0.07),
    "engaged_followers": dict(liker_frac=0.25, fan_style="wide_moderate"),
    "bot_amplified": dict(hollow_frac=0.015, hollow_blogger=0.7, ghost_frac=0.04, n_bots=20),
    "creator_economy": dict(window_days=240, shares=(0.03, 0.18, 0.14), blog_reach_sigma=1.1,
                            blog_rate_sigma=0.8, rare_poster_frac=0.35, inf_reach_alpha=1.1),
    "sparse_short": dict(window_days=30, activity=0.55, n_campaigns=1),
    "mixed": dict(window_days=150, n_campaigns=4, campaign_amp=8.0, campaign_width=0.8,
                  single_burst=(0.0, 0.0, 0.15, 0.35), heavy_frac=0.03, liker_frac=0.1,
                  hollow_frac=0.01, ghost_frac=0.03, n_bots=15, blog_reach_sigma=0.9),
}
_BASE = dict(
    window_days=180, shares=(0.025, 0.07, 0.16), n_campaigns=3, campaign_amp=1.5,
    campaign_width=1.0, single_burst=(0.0, 0.0, 0.0, 0.0), activity=1.0, delay_h=3.0,
    hollow_frac=0.005, hollow_blogger=0.4, ghost_frac=0.015, n_bots=0, heavy_frac=0.0,
    liker_frac=0.0, fan_style="deep", blog_reach_sigma=0.7, blog_rate_sigma=0.5,
    rare_poster_frac=0.1, inf_reach_alpha=1.3, blog_regular=0.8, p_local=0.55,
    quiet_fan_frac=0.3, vocal_follower_frac=0.15, inf_regular=0.3,
)
SETTINGS = tuple(_SETTINGS)

_FIRST = np.array(["Anna", "Ben", "Chloé", "David", "Elif", "Farid", "Greta", "Hiro", "Inès",
                   "Jonas", "Kemal", "Léa", "Marta", "Noah", "Olga", "Pedro", "Qi", "Rania",
                   "Søren", "Tomás", "Uma", "Václav", "Wen", "Ximena", "Yusuf", "Zoë", "李",
                   "Σοφία", "Łukasz", "Ngozi"], dtype=object)
_LAST = np.array(["Müller", "Smith", "García", "Rossi", "Dubois", "Nowak", "Kowalski", "Yılmaz",
                  "Tanaka", "Silva", "O'Brien", "Jensen", "Ivanova", "Khan", "Nguyen", "明",
                  "Öztürk", "Schmidt", "López", "Andersson"], dtype=object)
_TOPIC_WORDS = np.array(["ai", "fitness", "vegan", "crypto", "football", "jazz", "travel", "gaming",
                         "climate", "fashion", "coffee", "startups", "photo", "cycling", "books",
                         "diy", "skincare", "f1", "anime", "parenting", "finance", "wine", "yoga",
                         "kpop", "hiking", "design", "science", "cinema"], dtype=object)
_ODD_IDS = ("NA", "007", "zoë_k", "用户042", "O'Neil")


def _config(setting: str) -> dict:
    if setting not in _SETTINGS:
        raise ValueError(f"unknown setting {setting!r}; known: {', '.join(SETTINGS)}")
    cfg = dict(_BASE)
    cfg.update(_SETTINGS[setting])
    return cfg


def _lognormal(rng, median, sigma, size=None):
    size = np.shape(median) if size is None else size
    return np.asarray(median) * np.exp(np.asarray(sigma) * rng.standard_normal(size))


def _rank_in_group(counts: np.ndarray) -> np.ndarray:
    """0..c-1 inside each consecutive run produced by np.repeat(..., counts)."""
    total = int(counts.sum())
    starts = np.cumsum(counts) - counts
    return np.arange(total) - np.repeat(starts, counts)


def _pick_rows(rng, cum: np.ndarray) -> np.ndarray:
    """Inverse-CDF pick of a column for each row of a row-wise cumulative matrix."""
    u = rng.random(cum.shape[0]) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), cum.shape[1] - 1)


class _GroupSampler:
    """Weighted sampling of items restricted to a group key, fully vectorised."""

    def __init__(self, keys: np.ndarray, weights: np.ndarray, n_keys: int):
        order = np.argsort(keys, kind="stable")
        self.order = order
        k = keys[order]
        self.cum = np.cumsum(weights[order].astype(np.float64))
        cum0 = np.concatenate([[0.0], self.cum])
        grid = np.arange(n_keys)
        self.start = np.searchsorted(k, grid, "left")
        self.stop = np.searchsorted(k, grid, "right")
        self.lo = cum0[self.start]
        self.hi = cum0[self.stop]

    def sample(self, rng, pick_keys: np.ndarray) -> np.ndarray:
        if len(self.cum) == 0:
            return np.full(len(pick_keys), -1)
        lo, hi = self.lo[pick_keys], self.hi[pick_keys]
        ok = hi > lo
        u = lo + rng.random(len(pick_keys)) * (hi - lo)
        idx = np.searchsorted(self.cum, u, side="right")
        idx = np.clip(idx, self.start[pick_keys], np.maximum(self.stop[pick_keys] - 1, 0))
        return np.where(ok, self.order[np.minimum(idx, len(self.order) - 1)], -1)


class _Clock:
    """Global activity curve (weekly rhythm, drift, campaigns) and per-member timelines."""

    def __init__(self, rng, cfg, n):
        self.W = int(cfg["window_days"])
        self.end = END
        self.start = END - self.W * DAY
        d = np.arange(self.W)
        weekly = np.array([1.0, 1.05, 1.1, 1.05, 0.95, 0.7, 0.65])[(d + 3) % 7]
        drift = np.exp(np.cumsum(rng.normal(0, 0.04, self.W)))
        nc = int(cfg["n_campaigns"])
        lo, hi = min(3, self.W - 1), max(4, self.W - 3)
        self.campaign_day = np.sort(rng.choice(np.arange(lo, hi), size=nc, replace=False))
        self.campaign_t = self.start + self.campaign_day * DAY + 10 * HOUR
        spikes = np.zeros(self.W)
        for c in self.campaign_day:  # a handful of campaigns
            spikes += np.exp(-0.5 * ((d - c) / cfg["campaign_width"]) ** 2)
        curve = weekly * drift * (1.0 + cfg["campaign_amp"] * spikes)
        self.day_cdf = np.cumsum(curve) / curve.sum()
        h = np.arange(24)
        hp = 0.25 + np.exp(-((h - 13) ** 2) / 8) + 1.3 * np.exp(-((h - 20.5) ** 2) / 6)
        self.hour_cdf = np.cumsum(hp) / hp.sum()
        self.bursts = self.free(rng, n * 3).reshape(n, 3)

    def free(self, rng, k):
        day = np.searchsorted(self.day_cdf, rng.random(k), side="right").clip(0, self.W - 1)
        hour = np.searchsorted(self.hour_cdf, rng.random(k), side="right").clip(0, 23)
        return self.start + day * DAY + hour * HOUR + rng.random(k) * HOUR

    def member(self, rng, m, burstiness, slot):
        """Own-timeline times for events of members ``m``."""
        k = len(m)
        t = self.free(rng, k)
        b = rng.random(k) < burstiness[m]
        tb = self.bursts[m, rng.integers(0, 3, k)] + rng.exponential(6 * HOUR, k)
        t = np.where(b, tb, t)
        s = slot[m]
        single = s >= 0
        if single.any():
            ts = self.campaign_t[np.maximum(s, 0)] + rng.normal(0, 0.5 * DAY, k)
            t = np.where(single, ts, t)
        return np.clip(t, self.start, self.end - 1)


SETTINGS = tuple(_SETTINGS)  # every setting, in the order above


def generate(n: int, setting: str = "default", seed: int = 0) -> dict[str, pd.DataFrame]:
    """Return {"members", "events", "follows", "truth"} for a world of ``n`` members."""
    cfg = _config(setting)
    rng = np.random.default_rng(seed)
    n = int(n)
    clock = _Clock(rng, cfg, n)
    W = clock.W
    act_scale = (W / 180.0) ** 0.85 * cfg["activity"]

    # ---------------------------------------------------------------- roles and special kinds
    shares = np.array(cfg["shares"])
    counts = np.floor(shares * n).astype(int)
    counts = np.append(counts, n - counts.sum())
    role = np.repeat(np.arange(4), counts)[rng.permutation(n)]
    is_fol = role == FOL
    pool = rng.permutation(np.flatnonzero(is_fol))
    n_bots = min(int(cfg["n_bots"]), len(pool) // 10)
    bot = np.zeros(n, bool)
    bot[pool[:n_bots]] = True
    pool = pool[n_bots:]
    n_hollow = int(round(cfg["hollow_frac"] * n))
    n_hb = int(round(n_hollow * cfg["hollow_blogger"]))
    blog_pool = rng.permutation(np.flatnonzero(role == BLOG))
    hollow = np.zeros(n, bool)
    hollow[blog_pool[:min(n_hb, len(blog_pool) // 3)]] = True
    hollow[pool[: n_hollow - min(n_hb, len(blog_pool) // 3)]] = True
    pool = pool[n_hollow:]
    n_ghost = int(round(cfg["ghost_frac"] * n)) if hollow.any() else 0
    ghost = np.zeros(n, bool)
    ghost[pool[:n_ghost]] = True
    pool = pool[n_ghost:]
    n_heavy = int(round(cfg["heavy_frac"] * is_fol.sum()))
    heavy = np.zeros(n, bool)
    heavy[pool[:n_heavy]] = True
    pool = pool[n_heavy:]
    n_liker = int(round(cfg["liker_frac"] * is_fol.sum()))
    liker = np.zeros(n, bool)
    liker[pool[:n_liker]] = True

    K = max(3, n // 300)
    pk = 1.0 / (np.arange(K) + 1.0) ** 0.8
    comm = rng.choice(K, size=n, p=pk / pk.sum())

    # ---------------------------------------------------------------- latent traits
    R = np.empty(n)
    m_inf = role == INF
    R[m_inf] = 15.0 * (1.0 + rng.pareto(cfg["inf_reach_alpha"], m_inf.sum()))
    m_blog = role == BLOG
    R[m_blog] = _lognormal(rng, 2.5, cfg["blog_reach_sigma"] + 0.2, m_blog.sum())
    R[role == FAN] = _lognormal(rng, 0.25, 0.8, (role == FAN).sum())
    R[is_fol] = _lognormal(rng, 0.04, 1.0, is_fol.sum())
    R[bot | ghost] = 1e-4

    rate_sig = _CREATE_SIG[role].copy()
    rate_sig[m_blog] = cfg["blog_rate_sigma"]
    rate = _lognormal(rng, _CREATE_RATE[role], rate_sig)
    rare = m_inf & (rng.random(n) < cfg["rare_poster_frac"])
    rate[rare] = _lognormal(rng, 0.015, 0.4, rare.sum())
    hollow_fol = hollow & is_fol
    rate[hollow_fol] = _lognormal(rng, 0.02 if cfg["n_bots"] else 0.004, 0.4, hollow_fol.sum())
    rate[bot | ghost] = 0.0
    n_posts = rng.poisson(rate * W * np.sqrt(cfg["activity"]))
    n_posts[m_inf | m_blog] = np.maximum(n_posts[m_inf | m_blog], 1)

    react_med = _REACT_MED[role] * act_scale
    react_sig = _REACT_SIG[role].copy()
    fan = role == FAN
    if cfg["fan_style"] == "wide_moderate":
        react_med[fan] = 28.0 * act_scale
        react_sig[fan] = 0.5
    quiet = fan & (rng.random(n) < cfg["quiet_fan_frac"])
    react_med[quiet] = 14.0 * act_scale
    react_med[heavy] = 1500.0
    react_sig[heavy] = 0.5
    react_med[liker] = 220.0 * act_scale
    react_sig[liker] = 0.6
    n_react = rng.poisson(_lognormal(rng, react_med, react_sig))
    n_react[bot | ghost] = 0

    conc = _CH_BASE[role] * _CH_CONC[role][:, None]
    if cfg["fan_style"] == "wide_moderate":
        conc[fan] = np.array([1.5, 1.5, 1.0, 1.5, 2.0, 1.5, 1.5]) * 6.0
    chan_pref = rng.gamma(conc)
    # heavy consumers: one channel (half a content channel with views, half the newsletter)
    hv = np.flatnonzero(heavy)
    hv_nl = rng.random(len(hv)) < 0.5
    hv_ch = np.where(hv_nl, NL, rng.choice([TW, YT, BL], size=len(hv)))
    chan_pref[hv] = 1e-9
    chan_pref[hv, hv_ch] = 1.0
    lk = np.flatnonzero(liker)
    chan_pref[lk] = 1e-9
    chan_pref[lk, TW:IG + 1] = rng.dirichlet([0.5, 0.5], size=len(lk))
    chan_pref /= chan_pref.sum(axis=1, keepdims=True)

    tilt = rng.gamma(3.0, 1.0 / 3.0, size=(n, len(ACTIONS)))
    tilt[hv[~hv_nl], A["view"]] *= 1000.0
    tilt[hv[hv_nl], A["newsletter_open"]] *= 1000.0
    tilt[np.ix_(hv, [A["newsletter_click"], A["like"]])] = 0.0
    tilt[lk, A["like"]] *= 300.0
    vocal = is_fol & ~(heavy | liker | bot | ghost) & (rng.random(n) < cfg["vocal_follower_frac"])
    deep_cols = [A[a] for a in ("comment", "reply", "retweet", "share", "mention")]
    tilt[np.ix_(np.flatnonzero(vocal), deep_cols)] *= 10.0

    cpref = rng.gamma(_CREATE_BASE[role] * 6.0 + 1e-3)
    if cfg["n_bots"]:
        cpref[hollow] = np.array([0.85, 0.1, 0.03, 0.02])
    cpref /= cpref.sum(axis=1, keepdims=True)

    burstiness = _BURSTY[role] * rng.beta(2, 2, n) * 2
    slot = np.full(n, -1)
    sb = rng.random(n) < np.array(cfg["single_burst"])[role]
    sb &= ~(bot | ghost | hollow)
    slot[sb] = rng.integers(0, len(clock.campaign_t), sb.sum())
    n_slots = len(clock.campaign_t) + 1

    # community topic vocabulary
    topics = np.char.add("#", _TOPIC_WORDS.astype(str)).astype(object)
    comm_topics = rng.integers(0, len(topics), size=(K, 4))

    parts: list[dict] = []

    # ---------------------------------------------------------------- content creation
    cm = np.repeat(np.arange(n), n_posts)
    C = len(cm)
    c_ch = _pick_rows(rng, np.cumsum(cpref[cm], axis=1))
    rank = _rank_in_group(n_posts)
    cnt = n_posts[cm]
    frac = (rank + 0.5 + rng.normal(0, 0.2, C)) / cnt
    regular = (role[cm] == BLOG) & (rng.random(n)[cm] < cfg["blog_regular"])
    regular |= (role[cm] == INF) & (rng.random(n)[cm] < cfg["inf_regular"])
    t_reg = clock.start + np.floor(np.clip(frac, 0, 0.9999) * W) * DAY \
        + np.searchsorted(clock.hour_cdf, rng.random(C)).clip(0, 23) * HOUR + rng.random(C) * HOUR
    c_t = np.where(regular, t_reg, clock.member(rng, cm, burstiness, slot))
    c_w = (R[cm] / np.maximum(cnt, 1)) * _lognormal(rng, 1.0, 0.8, C)
    own_topic = rng.random(C) < 0.8
    c_topic = np.where(own_topic, comm_topics[comm[cm], rng.integers(0, 4, C)],
                       rng.integers(0, len(topics), C))
    c_id = np.char.add("c", np.char.zfill(np.arange(C).astype(str), 6)).astype(object)
    c_slot = np.full(C, n_slots - 1)
    if len(clock.campaign_t):
        near = np.abs(c_t[:, None] - clock.campaign_t[None, :])
        j = near.argmin(axis=1)
        c_slot = np.where(near[np.arange(C), j] < 2 * DAY, j, n_slots - 1)
    parts.append(dict(m=cm, a=CREATE_ACTION[c_ch], t=c_t, ch=c_ch, tgt=np.full(C, -1),
                      cid=c_id, topic=topics[c_topic], value=np.full(C, np.nan)))

    # ---------------------------------------------------------------- reactions
    rm = np.repeat(np.arange(n), n_react)
    r_ch = _pick_rows(rng, np.cumsum(chan_pref[rm], axis=1))
    allowed = np.zeros((len(CHANNELS), len(ACTIONS)), np.float32)
    for ch, acts in _ALLOWED.items():
        allowed[ch, [A[a] for a in acts]] = 1.0
    act_w = np.repeat(_ACT_W[:, None, :], len(CHANNELS), axis=1).astype(np.float32)
    if cfg["fan_style"] == "wide_moderate":
        act_w[FAN] = _ACT_W_FAN_WIDE
    act_w *= allowed[None]
    rows = act_w[role[rm], r_ch] * tilt[rm].astype(np.float32)
    empty = rows.sum(axis=1) <= 0
    rows[empty] = allowed[r_ch[empty]]
    r_a = _pick_rows(rng, np.cumsum(rows, axis=1))
    del rows

    # content channels: pick a post, local or global, optionally restricted to one campaign slot
    on_c = r_ch < N_CONTENT_CH
    ci = np.flatnonzero(on_c)
    em = rm[ci]
    ech = r_ch[ci]
    local = rng.random(len(ci)) < cfg["p_local"]
    pick = np.full(len(ci), -1)
    restricted = slot[em] >= 0
    key_g = ech
    key_l = ech * K + comm[em]
    s_gl = _GroupSampler(c_ch, c_w, N_CONTENT_CH)
    s_lo = _GroupSampler(c_ch * K + comm[cm], c_w, N_CONTENT_CH * K)
    free_l, free_g = local & ~restricted, ~local & ~restricted
    pick[free_l] = s_lo.sample(rng, key_l[free_l])
    pick[free_g] = s_gl.sample(rng, key_g[free_g])
    if restricted.any():
        s_gl_s = _GroupSampler(c_ch * n_slots + c_slot, c_w, N_CONTENT_CH * n_slots)
        s_lo_s = _GroupSampler((c_ch * K + comm[cm]) * n_slots + c_slot, c_w,
                               N_CONTENT_CH * K * n_slots)
        rl, rg = local & restricted, ~local & restricted
        pick[rl] = s_lo_s.sample(rng, key_l[rl] * n_slots + slot[em[rl]])
        pick[rg] = s_gl_s.sample(rng, key_g[rg] * n_slots + slot[em[rg]])
        miss = (pick < 0) & restricted
        pick[miss] = s_gl_s.sample(rng, key_g[miss] * n_slots + slot[em[miss]])
    miss = (pick < 0) & ~restricted
    pick[miss] = s_gl.sample(rng, key_g[miss])
    ok = pick >= 0
    ok[ok] = cm[pick[ok]] != em[ok]
    ci, em, pick = ci[ok], em[ok], pick[ok]
    delay = _lognormal(rng, cfg["delay_h"] * HOUR, 1.4, len(ci))
    t = c_t[pick] + delay
    keep = t < clock.end
    ci, em, pick, t = ci[keep], em[keep], pick[keep], t[keep]
    parts.append(dict(m=em, a=r_a[ci], t=t, ch=r_ch[ci], tgt=cm[pick], cid=c_id[pick],
                      topic=topics[c_topic[pick]], value=np.full(len(ci), np.nan)))

    # newsletter: weekly issues
    issue_t = np.arange(clock.start + 2 * DAY + 9 * HOUR, clock.end, 7 * DAY)
    ni = np.flatnonzero(r_ch == NL)
    if len(ni) and len(issue_t):
        nm = rm[ni]
        iss = rng.integers(0, len(issue_t), len(ni))
        rs = slot[nm] >= 0
        if rs.any():
            tgt_t = clock.campaign_t[slot[nm[rs]]]
            iss[rs] = np.abs(tgt_t[:, None] - issue_t[None, :]).argmin(axis=1)
        t = issue_t[iss] + _lognormal(rng, 5 * HOUR, 1.2, len(ni))
        keep = t < clock.end
        iss_id = np.char.add("nl", np.char.zfill(np.arange(len(issue_t)).astype(str), 3))
        parts.append(dict(m=nm[keep], a=r_a[ni][keep], t=t[keep], ch=np.full(keep.sum(), NL),
                          tgt=np.full(keep.sum(), -2), cid=iss_id.astype(object)[iss[keep]],
                          topic=np.full(keep.sum(), "newsletter", object),
                          value=np.full(keep.sum(), np.nan)))

    # live events: campaign days when there are strong campaigns, else monthly meetups
    if cfg["campaign_amp"] >= 5 and len(clock.campaign_t):
        ev_t = clock.campaign_t + 8 * HOUR
    else:
        n_ev = max(2, W // 30)
        ev_t = clock.start + np.sort(rng.choice(np.arange(1, W - 1), n_ev, replace=False)) * DAY \
            + 18 * HOUR
    ei = np.flatnonzero(r_ch == EV)
    if len(ei):
        emm = rm[ei]
        evk = rng.integers(0, len(ev_t), len(ei))
        rs = slot[emm] >= 0
        if rs.any():
            evk[rs] = np.abs(clock.campaign_t[slot[emm[rs]]][:, None] - ev_t[None, :]).argmin(1)
        ev_id = np.char.add("ev", np.char.zfill(np.arange(len(ev_t)).astype(str), 2))
        df = pd.DataFrame({"m": emm, "k": evk}).drop_duplicates()
        k = len(df)
        parts.append(dict(m=df.m.to_numpy(), a=np.full(k, A["event_attend"]),
                          t=np.minimum(ev_t[df.k.to_numpy()] + rng.normal(0, HOUR, k),
                                       clock.end - 1),
                          ch=np.full(k, EV), tgt=np.full(k, -2),
                          cid=ev_id.astype(object)[df.k.to_numpy()],
                          topic=np.full(k, "event", object), value=np.full(k, np.nan)))

    # shop: product views and purchases
    si = np.flatnonzero(r_ch == SH)
    if len(si):
        sm = rm[si]
        n_prod = 150
        pp = 1.0 / (np.arange(n_prod) + 1.0) ** 1.1
        prod = rng.choice(n_prod, size=len(si), p=pp / pp.sum())
        sa = r_a[si]
        val = np.where(sa == A["purchase"], np.round(_lognormal(rng, 42.0, 0.8, len(si)), 2),
                       np.nan)
        prod_id = np.char.add("p", np.char.zfill(np.arange(n_prod).astype(str), 3))
        cats = np.array(["apparel", "books", "tickets", "merch", "digital"], dtype=object)
        parts.append(dict(m=sm, a=sa, t=clock.member(rng, sm, burstiness, slot),
                          ch=np.full(len(si), SH), tgt=np.full(len(si), -3),
                          cid=prod_id.astype(object)[prod], topic=cats[prod % len(cats)],
                          value=val))

    # ---------------------------------------------------------------- bought amplification (bots)
    bots = np.flatnonzero(bot)
    if len(bots):
        hp = np.flatnonzero(hollow[cm])
        hit = rng.random((len(bots), len(hp))) < 0.9
        bi, pj = np.nonzero(hit)
        post = hp[pj]
        like = rng.random(len(bi)) < 0.5
        # camouflage retweets of random popular posts
        cam_n = 30
        cam = _GroupSampler(np.zeros(C, int), c_w, 1).sample(rng, np.zeros(len(bots) * cam_n,
                                                                              int))
        cam_b = np.repeat(np.arange(len(bots)), cam_n)
        cam_ok = cam >= 0
        b_all = np.concatenate([bi, bi[like], cam_b[cam_ok]])
        p_all = np.concatenate([post, post[like], cam[cam_ok]])
        is_like = np.concatenate([np.zeros(len(bi), bool), np.ones(like.sum(), bool),
                                  np.zeros(cam_ok.sum(), bool)])
        share_a = np.where(c_ch[p_all] == TW, A["retweet"], A["share"])
        a_all = np.where(is_like, A["like"], share_a)
        t = c_t[p_all] + rng.exponential(4 * 60.0, len(p_all)) + 20
        keep = t < clock.end
        parts.append(dict(m=bots[b_all][keep], a=a_all[keep], t=t[keep], ch=c_ch[p_all][keep],
                          tgt=cm[p_all][keep], cid=c_id[p_all][keep],
                          topic=topics[c_topic[p_all]][keep], value=np.full(keep.sum(), np.nan)))

    # ---------------------------------------------------------------- follow graph
    outdeg = np.rint(_lognormal(rng, _OUTDEG_MED[role] * min(1.0, (n / 5000) ** 0.5), 0.9))
    outdeg = np.clip(outdeg, 1, max(2, n // 4)).astype(int)
    outdeg[bot | ghost] = 0
    fs = np.repeat(np.arange(n), outdeg)
    glob = rng.random(len(fs)) < 0.45
    fd = np.full(len(fs), -1)
    fd[glob] = _GroupSampler(np.zeros(n, int), R ** 0.9, 1).sample(rng,
                                                                   np.zeros(glob.sum(), int))
    fd[~glob] = _GroupSampler(comm, R ** 0.4, K).sample(rng, comm[fs[~glob]])
    src, dst = [fs], [fd]
    hol = np.flatnonzero(hollow)
    g_edges = np.zeros(0, int)
    if len(hol):
        buy_t = clock.start + rng.uniform(-200, W - 5, len(hol)) * DAY
        gh = np.flatnonzero(ghost)
        k_g = rng.integers(1, 4, len(gh))
        gs = np.repeat(gh, k_g)
        gd_h = rng.integers(0, len(hol), len(gs))
        src.append(gs)
        dst.append(hol[gd_h])
        g_edges = gd_h
        if len(bots):
            bs, bd = np.meshgrid(bots, hol, indexing="ij")
            src.append(bs.ravel())
            dst.append(bd.ravel())
    fol_src = np.concatenate(src)
    fol_dst = np.concatenate(dst)
    n_base = len(fs)
    n_ghost_e = len(g_edges)
    kind_e = np.concatenate([np.zeros(n_base, int), np.ones(n_ghost_e, int),
                             np.full(len(fol_src) - n_base - n_ghost_e, 2)])
    gbuy = np.full(len(fol_src), np.nan)
    if n_ghost_e:
        gbuy[n_base:n_base + n_ghost_e] = buy_t[g_edges]
        bot_e = kind_e == 2
        gbuy[bot_e] = buy_t[np.searchsorted(hol, fol_dst[bot_e])]
    ok = (fol_dst >= 0) & (fol_src != fol_dst)
    fe = pd.DataFrame({"s": fol_src[ok], "d": fol_dst[ok], "kind": kind_e[ok], "buy": gbuy[ok]})
    fe = fe.drop_duplicates(["s", "d"])
    s_, d_ = fe.s.to_numpy(), fe.d.to_numpy()
    same = comm[s_] == comm[d_]
    p_back = _RECIP[role[d_]] * np.where(same, 1.6, 0.5)
    p_back[hollow[d_] | bot[s_] | ghost[s_] | bot[d_] | ghost[d_]] = 0.0
    back = rng.random(len(s_)) < p_back
    social = chan_pref[:, :3] + 0.05
    e_ch = _pick_rows(rng, np.cumsum(social[s_], axis=1))
    rec = pd.DataFrame({"s": d_[back], "d": s_[back], "kind": 0, "buy": np.nan})
    fe = fe.assign(ch=e_ch)
    rec = rec.assign(ch=e_ch[back])
    fe = pd.concat([fe, rec], ignore_index=True).drop_duplicates(["s", "d"])
    # the brand account (not a member) is followed by many
    fb = np.flatnonzero((rng.random(n) < 0.3) & ~(bot | ghost))
    fe = pd.concat([fe, pd.DataFrame({"s": fb, "d": -2, "kind": 0, "buy": np.nan,
                                      "ch": _pick_rows(rng, np.cumsum(social[fb], axis=1))})],
                   ignore_index=True)
    F = len(fe)
    fs_, fk = fe.s.to_numpy(), fe.kind.to_numpy()
    pre = rng.random(F) < 0.75
    since = np.where(pre, clock.start - rng.uniform(1, 3 * 365, F) * DAY,
                     clock.member(rng, fs_, burstiness, slot))
    bought = fk > 0
    since[bought] = fe.buy.to_numpy()[bought] + rng.exponential(2 * HOUR, bought.sum())
    fe["since"] = since
    inw = since >= clock.start
    fev = fe[inw]
    parts.append(dict(m=fev.s.to_numpy(), a=np.full(len(fev), A["follow"]),
                      t=np.minimum(fev.since.to_numpy(), clock.end - 1), ch=fev.ch.to_numpy(),
                      tgt=fev.d.to_numpy(), cid=np.full(len(fev), None, object),
                      topic=np.full(len(fev), None, object), value=np.full(len(fev), np.nan)))

    # ---------------------------------------------------------------- ids and tables
    ids = np.char.add("u", np.char.zfill(np.arange(n).astype(str), 6)).astype(object)
    odd_pool = np.flatnonzero(~(bot | ghost))
    odd = rng.choice(odd_pool, size=min(len(_ODD_IDS), len(odd_pool)), replace=False)
    ids[odd] = np.array(_ODD_IDS[: len(odd)], dtype=object)

    def target_names(code):
        out = np.full(len(code), None, dtype=object)
        mem = code >= 0
        out[mem] = ids[code[mem]]
        out[code == -2] = "brand"
        out[code == -3] = "shop"
        return out

    cat = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    ts = np.floor(cat["t"]).astype(np.int64)
    order = np.lexsort((cat["m"], ts))
    events = pd.DataFrame({
        "member_id": ids[cat["m"][order]],
        "action": np.array(ACTIONS, dtype=object)[cat["a"][order]],
        "timestamp": pd.to_datetime(ts[order], unit="s", utc=True),
        "channel": np.array(CHANNELS, dtype=object)[cat["ch"][order]],
        "target_id": target_names(cat["tgt"][order]),
        "content_id": cat["cid"][order],
        "topic": cat["topic"][order],
        "value": cat["value"][order].astype(float),
    })

    follows = pd.DataFrame({
        "follower_id": ids[fe.s.to_numpy()],
        "followee_id": target_names(fe.d.to_numpy()),
        "channel": np.array(CHANNELS, dtype=object)[fe.ch.to_numpy()],
        "since": pd.to_datetime(np.floor(fe.since.to_numpy()).astype(np.int64), unit="s",
                                utc=True),
    })

    indeg = np.bincount(fe.d.to_numpy()[fe.d.to_numpy() >= 0], minlength=n)
    outd = np.bincount(fe.s.to_numpy(), minlength=n)
    organic = _lognormal(rng, 120.0, 1.2, n)  # everyone's own audience, whatever the role
    outside = 900.0 * R ** 0.85 * _lognormal(rng, 1.0, 0.8, n) + organic
    outside[hollow] = _lognormal(rng, 35000.0, 0.8, hollow.sum())
    followers = np.rint(indeg + outside)
    following = np.rint(outd + outd * _lognormal(rng, 2.0, 0.7, n) + rng.poisson(5, n))
    followers = followers.astype(float)
    miss = (rng.random(n) < 0.01) & (role != INF) & ~hollow
    followers[miss] = np.nan

    kind = np.full(n, "person", dtype=object)
    u = rng.random(n)
    kind[(role == INF) & (u < 0.25)] = "media"
    kind[(role == BLOG) & (u < 0.08)] = "media"
    kind[(role == BLOG) & (u > 0.97)] = "brand"
    created = clock.start - rng.uniform(30, 10 * 365, n) * DAY
    created[bot] = clock.start - rng.uniform(20, 90, bot.sum()) * DAY
    if len(hol) and ghost.any():
        gh = np.flatnonzero(ghost)
        created[gh] = np.min(buy_t) - rng.uniform(1, 20, len(gh)) * DAY
    first = _FIRST[rng.integers(0, len(_FIRST), n)]
    last = _LAST[rng.integers(0, len(_LAST), n)]
    name = np.char.add(np.char.add(first.astype(str), " "), last.astype(str)).astype(object)
    handle = np.char.add("@", np.char.add(
        np.char.lower(first.astype(str)), rng.integers(1, 9999, n).astype(str))).astype(object)
    primary = np.where(n_posts > 2, np.argmax(cpref, axis=1), np.argmax(chan_pref, axis=1))
    members = pd.DataFrame({
        "member_id": ids,
        "name": name,
        "handle": handle,
        "channel": np.array(CHANNELS, dtype=object)[primary],
        "followers": followers,
        "following": following.astype(np.int64),
        "kind": kind,
        "created_at": pd.to_datetime(np.floor(created).astype(np.int64), unit="s", utc=True),
    })
    truth = pd.DataFrame({
        "member_id": ids,
        "role": np.array(ROLES, dtype=object)[role],
        "hollow": hollow,
    })
    return {"members": members, "events": events.reset_index(drop=True), "follows": follows,
            "truth": truth}


# ==================================================================== sanity check
_AMP = ("retweet", "share", "mention", "reply", "comment")
_DEEP = ("comment", "share", "retweet", "reply", "mention", "newsletter_click", "event_attend",
         "purchase")
_CREATE = ("post", "blog_post", "video")


def member_features(d: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per-member aggregates used by the self-check (independent of the project)."""
    ev, fo, mem = d["events"], d["follows"], d["members"]
    ids = pd.Index(mem.member_id)
    g = ev.groupby("member_id")
    X = pd.DataFrame(index=ids)
    X["n_events"] = g.size()
    counts = pd.crosstab(ev.member_id, ev.action)
    for a in ACTIONS:
        X[f"n_{a}"] = counts[a] if a in counts else 0
    X = X.fillna(0)
    X["n_create"] = X[[f"n_{a}" for a in _CREATE]].sum(axis=1)
    X["n_deep"] = X[[f"n_{a}" for a in _DEEP]].sum(axis=1)
    X["n_react"] = X.n_events - X.n_create - X.n_follow
    X["create_ratio"] = X.n_create / (X.n_create + X.n_react + 1)
    X["deep_ratio"] = X.n_deep / (X.n_react + 1)
    X["n_channels"] = g.channel.nunique()
    X["n_actions"] = g.action.nunique()
    X["active_days"] = ev.assign(day=ev.timestamp.dt.floor("D")).groupby("member_id").day.nunique()
    ch = pd.crosstab(ev.member_id, ev.channel)
    top = ch.max(axis=1) / ch.sum(axis=1)
    X["top_channel_share"] = top
    amp = ev[ev.action.isin(_AMP) & ev.target_id.notna()]
    X["amp_distinct"] = amp.groupby("target_id").member_id.nunique()
    X["amp_events"] = amp.groupby("target_id").size()
    pair = amp.groupby(["target_id", "member_id"]).size()
    X["amp_top_share"] = pair.groupby(level=0).max() / X.amp_events
    lk = ev[(ev.action == "like") & ev.target_id.notna()]
    X["like_distinct"] = lk.groupby("target_id").member_id.nunique()
    X["indeg"] = fo.groupby("followee_id").size()
    X["outdeg"] = fo.groupby("follower_id").size()
    pairs = fo[["follower_id", "followee_id"]]
    rev = pairs.rename(columns={"follower_id": "followee_id", "followee_id": "follower_id"})
    both = pairs.merge(rev.assign(r=1), on=["follower_id", "followee_id"], how="left")
    X["recip"] = both.r.fillna(0).groupby(both.follower_id).mean()
    X = X.fillna(0)
    X["log_followers"] = np.log1p(mem.set_index("member_id").followers).fillna(-1)
    X["amp_per_post"] = X.amp_events / (X.n_create + 1)
    X["amp_distinct_per_kfollower"] = X.amp_distinct / (np.expm1(X.log_followers.clip(0)) / 1e3 + 1)
    return X


def _check(n: int = 5000, seed: int = 0) -> None:
    import time

    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    rows, scores = [], []
    for setting in SETTINGS:
        t0 = time.perf_counter()
        d = generate(n, setting, seed)
        dt = time.perf_counter() - t0
        tr = d["truth"].set_index("member_id")
        assert set(tr.index) <= set(d["members"].member_id)
        X = member_features(d).loc[tr.index]
        y = tr.role.to_numpy()
        for r in ROLES + ("hollow",):
            sel = tr.hollow.to_numpy() if r == "hollow" else (y == r)
            x = X[sel]
            rows.append(dict(setting=setting, role=r, count=int(sel.sum()),
                             ev_med=x.n_events.median(), ev_p90=x.n_events.quantile(0.9),
                             ch_med=x.n_channels.median(), amp_med=x.amp_distinct.median(),
                             amp_p90=x.amp_distinct.quantile(0.9),
                             fol_med=np.expm1(x.log_followers[x.log_followers >= 0]).median(),
                             create_med=x.n_create.median(), deep_med=x.n_deep.median()))
        cv = StratifiedKFold(5, shuffle=True, random_state=0)
        rf = RandomForestClassifier(n_estimators=300, min_samples_leaf=2, n_jobs=-1,
                                    class_weight="balanced_subsample", random_state=0)
        pred = cross_val_predict(rf, X.to_numpy(), y, cv=cv)
        f1 = f1_score(y, pred, average="macro")
        per = f1_score(y, pred, average=None, labels=list(ROLES))
        naive = cross_val_predict(rf, X[["log_followers", "n_events"]].to_numpy(), y, cv=cv)
        f1n = f1_score(y, naive, average="macro")
        hol = tr.hollow.to_numpy()
        hol_inf = float((pred[hol] == "influencer").mean()) if hol.any() else float("nan")
        hol_naive = float((naive[hol] == "influencer").mean()) if hol.any() else float("nan")
        scores.append(dict(setting=setting, gen_s=round(dt, 2), n_events=len(d["events"]),
                           n_follows=len(d["follows"]), rf_macro_f1=round(f1, 3),
                           **{f"f1_{r[:4]}": round(v, 3) for r, v in zip(ROLES, per, strict=True)},
                           naive_f1=round(f1n, 3), hollow_as_inf=round(hol_inf, 2),
                           hollow_as_inf_naive=round(hol_naive, 2)))
    pd.set_option("display.width", 200)
    pd.set_option("display.max_rows", 200)
    print(pd.DataFrame(rows).round(1).to_string(index=False))
    print()
    print(pd.DataFrame(scores).to_string(index=False))


if __name__ == "__main__":
    _check()
