"""Synthetic persons with several accounts each, for identity resolution.

A person has 1-4 accounts on distinct channels (twitter, instagram, tiktok, youtube,
newsletter, shop). Each account is one member row with a handle, a display name, an email
(usually missing on social channels), and optionally a city, a bio and a phone number, with
the noise real accounts have:

- names: formal or nickname (Robert / Bob), first name only, initials, decorations and emoji,
  accents dropped, case, typos, missing, or an unrelated brand-like name;
- handles: the person's usual stem with new digits, dots turned into underscores where the
  platform forbids dots, another name pattern, or an unrelated handle; unique per channel, so a
  namesake gets ``alexsmith2``;
- emails: a primary and sometimes a secondary address, gmail dot variants, ``+news`` tags,
  case; unique per person except for households sharing one address;
- hard negatives: common names are drawn from a shifted Zipf law (namesakes grow with size),
  handle words repeat (similar handles of different people), and about 3 % of persons live in
  a household with another person (same surname and city, sometimes the same email).

About 10 % of the accounts of persons with several accounts declare another of their accounts
in the ``identities`` table (a link in a bio), sometimes stale (a typo).

:func:`generate_accounts` draws persons from scratch (with one ``view`` event per account so
that a run works); :func:`split_accounts` wraps :func:`clusterkit.synthetic.community.generate`
output, splitting its members into accounts and spreading their events and follows over them
by channel, so that the pipeline can be tested per person.

Examples
--------
>>> from clusterkit.synthetic.identity import generate_accounts
>>> sd = generate_accounts(400, seed=1)
>>> len(sd.tables["members"]), sd.truth["person_id"].nunique() < 400
(400, True)
>>> sorted(sd.tables)
['events', 'identities', 'members']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.synthetic.community import SyntheticData

__all__ = [
    "CHANNEL_WEIGHTS",
    "DEFAULT_ACCOUNTS_PER_PERSON",
    "DEFAULT_ACCOUNT_CHANNELS",
    "IdentitySynthetic",
    "generate_accounts",
    "split_accounts",
    "true_pairs",
]

DEFAULT_ACCOUNT_CHANNELS = ("twitter", "instagram", "tiktok", "youtube", "newsletter", "shop")
CHANNEL_WEIGHTS = {"twitter": 0.27, "instagram": 0.25, "tiktok": 0.10, "youtube": 0.06,
                   "newsletter": 0.19, "shop": 0.13, "blog": 0.04}
"""Relative popularity of each channel for a person's accounts (others: 0.05)."""
DEFAULT_ACCOUNTS_PER_PERSON = (0.45, 0.28, 0.17, 0.10)
"""Probability that a person has 1, 2, 3 or 4 accounts."""
_FIELDS = ("name", "handle", "email", "city", "bio", "phone")


class IdentitySynthetic(SyntheticData):
    """Generated accounts, their tables and the true person of each account.

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        ``members`` (one row per account: ``member_id, channel, name, handle, email, city, bio,
        phone`` …), ``identities`` (declared cross-channel handles) and ``events`` (plus
        ``follows`` when made by :func:`split_accounts`).
    truth : pandas.DataFrame
        Index ``member_id`` (sorted); ``person_id`` and ``channel`` (plus the planted truth
        of :func:`~clusterkit.synthetic.community.generate` when wrapped).
    params : dict
        The resolved parameters (provenance).
    """


def _ids(prefix: str, n: int) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(np.arange(n).astype(str), max(6, len(str(n)))))


def _str(values) -> pd.Series:
    """String column; empty strings become missing."""
    s = pd.Series(np.asarray(values, dtype=str), dtype="string")
    return s.mask(s == "")


def _probs(accounts_per_person) -> np.ndarray:
    p = np.asarray(DEFAULT_ACCOUNTS_PER_PERSON if accounts_per_person is None
                   else accounts_per_person, dtype=float)
    if p.ndim != 1 or len(p) == 0 or (p < 0).any() or p.sum() <= 0:
        raise ValueError("accounts_per_person must be non-negative probabilities of having "
                         f"1, 2, … accounts, got {accounts_per_person!r}")
    return p / p.sum()


def _assign_channels(k, channels, rng, primary=None):
    """Distinct channels per person by weight (Gumbel top-k); ``primary`` comes first."""
    n, c = len(k), len(channels)
    w = np.array([CHANNEL_WEIGHTS.get(ch, 0.05) for ch in channels])
    keys = np.log(w)[None, :] - np.log(-np.log(rng.random((n, c))))
    if primary is not None:
        keys[np.arange(n), primary] = np.inf
    order = np.argsort(-keys, axis=1, kind="stable")
    k = np.minimum(k, c)
    pa = np.repeat(np.arange(n), k)
    pos = np.arange(len(pa)) - np.repeat(np.cumsum(k) - k, k)
    return k, pa, pos, np.asarray(channels)[order[pa, pos]]


