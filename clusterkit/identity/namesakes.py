"""How likely two accounts sharing a full name are one person: a model of namesakes.

Two accounts on different channels showing the same full name are one person, or two
*namesakes*. Their share grows with the data: each pair of distinct people with a given name
is a coincidence, and coincidences grow with the square of the population while true pairs
grow with it linearly (measured on a generator written blind to this code: 96 % of such pairs
are one person at 10,000 accounts, 83 % at 100,000). A fixed weight for "same full name"
therefore merges namesakes on large data. This module estimates, from the data alone, the
probability that such a pair is one person.

Model and its assumptions
-------------------------
1. *A person has at most one account per channel.* Two accounts with the same name on one
   channel are then two people: those pairs are the negative control the model counts.
2. *The people carrying a name are a Poisson number* with mean ``lam = scale_s * e``: ``e`` is
   the name's expected frequency if first and last names were independent (first-name count
   × last-name count / names, counted over distinct full names so that a person's own
   accounts do not inflate it) and ``scale_s`` is fitted per popularity stratum ``s`` (a
   quantile bin of ``e``), since names cluster by culture and ``e`` is only a proxy.
3. *Each person's set of channels is drawn from one distribution* ``q`` (any joint law over
   the non-empty sets of channels), independently of the name.

Under 1-3 the persons with name X on channel set B are independent Poisson(``lam_s * q_B``)
counts, so for a name seen at most once per channel (pattern A, the channels where it is seen)
the persons form a partition of A with probability proportional to the product of
``lam_s * q_B`` over its blocks, and two accounts are one person with the probability of the
partitions that put their channels in one block. ``scale_s`` comes from the same-channel
pairs: for a Poisson count with mean ``mu``, ``E[n (n - 1)] = mu ** 2``, so
``sum n_a (n_a - 1) / sum n_a e = scale_s * sum pi_a ** 2 / sum pi_a`` over the names of the
stratum, with ``pi_a`` the share of persons on channel ``a`` (names never seen add nothing to
either sum, so the unseen names do not bias it). ``q`` is fitted by expectation maximisation
over the names seen at most once per channel.

When ``lam / e`` varies between names of one stratum, the estimate of ``scale_s`` is its
mean weighted by ``lam``, above the typical name's: the probabilities then err *low* (fewer
merges, never more). If a
person has two accounts on one channel (assumption 1 broken), the same-channel pairs include
same-person pairs and ``lam`` is again over-stated: the error is on the same, safe side.
A name seen twice on a channel is left to the comparison levels (its pairs are scored there).

Examples
--------
>>> import pandas as pd
>>> acc = pd.DataFrame({
...     "member_id": list("abcdef"), "channel": ["x", "y", "x", "y", "x", "y"],
...     "full_name": ["ann lee", "ann lee", "bo wu", "bo wu", "bo wu", "cy li"],
...     "first": ["ann", "ann", "bo", "bo", "bo", "cy"], "last": ["lee", "lee", "wu", "wu", "wu",
...     "li"]})
>>> p = same_person_probability(acc, [0, 2], [1, 3])
>>> bool(0.5 < p[0] < 1.0), bool(pd.isna(p[1]))  # 'bo wu' is seen twice on channel x
(True, True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["MAX_CHANNELS", "NamesakeModel", "fit_namesakes", "same_person_probability"]

MAX_CHANNELS = 12
"""With more channels than this the model is not fitted. Its work grows with the subsets of
the channel sets names are seen on (a name seen on k channels: 2 ** k), and its table of
pairs with 2 ** channels x channels ** 3 numbers (61 MB at 12). It was 7 until a blind
generator with 11 channels (six social, five CRM) showed what the cap cost: without the
model, pairs sharing a rare full name got one fixed weight (0.80 at 10,000 accounts where
97 % were one person; ``experiments/results/identity_blind.md``)."""
_SHRINK = 100.0  # accounts (at the mean expected frequency) of the pooled rate per stratum
_Q_PRIOR = 0.5  # pseudo-persons per channel set in the EM for q


class NamesakeModel:
    """Fitted namesake model.

    Attributes
    ----------
    channels : list of str
        The channels, in code order (a missing channel is ``""``).
    scale : ndarray
        Per popularity stratum, persons per unit of expected frequency (``lam = scale * e``).
    q : ndarray
        Share of persons on each channel set (indexed by bit mask; ``q[0] = 0``).
    names : pandas.DataFrame
        Per full name seen at most once per channel: ``lam`` and ``mask`` (its channels).
    poly, together : ndarray
        ``poly[U]``: coefficients in ``lam`` of the sum over set partitions of U of the
        product of ``lam * q_B`` over the blocks (for the observed patterns and their
        subsets; zero elsewhere); ``together[A, a, b]``: the same over the
        partitions of A that put channels a and b in one block.
    """

    def __init__(self, channels, scale, q, names, poly, together):
        self.channels, self.scale, self.q, self.names = channels, scale, q, names
        self.poly, self.together = poly, together


def _blocks(U: int):
    """Non-empty subsets of ``U`` that hold its lowest bit (the block of a set partition)."""
    low = U & -U
    rest = U ^ low
    sub = rest
    while True:
        yield sub | low
        if sub == 0:
            return
        sub = (sub - 1) & rest


def _subsets(A: int):
    """Non-empty subsets of ``A``."""
    sub = A
    while sub:
        yield sub
        sub = (sub - 1) & A


def _needed(masks) -> np.ndarray:
    """Every non-empty subset of the channel sets ``masks``, in increasing order: the sets
    whose partition polynomials the observed patterns need."""
    return np.unique(np.fromiter((B for A in masks for B in _subsets(int(A))), dtype=np.int64))


def _partition_polys(q: np.ndarray, C: int, masks) -> np.ndarray:
    """``poly[U, j]``: sum over partitions of U into j blocks of the product of ``q_B``, for
    the sets ``U`` of :func:`_needed` (``masks``; zero elsewhere). A subset comes before its
    set in increasing order, so each set reads its parts' finished rows."""
    poly = np.zeros((len(q), C + 1))
    poly[0, 0] = 1.0
    for U in masks:  # the observed patterns' subsets: at most 2 ** channels
        for B in _blocks(int(U)):
            poly[U, 1:] += q[B] * poly[U ^ B, :-1]
    return poly


