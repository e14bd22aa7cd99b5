"""Blind synthetic worlds for testing behavioural role assignment.

Written only from the input data contract and the role definitions of the design reference
(sections 2 and 3), without looking at how clusterkit assigns roles, so that tests built on it do
not share the implementation's assumptions.  numpy + pandas only; BSD-3-Clause like the project.

World model
-----------
A community gathers around one non-member brand account (a software vendor, a game studio, a local
paper, a retailer, ...).  Every member has one behavioural role, drawn from setting-specific shares:

* influencer -- large platform audience, many community members follow them, and their content is
  reshared, mentioned, replied to and liked by many *distinct* members.  They post, some of them
  rarely; what makes them influencers is what others do with their content.
* blogger -- creates original content regularly (often on a fixed cadence: weekly posts, long blog
  posts, videos), reacts less than they create, and has moderate reach.
* fan -- reacts a lot and repeatedly (likes, comments, shares, newsletter clicks, event attendance,
  purchases) across channels, creates little, is followed by few.
* follower -- follows the brand and some members, mostly views and opens newsletters; about a
  quarter do (almost) nothing inside the window and appear only in the follow graph, a few heavy
  lurkers view a lot.  Role shares: influencers 1-4 %, bloggers 3-12 %, fans 10-25 %.

Each member gets latent traits: a community (topic cluster), a reach (log-normal, role dependent,
heavy tailed and overlapping between roles), a creation rate and an activity rate (log-normal), a
personal action mix (Dirichlet around the role's mix), a primary and secondary social channel, an
active window (some join during the window, some churn), and optionally a growth rate (rising or
fading reach).  From these:

1. follows -- out-degrees are log-normal per role; followees are picked in proportion to
   reach^0.9, partly inside the member's own community; some follows are returned (reciprocity);
   most members follow the brand; edges either predate the window or are new (new ones also appear
   as ``follow`` events).
2. content -- each member's posts / blog posts / videos (``post``, ``blog_post``, ``video``
   events) with a per-item virality; the item weight is reach x virality x growth(t).  The brand
   publishes its own items, newsletter issues (weekly, daily for the news outlet) and events
   (meetups, webinars, tournament days ...).
3. reactions -- like / comment / reply / share / retweet / view pick a content item: brand content
   (``target_id`` missing), an item of someone the reactor follows, an item of the reactor's
   community, or any item, the last two in proportion to item weight.  The reaction happens a
   log-normal delay after the item (or later, inside the reactor's active window, for old content).
   ``view`` carries the content but no target.
   ``retweet`` only exists on the setting's retweet channel; elsewhere it becomes ``share``.
4. mentions pick a member in proportion to reach^gamma (or the brand, or an outsider ``ext:*``).
5. newsletter opens/clicks, event attendance and purchases (with ``value``) are brand directed.
6. hollow accounts (``truth.hollow``; by default 8 % of bloggers, 1 % of fans, 0.4 % of followers)
   bought followers (platform ``followers`` inflated 5-40x; follow edges from a pool of dormant
   follower accounts, all within hours) and/or engagement (bursts of likes/retweets on their posts
   from that pool within hours; ~10 bought actions per dormant account).  By behaviour they are
   bloggers, fans or followers, never influencers; the dormant pool are ordinary followers.
   ``members.followers`` is the platform count: in-community in-degree x 1-1.6 plus an external
   audience (log-normal per role) plus anything bought.
7. mess -- missing platform counts, missing channels, a few exact duplicate events, views by
   heavy lurkers, superfans, churn, late joiners, timestamps following a diurnal/weekly rhythm
   with spikes.

Settings
--------
default        B2B developer-tools community (LinkedIn, X, Slack, blog, YouTube, webinars),
               150 days, two launch bumps.  Balanced, typical.
forum          gaming mod forum over 200 days: replies/comments dominate, shares rare and no
               retweets at all, sparse follow graph, no platform follower counts (column absent).
               Influencers are the people whose threads many distinct members answer.
mentions       local news outlet: influencers (local figures) are amplified through mentions and
               replies, rarely shares; half the engagement goes to the outlet's own articles.
video          game-streaming creators: influencers stream/post videos; bloggers publish rarely
               (about every 1-2 weeks) but long content, and react even less; views dominate.
reciprocal     nonprofit volunteer network: dense follow graph where almost everyone follows back;
               platform counts are small and close to in-community degree, so follower counts
               barely separate roles -- amplification does.
whales         esports fandom: very heavy-tailed activity; a few superfans produce thousands of
               events, many lurkers view a lot; volume is a poor proxy for role.
brand_centric  outdoor retailer: 85 % of engagement is with brand content (target missing),
               purchases and newsletters dominate, member-to-member interaction is sparse.
spiky          conference / tournament season: three large spikes during which everyone (also
               followers) is briefly active around the brand's live coverage.
rising         creator app: half of the influencers and 40 % of the bloggers are rising (their
               output, engagement and new followers grow over the window); a few fading former stars
               (large legacy follower counts, dwindling engagement) are bloggers.
hollow_heavy   crypto marketing community: 6 % of members bought followers and/or engagement,
               more hollow accounts than influencers, large dormant bot-like pool.

Usage: ``generate(n, setting, seed)`` returns members, events, follows and truth DataFrames.
Run this file to print a self-check table (sizes, role counts, time, RandomForest ceiling and a
naive baseline).
"""

from __future__ import annotations

import copy
import time

import numpy as np
import pandas as pd

SETTINGS = (
    "default",
    "forum",
    "mentions",
    "video",
    "reciprocal",
    "whales",
    "brand_centric",
    "spiky",
    "rising",
    "hollow_heavy",
)

ROLES = ("influencer", "blogger", "fan", "follower")
INF, BLOG, FAN, FOL = range(4)

# non-creation actions a member chooses from (their own activity stream)
ACT = (
    "like",
    "comment",
    "reply",
    "share",
    "retweet",
    "view",
    "newsletter_open",
    "newsletter_click",
    "mention",
    "event_attend",
    "purchase",
)
CREATE = ("post", "blog_post", "video")
ACTIONS = (
    "view",
    "newsletter_open",
    "like",
    "follow",
    "newsletter_click",
    "reply",
    "comment",
    "mention",
    "share",
    "retweet",
    "post",
    "blog_post",
    "video",
    "event_attend",
    "purchase",
)
A = {a: i for i, a in enumerate(ACTIONS)}
CONTENT_REACT = ("like", "comment", "reply", "share", "retweet", "view")
NO_TARGET, BRAND_TARGET, OUTSIDER_BASE = -1, -2, -10
DELAY_H = {"like": 2.0, "comment": 5.0, "reply": 5.0, "share": 3.0, "retweet": 2.5, "view": 3.0}

FIRST = np.array(
    "Ada Ben Cleo Dan Eva Finn Gus Hana Ivo Jade Kai Lena Milo Nora Omar Pia Quin Rosa Sami Tara "
    "Uma Vito Wren Xena Yuri Zoe Ali Bea Cai Dov Eli Fay Gio Hal Ina Jon Kim Lou Mei Ned".split(),
    dtype=object,
)
LAST = np.array(
    "Abe Berg Cruz Dahl Egan Faro Gray Holm Ibsen Jung Kato Lind Mora Nagy Ortiz Park Quill Roy "
    "Sato Toth Ueda Vega Wolf Xu Yang Zorn Amari Baker Costa Diaz".split(),
    dtype=object,
)
BIOS = np.array(
    [
        "",
        "Opinions my own.",
        "Writing about what I learn.",
        "Weekly posts, long reads.",
        "Creator. New video every week.",
        "Just here to read.",
        "Dad, runner, coffee.",
        "Speaker, advisor, host of a podcast.",
        "Big fan. Been here since day one.",
        "Volunteer and community member.",
        "Lurker.",
        "Business inquiries in DM.",
    ],
    dtype=object,
)
# weak, noisy role correlation of bios (rows: roles, cols: BIOS)
BIO_P = np.array(
    [
        [3, 2, 1, 1, 2, 0, 1, 4, 0, 1, 0, 4],
        [3, 2, 4, 4, 3, 0, 1, 1, 0, 1, 0, 1],
        [4, 2, 1, 0, 0, 1, 2, 0, 3, 2, 0, 0],
        [6, 2, 0, 0, 0, 2, 2, 0, 1, 1, 1, 0],
    ],
    dtype=float,
)