def _declared(ids, k, pa, pos, channel, fields, share, rng) -> pd.DataFrame:
    """Rows of ``identities``: an account naming another account of its person."""
    from clusterkit.synthetic._textnoise import recase, typos

    start = np.cumsum(k) - k
    dec = np.flatnonzero((k[pa] >= 2) & (rng.random(len(pa)) < share))
    tgt = start[pa[dec]] + (pos[dec] + 1) % k[pa[dec]]
    h = fields["handle"][tgt]
    h = np.where(rng.random(len(dec)) < 0.3, np.char.lstrip(h, "@"), h)
    h = typos(recase(h, rng, 0.3, 0.05), rng, 0.08)  # some declared handles are stale
    out = pd.DataFrame({"member_id": _str(ids[dec]), "channel": _str(channel[tgt]),
                        "handle": _str(h)})
    out["email"] = pd.Series(pd.NA, index=out.index, dtype="string")
    return out


def generate_accounts(
    n_accounts=10_000,
    *,
    channels=None,
    accounts_per_person=None,
    declared_share=0.1,
    household_share=0.03,
    start="2026-01-01",
    seed=0,
) -> IdentitySynthetic:
    """Generate ``n_accounts`` accounts of persons with realistic identity noise.

    Parameters
    ----------
    n_accounts : int, default 10000
        Number of accounts (member rows). Persons are drawn until their accounts add up to it.
    channels : sequence of str, optional
        Account channels, default :data:`DEFAULT_ACCOUNT_CHANNELS`. ``newsletter`` and
        ``shop`` accounts are identified by an email address (their handle); the others by a
        handle.
    accounts_per_person : sequence of float, optional
        Probabilities of 1, 2, … accounts, default :data:`DEFAULT_ACCOUNTS_PER_PERSON`
        (mean 1.92); capped at the number of channels.
    declared_share : float, default 0.1
        Share of the accounts of multi-account persons that declare another of their
        accounts in ``identities``.
    household_share : float, default 0.03
        Share of persons who share a surname, a city and sometimes an email with another.
    start : str, default "2026-01-01"
        First day of the 180-day window of the ``view`` events.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    IdentitySynthetic
        Tables sorted by ``member_id``; account ids ``a000000`` … are assigned in random
        order, so they say nothing about persons; person ids are ``p000000`` ….

    Examples
    --------
    >>> sd = generate_accounts(1000, seed=0)
    >>> int(sd.truth.groupby("person_id").size().max())
    4
    >>> sd.tables["members"]["channel"].isin(DEFAULT_ACCOUNT_CHANNELS).all()
    np.True_
    """
    from clusterkit.synthetic._profiles import accounts, persons

    n = int(n_accounts)
    if n < 1:
        raise ValueError(f"n_accounts must be at least 1, got {n_accounts}")
    channels = tuple(DEFAULT_ACCOUNT_CHANNELS if channels is None else channels)
    p = _probs(accounts_per_person)
    rng = np.random.default_rng(seed)
    mean_k = float(np.dot(np.arange(1, len(p) + 1), p))
    k = rng.choice(len(p), size=int(n / mean_k * 1.2) + 8, p=p) + 1
    k = np.minimum(k, len(channels))
    while k.sum() < n:  # rare: draw more persons
        k = np.concatenate([k, np.minimum(rng.choice(len(p), size=n, p=p) + 1, len(channels))])
    before = np.cumsum(k) - k
    k = np.clip(n - before, 0, k)
    k = k[k > 0]
    P = persons(len(k), rng, household_share)
    k, pa, pos, channel = _assign_channels(k, channels, rng)
    fields = accounts(P, pa, channel, rng)
    ids = _ids("a", n)[rng.permutation(n)]
    members = pd.DataFrame({"member_id": _str(ids), "channel": _str(channel)})
    for f in _FIELDS:
        members[f] = _str(fields[f])
    members["kind"] = _str(np.full(n, "person"))
    t0 = np.datetime64(start, "s").astype(np.int64)
    ts = t0 + (rng.random(n) * 180 * 86400).astype(np.int64)
    events = pd.DataFrame({
        "member_id": _str(ids), "action": _str(np.full(n, "view")),
        "timestamp": np.datetime_as_string(ts.astype("datetime64[s]"), timezone="UTC"),
        "channel": _str(channel)})
    identities = _declared(ids, k, pa, pos, channel, fields, declared_share, rng)
    truth = pd.DataFrame({"person_id": _ids("p", len(k))[pa], "channel": channel},
                         index=pd.Index(ids, name="member_id"))
    params = dict(n_accounts=n, n_persons=len(k), channels=channels,
                  accounts_per_person=p.tolist(), declared_share=float(declared_share),
                  household_share=float(household_share), start=start, seed=seed)
    return _finish(members, events, None, identities, truth, params)


def _finish(members, events, follows, identities, truth, params) -> IdentitySynthetic:
    tables = {"members": members.sort_values("member_id", kind="stable", ignore_index=True),
              "events": events.sort_values(["member_id", "timestamp", "action"], kind="stable",
                                           ignore_index=True),
              "identities": identities.sort_values(["member_id", "channel", "handle"],
                                                   kind="stable", ignore_index=True)}
    if follows is not None:
        tables["follows"] = follows.sort_values(["follower_id", "followee_id"], kind="stable",
                                                ignore_index=True)
    return IdentitySynthetic(tables=tables, truth=truth.sort_index(), params=params)


