"""Synthetic community-analytics data with planted member roles (blind generator #6).

The world
---------
Each dataset is one brand/community observed for a time window across a few
channels.  Members are a mixture of *archetypes*; each archetype has exactly one
true role (influencer / blogger / fan / follower), and the role follows from
the behaviour the archetype is simulated with, never from thresholds computed
afterwards:

* ``brand``: the community's own account (``kind='brand'``). Posts a lot, is
  the most frequent target (likes, comments, mentions, follows, newsletter,
  event and purchase targets). True role: influencer. In one setting the brand
  account is *not* exported as a member: it then only appears as ``target_id``.
* ``broadcast`` (influencer): news/media-like (70 % ``kind='media'``); posts
  very often, content is mostly reshared/viewed, hardly any conversation.
* ``conversational`` (influencer): personalities who are mostly replied to and
  mentioned, and who reply back a lot (their replies target the commenters).
* ``micro`` (influencer): modest platform audience and modest in-community
  following, but their content gets very high and broad resharing.
* ``blogger``: regular original content (posts / blog posts / videos),
  moderate appeal; creates more than it reacts.  ``celebrity_creator``: a
  famous person who posts regularly but gets little in-community pull
  (platform ``followers`` in the millions) -> blogger.
* ``fan``: repeated engagement spread over channels (likes, comments, shares,
  newsletter opens/clicks, events, purchases), loyal to a few favourite
  creators, creates little.
* ``follower``: connected but mostly passive (views, newsletter opens, rare
  likes).  Sub-archetypes with role follower: ``heavy_consumer`` (very heavy
  single-channel likers/viewers), ``celebrity`` (huge platform follower count,
  followed by many members, posts rarely and draws few interactions) and
  ``bot`` (low-quality accounts created in batches: no bio, ~0 followers, huge
  ``following``; they are the supply side of bought followers/engagement).

Activity is heavy-tailed (mean-one log-normal activity per member, times an
archetype profile); reactions pick content through a channel-aware weighted
feed, a per-member set of favourite creators (loyalty) or outside content.
Reaction time = content time + delay (engagement after the window end is lost).
Days are weighted by a weekly pattern, trend and campaign/match/launch spikes,
hours by a diurnal curve in each member's local time zone.  Some members join
during the window (no activity before ``created_at``).

Hollow accounts (``truth.hollow``) are members whose apparent influence is
manufactured; their ``role`` is their genuine archetype's role (blogger, fan or
follower; never influencer).  Mechanisms (``truth.hollow_mechanism``):

* ``bought_followers``: bot members follow the buyer in bursts around 1-3
  purchase dates; platform ``followers`` inflated by tens of thousands.
  Buyers are bloggers, but also passive fans/followers ("wannabes").
* ``bought_engagement``: per bought post a package of likes, reshares and
  *generic* comments/replies (text column, e.g. "Nice 🔥") plus (streaming)
  views, all from bots within minutes of posting.
* ``pod``: groups of 5-10 genuine bloggers who systematically like, comment
  and share each other's posts within the first hours and follow each other.
* ``f4f``: follow-for-follow rings (complete mutual following, follow-back
  "trains"), members inflate ``followers`` and ``following`` together.

Bots themselves are role ``follower`` and ``hollow=False`` (they have no
influence, bought or otherwise).  ``truth`` carries two extra diagnostic
columns: ``archetype`` and ``hollow_mechanism``.

Output: ``members`` (member_id, name, handle, channel, followers, following,
bio, kind, created_at), ``events`` (member_id, action, timestamp, channel,
target_id, content_id, topic, value, text), ``follows`` (follower_id,
followee_id, channel, since) and ``truth``.  Member ids are strings; a few odd
ones ("NA", "None", "nan", "007", "1e3", unicode ...) are planted.

Settings
--------
* ``default``: mid-size lifestyle/apparel brand on Instagram, X, TikTok,
  YouTube + blog, newsletter, web store and pop-up events; 180 days; ~1.5 %
  influencers; hollow ~5 % of creators with all four mechanisms.
* ``beauty_instagram``: cosmetics brand living on Instagram (+TikTok/YouTube,
  store); influencer-marketing heavy (4 % influencers, many bloggers); about
  a third of creators are hollow, mostly bought followers and bought
  engagement (big bot farm); follower counts scraped and rounded ("12.3K").
* ``b2b_saas``: SaaS company with LinkedIn + newsletter + blog + webinars;
  0.5 % influencers (thought leaders), followers are mostly newsletter
  readers; LinkedIn engagement pods dominate the hollow accounts; follows are
  a thin 30 % sample without ``since``; 30 % missing ``followers``; office-hour
  rhythm, ISO string timestamps, zero-padded numeric ids (CRM export).
* ``sports_club``: football club on X/Instagram/TikTok/YouTube with
  matchdays (weekly spikes, stadium event attendance), merch store; 30 % fans,
  star players as celebrities, journalists and sports media as influencers;
  40 % missing ``followers``; two brand accounts (club + women's team).
* ``political``: campaign community on X/Facebook/YouTube; retweet-driven,
  lots of outside content reshared; big follow-back trains (f4f rings) and
  retweet bots; donations as purchases, rallies as events; half of ``since``
  missing; debate-night spikes.
* ``podcast``: a podcast on YouTube/X/Discord/Instagram + newsletter +
  merch/memberships; hosts are conversational influencers; 365 days;
  **no follow table** (empty ``follows``); many heavy listeners/viewers.
* ``local_retailer``: neighbourhood shop on Facebook/Instagram, in-store
  purchases, workshops, biweekly newsletter; small audiences (0.5 %
  influencers: local food bloggers/local news); the shop page is not exported
  as a member; 60 % missing ``followers``; 1 % duplicated event rows; 90 days.
* ``game_streamer``: streaming community on Twitch/YouTube/Discord/X; micro
  influencers (other streamers) dominate; view-bots and follow-bots; many
  heavy lurkers; follow export capped at the 150 most recent followers per
  account; 60 days.
* ``launch_week``: consumer-tech product launch, only **7 days** of data at
  high intensity on X/YouTube/Reddit + newsletter + pre-order store and one
  livestream; tech media (broadcast) influencers.
* ``fitness_tiktok``: fitness/supplement brand on TikTok/Instagram/YouTube;
  4 % influencers, mostly micro; hollow via follow-for-follow rings and pods;
  rounded follower counts; celebrity athletes; 90 days.
"""
from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

SETTINGS = (
    "default",
    "beauty_instagram",
    "b2b_saas",
    "sports_club",
    "political",
    "podcast",
    "local_retailer",
    "game_streamer",
    "launch_week",
    "fitness_tiktok",
)

ROLES = ("influencer", "blogger", "fan", "follower")
ACTIONS = ("view", "newsletter_open", "like", "follow", "newsletter_click", "reply",
           "comment", "mention", "share", "retweet", "post", "blog_post", "video",
           "event_attend", "purchase")
AI = {a: i for i, a in enumerate(ACTIONS)}

# ---------------------------------------------------------------- archetypes
ARCH = ("brand", "broadcast", "conversational", "micro", "blogger", "celebrity_creator",
        "fan", "follower", "heavy_consumer", "celebrity", "bot")
(A_BRAND, A_BROAD, A_CONV, A_MICRO, A_BLOG, A_CELEB_C, A_FAN, A_FOL, A_HEAVY,
 A_CELEB, A_BOT) = range(len(ARCH))
ARCH_ROLE = np.array([0, 0, 0, 0, 1, 1, 2, 3, 3, 3, 3])

# behaviour keys (expected counts per 180 days at activity 1)
KEYS = ("post", "blog_post", "video", "like", "comment", "reply", "reshare", "view",
        "mention", "newsletter_open", "newsletter_click", "event_attend", "purchase")
K = {k: i for i, k in enumerate(KEYS)}
_P = {
    #                 post  blog vid  like comm repl resh view  ment nlo  nlc  evt  purch
    A_BRAND:         (110, 10, 14, 20, 6, 70, 25, 0, 20, 0, 0, 0, 0),
    A_BROAD:         (160, 15, 10, 4, 1, 3, 12, 5, 6, 0, 0, 0, 0),
    A_CONV:          (55, 3, 4, 60, 30, 110, 15, 40, 45, 3, 0.5, 0.3, 0.2),
    A_MICRO:         (40, 4, 12, 50, 25, 30, 12, 60, 10, 2, 0.5, 0.5, 0.5),
    A_BLOG:          (32, 8, 6, 15, 7, 7, 3, 45, 6, 3, 0.5, 0.3, 0.4),
    A_CELEB_C:       (22, 0, 4, 2, 0.5, 1, 1, 2, 2, 0, 0, 0, 0),
    A_FAN:           (2, 0.1, 0.3, 45, 12, 4, 9, 60, 2.5, 14, 6, 1.5, 2.5),
    A_FOL:           (0.4, 0, 0.05, 3, 0.3, 0.2, 0.2, 14, 0.1, 5, 0.3, 0.05, 0.2),
    A_HEAVY:         (0.2, 0, 0, 160, 0.4, 0.1, 0.1, 240, 0, 0, 0, 0, 0),
    A_CELEB:         (4, 0, 0.5, 0.5, 0, 0.5, 0.3, 1, 0.5, 0, 0, 0, 0),
    A_BOT:           (0, 0, 0, 2, 0, 0, 0.2, 3, 0, 0, 0, 0, 0),
}
PROFILE = np.array([_P[a] for a in range(len(ARCH))], float)