_BASE: dict = {
    "label": "B2B developer-tools community",
    "days": 150,
    "start": "2024-03-04",
    "shares": {"influencer": 0.025, "blogger": 0.08, "fan": 0.16},
    "n_comm": 8,
    "social": {"linkedin": 0.45, "x": 0.4, "slack": 0.15},
    "retweet_channel": "x",
    "video_channels": (),
    "ch": {
        "blog": "blog",
        "video": "youtube",
        "newsletter": "newsletter",
        "events": "webinar",
        "shop": "store",
    },
    "topics": "devops observability kubernetes security pricing api release tutorial ai".split(),
    "brand": "brand:acmecloud",
    # per role: (median per week, log-sigma)
    "create_rate": {
        "influencer": (2.0, 0.9),
        "blogger": (2.5, 0.55),
        "fan": (0.07, 1.0),
        "follower": (0.008, 1.0),
    },
    "create_mix": {
        "influencer": {"post": 0.75, "blog_post": 0.1, "video": 0.15},
        "blogger": {"post": 0.45, "blog_post": 0.4, "video": 0.15},
        "fan": {"post": 0.9, "blog_post": 0.05, "video": 0.05},
        "follower": {"post": 1.0},
    },
    "regular_frac": 0.75,  # share of bloggers that post on a cadence
    "act_rate": {
        "influencer": (4.0, 0.8),
        "blogger": (1.6, 0.8),
        "fan": (8.0, 0.85),
        "follower": (0.7, 1.0),
    },
    # order = ACT
    "act_mix": {
        "influencer": [3, 2, 4, 2, 2, 2, 0.3, 0.1, 2.5, 0.2, 0.05],
        "blogger": [3, 2, 2.5, 1.5, 1, 3, 0.5, 0.2, 1, 0.2, 0.1],
        "fan": [6, 3, 1.5, 2.5, 1.5, 4, 1.5, 1.2, 0.8, 0.4, 0.4],
        "follower": [1.2, 0.2, 0.1, 0.1, 0.1, 8, 2.5, 0.3, 0.05, 0.05, 0.1],
    },
    "mix_mult": {},  # action -> multiplier applied to every role's mix
    "conc": 12.0,  # Dirichlet concentration of personal action mixes
    "reach": {
        "influencer": (22.0, 0.85),
        "blogger": (3.0, 0.9),
        "fan": (0.5, 0.8),
        "follower": (0.15, 0.8),
    },
    "out_deg": {
        "influencer": (40, 0.8),
        "blogger": (30, 0.8),
        "fan": (25, 0.9),
        "follower": (6, 1.0),
    },
    "out_mult": 1.0,
    "ext": {
        "influencer": (25000, 1.1),
        "blogger": (1800, 1.0),
        "fan": (250, 1.0),
        "follower": (90, 1.1),
    },
    "ext_scale": 1.0,
    "recip": 0.15,
    "recip_role": (0.3, 0.8, 1.0, 1.0),
    "p_follow_brand": 0.7,
    "p_edge_new": 0.2,
    "p_local_follow": 0.5,
    "p_brand": 0.35,
    "p_followee": 0.4,
    "p_local": 0.35,
    "mention_exp": 1.0,
    "p_mention_brand": 0.25,
    "p_outsider": 0.03,
    "hollow": (0.0, 0.08, 0.01, 0.004),  # share of each role that bought followers/engagement
    "p_buy_eng": 0.45,
    "bought_like": 0.6,  # share of bought engagement that is likes (rest retweets / shares)
    "bot_frac": 0.12,
    "superfan": (0.02, 8.0),
    "lurker": (0.04, 12.0),
    "silent": 0.25,  # followers with almost no activity (visible only through the follow graph)
    "rising": {"influencer": 0.1, "blogger": 0.08},
    "rising_k": (1.0, 2.5),
    "fading": 0.0,
    "p_edge_new_rising": 0.6,
    "spikes": [(40, 0.8, 2.5), (110, 1.0, 3.0)],
    "spike_extra": None,
    "weekend": 0.45,
    "peak_hour": 14.0,
    "join_frac": 0.12,
    "churn_frac": 0.08,
    "brand_posts_per_day": 1.2,
    "newsletter_every": 7,
    "events_every": 14,
    "value": (900.0, 1.1),
    "followers_reported": True,
    "followers_missing": 0.04,
    "media_frac": 0.05,
    "p_missing_channel": 0.015,
    "p_duplicate": 0.003,
}


def _set(cfg: dict, **kw) -> dict:
    for k, v in kw.items():
        if isinstance(v, dict) and isinstance(cfg.get(k), dict) and k not in ("social", "ch"):
            cfg[k] = {**cfg[k], **v}
        else:
            cfg[k] = v
    return cfg


