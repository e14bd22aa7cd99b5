"""Synthetic community data with planted communities, roles, bought followers and conversions.

:func:`generate` returns the four tables of the data contract (DESIGN §2) and the planted truth,
so that tests and benchmarks can score communities (NMI / ARI) and roles (macro-F1).

Examples
--------
>>> from clusterkit.synthetic.community import generate
>>> sd = generate(300, seed=1)
>>> sorted(sd.tables)
['events', 'follows', 'identities', 'members']
>>> sd.truth.columns.tolist()
['community', 'role', 'converted', 'bought_followers']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from clusterkit.synthetic._tables import LazyTable, Tables, write_tables

__all__ = ["DEFAULT_CHANNELS", "DEFAULT_ROLE_SHARES", "ROLES", "SyntheticData", "generate"]

ROLES = ("influencer", "blogger", "fan", "follower")
DEFAULT_ROLE_SHARES = {"influencer": 0.02, "blogger": 0.08, "fan": 0.30, "follower": 0.60}
DEFAULT_CHANNELS = ("twitter", "instagram", "newsletter", "blog", "events", "shop")
# channel of each non-social action; every other action goes on a social channel
_FIXED = dict(newsletter_open="newsletter", newsletter_click="newsletter", blog_post="blog")
_FIXED |= dict(event_attend="events", purchase="shop")
_ACTS = tuple(
    "view like comment share retweet reply mention post video blog_post newsletter_open"
    " newsletter_click event_attend".split()
)
# Expected count per 180 active days for an average member; rows follow ROLES, columns _ACTS.
_RATES = np.array(
    [
        [4.0, 6.0, 3.0, 1.5, 1.5, 6.0, 2.0, 20.0, 5.0, 1.0, 0.5, 0.2, 0.3],
        [4.0, 3.0, 2.0, 1.0, 0.5, 1.5, 0.5, 9.0, 2.5, 6.0, 1.0, 0.3, 0.3],
        [7.0, 12.0, 4.5, 3.5, 2.5, 2.5, 1.0, 1.0, 0.1, 0.1, 4.5, 2.0, 0.6],
        [3.0, 1.5, 0.2, 0.15, 0.1, 0.1, 0.05, 0.1, 0.02, 0.01, 1.5, 0.3, 0.05],
    ]
)
_AMPLIFY = ("share", "retweet", "mention", "reply")  # aimed mostly at influencers
_REACT = ("like", "comment")  # aimed at influencers and bloggers
_CONTENT = ("post", "video", "blog_post")
_ALL = tuple(sorted(_ACTS + ("follow", "purchase")))  # codes sort like the strings
_ATTRACT = np.array([40.0, 6.0, 1.0, 0.6])  # follow attractiveness by role
_TARGET_W = {"amplify": np.array([60.0, 5.0, 0.4, 0.1]), "react": np.array([25.0, 12.0, 0.6, 0.2])}
_CONVERT = np.array([-3.2, -3.0, -1.3, -3.6])  # purchase logit by role
_BRAND_P = np.array([0.5, 0.45, 0.6, 0.32])  # probability of following the brand
_OUTDEG = np.array([1.5, 1.3, 1.3, 0.8])  # out-degree factor by role
_WORDS = tuple(
    "tech ai data gaming esports fashion beauty style food vegan coffee travel hiking surf"
    " fitness yoga running music indie jazz film books art design photo crypto finance startup"
    " parenting pets garden diy cars cycling football climate".split()
)
_GLOBAL = ("#brand", "#news", "#deal", "#launch")
_FIRST = np.array("Alex Sam Maria Jon Lea Omar Yuki Ana Ben Chen Eva Ivan Nora Raj Sofia".split())
_LAST = np.array("Smith Garcia Kim Muller Rossi Khan Silva Novak Sato Dubois Jensen Patel".split())
_DAY = 86400


@dataclass(frozen=True)
class SyntheticData:
    """Generated tables, planted truth and the parameters used.

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        ``members``, ``events``, ``follows`` and ``identities`` as in DESIGN §2.
    truth : pandas.DataFrame
        Index ``member_id`` (sorted); columns ``community`` (int), ``role`` (str), ``converted``
        (bool: at least one purchase) and ``bought_followers`` (bool).
    params : dict
        The resolved parameters of :func:`generate` (provenance).
    """

    tables: dict
    truth: pd.DataFrame
    params: dict

    def write(self, out_dir, format="csv") -> Path:
        """Write the four tables and ``truth.csv`` to ``out_dir`` (created if missing).

        Parameters
        ----------
        out_dir : str or path-like
            Destination folder.
        format : {"csv", "csv.gz", "parquet", "jsonl"}
            File format of the four tables; ``truth.csv`` is always CSV.

        Returns
        -------
        pathlib.Path
            The folder written.

        Examples
        --------
        >>> import tempfile
        >>> out = generate(200, seed=0).write(tempfile.mkdtemp(), format="parquet")
        >>> sorted(p.name for p in out.iterdir())[:2]
        ['events.parquet', 'follows.parquet']
        """
        if format not in ("csv", "csv.gz", "parquet", "jsonl"):
            raise ValueError(f"format must be csv, csv.gz, parquet or jsonl, not {format!r}")
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        write_tables(self.tables, out, format)  # in chunks: text columns never all at once
        self.truth.to_csv(out / "truth.csv")
        return out


def _labels(labels, codes) -> pd.Series:
    """String column ``labels[codes]``, missing where ``codes < 0`` (fast, via Arrow)."""
    codes = np.asarray(codes, dtype=np.int32)
    idx = pa.array(codes, mask=codes < 0)
    return pa.DictionaryArray.from_arrays(idx, pa.array(labels)).cast(pa.string()).to_pandas()


def _iso(seconds) -> np.ndarray:
    return np.datetime_as_string(np.asarray(seconds, dtype="datetime64[s]"), timezone="UTC")


def _ids(prefix, n, width=6) -> np.ndarray:
    if n == 0:
        return np.array([], dtype="<U1")
    return np.char.add(prefix, np.char.zfill(np.arange(n).astype(str), max(width, len(str(n)))))


class _Sampler:
    """Draw members with probability proportional to ``weights``, inside a given community or,
    for ``cross`` draws, in any other community (vectorised inverse-CDF sampling)."""

    def __init__(self, weights, community, k):
        self.order = np.argsort(community, kind="stable")
        self.cum = np.cumsum(weights[self.order])
        bounds = np.searchsorted(community[self.order], np.arange(k + 1))
        self.start, self.stop = bounds[:-1], bounds[1:]
        cum0 = np.concatenate([[0.0], self.cum])
        self.lo, self.hi = cum0[self.start], cum0[self.stop]

    def draw(self, rng, comm, cross):
        r = rng.random(len(comm))
        lo, hi = self.lo[comm], self.hi[comm]
        u = np.where(cross, r * (self.cum[-1] - (hi - lo)), lo + r * (hi - lo))
        u = np.where(cross & (u >= lo), u + (hi - lo), u)
        pos = np.searchsorted(self.cum, u, side="right")
        pos = np.where(cross, pos, np.clip(pos, self.start[comm], self.stop[comm] - 1))
        return self.order[np.minimum(pos, len(self.cum) - 1)]


def _bad_edges(src, dst, n) -> np.ndarray:
    """Self-loops and repeated (src, dst) pairs (all but the first occurrence)."""
    key = src * n + dst
    order = np.argsort(key, kind="stable")
    dup = np.zeros(len(key), dtype=bool)
    dup[order[1:]] = key[order[1:]] == key[order[:-1]]
    return dup | (src == dst)


def generate(
    n_members=2000,
    *,
    n_communities=None,
    mixing=0.3,
    role_shares=None,
    channels=None,
    start="2026-01-01",
    days=180,
    mean_following=20,
    brand_id="brand",
    seed=0,
) -> SyntheticData:
    """Generate a multi-channel community dataset with planted communities and roles.

    Members belong to communities of unequal sizes and have one of four roles (DESIGN §3). The
    follow graph has heavy-tailed out-degrees and power-law in-degrees (targets drawn by role-based
    power-law attractiveness), with a fraction ``mixing`` of edges across communities. Events
    come from role-specific rates times per-member lognormal activity and gamma noise, so roles
    overlap: quiet fans look like followers, some bloggers get no amplification. Influencers
    are amplified (share / retweet / mention / reply with ``target_id``) by many distinct
    members of their community. About 5 % of non-influencers have bought followers: an
    influencer-like reported ``followers`` count but no engagement received. Fans convert most
    often; conversion also rises with event attendance and newsletter clicks.

    Parameters
    ----------
    n_members : int, default 2000
        Number of members (ids ``m000000`` …). Events average roughly 20-30 per member.
    n_communities : int, optional
        Number of communities. Default ``max(4, round(sqrt(n_members) / 6))`` (7 for 2,000
        members, 24 for 20,000), lowered so that each community has at least 20 members.
        Sizes are drawn from a Dirichlet(1.5) split above that minimum.
    mixing : float, default 0.3
        Probability that a follow edge, and a community-level engagement target, lies in another
        community. The realised share of cross-community member-to-member follows is close to it.
    role_shares : dict, optional
        Share of each role, keys from ``ROLES``; missing roles get 0, shares are normalised.
        Default :data:`DEFAULT_ROLE_SHARES`. Roles are spread over communities in proportion.
    channels : sequence of str, optional
        Channels to generate, default :data:`DEFAULT_CHANNELS`. ``newsletter``, ``blog``,
        ``events`` and ``shop`` carry their actions (newsletter_*, blog_post, event_attend,
        purchase) and are skipped when absent; every other channel is social. At least one
        social channel is required.
    start : str, default "2026-01-01"
        First day of the observation window (UTC).
    days : int, default 180
        Length of the window; event timestamps lie in ``[start, start + days)``. About 15 % of
        members join during the window, so tenure varies.
    mean_following : float, default 20
        Mean of the lognormal out-degree (accounts followed, at least 1).
    brand_id : str, default "brand"
        An outside account (not a member) that about 40 % of members follow.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``; the output is a function of the arguments.

    Returns
    -------
    SyntheticData
        Tables sorted deterministically (members by id; events by member, timestamp, action;
        follows by follower, followee), truth and resolved parameters.

    Examples
    --------
    >>> sd = generate(500, mixing=0.2, seed=3)
    >>> sd.params["n_communities"], len(sd.tables["members"])
    (4, 500)
    >>> sd.truth["role"].value_counts()["follower"] > sd.truth["role"].value_counts()["fan"]
    np.True_
    """
    n = int(n_members)
    if n < 2:
        raise ValueError("n_members must be at least 2")
    if not 0.0 <= mixing <= 1.0:
        raise ValueError(f"mixing must be in [0, 1], got {mixing}")
    shares = dict(DEFAULT_ROLE_SHARES if role_shares is None else role_shares)
    if set(shares) - set(ROLES) or sum(shares.values()) <= 0 or min(shares.values()) < 0:
        raise ValueError(f"role_shares needs non-negative shares for roles {ROLES}, got {shares}")
    share = np.array([shares.get(r, 0.0) for r in ROLES], dtype=float)
    share /= share.sum()
    channels = tuple(DEFAULT_CHANNELS if channels is None else channels)
    social = [c for c in channels if c not in ("newsletter", "blog", "events", "shop")]
    if not social:
        raise ValueError(f"channels needs at least one social channel, got {channels}")
    k = int(n_communities) if n_communities else max(4, round(n**0.5 / 6))
    k = max(1, min(k, n // 20)) if not n_communities else max(1, min(k, n))
    ids = _ids("m", n)
    if brand_id in set(ids):
        raise ValueError(f"brand_id {brand_id!r} collides with a member id")
    rng = np.random.default_rng(seed)
    t_start = int(np.datetime64(start, "s").astype(np.int64))
    t_end = t_start + int(days) * _DAY

    # communities (unequal sizes) and roles (stratified within each community)
    floor = min(20, n // k)
    sizes = floor + rng.multinomial(n - floor * k, rng.dirichlet(np.full(k, 1.5)))
    comm = rng.permutation(np.repeat(np.arange(k), sizes))
    by_comm = np.lexsort((rng.random(n), comm))
    rank = np.empty(n, dtype=np.int64)
    rank[by_comm] = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    u = (rank + rng.random(n)) / sizes[comm]
    role = np.minimum(np.searchsorted(np.cumsum(share), u, side="right"), 3)
    role = np.where(share[role] == 0, np.argmax(share), role)  # float edge at u ~ 1

    # member attributes
    tail = 1.0 + rng.pareto(1.6, n)  # power-law attractiveness
    act = rng.lognormal(-0.32, 0.8, n)  # activity multiplier with mean ~1
    act[(role == 3) & (rng.random(n) < 0.12)] *= 0.1  # dormant followers
    new = rng.random(n) < 0.15
    created = np.where(
        new, t_start + rng.random(n) * 0.85 * days * _DAY, t_start - rng.random(n) * 5 * 365 * _DAY
    ).astype(np.int64)
    t0 = np.maximum(created, t_start)
    p_soc = np.array(
        [0.55 if c == "twitter" else 0.45 if c == "instagram" else 0.2 for c in social]
    )
    primary = rng.choice(len(social), n, p=p_soc / p_soc.sum())
    ch_code = {c: i for i, c in enumerate(channels)}
    soc_code = np.array([ch_code[c] for c in social])

    def social_channel(members):
        own = rng.random(len(members)) < 0.75
        return soc_code[
            np.where(own, primary[members], rng.integers(len(social), size=len(members)))
        ]

    # follow graph: lognormal out-degree, power-law attractiveness, community mixing
    deg = rng.lognormal(np.log(mean_following) - 0.5, 1.0, n) * _OUTDEG[role]
    deg = np.minimum(np.maximum(1, np.rint(deg)), n - 1).astype(np.int64)
    src = np.repeat(np.arange(n), deg)
    cross = (rng.random(len(src)) < mixing) & (k > 1)
    sampler = _Sampler(_ATTRACT[role] * tail, comm, k)
    dst = sampler.draw(rng, comm[src], cross)
    for _ in range(8):
        bad = _bad_edges(src, dst, n)
        if not bad.any():
            break
        dst[bad] = sampler.draw(rng, comm[src[bad]], cross[bad])
    keep = ~_bad_edges(src, dst, n)
    src, dst = src[keep], dst[keep]
    o = np.argsort(src * n + dst, kind="stable")
    src, dst = src[o], dst[o]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=n))])
    fans_of_brand = np.flatnonzero(rng.random(n) < _BRAND_P[role])
    brand_pos = np.searchsorted(ids, brand_id) - 0.5  # where the brand sorts among member ids
    f_src = np.concatenate([src, fans_of_brand])
    f_dst = np.concatenate([dst, np.full(len(fans_of_brand), n)])  # code n = brand
    f_ch = social_channel(f_src)
    if "newsletter" in ch_code:
        to_nl = (f_dst == n) & (rng.random(len(f_src)) < 0.3)
        f_ch[to_nl] = ch_code["newsletter"]
    span = t_end - created[f_src]
    since = created[f_src] + (span * rng.random(len(f_src)) ** 3).astype(np.int64)
    o = np.lexsort((np.where(f_dst == n, brand_pos, f_dst), f_src))
    f_src, f_dst, f_ch, since = f_src[o], f_dst[o], f_ch[o], since[o]
    # narrow codes from here on: at 1 M members, 20 M follows and 23 M events live at once
    f_src, f_dst, f_ch = f_src.astype(np.int32), f_dst.astype(np.int32), f_ch.astype(np.int8)
    dst = dst.astype(np.int32)
    del src, o, span, cross, keep
    node_labels = np.append(ids, brand_id)
    follows = LazyTable(len(f_src), {
        "follower_id": lambda r: _labels(ids, f_src[r]),
        "followee_id": lambda r: _labels(node_labels, f_dst[r]),
        "channel": lambda r: _labels(list(channels), f_ch[r]),
        "since": lambda r: _iso(since[r]),
    })

    # events: role rates x activity x tenure x gamma noise, Poisson counts
    rates = _RATES.copy()
    for j, a in enumerate(_ACTS):
        if _FIXED.get(a, social[0]) not in ch_code:
            rates[:, j] = 0.0
    lam = rates[role] * (act * (t_end - t0) / (180 * _DAY))[:, None]
    counts = rng.poisson(lam * rng.gamma(1.0, 1.0, lam.shape))
    flat = np.repeat(np.arange(counts.size), counts.ravel())
    ev_m, ev_j = (flat // len(_ACTS)).astype(np.int32), (flat % len(_ACTS)).astype(np.int8)
    del flat
    code = {a: i for i, a in enumerate(_ALL)}
    ev_a = np.array([code[a] for a in _ACTS], dtype=np.int8)[ev_j]
    del ev_j
    ev_t = t0[ev_m] + (rng.random(len(ev_m)) * (t_end - t0[ev_m])).astype(np.int64)
    # purchases: fans most, and more with event attendance and newsletter clicks
    col = {a: j for j, a in enumerate(_ACTS)}
    attend, clicks = counts[:, col["event_attend"]], counts[:, col["newsletter_click"]]
    logit = _CONVERT[role] + 0.5 * np.log(act) + 0.35 * np.minimum(attend, 4)
    logit += 0.15 * np.minimum(clicks, 8)
    converted = ("shop" in ch_code) & (rng.random(n) < 1 / (1 + np.exp(-logit)))
    buyers = np.repeat(np.arange(n), converted * (1 + rng.poisson(0.4, n)))
    u = 0.3 + 0.7 * rng.random(len(buyers))
    buy_t = t0[buyers] + (u * (t_end - t0[buyers])).astype(np.int64)
    in_win = since >= t_start  # follows made during the window are also events
    ev_m = np.concatenate([ev_m, buyers.astype(np.int32), f_src[in_win]])
    ev_a = np.concatenate([ev_a, np.full(len(buyers), code["purchase"], dtype=np.int8),
                           np.full(in_win.sum(), code["follow"], dtype=np.int8)])
    ev_t = np.concatenate([ev_t, buy_t, since[in_win]])
    ev_tgt = np.concatenate([np.full(len(ev_m) - in_win.sum(), -1, dtype=np.int32),
                             f_dst[in_win]])
    fixed = np.array([ch_code.get(_FIXED.get(a), -1) for a in _ALL], dtype=np.int8)[ev_a]
    ev_ch = np.where(fixed >= 0, fixed, social_channel(ev_m)).astype(np.int8)
    del fixed
    ev_ch[ev_a == code["follow"]] = f_ch[in_win]

    # engagement targets: from the member's followees (70 %) or its community (30 %, mixing)
    bought = (role != 0) & (rng.random(n) < 0.05)
    silent = (role == 1) & (rng.random(n) < 0.15)  # bloggers nobody amplifies
    for group, acts in (("amplify", _AMPLIFY), ("react", _REACT)):
        w = _TARGET_W[group][role] * tail * ~bought
        if group == "amplify":
            w = w * np.where(silent, 0.0, 1.0)
        rows = np.flatnonzero(np.isin(ev_a, [code[a] for a in acts]))
        m = ev_m[rows]
        cum = np.cumsum(w[dst])
        cum0 = np.concatenate([[0.0], cum])
        lo, hi = cum0[indptr[m]], cum0[indptr[m + 1]]
        pos = np.searchsorted(cum, lo + rng.random(len(m)) * (hi - lo), side="right")
        tgt = dst[np.clip(pos, indptr[m], np.maximum(indptr[m + 1] - 1, 0))]
        need = (hi <= lo) | (rng.random(len(m)) < 0.3)
        csamp = _Sampler(w, comm, k)
        for _ in range(4):
            tgt[need] = csamp.draw(rng, comm[m[need]], (rng.random(need.sum()) < mixing) & (k > 1))
            need = tgt == m
        ev_tgt[rows] = np.where(need, -2, tgt)  # -2: no valid target, dropped below
    del rows, m, cum, cum0, lo, hi, pos, tgt, need, w
    ok = ev_tgt != -2
    ev_m, ev_a, ev_t, ev_tgt, ev_ch = ev_m[ok], ev_a[ok], ev_t[ok], ev_tgt[ok], ev_ch[ok]

    # content ids and topics; engagement points at one of the target's contents when it has any
    tags = np.array(
        [f"#{_WORDS[i % len(_WORDS)]}{i // len(_WORDS) or ''}" for i in range(3 * k)]
        + list(_GLOBAL)
    )
    r, ne = rng.random(len(ev_m)), len(ev_m)
    topic = np.where(
        r < 0.9, 3 * k + rng.integers(len(_GLOBAL), size=ne), rng.integers(3 * k, size=ne)
    )
    topic = np.where(r < 0.75, 3 * comm[ev_m] + rng.integers(3, size=ne), topic).astype(np.int32)
    del r
    topic[np.isin(ev_a, [code["newsletter_open"], code["newsletter_click"]])] = 3 * k
    topic[np.isin(ev_a, [code["purchase"], code["follow"]])] = -1
    is_c = np.flatnonzero(np.isin(ev_a, [code[a] for a in _CONTENT]))
    c_rows = is_c[np.argsort(ev_m[is_c], kind="stable")]
    c_cnt = np.bincount(ev_m[c_rows], minlength=n + 1)
    c_first = np.cumsum(c_cnt) - c_cnt
    content = np.full(len(ev_m), -1, dtype=np.int32)
    content[c_rows] = np.arange(len(c_rows))
    tg = np.where(ev_tgt < n, ev_tgt, -1)
    skip = np.isin(ev_a, [code["mention"], code["follow"]])
    eng = np.flatnonzero((tg >= 0) & ~skip & (c_cnt[np.maximum(tg, 0)] > 0))
    t = ev_tgt[eng]
    pick = c_first[t] + (rng.random(len(eng)) * c_cnt[t]).astype(np.int64)
    content[eng], topic[eng] = pick, topic[c_rows[pick]]
    c_time = ev_t[c_rows[pick]] + rng.exponential(6 * 3600, len(eng)).astype(np.int64)
    ev_t[eng] = np.minimum(np.maximum(ev_t[eng], c_time), t_end - 1)
    del c_time, pick, t, is_c
    value = np.round(rng.lognormal(3.9, 0.6, len(ev_m)), 2)
    value[ev_a != code["purchase"]] = np.nan

    o = np.lexsort((ev_a, ev_t, ev_m))
    e_m, e_a, e_t, e_ch = ev_m[o], ev_a[o], ev_t[o], ev_ch[o]
    e_tgt, e_c, e_top, e_val = ev_tgt[o], content[o], topic[o], value[o]
    del ev_m, ev_a, ev_ch, ev_t, ev_tgt, content, topic, value, o, tg, skip, eng
    content_ids = _ids("c", len(c_rows))
    events = LazyTable(len(e_m), {
        "member_id": lambda r: _labels(ids, e_m[r]),
        "action": lambda r: _labels(list(_ALL), e_a[r]),
        "timestamp": lambda r: _iso(e_t[r]),
        "channel": lambda r: _labels(list(channels), e_ch[r]),
        "target_id": lambda r: _labels(node_labels, e_tgt[r]),
        "content_id": lambda r: _labels(content_ids, e_c[r]),
        "topic": lambda r: _labels(tags, e_top[r]),
        "value": lambda r: e_val[r],
    })

    # members: reported followers = in-degree x noise; bought ones look like influencers
    indeg = np.bincount(dst, minlength=n)
    followers = np.rint(indeg * rng.lognormal(0.2, 0.3, n)) + rng.poisson(1.0, n)
    ref = np.median(followers[role == 0]) if (role == 0).any() else np.quantile(followers, 0.99)
    followers = np.where(bought, np.rint(max(ref, 50) * rng.lognormal(0.0, 0.5, n)), followers)
    out_deg = np.bincount(f_src, minlength=n)
    first, last = _FIRST[rng.integers(len(_FIRST), size=n)], _LAST[rng.integers(len(_LAST), size=n)]
    low_first, low_last = np.char.lower(first), np.char.lower(last)
    num = np.arange(n).astype(str)
    base = np.char.add(np.char.add(low_first, low_last.astype("<U1")), num)
    domain = np.array(["@example.com", "@mail.test", "@inbox.test"])[rng.integers(3, size=n)]
    email_all = np.char.add(np.char.add(low_first, "."), np.char.add(low_last, num))
    email_all = np.char.add(email_all, domain)
    has_email = rng.random(n) < 0.6
    kind = np.where(rng.random(n) < np.array([0.15, 0.05, 0.005, 0.005])[role], 1, 0)
    kind = np.where(rng.random(n) < 0.01, 2, kind)
    m_ch = np.where(
        (role == 1) & (rng.random(n) < 0.4) & ("blog" in ch_code),
        ch_code.get("blog", 0),
        soc_code[primary],
    )
    members = pd.DataFrame(
        {
            "member_id": _labels(ids, np.arange(n)),
            "name": _labels(np.char.add(np.char.add(first, " "), last), np.arange(n)),
            "handle": _labels(np.char.add("@", base), np.arange(n)),
            "email": _labels(email_all, np.where(has_email, np.arange(n), -1)),
            "kind": _labels(["person", "media", "brand"], kind),
            "created_at": _iso(created),
            "channel": _labels(list(channels), m_ch),
            "followers": followers.astype(np.int64),
            "following": out_deg + rng.poisson(0.1 * out_deg),
        }
    )

    # identities: 1-3 channel handles for about half of the members
    cand = [c for c in channels if c not in ("blog", "events")]
    sel = np.flatnonzero(rng.random(n) < 0.5)
    n_id = np.minimum(rng.integers(1, 4, size=len(sel)), len(cand))
    perm = np.argsort(rng.random((len(sel), len(cand))), axis=1)
    row, colx = np.nonzero(np.arange(len(cand))[None, :] < n_id[:, None])
    who, ich = sel[row], np.array([ch_code[c] for c in cand])[perm[row, colx]]
    is_mail = np.isin(ich, [ch_code.get("newsletter", -1), ch_code.get("shop", -1)])
    mail = np.where(has_email[who], email_all[who], np.char.add(base[who], "@mail.test"))
    handle = np.where(is_mail, mail, np.char.add("@", base[who]))
    identities = pd.DataFrame(
        {
            "member_id": _labels(ids, who),
            "channel": _labels(list(channels), ich),
            "handle": _labels(handle, np.arange(len(who))),
            "email": _labels(mail, np.where(is_mail | has_email[who], np.arange(len(who)), -1)),
        }
    )

    truth = pd.DataFrame({"community": comm, "role": np.array(ROLES)[role]}, index=ids)
    truth["converted"] = np.bincount(buyers, minlength=n) > 0
    truth["bought_followers"] = bought
    truth.index.name = "member_id"
    params = dict(n_members=n, n_communities=k, mixing=float(mixing), channels=channels)
    params |= dict(role_shares=dict(zip(ROLES, share.tolist(), strict=True)), start=start)
    params |= dict(days=int(days), mean_following=float(mean_following), brand_id=brand_id)
    params["seed"] = seed
    tables = Tables({"members": members, "events": events, "follows": follows,
                     "identities": identities})
    return SyntheticData(tables=tables, truth=truth, params=params)