#                      brand broad conv micro blog celC fan  fol  heavy celeb bot
APPEAL = np.array([60, 12, 10, 22, 1.0, 0.3, 0.1, 0.05, 0.03, 0.8, 0.0])
# reaction groups: like, comment, reply, reshare, view
G_LIKE, G_COMMENT, G_REPLY, G_RESHARE, G_VIEW = range(5)
GROUP_KEYS = ("like", "comment", "reply", "reshare", "view")
GMULT = np.ones((5, len(ARCH)))
GMULT[:, A_BRAND] = (1, 1, 0.6, 0.6, 3)
GMULT[:, A_BROAD] = (1, 0.12, 0.1, 3.5, 2)
GMULT[:, A_CONV] = (1, 1.6, 3.5, 0.5, 1)
GMULT[:, A_MICRO] = (1, 1.2, 1, 5.5, 1)
GMULT[:, A_BLOG] = (1, 1, 1, 0.7, 1)
GMULT[:, A_CELEB_C] = (1, 0.5, 0.3, 0.5, 1)
GMULT[3, A_FAN:] = 0.5
MENTION_APPEAL = np.array([40, 3, 40, 6, 1, 1, 0.05, 0.02, 0.01, 4, 0])
FOLLOW_APPEAL = np.array([50, 50, 35, 8, 4, 6, 0.3, 0.1, 0.1, 10, 0.02])
OUTDEG_MED = np.array([20, 15, 60, 80, 70, 20, 25, 6, 12, 5, 25])
P_HOME = np.array([0.5, 0.7, 0.6, 0.6, 0.6, 0.9, 0.35, 0.85, 1.0, 0.9, 1.0])
P_FAV = np.array([0, 0.05, 0.15, 0.2, 0.2, 0.1, 0.35, 0.15, 0.55, 0, 0])
ACT_SIGMA = np.array([0.1, 0.5, 0.5, 0.5, 0.8, 0.5, 1.0, 1.3, 0.9, 0.5, 0.5])
P_FOLLOW_BRAND = np.array([0, 0.4, 0.6, 0.7, 0.7, 0.2, 0.9, 0.55, 0.7, 0.1, 0.3])
P_RECIP = np.array([0.05, 0.01, 0.2, 0.35, 0.3, 0.01, 0.12, 0.04, 0.02, 0.0, 0.0])
PF_MED = np.array([0, 150e3, 40e3, 7e3, 2.5e3, 1.5e6, 180, 70, 90, 2e6, 6])
PF_SIG = np.array([0.2, 1.0, 0.9, 0.5, 1.0, 1.0, 1.1, 1.2, 1.2, 1.0, 1.5])
FOLLOWING_MED = np.array([300, 150, 900, 1100, 900, 400, 400, 180, 350, 300, 3000])

M_BF, M_BE, M_POD, M_F4F = 1, 2, 4, 8

# ---------------------------------------------------------------- vocabularies
_FIRST = ("Alex", "Sam", "Maria", "José", "Zoë", "Łukasz", "Søren", "Aiko", "李娜", "Mohammed",
          "Fatima", "Chloé", "Björn", "Priya", "Kwame", "Olga", "Nguyễn", "Renée", "Jürgen",
          "Ana", "Liam", "Emma", "Noah", "Olivia", "Mateo", "Sofía", "Yuki", "Inès", "Omar",
          "Leila", "Chen", "Ravi", "Hana", "Ivan", "Elif", "Tomás", "Aoife", "Siobhán",
          "Dmitri", "Zanele", "Grace", "Lucas", "Mia", "Ethan", "Amélie", "Kenji", "Ngozi",
          "Pedro", "Sara", "Jonas")
_FIRST_A = ("alex", "sam", "maria", "jose", "zoe", "lukasz", "soren", "aiko", "lina", "mohammed",
            "fatima", "chloe", "bjorn", "priya", "kwame", "olga", "nguyen", "renee", "jurgen",
            "ana", "liam", "emma", "noah", "olivia", "mateo", "sofia", "yuki", "ines", "omar",
            "leila", "chen", "ravi", "hana", "ivan", "elif", "tomas", "aoife", "siobhan",
            "dmitri", "zanele", "grace", "lucas", "mia", "ethan", "amelie", "kenji", "ngozi",
            "pedro", "sara", "jonas")
_LAST = ("Smith", "García", "Müller", "Rossi", "Dubois", "Kowalski", "Nakamura", "O'Brien",
         "Okafor", "Öztürk", "Andersson", "Silva", "Wang", "Patel", "Novák", "Hernández",
         "Jensen", "Ivanova", "Lee", "Kim", "Díaz", "Nguyen", "Cohen", "Haddad", "Brown")
_LAST_A = ("smith", "garcia", "muller", "rossi", "dubois", "kowalski", "nakamura", "obrien",
           "okafor", "ozturk", "andersson", "silva", "wang", "patel", "novak", "hernandez",
           "jensen", "ivanova", "lee", "kim", "diaz", "nguyen", "cohen", "haddad", "brown")
_ODD_IDS = ("NA", "None", "nan", "null", "007", "1e3", "0", "TRUE", "Ωmega-7", "名前_1", "-1",
            "user name")
_GENERIC = ("Nice 🔥", "Great post!", "Love it ❤️", "Amazing content 👏", "Wow 😍", "Cool!",
            "Awesome 💯", "DM us to collab 💸", "Beautiful ✨", "Keep it up 🙌", "👍👍👍", "🔥🔥🔥")
_POD = ("Great insights, thanks for sharing 🙌", "So true!", "Love this perspective 👏",
        "This is gold 💡", "Couldn't agree more!", "Saving this 📌", "Needed this today 🙏",
        "Such a great point", "Commenting for reach 🚀", "Well said!")
_OPEN = ("Honestly", "Wait,", "Not gonna lie", "Totally agree,", "Hmm,", "Question:", "Lol",
         "Same here,", "Interesting,", "Respectfully,", "Finally!", "Ok but", "Thank you,",
         "Anyone else think", "This", "So", "Hot take:", "Agreed,", "Ha,", "Curious:")
_BODY = ("the {t} part is the best", "what about {t}?", "been waiting for {t} news",
         "{t} is underrated", "tried it, {t} works", "is {t} coming back?", "more {t} please",
         "not sure about the {t} thing", "{t} changed my routine", "where can I get {t}?",
         "love the {t} angle", "{t} again 😅", "my take on {t} is different",
         "the {t} clip was great", "any tips on {t}?")
_BIO_INF = ("Creator | Speaker | 📩 collabs", "Host. Opinions my own.", "Writing about {t} daily",
            "📍Everywhere | {t} | links below")
_BIO_BLOG = ("Blogger ✍️ | {t}", "{t} nerd. New post every week", "Sharing my {t} journey",
             "Reviews, tips & {t}")
_BIO_FAN = ("{b} lover ❤️", "Big fan of {b}", "{t} & coffee", "Just here for {t}")
_BIO_FOL = ("", "", "Living my best life", "{t}", "she/her", "he/him", "🌍")
_BIO_WANNABE = ("Influencer 💎 | DM for promo 💸", "Brand ambassador ✨ | collabs open",
                "Digital creator 🚀 | 100K family")

_DIURNAL = {
    "consumer": [2, 1, .6, .4, .3, .4, .8, 1.5, 2, 2.2, 2.4, 2.8, 3.2, 3, 2.8, 2.8, 3, 3.4,
                 4, 4.6, 5, 4.8, 4, 3],
    "office": [.3, .2, .1, .1, .1, .3, 1, 3, 5.5, 6, 5.5, 5, 4.2, 5, 5, 4.5, 4, 3, 2, 1.5,
               1.3, 1.1, .8, .5],
    "sports": [2, 1, .5, .3, .2, .3, .6, 1.2, 1.6, 1.8, 2, 2.4, 2.8, 2.8, 2.8, 3, 3.4, 4,
               4.6, 5.4, 6, 5.6, 4, 3],
    "gamer": [5, 4.5, 3.5, 2.5, 1.5, .8, .5, .4, .5, .7, 1, 1.3, 1.6, 1.8, 2, 2.3, 2.8, 3.4,
              4, 4.8, 5.5, 6, 6, 5.6],
}
_WEEKLY = {
    "consumer": [1, 1, 1, 1, 1.05, 1.2, 1.2],
    "office": [1.2, 1.25, 1.2, 1.1, 0.9, 0.3, 0.25],
    "sports": [0.8, 0.8, 0.9, 0.9, 1.0, 1.5, 1.6],
    "flat": [1, 1, 1, 1, 1, 1, 1],
}

_CH_KIND = {"instagram": "social", "facebook": "social", "linkedin": "social", "x": "x",
            "tiktok": "video", "youtube": "video", "twitch": "video", "discord": "forum",
            "reddit": "forum", "blog": "blog", "newsletter": "newsletter", "store": "store",
            "events": "events"}
_CH_PREFIX = {"instagram": "ig", "facebook": "fb", "linkedin": "li", "x": "tw", "tiktok": "tt",
              "youtube": "yt", "twitch": "tv", "discord": "dc", "reddit": "rd", "blog": "bl"}