def _config(setting: str) -> dict:
    if setting not in SETTINGS:
        raise ValueError(f"unknown setting {setting!r}; choose from {SETTINGS}")
    c = copy.deepcopy(_BASE)
    if setting == "forum":
        _set(
            c,
            label="gaming mod forum",
            days=200,
            start="2023-10-02",
            shares={"influencer": 0.015, "blogger": 0.12, "fan": 0.22},
            n_comm=12,
            social={"forum": 0.8, "discord": 0.2},
            retweet_channel=None,
            ch={
                "blog": "wiki",
                "video": "youtube",
                "newsletter": "digest",
                "events": "game_night",
                "shop": "store",
            },
            topics="mods maps patches lore speedrun modding-help bugs showcase".split(),
            brand="brand:forgeworks",
            mix_mult={
                "share": 0.08,
                "retweet": 0.0,
                "reply": 2.5,
                "comment": 2.0,
                "like": 0.7,
                "view": 1.3,
                "mention": 1.3,
                "newsletter_open": 0.3,
                "newsletter_click": 0.3,
                "purchase": 0.5,
            },
            create_mix={
                "influencer": {"post": 0.95, "video": 0.05},
                "blogger": {"post": 0.8, "blog_post": 0.2},
                "fan": {"post": 1.0},
                "follower": {"post": 1.0},
            },
            out_mult=0.3,
            followers_reported=False,
            p_brand=0.1,
            p_followee=0.2,
            p_local=0.5,
            p_mention_brand=0.1,
            bought_like=0.9,
            weekend=1.3,
            peak_hour=20.0,
            spikes=[(60, 1.5, 1.5)],
            value=(15.0, 0.7),
        )
    elif setting == "mentions":
        _set(
            c,
            label="local news outlet",
            days=120,
            start="2024-01-08",
            shares={"influencer": 0.03, "blogger": 0.06, "fan": 0.14},
            social={"x": 0.5, "facebook": 0.5},
            ch={
                "blog": "site",
                "video": "youtube",
                "newsletter": "morning_brief",
                "events": "town_hall",
                "shop": "subscriptions",
            },
            topics="council schools traffic sports weather crime housing business".split(),
            brand="brand:riverside_gazette",
            mix_mult={
                "share": 0.15,
                "retweet": 0.15,
                "mention": 3.0,
                "reply": 2.0,
                "newsletter_open": 1.5,
            },
            mention_exp=1.4,
            p_mention_brand=0.35,
            p_brand=0.5,
            media_frac=0.3,
            brand_posts_per_day=6.0,
            newsletter_every=1,
            value=(9.0, 0.4),
            spikes=[(70, 1.0, 2.0)],
        )
    elif setting == "video":
        _set(
            c,
            label="game-streaming creators",
            days=180,
            start="2023-09-04",
            shares={"influencer": 0.02, "blogger": 0.05, "fan": 0.2},
            social={"youtube": 0.45, "twitch": 0.3, "discord": 0.25},
            video_channels=("youtube", "twitch"),
            retweet_channel=None,
            ch={
                "blog": "blog",
                "video": "youtube",
                "newsletter": "newsletter",
                "events": "tournament",
                "shop": "merch",
            },
            topics="fps rpg indie speedrun esports hardware retro mobile".split(),
            brand="brand:pixelforge",
            create_rate={"influencer": (1.5, 0.8), "blogger": (0.6, 0.5)},
            act_rate={"blogger": (0.35, 0.8)},
            reach={"blogger": (4.0, 0.9)},  # long-form work travels further per item
            create_mix={
                "influencer": {"video": 0.8, "post": 0.2},
                "blogger": {"blog_post": 0.55, "video": 0.35, "post": 0.1},
            },
            mix_mult={"view": 2.0, "like": 1.3, "comment": 1.5, "share": 0.4},
            weekend=1.4,
            peak_hour=19.0,
            value=(30.0, 0.6),
        )
    elif setting == "reciprocal":
        _set(
            c,
            label="nonprofit volunteer network",
            days=100,
            start="2024-04-01",
            shares={"influencer": 0.04, "blogger": 0.1, "fan": 0.2},
            n_comm=6,
            social={"facebook": 0.6, "instagram": 0.4},
            retweet_channel=None,
            ch={
                "blog": "blog",
                "video": "youtube",
                "newsletter": "newsletter",
                "events": "volunteer_day",
                "shop": "donations",
            },
            topics="cleanup foodbank tutoring fundraising shelter climate".split(),
            brand="brand:greenhands",
            recip=0.9,
            recip_role=(1.0, 1.0, 1.0, 1.0),
            out_mult=2.5,
            ext_scale=0.05,
            p_followee=0.6,
            value=(40.0, 0.9),
            spikes=[],
        )
    elif setting == "whales":
        _set(
            c,
            label="esports fandom",
            days=120,
            start="2024-02-05",
            shares={"influencer": 0.015, "blogger": 0.04, "fan": 0.10},
            social={"x": 0.5, "reddit": 0.3, "discord": 0.2},
            ch={
                "blog": "blog",
                "video": "twitch",
                "newsletter": "newsletter",
                "events": "watch_party",
                "shop": "merch",
            },
            topics="finals transfers drafts highlights memes tickets".split(),
            brand="brand:nova_esports",
            act_rate={"fan": (6.0, 1.5)},
            superfan=(0.04, 25.0),
            lurker=(0.1, 20.0),
            weekend=1.2,
            peak_hour=19.0,
            value=(35.0, 0.7),
        )
    elif setting == "brand_centric":
        _set(
            c,
            label="outdoor retailer",
            days=180,
            start="2023-08-07",
            shares={"influencer": 0.01, "blogger": 0.03, "fan": 0.25},
            social={"instagram": 0.7, "facebook": 0.3},
            retweet_channel=None,
            ch={
                "blog": "journal",
                "video": "youtube",
                "newsletter": "newsletter",
                "events": "store_event",
                "shop": "shop",
            },
            topics="hiking camping climbing trailrunning sale gear-care".split(),
            brand="brand:summitgear",
            p_brand=0.85,
            p_mention_brand=0.7,
            mix_mult={
                "purchase": 4.0,
                "newsletter_open": 2.0,
                "newsletter_click": 2.5,
                "event_attend": 1.5,
                "mention": 0.5,
                "reply": 0.6,
            },
            out_mult=0.4,
            p_follow_brand=0.95,
            brand_posts_per_day=2.5,
            value=(70.0, 0.8),
            spikes=[(110, 2.0, 2.0), (150, 1.5, 1.5)],
        )
    elif setting == "spiky":
        _set(
            c,
            label="conference / tournament season",
            days=90,
            start="2024-05-06",
            shares={"influencer": 0.03, "blogger": 0.07, "fan": 0.12},
            social={"x": 0.6, "linkedin": 0.4},
            ch={
                "blog": "blog",
                "video": "youtube",
                "newsletter": "newsletter",
                "events": "venue",
                "shop": "tickets",
            },
            topics="keynote workshops speakers tickets livestream afterparty".split(),
            brand="brand:summitconf",
            spikes=[(20, 0.6, 18.0), (52, 0.8, 25.0), (80, 0.5, 14.0)],
            spike_extra={"influencer": 4.0, "blogger": 4.0, "fan": 8.0, "follower": 3.0},
            mix_mult={"event_attend": 3.0},
            events_every=30,
            value=(250.0, 0.8),
        )
    elif setting == "rising":
        _set(
            c,
            label="indie music creator app",
            days=150,
            start="2024-06-03",
            shares={"influencer": 0.03, "blogger": 0.12, "fan": 0.15},
            social={"tiktok": 0.5, "instagram": 0.3, "x": 0.2},
            video_channels=("tiktok",),
            ch={
                "blog": "blog",
                "video": "youtube",
                "newsletter": "newsletter",
                "events": "gig",
                "shop": "store",
            },
            topics="beats vocals mixing gear covers collabs gigs".split(),
            brand="brand:loopstack",
            create_mix={
                "influencer": {"video": 0.6, "post": 0.4},
                "blogger": {"video": 0.4, "post": 0.4, "blog_post": 0.2},
            },
            rising={"influencer": 0.5, "blogger": 0.4},
            rising_k=(1.5, 3.5),
            fading=0.08,
            p_edge_new_rising=0.75,
            value=(12.0, 0.8),
            spikes=[],
        )
    elif setting == "hollow_heavy":
        _set(
            c,
            label="crypto marketing community",
            days=120,
            start="2024-02-12",
            shares={"influencer": 0.02, "blogger": 0.1, "fan": 0.15},
            social={"x": 0.7, "telegram": 0.3},
            ch={
                "blog": "medium",
                "video": "youtube",
                "newsletter": "newsletter",
                "events": "ama",
                "shop": "launchpad",
            },
            topics="defi nft airdrop l2 trading security memecoins".split(),
            brand="brand:chainlift",
            hollow=(0.0, 0.35, 0.06, 0.02),
            p_buy_eng=0.7,
            bot_frac=0.25,
            value=(300.0, 1.3),
            weekend=1.0,
        )
    return c


# ----------------------------------------------------------------------------------------- helpers


def _lognormal(rng, med, sigma, size):
    return np.exp(np.log(med) + sigma * rng.standard_normal(size))


def _role_param(cfg, key, role, rng):
    """Log-normal draw per member with role-specific (median, sigma)."""
    out = np.empty(role.size)
    for r, name in enumerate(ROLES):
        sel = role == r
        med, sig = cfg[key][name]
        out[sel] = _lognormal(rng, med, sig, sel.sum())
    return out


def _pick(rng, weights, size):
    if size == 0 or weights.size == 0:
        return np.zeros(size, dtype=np.int64)
    cw = np.cumsum(weights)
    k = np.searchsorted(cw, rng.random(size) * cw[-1], side="right")
    return np.minimum(k, weights.size - 1)


def _pick_grouped(rng, pool_group, pool_w, ev_group, n_groups):
    """For each event pick a pool index of the same group, in proportion to weight (-1: none)."""
    out = np.full(ev_group.size, -1, dtype=np.int64)
    if ev_group.size == 0 or pool_group.size == 0:
        return out
    order = np.argsort(pool_group, kind="stable")
    bounds = np.searchsorted(pool_group[order], np.arange(n_groups + 1))
    for g in range(n_groups):
        sel = np.flatnonzero(ev_group == g)
        lo, hi = bounds[g], bounds[g + 1]
        if sel.size == 0 or hi == lo:
            continue
        idx = order[lo:hi]
        out[sel] = idx[_pick(rng, pool_w[idx], sel.size)]
    return out


