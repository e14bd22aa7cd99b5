"""Blind synthetic brand communities with known behavioural roles.

This module writes datasets in the clusterkit input contract (``members``, ``events``,
``follows``) together with a ``truth`` table holding each member's role (influencer, blogger,
fan, follower) and a ``hollow`` flag.  It was written from the data contract and the prose
definition of the four roles only, without looking at how any role method works, so that it can
be used to test those methods on data built from independent assumptions.

World model
-----------
A brand (an outdoor / sports label) has a community of ``n`` accounts spread over a handful of
interest groups (trail running, nutrition, gear, ...).  Every account has a latent *role* and,
inside the role, a *style* (sub-type), so that each role is a mixture with heavy tails rather
than one tight cluster:

* influencers: broadcasters, conversationalists (reply a lot), dormant stars (post rarely
  but every post is picked up) and micro-influencers (small platform audience, strong pick-up);
* bloggers: writers (blog posts), vloggers (videos), social posters, part-timers (low output)
  and chatty creators (who also react a lot);
* fans: social fans, shoppers, event-goers, superfans and casual fans;
* followers: silent followers (a follow edge and nothing else), lurkers (views), light likers
  and newsletter subscribers.

Each account carries latent continuous traits drawn per role and style: an *appeal* (how
likely others are to follow it and pick up its content), an *outside audience* (the part of the
platform-reported follower count that lives outside the data), an *activity* level and an
activity span (the days it was around: some accounts join late or leave early).  Appeal and
outside audience are correlated but not identical, and the role distributions overlap: the
weakest influencers look like the strongest bloggers, light fans look like busy followers.

Behaviour is generated in three layers, all vectorised:

1. **Follow graph.**  Every account follows a heavy-tailed number of others; followees are
   drawn preferentially by appeal, mostly inside the account's own interest group.  Part of the
   members also follow the brand account ``"brand"`` (a non-member followee, allowed by the
   contract).  Each edge has a ``since`` date; edges made inside the window also appear as
   ``follow`` events.  The platform-reported ``followers`` count is the in-community in-degree
   plus the outside audience (plus bought followers for hollow accounts).
2. **Own actions.**  Per account and action a Poisson count is drawn from a per-day rate
   (role base rate x style multipliers x activity x per-action gamma noise x the share of the
   window's intensity that falls in the account's active span).  Timestamps follow a day
   profile (weekday pattern, campaigns, optionally a yearly season) and an hour-of-day profile.
   Creations (``post``, ``blog_post``, ``video``) produce content items with ids and topics.
3. **Aimed reactions.**  ``like``, ``comment``, ``reply``, ``share``, ``retweet``,
   ``mention`` and part of ``view`` are aimed at a member's content: the target is one of the
   reactor's followees or, otherwise, an appeal-weighted draw (mostly inside the reactor's
   interest group); the content is one of that creator's latest items before the reaction.
   The rest of these reactions is aimed at the brand's own posts (``target_id`` missing) or, for
   a small share, at outside accounts (``ext_*`` ids, not members).  Newsletter opens/clicks,
   event attendance and purchases (with an order ``value``) are aimed at the brand and have no
   target.

Every account is around for at least two weeks (or the whole window when it is shorter), so
that its role can in principle be read from what it did.

So influencers are those whose content is picked up by many distinct members and who have a
large audience; bloggers create regularly (creations outnumber reactions for most of them) and
get moderate pick-up; fans react, click, attend and buy repeatedly but create little; followers
are connected and mostly passive.

Hollow accounts have bought reach: a large block of bought followers added to their reported
count and/or paid engagement delivered by *click-farm* accounts.  Their behavioural role is never
influencer (mostly blogger, some fan or follower).  Click-farm accounts are members whose true
role is follower: they were created shortly before the window, have no bio, follow the hollow
accounts of their vendor and deliver bursts of likes/retweets/shares aimed only at them.

Settings
--------
``default``
    A typical brand community over 150 days: weekly rhythm, two campaigns, mild churn, 2 %
    influencers, 8 % bloggers, 15 % fans; 0.5 % hollow accounts with bought followers only.
``long_churn``
    A full year with a yearly season (spring peak, a November sale spike), four campaigns and
    strong churn: a third of the accounts join late and about a quarter leave early, so raw
    volumes mix members seen for a week with members seen for the whole year.
``celebrity``
    Five mega-influencers with millions of reported followers and huge pick-up next to many
    micro-influencers whose reported audience is in the thousands (overlapping bloggers); the
    mega accounts absorb much of the amplification.
``niche``
    A small enthusiast community: influencers have modest reported follower counts (same scale
    as bloggers) but a very high pick-up by distinct members; reach numbers alone do not
    separate them.
``commerce``
    A newsletter / events / shop centred brand.  Social reactions are rare for everyone; fans
    show up through newsletter clicks, event attendance and purchases, followers through
    newsletter opens and views; fewer creators.
``lost_targets``
    The export lost ``target_id`` for 60 % of the aimed reactions (for half of those the
    ``content_id`` survives and can be traced back to the creator's post).  Together with the
    reactions to the brand's own posts, about 70 % of the social reactions carry no target
    (about a quarter in the other settings).
``bought``
    Purchased engagement: 2.5 % hollow accounts bought followers (reported count and click-farm
    follow edges), engagement (bursts from click-farm accounts), or both; 4 % of the members are
    click-farm accounts (truth: follower).
``short_sparse``
    A three-week window: few events per member, many members seen only through follow edges.
``repost_creators``
    Creators (bloggers and influencers) retweet and share a lot -- often as much as they
    create -- while still creating regularly; more bloggers.
``thin_graph``
    The follows export holds only 15 % of the edges and 40 % of the members have no reported
    follower count; roles must be read mostly from the events.

Interface: ``SETTINGS`` (tuple of names, first ``"default"``) and
``generate(n, setting="default", seed=0)`` returning ``{"members", "events", "follows",
"truth"}`` as pandas DataFrames.  Output is deterministic for a given ``(n, setting, seed)``.

``_generate`` (private) returns the same plus a ``detail`` table (style, click-farm flag,
mega flag, appeal, active span) for diagnosing where a method goes wrong.

Run ``python experiments/blind4/roles_generator.py`` for a self-check (sizes, role counts,
timing, a random-forest ceiling and a naive baseline per setting).
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

ROLES = ("influencer", "blogger", "fan", "follower")
INF, BLOG, FAN, FOL = range(4)

# Actions drawn from per-member rates ("follow" comes from the follow graph).
ACTIONS = (
    "view", "newsletter_open", "like", "newsletter_click", "reply", "comment", "mention",
    "share", "retweet", "post", "blog_post", "video", "event_attend", "purchase",
)
ALL_ACTIONS = ACTIONS + ("follow",)
A = {a: i for i, a in enumerate(ALL_ACTIONS)}
GROUPS = {
    "create": ("post", "blog_post", "video"),
    "social": ("like", "reply", "comment", "mention", "share", "retweet"),
    "passive": ("view", "newsletter_open"),
    "commerce": ("newsletter_click", "event_attend", "purchase"),
    "repost": ("share", "retweet"),
    "all": ACTIONS,
}
# Probability that a reaction of this kind is aimed at a member's content (else the brand's).
AIMED_P = {"like": 0.75, "reply": 0.85, "comment": 0.8, "mention": 0.85, "share": 0.7,
           "retweet": 0.7, "view": 0.45}

# Base rates per day, rows = roles, columns = ACTIONS.
BASE_RATES = np.array([
    # view nl_open like nl_click reply comment mention share retweet post blog video event buy
    [0.03, 0.005, 0.03, 0.002, 0.04, 0.01, 0.012, 0.006, 0.014, 0.10, 0.008, 0.02, 0.003, 0.002],
    [0.06, 0.02, 0.035, 0.005, 0.016, 0.015, 0.01, 0.006, 0.012, 0.10, 0.04, 0.015, 0.002,
     0.002],
    [0.12, 0.07, 0.15, 0.03, 0.018, 0.038, 0.012, 0.024, 0.032, 0.007, 0.0006, 0.0005, 0.006,
     0.012],
    [0.06, 0.03, 0.02, 0.002, 0.001, 0.002, 0.0006, 0.0012, 0.002, 0.0012, 0.0, 0.0001,
     0.0003, 0.0008],
])

# Styles per role: (name, probability, {group or action: multiplier}, appeal x, outside-reach x)
STYLES = {
    INF: [
        ("broadcaster", 0.45, {"create": 1.3}, 1.0, 1.0),
        ("conversationalist", 0.25, {"reply": 3.0, "mention": 2.0, "create": 0.8}, 0.8, 0.8),
        ("dormant_star", 0.15, {"create": 0.2, "social": 0.5}, 1.5, 1.5),
        ("micro", 0.15, {"social": 1.5}, 1.2, 0.25),
    ],
    BLOG: [
        ("writer", 0.30, {"blog_post": 3.0, "post": 0.5}, 1.0, 0.9),
        ("vlogger", 0.20, {"video": 4.0, "post": 0.6}, 1.3, 1.3),
        ("social_poster", 0.25, {"post": 1.5}, 1.0, 1.0),
        ("part_timer", 0.15, {"create": 0.35}, 0.6, 0.7),
        ("chatty", 0.10, {"social": 2.5}, 1.0, 1.0),
    ],
    FAN: [
        ("social_fan", 0.35, {"social": 1.4, "commerce": 0.5}, 1.0, 1.0),
        ("shopper", 0.20, {"social": 0.4, "commerce": 3.0, "newsletter_open": 2.0}, 0.6, 0.8),
        ("event_goer", 0.10, {"event_attend": 5.0, "social": 0.7}, 1.0, 1.0),
        ("superfan", 0.10, {"all": 2.0}, 1.5, 1.2),
        ("casual", 0.25, {"all": 0.55}, 0.8, 1.0),
    ],
    FOL: [
        ("silent", 0.30, {"all": 0.08}, 0.5, 0.8),
        ("lurker", 0.35, {"passive": 1.8, "social": 0.5}, 1.0, 1.0),
        ("light", 0.25, {}, 1.0, 1.0),
        ("subscriber", 0.10, {"newsletter_open": 4.0, "newsletter_click": 2.0, "social": 0.3},
         1.0, 1.0),
    ],
}

TOPICS = ("trail", "marathon", "nutrition", "gear", "recovery", "triathlon", "yoga", "cycling",
          "hiking", "strength", "climbing", "swim")
CHANNELS = ("twitter", "instagram", "facebook", "youtube", "blog", "newsletter", "events",
            "shop", "linkedin")
CH = {c: i for i, c in enumerate(CHANNELS)}
# Channels on which each action can happen.
ACTION_CHANNELS = {
    "view": ("youtube", "blog", "instagram"),
    "newsletter_open": ("newsletter",),
    "newsletter_click": ("newsletter",),
    "like": ("twitter", "instagram", "facebook", "youtube"),
    "reply": ("twitter",),
    "comment": ("instagram", "youtube", "blog", "facebook"),
    "mention": ("twitter", "instagram"),
    "share": ("facebook", "instagram", "linkedin"),
    "retweet": ("twitter",),
    "post": ("twitter", "instagram", "facebook"),
    "blog_post": ("blog",),
    "video": ("youtube", "instagram"),
    "event_attend": ("events",),
    "purchase": ("shop",),
    "follow": ("twitter", "instagram", "youtube", "facebook"),
}
HOME_CHANNELS = ("twitter", "instagram", "facebook", "youtube", "blog")
HOUR_P = np.array([2, 1, 1, 1, 1, 2, 4, 8, 9, 7, 6, 7, 10, 9, 6, 6, 7, 9, 11, 13, 13, 11, 8, 4],
                  dtype=float)
HOUR_P /= HOUR_P.sum()

FIRST = np.array("Ana Ben Carla Dev Elif Finn Gita Hugo Ines Jonas Kira Liam Mara Nico Olga Paul "
                 "Quinn Rosa Sami Tara Udo Vera Wim Xenia Yusuf Zoe Aiko Bruno Chen Dora Emil "
                 "Fatima Gus Hana Ivo Jade Karl Lena Milo Nora".split())
LAST = np.array("Alvarez Berg Costa Dahl Eriksen Fischer Garcia Horvat Ito Jansen Kowalski Lind "
                "Moreau Novak Okafor Petrov Quist Rossi Silva Tanaka Ulrich Varga Weber Xu Yilmaz "
                "Zeller Ahmed Brown Conti Duarte".split())
MEDIA_NAMES = np.array(["Trail Weekly", "Run Daily", "Peak Press", "Gear Lab", "Endurance TV",
                        "Outdoor Digest", "Stride Mag", "Summit Radio"])
# Bio templates: (prefix, topic inserted?, suffix), with role probabilities (inf, blog, fan, fol).
BIOS = [
    ("", False, "", (0.05, 0.05, 0.25, 0.55)),
    ("runner. coffee. ", True, "", (0.05, 0.08, 0.20, 0.15)),
    ("new posts every week on ", True, "", (0.08, 0.30, 0.03, 0.01)),
    ("", True, " videos & reviews", (0.12, 0.20, 0.02, 0.005)),
    ("coach | athlete | ", True, "", (0.30, 0.10, 0.05, 0.02)),
    ("I write about ", True, " and more", (0.05, 0.20, 0.04, 0.01)),
    ("", True, " addict, brand lover", (0.02, 0.03, 0.30, 0.08)),
    ("dad, engineer, weekend ", True, "", (0.03, 0.04, 0.08, 0.15)),
    ("collabs: see link | ", True, "", (0.30, 0.20, 0.03, 0.005)),
]


@dataclass(frozen=True)
class _Cfg:
    days: int = 150
    start: str = "2024-02-05"
    shares: tuple = (0.02, 0.08, 0.15)          # influencer, blogger, fan (followers: rest)
    annual: bool = False
    campaigns: int = 2
    join_late: float = 0.08
    leave_early: float = 0.06
    reach_median: tuple = (25000.0, 1500.0, 180.0, 90.0)
    reach_sigma: tuple = (1.0, 1.0, 0.9, 1.1)
    appeal_median: tuple = (40.0, 4.0, 0.3, 0.03)
    appeal_sigma: tuple = (0.6, 0.8, 0.8, 0.8)
    outdeg_mean: tuple = (30.0, 40.0, 18.0, 6.0)
    mega: int = 0
    rate_scale: float = 1.0
    group_mult: tuple = ()                        # ((role or -1, group/action, multiplier), ...)
    target_missing: float = 0.03
    content_kept: float = 0.5
    outsider_share: float = 0.015
    hollow_share: float = 0.005
    farm_share: float = 0.0
    follow_obs: float = 1.0
    followers_missing: float = 0.02
    brand_follow: float = 0.3
    p_followee: float = 0.55


_BASE = _Cfg()
_CFGS = {
    "default": _BASE,
    "long_churn": replace(_BASE, days=365, start="2023-06-01", annual=True, campaigns=4,
                          join_late=0.33, leave_early=0.25, shares=(0.02, 0.07, 0.14)),
    "celebrity": replace(_BASE, mega=5, shares=(0.035, 0.06, 0.18),
                         reach_median=(8000.0, 1500.0, 180.0, 90.0),
                         appeal_median=(25.0, 4.0, 0.3, 0.03)),
    "niche": replace(_BASE, shares=(0.015, 0.10, 0.22),
                     reach_median=(2500.0, 1200.0, 120.0, 60.0), reach_sigma=(0.8, 1.0, 0.9, 1.1),
                     appeal_median=(70.0, 4.0, 0.3, 0.03), appeal_sigma=(0.6, 0.9, 0.8, 0.8)),
    "commerce": replace(_BASE, shares=(0.01, 0.03, 0.25),
                        group_mult=((-1, "social", 0.2), (FAN, "commerce", 2.5),
                                    (FAN, "newsletter_open", 1.5), (FOL, "newsletter_open", 2.0),
                                    (INF, "social", 2.0), (BLOG, "social", 2.0))),
    "lost_targets": replace(_BASE, target_missing=0.6, shares=(0.02, 0.09, 0.15)),
    "bought": replace(_BASE, hollow_share=0.025, farm_share=0.04, shares=(0.02, 0.08, 0.14)),
    "short_sparse": replace(_BASE, days=21, start="2024-05-06", campaigns=1, join_late=0.05,
                            leave_early=0.03, shares=(0.025, 0.12, 0.10)),
    "repost_creators": replace(_BASE, shares=(0.03, 0.15, 0.12),
                               group_mult=((INF, "repost", 6.0), (BLOG, "repost", 6.0))),
    "thin_graph": replace(_BASE, follow_obs=0.15, followers_missing=0.4,
                          shares=(0.02, 0.08, 0.16)),
}
SETTINGS = tuple(_CFGS)


# ----------------------------------------------------------------------------------------------
# helpers

def _group_cols(key):
    names = GROUPS.get(key, (key,))
    return [A[a] for a in names]


def _day_weights(cfg, rng):
    days = np.arange(cfg.days)
    start = pd.Timestamp(cfg.start, tz="UTC")
    dow = (start.day_of_week + days) % 7
    w = np.array([1.0, 0.95, 0.95, 1.0, 1.05, 1.2, 1.15])[dow]
    if cfg.annual:
        doy = (start.day_of_year + days) % 365
        w = w * (1 + 0.35 * np.cos(2 * np.pi * (doy - 110) / 365)
                 + 0.6 * np.exp(-(((doy - 330) / 6.0) ** 2)))
    for c in rng.integers(0, cfg.days, cfg.campaigns):
        w = w * (1 + 1.5 * np.exp(-np.abs(days - c) / 2.0))
    return np.concatenate([[0.0], np.cumsum(w)])


def _sample_times(rng, cdf, a, b):
    """Times (float days) in [a, b) for integer day bounds, following the day/hour profile."""
    lo, hi = cdf[a], cdf[b]
    u = lo + rng.random(len(a)) * (hi - lo)
    day = np.clip(np.searchsorted(cdf, u, side="right") - 1, a, b - 1)
    hour = rng.choice(24, size=len(a), p=HOUR_P) + rng.random(len(a))
    return day + hour / 24.0


def _pick_channel(rng, action, home, m):
    allowed = np.array([CH[c] for c in ACTION_CHANNELS[action]])
    ch = allowed[rng.integers(0, len(allowed), m)]
    use_home = np.isin(home, allowed) & (rng.random(m) < 0.65)
    return np.where(use_home, home, ch)


class _WeightedSampler:
    """Draw members proportionally to a weight, mostly inside a given interest group."""

    def __init__(self, weight, comm, k):
        self.order = np.argsort(comm, kind="stable")
        self.cum = np.cumsum(weight[self.order])
        sizes = np.bincount(comm, minlength=k)
        ends = np.cumsum(sizes)
        self.hi = np.where(ends > 0, self.cum[np.maximum(ends - 1, 0)], 0.0)
        self.lo = np.concatenate([[0.0], self.hi[:-1]])
        self.comm_w = self.hi - self.lo

    def draw(self, rng, comm, p_same):
        m = len(comm)
        other = rng.choice(len(self.comm_w), size=m, p=self.comm_w / self.comm_w.sum())
        c = np.where(rng.random(m) < p_same, comm, other)
        x = self.lo[c] + rng.random(m) * self.comm_w[c]
        pos = np.clip(np.searchsorted(self.cum, x, side="right"), 0, len(self.cum) - 1)
        return self.order[pos]


def _offsets(keys, n):
    counts = np.bincount(keys, minlength=n)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return start, counts


# ----------------------------------------------------------------------------------------------
# generator

def generate(n: int, setting: str = "default", seed: int = 0) -> dict[str, pd.DataFrame]:
    """Generate one synthetic community; see the module docstring for the world model."""
    out = _generate(n, setting, seed)
    out.pop("detail")
    return out


def _generate(n, setting, seed):
    if setting not in _CFGS:
        raise ValueError(f"unknown setting {setting!r}; choose one of {SETTINGS}")
    if n < 50:
        raise ValueError("n must be at least 50")
    cfg = _CFGS[setting]
    rng = np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(setting.encode()), n]))
    D = cfg.days
    t0 = pd.Timestamp(cfg.start, tz="UTC")

    # --- roles, styles, hollow and click-farm accounts ----------------------------------------
    k_role = np.maximum(1, np.round(np.array(cfg.shares) * n)).astype(int)
    role = np.concatenate([np.repeat(np.arange(3), k_role),
                           np.full(n - k_role.sum(), FOL)])
    rng.shuffle(role)
    style = np.zeros(n, dtype=int)
    style_name = np.empty(n, dtype=object)
    mult = np.ones((n, len(ACTIONS)))
    appeal_x = np.ones(n)
    reach_x = np.ones(n)
    for r, styles in STYLES.items():
        idx = np.flatnonzero(role == r)
        p = np.array([s[1] for s in styles])
        s_of = rng.choice(len(styles), size=len(idx), p=p / p.sum())
        style[idx] = s_of
        for j, (name, _, mults, ax, rx) in enumerate(styles):
            sel = idx[s_of == j]
            style_name[sel] = name
            appeal_x[sel] = ax
            reach_x[sel] = rx
            for key, v in mults.items():
                mult[np.ix_(sel, _group_cols(key))] *= v
    for r, key, v in cfg.group_mult:
        sel = np.ones(n, bool) if r == -1 else role == r
        mult[np.ix_(np.flatnonzero(sel), _group_cols(key))] *= v

    mega = np.zeros(n, bool)
    if cfg.mega:
        k_mega = min(cfg.mega, max(1, (role == INF).sum() // 5))
        mega[rng.choice(np.flatnonzero(role == INF), k_mega, replace=False)] = True

    n_hollow = int(round(cfg.hollow_share * n))
    hollow = np.zeros(n, bool)
    if n_hollow:
        w = np.select([role == BLOG, role == FAN, role == FOL],
                      [0.6 / max(1, (role == BLOG).sum()), 0.3 / max(1, (role == FAN).sum()),
                       0.1 / max(1, (role == FOL).sum())], 0.0)
        hollow[rng.choice(n, n_hollow, replace=False, p=w / w.sum())] = True
    n_farm = int(round(cfg.farm_share * n))
    farm = np.zeros(n, bool)
    if n_farm:
        pool = np.flatnonzero((role == FOL) & ~hollow)
        farm[rng.choice(pool, n_farm, replace=False)] = True
        mult[farm] *= 0.1
    # Hollow purchase mode: 0 = bought followers only, 1 = engagement only, 2 = both.
    hmode = np.full(n, -1)
    if n_hollow:
        hmode[hollow] = rng.choice(3, size=n_hollow, p=[0.3, 0.3, 0.4]) if n_farm else 0

    # --- interest groups, latent traits, spans ------------------------------------------------
    k_comm = int(np.clip(round(n / 700), 3, len(TOPICS)))
    comm = rng.choice(k_comm, size=n, p=rng.dirichlet(np.full(k_comm, 4.0)))
    z = rng.normal(size=n)
    med = np.log(np.array(cfg.appeal_median))[role]
    appeal = np.exp(med + np.array(cfg.appeal_sigma)[role] * z) * appeal_x
    zr = 0.6 * z + 0.8 * rng.normal(size=n)
    reach = np.exp(np.log(np.array(cfg.reach_median))[role]
                   + np.array(cfg.reach_sigma)[role] * zr) * reach_x
    if mega.any():
        appeal[mega] = np.exp(np.log(1500.0) + 0.4 * rng.normal(size=mega.sum()))
        reach[mega] = np.exp(np.log(2.5e6) + 0.7 * rng.normal(size=mega.sum()))
    activity = np.exp(0.65 * rng.normal(size=n) - 0.2)
    activity[role == FAN] = np.exp(0.5 * rng.normal(size=(role == FAN).sum()))
    activity[role == INF] = np.exp(0.4 * rng.normal(size=(role == INF).sum()))

    join = np.zeros(n, dtype=int)
    leave = np.full(n, D, dtype=int)
    late = rng.random(n) < cfg.join_late
    join[late] = rng.integers(1, max(2, D - 3), late.sum())
    early = (rng.random(n) < cfg.leave_early) & (D - join > 6)
    leave[early] = join[early] + 3 + (rng.random(early.sum())
                                      * (D - join[early] - 3)).astype(int)
    # Nobody is seen for less than two weeks (or the whole window when it is shorter).
    min_span = min(D, 14)
    join = np.minimum(join, D - min_span)
    leave = np.maximum(leave, join + min_span)
    cdf = _day_weights(cfg, rng)
    eff_days = D * (cdf[leave] - cdf[join]) / cdf[-1]

    act = np.repeat(activity[:, None], len(ACTIONS), axis=1)
    shape = np.full(act.shape, 2.0)
    creator = (role == BLOG) | (role == INF)
    cc = np.ix_(np.flatnonzero(creator), _group_cols("create"))
    # Creators create regularly: their output varies less than their other activity.
    act[cc] = np.exp(0.35 * rng.normal(size=creator.sum()))[:, None]
    shape[cc] = 5.0
    rates = BASE_RATES[role] * mult * act * cfg.rate_scale
    rates *= rng.gamma(shape, 1.0 / shape)
    counts = rng.poisson(rates * eff_days[:, None])
    # Creators with more output get more pick-up (non-influencers only).
    exp_create = (rates[:, _group_cols("create")].sum(1)) * D
    appeal = np.where(role == INF, appeal, appeal * (0.25 + exp_create / (exp_create + 3.0)))
    appeal[farm] = 0.003

    # created_at relative to the window start, in days (negative = before the window)
    created = -np.exp(np.log(3 * 365.0) + 0.7 * rng.normal(size=n))
    created = np.where(late, np.minimum(created, join - rng.integers(0, 30, n)), created)
    created[farm] = -rng.uniform(5, 90, farm.sum())
    home_p = np.array([[0.35, 0.35, 0.1, 0.15, 0.05]] * 4)
    home = np.array([CH[c] for c in HOME_CHANNELS])[
        (rng.random(n)[:, None] > np.cumsum(home_p[role], 1)).sum(1).clip(0, 4)]
    home = np.where(np.isin(style_name, ["vlogger"]), CH["youtube"], home)
    home = np.where(np.isin(style_name, ["writer"]), CH["blog"], home)

    # --- follow graph -------------------------------------------------------------------------
    outdeg_mean = np.array(cfg.outdeg_mean)[role] * np.sqrt(activity)
    outdeg = 1 + rng.negative_binomial(1.2, 1.2 / (1.2 + np.maximum(outdeg_mean - 1, 0.1)))
    outdeg = np.minimum(outdeg, n // 3)
    src = np.repeat(np.arange(n), outdeg)
    f_sampler = _WeightedSampler(appeal ** 0.9 + 0.01, comm, k_comm)
    dst = f_sampler.draw(rng, comm[src], 0.8)
    edges = pd.DataFrame({"s": src, "d": dst})
    edges = edges[edges.s != edges.d].drop_duplicates()
    # Click-farm follows of hollow accounts (bought followers that live in the data).
    vendor = np.full(n, -1)
    farm_idx = np.flatnonzero(farm)
    hollow_idx = np.flatnonzero(hollow)
    burst_day = np.zeros((n, 3))
    if n_farm and n_hollow:
        n_vendor = 3
        vendor[farm_idx] = rng.integers(0, n_vendor, n_farm)
        vendor[hollow_idx] = rng.integers(0, n_vendor, n_hollow)
        burst_day[hollow_idx] = rng.integers(0, D, (n_hollow, 3))
        pairs = pd.merge(pd.DataFrame({"d": hollow_idx, "v": vendor[hollow_idx]}),
                         pd.DataFrame({"s": farm_idx, "v": vendor[farm_idx]}), on="v")
        buys_f = np.isin(hmode[pairs.d.to_numpy()], [0, 2])
        keep = buys_f & (rng.random(len(pairs)) < rng.uniform(0.5, 0.95, n)[pairs.d.to_numpy()])
        farm_edges = pairs.loc[keep, ["s", "d"]]
        edges = pd.concat([edges, farm_edges]).drop_duplicates()
    es, ed = edges.s.to_numpy(), edges.d.to_numpy()
    m_e = len(es)
    # since (days relative to window start)
    lo_since = np.maximum(np.maximum(created[es], created[ed]), -4 * 365.0)
    p_in = min(0.5, 0.2 * D / 150)
    in_win = (rng.random(m_e) < p_in) | (join[es] > 0)
    hi_pre = np.where(lo_since < 0, 0.0, np.maximum(leave[es], lo_since))
    since_pre = lo_since + rng.random(m_e) * (hi_pre - lo_since)
    win_lo = join[es].astype(float)
    win_hi = np.where(join[es] > 0, np.minimum(join[es] + 14, leave[es]), leave[es])
    since_win = win_lo + rng.random(m_e) * (win_hi - win_lo)
    since = np.where(in_win, since_win, since_pre)
    farm_edge = farm[es] & hollow[ed]
    since = np.where(farm_edge, burst_day[ed, 0] + rng.random(m_e) * 2, since)
    since = np.minimum(since, D - 1e-3)
    in_deg = np.bincount(ed, minlength=n)
    fol_sorted = np.argsort(es, kind="stable")
    f_start, f_count = _offsets(es, n)
    f_dst = ed[fol_sorted]
    f_ok = ~farm_edge[fol_sorted]  # organic followee choices ignore farm edges
    f_dst = np.where(f_ok, f_dst, -1)

    # --- content items: archive item per member + in-window creations ---------------------------
    ev = {k: [] for k in ("m", "a", "t", "ch", "tg", "ck", "cn", "tp", "val")}

    def add(m, a, t, ch, tg, ck, cn, tp, val=None):
        k = len(m)
        ev["m"].append(m)
        ev["a"].append(np.full(k, a) if np.isscalar(a) else a)
        ev["t"].append(t)
        ev["ch"].append(ch)
        ev["tg"].append(tg)
        ev["ck"].append(np.full(k, ck) if np.isscalar(ck) else ck)
        ev["cn"].append(cn)
        ev["tp"].append(tp)
        ev["val"].append(np.full(k, np.nan) if val is None else val)

    c_creator, c_time, c_topic = [np.arange(n)], [-rng.uniform(1, 60, n)], [comm.copy()]
    for a in GROUPS["create"]:
        cnt = counts[:, A[a]]
        m = np.repeat(np.arange(n), cnt)
        t = _sample_times(rng, cdf, join[m], leave[m])
        tp = np.where(rng.random(len(m)) < 0.75, comm[m], rng.integers(0, len(TOPICS), len(m)))
        c_creator.append(m)
        c_time.append(t)
        c_topic.append(tp)
        add(m, A[a], t, _pick_channel(rng, a, home[m], len(m)), np.full(len(m), -1), 0,
            None, tp)  # content numbers filled after sorting
    c_creator = np.concatenate(c_creator)
    c_time = np.concatenate(c_time)
    c_topic = np.concatenate(c_topic)
    n_arch = n
    c_num = np.arange(len(c_creator))  # content number = position in the creation order
    # Fill content numbers of creation events (they are the non-archive items, in order).
    pos = n_arch
    for i in range(len(ev["m"])):
        k = len(ev["m"][i])
        ev["cn"][i] = c_num[pos:pos + k]
        pos += k
    c_order = np.lexsort((c_time, c_creator))
    c_key = c_creator[c_order] * (D + 1000.0) + (c_time[c_order] + 500.0)
    c_start, _ = _offsets(c_creator, n)

    def pick_content(creator, t):
        key = creator * (D + 1000.0) + (t + 500.0)
        last = np.searchsorted(c_key, key, side="right") - 1
        last = np.maximum(last, c_start[creator])
        back = np.minimum(rng.geometric(0.45, len(creator)) - 1, last - c_start[creator])
        j = c_order[last - back]
        return c_num[j], c_topic[j]

    g_sampler = _WeightedSampler(appeal, comm, k_comm)

    def pick_target(reactor):
        m = len(reactor)
        tgt = g_sampler.draw(rng, comm[reactor], 0.75)
        via_f = (rng.random(m) < cfg.p_followee) & (f_count[reactor] > 0)
        fi = f_start[reactor] + (rng.random(m) * f_count[reactor]).astype(int)
        fi = np.minimum(fi, len(f_dst) - 1)
        cand = f_dst[fi]
        tgt = np.where(via_f & (cand >= 0), cand, tgt)
        bad = tgt == reactor
        tgt[bad] = g_sampler.draw(rng, comm[reactor[bad]], 0.0)
        tgt[tgt == reactor] = -1
        return tgt

    # --- social reactions and views -----------------------------------------------------------
    brand_topic = rng.integers(0, len(TOPICS), D + 1)
    for a in ("view", "like", "reply", "comment", "mention", "share", "retweet"):
        cnt = counts[:, A[a]]
        m = np.repeat(np.arange(n), cnt)
        k = len(m)
        t = _sample_times(rng, cdf, join[m], leave[m])
        ch = _pick_channel(rng, a, home[m], k)
        aimed = rng.random(k) < AIMED_P[a]
        outsider = aimed & (rng.random(k) < cfg.outsider_share)
        aimed &= ~outsider
        tg = np.full(k, -1)
        tg[aimed] = pick_target(m[aimed])
        aimed &= tg >= 0
        ck = np.full(k, 2)                      # brand content "b<day>"
        cn = t.astype(int)
        tp = brand_topic[cn]
        cnum, ctop = pick_content(np.maximum(tg[aimed], 0), t[aimed])
        ck[aimed], cn[aimed], tp[aimed] = 0, cnum, ctop
        n_out = outsider.sum()
        tg[outsider] = -2 - (400 * rng.random(n_out) ** 3).astype(int)
        ck[outsider] = 5
        cn[outsider] = rng.integers(0, 10**6, n_out)
        tp[outsider] = rng.integers(0, len(TOPICS), n_out)
        if a == "mention":                      # a mention is a new message by the mentioner
            ck[:] = 1
            cn = rng.integers(0, 10**9, k)
            tp = np.where(rng.random(k) < 0.7, comm[m], tp)
        add(m, A[a], t, ch, tg, ck, cn, tp)

    # --- brand-aimed actions: newsletter, events, purchases ------------------------------------
    ev_days = np.sort(rng.choice(np.arange(2, max(3, D - 1)), max(1, D // 25), replace=False))
    for a in ("newsletter_open", "newsletter_click", "event_attend", "purchase"):
        cnt = counts[:, A[a]]
        m = np.repeat(np.arange(n), cnt)
        k = len(m)
        val = None
        if a == "event_attend":
            lo = np.searchsorted(ev_days, join[m])
            hi = np.searchsorted(ev_days, leave[m])
            ok = hi > lo
            m, lo, hi = m[ok], lo[ok], hi[ok]
            k = len(m)
            e = lo + (rng.random(k) * (hi - lo)).astype(int)
            t = ev_days[e] + 0.7 + 0.1 * rng.random(k)
            ck, cn, tp = 4, e, brand_topic[ev_days[e]]
        else:
            t = _sample_times(rng, cdf, join[m], leave[m])
            if a == "purchase":
                ck, cn = 6, rng.integers(0, 10**8, k)
                tp = np.where(rng.random(k) < 0.6, comm[m], rng.integers(0, len(TOPICS), k))
                val = np.round(np.exp(np.log(55.0) + 0.7 * rng.normal(size=k)), 2)
            else:
                week = (t // 7).astype(int)
                ck, cn, tp = 3, week, brand_topic[np.minimum(week * 7, D)]
        add(m, A[a], t, _pick_channel(rng, a, home[m], k), np.full(k, -1), ck, cn, tp, val)

    # --- follow events (edges made inside the window, member followees only) -----------------
    fw = (since >= 0) & (since >= join[es])
    add(es[fw], A["follow"], since[fw], _pick_channel(rng, "follow", home[es[fw]], fw.sum()),
        ed[fw], -1, np.zeros(fw.sum(), int), comm[ed[fw]])

    # --- paid engagement from click farms -----------------------------------------------------
    buys_e = hollow & np.isin(hmode, [1, 2])
    if n_farm and buys_e.any():
        buyers = np.flatnonzero(buys_e)
        size = np.exp(np.log(220.0) + 0.6 * rng.normal(size=len(buyers))).astype(int) + 20
        tgt = np.repeat(buyers, size)
        k = len(tgt)
        v_order = np.argsort(vendor[farm_idx], kind="stable")
        v_sorted = farm_idx[v_order]
        v_start, v_count = _offsets(vendor[farm_idx], 3)
        vv = vendor[tgt]
        ok = v_count[vv] > 0
        tgt, vv = tgt[ok], vv[ok]
        k = len(tgt)
        actor = v_sorted[v_start[vv] + (rng.random(k) * v_count[vv]).astype(int)]
        b = rng.integers(0, 3, k)
        t = np.minimum(burst_day[tgt, b] + rng.exponential(0.3, k), D - 1e-3)
        acts = np.array([A["like"], A["retweet"], A["share"], A["comment"], A["mention"]])
        a_of = acts[rng.choice(5, size=k, p=[0.45, 0.3, 0.1, 0.1, 0.05])]
        cnum, ctop = pick_content(tgt, t)
        ch = np.empty(k, int)
        for a in np.unique(a_of):
            sel = a_of == a
            ch[sel] = _pick_channel(rng, ALL_ACTIONS[a], home[actor[sel]], sel.sum())
        ck = np.where(a_of == A["mention"], 1, 0)
        cnum = np.where(a_of == A["mention"], rng.integers(0, 10**9, k), cnum)
        add(actor, a_of, t, ch, tgt, ck, cnum, ctop)

    # --- assemble events ----------------------------------------------------------------------
    em = np.concatenate(ev["m"])
    ea = np.concatenate(ev["a"]).astype(int)
    et = np.concatenate(ev["t"])
    ech = np.concatenate(ev["ch"]).astype(int)
    etg = np.concatenate(ev["tg"]).astype(np.int64)
    eck = np.concatenate(ev["ck"]).astype(int)
    ecn = np.concatenate(ev["cn"]).astype(np.int64)
    etp = np.concatenate(ev["tp"]).astype(int)
    eval_ = np.concatenate(ev["val"])
    # Export losses of the target on aimed reactions.
    aimed_act = np.isin(ea, [A[a] for a in AIMED_P])
    lost = aimed_act & (etg != -1) & (rng.random(len(ea)) < cfg.target_missing)
    drop_c = lost & (rng.random(len(ea)) >= cfg.content_kept) & (eck != 1)
    etg[lost] = -1
    eck[drop_c] = -1

    # ids: random-looking, shuffled so order carries no role information
    ids = np.char.add("u", np.char.zfill(rng.choice(10**7, n, replace=False).astype(str), 7))
    ids = ids.astype(object)
    ext = np.array([f"ext_{i:03d}" for i in range(400)], dtype=object)
    tgt_str = np.full(len(etg), None, dtype=object)
    mem = etg >= 0
    tgt_str[mem] = ids[etg[mem]]
    out = etg <= -2
    tgt_str[out] = ext[-2 - etg[out]]
    prefixes = np.array(["c", "m", "b", "nl", "ev", "x", "o"], dtype=object)
    cid = np.full(len(eck), None, dtype=object)
    has_c = eck >= 0
    cid[has_c] = prefixes[eck[has_c]] + ecn[has_c].astype(str).astype(object)
    ts = t0 + pd.to_timedelta(np.round(et * 86400).astype(np.int64), unit="s")
    topic_arr = np.array(["#" + tp for tp in TOPICS], dtype=object)
    events = pd.DataFrame({
        "member_id": ids[em],
        "action": np.array(ALL_ACTIONS, dtype=object)[ea],
        "timestamp": ts,
        "channel": np.array(CHANNELS, dtype=object)[ech],
        "target_id": tgt_str,
        "content_id": cid,
        "topic": topic_arr[etp],
        "value": eval_,
    })
    events = events.sort_values("timestamp", kind="stable").reset_index(drop=True)

    # --- follows table ------------------------------------------------------------------------
    obs = rng.random(m_e) < cfg.follow_obs
    brand_f = np.flatnonzero(rng.random(n) < cfg.brand_follow * (~farm))
    f_since = np.concatenate([since[obs], np.minimum(created[brand_f] + rng.uniform(
        0, 400, len(brand_f)), D - 1)])
    f_since = np.maximum(f_since, -6 * 365.0)
    follows = pd.DataFrame({
        "follower_id": np.concatenate([ids[es[obs]], ids[brand_f]]),
        "followee_id": np.concatenate([ids[ed[obs]],
                                       np.full(len(brand_f), "brand", dtype=object)]),
        "channel": np.array(CHANNELS, dtype=object)[
            np.concatenate([home[ed[obs]], home[brand_f]])],
        "since": t0 + pd.to_timedelta(np.round(f_since * 86400).astype(np.int64), unit="s"),
    })
    ch_ok = np.isin(follows["channel"].to_numpy(), ACTION_CHANNELS["follow"])
    follows.loc[~ch_ok, "channel"] = "instagram"

    # --- members table ------------------------------------------------------------------------
    bought = np.zeros(n)
    bf = hollow & np.isin(hmode, [0, 2])
    bought[bf] = np.exp(np.log(40000.0) + 0.8 * rng.normal(size=bf.sum()))
    followers = np.round(in_deg * (1 + rng.random(n)) + reach + bought)
    following = np.round(np.bincount(es, minlength=n)
                         + np.exp(np.log(150.0) + 1.0 * rng.normal(size=n)))
    following[farm] = rng.integers(1500, 6000, farm.sum())
    followers[farm] = rng.integers(0, 40, farm.sum())
    fol_col = pd.array(followers.astype(np.int64), dtype="Int64")
    fol_col[rng.random(n) < cfg.followers_missing] = pd.NA
    kind = np.full(n, "person", dtype=object)
    kind[(role == INF) & (rng.random(n) < 0.25)] = "media"
    kind[(role == BLOG) & (rng.random(n) < 0.05)] = "media"
    kind[(role == BLOG) & (rng.random(n) < 0.02)] = "brand"
    fn = FIRST[rng.integers(0, len(FIRST), n)]
    ln = LAST[rng.integers(0, len(LAST), n)]
    name = np.char.add(np.char.add(fn, " "), ln).astype(object)
    media = kind != "person"
    name[media] = MEDIA_NAMES[rng.integers(0, len(MEDIA_NAMES), media.sum())]
    handle = np.char.add(np.char.add(np.char.lower(fn), np.char.lower(ln)),
                         rng.integers(1, 999, n).astype(str)).astype(object)
    bio_p = np.array([b[3] for b in BIOS])
    bio_idx = np.empty(n, int)
    for r in range(4):
        sel = role == r
        bio_idx[sel] = rng.choice(len(BIOS), size=sel.sum(), p=bio_p[:, r] / bio_p[:, r].sum())
    bio_idx[farm] = 0
    pre = np.array([b[0] for b in BIOS], dtype=object)[bio_idx]
    suf = np.array([b[2] for b in BIOS], dtype=object)[bio_idx]
    has_t = np.array([b[1] for b in BIOS])[bio_idx]
    tword = np.where(has_t, np.array(TOPICS, dtype=object)[comm], "")
    bio = pre + tword + suf
    members = pd.DataFrame({
        "member_id": ids,
        "name": name,
        "handle": handle,
        "channel": np.array(CHANNELS, dtype=object)[home],
        "followers": fol_col,
        "following": following.astype(np.int64),
        "bio": bio,
        "kind": kind,
        "created_at": t0 + pd.to_timedelta(np.round(created * 86400).astype(np.int64), unit="s"),
    })
    truth = pd.DataFrame({"member_id": ids, "role": np.array(ROLES, dtype=object)[role],
                          "hollow": hollow})
    detail = pd.DataFrame({"member_id": ids, "style": style_name, "farm": farm,
                           "mega": mega, "appeal": appeal, "join": join, "leave": leave})
    perm = rng.permutation(n)
    members = members.iloc[perm].reset_index(drop=True)
    truth = truth.iloc[perm].reset_index(drop=True)
    return {"members": members, "events": events, "follows": follows, "truth": truth,
            "detail": detail}


# ----------------------------------------------------------------------------------------------
# self-check

def _aggregates(data):
    """Simple per-member aggregates (own computation, no clusterkit code)."""
    mem = data["members"].set_index("member_id")
    ev = data["events"]
    fo = data["follows"]
    idx = mem.index
    X = pd.DataFrame(index=idx)
    own = pd.crosstab(ev.member_id, ev.action).reindex(idx, fill_value=0)
    for a in ALL_ACTIONS:
        X[f"n_{a}"] = np.log1p(own.get(a, pd.Series(0, index=idx)))
    create = own.reindex(columns=list(GROUPS["create"]), fill_value=0).sum(axis=1)
    react = own.reindex(columns=list(GROUPS["social"]), fill_value=0).sum(axis=1)
    X["create_share"] = create / (create + react + 1)
    amp = ev[ev.target_id.notna() & ev.action.isin(["retweet", "share", "mention", "reply",
                                                     "comment", "like"])]
    rec = pd.crosstab(amp.target_id, amp.action).reindex(idx, fill_value=0)
    for a in rec.columns:
        X[f"recv_{a}"] = np.log1p(rec[a])
    X["recv_distinct"] = np.log1p(amp.groupby("target_id").member_id.nunique()
                                  .reindex(idx, fill_value=0))
    X["distinct_targets"] = np.log1p(amp.groupby("member_id").target_id.nunique()
                                     .reindex(idx, fill_value=0))
    X["in_deg"] = np.log1p(fo.groupby("followee_id").size().reindex(idx, fill_value=0))
    X["out_deg"] = np.log1p(fo.groupby("follower_id").size().reindex(idx, fill_value=0))
    X["followers"] = np.log1p(mem.followers.astype(float).fillna(-0.5))
    X["following"] = np.log1p(mem.following.astype(float))
    X["channels"] = ev.groupby("member_id").channel.nunique().reindex(idx, fill_value=0)
    days = ev.timestamp.dt.floor("D")
    X["active_days"] = np.log1p(days.groupby(ev.member_id).nunique().reindex(idx, fill_value=0))
    X["age_days"] = (ev.timestamp.min() - mem.created_at).dt.days
    X["has_bio"] = (mem.bio.str.len() > 0).astype(int)
    return X


def _naive(data):
    mem = data["members"].set_index("member_id")
    n = len(mem)
    fol = mem.followers.astype(float).fillna(0)
    vol = data["events"].groupby("member_id").size().reindex(mem.index, fill_value=0)
    pred = pd.Series("follower", index=mem.index, dtype=object)
    top = fol.rank(ascending=False, method="first") <= max(1, round(0.02 * n))
    pred[top] = "influencer"
    rest = vol[~top].rank(ascending=False, method="first")
    pred[rest.index[rest <= 0.08 * n]] = "blogger"
    pred[rest.index[(rest > 0.08 * n) & (rest <= 0.23 * n)]] = "fan"
    return pred


def _main():
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    n = 5000
    print(f"{'setting':16s} {'sec':>5s} {'events':>7s} {'follows':>7s} "
          f"{'inf':>4s} {'blog':>4s} {'fan':>4s} {'fol':>5s} {'hol':>4s} "
          f"{'ceilF1':>6s} {'naiveF1':>7s}  per-role ceiling F1 (inf/blog/fan/fol)")
    for s in SETTINGS:
        t = time.perf_counter()
        data = generate(n, s, seed=0)
        dt = time.perf_counter() - t
        truth = data["truth"].set_index("member_id")
        X = _aggregates(data)
        y = truth.role.reindex(X.index).to_numpy()
        rf = RandomForestClassifier(n_estimators=300, min_samples_leaf=2, n_jobs=-1,
                                    random_state=0, class_weight="balanced_subsample")
        cv = StratifiedKFold(5, shuffle=True, random_state=0)
        pred = cross_val_predict(rf, X.to_numpy(), y, cv=cv)
        ceil = f1_score(y, pred, average="macro")
        per = f1_score(y, pred, average=None, labels=list(ROLES))
        naive = f1_score(y, _naive(data).reindex(X.index).to_numpy(), average="macro")
        rc = truth.role.value_counts()
        print(f"{s:16s} {dt:5.1f} {len(data['events']):7d} {len(data['follows']):7d} "
              f"{rc.get('influencer', 0):4d} {rc.get('blogger', 0):4d} {rc.get('fan', 0):4d} "
              f"{rc.get('follower', 0):5d} {int(truth.hollow.sum()):4d} "
              f"{ceil:6.3f} {naive:7.3f}  " + "/".join(f"{v:.2f}" for v in per))
        assert set(data["events"].member_id) <= set(truth.index)
        assert set(data["follows"].follower_id) <= set(truth.index)


if __name__ == "__main__":
    _main()
