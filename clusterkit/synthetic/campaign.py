"""Synthetic campaigns with known effects, planted on top of :func:`.synthetic.generate` data.

Two invited bloggers, in different communities, each with a campaign content reshared in the
window:

- **A** is retweeted a lot (``adopters[0]`` members, each retweeting 1 + Poisson(1.5) times)
  by members who had already purchased before the window, and brings **no** new conversion.
- **B** is retweeted by fewer members (``adopters[1]``; 30 % of them new to the brand, 20 %
  dormant for 30 days or more), and with ``effect=True`` members exposed to B (and not to A)
  convert with probability ``effect_rate``, within the attribution window of their exposure.

Exposure follows :mod:`clusterkit.campaign.exposure`: the adopters and every follower of a
cascade node. Adopters follow their parent (follow edges are added where missing); an
adopter whose parent is the blogger names the blogger as ``target_id``, deeper ones name
their parent. The planted effect is the number of purchases added; with ``effect=False``
the same cascades are planted and nothing else (the no-effect setting).

Examples
--------
>>> sc = generate_campaign(1500, seed=0)
>>> sc.effects.loc["A", "planted_incremental_conversions"]
np.int64(0)
>>> bool(sc.effects.loc["B", "planted_incremental_conversions"] > 0)
True
>>> sorted(sc.spec)[:3]
['attribution_days', 'bloggers', 'content_ids']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from clusterkit.synthetic.community import generate

__all__ = ["SyntheticCampaign", "generate_campaign"]

_DAY = 86_400


@dataclass(frozen=True)
class SyntheticCampaign:
    """Tables with planted campaigns, the campaign spec and the planted effects.

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        ``members``, ``events``, ``follows``, ``identities`` (DESIGN §2).
    truth : pandas.DataFrame
        The base generator's truth (community, role, converted, bought_followers).
    spec : dict
        The campaign spec as a mapping (``load_campaign`` / ``run_campaign`` accept it).
    effects : pandas.DataFrame
        Index ``"A"``, ``"B"``: ``blogger`` (member id), ``planted_incremental_conversions``,
        ``adopters``, ``planted_retweets``, ``exposed`` (members exposed), ``new_adopters``,
        ``reactivated_adopters``.
    parents : pandas.DataFrame
        The planted trees: ``blogger, member_id, parent_id, time``.
    params : dict
        The arguments used.
    """

    tables: dict
    truth: pd.DataFrame
    spec: dict
    effects: pd.DataFrame
    parents: pd.DataFrame
    params: dict

    def write(self, out_dir, format: str = "csv") -> Path:
        """Write the tables, ``truth.csv``, ``campaign.yaml`` and ``effects.csv``."""
        import yaml

        from clusterkit.synthetic.community import SyntheticData

        out = SyntheticData(self.tables, self.truth, self.params).write(out_dir, format=format)
        (out / "campaign.yaml").write_text(yaml.safe_dump(self.spec, sort_keys=False))
        self.effects.to_csv(out / "effects.csv")
        return out


def _iso(seconds) -> np.ndarray:
    return np.datetime_as_string(np.asarray(seconds, dtype="datetime64[s]"), timezone="UTC")


def _tree(rng, root, adopters, ws, we, p_root=0.5):
    """Adoption times (sorted) and parents: the root, or a uniformly chosen earlier adopter."""
    k = len(adopters)
    t = np.sort(rng.integers(ws + 3600, we - 3600, size=k))
    earlier = (rng.random(k) * np.arange(k)).astype(np.int64)
    to_root = (rng.random(k) < p_root) | (np.arange(k) == 0)
    return t, np.where(to_root, root, adopters[earlier])


def _exposure(fsrc, fdst, nodes, t_nodes, n):
    """Earliest exposure time per member: own adoption, or earliest followed node."""
    t_exp = np.full(n, np.iinfo(np.int64).max)
    t_of = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(t_of, nodes, t_nodes)
    hit = np.isin(fdst, nodes)
    np.minimum.at(t_exp, fsrc[hit], t_of[fdst[hit]])
    np.minimum.at(t_exp, nodes, t_nodes)
    return t_exp


def _pick(rng, pool, k):
    pool = np.flatnonzero(pool)
    return rng.choice(pool, size=min(k, len(pool)), replace=False)


def generate_campaign(n_members: int = 20_000, *, effect: bool = True, effect_rate: float = 0.2,
                      adopters: tuple[int, int] | None = None, window_start_day: int = 120,
                      window_days: int = 7, attribution_days: int = 14, pre_days: int = 56,
                      mixing: float = 0.3, seed: int = 0) -> SyntheticCampaign:
    """Plant bloggers A (many retweets, no effect) and B (few retweets, real effect).

    Parameters
    ----------
    n_members : int
        Members of the base data (:func:`~clusterkit.synthetic.community.generate`, 180 days).
    effect : bool
        Plant B's conversions (False: the no-effect setting, same cascades).
    effect_rate : float
        Probability that a member exposed to B (and not to A) converts because of B.
    adopters : (int, int), optional
        Members who reshare A's and B's campaign content; default 0.75 % and 0.3 % of the
        members, at least 10 and 5 (150 and 60 for 20,000 members).
    window_start_day, window_days, attribution_days, pre_days : int
        Campaign window (days from the data's start), attribution window, pre-period.
    mixing : float
        Passed to the base generator.
    seed : int
        Seeds the base data and, through its own stream, the campaign.

    Returns
    -------
    SyntheticCampaign
    """
    if adopters is None:
        adopters = (max(10, round(0.0075 * n_members)), max(5, round(0.003 * n_members)))
    base = generate(n_members, mixing=mixing, seed=seed)
    rng = np.random.default_rng([seed, 8])
    members, events, follows = (base.tables[k] for k in ("members", "events", "follows"))
    ids = members["member_id"].to_numpy(dtype=object)
    n = len(ids)
    t0 = int(np.datetime64(base.params["start"], "s").astype(np.int64))
    ws = t0 + window_start_day * _DAY
    we, attr = ws + window_days * _DAY, attribution_days * _DAY
    oe = we + attr
    index = pd.Index(ids)
    ev_m = index.get_indexer(events["member_id"])
    ev_t = pd.to_datetime(events["timestamp"], utc=True).dt.tz_localize(None).to_numpy(
        "datetime64[s]").astype(np.int64)
    before = ev_t < ws
    last = np.full(n, -1)
    np.maximum.at(last, ev_m[before], ev_t[before])
    bought = np.zeros(n, dtype=bool)
    bought[ev_m[before & (events["action"] == "purchase").to_numpy()]] = True
    fm = follows["followee_id"].isin(members["member_id"]).to_numpy()
    fsrc = index.get_indexer(follows["follower_id"][fm])
    fdst = index.get_indexer(follows["followee_id"][fm])
    indeg = np.bincount(fdst, minlength=n)
    role = base.truth["role"].to_numpy()
    comm = base.truth["community"].to_numpy()

    # bloggers: mid-sized bloggers (followers between the 40th and 90th percentile)
    cand = np.flatnonzero(role == "blogger")
    lo, hi = np.quantile(indeg[cand], [0.4, 0.9])
    cand = cand[(indeg[cand] >= lo) & (indeg[cand] <= hi)]
    a = int(rng.choice(cand))
    b = int(rng.choice(cand[comm[cand] != comm[a]]))

    # A: retweeted by members who had already purchased
    a_ad = _pick(rng, bought & (comm != comm[b]) & ~np.isin(np.arange(n), [a, b]), adopters[0])
    a_t, a_par = _tree(rng, a, a_ad, ws, we)
    fsrc = np.concatenate([fsrc, a_ad])
    fdst = np.concatenate([fdst, a_par])
    exp_a = _exposure(fsrc, fdst, np.append(a, a_ad), np.append(ws, a_t), n) < np.iinfo(
        np.int64).max
    # B: fewer adopters, some new to the brand or dormant, none exposed to A
    free = ~exp_a & ~np.isin(np.arange(n), [a, b])
    k_new, k_react = round(0.3 * adopters[1]), round(0.2 * adopters[1])
    new = _pick(rng, free & (last < 0), k_new)
    react = _pick(rng, free & (last >= 0) & (last < ws - 30 * _DAY), k_react)
    taken = np.isin(np.arange(n), np.concatenate([new, react]))
    rest = _pick(rng, free & ~taken & (comm == comm[b]), adopters[1] - len(new) - len(react))
    b_ad = rng.permutation(np.concatenate([new, react, rest]))
    b_t, b_par = _tree(rng, b, b_ad, ws, we)
    fsrc = np.concatenate([fsrc, b_ad])
    fdst = np.concatenate([fdst, b_par])
    t_exp_b = _exposure(fsrc, fdst, np.append(b, b_ad), np.append(ws, b_t), n)
    exp_a = _exposure(fsrc, fdst, np.append(a, a_ad), np.append(ws, a_t), n) < np.iinfo(
        np.int64).max
    exp_b = t_exp_b < np.iinfo(np.int64).max
    exp_a[[a, b]] = exp_b[[a, b]] = False

    # campaign events: the two posts, adoptions, and A's repeated retweets
    extra = rng.poisson(1.5, len(a_ad))
    rep = np.repeat(np.arange(len(a_ad)), extra)
    rep_t = a_t[rep] + (rng.random(len(rep)) * (we - a_t[rep])).astype(np.int64)
    who = np.concatenate([[a, b], a_ad, b_ad, a_ad[rep]])
    tgt = np.concatenate([[-1, -1], a_par, b_par, a_par[rep]])
    when = np.concatenate([[ws + 600, ws + 600], a_t, b_t, rep_t])
    content = np.concatenate([["cA", "cB"], np.full(len(a_ad), "cA"), np.full(len(b_ad), "cB"),
                              np.full(len(rep), "cA")])
    act = np.where(tgt < 0, "post", "retweet")
    # B's effect: purchases within the attribution window of the exposure
    eff = np.flatnonzero(exp_b & ~exp_a)
    buyers = eff[rng.random(len(eff)) < effect_rate] if effect else eff[:0]
    delay = 60 + rng.exponential(3 * _DAY, len(buyers)).astype(np.int64)
    buy_t = np.minimum(t_exp_b[buyers] + delay, np.minimum(t_exp_b[buyers] + attr, oe) - 1)
    camp = pd.DataFrame({
        "member_id": ids[np.concatenate([who, buyers])],
        "action": np.concatenate([act, np.full(len(buyers), "purchase")]),
        "timestamp": _iso(np.concatenate([when, buy_t])),
        "channel": np.concatenate([np.full(len(who), "twitter"), np.full(len(buyers), "shop")]),
        "target_id": np.concatenate([np.where(tgt >= 0, ids[np.maximum(tgt, 0)], None),
                                     np.full(len(buyers), None)]),
        "content_id": np.concatenate([content, np.full(len(buyers), None)]),
        "topic": np.concatenate([np.full(len(who), "#launch"), np.full(len(buyers), None)]),
        "value": np.concatenate([np.full(len(who), np.nan),
                                 np.round(rng.lognormal(3.9, 0.6, len(buyers)), 2)]),
    }).astype({c: "string" for c in ("member_id", "action", "timestamp", "channel",
                                     "target_id", "content_id", "topic")})
    events = pd.concat([events, camp], ignore_index=True)  # base rows, then the campaign's
    new_f = pd.DataFrame({"follower_id": ids[np.concatenate([a_ad, b_ad])],
                          "followee_id": ids[np.concatenate([a_par, b_par])],
                          "channel": "twitter",
                          "since": _iso(np.full(len(a_ad) + len(b_ad), ws - 30 * _DAY))})
    follows = pd.concat([follows, new_f.astype({c: "string" for c in new_f.columns})],
                        ignore_index=True).drop_duplicates(["follower_id", "followee_id"],
                                                           ignore_index=True)

    tables = dict(base.tables, events=events, follows=follows)
    effects = pd.DataFrame({
        "blogger": [ids[a], ids[b]],
        "planted_incremental_conversions": np.array([0, len(buyers)], dtype=np.int64),
        "adopters": [len(a_ad), len(b_ad)],
        "planted_retweets": [len(a_ad) + len(rep), len(b_ad)],
        "exposed": [int(exp_a.sum()), int(exp_b.sum())],
        "new_adopters": [0, len(new)], "reactivated_adopters": [0, len(react)],
    }, index=pd.Index(["A", "B"], name="label"))
    parents = pd.DataFrame({
        "blogger": ids[np.concatenate([np.full(len(a_ad), a), np.full(len(b_ad), b)])],
        "member_id": ids[np.concatenate([a_ad, b_ad])],
        "parent_id": ids[np.concatenate([a_par, b_par])],
        "time": pd.to_datetime(np.concatenate([a_t, b_t]), unit="s", utc=True)})
    day = np.datetime64(base.params["start"], "D")
    spec = {
        "name": "synthetic-launch",
        "bloggers": [{"member": str(ids[a]), "label": "A", "cost": 2000.0},
                     {"member": str(ids[b]), "label": "B", "cost": 800.0}],
        "window": {"start": str(day + window_start_day),
                   "end": str(day + window_start_day + window_days)},
        "pre_period": {"start": str(day + window_start_day - pre_days),
                       "end": str(day + window_start_day)},
        "content_ids": ["cA", "cB"],
        "conversions": ["purchase"],
        "attribution_days": float(attribution_days),
        "dormancy_days": 30.0,
        "seed": int(seed),
    }
    params = dict(n_members=n_members, effect=effect, effect_rate=effect_rate,
                  adopters=list(adopters), window_start_day=window_start_day,
                  window_days=window_days, attribution_days=attribution_days,
                  pre_days=pre_days, mixing=mixing, seed=seed)
    return SyntheticCampaign(tables=tables, truth=base.truth, spec=spec, effects=effects,
                             parents=parents, params=params)