def _skew(f, k):
    """Map uniform f in [0,1] to a density proportional to exp(k x) on [0,1]."""
    k = np.broadcast_to(k, f.shape)
    small = np.abs(k) < 1e-6
    ks = np.where(small, 1.0, k)
    x = np.log1p(f * np.expm1(ks)) / ks
    return np.where(small, f, x)


def _growth(x, k):
    """Growth multiplier with mean 1 over [0,1]: k e^{kx} / (e^k - 1)."""
    small = np.abs(k) < 1e-6
    ks = np.where(small, 1.0, k)
    g = ks * np.exp(ks * x) / np.expm1(ks)
    return np.where(small, 1.0, g)


def _csr(keys, n):
    order = np.argsort(keys, kind="stable")
    start = np.searchsorted(keys[order], np.arange(n))
    cnt = np.bincount(keys, minlength=n)
    return order, start, cnt


def _ids(prefix, k):
    return np.char.add(prefix, np.arange(k).astype(str)).astype(object)


class _Clock:
    """Global activity intensity on an hourly grid (diurnal, weekly, spikes)."""

    def __init__(self, cfg, start):
        self.H = H = int(cfg["days"]) * 24
        h = np.arange(H) + 0.5
        hod = h % 24
        dow = (h // 24 + start.day_of_week) % 7
        diurnal = 0.2 + np.exp(-0.5 * ((hod - cfg["peak_hour"]) / 4.5) ** 2)
        weekly = np.where(dow >= 5, cfg["weekend"], 1.0)
        spikes = np.ones(H)
        for day, width, height in cfg["spikes"]:
            spikes += height * np.exp(-0.5 * ((h / 24 - day) / width) ** 2)
        lam = diurnal * weekly * spikes
        self.C = np.concatenate([[0.0], np.cumsum(lam)])
        self.C /= self.C[-1]
        self.grid = np.arange(H + 1, dtype=float)
        dc = np.cumsum(diurnal[:24])
        self.hour_cdf = dc / dc[-1]

    def sample(self, a, b, f):
        """Hours in [a*H, b*H] following the global intensity; f uniform in [0,1]."""
        ca = np.interp(a * self.H, self.grid, self.C)
        cb = np.interp(b * self.H, self.grid, self.C)
        return np.interp(ca + f * (cb - ca), self.C, self.grid)

    def hour_of_day(self, rng, size):
        return np.searchsorted(self.hour_cdf, rng.random(size)) + rng.random(size)


class _Events:
    def __init__(self):
        self.parts: list[dict] = []

    def add(self, m, action, t, channel, target, content, topic, value=None):
        k = m.size
        if k == 0:
            return
        self.parts.append(
            {
                "m": m.astype(np.int64),
                "a": np.broadcast_to(np.asarray(action, dtype=np.int64), (k,)).copy(),
                "t": t.astype(float),
                "c": np.broadcast_to(np.asarray(channel, dtype=np.int64), (k,)).copy(),
                "target": np.broadcast_to(np.asarray(target, dtype=np.int64), (k,)).copy(),
                "content": np.broadcast_to(np.asarray(content, dtype=object), (k,)).copy(),
                "topic": np.broadcast_to(np.asarray(topic, dtype=np.int64), (k,)).copy(),
                "value": (np.full(k, np.nan) if value is None else value.astype(float)),
            }
        )

    def cat(self):
        keys = ("m", "a", "t", "c", "target", "content", "topic", "value")
        return {k: np.concatenate([p[k] for p in self.parts]) for k in keys}


# --------------------------------------------------------------------------------------- generate


def generate(n: int, setting: str = "default", seed: int = 0) -> dict[str, pd.DataFrame]:
    """Generate one synthetic world; see the module docstring for the model and the settings."""
    cfg = _config(setting)
    n = int(n)
    if n < 1:
        raise ValueError("n must be positive")
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), SETTINGS.index(setting), n]))
    start = pd.Timestamp(cfg["start"], tz="UTC")
    clock = _Clock(cfg, start)
    H = clock.H
    weeks_total = cfg["days"] / 7.0
    brand = cfg["brand"]

    # channels
    social = list(cfg["social"])
    chan_names = social + [v for v in cfg["ch"].values() if v not in social]
    chan_names = list(dict.fromkeys(chan_names + list(cfg["video_channels"])))
    CH = {c: i for i, c in enumerate(chan_names)}
    soc_idx = np.array([CH[c] for c in social])
    soc_p = np.array([cfg["social"][c] for c in social], dtype=float)
    soc_p /= soc_p.sum()
    rt_ch = CH.get(cfg["retweet_channel"], -99) if cfg["retweet_channel"] else -99
    video_ch_set = np.array([CH[c] for c in cfg["video_channels"]] or [-99])
    topics = np.array(cfg["topics"], dtype=object)
    n_top = topics.size

    # ---------------------------------------------------------------- roles and latent traits
    shares = np.array([cfg["shares"][r] for r in ROLES[:3]], dtype=float)
    shares *= np.exp(0.1 * rng.standard_normal(3))
    counts = np.floor(shares * n).astype(int)
    if n >= 20:
        counts = np.maximum(counts, 1)
    counts = np.append(counts, n - counts.sum())
    role = rng.permutation(np.repeat(np.arange(4), counts))

    K = int(cfg["n_comm"])
    comm_p = 1.0 / (np.arange(K) + 1.0) ** 0.8
    comm = rng.choice(K, size=n, p=comm_p / comm_p.sum())
    comm_topic = rng.permutation(np.resize(np.arange(n_top), K))

    primary = soc_idx[rng.choice(soc_idx.size, size=n, p=soc_p)]
    secondary = soc_idx[rng.choice(soc_idx.size, size=n, p=soc_p)]

    joined = rng.random(n) < cfg["join_frac"] * np.where(role == INF, 0.3, 1.0)
    a_win = np.where(joined, rng.uniform(0.0, 0.8, n), 0.0)
    churn = rng.random(n) < cfg["churn_frac"] * np.where(role == INF, 0.25, 1.0)
    b_win = np.where(churn, a_win + (1 - a_win) * rng.uniform(0.3, 0.9, n), 1.0)
    weeks = (b_win - a_win) * weeks_total
    pre_days = 10 + rng.exponential(700, n)
    created_h = np.where(joined, a_win * H, -pre_days * 24)

    reach = _role_param(cfg, "reach", role, rng)
    create_rate = _role_param(cfg, "create_rate", role, rng)
    act_rate = _role_param(cfg, "act_rate", role, rng)

    # growth (rising / fading)
    k_grow = np.zeros(n)
    for r, name in enumerate(ROLES):
        frac = cfg["rising"].get(name, 0.0)
        sel = (role == r) & (rng.random(n) < frac)
        k_grow[sel] = rng.uniform(*cfg["rising_k"], sel.sum())
    fading = (role == BLOG) & (k_grow == 0) & (rng.random(n) < cfg["fading"])
    k_grow[fading] = -rng.uniform(1.5, 3.0, fading.sum())

    # superfans and lurkers
    superfan = (role == FAN) & (rng.random(n) < cfg["superfan"][0])
    act_rate[superfan] *= cfg["superfan"][1] * rng.uniform(0.5, 1.5, superfan.sum())
    silent = (role == FOL) & (rng.random(n) < cfg["silent"])
    act_rate[silent] *= 0.03
    lurker = (role == FOL) & ~silent & (rng.random(n) < cfg["lurker"][0])
    act_rate[lurker] *= cfg["lurker"][1] * rng.uniform(0.5, 1.5, lurker.sum())

    # hollow accounts and the dormant pool used by follower / engagement sellers
    hollow = np.zeros(n, dtype=bool)
    for r in range(4):
        pool = np.flatnonzero(role == r)
        k = int(round(cfg["hollow"][r] * pool.size))
        if k:
            hollow[rng.choice(pool, size=k, replace=False)] = True
    buy_eng = hollow & (rng.random(n) < cfg["p_buy_eng"])
    buy_fol = hollow & (~buy_eng | (rng.random(n) < 0.6))
    create_rate[buy_eng] = np.maximum(create_rate[buy_eng], 0.3)
    bot = (role == FOL) & ~hollow & (rng.random(n) < cfg["bot_frac"])
    act_rate[bot] *= 0.3
    bots = np.flatnonzero(bot)

    # personal action mixes
    mix = np.array([cfg["act_mix"][r] for r in ROLES], dtype=float)
    for a_name, mult in cfg["mix_mult"].items():
        mix[:, ACT.index(a_name)] *= mult
    mix /= mix.sum(1, keepdims=True)
    P = rng.gamma(cfg["conc"] * mix[role] + 1e-9)
    P[lurker, ACT.index("view")] *= 3.0
    P /= P.sum(1, keepdims=True)
    cmix = np.array([[cfg["create_mix"][r].get(a, 0.0) for a in CREATE] for r in ROLES])
    cmix /= cmix.sum(1, keepdims=True)
    PC = rng.gamma(6.0 * cmix[role] + 1e-9)
    PC /= PC.sum(1, keepdims=True)

    # ------------------------------------------------------------------------------ follows
    out_deg = _role_param(cfg, "out_deg", role, rng) * cfg["out_mult"]
    out_deg = np.minimum(np.round(out_deg).astype(np.int64), max(n - 1, 0))
    src = np.repeat(np.arange(n), out_deg)
    w_follow = reach**0.9
    local = rng.random(src.size) < cfg["p_local_follow"]
    dst = _pick(rng, w_follow, src.size)
    loc_pick = _pick_grouped(rng, comm, w_follow, comm[src[local]], K)
    dst[local] = np.where(loc_pick >= 0, loc_pick, dst[local])
    keep = src != dst
    src, dst = src[keep], dst[keep]
    # reciprocity (followee follows back)
    back = rng.random(src.size) < cfg["recip"] * np.asarray(cfg["recip_role"])[role[dst]]
    src, dst = np.concatenate([src, dst[back]]), np.concatenate([dst, src[back]])
    kind_edge = np.zeros(src.size, dtype=np.int8)  # 0 organic, 1 bought
    # bought followers from the dormant pool
    buy_time = np.where(rng.random(n) < 0.4, -1.0, rng.uniform(0.1, 0.9, n))
    fol_buyers = np.flatnonzero(buy_fol)
    if fol_buyers.size and bots.size:
        m_b = np.maximum(1, (bots.size * rng.uniform(0.3, 0.9, fol_buyers.size)).astype(int))
        bsrc = bots[rng.integers(0, bots.size, m_b.sum())]
        bdst = np.repeat(fol_buyers, m_b)
        src = np.concatenate([src, bsrc])
        dst = np.concatenate([dst, bdst])
        kind_edge = np.concatenate([kind_edge, np.ones(bsrc.size, dtype=np.int8)])
    key = src.astype(np.int64) * n + dst
    _, first = np.unique(key, return_index=True)
    first.sort()
    src, dst, kind_edge = src[first], dst[first], kind_edge[first]
    member_out = np.bincount(src, minlength=n)
    indeg = np.bincount(dst, minlength=n)

    # since
    e_lo = np.maximum(a_win[src], a_win[dst])
    p_new = np.where(k_grow[dst] > 0, cfg["p_edge_new_rising"], cfg["p_edge_new"])
    new = (rng.random(src.size) < p_new) | (e_lo > 0)
    x_new = e_lo + np.maximum(b_win[src] - e_lo, 0) * _skew(rng.random(src.size), k_grow[dst])
    pre_lo = np.maximum(created_h[src], created_h[dst])
    since_h = np.where(new, x_new * H, pre_lo + rng.random(src.size) * (0 - pre_lo))
    bought = kind_edge == 1
    bt = buy_time[dst[bought]]
    since_h[bought] = np.where(
        bt < 0,
        -rng.uniform(1, 60, bought.sum()) * 24,
        bt * H + rng.exponential(10.0, bought.sum()),
    )
    since_h = np.minimum(since_h, H - 1e-3)
    # brand follows
    fb = (rng.random(n) < cfg["p_follow_brand"]) | (member_out == 0)
    fb_m = np.flatnonzero(fb)
    fb_new = (rng.random(fb_m.size) < cfg["p_edge_new"]) | joined[fb_m]
    fb_since = np.where(
        fb_new,
        clock.sample(a_win[fb_m], b_win[fb_m], rng.random(fb_m.size) * 0.3),
        created_h[fb_m] + rng.random(fb_m.size) * (0 - created_h[fb_m]),
    )

    # --------------------------------------------------------------------- member content
    n_create = np.where(
        (role == BLOG) & (rng.random(n) < cfg["regular_frac"]),
        -1,
        rng.poisson(create_rate * weeks),
    )
    regular = n_create < 0
    n_create = np.where(regular, np.round(create_rate * weeks).astype(np.int64), n_create)
    n_create[buy_eng] = np.maximum(n_create[buy_eng], 3)
    n_create = n_create.astype(np.int64)
    it_m = np.repeat(np.arange(n), n_create)
    n_it = it_m.size
    j = np.arange(n_it) - np.repeat(np.cumsum(n_create) - n_create, n_create)
    nc = n_create[it_m]
    f_reg = np.clip((j + 0.5 + 0.2 * rng.standard_normal(n_it)) / np.maximum(nc, 1), 0, 1)
    f = np.where(regular[it_m], f_reg, rng.random(n_it))
    f = _skew(f, k_grow[it_m])
    t_lin = (a_win[it_m] + (b_win[it_m] - a_win[it_m]) * f) * H
    t_reg = np.floor(t_lin / 24) * 24 + clock.hour_of_day(rng, n_it)
    t_irr = clock.sample(a_win[it_m], b_win[it_m], f)
    it_t = np.clip(np.where(regular[it_m], t_reg, t_irr), 0, H - 1e-3)
    cum_c = np.cumsum(PC[it_m], axis=1)
    it_kind = np.minimum((rng.random(n_it)[:, None] > cum_c).sum(1), 2)
    post_ch = np.where(rng.random(n_it) < 0.75, primary[it_m], secondary[it_m])
    vid_ch = np.where(np.isin(primary[it_m], video_ch_set), primary[it_m], CH[cfg["ch"]["video"]])
    it_ch = np.select([it_kind == 0, it_kind == 1], [post_ch, CH[cfg["ch"]["blog"]]], vid_ch)
    it_topic = np.where(
        rng.random(n_it) < 0.75, comm_topic[comm[it_m]], rng.integers(0, n_top, n_it)
    )
    it_w = (
        reach[it_m]
        * _lognormal(rng, 1.0, 1.0, n_it)
        * np.where(it_kind > 0, 1.5, 1.0)
        * _growth(it_t / H, k_grow[it_m])
    )
    # brand items
    n_bi = max(1, rng.poisson(cfg["brand_posts_per_day"] * cfg["days"]))
    bi_t = clock.sample(np.zeros(n_bi), np.ones(n_bi), rng.random(n_bi))
    bi_ch = soc_idx[rng.choice(soc_idx.size, size=n_bi, p=soc_p)]
    r = rng.random(n_bi)
    bi_ch = np.where(
        r < 0.1, CH[cfg["ch"]["blog"]], np.where(r < 0.18, CH[cfg["ch"]["video"]], bi_ch)
    )
    bi_topic = rng.integers(0, n_top, n_bi)
    bi_w = _lognormal(rng, 1.0, 0.8, n_bi)

    item_id = np.concatenate([_ids("c", n_it), _ids("b", n_bi)])
    item_m = np.concatenate([it_m, np.full(n_bi, -1)])
    item_t = np.concatenate([it_t, bi_t])
    item_ch = np.concatenate([it_ch, bi_ch])
    item_topic = np.concatenate([it_topic, bi_topic])

    ev = _Events()
    none_obj = np.array(None, dtype=object)
    ev.add(
        it_m,
        np.array([A[c] for c in CREATE])[it_kind],
        it_t,
        it_ch,
        NO_TARGET,
        item_id[:n_it],
        it_topic,
    )

    # CSRs used by the pickers
    mm = kind_edge == 0
    f_order, f_start, f_cnt = _csr(src[mm], n)
    f_dst = dst[mm][f_order]
    i_order, i_start, i_cnt = _csr(it_m, n)

    def pick_items(reactor):
        """Item index (member items 0..n_it-1, brand items n_it..) for each reaction."""
        k = reactor.size
        out = np.full(k, -1, dtype=np.int64)
        u = rng.random(k)
        pb, pf, pl = cfg["p_brand"], cfg["p_followee"], cfg["p_local"]
        is_b = u < pb
        is_f = ~is_b & (u < pb + (1 - pb) * pf)
        is_l = ~is_b & ~is_f & (u < pb + (1 - pb) * (pf + pl))
        # followee's items (best of two random ones)
        sel = np.flatnonzero(is_f)
        rr = reactor[sel]
        deg = f_cnt[rr]
        ok = deg > 0
        fe = np.full(sel.size, -1, dtype=np.int64)
        fe[ok] = f_dst[f_start[rr[ok]] + (rng.random(ok.sum()) * deg[ok]).astype(np.int64)]
        cnt = np.where(fe >= 0, i_cnt[np.maximum(fe, 0)], 0)
        ok = cnt > 0
        base = i_start[fe[ok]]
        c1 = i_order[base + (rng.random(ok.sum()) * cnt[ok]).astype(np.int64)]
        c2 = i_order[base + (rng.random(ok.sum()) * cnt[ok]).astype(np.int64)]
        got = np.full(sel.size, -1, dtype=np.int64)
        got[ok] = np.where(it_w[c1] >= it_w[c2], c1, c2)
        out[sel] = got
        is_l |= is_f & (out < 0)
        # community
        sel = np.flatnonzero(is_l)
        if n_it:
            out[sel] = _pick_grouped(rng, comm[it_m], it_w, comm[reactor[sel]], K)
        # global
        sel = np.flatnonzero((out < 0) & ~is_b)
        if n_it:
            out[sel] = _pick(rng, it_w, sel.size)
        # brand (also for self-reactions and empty pools)
        own = (out >= 0) & (item_m[np.maximum(out, 0)] == reactor)
        sel = np.flatnonzero(is_b | own | (out < 0))
        out[sel] = n_it + _pick(rng, bi_w, sel.size)
        return out

    # ---------------------------------------------------------------- own activity stream
    n_act = rng.poisson(act_rate * weeks)
    counts = rng.multinomial(n_act, P)  # members x ACT; order inside a member is irrelevant
    ac_m = np.repeat(np.repeat(np.arange(n), len(ACT)), counts.ravel())
    ac = np.repeat(np.tile(np.arange(len(ACT)), n), counts.ravel())

    # content reactions
    react_codes = [ACT.index(a) for a in CONTENT_REACT]
    sel = np.flatnonzero(np.isin(ac, react_codes))
    rm = ac_m[sel]
    rname = np.array(ACT, dtype=object)[ac[sel]]
    items = pick_items(rm)
    delay = np.zeros(sel.size)
    for a_name, med in DELAY_H.items():
        s = rname == a_name
        delay[s] = _lognormal(rng, med, 1.3, s.sum())
    t = item_t[items] + delay
    lo_h, hi_h = a_win[rm] * H, b_win[rm] * H
    outside = (t < lo_h) | (t > hi_h) | (t >= H)
    lo2 = np.maximum(lo_h, item_t[items] + 0.1)
    feasible = lo2 < hi_h
    t_alt = clock.sample(lo2 / H, np.maximum(hi_h, lo2) / H, rng.random(sel.size))
    t = np.where(outside, t_alt, t)
    keep = ~outside | feasible
    rm, rname, items, t = rm[keep], rname[keep], items[keep], t[keep]
    ich = item_ch[items]
    is_rt = rname == "retweet"
    rname = np.where(is_rt & (ich != rt_ch), "share", rname)
    act_codes = np.array([A[x] for x in rname], dtype=np.int64) if rname.size else rname
    creator = item_m[items]
    has_t = (creator >= 0) & (rname != "view")  # views carry the content, not a target
    ev.add(
        rm,
        act_codes,
        t,
        ich,
        np.where(has_t, creator, NO_TARGET),
        item_id[items],
        item_topic[items],
    )

    # mentions
    sel = np.flatnonzero(ac == ACT.index("mention"))
    mm_ = ac_m[sel]
    t = clock.sample(a_win[mm_], b_win[mm_], rng.random(sel.size))
    wm = reach ** cfg["mention_exp"]
    u = rng.random(sel.size)
    tgt = _pick(rng, wm, sel.size)
    loc = u < 0.4
    lp = _pick_grouped(rng, comm, wm, comm[mm_[loc]], K)
    tgt[loc] = np.where(lp >= 0, lp, tgt[loc])
    # growth: accept in proportion to the target's current level, else re-draw
    g = _growth(t / H, k_grow[tgt])
    redo = rng.random(sel.size) * np.maximum(g.max(initial=1.0), 1.0) > g
    tgt[redo] = _pick(rng, wm, redo.sum())
    tgt = np.where(tgt == mm_, _pick(rng, wm, sel.size), tgt)
    target = tgt.copy()
    ub = rng.random(sel.size)
    target[ub < cfg["p_mention_brand"]] = BRAND_TARGET
    outs = (ub >= cfg["p_mention_brand"]) & (ub < cfg["p_mention_brand"] + cfg["p_outsider"])
    target[outs] = OUTSIDER_BASE - rng.integers(0, 400, outs.sum())
    target[target == mm_] = BRAND_TARGET
    m_ch = np.where(rng.random(sel.size) < 0.75, primary[mm_], secondary[mm_])
    ev.add(mm_, A["mention"], t, m_ch, target, _ids("p", sel.size), comm_topic[comm[mm_]])

    # newsletters
    iss_t = np.arange(0, cfg["days"], cfg["newsletter_every"]) * 24.0 + 13.0
    iss_t = iss_t[iss_t < H]
    iss_id = _ids("nl", iss_t.size)
    iss_topic = rng.integers(0, n_top, iss_t.size)
    sel = np.flatnonzero(np.isin(ac, [ACT.index("newsletter_open"), ACT.index("newsletter_click")]))
    nm = ac_m[sel]
    lo = np.searchsorted(iss_t, a_win[nm] * H)
    hi = np.searchsorted(iss_t, b_win[nm] * H)
    ok = hi > lo
    nm, lo, hi, sel = nm[ok], lo[ok], hi[ok], sel[ok]
    iss = lo + (rng.random(nm.size) * (hi - lo)).astype(np.int64)
    t_open = iss_t[iss] + _lognormal(rng, 6.0, 1.2, nm.size)
    click = ac[sel] == ACT.index("newsletter_click")
    t_click = t_open + _lognormal(rng, 0.05, 1.0, nm.size)
    nl_ch = CH[cfg["ch"]["newsletter"]]
    ok = t_open < H
    ev.add(
        nm[ok],
        A["newsletter_open"],
        t_open[ok],
        nl_ch,
        NO_TARGET,
        iss_id[iss[ok]],
        iss_topic[iss[ok]],
    )
    ok = click & (t_click < H)
    ev.add(
        nm[ok],
        A["newsletter_click"],
        t_click[ok],
        nl_ch,
        NO_TARGET,
        iss_id[iss[ok]],
        iss_topic[iss[ok]],
    )

    # brand events (meetups / webinars / tournament days), one attendance per member and event
    ev_t = list(np.arange(5, cfg["days"], cfg["events_every"]) * 24.0 + 17.0)
    ev_size = list(_lognormal(rng, 1.0, 0.6, len(ev_t)))
    for day, _w, height in cfg["spikes"]:
        ev_t.append(day * 24.0 + 10.0)
        ev_size.append(2.0 * height)
    ev_t, ev_size = np.array(ev_t), np.array(ev_size)
    ev_id = _ids("ev", ev_t.size)
    ev_topic = rng.integers(0, n_top, ev_t.size)
    sel = np.flatnonzero(ac == ACT.index("event_attend"))
    em = ac_m[sel]
    e = _pick(rng, ev_size, em.size)
    ek = np.unique(em * ev_t.size + e)
    em, e = ek // ev_t.size, ek % ev_t.size
    ok = ev_t[e] < H
    ev.add(
        em[ok],
        A["event_attend"],
        ev_t[e][ok] + rng.uniform(0, 3, ok.sum()),
        CH[cfg["ch"]["events"]],
        NO_TARGET,
        ev_id[e][ok],
        ev_topic[e][ok],
    )

    # purchases
    sel = np.flatnonzero(ac == ACT.index("purchase"))
    pm = ac_m[sel]
    t = clock.sample(a_win[pm], b_win[pm], rng.random(pm.size))
    sku = np.minimum(rng.zipf(1.6, pm.size), 60) - 1
    val = np.round(_lognormal(rng, cfg["value"][0], cfg["value"][1], pm.size), 2)
    ev.add(
        pm,
        A["purchase"],
        t,
        CH[cfg["ch"]["shop"]],
        NO_TARGET,
        np.char.add("sku-", sku.astype(str)).astype(object),
        sku % n_top,
        val,
    )

    # follow events (edges created inside the window)
    s = since_h >= 0
    f_ch = primary[dst[s]]
    ev.add(src[s], A["follow"], since_h[s], f_ch, dst[s], none_obj, -1)
    s = fb_since >= 0
    ev.add(fb_m[s], A["follow"], fb_since[s], primary[fb_m[s]], BRAND_TARGET, none_obj, -1)

    # bought engagement: bursts from the dormant pool on a buyer's posts
    eng = np.flatnonzero(buy_eng)
    if eng.size and bots.size:
        n_pack = 1 + rng.poisson(1.5, eng.size)
        pk_m = np.repeat(eng, n_pack)
        pk_item = i_order[i_start[pk_m] + (rng.random(pk_m.size) * i_cnt[pk_m]).astype(np.int64)]
        size = rng.uniform(0.3, 1.0, pk_m.size) * min(250, bots.size)
        # the visible slice of a farm: keep each dormant account at ~10 bought actions on average
        size = np.maximum(3, size * min(1.0, 10.0 * bots.size / size.sum())).astype(int)
        row_pk = np.repeat(np.arange(pk_m.size), size)
        row_bot = bots[rng.integers(0, bots.size, row_pk.size)]
        _, first = np.unique(row_pk * n + row_bot, return_index=True)
        row_pk, row_bot = row_pk[first], row_bot[first]
        it = pk_item[row_pk]
        t = item_t[it] + rng.exponential(3.0, it.size)
        ok = t < H
        act = np.where(rng.random(it.size) < cfg["bought_like"], "like", "retweet")
        act = np.where((act == "retweet") & (item_ch[it] != rt_ch), "share", act)
        codes = np.where(
            act == "like", A["like"], np.where(act == "retweet", A["retweet"], A["share"])
        )
        ev.add(
            row_bot[ok],
            codes[ok],
            t[ok],
            item_ch[it][ok],
            pk_m[row_pk][ok],
            item_id[it][ok],
            item_topic[it][ok],
        )

    # spike extras: everybody briefly active around the brand's live coverage
    if cfg["spike_extra"] and cfg["spikes"]:
        lam = np.array([cfg["spike_extra"][r] for r in ROLES])[role] * rng.lognormal(0, 0.7, n)
        k = rng.poisson(lam)
        xm = np.repeat(np.arange(n), k)
        sp = np.array(cfg["spikes"], dtype=float)
        which = _pick(rng, sp[:, 2], xm.size)
        t = np.clip((sp[which, 0] + sp[which, 1] * rng.standard_normal(xm.size)) * 24, 0, H - 1)
        opts = np.array([A["view"], A["like"], A["share"], A["comment"], A["mention"]])
        code = opts[_pick(rng, np.array([0.4, 0.3, 0.12, 0.08, 0.1]), xm.size)]
        if rt_ch >= 0:
            code = np.where((code == A["share"]) & (primary[xm] == rt_ch), A["retweet"], code)
        target = np.where(code == A["mention"], BRAND_TARGET, NO_TARGET)
        live = np.char.add("live-", which.astype(str)).astype(object)
        ev.add(xm, code, t, primary[xm], target, live, -1)

    # ------------------------------------------------------------------------ assemble events
    E = ev.cat()
    member_ids = _make_ids(rng, n)
    tgt_str = _resolve_targets(E["target"], member_ids, brand)
    n_ev = E["t"].size
    E["c"] = np.where(rng.random(n_ev) < cfg["p_missing_channel"], -1, E["c"])
    # a few exact duplicate rows (double-logged exports), then chronological order
    rows = np.concatenate([np.arange(n_ev), np.flatnonzero(rng.random(n_ev) < cfg["p_duplicate"])])
    order = rows[np.argsort(E["t"][rows], kind="stable")]
    sec = np.floor(E["t"][order] * 3600).astype(np.int64)
    ts = start + pd.to_timedelta(sec, unit="s")
    chan_arr = np.array(chan_names + [None], dtype=object)
    ch_code = E["c"][order]
    top_arr = np.append(topics, None)
    events = pd.DataFrame(
        {
            "member_id": member_ids[E["m"][order]],
            "action": np.array(ACTIONS, dtype=object)[E["a"][order]],
            "timestamp": ts,
            "channel": chan_arr[ch_code],
            "target_id": tgt_str[order],
            "content_id": E["content"][order],
            "topic": top_arr[E["topic"][order]],
            "value": E["value"][order],
        }
    )

    # ------------------------------------------------------------------------ follows table
    f_src = np.concatenate([member_ids[src], member_ids[fb_m]])
    f_dst = np.concatenate([member_ids[dst], np.full(fb_m.size, brand, dtype=object)])
    f_ch = np.concatenate([primary[dst], primary[fb_m]])
    f_since = np.concatenate([since_h, fb_since])
    f_since_ts = start + pd.to_timedelta(np.floor(f_since * 3600).astype(np.int64), unit="s")
    follows = pd.DataFrame(
        {
            "follower_id": f_src,
            "followee_id": f_dst,
            "channel": np.array(chan_names, dtype=object)[f_ch],
            "since": f_since_ts,
        }
    )
    follows = follows.iloc[rng.permutation(len(follows))].reset_index(drop=True)

    # ------------------------------------------------------------------------ members table
    ext = _role_param(cfg, "ext", role, rng) * cfg["ext_scale"]
    ext[fading] *= rng.uniform(6, 15, fading.sum())
    fol_cnt = indeg * rng.uniform(1.0, 1.6, n) + ext
    fol_cnt[buy_fol] += ext[buy_fol] * rng.uniform(5, 40, buy_fol.sum()) + _lognormal(
        rng, 8000 * cfg["ext_scale"] + 300, 0.8, buy_fol.sum()
    )
    fol_cnt = np.round(fol_cnt)
    following = np.round(
        (member_out + fb) * rng.uniform(1.0, 3.0, n)
        + _lognormal(rng, 150 * cfg["ext_scale"] + 5, 1.0, n)
    )
    miss = rng.random(n) < cfg["followers_missing"]
    fol_cnt[miss] = np.nan
    following[miss] = np.nan
    fi, la = rng.integers(0, FIRST.size, n), rng.integers(0, LAST.size, n)
    name = pd.Series(FIRST[fi]) + " " + pd.Series(LAST[la])
    handle = (
        "@"
        + pd.Series(FIRST[fi]).str.lower()
        + "_"
        + pd.Series(LAST[la]).str.lower().str[:3]
        + pd.Series(rng.integers(1, 9999, n).astype(str))
    )
    bio_cum = np.cumsum(BIO_P / BIO_P.sum(1, keepdims=True), axis=1)[role]
    bio = BIOS[np.minimum((rng.random(n)[:, None] > bio_cum).sum(1), BIOS.size - 1)]
    kind = np.where(
        np.isin(role, [INF, BLOG]) & (rng.random(n) < cfg["media_frac"]), "media", "person"
    )
    created = start + pd.to_timedelta(np.floor(created_h * 3600).astype(np.int64), unit="s")
    members = pd.DataFrame(
        {
            "member_id": member_ids,
            "name": name.to_numpy(),
            "handle": handle.to_numpy(),
            "channel": np.array(chan_names, dtype=object)[primary],
            "followers": fol_cnt,
            "following": following,
            "bio": bio,
            "kind": kind,
            "created_at": created,
        }
    )
    if not cfg["followers_reported"]:
        members = members.drop(columns=["followers", "following"])
    members = members.iloc[rng.permutation(n)].reset_index(drop=True)

    truth = pd.DataFrame(
        {"member_id": member_ids, "role": np.array(ROLES, dtype=object)[role], "hollow": hollow}
    )
    return {"members": members, "events": events, "follows": follows, "truth": truth}