def split_accounts(
    synth: SyntheticData,
    *,
    accounts_per_person=None,
    declared_share=0.1,
    household_share=0.03,
    seed=0,
) -> IdentitySynthetic:
    """Split the members of :func:`~clusterkit.synthetic.community.generate` output into accounts.

    Each member becomes a person with 1-4 accounts: the first keeps the member id and its
    channel; the others get ids ``<member_id>-1`` … on other channels. Events, follows and
    identities move to the person's account on their channel (the first account when the
    person has none there), and ``target_id`` / ``followee_id`` likewise, so that merging each
    person's accounts gives back the original per-member counts. Names, handles and emails are
    redrawn with identity noise (see the module docstring).

    Parameters
    ----------
    synth : SyntheticData
        Output of :func:`clusterkit.synthetic.community.generate`.
    accounts_per_person, declared_share, household_share, seed
        As in :func:`generate_accounts`.

    Returns
    -------
    IdentitySynthetic
        ``truth`` has ``person_id`` (the original member id), ``channel`` and the original
        truth columns of the person.

    Examples
    --------
    >>> from clusterkit.synthetic.community import generate
    >>> sd = split_accounts(generate(300, seed=2), seed=2)
    >>> len(sd.tables["members"]) > 300, sd.truth["person_id"].nunique()
    (True, 300)
    """
    from clusterkit.synthetic._profiles import accounts, persons

    m = synth.tables["members"]
    n = len(m)
    pid = m["member_id"].to_numpy(dtype=str)
    chans = [c for c in synth.params["channels"] if c != "events"]
    code = {c: i for i, c in enumerate(chans)}
    prim = m["channel"].map(code).fillna(0).to_numpy(dtype=np.int64)
    p = _probs(accounts_per_person)
    rng = np.random.default_rng(seed)
    k = rng.choice(len(p), size=n, p=p) + 1
    P = persons(n, rng, household_share)
    k, pa, pos, channel = _assign_channels(k, chans, rng, primary=prim)
    fields = accounts(P, pa, channel, rng)
    acc = np.where(pos == 0, pid[pa], np.char.add(np.char.add(pid[pa], "-"), pos.astype(str)))
    lookup = pd.MultiIndex.from_arrays([pid[pa], channel])

    def rekey(frame, col, channel_col="channel"):
        idx = lookup.get_indexer(pd.MultiIndex.from_arrays(
            [frame[col].astype(object), frame[channel_col].astype(object)]))
        out = frame[col].to_numpy(dtype=object).copy()
        out[idx >= 0] = acc[idx[idx >= 0]]  # the first account keeps the person's id
        return _str(np.where(pd.isna(out), "", out).astype(str))

    events = synth.tables["events"].copy()
    events["member_id"], events["target_id"] = rekey(events, "member_id"), rekey(events,
                                                                                   "target_id")
    follows = synth.tables["follows"].copy()
    follows["follower_id"] = rekey(follows, "follower_id")
    follows["followee_id"] = rekey(follows, "followee_id")
    own = synth.tables["identities"].copy()
    own["member_id"] = rekey(own, "member_id")
    declared = _declared(acc, k, pa, pos, channel, fields, declared_share, rng)
    members = m.set_index("member_id").loc[pid[pa]].reset_index(drop=True)
    for col in ("followers", "following"):
        if col in members:
            members[col] = members[col].astype("float64").where(pos == 0)
    members.insert(0, "member_id", _str(acc))
    members["channel"] = _str(channel)
    for f in _FIELDS:
        members[f] = _str(fields[f])
    truth = synth.truth.loc[pid[pa]].reset_index(drop=True)
    truth.insert(0, "channel", channel)
    truth.insert(0, "person_id", pid[pa])
    truth.index = pd.Index(acc, name="member_id")
    params = dict(synth.params, n_accounts=len(acc), accounts_per_person=p.tolist(),
                  declared_share=float(declared_share), household_share=float(household_share),
                  split_seed=seed)
    identities = pd.concat([own, declared], ignore_index=True)
    return _finish(members, events, follows, identities, truth, params)


def true_pairs(truth: pd.DataFrame) -> pd.DataFrame:
    """All pairs of accounts of the same person (``member_id_l < member_id_r``).

    Examples
    --------
    >>> t = pd.DataFrame({"person_id": ["p", "p", "q"]},
    ...                  index=pd.Index(["a", "b", "c"], name="member_id"))
    >>> true_pairs(t).values.tolist()
    [['a', 'b']]
    """
    t = pd.DataFrame({"member_id": truth.index.to_numpy(dtype=object),
                      "person_id": truth["person_id"].to_numpy(dtype=object)})
    pairs = t.merge(t, on="person_id", suffixes=("_l", "_r"))
    pairs = pairs[pairs["member_id_l"] < pairs["member_id_r"]]
    return pairs[["member_id_l", "member_id_r"]].sort_values(
        ["member_id_l", "member_id_r"], ignore_index=True)