def _cfg(**kw):
    base = dict(
        desc="", start="2024-03-01", days=180, intensity=1.0,
        social={"instagram": .45, "x": .2, "tiktok": .2, "youtube": .15},
        extra=("blog", "newsletter", "store", "events"),
        mix=(.015, .06, .14), inf_types=(.35, .35, .30), celeb=.002,
        hollow=.05, mech=(.35, .30, .20, .15), bf_also_be=.2,
        bot=.02, heavy=.06, brand_members=1, brand_name="Northwind", partner=.004,
        media_blog=.04, brand_followers=90e3, platform_scale=1.0, bought_median=25e3,
        be_pkg=(60, .25, .08, 0.0), be_item_p=.6, bf_frac=.6,
        pod_size=(5, 10), pod_comment=.6, ring_size=(12, 30),
        follows="full", follow_sample=1.0, since_missing=0.0, followers_missing=.05,
        created_missing=0.0, rounded_counts=False, ts="timestamp", id_style="num",
        diurnal="consumer", weekly="consumer", trend=0.2, spikes=((40, 1.5, 2), (120, 1.0, 3)),
        tz=(1, 2.5), topics=("outfits", "sneakers", "sustainability", "travel", "summer drop",
                             "denim", "styling"),
        price=45.0, n_products=60, nl_every=7, live_events=4, event_hour=18,
        out_frac=(.03, .03, .08, .15, .02), out_mention=.2, new_follow=.25, newcomers=.08,
        dup=0.0, mult={}, deg_scale=1.0,
    )
    base.update(kw)
    return base


CONFIG = {
    "default": _cfg(desc="lifestyle/apparel brand, multi-channel, 180 days"),
    "beauty_instagram": _cfg(
        desc="cosmetics brand on Instagram, heavy influencer marketing, a third of creators hollow",
        start="2024-01-15", days=120, social={"instagram": .7, "tiktok": .2, "youtube": .1},
        extra=("newsletter", "store"), mix=(.04, .10, .12), inf_types=(.15, .35, .5),
        hollow=.35, mech=(.45, .40, .15, 0.0), bf_also_be=.5, bot=.09, heavy=.08,
        brand_name="Lumière Cosmetics", brand_followers=400e3, bought_median=60e3,
        be_pkg=(70, .15, .12, 0.0), rounded_counts=True, topics=(
            "skincare", "foundation", "lipstick", "dupes", "GRWM", "glass skin", "spf"),
        price=28.0, spikes=((20, 1.0, 2), (75, 2.5, 1)), mult={"event_attend": 0}),
    "b2b_saas": _cfg(
        desc="B2B SaaS: LinkedIn + newsletter + blog + webinars; pods; thin follow export",
        start="2024-02-05", days=150, social={"linkedin": .8, "x": .2},
        extra=("blog", "newsletter", "events", "store"), mix=(.005, .03, .08),
        inf_types=(.3, .6, .1), celeb=0.0005, hollow=.15, mech=(.15, .10, .75, 0.0), bot=.003,
        heavy=.02, brand_name="Stackwise", brand_followers=35e3, platform_scale=.6,
        pod_size=(6, 12), pod_comment=.85, follows="sample", follow_sample=.3,
        since_missing=1.0, followers_missing=.3, ts="iso", id_style="padded",
        diurnal="office", weekly="office", tz=(-2, 3.5), trend=.1,
        spikes=((30, .8, 1), (100, 1.2, 1)), topics=(
            "RevOps", "AI agents", "pricing", "PLG", "data stack", "hiring", "SOC2"),
        price=12000.0, n_products=4, nl_every=7, live_events=6, event_hour=16,
        mult={"newsletter_open": 2.5, "newsletter_click": 1.5, "purchase": .05, "video": .3,
              "view": .6, "like": .8}),
    "sports_club": _cfg(
        desc="football club: matchdays, merch, star players as celebrities, 30% fans",
        start="2024-08-01", days=150, social={"x": .4, "instagram": .35, "tiktok": .1,
                                              "youtube": .15},
        extra=("store", "events", "newsletter"), mix=(.02, .04, .30), inf_types=(.45, .45, .1),
        celeb=.004, hollow=.03, bot=.01, heavy=.05, brand_members=2, brand_name="FC Riverside",
        brand_followers=1.2e6, followers_missing=.4, diurnal="sports", weekly="sports",
        spikes=tuple((d, 1.6, .6) for d in range(3, 150, 7)), live_events=11, event_hour=15,
        topics=("matchday", "transfers", "lineup", "VAR", "academy", "tickets", "kit"),
        price=60.0, trend=0.0),
    "political": _cfg(
        desc="campaign community on X; follow-back trains and retweet bots; donations",
        start="2024-06-01", days=120, social={"x": .7, "facebook": .2, "youtube": .1},
        extra=("store", "events", "newsletter"), mix=(.03, .05, .12), inf_types=(.4, .45, .15),
        hollow=.10, mech=(.10, .35, 0.0, .55), bot=.07, heavy=.07, ring_size=(30, 80),
        be_pkg=(50, 1.0, .1, 0.0), brand_name="Campaign HQ", brand_followers=250e3,
        since_missing=.5, tz=(-5, 1.5), topics=("economy", "healthcare", "debate", "immigration",
                                                "climate", "polls", "turnout"),
        spikes=((27, 3.0, 1), (70, 2.0, 1), (110, 2.5, 2)), price=25.0, n_products=5,
        live_events=8, event_hour=19, out_frac=(.05, .05, .15, .35, .03), out_mention=.35),
    "podcast": _cfg(
        desc="podcast on YouTube/X/Discord; hosts conversational; no follow table; 365 days",
        start="2023-09-01", days=365, intensity=.55,
        social={"youtube": .35, "x": .25, "discord": .25, "instagram": .15},
        extra=("newsletter", "store"), mix=(.01, .02, .18), inf_types=(.2, .7, .1),
        hollow=.03, bot=.01, heavy=.10, brand_name="Deep Cuts Podcast", brand_followers=60e3,
        follows="none", ts="iso", id_style="snow", topics=(
            "episode", "guests", "true crime", "bonus ep", "live show", "theories"),
        spikes=tuple((d, .8, .8) for d in range(2, 365, 7)), price=8.0, n_products=6,
        mult={"event_attend": 0}, trend=.3),
    "local_retailer": _cfg(
        desc="neighbourhood bakery & shop: Facebook/Instagram, in-store purchases, workshops",
        start="2024-04-01", days=90, social={"facebook": .6, "instagram": .4},
        extra=("store", "events", "newsletter"), mix=(.005, .02, .22), inf_types=(.5, .3, .2),
        celeb=.0005, hollow=.02, mech=(1.0, 0, 0, 0), bot=.005, heavy=.04, brand_members=0,
        brand_name="Rye & Crumb", brand_followers=4e3, platform_scale=.15, followers_missing=.6,
        created_missing=.2, dup=.01, nl_every=14, live_events=5, event_hour=10,
        topics=("sourdough", "pastries", "workshops", "opening hours", "seasonal"),
        price=14.0, n_products=40, spikes=((45, 1.2, 1),), mult={"purchase": 3.0, "video": .2},
        out_frac=(.01, .01, .03, .05, .01), deg_scale=.6),
    "game_streamer": _cfg(
        desc="streaming community: Twitch/YouTube/Discord/X, view-bots, capped follow export",
        start="2024-05-01", days=60, social={"twitch": .45, "youtube": .2, "discord": .2, "x": .15},
        extra=("store",), mix=(.025, .05, .15), inf_types=(.1, .35, .55), hollow=.10,
        mech=(.45, .40, 0, .15), bot=.06, heavy=.15, brand_name="PixelRogue",
        brand_followers=300e3, be_pkg=(40, .05, .1, 8.0), follows="cap", follow_sample=150,
        diurnal="gamer", weekly="flat", tz=(0, 4), topics=("speedrun", "patch notes", "clips",
                                                          "raid", "tier list", "tournament"),
        price=5.0, n_products=3, spikes=((12, 1.0, 1), (41, 2.0, 1))),
    "launch_week": _cfg(
        desc="consumer-tech launch, only 7 days at high intensity",
        start="2024-09-09", days=7, intensity=4.0, social={"x": .45, "youtube": .3, "reddit": .25},
        extra=("newsletter", "store", "events"), mix=(.02, .04, .10), inf_types=(.6, .25, .15),
        hollow=.05, mech=(.5, .5, 0, 0), brand_name="Orbit Labs", brand_followers=800e3,
        spikes=((1, 3.0, .5),), nl_every=2, live_events=1, event_hour=17, trend=-.3,
        topics=("specs", "price", "preorder", "battery", "unboxing", "review"),
        price=399.0, n_products=3, tz=(-3, 4), new_follow=.5),
    "fitness_tiktok": _cfg(
        desc="fitness/supplement brand on TikTok; micro-influencers; f4f rings and pods",
        start="2024-01-01", days=90, social={"tiktok": .6, "instagram": .3, "youtube": .1},
        extra=("store", "events"), mix=(.04, .12, .12), inf_types=(.15, .25, .6), celeb=.003,
        hollow=.14, mech=(.15, .10, .35, .40), bot=.03, heavy=.08, brand_name="IronRoots",
        brand_followers=200e3, rounded_counts=True, ring_size=(15, 40),
        topics=("protein", "glute day", "meal prep", "cutting", "form check", "creatine"),
        price=35.0, spikes=((1, 2.0, 3), (60, 1.0, 2)), live_events=3, event_hour=9),
}