def _evaluate(coef: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """Polynomials (coefficients by degree, last axis) at ``lam`` (one value per row)."""
    powers = lam[:, None] ** np.arange(coef.shape[-1])[None, :]
    return powers @ coef.T if coef.ndim == 1 else (powers * coef).sum(axis=-1)


def _strata(names: pd.DataFrame):
    """Expected frequency of each distinct full name and its popularity stratum."""
    first = names.groupby("first")["first"].transform("size").to_numpy(dtype=np.float64)
    last = names.groupby("last")["last"].transform("size").to_numpy(dtype=np.float64)
    e = first * last / max(len(names), 1)
    n_bins = int(np.clip(len(names) // 1000, 1, 8))
    edges = np.quantile(np.log(e), np.linspace(0, 1, n_bins + 1)[1:-1])
    return e, np.searchsorted(edges, np.log(e), side="right")


def fit_namesakes(accounts: pd.DataFrame, iterations: int = 60) -> NamesakeModel | None:
    """Fit the namesake model on the account table (see the module docstring).

    Parameters
    ----------
    accounts : pandas.DataFrame
        ``full_name``, ``first``, ``last`` and ``channel`` per account.
    iterations : int
        Most EM iterations for ``q``.

    Returns
    -------
    NamesakeModel or None
        None when no account shows a full name, or there are more than
        :data:`MAX_CHANNELS` channels.
    """
    a = accounts.loc[accounts["full_name"].notna(), ["full_name", "first", "last", "channel"]]
    if a.empty:
        return None
    chan = a["channel"].astype(object).where(a["channel"].notna(), "").astype(str)
    channels = sorted(chan.unique())
    C = len(channels)
    if C > MAX_CHANNELS:
        return None
    code = chan.map({c: i for i, c in enumerate(channels)}).to_numpy(dtype=np.int64)
    counts = pd.crosstab(a["full_name"].to_numpy(dtype=object), code)
    counts = counts.reindex(columns=range(C), fill_value=0)
    N = counts.to_numpy(dtype=np.float64)
    names = (a.drop_duplicates("full_name").set_index("full_name")
             .reindex(counts.index)[["first", "last"]].fillna(""))
    e, stratum = _strata(names)
    n_bins = int(stratum.max()) + 1
    # lam = scale_s * e within a stratum: E[sum n(n-1)] / E[sum n e] = scale_s * sum pi^2 / sum pi
    pairs = (N * (N - 1)).sum(axis=1)
    weighted = N.sum(axis=1) * e
    pooled = (pairs.sum() + 1.0) / (weighted.sum() + 1.0)
    shrink = _SHRINK * float(np.mean(e))
    ratio = (np.bincount(stratum, pairs, n_bins) + shrink * pooled) / (
        np.bincount(stratum, weighted, n_bins) + shrink)

    clean = (N <= 1).all(axis=1)
    mask = (N[clean] @ (1 << np.arange(C))).astype(np.int64)
    e_clean, s_clean = e[clean], stratum[clean]
    n_sets = 1 << C
    bits = (np.arange(n_sets)[:, None] >> np.arange(C)[None, :]) & 1  # set x channel
    patterns = [(A, np.flatnonzero(mask == A), np.fromiter(_subsets(int(A)), dtype=np.int64))
                for A in np.unique(mask)]
    needed = _needed(np.unique(mask))
    q = np.full(n_sets, 1.0 / (n_sets - 1))
    q[0] = 0.0
    for _ in range(iterations):
        pi = q @ bits
        scale = ratio * pi.sum() / max(float((pi ** 2).sum()), 1e-12)
        lam = scale[s_clean] * e_clean
        poly = _partition_polys(q, C, needed)
        persons = np.zeros(n_sets)
        for A, rows, subs in patterns:  # observed patterns: at most 2 ** channels
            lam_a = lam[rows]
            powers = lam_a[:, None] ** np.arange(C + 1)[None, :]  # names x degree
            z = powers @ poly[A]
            # every B in subs as one block of the partition, at once (summed over the
            # names first: a names x subsets table would not fit for many channels)
            persons[subs] += q[subs] * (((lam_a / z) @ powers) @ poly[A ^ subs].T)
        new = persons + _Q_PRIOR
        new[0] = 0.0
        new /= new.sum()
        done = np.abs(new - q).max() < 1e-7
        q = new
        if done:
            break
    pi = q @ bits
    scale = ratio * pi.sum() / max(float((pi ** 2).sum()), 1e-12)
    poly = _partition_polys(q, C, needed)
    together = np.zeros((n_sets, C, C, C + 1))
    for A in np.unique(mask):  # only the observed patterns are looked up
        for B in _subsets(int(A)):
            ch = np.flatnonzero(bits[B])
            if len(ch) >= 2:
                together[A, ch[:, None], ch[None, :], 1:] += q[B] * poly[A ^ B, :-1]
    table = pd.DataFrame({"lam": scale[s_clean] * e_clean, "mask": mask},
                         index=counts.index[clean])
    return NamesakeModel(channels, scale, q, table, poly, together)


def same_person_probability(accounts: pd.DataFrame, left, right,
                            model: NamesakeModel | None = None) -> np.ndarray:
    """Probability that each pair of accounts sharing a full name is one person.

    Parameters
    ----------
    accounts : pandas.DataFrame
        The account table (``full_name``, ``first``, ``last``, ``channel``).
    left, right : array of int
        Row positions of the pairs' accounts in ``accounts``.
    model : NamesakeModel, optional
        A fitted model (fitted on ``accounts`` when not given).

    Returns
    -------
    ndarray of float
        The probability, or NaN where the model does not apply: different or missing full
        names, one channel, a name seen twice on a channel, or no model.
    """
    left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    out = np.full(len(left), np.nan)
    model = fit_namesakes(accounts) if model is None else model
    if model is None or len(left) == 0:
        return out
    full = accounts["full_name"].astype(object).to_numpy()
    chan = accounts["channel"].astype(object).where(accounts["channel"].notna(), "")
    code = chan.astype(str).map({c: i for i, c in enumerate(model.channels)})
    code = code.fillna(-1).to_numpy(dtype=np.int64)
    fl, fr = pd.Series(full[left]), pd.Series(full[right])
    ok = (fl.notna() & (fl == fr)).to_numpy(dtype=bool) & (code[left] != code[right])
    ok &= (code[left] >= 0) & (code[right] >= 0)
    info = model.names.reindex(fl[ok].to_numpy())
    known = info["mask"].notna().to_numpy()
    idx = np.flatnonzero(ok)[known]
    lam = info["lam"].to_numpy(dtype=np.float64)[known]
    m = info["mask"].to_numpy()[known].astype(np.int64)
    num = _evaluate(model.together[m, code[left][idx], code[right][idx]], lam)
    out[idx] = num / _evaluate(model.poly[m], lam)
    return out