def _make_ids(rng, n):
    space = max(10**6, 20 * n)
    width = len(str(space - 1))
    nums = rng.choice(space, size=n, replace=False)
    return np.char.add("u", np.char.zfill(nums.astype(str), width)).astype(object)


def _resolve_targets(code, member_ids, brand):
    """Target codes: >= 0 member index, NO_TARGET, BRAND_TARGET, <= OUTSIDER_BASE outsiders."""
    out = np.full(code.size, None, dtype=object)
    is_m = code >= 0
    out[is_m] = member_ids[code[is_m]]
    out[code == BRAND_TARGET] = brand
    outs = code <= OUTSIDER_BASE
    if outs.any():
        out[outs] = np.char.add("ext:", (OUTSIDER_BASE - code[outs]).astype(str)).astype(object)
    return out


# ------------------------------------------------------------------------------------ self-check


def _features(d: dict[str, pd.DataFrame]) -> pd.DataFrame:
    ids = d["truth"]["member_id"]
    ev, fo, mem = d["events"], d["follows"], d["members"].set_index("member_id")
    own = pd.crosstab(ev["member_id"], ev["action"]).reindex(ids, fill_value=0)
    own.columns = [f"n_{c}" for c in own.columns]
    X = own.astype(float)
    X["n_total"] = own.sum(axis=1)
    cre = [c for c in ("n_post", "n_blog_post", "n_video") if c in own]
    X["n_create"] = own[cre].sum(axis=1)
    X["create_share"] = X["n_create"] / X["n_total"].clip(lower=1)
    tg = ev[ev["target_id"].notna()]
    rec = pd.crosstab(tg["target_id"], tg["action"]).reindex(ids, fill_value=0)
    rec.columns = [f"recv_{c}" for c in rec.columns]
    X = X.join(rec.astype(float))
    amp = tg[tg["action"].isin(["share", "retweet", "mention", "reply", "comment"])]
    X["recv_distinct_amp"] = amp.groupby("target_id")["member_id"].nunique().reindex(ids).fillna(0)
    X["recv_distinct"] = tg.groupby("target_id")["member_id"].nunique().reindex(ids).fillna(0)
    X["indeg"] = fo["followee_id"].value_counts().reindex(ids).fillna(0)
    X["outdeg"] = fo["follower_id"].value_counts().reindex(ids).fillna(0)
    X["n_channels"] = ev.groupby("member_id")["channel"].nunique().reindex(ids).fillna(0)
    X["active_days"] = (
        ev.assign(day=ev["timestamp"].dt.floor("D"))
        .groupby("member_id")["day"]
        .nunique()
        .reindex(ids)
        .fillna(0)
    )
    for c in ("followers", "following"):
        X[f"log_{c}"] = np.log1p(mem[c].reindex(ids)).fillna(-1) if c in mem else -1.0
    return X.fillna(0)