# ---------------------------------------------------------------- helpers
def _alloc(total, fracs):
    fr = np.asarray(fracs, float)
    total = int(total)
    if total <= 0 or fr.sum() <= 0:
        return np.zeros(len(fr), int)
    raw = total * fr / fr.sum()
    base = np.floor(raw).astype(int)
    order = np.argsort(-(raw - base), kind="stable")
    base[order[: total - base.sum()]] += 1
    return base


def _wsample(rng, w, size):
    w = np.asarray(w, float)
    if size == 0 or len(w) == 0:
        return np.zeros(0, np.int64)
    cw = np.cumsum(w)
    u = rng.random(size) * cw[-1]
    return np.minimum(np.searchsorted(cw, u, side="right"), len(w) - 1)


def _ln(rng, median, sigma, size):
    return np.asarray(median) * np.exp(sigma * rng.standard_normal(size))


def _unique_ints(rng, k, lo, hi):
    out = np.unique(rng.integers(lo, hi, size=int(k * 1.3) + 16))
    while len(out) < k:
        out = np.unique(np.concatenate([out, rng.integers(lo, hi, size=k)]))
    return rng.permutation(out)[:k]


def _str(a):
    return np.array(pd.Series(a).astype(str), dtype=object)


def _cat(*parts):
    """Element-wise string concatenation of object arrays / scalars."""
    s = None
    for p in parts:
        p = pd.Series(p, dtype=object) if not np.isscalar(p) else p
        s = p if s is None else s + p
    return np.array(s, dtype=object)


def _after(rng, t, c, s1):
    """Events drawn before the account existed are re-drawn uniformly after its creation."""
    bad = t < c
    t = t.copy()
    t[bad] = c[bad] + (rng.random(bad.sum()) * np.maximum(s1 - c[bad], 1)).astype(np.int64)
    return t


def _group_pairs(mem, gid):
    """All ordered pairs (a, b), a != b, of members sharing a group id."""
    if len(mem) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    o = np.argsort(gid, kind="stable")
    mem, gid = mem[o], gid[o]
    uq, st, cnt = np.unique(gid, return_index=True, return_counts=True)
    gi = np.searchsorted(uq, gid)
    rep = cnt[gi]
    a = np.repeat(mem, rep)
    within = np.arange(rep.sum()) - np.repeat(np.cumsum(rep) - rep, rep)
    b = mem[np.repeat(st[gi], rep) + within]
    keep = a != b
    return a[keep], b[keep]


class _Clock:
    def __init__(self, cfg, rng):
        self.start = pd.Timestamp(cfg["start"], tz="UTC")
        self.s0 = int(self.start.timestamp())
        self.days = int(cfg["days"])
        self.s1 = self.s0 + self.days * 86400
        d = np.arange(self.days)
        w = 1 + cfg["trend"] * d / max(self.days, 1)
        w = w * np.asarray(_WEEKLY[cfg["weekly"]])[(self.start.day_of_week + d) % 7]
        base = w.mean()
        for day, amp, width in cfg["spikes"]:
            w = w + base * amp * np.exp(-0.5 * ((d - day) / width) ** 2)
        self.day_w = w * np.exp(0.15 * rng.standard_normal(self.days))
        self.hour_w = np.asarray(_DIURNAL[cfg["diurnal"]], float)

    def sample(self, rng, tz):
        k = len(tz)
        day = _wsample(rng, self.day_w, k)
        hr = _wsample(rng, self.hour_w, k)
        sec = day * 86400 + (hr - tz) * 3600 + rng.integers(0, 3600, k)
        return self.s0 + np.mod(sec, self.days * 86400)


