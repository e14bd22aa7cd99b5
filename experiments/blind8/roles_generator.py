"""Blind synthetic worlds for testing clusterkit's behavioural roles (blind8).

Written only from the data contract and role semantics in DESIGN.md sections 2 and 3; nothing in the
toolkit was read.  Every call returns four pandas tables, ``members``, ``events``, ``follows`` and
``truth``, that use the contract's column names.  ``truth`` holds the planted role
(influencer / blogger / fan / follower) and ``hollow`` (the member bought followers and/or
engagement).

The world
---------
A community gathers around one organisation (the "brand": a shop, a game studio, a SaaS vendor, a
club, a publication, an open-source project).  The brand's account is *not* a member.  It appears
only as a target (newsletter issues, follows, outside content).  Members sit in K topical
sub-communities (topics); about 60-65 % of their interactions and follows stay inside their own
topic.  Each member has:

* a role, drawn from the setting's role shares, which can be very unbalanced;
* a heavy-tailed activity multiplier (log-normal, clipped) shared by all of their behaviour, with
  extra per-behaviour jitter;
* an "attractiveness": how strongly others react to, mention and follow them.  Influencers get a
  log-normal draw above a floor of 5; bloggers fall in [0.25, 2.5]; fans about 0.12; followers
  0.04.  How others react to a member's content, and how many follow them, grows with it,
  so reach comes out of the simulation and is not written straight into a column;
* an active interval inside the window.  Some members join mid-window and some churn
  before it ends.

Behaviour is drawn per role as Poisson counts over four behaviour groups (per 90 days, scaled by
the window length, the setting's intensity and the member's active fraction):

=========== ======= ===== ===== ======
role        passive light depth create
=========== ======= ===== ===== ======
influencer     6      8    10    14
blogger        6      5     5    12
fan           14     14    14     0.8
follower       4      1     0.3   0.03
=========== ======= ===== ===== ======

passive = view, newsletter_open; light = like; depth = reply, comment, mention, share, retweet,
newsletter_click, event_attend, purchase; create = post, blog_post, video.  Each setting
re-weights actions inside a group (a platform without retweets sets it to 0; a retailer multiplies
purchases).  The labels are then made to agree with behaviour with explicit guards:

* influencer and blogger: at least ``3 + days // 45`` creations (a regular creator);
* blogger: reactions (light + depth) are thinned to <= 0.85 x creations (creates more than reacts);
* fan: at least 4 depth actions after every drop (topped up with mentions, newsletter clicks,
  purchases) and at most 3 creations;
* follower: at most 1 creation and at most 2 depth actions; connected through follows (every
  follower follows >= 1 account) and passive views and opens.

Reactions (view, like, reply, comment, share, retweet) pick a content item, in proportion to
the creator's attractiveness, and carry its ``content_id`` with the creator as ``target_id``.
They happen after the content was created, on the content's channel when the action exists
there.  A setting-specific share of reactions go to outside content (``target_id`` such as
``ext:acct0042`` or the brand).  Mentions target members in proportion to attractiveness, or
outsiders.  Newsletter opens and clicks target the brand and carry the issue as ``content_id``.
Event attendance snaps to the setting's real event dates.  Purchases carry ``value``.  The
follows are a preferential, topic-local graph.  Edges created inside the window also appear as
``follow`` events.  The platform-reported ``followers`` count is the true in-degree plus an
outside audience (large for influencers, and growing with their attractiveness).  Bought
followers inflate it further.

Hollow mechanisms (the buyer is ``hollow=True``; the role stays what the buyer does):

* ``count``     -- bought followers that show only in the platform-reported ``followers`` count
  (and a little in ``following``); the follow graph and engagement are untouched.
* ``botfollow`` -- bought followers visible as fresh bot accounts.  The accounts are created
  in bursts and follow the buyer, and half also follow one influencer as camouflage.  They never
  act apart from those follows.  The reported count is also inflated.
* ``swarm``     -- bought engagement: fresh bot accounts each view, like, comment on or share 1-4
  of the buyer's content items within hours of posting (at most one comment or share per bot;
  the rest are likes and views), and follow the buyer.

Bot accounts are members, and so they are in ``truth``.  Behaviourally they are connected and
passive, so their role is ``follower`` with ``hollow=False`` (the flag marks buyers).

Noise: exact duplicate events (double ingestion, webhook replays), events with a missing channel,
members without a home channel, NaN reported followers, non-member targets, joiners and churners,
and a follow table that is partial (gaming) or missing (sports club).

Settings
--------
default           Outdoor-gear brand (Instagram, forum, YouTube, blog, newsletter, shop, events);
                  120 days; 2/8/22/68 % roles; a few hollow accounts with bought follower counts.
gaming_discord    Indie game studio: Discord, Twitch, Reddit, Steam; 60 days, chatty, weekly
                  tournaments; 1/6/40/53 %; follows table PARTIAL (only the 35 % of accounts with
                  a linked Twitch/Twitter export); heavy churn; many NaN follower counts.
b2b_linkedin      B2B analytics SaaS on a LinkedIn-style network plus webinars; 180 days, low
                  intensity, rare high-value purchases; 3/12/12/73 %; 2 % "thought leaders" with
                  heavily bought follower counts; modest top voices.
youtube_longform  Long-form science-explainer creator ecosystem (YouTube, Patreon, Discord,
                  podcast); 90 days; influencers from micro to mega (sigma 1.5); bought
                  views/likes/comments by a bot swarm (4 % of accounts are bots).
retail_loyalty    Beauty retailer loyalty community (app, store, Instagram, TikTok, email); 150
                  days; purchases and in-store masterclasses dominate; 1/4/40/55 %; bought bot
                  followers in the follow graph; 25 % churn.
sports_club       Local amateur football club (WhatsApp, Facebook, website, matchday); SHORT 21-day
                  window, intense match weeks; tiny local influencers; NO follows table; 20 %
                  events without channel; half the follower counts NaN.
newsletter_pub    Newsletter-first tech publication (newsletter, web, notes, podcast); 120 days;
                  0.5/3/15/81.5 %; followers = subscribers who mostly open; 25 % of reactions go to
                  outside links; no hollow accounts.
dev_opensource    Open-source developer tool (GitHub, forum, Discord, blog, Mastodon,
                  conference); 90 days; very noisy: 8 % duplicates, 12 % missing channels, 25 %
                  outside targets; bought stars (swarm) and bought bot followers.

Assumptions: reach is distinct people reacting and following, not volume; heavy tails live
inside roles; influencers also create a lot, and what separates them from bloggers is reach
(a floor of 2x between the smallest influencer and the largest blogger in attractiveness);
fans do not build audiences; bots are passive connected accounts.
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd

SETTINGS = ("default", "gaming_discord", "b2b_linkedin", "youtube_longform", "retail_loyalty",
            "sports_club", "newsletter_pub", "dev_opensource")

ACTIONS = ("view", "newsletter_open", "like", "follow", "newsletter_click", "reply", "comment",
           "mention", "share", "retweet", "post", "blog_post", "video", "event_attend", "purchase")
AI = {a: i for i, a in enumerate(ACTIONS)}
ROLES = ("influencer", "blogger", "fan", "follower")
CREATE = ("post", "blog_post", "video")
CONTENT_REACT = ("view", "like", "reply", "comment", "share", "retweet")
DEPTH = ("reply", "comment", "mention", "share", "retweet", "newsletter_click", "event_attend",
         "purchase")
GROUPS = {"passive": ("view", "newsletter_open"), "light": ("like",), "depth": DEPTH,
          "create": CREATE}
GROUP_TOTAL = {"passive": (6., 6., 14., 4.), "light": (8., 5., 14., 1.),
               "depth": (10., 5., 14., .3), "create": (14., 12., .8, .03)}
MIX = {  # role-specific base mix inside a group (influencer, blogger, fan, follower)
    "view": (1, 1, 1, 1), "newsletter_open": (.3, .4, .6, .8), "like": (1, 1, 1, 1),
    "reply": (.40, .25, .12, .15), "comment": (.15, .25, .22, .15), "mention": (.20, .15, .05, .05),
    "share": (.10, .12, .15, .10), "retweet": (.10, .10, .12, .10),
    "newsletter_click": (.01, .03, .14, .20), "event_attend": (.03, .05, .09, .05),
    "purchase": (.01, .05, .11, .20),
    "post": (.70, .55, .95, 1.), "blog_post": (.10, .30, .04, 0.), "video": (.20, .15, .01, 0.),
}
DELAY_DAYS = {"view": .4, "like": .3, "reply": .5, "comment": .8, "share": 1., "retweet": .3}
ACT_SIGMA = np.array([.6, .7, .8, 1.])
DAY = 86400

_BASE = dict(
    days=90, start="2024-03-01", intensity=1., shares=(.02, .08, .22, .68), inf_scale=12.,
    inf_sigma=.8, audience=(60000, 3000, 250, 120), followers_nan=.05, follow_out=(80, 40, 30, 12),
    follows="full", linked_frac=1., hollow={}, dup=.01, miss_channel=.02, ext=.08, churn=.12,
    join=.10, value=(85., .7), event_every=14., newsletter_every=7., min_passive=0, media_inf=.15,
    brand_blog=.05, mult={}, local=.62,
)

_CFG = {
    "default": dict(
        brand="brand:ridgeline", n_topics=6,
        topics=("hiking", "climbing", "camping", "trail-running", "ski-touring", "gear-review"),
        events=("store-meetup", "trail-cleanup", "gear-demo"),
        products=("footwear", "shells", "packs", "tents", "accessories"),
        days=120, hollow={"count": dict(frac=.006, inflate=20000.)},
        mult={"retweet": 0.},
        home={"instagram": .6, "forum": .2, "youtube": .1, "newsletter": .1},
        amap={"view": {"instagram": .5, "youtube": .3, "forum": .2},
              "newsletter_open": {"newsletter": 1}, "newsletter_click": {"newsletter": 1},
              "like": {"instagram": .65, "youtube": .15, "forum": .15, "blog": .05},
              "follow": {"instagram": .75, "youtube": .25},
              "reply": {"forum": .6, "instagram": .4},
              "comment": {"instagram": .45, "youtube": .3, "blog": .1, "forum": .15},
              "mention": {"instagram": .8, "forum": .2},
              "share": {"instagram": .6, "forum": .2, "youtube": .2}, "retweet": {"instagram": 1},
              "post": {"instagram": .7, "forum": .3}, "blog_post": {"blog": 1},
              "video": {"youtube": 1}, "event_attend": {"events": 1},
              "purchase": {"shop": .85, "events": .15}}),
    "gaming_discord": dict(
        brand="brand:emberfall-studio", n_topics=7,
        topics=("speedrun", "pvp", "lore", "modding", "bug-reports", "fan-art", "lfg"),
        events=("friday-tournament", "dev-stream", "community-cup"),
        products=("base-game", "dlc", "soundtrack", "merch"),
        days=60, start="2024-09-02", intensity=1.6, shares=(.01, .06, .40, .53), inf_scale=20.,
        inf_sigma=1., audience=(150000, 2500, 60, 30), followers_nan=.35, follows="partial",
        linked_frac=.35, dup=.03, miss_channel=.05, ext=.05, churn=.25, join=.20,
        value=(20., .6), event_every=7., media_inf=.1, brand_blog=.02,
        mult={"newsletter_open": .3, "newsletter_click": .3, "blog_post": .3, "video": 1.5,
              "purchase": .6, "event_attend": 1.5, "mention": 1.5, "reply": 1.5, "retweet": .6},
        home={"discord": .7, "twitch": .15, "reddit": .15},
        amap={"view": {"twitch": .45, "discord": .35, "reddit": .2},
              "newsletter_open": {"email": 1}, "newsletter_click": {"email": 1},
              "like": {"discord": .5, "reddit": .3, "twitter": .2},
              "follow": {"twitch": .6, "twitter": .3, "steam": .1},
              "reply": {"discord": .7, "reddit": .3},
              "comment": {"reddit": .5, "twitch": .3, "steam": .2},
              "mention": {"discord": .8, "twitter": .2},
              "share": {"discord": .5, "reddit": .5}, "retweet": {"twitter": 1},
              "post": {"discord": .55, "reddit": .3, "twitter": .15},
              "blog_post": {"steam": .6, "reddit": .4}, "video": {"twitch": .75, "twitter": .25},
              "event_attend": {"discord": .8, "twitch": .2}, "purchase": {"steam": 1}}),
    "b2b_linkedin": dict(
        brand="brand:quantia", n_topics=6,
        topics=("data-engineering", "revops", "ai-analytics", "privacy", "dashboards", "careers"),
        events=("quarterly-webinar", "customer-roundtable", "summit"),
        products=("starter-plan", "team-plan", "enterprise-plan", "training"),
        days=180, start="2024-01-15", intensity=.55, shares=(.03, .12, .12, .73), inf_scale=8.,
        inf_sigma=.6, audience=(25000, 4000, 900, 500), followers_nan=.03,
        follow_out=(120, 80, 50, 25), hollow={"count": dict(frac=.02, inflate=40000.)},
        dup=.005, miss_channel=.03, ext=.15, churn=.08, join=.08, value=(15000., .9),
        event_every=21., media_inf=.25, brand_blog=.15,
        mult={"retweet": 0., "video": .3, "blog_post": 1.6, "event_attend": 1.5, "purchase": .12,
              "view": .6, "newsletter_open": 1.3},
        home={"linkedin": .85, "newsletter": .1, "webinar": .05},
        amap={"view": {"linkedin": .6, "blog": .25, "website": .15},
              "newsletter_open": {"newsletter": 1}, "newsletter_click": {"newsletter": 1},
              "like": {"linkedin": 1}, "follow": {"linkedin": 1},
              "reply": {"linkedin": .85, "blog": .15}, "comment": {"linkedin": .8, "blog": .2},
              "mention": {"linkedin": 1}, "share": {"linkedin": .9, "newsletter": .1},
              "retweet": {"linkedin": 1}, "post": {"linkedin": 1},
              "blog_post": {"blog": .5, "linkedin": .5}, "video": {"linkedin": .6, "webinar": .4},
              "event_attend": {"webinar": .75, "conference": .25}, "purchase": {"website": 1}}),
    "youtube_longform": dict(
        brand="brand:curious-frontier", n_topics=6,
        topics=("astrophysics", "biology", "math", "history-of-science", "engineering", "climate"),
        events=("live-premiere", "q-and-a", "meetup"),
        products=("patreon-tier1", "patreon-tier2", "superchat", "merch"),
        days=90, start="2024-01-08", shares=(.015, .05, .20, .735), inf_scale=20., inf_sigma=1.5,
        audience=(400000, 15000, 100, 40), follow_out=(60, 40, 35, 15),
        hollow={"swarm": dict(frac=.004, bots=.04,
                              actions={"view": .5, "like": .4, "comment": .1})},
        dup=.01, miss_channel=.02, ext=.10, churn=.10, join=.10, value=(6., .8),
        event_every=10., media_inf=.2, brand_blog=.03,
        mult={"view": 2., "retweet": 0., "comment": 1.6, "blog_post": .3, "video": 4.,
              "purchase": .6, "event_attend": .5, "mention": .5},
        home={"youtube": .8, "patreon": .1, "discord": .1},
        amap={"view": {"youtube": .8, "podcast": .2},
              "newsletter_open": {"newsletter": 1}, "newsletter_click": {"newsletter": 1},
              "like": {"youtube": .8, "patreon": .1, "discord": .1},
              "follow": {"youtube": .8, "patreon": .1, "podcast": .1},
              "reply": {"youtube": .6, "discord": .4},
              "comment": {"youtube": .75, "patreon": .15, "discord": .1},
              "mention": {"discord": .6, "youtube": .4}, "share": {"youtube": .6, "discord": .4},
              "retweet": {"youtube": 1}, "post": {"youtube": .5, "patreon": .3, "discord": .2},
              "blog_post": {"patreon": 1}, "video": {"youtube": .85, "podcast": .15},
              "event_attend": {"youtube": .7, "discord": .3},
              "purchase": {"patreon": .8, "youtube": .2}}),
    "retail_loyalty": dict(
        brand="brand:lumiere", n_topics=5,
        topics=("skincare", "makeup", "fragrance", "haircare", "clean-beauty"),
        events=("masterclass", "launch-party", "vip-night"),
        products=("skincare", "makeup", "fragrance", "haircare", "gift-set"),
        days=150, start="2024-02-01", intensity=.8, shares=(.01, .04, .40, .55), inf_scale=15.,
        inf_sigma=.9, audience=(80000, 5000, 300, 150), follow_out=(50, 40, 25, 8),
        hollow={"botfollow": dict(frac=.005, bots=.03, inflate=15000.)},
        dup=.02, miss_channel=.04, ext=.05, churn=.25, join=.15, value=(45., .6),
        event_every=10., media_inf=.1, brand_blog=.1,
        mult={"purchase": 4., "event_attend": 2., "newsletter_open": 1.5,
              "newsletter_click": 1.5, "retweet": 0., "blog_post": .5, "video": 1.5},
        home={"app": .5, "instagram": .3, "email": .2},
        amap={"view": {"app": .5, "instagram": .3, "tiktok": .2},
              "newsletter_open": {"email": 1}, "newsletter_click": {"email": 1},
              "like": {"instagram": .5, "tiktok": .3, "app": .2},
              "follow": {"instagram": .6, "tiktok": .4}, "reply": {"instagram": .5, "app": .5},
              "comment": {"instagram": .45, "tiktok": .35, "app": .2},
              "mention": {"instagram": .7, "tiktok": .3},
              "share": {"instagram": .5, "tiktok": .3, "app": .2}, "retweet": {"instagram": 1},
              "post": {"instagram": .6, "app": .4}, "blog_post": {"app": 1},
              "video": {"tiktok": .7, "instagram": .3}, "event_attend": {"store": 1},
              "purchase": {"store": .5, "app": .5}}),
    "sports_club": dict(
        brand="club:riverside-fc", n_topics=5,
        topics=("first-team", "youth-academy", "womens-team", "training", "transfers"),
        events=("home-match", "away-match", "training-session"),
        products=("matchday-ticket", "kit", "raffle", "bar-tab"),
        days=21, start="2024-04-06", intensity=3., shares=(.02, .05, .35, .58), inf_scale=6.,
        inf_sigma=.3, audience=(1500, 300, 80, 40), followers_nan=.5, follows="missing",
        follow_out=(40, 30, 20, 8), dup=.01, miss_channel=.2, ext=.10, churn=.03, join=.05,
        value=(25., .5), event_every=3.5, newsletter_every=7., min_passive=1, media_inf=.3,
        brand_blog=.05,
        mult={"retweet": 0., "video": .5, "blog_post": .6, "event_attend": 3., "purchase": .6,
              "newsletter_open": .5, "newsletter_click": .5, "mention": 1.3, "reply": 1.5},
        home={"whatsapp": .6, "facebook": .4},
        amap={"view": {"facebook": .5, "website": .3, "whatsapp": .2},
              "newsletter_open": {"email": 1}, "newsletter_click": {"email": 1},
              "like": {"facebook": .7, "whatsapp": .3}, "follow": {"facebook": 1},
              "reply": {"whatsapp": .7, "facebook": .3}, "comment": {"facebook": .8, "website": .2},
              "mention": {"whatsapp": .6, "facebook": .4},
              "share": {"facebook": .7, "whatsapp": .3}, "retweet": {"facebook": 1},
              "post": {"whatsapp": .6, "facebook": .4}, "blog_post": {"website": 1},
              "video": {"facebook": 1}, "event_attend": {"matchday": 1},
              "purchase": {"website": .5, "matchday": .5}}),
    "newsletter_pub": dict(
        brand="brand:the-circuit", n_topics=5,
        topics=("chips", "ai-policy", "startups", "security", "open-web"),
        events=("live-qa", "reader-meetup"), products=("monthly-sub", "annual-sub", "gift-sub"),
        days=120, start="2024-05-01", intensity=.9, shares=(.005, .03, .15, .815), inf_scale=30.,
        inf_sigma=.7, audience=(200000, 8000, 100, 20), followers_nan=.6,
        follow_out=(30, 25, 10, 3), dup=.01, miss_channel=.03, ext=.25, churn=.20, join=.15,
        value=(10., .7), event_every=30., newsletter_every=3.5, media_inf=.3, brand_blog=.05,
        mult={"newsletter_open": 4., "newsletter_click": 3., "blog_post": 3., "post": .6,
              "video": .3, "retweet": .7, "comment": 1.2, "purchase": .8, "event_attend": .4,
              "view": .8},
        home={"newsletter": .8, "notes": .15, "podcast": .05},
        amap={"view": {"web": .6, "notes": .25, "podcast": .15},
              "newsletter_open": {"newsletter": 1}, "newsletter_click": {"newsletter": 1},
              "like": {"notes": .5, "web": .5}, "follow": {"notes": .7, "newsletter": .3},
              "reply": {"notes": .6, "web": .4}, "comment": {"web": .8, "notes": .2},
              "mention": {"notes": 1}, "share": {"web": .5, "notes": .3, "newsletter": .2},
              "retweet": {"notes": 1}, "post": {"notes": 1},
              "blog_post": {"newsletter": .6, "web": .4}, "video": {"podcast": 1},
              "event_attend": {"events": 1}, "purchase": {"web": 1}}),
    "dev_opensource": dict(
        brand="org:quiver-dev", n_topics=6,
        topics=("core", "plugins", "docs", "performance", "packaging", "security"),
        events=("contributor-summit", "meetup", "release-party"),
        products=("support-plan", "sponsorship", "training"),
        days=90, start="2024-06-03", intensity=1.1, shares=(.02, .10, .25, .63), inf_scale=10.,
        inf_sigma=1., audience=(12000, 800, 60, 15), follow_out=(60, 40, 25, 6),
        hollow={"swarm": dict(frac=.004, bots=.025, actions={"like": .85, "share": .15}),
                "botfollow": dict(frac=.003, bots=.015, inflate=3000.)},
        dup=.08, miss_channel=.12, ext=.25, churn=.15, join=.12, value=(1500., 1.),
        event_every=30., media_inf=.1, brand_blog=.1,
        mult={"like": 1.2, "post": 1.2, "reply": 1.5, "video": .4, "retweet": .6,
              "purchase": .1, "event_attend": .6, "newsletter_open": .5, "newsletter_click": .5},
        home={"github": .7, "discord": .2, "forum": .1},
        amap={"view": {"github": .5, "blog": .3, "forum": .2},
              "newsletter_open": {"email": 1}, "newsletter_click": {"email": 1},
              "like": {"github": .6, "mastodon": .2, "forum": .2},
              "follow": {"github": .8, "mastodon": .2},
              "reply": {"github": .55, "forum": .3, "discord": .15},
              "comment": {"github": .6, "forum": .3, "blog": .1},
              "mention": {"github": .6, "discord": .2, "mastodon": .2},
              "share": {"forum": .4, "mastodon": .3, "discord": .3}, "retweet": {"mastodon": 1},
              "post": {"github": .5, "forum": .3, "discord": .2}, "blog_post": {"blog": 1},
              "video": {"conference": .6, "blog": .4},
              "event_attend": {"conference": .7, "discord": .3}, "purchase": {"github": 1}}),
}

_FIRST = np.array("Ana Ben Chen Dara Eli Fatima Gus Hana Ivan Jo Kai Lena Mo Nia Omar Priya Quinn "
                  "Rosa Sam Tariq Uma Vic Wen Xavi Yara Zoe Ali Bea Cruz Dev Ema Finn Gia Hugo "
                  "Ines Jun Kofi Lu Maya Noor".split())
_LAST = np.array("Smith Garcia Kim Okafor Rossi Novak Silva Haddad Tanaka Murphy Jensen Dubois "
                 "Kowalski Patel Nguyen Cohen Larsen Moreau Costa Ivanova Schmidt Ali Brown "
                 "Lopez Sato Walsh Berg Khan Mensah Reyes".split())
_WORD = np.array("North Peak Blue Iron Open Bright Wild Deep Solar Swift Urban Clear".split())
_BRAND_SUFFIX = np.array(["Labs", "Co", "Studio", "Works", "Supply"])
_MEDIA_SUFFIX = np.array(["Weekly", "Daily", "Review", "Radio", "Digest"])


def _s(a):
    return np.asarray(a).astype(str)


def _fmt(prefix, ints, width):
    ints = np.asarray(ints, dtype=np.int64)
    if ints.size == 0:
        return np.zeros(0, dtype=str)
    return np.char.add(prefix, np.char.zfill(_s(np.asarray(ints, dtype=np.int64)), width))


def _ln(rng, med, sigma, size):
    return np.asarray(med, dtype=float) * np.exp(sigma * rng.standard_normal(size))


def _cap_total(m, cap):
    """Cap the row total of a count matrix at ``cap`` (column order decides what is kept)."""
    prev = np.cumsum(m, axis=1) - m
    return np.minimum(m, np.maximum(0, cap - prev))


def _pick(rng, src_comm, cand_w, cand_comm, local_p, n_topics):
    """Pick one candidate per source, prop. to weight, inside the source's topic w.p. local_p."""
    m = len(src_comm)
    out = np.full(m, -1, dtype=np.int64)
    tot = cand_w.sum()
    if m == 0 or len(cand_w) == 0 or tot <= 0:
        return out
    p = cand_w / tot
    glob = rng.random(m) >= local_p
    out[glob] = rng.choice(len(cand_w), int(glob.sum()), p=p)
    for k in range(n_topics):
        sel = np.flatnonzero(~glob & (src_comm == k))
        if sel.size == 0:
            continue
        pool = np.flatnonzero(cand_comm == k)
        w = cand_w[pool]
        if pool.size == 0 or w.sum() <= 0:
            out[sel] = rng.choice(len(cand_w), sel.size, p=p)
        else:
            out[sel] = pool[rng.choice(pool.size, sel.size, p=w / w.sum())]
    return out