def _naive(d: dict[str, pd.DataFrame], X: pd.DataFrame) -> np.ndarray:
    n = len(X)
    score = X["log_followers"] if (X["log_followers"] >= 0).any() else X["indeg"]
    pred = np.full(n, "follower", dtype=object)
    order = np.argsort(-score.to_numpy(), kind="stable")
    k_inf = max(1, int(round(0.02 * n)))
    pred[order[:k_inf]] = "influencer"
    rest = np.flatnonzero(pred == "follower")
    cr = X["n_create"].to_numpy()[rest]
    k_b = int(round(0.08 * n))
    pred[rest[np.argsort(-cr, kind="stable")[:k_b]]] = "blogger"
    rest = np.flatnonzero(pred == "follower")
    vol = X["n_total"].to_numpy()[rest]
    pred[rest[np.argsort(-vol, kind="stable")[: int(round(0.15 * n))]]] = "fan"
    return pred


def _self_check(n: int = 5000) -> None:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    head = (
        f"{'setting':<14}{'sec':>6}{'members':>8}{'events':>9}{'follows':>9}"
        f"{'inf':>5}{'blog':>6}{'fan':>6}{'fol':>6}{'hol':>5}{'RF-F1':>7}{'naive':>7}"
    )
    print(head)
    for s in SETTINGS:
        t0 = time.perf_counter()
        d = generate(n, s, seed=0)
        dt = time.perf_counter() - t0
        d2 = generate(n, s, seed=0)
        assert d["events"].equals(d2["events"]) and d["follows"].equals(d2["follows"]), s
        tr = d["truth"]
        assert set(d["events"]["member_id"]) | set(d["follows"]["follower_id"]) <= set(
            tr["member_id"]
        )
        X = _features(d)
        y = tr.set_index("member_id").loc[X.index, "role"].to_numpy()
        rf = RandomForestClassifier(
            n_estimators=300,
            min_samples_leaf=2,
            n_jobs=-1,
            random_state=0,
            class_weight="balanced_subsample",
        )
        cv = StratifiedKFold(5, shuffle=True, random_state=0)
        pred = cross_val_predict(rf, X.to_numpy(), y, cv=cv)
        f1 = f1_score(y, pred, average="macro")
        nf1 = f1_score(y, _naive(d, X), average="macro")
        rc = tr["role"].value_counts()
        print(
            f"{s:<14}{dt:>6.1f}{len(d['members']):>8}{len(d['events']):>9}"
            f"{len(d['follows']):>9}{rc.get('influencer', 0):>5}{rc.get('blogger', 0):>6}"
            f"{rc.get('fan', 0):>6}{rc.get('follower', 0):>6}{int(tr['hollow'].sum()):>5}"
            f"{f1:>7.3f}{nf1:>7.3f}"
        )


if __name__ == "__main__":
    _self_check()