# ---------------------------------------------------------------- generator
def generate(n: int, setting: str = "default", seed: int = 0) -> dict[str, pd.DataFrame]:
    if setting not in CONFIG:
        raise ValueError(f"unknown setting {setting!r}; choose from {SETTINGS}")
    cfg = CONFIG[setting]
    n = int(n)
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), SETTINGS.index(setting), n]))
    clock = _Clock(cfg, rng)
    fw = cfg["days"] / 180.0 * cfg["intensity"]

    # ---------------- population
    nb_vis = min(cfg["brand_members"], n)
    nb_hid = 1 if cfg["brand_members"] == 0 else 0
    M = n + nb_hid
    p_inf, p_blog, p_fan = cfg["mix"]
    n_inf = min(n, max(nb_vis, int(round(n * p_inf))))
    n_blog = min(n - n_inf, int(round(n * p_blog)))
    n_fan = min(n - n_inf - n_blog, int(round(n * p_fan)))
    n_fol = n - n_inf - n_blog - n_fan
    n_celeb = int(round(n * cfg["celeb"]))
    n_celeb_c = min(n_blog, n_celeb * 2 // 5)
    n_celeb_f = min(n_fol, n_celeb - n_celeb_c)
    n_creators = n_inf + n_blog
    H = int(round(cfg["hollow"] * n_creators))
    h_split = _alloc(H, cfg["mech"])  # bf, be, pod, f4f
    n_bot = int(round(n * cfg["bot"]))
    if (h_split[0] + h_split[1]) > 0 and n >= 200:
        n_bot = max(n_bot, 25)
    n_bot = min(n_bot, max(0, (n_fol - n_celeb_f) // 2))
    rest = n_fol - n_celeb_f - n_bot
    n_heavy = int(round(cfg["heavy"] * rest))
    inf_split = _alloc(n_inf - nb_vis, cfg["inf_types"])
    arch_v = np.concatenate([
        np.full(nb_vis, A_BRAND), np.full(inf_split[0], A_BROAD), np.full(inf_split[1], A_CONV),
        np.full(inf_split[2], A_MICRO), np.full(n_blog - n_celeb_c, A_BLOG),
        np.full(n_celeb_c, A_CELEB_C), np.full(n_fan, A_FAN), np.full(n_bot, A_BOT),
        np.full(n_celeb_f, A_CELEB), np.full(n_heavy, A_HEAVY),
        np.full(rest - n_heavy, A_FOL)]).astype(np.int64)
    arch = np.concatenate([rng.permutation(arch_v), np.full(nb_hid, A_BRAND)]).astype(np.int64)
    hidden = np.zeros(M, bool)
    hidden[n:] = True
    role = ARCH_ROLE[arch]
    brands = np.flatnonzero(arch == A_BRAND)
    main_brand = brands[0] if len(brands) else -1

    # ---------------- hollow accounts
    mech = np.zeros(M, np.int64)
    pools = {a: list(rng.permutation(np.flatnonzero(arch == a))) for a in (A_BLOG, A_FAN, A_FOL)}

    def take(a, k):
        k = min(int(k), len(pools[a]))
        out = np.array(pools[a][:k], np.int64)
        del pools[a][:k]
        return out

    pod_id = np.full(M, -1, np.int64)
    if h_split[2] > 0:
        lo, hi = cfg["pod_size"]
        npods = max(1, int(round(h_split[2] / ((lo + hi) / 2))))
        sizes = rng.integers(lo, hi + 1, npods)
        mem = take(A_BLOG, sizes.sum())
        pod_id[mem] = np.repeat(np.arange(npods), sizes)[: len(mem)]
        mech[mem] |= M_POD
    ring_id = np.full(M, -1, np.int64)
    if h_split[3] > 0:
        lo, hi = cfg["ring_size"]
        nr = max(1, int(round(h_split[3] / ((lo + hi) / 2))))
        sizes = rng.integers(lo, hi + 1, nr)
        sp = _alloc(sizes.sum(), (.4, .15, .45))
        mem = rng.permutation(np.concatenate([take(A_BLOG, sp[0]), take(A_FAN, sp[1]),
                                              take(A_FOL, sp[2])]))
        ring_id[mem] = np.repeat(np.arange(nr), sizes)[: len(mem)]
        mech[mem] |= M_F4F
    if h_split[0] > 0:
        sp = _alloc(h_split[0], (.6, .15, .25))
        mem = np.concatenate([take(A_BLOG, sp[0]), take(A_FAN, sp[1]), take(A_FOL, sp[2])])
        mech[mem] |= M_BF
        both = mem[(arch[mem] == A_BLOG) & (rng.random(len(mem)) < cfg["bf_also_be"])]
        mech[both] |= M_BE
    if h_split[1] > 0:
        mech[take(A_BLOG, h_split[1])] |= M_BE
    hollow = mech > 0
    bots = np.flatnonzero(arch == A_BOT)
    nbots = len(bots)

    # ---------------- member attributes
    sc_names = list(cfg["social"].keys())
    channels = sc_names + list(cfg["extra"])
    CH = {c: i for i, c in enumerate(channels)}
    ch_kind = np.array([_CH_KIND[c] for c in channels], object)
    n_ch = len(channels)
    sc_w = np.array(list(cfg["social"].values()), float)
    home = _wsample(rng, sc_w, M)
    home[brands] = 0
    tz = np.round(cfg["tz"][0] + cfg["tz"][1] * rng.standard_normal(M) * (rng.random(M) < .35))
    tz = tz.astype(np.int64)
    sig = ACT_SIGMA[arch]
    act = np.minimum(np.exp(sig * rng.standard_normal(M) - sig ** 2 / 2), 60.0)
    topics = np.array(cfg["topics"], object)
    ntop = len(topics)
    top_w = 1.0 / np.arange(1, ntop + 1)
    m_topic = _wsample(rng, top_w, M)

    created = clock.s0 - (_ln(rng, 1500, .6, M) * 86400).astype(np.int64)
    created = np.maximum(created, int(pd.Timestamp("2007-03-01", tz="UTC").timestamp()))
    created[brands] = clock.s0 - (_ln(rng, 3000, .3, len(brands)) * 86400).astype(np.int64)
    newc = np.flatnonzero(np.isin(arch, (A_FAN, A_FOL, A_HEAVY)) & ~hollow &
                          (rng.random(M) < cfg["newcomers"]))
    created[newc] = clock.s0 + (rng.random(len(newc)) * .9 * clock.days * 86400).astype(np.int64)
    if nbots:
        nbatch = int(rng.integers(3, 7))
        bdates = clock.s0 - rng.integers(5, 200, nbatch) * 86400
        created[bots] = bdates[rng.integers(0, nbatch, nbots)] + rng.integers(0, 6 * 3600, nbots)

    # ---------------- content creation
    fav_rates = PROFILE[arch] * act[:, None] * fw
    mult = np.ones(len(KEYS))
    for k_, v in cfg["mult"].items():
        mult[K[k_]] = v
    kinds = set(ch_kind)
    if "blog" not in kinds:
        mult[K["blog_post"]] = 0
    if "newsletter" not in kinds:
        mult[K["newsletter_open"]] = mult[K["newsletter_click"]] = 0
    if "events" not in kinds:
        mult[K["event_attend"]] = 0
    if "store" not in kinds:
        mult[K["purchase"]] = 0
    rates = fav_rates * mult
    rates[brands] = PROFILE[A_BRAND] * fw * mult
    counts = rng.poisson(rates)
    vid_ch = np.flatnonzero(ch_kind == "video")
    post_ch = np.flatnonzero(np.isin(ch_kind, ("social", "x", "forum", "video")))

    cr_m, cr_a = [], []
    for key in ("post", "blog_post", "video"):
        c = counts[:, K[key]]
        cr_m.append(np.repeat(np.arange(M), c))
        cr_a.append(np.full(c.sum(), AI[key]))
    item_cr = np.concatenate(cr_m)
    item_act = np.concatenate(cr_a)
    n_item = len(item_cr)
    item_ch = np.where(rng.random(n_item) < .75, home[item_cr], post_ch[_wsample(rng, sc_w[post_ch], n_item)])
    if len(vid_ch):
        isv = item_act == AI["video"]
        hv = np.isin(home[item_cr], vid_ch)
        item_ch[isv] = np.where(hv[isv], home[item_cr][isv],
                                vid_ch[_wsample(rng, sc_w[vid_ch], isv.sum())])
    else:
        item_act[item_act == AI["video"]] = AI["post"]
    if "blog" in CH:
        item_ch[item_act == AI["blog_post"]] = CH["blog"]
    item_act[(ch_kind[item_ch] == "video") & (item_act == AI["post"])] = AI["video"]
    item_t = clock.sample(rng, tz[item_cr])
    item_t = np.maximum(item_t, created[item_cr] + 3600)
    ok = item_t < clock.s1
    item_cr, item_act, item_ch, item_t = item_cr[ok], item_act[ok], item_ch[ok], item_t[ok]
    o = np.argsort(item_cr, kind="stable")
    item_cr, item_act, item_ch, item_t = item_cr[o], item_act[o], item_ch[o], item_t[o]
    n_item = len(item_cr)
    item_top = np.where(rng.random(n_item) < .7, m_topic[item_cr], _wsample(rng, top_w, n_item))
    item_w = APPEAL[arch[item_cr]] * np.exp(1.0 * rng.standard_normal(n_item))
    n_items = np.bincount(item_cr, minlength=M)
    it_start = np.cumsum(n_items) - n_items
    item_sid = _cat(np.array([_CH_PREFIX.get(c, "c") for c in channels], object)[item_ch], "_",
                    _str(_unique_ints(rng, n_item, 10 ** 9, 10 ** 11)))

    # event accumulator
    EV = {k_: [] for k_ in ("m", "a", "t", "ch", "tg", "ct", "top", "val", "txt")}
    CT_NONE = 0
    ct_tables = [np.array([None], object)]  # content id lookup tables, offset-coded


    def add_ct(tab):
        off = sum(len(t) for t in ct_tables)
        ct_tables.append(np.asarray(tab, object))
        return off

    ITEM_OFF = add_ct(item_sid)

    def emit(m, a, t, ch, tg=None, ct=None, top=None, val=None, txt=None):
        k_ = len(m)
        if k_ == 0:
            return
        EV["m"].append(np.asarray(m, np.int64))
        EV["a"].append(np.broadcast_to(np.asarray(a, np.int64), (k_,)).copy())
        EV["t"].append(np.asarray(t, np.int64))
        EV["ch"].append(np.broadcast_to(np.asarray(ch, np.int64), (k_,)).copy())
        EV["tg"].append(np.full(k_, -1, np.int64) if tg is None else
                        np.broadcast_to(np.asarray(tg, np.int64), (k_,)).copy())
        EV["ct"].append(np.full(k_, CT_NONE, np.int64) if ct is None else
                        np.broadcast_to(np.asarray(ct, np.int64), (k_,)).copy())
        EV["top"].append(np.full(k_, -1, np.int64) if top is None else
                         np.broadcast_to(np.asarray(top, np.int64), (k_,)).copy())
        EV["val"].append(np.full(k_, np.nan) if val is None else np.asarray(val, float))
        EV["txt"].append(np.full(k_, -1, np.int64) if txt is None else
                         np.broadcast_to(np.asarray(txt, np.int64), (k_,)).copy())

    emit(item_cr, item_act, item_t, item_ch, ct=ITEM_OFF + np.arange(n_item), top=item_top)

    # text vocabulary: genuine comments, pod comments, bought comments
    gen_txt = np.array([f"{o_} {b.format(t=t_)}" for o_ in _OPEN for b in _BODY
                        for t_ in cfg["topics"]], object)
    TX_POD = len(gen_txt)
    TX_GEN = TX_POD + len(_POD)
    txt_tab = np.concatenate([gen_txt, np.array(_POD + _GENERIC, object)])

    def react_action(group, ch):
        ckx = ch_kind[ch] == "x"
        if group == G_LIKE:
            return np.full(len(ch), AI["like"])
        if group == G_VIEW:
            return np.full(len(ch), AI["view"])
        if group == G_RESHARE:
            return np.where(ckx, AI["retweet"], AI["share"])
        if group == G_COMMENT:
            return np.where(ckx, AI["reply"], AI["comment"])
        return np.full(len(ch), AI["reply"])

    # outside accounts
    K_out = max(30, n // 25)
    out_w = 1.0 / np.arange(1, K_out + 1) ** 1.1

    # ---------------- genuine reactions
    gcounts = counts[:, [K[g] for g in GROUP_KEYS]]
    r_m = np.repeat(np.repeat(np.arange(M), 5), gcounts.ravel())
    r_g = np.tile(np.arange(5), M).repeat(gcounts.ravel())
    R = len(r_m)
    u = rng.random(R)
    out_p = np.asarray(cfg["out_frac"])[r_g]
    SRC_FEED, SRC_FAV, SRC_OUT, SRC_RB = 0, 1, 2, 3
    src = np.full(R, SRC_FEED)
    has_items = n_items > 0
    src[u < out_p] = SRC_OUT
    u2 = rng.random(R)
    src[(src == SRC_FEED) & (u2 < P_FAV[arch[r_m]])] = SRC_FAV
    rb_arch = np.isin(arch[r_m], (A_BRAND, A_CONV, A_MICRO, A_BLOG, A_BROAD))
    src[(r_g == G_REPLY) & rb_arch & has_items[r_m] & (rng.random(R) < .6)] = SRC_RB
    r_item = np.full(R, -1, np.int64)

    # favourites (loyalty): 3 creators per member, drawn by appeal
    fav_w = APPEAL[arch] * np.sqrt(n_items) * has_items
    fav = _wsample(rng, fav_w, 3 * M).reshape(M, 3) if fav_w.sum() > 0 else None
    if fav is not None:
        sel = np.flatnonzero(src == SRC_FAV)
        cr = fav[r_m[sel], _wsample(rng, (.6, .25, .15), len(sel))]
        r_item[sel] = it_start[cr] + (rng.random(len(sel)) * n_items[cr]).astype(np.int64)
        # single-channel heavy consumers stay on their home channel
        off = (arch[r_m[sel]] == A_HEAVY) & (item_ch[r_item[sel]] != home[r_m[sel]])
        src[sel[off]] = SRC_FEED
        r_item[sel[off]] = -1
    else:
        src[src == SRC_FAV] = SRC_FEED
    if n_item > 0:
        for g in range(5):
            sel = np.flatnonzero((src == SRC_FEED) & (r_g == g))
            if len(sel) == 0:
                continue
            wg = item_w * GMULT[g, arch[item_cr]]
            mass = np.bincount(item_ch, weights=wg, minlength=n_ch)
            hm = home[r_m[sel]]
            ch = np.where((rng.random(len(sel)) < P_HOME[arch[r_m[sel]]]) & (mass[hm] > 0), hm,
                          _wsample(rng, mass, len(sel)))
            for c in np.flatnonzero(mass > 0):
                s2 = sel[ch == c]
                ic = np.flatnonzero(item_ch == c)
                r_item[s2] = ic[_wsample(rng, wg[ic], len(s2))]
    ok = (src == SRC_OUT) | (src == SRC_RB) | ((r_item >= 0) & (item_cr[np.maximum(r_item, 0)] != r_m))
    r_m, r_g, src, r_item = r_m[ok], r_g[ok], src[ok], r_item[ok]

    delay_med = np.where(ch_kind == "blog", 20 * 3600, 2 * 3600)
    isit = (src == SRC_FEED) | (src == SRC_FAV)
    s = np.flatnonzero(isit)
    it = r_item[s]
    t = item_t[it] + (_ln(rng, delay_med[item_ch[it]], 1.5, len(s))).astype(np.int64) + 30
    keep = t < clock.s1
    s, it, t = s[keep], it[keep], t[keep]
    ga = np.empty(len(s), np.int64)
    for g in range(5):
        gm = r_g[s] == g
        ga[gm] = react_action(g, item_ch[it[gm]])
    istxt = (ga == AI["comment"]) | (ga == AI["reply"])
    txt = np.where(istxt, rng.integers(0, TX_POD, len(s)), -1)
    emit(r_m[s], ga, t, item_ch[it], tg=item_cr[it], ct=ITEM_OFF + it, top=item_top[it], txt=txt)
    inc_cr, inc_m, inc_it, inc_t = item_cr[it], r_m[s], it, t

    # reply-backs: creators answer people who commented/replied on their content
    s = np.flatnonzero(src == SRC_RB)
    if len(s) and len(inc_cr):
        conv = (r_g[np.flatnonzero(isit)][keep] == G_COMMENT) | \
               (r_g[np.flatnonzero(isit)][keep] == G_REPLY)
        ci = np.flatnonzero(conv)
        o = np.argsort(inc_cr[ci], kind="stable")
        ci = ci[o]
        sc = inc_cr[ci]
        lo = np.searchsorted(sc, r_m[s], "left")
        cnt = np.searchsorted(sc, r_m[s], "right") - lo
        v = cnt > 0
        pick = ci[lo[v] + (rng.random(v.sum()) * cnt[v]).astype(np.int64)]
        t = inc_t[pick] + _ln(rng, 2400, 1.2, len(pick)).astype(np.int64)
        k2 = t < clock.s1
        pick, t = pick[k2], t[k2]
        emit(inc_cr[pick], AI["reply"], t, item_ch[inc_it[pick]], tg=inc_m[pick],
             ct=ITEM_OFF + inc_it[pick], top=item_top[inc_it[pick]],
             txt=rng.integers(0, TX_POD, len(pick)))

    # outside content (news, other brands, outside celebrities)
    s = np.flatnonzero(src == SRC_OUT)
    OUT_CT = add_ct(_cat("x_", _str(_unique_ints(rng, 4 * K_out, 10 ** 9, 10 ** 11))))
    if len(s):
        oa = _wsample(rng, out_w, len(s))
        oc = OUT_CT + oa * 4 + rng.integers(0, 4, len(s))
        ch = np.where(rng.random(len(s)) < .8, home[r_m[s]], post_ch[_wsample(rng, sc_w[post_ch], len(s))])
        ga = np.empty(len(s), np.int64)
        for g in range(5):
            gm = r_g[s] == g
            ga[gm] = react_action(g, ch[gm])
        t = _after(rng, clock.sample(rng, tz[r_m[s]]), created[r_m[s]], clock.s1)
        emit(r_m[s], ga, t, ch, tg=-2 - oa, ct=oc, top=m_topic[r_m[s]],
             txt=np.where((ga == AI["comment"]) | (ga == AI["reply"]),
                          rng.integers(0, TX_POD, len(s)), -1))

    # ---------------- mentions
    c = counts[:, K["mention"]]
    mm = np.repeat(np.arange(M), c)
    if len(mm):
        tg = _wsample(rng, MENTION_APPEAL[arch] * ~(arch == A_BOT), len(mm))
        out = (rng.random(len(mm)) < cfg["out_mention"]) | (tg == mm)
        tg = np.where(out, -2 - _wsample(rng, out_w, len(mm)), tg)
        MCT = add_ct(_cat("m_", _str(_unique_ints(rng, len(mm), 10 ** 9, 10 ** 11))))
        t = _after(rng, clock.sample(rng, tz[mm]), created[mm], clock.s1)
        emit(mm, AI["mention"], t, home[mm], tg=tg, ct=MCT + np.arange(len(mm)), top=m_topic[mm])

    # ---------------- newsletter, events, purchases (target: main brand)
    if "newsletter" in CH:
        iss_t = clock.s0 + np.arange(0, clock.days, cfg["nl_every"]) * 86400 + (9 - cfg["tz"][0]) * 3600
        NL = add_ct(_cat("nl-", _str(pd.to_datetime(iss_t, unit="s").strftime("%Y-%m-%d"))))
        for key, dmed in (("newsletter_open", 5 * 3600), ("newsletter_click", 6 * 3600)):
            m_ = np.repeat(np.arange(M), counts[:, K[key]])
            iss = rng.integers(0, len(iss_t), len(m_))
            t = iss_t[iss] + _ln(rng, dmed, 1.4, len(m_)).astype(np.int64)
            k2 = (t < clock.s1) & (t > created[m_])
            emit(m_[k2], AI[key], t[k2], CH["newsletter"], tg=main_brand, ct=NL + iss[k2])
    if "events" in CH and cfg["live_events"] > 0:
        ne = cfg["live_events"]
        if setting == "sports_club":
            ev_day = np.array([d for d, _, _ in cfg["spikes"]])[::2][:ne]
        else:
            ev_day = np.sort(rng.choice(clock.days, min(ne, clock.days), replace=False))
        ev_t = clock.s0 + ev_day * 86400 + (cfg["event_hour"] - cfg["tz"][0]) * 3600
        EVC = add_ct(_cat("ev-", _str(np.arange(1, len(ev_t) + 1))))
        m_ = np.repeat(np.arange(M), counts[:, K["event_attend"]])
        e_ = _wsample(rng, rng.random(len(ev_t)) + .5, len(m_))
        d = pd.DataFrame({"m": m_, "e": e_}).drop_duplicates().to_numpy()
        m_, e_ = d[:, 0], d[:, 1]
        t = ev_t[e_] + rng.integers(-1800, 3600, len(m_))
        emit(m_, AI["event_attend"], t, CH["events"], tg=main_brand, ct=EVC + e_)
    if "store" in CH:
        m_ = np.repeat(np.arange(M), counts[:, K["purchase"]])
        npr = cfg["n_products"]
        PR = add_ct(_cat("sku-", _str(_unique_ints(rng, npr, 1000, 99999))))
        pr = _wsample(rng, 1.0 / np.arange(1, npr + 1) ** .9, len(m_))
        val = np.round(_ln(rng, cfg["price"], .55, len(m_)), 2)
        t = _after(rng, clock.sample(rng, tz[m_]), created[m_], clock.s1)
        emit(m_, AI["purchase"], t, CH["store"], tg=main_brand, ct=PR + pr, val=val)

    # ---------------- bought engagement (bots, bursts, generic comments)
    be_buy = np.flatnonzero(mech & M_BE)
    if len(be_buy) and nbots:
        its = np.flatnonzero(np.isin(item_cr, be_buy) & (rng.random(n_item) < cfg["be_item_p"]))
        L = np.minimum(_ln(rng, cfg["be_pkg"][0], .5, len(its)), .9 * nbots)
        for g, ratio in ((G_LIKE, 1.0), (G_RESHARE, cfg["be_pkg"][1]),
                         (G_COMMENT, cfg["be_pkg"][2]), (G_VIEW, cfg["be_pkg"][3])):
            cnt = np.round(L * ratio * rng.uniform(.7, 1.3, len(its))).astype(np.int64)
            if g == G_VIEW:
                cnt = np.round(L * ratio * rng.uniform(.7, 1.3, len(its))).astype(np.int64)
            it = np.repeat(its, cnt)
            if len(it) == 0:
                continue
            b = bots[rng.integers(0, nbots, len(it))]
            t = item_t[it] + rng.integers(60, 2700, len(it))
            k2 = t < clock.s1
            it, b, t = it[k2], b[k2], t[k2]
            a_ = react_action(g, item_ch[it])
            emit(b, a_, t, item_ch[it], tg=item_cr[it], ct=ITEM_OFF + it, top=item_top[it],
                 txt=np.where(g == G_COMMENT, TX_GEN + rng.integers(0, len(_GENERIC), len(it)), -1))

    # ---------------- engagement pods
    pm = np.flatnonzero(pod_id >= 0)
    if len(pm):
        its = np.flatnonzero(pod_id[item_cr] >= 0)
        pm_s = pm[np.argsort(pod_id[pm], kind="stable")]
        psz = np.bincount(pod_id[pm])
        pst = np.cumsum(psz) - psz
        gi = pod_id[item_cr[its]]
        rep = psz[gi]
        it = np.repeat(its, rep)
        within = np.arange(rep.sum()) - np.repeat(np.cumsum(rep) - rep, rep)
        eng = pm_s[np.repeat(pst[gi], rep) + within]
        k2 = eng != item_cr[it]
        it, eng = it[k2], eng[k2]
        for g, p in ((G_LIKE, .9), (G_COMMENT, cfg["pod_comment"]), (G_RESHARE, .3)):
            sel = rng.random(len(it)) < p
            i2, e2 = it[sel], eng[sel]
            t = item_t[i2] + rng.integers(120, 3 * 3600, len(i2))
            k3 = t < clock.s1
            i2, e2, t = i2[k3], e2[k3], t[k3]
            emit(e2, react_action(g, item_ch[i2]), t, item_ch[i2], tg=item_cr[i2],
                 ct=ITEM_OFF + i2, top=item_top[i2],
                 txt=(TX_POD + rng.integers(0, len(_POD), len(i2))) if g == G_COMMENT else None)

    # ---------------- follow graph
    fsrc, fdst = [], []
    deg = np.round(_ln(rng, OUTDEG_MED[arch] * cfg["deg_scale"], .8, M)).astype(np.int64)
    deg = np.minimum(deg, max(1, M // 3))
    fa = FOLLOW_APPEAL[arch].copy()
    fa[brands] = 0
    src_ = np.repeat(np.arange(M), deg)
    fsrc.append(src_)
    fdst.append(_wsample(rng, fa, len(src_)))
    for j, b in enumerate(brands):
        p = P_FOLLOW_BRAND[arch] * (1.0 if j == 0 else .35)
        f = np.flatnonzero(rng.random(M) < p)
        fsrc.append(f)
        fdst.append(np.full(len(f), b))
    if fav is not None:
        f = np.flatnonzero(np.isin(arch, (A_FAN, A_HEAVY, A_BLOG, A_MICRO)) & (rng.random(M) < .7))
        fsrc.append(f)
        fdst.append(fav[f, 0])
    s_ = np.concatenate(fsrc)
    d_ = np.concatenate(fdst)
    rec = rng.random(len(s_)) < P_RECIP[arch[d_]]
    s_, d_ = np.concatenate([s_, d_[rec]]), np.concatenate([d_, s_[rec]])
    reg_since = np.where(rng.random(len(s_)) < cfg["new_follow"] * min(1.0, fw + .2),
                         clock.sample(rng, tz[s_]),
                         clock.s0 - (_ln(rng, 400, .9, len(s_)) * 86400).astype(np.int64))
    outside = rng.random(len(s_)) < .04
    d_ = np.where(outside, -2 - _wsample(rng, out_w, len(s_)), d_)
    E_s, E_d, E_t = [s_], [d_], [reg_since]
    bf_buy = np.flatnonzero(mech & M_BF)
    if len(bf_buy) and nbots:
        nb_ = np.minimum(np.round(_ln(rng, cfg["bf_frac"] * nbots, .4, len(bf_buy))), nbots)
        nb_ = nb_.astype(np.int64)
        buyer = np.repeat(bf_buy, nb_)
        pdates = clock.s0 + rng.integers(-200, clock.days, (M, 3)) * 86400
        pk = pdates[buyer, rng.integers(0, 3, len(buyer))]
        E_s.append(bots[rng.integers(0, nbots, len(buyer))])
        E_d.append(buyer)
        E_t.append(pk + rng.integers(0, 36 * 3600, len(buyer)))
    rm = np.flatnonzero(ring_id >= 0)
    if len(rm):
        a_, b_ = _group_pairs(rm, ring_id[rm])
        k2 = rng.random(len(a_)) < .9
        a_, b_ = a_[k2], b_[k2]
        r0 = clock.s0 + rng.integers(-120, max(clock.days - 3, 1), ring_id.max() + 1) * 86400
        E_s.append(a_)
        E_d.append(b_)
        E_t.append(r0[ring_id[a_]] + rng.integers(0, 10 * 86400, len(a_)))
    if len(pm):
        a_, b_ = _group_pairs(pm, pod_id[pm])
        E_s.append(a_)
        E_d.append(b_)
        E_t.append(clock.s0 - rng.integers(20, 300, len(a_)) * 86400)
    fs = np.concatenate(E_s)
    fd = np.concatenate(E_d)
    ft = np.concatenate(E_t)
    member_d = fd >= 0
    ft = np.maximum(ft, np.maximum(created[fs], np.where(member_d, created[np.maximum(fd, 0)], 0))
                    + 3600)
    keep = (fs != fd) & (ft < clock.s1) & ~hidden[fs]
    fs, fd, ft = fs[keep], fd[keep], ft[keep]
    fdf = pd.DataFrame({"s": fs, "d": fd, "t": ft}).sort_values("t", kind="stable")
    fdf = fdf.drop_duplicates(["s", "d"], keep="first")
    fs, fd, ft = (fdf[c_].to_numpy() for c_ in ("s", "d", "t"))
    fch = np.where((rng.random(len(fs)) < .7) | (fd < 0) | (arch[fs] == A_HEAVY), home[fs],
                   home[np.maximum(fd, 0)])
    inw = ft >= clock.s0
    emit(fs[inw], AI["follow"], ft[inw], fch[inw], tg=fd[inw])

    # ---------------- platform counts
    indeg = np.bincount(fd[fd >= 0], minlength=M)
    pf = _ln(rng, PF_MED[arch] * cfg["platform_scale"], PF_SIG[arch], M)
    cel = np.isin(arch, (A_CELEB, A_CELEB_C))
    pf[cel] = _ln(rng, PF_MED[arch[cel]], PF_SIG[arch[cel]], cel.sum())
    pf[brands] = _ln(rng, cfg["brand_followers"], .2, len(brands))
    pf = pf + indeg
    pf[mech & M_BF > 0] += _ln(rng, cfg["bought_median"], .8, int((mech & M_BF > 0).sum()))
    fol = _ln(rng, FOLLOWING_MED[arch], .7, M)
    fol[bots] = rng.uniform(1500, 7500, nbots)
    f4 = mech & M_F4F > 0
    pf[f4] += _ln(rng, 3000, .7, f4.sum())
    fol[f4] = pf[f4] * rng.uniform(.85, 1.15, f4.sum())
    pf, fol = np.round(pf), np.round(fol)
    if cfg["rounded_counts"]:
        big = pf >= 10000
        mag = 10.0 ** (np.floor(np.log10(np.maximum(pf, 1))) - 2)
        pf = np.where(big, np.round(pf / mag) * mag, pf)
    miss = rng.random(M) < cfg["followers_missing"]
    pf[miss] = np.nan
    fol[miss | (rng.random(M) < .02)] = np.nan

    # ---------------- ids
    style = cfg["id_style"]
    lo_hi = {"num": (10 ** 8, 10 ** 10), "snow": (10 ** 17, 9 * 10 ** 17),
             "padded": (1, 10 ** 8)}[style]
    ids = _unique_ints(rng, M + K_out, *lo_hi)
    sid = _str(ids)
    if style == "padded":
        sid = pd.Series(sid).str.zfill(8).to_numpy(object)
    msid, osid = sid[:M].copy(), sid[M:]
    n_odd = min(len(_ODD_IDS), n // 150 + (2 if n >= 20 else 0))
    cand = np.flatnonzero((arch != A_BRAND) & ~hidden)
    if n_odd and len(cand):
        odd_pos = rng.choice(cand, min(n_odd, len(cand)), replace=False)
        msid[odd_pos] = np.array(_ODD_IDS[: len(odd_pos)], object)

    # ---------------- assemble events
    ev = {k_: np.concatenate(v) if v else np.zeros(0) for k_, v in EV.items()}
    keep = (ev["t"] >= created[ev["m"]]) & ~hidden[ev["m"]] & (ev["t"] < clock.s1)
    keep &= ev["t"] >= clock.s0
    for k_ in ev:
        ev[k_] = ev[k_][keep]
    react = np.isin(ev["a"], (AI["like"], AI["share"], AI["retweet"]))
    key_df = pd.DataFrame({"m": ev["m"], "a": ev["a"], "c": ev["ct"]})
    dupl = key_df.duplicated().to_numpy() & react
    for k_ in ev:
        ev[k_] = ev[k_][~dupl]
    if cfg["dup"] > 0:
        extra = np.flatnonzero(rng.random(len(ev["m"])) < cfg["dup"])
        for k_ in ev:
            ev[k_] = np.concatenate([ev[k_], ev[k_][extra]])
    o = np.argsort(ev["t"], kind="stable")
    for k_ in ev:
        ev[k_] = ev[k_][o]
    tg_tab = np.concatenate([msid, osid, np.array([None], object)])
    tgc = ev["tg"]
    tgi = np.where(tgc >= 0, tgc, np.where(tgc == -1, M + K_out, M + (-tgc - 2)))
    ct_tab = np.concatenate(ct_tables)
    ch_tab = np.array(channels, object)
    top_tab = np.concatenate([topics, np.array([None], object)])
    txt_full = np.concatenate([txt_tab, np.array([None], object)])
    ts = _fmt_time(ev["t"], cfg["ts"])
    events = pd.DataFrame({
        "member_id": msid[ev["m"]],
        "action": np.array(ACTIONS, object)[ev["a"]],
        "timestamp": ts,
        "channel": ch_tab[ev["ch"]],
        "target_id": tg_tab[tgi],
        "content_id": ct_tab[ev["ct"]],
        "topic": top_tab[np.where(ev["top"] >= 0, ev["top"], ntop)],
        "value": ev["val"],
        "text": txt_full[np.where(ev["txt"] >= 0, ev["txt"], len(txt_tab))],
    })

    # ---------------- members table
    vis = np.flatnonzero(~hidden)
    fi = rng.integers(0, len(_FIRST), M)
    li = rng.integers(0, len(_LAST), M)
    name = _cat(np.array(_FIRST, object)[fi], " ", np.array(_LAST, object)[li])
    handle = _cat(np.array(_FIRST_A, object)[fi], np.where(rng.random(M) < .5, "_", "."),
                  np.array(_LAST_A, object)[li],
                  np.where(rng.random(M) < .6, _str(rng.integers(1, 9999, M)), ""))
    kind = np.full(M, "person", object)
    kind[brands] = "brand"
    kind[(arch == A_BROAD) & (rng.random(M) < .7)] = "media"
    kind[(arch == A_BLOG) & (rng.random(M) < cfg["media_blog"])] = "media"
    n_partner = int(round(n * cfg["partner"]))
    pcand = np.flatnonzero(np.isin(arch, (A_BLOG, A_FOL)) & ~hollow)
    if n_partner and len(pcand):
        kind[rng.choice(pcand, min(n_partner, len(pcand)), replace=False)] = "brand"
    bn = cfg["brand_name"]
    media_names = np.array(["The Daily Feed", "Insider Desk", "Weekly Wire", "Pulse News",
                            "Scoop Central", "Fieldside", "The Brief"], object)
    medm = kind == "media"
    name[medm] = _cat(media_names[rng.integers(0, len(media_names), medm.sum())], " ",
                      _str(rng.integers(1, 99, medm.sum())))
    brm = kind == "brand"
    name[brm] = _cat("Partner Co ", _str(rng.integers(1, 500, brm.sum())))
    handle[brm | medm] = _cat("official", _str(rng.integers(100, 99999, (brm | medm).sum())))
    name[brands] = bn if len(brands) == 1 else _cat(bn, np.array(["", " Women", " Store"],
                                                                    object)[: len(brands)])
    handle[brands] = _cat(bn.lower().replace(" ", "").replace("&", "and").replace("è", "e"),
                          np.array(["", "_w", "_store"], object)[: len(brands)])
    emo = rng.random(M) < .06
    name[emo] = _cat("✨", name[emo], "✨")
    name[bots] = np.where(rng.random(nbots) < .5, None,
                          _cat("user", _str(rng.integers(10 ** 6, 10 ** 9, nbots))))
    handle[bots] = _cat(np.array(list("abcdefghijklmnopqrstuvwxyz"), object)[
        rng.integers(0, 26, nbots)], "_", _str(rng.integers(10 ** 7, 10 ** 10, nbots)))
    tp = topics[m_topic]

    def pick(pool, mask):
        k_ = mask.sum()
        pool = [p_.replace("{b}", bn) for p_ in pool]
        j = rng.integers(0, len(pool), k_)
        pre = np.array([p_.split("{t}")[0] for p_ in pool], object)[j]
        has = np.array(["{t}" in p_ for p_ in pool])[j]
        post = np.array([p_.split("{t}")[-1] for p_ in pool], object)[j]
        return np.where(has, _cat(pre, tp[mask], post), pre)

    bio = np.full(M, None, object)
    for pool, mask in ((_BIO_INF, ARCH_ROLE[arch] == 0), (_BIO_BLOG, ARCH_ROLE[arch] == 1),
                       (_BIO_FAN, arch == A_FAN), (_BIO_FOL, np.isin(arch, (A_FOL, A_HEAVY, A_CELEB)))):
        bio[mask] = pick(pool, mask)
    wb = (mech & (M_BF | M_BE) > 0) & (rng.random(M) < .5)
    bio[wb] = pick(_BIO_WANNABE, wb)
    bio[brands] = f"Official account of {bn}"
    bio[bots] = None
    bio[bio == ""] = None
    cr_ts = _fmt_time(created, cfg["ts"])
    cr_ts = pd.Series(cr_ts)
    cmiss = rng.random(M) < cfg["created_missing"]
    cr_ts[cmiss] = None
    members = pd.DataFrame({
        "member_id": msid, "name": name, "handle": handle,
        "channel": np.array(channels, object)[home], "followers": pf, "following": fol,
        "bio": bio, "kind": kind, "created_at": cr_ts.to_numpy(),
    }).iloc[vis].reset_index(drop=True)

    # ---------------- follows table (export)
    if cfg["follows"] == "none":
        follows = pd.DataFrame({"follower_id": pd.Series(dtype=object),
                                "followee_id": pd.Series(dtype=object),
                                "channel": pd.Series(dtype=object),
                                "since": pd.Series(dtype="datetime64[ns, UTC]")})
    else:
        if cfg["follows"] == "sample":
            k2 = rng.random(len(fs)) < cfg["follow_sample"]
        elif cfg["follows"] == "cap":
            rank = pd.Series(-ft).groupby(fd).rank(method="first").to_numpy()
            k2 = rank <= cfg["follow_sample"]
        else:
            k2 = np.ones(len(fs), bool)
        fs2, fd2, ft2, fc2 = fs[k2], fd[k2], ft[k2], fch[k2]
        since = pd.Series(_fmt_time(ft2, cfg["ts"]))
        since[rng.random(len(fs2)) < cfg["since_missing"]] = None
        fdi = np.where(fd2 >= 0, fd2, M + (-fd2 - 2))
        follows = pd.DataFrame({"follower_id": tg_tab[fs2], "followee_id": tg_tab[fdi],
                                "channel": np.array(channels, object)[fc2],
                                "since": since.to_numpy()})
        follows = follows.sample(frac=1.0, random_state=int(rng.integers(2 ** 31))) \
            .reset_index(drop=True)

    mech_name = np.full(M, "", object)
    for bit, nm in ((M_BF, "bought_followers"), (M_BE, "bought_engagement"), (M_POD, "pod"),
                    (M_F4F, "f4f")):
        has = mech & bit > 0
        mech_name[has] = _cat(mech_name[has], np.where(mech_name[has] == "", "", "+"), nm)
    truth = pd.DataFrame({
        "member_id": msid, "role": np.array(ROLES, object)[role], "hollow": hollow,
        "archetype": np.array(ARCH, object)[arch], "hollow_mechanism": mech_name,
    }).iloc[vis].reset_index(drop=True)
    return {"members": members, "events": events, "follows": follows, "truth": truth}


def _fmt_time(sec, mode):
    sec = np.asarray(sec, np.int64)
    if mode == "iso":
        return np.char.add(np.datetime_as_string(sec.astype("datetime64[s]"), unit="s"),
                           "Z").astype(object)
    return pd.to_datetime(sec, unit="s", utc=True)


# ---------------------------------------------------------------- self-check
def _diag(d):
    ev, tr, mb = d["events"], d["truth"], d["members"]
    reac = ev[ev.action.isin(["like", "comment", "reply", "share", "retweet"])]
    dist = reac.groupby("target_id").member_id.nunique()
    resh = ev[ev.action.isin(["share", "retweet"])].groupby("target_id").member_id.nunique()
    created = ev[ev.action.isin(["post", "blog_post", "video"])].groupby("member_id").size()
    acts = ev.groupby("member_id").size()
    chans = ev.groupby("member_id").channel.nunique()
    indeg = d["follows"].groupby("followee_id").size() if len(d["follows"]) else pd.Series(dtype=float)
    t = tr.set_index("member_id")
    t["pf"] = mb.set_index("member_id").followers
    t["reach"] = dist.reindex(t.index).fillna(0)
    t["resh"] = resh.reindex(t.index).fillna(0)
    t["created"] = created.reindex(t.index).fillna(0)
    t["acts"] = acts.reindex(t.index).fillna(0)
    t["chans"] = chans.reindex(t.index).fillna(0)
    t["indeg"] = indeg.reindex(t.index).fillna(0)
    g = t.groupby(["role", "hollow"])[["pf", "reach", "resh", "created", "acts", "chans", "indeg"]]
    print(g.median().round(1).to_string())


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 5000
    diag = "--diag" in sys.argv
    tot = 0.0
    for s in SETTINGS:
        t0 = time.perf_counter()
        d = generate(n, s, seed=0)
        dt = time.perf_counter() - t0
        tot += dt
        tr = d["truth"]
        assert set(tr.member_id) == set(d["members"].member_id)
        assert tr.member_id.is_unique and len(tr) == n
        assert not (tr.hollow & (tr.role == "influencer")).any()
        rc = tr.role.value_counts().reindex(list(ROLES)).fillna(0).astype(int)
        print(f"{s:17s} " + " ".join(f"{r}={rc[r]}" for r in ROLES) +
              f" hollow={int(tr.hollow.sum())} events={len(d['events'])}"
              f" follows={len(d['follows'])} time={dt:.2f}s")
        if diag:
            _diag(d)
    print(f"total {tot:.1f}s for {len(SETTINGS)} settings at n={n}")