class _Events:
    FIELDS = ("actor", "act", "ts", "ch", "tk", "ti", "ck", "ci", "tp", "val")

    def __init__(self):
        self.parts = {f: [] for f in self.FIELDS}

    def add(self, actor, act, ts, ch, tk=0, ti=-1, ck=0, ci=-1, tp=-1, val=np.nan):
        m = len(actor)
        vals = dict(actor=actor, act=act, ts=ts, ch=ch, tk=tk, ti=ti, ck=ck, ci=ci, tp=tp, val=val)
        for f, v in vals.items():
            dtype = float if f == "val" else np.int64
            self.parts[f].append(np.broadcast_to(np.asarray(v, dtype=dtype), (m,)).copy())

    def arrays(self):
        return {f: (np.concatenate(v) if v else np.zeros(0, dtype=float if f == "val" else np.int64))
                for f, v in self.parts.items()}


def _config(setting):
    cfg = dict(_BASE)
    cfg.update(_CFG[setting])
    return cfg


def generate(n: int, setting: str = "default", seed: int = 0) -> dict[str, pd.DataFrame]:
    """Generate one world: ``{"members", "events", "follows", "truth"}`` (see module docstring)."""
    if setting not in SETTINGS:
        raise ValueError(f"unknown setting {setting!r}; choose one of: {', '.join(SETTINGS)}")
    n = int(n)
    if n < 50:
        raise ValueError("n must be at least 50")
    cfg = _config(setting)
    rng = np.random.default_rng([int(seed), SETTINGS.index(setting), 8])
    days = float(cfg["days"])
    t0 = int(pd.Timestamp(cfg["start"], tz="UTC").timestamp())
    T = int(days * DAY)
    t1 = t0 + T
    K = cfg["n_topics"]
    mult = {a: float(cfg["mult"].get(a, 1.)) for a in ACTIONS}

    # channels ---------------------------------------------------------------------------
    chan_names = sorted({c for d in cfg["amap"].values() for c in d} | set(cfg["home"]))
    CI = {c: i for i, c in enumerate(chan_names)}
    allowed = np.zeros((len(ACTIONS), len(chan_names)), bool)
    amap = {}
    for a, d in cfg["amap"].items():
        codes = np.array([CI[c] for c in d])
        pr = np.array(list(d.values()), float)
        amap[a] = (codes, pr / pr.sum())
        allowed[AI[a], codes] = True

    def draw_ch(action, size):
        codes, pr = amap[action]
        return codes[rng.choice(len(codes), size, p=pr)]

    # topic strings: topics, newsletter, events, products
    topic_names = (list(cfg["topics"]) + ["newsletter"] + [f"event:{e}" for e in cfg["events"]]
                   + [f"product:{p}" for p in cfg["products"]])
    TP_NL = K
    TP_EV = K + 1
    TP_PR = K + 1 + len(cfg["events"])

    # members: roles, bots, topics -------------------------------------------------------
    hollow_cfg = cfg["hollow"]
    n_bots_mech = {m: int(round(h.get("bots", 0.) * n)) for m, h in hollow_cfg.items()}
    n_bots = sum(n_bots_mech.values())
    n_real = n - n_bots
    shares = np.array(cfg["shares"], float)
    rc = np.floor(shares / shares.sum() * n_real).astype(int)
    rc[0] = max(rc[0], 1)
    rc[1] = max(rc[1], 2)
    rc[3] = n_real - rc[:3].sum()
    role = np.concatenate([rng.permutation(np.repeat(np.arange(4), rc)), np.full(n_bots, 3)])
    is_bot = np.zeros(n, bool)
    is_bot[n_real:] = True
    real = ~is_bot
    comm = rng.choice(K, n, p=rng.dirichlet(np.full(K, 3.)))

    # active interval
    start = np.full(n, t0, np.int64)
    end = np.full(n, t1, np.int64)
    joiner = real & (rng.random(n) < cfg["join"])
    start[joiner] = t0 + (rng.random(joiner.sum()) * .85 * T).astype(np.int64)
    churner = real & (rng.random(n) < cfg["churn"])
    end[churner] = start[churner] + ((t1 - start[churner]) * rng.uniform(.25, .9, churner.sum())
                                     ).astype(np.int64)
    dur = np.maximum(end - start, 3600)
    frac = dur / T

    act = np.clip(_ln(rng, np.exp(-ACT_SIGMA[role] ** 2 / 2), ACT_SIGMA[role], n), .3, 10.)
    attract = np.where(role == 0, np.maximum(5., _ln(rng, cfg["inf_scale"], cfg["inf_sigma"], n)),
              np.where(role == 1, np.clip(_ln(rng, 1., .5, n), .25, 2.5),
              np.where(role == 2, np.clip(_ln(rng, .12, .5, n), .02, .5), .04)))
    attract[is_bot] = 0.

    # behaviour counts -------------------------------------------------------------------
    scale = cfg["intensity"] * days / 90. * frac
    counts = np.zeros((n, len(ACTIONS)), np.int64)
    group_w = {}
    for g, acts in GROUPS.items():
        W = np.array([[MIX[a][r] * mult[a] for a in acts] for r in range(4)], float)
        tot = W.sum(1, keepdims=True)
        Wn = np.divide(W, tot, out=np.zeros_like(W), where=tot > 0)
        group_w[g] = Wn
        lam = (np.array(GROUP_TOTAL[g])[:, None] * Wn)[role] * (
            act * scale * _ln(rng, 1., .3, n))[:, None]
        counts[:, [AI[a] for a in acts]] = rng.poisson(lam)
    counts[is_bot] = 0
    cidx = [AI[a] for a in CREATE]
    didx = [AI[a] for a in DEPTH]
    ridx = [AI["like"]] + didx
    cmin = 3 + int(days // 45)
    C = counts[:, cidx].sum(1)
    for r in (0, 1):
        sel = real & (role == r)
        main = cidx[int(np.argmax(group_w["create"][r]))]
        counts[sel, main] += np.maximum(0, cmin - C[sel])
    fol = real & (role == 3)
    counts[np.ix_(fol, cidx)] = _cap_total(counts[np.ix_(fol, cidx)], 1)
    counts[np.ix_(fol, didx)] = _cap_total(counts[np.ix_(fol, didx)], 2)
    if cfg["min_passive"]:
        main = AI[GROUPS["passive"][int(np.argmax(group_w["passive"][3]))]]
        ptot = counts[:, [AI["view"], AI["newsletter_open"]]].sum(1)
        counts[fol, main] += np.maximum(0, cfg["min_passive"] - ptot[fol])
    fan = real & (role == 2)
    counts[np.ix_(fan, cidx)] = _cap_total(counts[np.ix_(fan, cidx)], 3)
    deficit = np.maximum(0, 4 - counts[np.ix_(fan, didx)].sum(1))
    counts[np.ix_(fan, didx)] += rng.multinomial(deficit, group_w["depth"][2])
    blog = real & (role == 1)
    C = counts[:, cidx].sum(1)
    R = counts[:, ridx].sum(1)
    p = np.minimum(1., .85 * C / np.maximum(R, 1))
    counts[np.ix_(blog, ridx)] = _cap_total(
        rng.binomial(counts[np.ix_(blog, ridx)], p[blog][:, None]), C[blog][:, None])

    ev = _Events()
    idx = np.arange(n)

    # outside accounts (brand = 0) and their content -------------------------------------
    n_ext = 60 + n // 50
    ext_ids = np.concatenate([[cfg["brand"]], _fmt("ext:acct", np.arange(1, n_ext), 4)])
    n_xc = 5 * n_ext
    xc_w = 1. / np.arange(1, n_xc + 1) ** .8
    xc_w /= xc_w.sum()
    xc_owner = rng.permutation(n_xc) % n_ext

    # creation events --------------------------------------------------------------------
    c_actor = np.concatenate([np.repeat(idx, counts[:, AI[a]]) for a in CREATE])
    c_act = np.concatenate([np.full(counts[:, AI[a]].sum(), AI[a]) for a in CREATE])
    c_ch = np.concatenate([draw_ch(a, counts[:, AI[a]].sum()) for a in CREATE])
    c_ts = start[c_actor] + (rng.random(len(c_actor)) * dur[c_actor]).astype(np.int64)
    o = np.argsort(c_ts, kind="stable")
    c_actor, c_act, c_ch, c_ts = c_actor[o], c_act[o], c_ch[o], c_ts[o]
    nc = len(c_actor)
    c_topic = np.where(rng.random(nc) < .15, rng.integers(0, K, nc), comm[c_actor])
    ev.add(c_actor, c_act, c_ts, c_ch, ck=1, ci=np.arange(nc), tp=c_topic)

    def content_reactions(r_actor, r_act, ext_p):
        m = len(r_actor)
        ext = rng.random(m) < ext_p
        pick = np.full(m, -1, np.int64)
        ii = np.flatnonzero(~ext)
        pick[ii] = _pick(rng, comm[r_actor[ii]], attract[c_actor], comm[c_actor], cfg["local"], K)
        self_ = (pick >= 0) & (c_actor[np.maximum(pick, 0)] == r_actor)
        if self_.any() and nc:
            w = attract[c_actor]
            pick[self_] = rng.choice(nc, self_.sum(), p=w / w.sum())
            self_ = c_actor[pick] == r_actor
            pick[self_ & (pick >= 0)] = -1
        ext = pick < 0
        inn = ~ext
        ts = start[r_actor] + (rng.random(m) * dur[r_actor]).astype(np.int64)
        base = np.maximum(c_ts[pick[inn]], start[r_actor[inn]] + (
            rng.random(inn.sum()) * dur[r_actor[inn]] * .3).astype(np.int64))
        dmean = np.array([DELAY_DAYS.get(a, .5) for a in ACTIONS])[r_act[inn]]
        ts[inn] = base + (rng.exponential(dmean) * DAY).astype(np.int64) + 60
        ok = ts <= end[r_actor]
        ch = np.empty(m, np.int64)
        for a in np.unique(r_act):
            sa = r_act == a
            ch[sa] = draw_ch(ACTIONS[a], sa.sum())
        cc = c_ch[pick[inn]]
        keep_cc = allowed[r_act[inn], cc]
        ch_in = ch[inn]
        ch_in[keep_cc] = cc[keep_cc]
        ch[inn] = ch_in
        xc = rng.choice(n_xc, ext.sum(), p=xc_w)
        tk = np.where(inn, 1, 2)
        ti = np.empty(m, np.int64)
        ti[inn] = c_actor[pick[inn]]
        ti[ext] = xc_owner[xc]
        ck = np.where(inn, 1, 2)
        ci = np.empty(m, np.int64)
        ci[inn] = pick[inn]
        ci[ext] = xc
        tp = np.empty(m, np.int64)
        tp[inn] = c_topic[pick[inn]]
        tp[ext] = comm[r_actor[ext]]
        ev.add(r_actor[ok], r_act[ok], ts[ok], ch[ok], tk[ok], ti[ok], ck[ok], ci[ok], tp[ok])

    def uniform_ts(actors):
        return start[actors] + (rng.random(len(actors)) * dur[actors]).astype(np.int64)

    def mentions(actors):
        m = len(actors)
        w = attract.copy()
        tgt = _pick(rng, comm[actors], w, comm, cfg["local"], K)
        ext = (rng.random(m) < min(.5, 1.5 * cfg["ext"])) | (tgt == actors) | (tgt < 0)
        ti = np.where(ext, rng.integers(0, n_ext, m), tgt)
        ev.add(actors, AI["mention"], uniform_ts(actors), draw_ch("mention", m),
               np.where(ext, 2, 1), ti, 0, -1, comm[actors])

    def newsletter(actors, a):
        ts = uniform_ts(actors)
        issue = (ts - t0) // int(cfg["newsletter_every"] * DAY)
        tp = np.where(a == "newsletter_click", comm[actors], TP_NL)
        ev.add(actors, AI[a], ts, draw_ch(a, len(actors)), 2, 0, 3, issue, tp)

    ev_dates = t0 + ((np.arange(int(days / cfg["event_every"]) + 1) + .5)
                     * cfg["event_every"] * DAY).astype(np.int64) + 17 * 3600
    ev_dates = ev_dates[ev_dates < t1]

    def attend(actors):
        if len(ev_dates) == 0 or len(actors) == 0:
            return
        ts = uniform_ts(actors)
        j = np.searchsorted(ev_dates, ts)
        jn = np.minimum(j, len(ev_dates) - 1)
        okn = (j < len(ev_dates)) & (ev_dates[jn] <= end[actors])
        jp = np.maximum(j - 1, 0)
        okp = (j > 0) & (ev_dates[jp] >= start[actors])
        jj = np.where(okn, jn, jp)
        ok = okn | okp
        key = np.unique(actors[ok] * len(ev_dates) + jj[ok])
        a_, j_ = key // len(ev_dates), key % len(ev_dates)
        ev.add(a_, AI["event_attend"], ev_dates[j_] + (rng.random(len(a_)) * 3 * 3600).astype(int),
               draw_ch("event_attend", len(a_)), 0, -1, 0, -1,
               TP_EV + j_ % len(cfg["events"]))

    def purchase(actors):
        m = len(actors)
        val = np.round(_ln(rng, cfg["value"][0], cfg["value"][1], m), 2)
        ev.add(actors, AI["purchase"], uniform_ts(actors), draw_ch("purchase", m), 0, -1, 0, -1,
               TP_PR + rng.integers(0, len(cfg["products"]), m), val)

    def emit(action, actors):
        if len(actors) == 0:
            return
        if action == "mention":
            mentions(actors)
        elif action.startswith("newsletter"):
            newsletter(actors, action)
        elif action == "event_attend":
            attend(actors)
        elif action == "purchase":
            purchase(actors)
        else:
            raise AssertionError(action)

    ra = np.concatenate([np.repeat(idx, counts[:, AI[a]]) for a in CONTENT_REACT])
    rb = np.concatenate([np.full(counts[:, AI[a]].sum(), AI[a]) for a in CONTENT_REACT])
    content_reactions(ra, rb, cfg["ext"])
    for a in ("mention", "newsletter_open", "newsletter_click", "event_attend", "purchase"):
        emit(a, np.repeat(idx, counts[:, AI[a]]))

    # follows ----------------------------------------------------------------------------
    created = t0 - (_ln(rng, np.array([1500, 900, 700, 500])[role], .7, n) * DAY).astype(np.int64)
    created[joiner] = start[joiner] - (rng.random(joiner.sum()) * DAY).astype(np.int64)
    outdeg = np.where(real, np.maximum(1, np.round(_ln(rng, np.array(cfg["follow_out"])[role], .8, n))),
                      0).astype(np.int64)
    f = np.repeat(idx, outdeg)
    wf = np.where(real, attract ** .85 + .03, 0.)
    t = _pick(rng, comm[f], wf, comm, .6, K)
    keep = (t >= 0) & (t != f)
    key = np.unique(f[keep] * n + t[keep])
    ef, et = key // n, key % n
    etk = np.ones(len(ef), np.int64)
    bf = np.flatnonzero(real & (rng.random(n) < .45))
    ef = np.concatenate([ef, bf])
    et = np.concatenate([et, np.zeros(len(bf), np.int64)])
    etk = np.concatenate([etk, np.full(len(bf), 2)])
    p_new = min(.4, .12 * days / 90 + .02)
    new = (rng.random(len(ef)) < p_new) | (start[ef] > t0)
    lo = np.where(etk == 1, np.maximum(created[ef], created[et]), created[ef])
    since = lo + (rng.random(len(ef)) * np.maximum(t0 - lo, 0)).astype(np.int64)
    since[new] = start[ef[new]] + (rng.random(new.sum()) * dur[ef[new]]).astype(np.int64)
    ech = draw_ch("follow", len(ef))

    # hollow buyers and bots -------------------------------------------------------------
    hollow = np.zeros(n, bool)
    followers_extra = np.zeros(n)
    bot_pos = n_real
    n_created = np.bincount(c_actor, minlength=n)
    role_w = {"count": (.1, .55, .1, .25), "botfollow": (.05, .6, .25, .1), "swarm": (.15, .85, 0, 0)}
    bot_edges = []
    for mech, h in hollow_cfg.items():
        rw = np.array(role_w[mech], float)
        cand = real & ~hollow & (n_created >= 2 if mech == "swarm" else True)
        rcount = np.bincount(role[cand], minlength=4)
        pw = np.where(cand, rw[role] / np.maximum(rcount[role], 1), 0.)
        n_buy = min(max(2, int(round(h["frac"] * n_real))), int((pw > 0).sum()))
        if n_buy == 0:
            continue
        buyers = rng.choice(n, n_buy, replace=False, p=pw / pw.sum())
        hollow[buyers] = True
        if "inflate" in h:
            followers_extra[buyers] += _ln(rng, h["inflate"], .8, n_buy)
        nb = n_bots_mech.get(mech, 0)
        if nb == 0:
            continue
        bots = np.arange(bot_pos, bot_pos + nb)
        bot_pos += nb
        bw = _ln(rng, 1., 1., n_buy)
        owner = buyers[rng.choice(n_buy, nb, p=bw / bw.sum())]
        comm[bots] = comm[owner]
        if mech == "botfollow":
            bursts = t0 + (rng.random((n, 2)) * .9 * T).astype(np.int64)
            s = bursts[owner, rng.integers(0, 2, nb)] + (rng.exponential(4 * 3600, nb)).astype(np.int64)
            created[bots] = s - (rng.random(nb) * 3 * DAY).astype(np.int64)
            bot_edges.append((bots, owner, s))
            cam = rng.random(nb) < .5
            infl = np.flatnonzero(real & (role == 0))
            wi = attract[infl] / attract[infl].sum()
            bot_edges.append((bots[cam], infl[rng.choice(len(infl), cam.sum(), p=wi)],
                              s[cam] + (rng.random(cam.sum()) * 7200).astype(np.int64)))
        else:  # swarm
            k = np.minimum(1 + rng.poisson(.8, nb), 4)
            sa = np.repeat(bots, k)
            so = np.repeat(owner, k)
            order = np.argsort(c_actor, kind="stable")
            first = np.searchsorted(c_actor[order], so)
            pick = order[first + (rng.random(len(sa)) * n_created[so]).astype(np.int64)]
            acts_ = list(h["actions"])
            pa = np.array(list(h["actions"].values()), float)
            sact = np.array([AI[a] for a in acts_])[rng.choice(len(acts_), len(sa), p=pa / pa.sum())]
            # a bot leaves at most one depth action (its first); the rest are likes / views
            later = (np.arange(len(sa)) - np.repeat(np.cumsum(k) - k, k)) > 0
            lite = np.array([AI[a] for a in acts_ if a not in DEPTH] or [AI["like"]])
            fix = later & np.isin(sact, didx)
            sact[fix] = lite[rng.integers(0, len(lite), fix.sum())]
            ts = np.minimum(c_ts[pick] + rng.exponential(3 * 3600, len(sa)).astype(np.int64) + 60,
                            t1 - 60)
            ch = np.empty(len(sa), np.int64)
            for a in np.unique(sact):
                m_ = sact == a
                ch[m_] = draw_ch(ACTIONS[a], m_.sum())
            cc = c_ch[pick]
            okc = allowed[sact, cc]
            ch[okc] = cc[okc]
            ev.add(sa, sact, ts, ch, 1, c_actor[pick], 1, pick, c_topic[pick])
            first_ts = np.full(n, t1, np.int64)
            np.minimum.at(first_ts, sa, ts)
            created[bots] = first_ts[bots] - ((1 + rng.random(nb) * 9) * DAY).astype(np.int64)
            bot_edges.append((bots, owner, created[bots] + (rng.random(nb) * DAY).astype(np.int64)))
        start[bots] = created[bots]
    for bf_, bt_, bs_ in bot_edges:
        ef = np.concatenate([ef, bf_])
        et = np.concatenate([et, bt_])
        etk = np.concatenate([etk, np.ones(len(bf_), np.int64)])
        since = np.concatenate([since, bs_])
        ech = np.concatenate([ech, draw_ch("follow", len(bf_))])

    # follow events: edges created inside the window
    fe = since >= t0
    ev.add(ef[fe], AI["follow"], since[fe], ech[fe], etk[fe], et[fe], 0, -1, -1)

    # fan top-up: at least 4 depth actions after all drops -------------------------------
    arr = ev.arrays()
    is_depth = np.isin(arr["act"], didx)
    depth_n = np.bincount(arr["actor"][is_depth], minlength=n)
    need = np.where(fan, np.maximum(0, 4 - depth_n), 0)
    top = ("mention", "newsletter_click", "purchase")
    tw = np.array([MIX[a][2] * mult[a] for a in top])
    alloc = rng.multinomial(need, tw / tw.sum())
    for j, a in enumerate(top):
        emit(a, np.repeat(idx, alloc[:, j]))
    arr = ev.arrays()

    # noise: duplicates and missing channels ---------------------------------------------
    m = len(arr["actor"])
    arr["ch"][rng.random(m) < cfg["miss_channel"]] = -1
    dup = np.flatnonzero(rng.random(m) < cfg["dup"])
    sel = np.concatenate([np.arange(m), dup])
    arr = {k: v[sel] for k, v in arr.items()}
    m = len(sel)

    # member ids --------------------------------------------------------------------------
    width = max(6, len(str(10 * n)))
    ids = _fmt("m", rng.choice(10 ** width, n, replace=False), width).astype(object)

    # events table
    order = np.lexsort((arr["act"], ids[arr["actor"]].astype(str), arr["ts"]))
    arr = {k: v[order] for k, v in arr.items()}
    ch_names = np.array(chan_names + [None], dtype=object)
    target = np.full(m, None, dtype=object)
    tk, ti = arr["tk"], arr["ti"]
    target[tk == 1] = ids[ti[tk == 1]]
    target[tk == 2] = ext_ids[ti[tk == 2]]
    content = np.full(m, None, dtype=object)
    ck, ci = arr["ck"], arr["ci"]
    content[ck == 1] = _fmt("c", ci[ck == 1], 7)
    content[ck == 2] = _fmt("x", ci[ck == 2], 5)
    content[ck == 3] = _fmt("nl-", ci[ck == 3], 3)
    tnames = np.array(topic_names + [None], dtype=object)
    events = pd.DataFrame({
        "member_id": ids[arr["actor"]],
        "action": np.array(ACTIONS, dtype=object)[arr["act"]],
        "timestamp": pd.to_datetime(arr["ts"], unit="s", utc=True),
        "channel": ch_names[arr["ch"]],
        "target_id": target,
        "content_id": content,
        "topic": tnames[arr["tp"]],
        "value": arr["val"],
    })

    # follows table
    keep = np.ones(len(ef), bool)
    if cfg["follows"] == "partial":
        linked = rng.random(n) < cfg["linked_frac"]
        keep = linked[ef]
    elif cfg["follows"] == "missing":
        keep[:] = False
    fo = np.lexsort((et[keep], etk[keep], ef[keep]))
    kf, kt, ktk, ks, kc = (x[keep][fo] for x in (ef, et, etk, since, ech))
    followee = np.where(ktk == 1, ids[kt], ext_ids[np.minimum(kt, n_ext - 1)]).astype(object)
    follows = pd.DataFrame({
        "follower_id": ids[kf].astype(object), "followee_id": followee,
        "channel": np.array(chan_names, dtype=object)[kc],
        "since": pd.to_datetime(ks, unit="s", utc=True)})

    # members table ----------------------------------------------------------------------
    indeg = np.bincount(et[etk == 1], minlength=n)
    outdeg_all = np.bincount(ef, minlength=n)
    aud = _ln(rng, np.array(cfg["audience"], float)[role], .7, n)
    inf = role == 0
    aud[inf] = cfg["audience"][0] * (attract[inf] / cfg["inf_scale"]) * _ln(rng, 1., .3, inf.sum())
    followers = np.round(indeg + aud + followers_extra)
    following = np.round(outdeg_all * _ln(rng, 3., .5, n) + followers_extra * .02)
    followers[is_bot] = rng.integers(0, 4, is_bot.sum())
    following[is_bot] = np.round(_ln(rng, 800., .8, is_bot.sum()))
    nanm = rng.random(n) < np.where(inf, .5, 1.) * cfg["followers_nan"]
    followers[nanm] = np.nan
    following[nanm] = np.nan

    kind = np.full(n, "person", dtype=object)
    kind[inf & (rng.random(n) < cfg["media_inf"])] = "media"
    kind[(role == 1) & real & (rng.random(n) < cfg["brand_blog"])] = "brand"
    fi = rng.integers(0, len(_FIRST), n)
    la = rng.integers(0, len(_LAST), n)
    name = np.char.add(np.char.add(_FIRST[fi], " "), _LAST[la]).astype(object)
    handle = np.char.add(np.char.add(np.char.add("@", np.char.lower(_FIRST[fi])), "."),
                         np.char.add(np.char.lower(_LAST[la]), _s(rng.integers(1, 99, n)))).astype(object)
    wd = _WORD[rng.integers(0, len(_WORD), n)]
    bname = np.char.add(np.char.add(wd, " "), _BRAND_SUFFIX[rng.integers(0, 5, n)]).astype(object)
    mname = np.char.add(np.char.add(wd, " "), _MEDIA_SUFFIX[rng.integers(0, 5, n)]).astype(object)
    name = np.where(kind == "brand", bname, np.where(kind == "media", mname, name))
    handle = np.where(kind == "person", handle,
                      np.char.add("@", np.char.lower(np.char.replace(_s(name), " ", ""))).astype(object))
    name[is_bot] = None
    handle[is_bot] = _fmt("@user", rng.integers(0, 10 ** 7, is_bot.sum()), 7).astype(object)
    hc = list(cfg["home"])
    hp = np.array(list(cfg["home"].values()), float)
    home = np.array(hc, dtype=object)[rng.choice(len(hc), n, p=hp / hp.sum())]
    home[rng.random(n) < cfg["miss_channel"]] = None
    members = pd.DataFrame({
        "member_id": ids, "name": name, "handle": handle, "channel": home,
        "followers": followers, "following": following, "kind": kind,
        "created_at": pd.to_datetime(created, unit="s", utc=True)})
    truth = pd.DataFrame({"member_id": ids, "role": np.array(ROLES, dtype=object)[role],
                          "hollow": hollow})
    mo = np.argsort(ids.astype(str), kind="stable")
    members = members.iloc[mo].reset_index(drop=True)
    truth = truth.iloc[mo].reset_index(drop=True)
    return {"members": members, "events": events, "follows": follows, "truth": truth}


# ------------------------------------------------------------------------------------------
def _self_check():
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    n = 5000
    for setting in SETTINGS:
        t_ = time.perf_counter()
        d = generate(n, setting, seed=0)
        el = time.perf_counter() - t_
        mem, ev, fo, tr = d["members"], d["events"], d["follows"], d["truth"]
        # contract
        for col in ("member_id", "name", "handle", "channel", "followers", "following", "kind",
                    "created_at"):
            assert col in mem.columns, col
        assert list(ev.columns) == ["member_id", "action", "timestamp", "channel", "target_id",
                                    "content_id", "topic", "value"]
        assert list(fo.columns) == ["follower_id", "followee_id", "channel", "since"]
        assert list(tr.columns) == ["member_id", "role", "hollow"]
        assert all(isinstance(x, str) for x in mem.member_id)
        assert all(isinstance(x, str) for x in ev.member_id)
        assert all(isinstance(x, str) for x in ev.target_id.dropna())
        assert all(isinstance(x, str) for x in fo.follower_id) and all(
            isinstance(x, str) for x in fo.followee_id)
        assert len(tr) == n and tr.member_id.is_unique and mem.member_id.is_unique
        assert set(tr.member_id) == set(mem.member_id)
        assert set(ev.member_id) <= set(tr.member_id) and set(fo.follower_id) <= set(tr.member_id)
        assert set(tr.role) <= set(ROLES) and tr.hollow.dtype == bool
        assert set(ev.action) <= set(ACTIONS)
        assert str(ev.timestamp.dt.tz) == "UTC" and str(fo.since.dt.tz) == "UTC"
        assert set(mem.kind) <= {"person", "brand", "media"}
        cre = ev[ev.action.isin(CREATE)]
        assert cre.content_id.notna().all() and cre.target_id.isna().all()
        owner = cre.drop_duplicates("content_id").set_index("content_id").member_id
        reac = ev[ev.action.isin(CONTENT_REACT) & ev.content_id.str.startswith("c", na=False)]
        assert (reac.target_id.values == owner.reindex(reac.content_id).values).all()
        assert (reac.member_id != reac.target_id).all()
        assert ev.value.notna().sum() == (ev.action == "purchase").sum()
        assert el < 5.0, f"{setting} took {el:.2f}s"
        assert len(ev) / n <= 60, len(ev) / n
        d2 = generate(n, setting, seed=0)
        for k in d:
            pd.testing.assert_frame_equal(d[k], d2[k])
        assert not generate(n, setting, seed=1)["truth"].equals(tr)

        # behaviour per member
        dd = ev.drop_duplicates()
        g = dd.groupby("member_id")
        beh = pd.DataFrame({
            "events": g.size(),
            "create": dd[dd.action.isin(CREATE)].groupby("member_id").size(),
            "react": dd[dd.action.isin(("like",) + DEPTH)].groupby("member_id").size(),
            "depth": dd[dd.action.isin(DEPTH)].groupby("member_id").size(),
            "channels": dd.dropna(subset=["channel"]).groupby("member_id").channel.nunique(),
            "reach": dd[dd.action.isin(("reply", "comment", "share", "retweet", "mention"))]
            .groupby("target_id").member_id.nunique(),
            "indeg": fo.groupby("followee_id").size(),
        }).reindex(tr.member_id).fillna(0)
        beh["followers"] = mem.set_index("member_id").followers.reindex(tr.member_id).values
        beh["role"] = tr.role.values
        beh["hollow"] = tr.hollow.values
        med = beh.groupby("role")[["events", "create", "react", "depth", "channels", "reach",
                                   "indeg", "followers"]].median().reindex(list(ROLES))
        # label agreement
        ok_hollow = ~beh.hollow
        r = beh.role
        assert (beh.create[r == "follower"] <= 1).all()
        assert (beh.depth[(r == "follower")] <= 2).all()
        assert (beh.depth[r == "fan"] >= 4).all() and (beh.create[r == "fan"] <= 3).all()
        assert (beh.create[r == "blogger"] >= 3).all()
        assert (beh.create[r == "blogger"] >= beh.react[r == "blogger"]).all()
        assert (beh.create[r == "influencer"] >= 3).all()
        assert med.loc["influencer", "reach"] > 3 * beh.reach[(r == "blogger") & ok_hollow].median()
        assert med.loc["fan", "depth"] > 2 * max(1, med.loc["follower", "depth"])

        print(f"\n=== {setting}  ({el:.2f}s; n={n})")
        print("roles :", tr.role.value_counts().reindex(list(ROLES)).to_dict(),
              "| hollow:", tr[tr.hollow].role.value_counts().to_dict(),
              "| bots(no name):", int(mem.name.isna().sum()))
        print(f"events: {len(ev)} ({len(ev) / n:.1f}/member, dup rows {ev.duplicated().sum()},"
              f" no channel {ev.channel.isna().mean():.1%}, non-member targets "
              f"{(~ev.target_id.dropna().isin(set(tr.member_id))).mean():.1%}) | follows: {len(fo)}"
              f" | window {ev.timestamp.min():%Y-%m-%d}..{ev.timestamp.max():%Y-%m-%d}")
        print("actions:", ev.action.value_counts().to_dict())
        print(med.round(1).to_string())
        if tr.hollow.any():
            print("hollow medians:", beh[beh.hollow][["create", "reach", "indeg", "followers"]]
                  .median().round(0).to_dict())
    t_ = time.perf_counter()
    try:
        generate(100, "nope")
    except ValueError as e:
        print("\nunknown setting ->", e)
    else:
        raise AssertionError("expected ValueError")
    print("self-check passed")


if __name__ == "__main__":
    _self_check()
