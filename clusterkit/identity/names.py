"""Person names as evidence: name order, initials, middle names, accents and nicknames.

:func:`parse_names` turns display names into ``given`` (as written, folded), ``first`` (the
given name mapped to the formal name of the project's curated vocabulary,
:data:`clusterkit.identity.vocab.NICKNAMES`), ``last``, ``initial``, ``variants`` (the ways
the first name is written) and ``order`` (how the name order was read).

Name order
    ``"Smith, John"`` (a comma) and ``"SMITH John"`` (one word in capitals where the others are
    not) put the surname first. Without such a mark, ``"Medina William"`` is read surname first
    when the last word is a known first name and the first word is not. Middle names and
    initials between the first and the last word are dropped; ``"J. Smith"`` has the initial
    ``j`` and no first name. Accents are folded (``"José MÜLLER"`` → ``jose``, ``muller``).
Nicknames
    :func:`name_variants` are the name itself, its curated variants, and its neighbours in the
    hand-curated English nickname list of the ``nicknames`` package (C. Northern, N. Crews,
    Apache-2.0; the list ships inside the package, nothing is downloaded). That list relates
    names both ways and often through several formal names (``bill`` — ``william``,
    ``robert``), so it is used as *compatibility* (are two first names one hop apart?), never
    as one canonical form: a canonical pick would map ``robert`` to ``dobbin``.

Examples
--------
>>> import pandas as pd
>>> p = parse_names(pd.Series(["Smith, Bill", "MEDINA William J.", "J. Smith", "Zoë Ann Kim"]))
>>> for row in p[["given", "first", "last", "initial", "order"]].values.tolist():
...     print(row)
['bill', 'william', 'smith', 'w', 'comma']
['william', 'william', 'medina', 'w', 'capitals']
[<NA>, <NA>, 'smith', 'j', 'as written']
['zoe', 'zoe', 'kim', 'z', 'as written']
>>> "william" in name_variants("bill") and "bill" in name_variants("william")
True
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd

from clusterkit.identity.normalize import fold_text
from clusterkit.identity.vocab import NICKNAMES, VARIANTS, fold

__all__ = ["known_first_names", "name_variants", "nickname_graph", "parse_names"]

_CUT = r"\||\(|•| - "
_WORD = r"[^\W\d_][^\W\d_'’\-]*"


@lru_cache(maxsize=1)
def nickname_graph() -> MappingProxyType:
    """Folded first name → sorted tuple of the names one hop away (both directions).

    The union of the ``nicknames`` package's list and the project vocabulary
    (:data:`~clusterkit.identity.vocab.VARIANTS`). Read once, from the installed package.

    Examples
    --------
    >>> g = nickname_graph()
    >>> "bob" in g["robert"] and "robert" in g["bob"]
    True
    """
    from nicknames import name_triplets

    edges = [(fold(a), fold(b)) for a, _, b in name_triplets()]  # a fixed list (~2,700 rows)
    edges += [(f, v) for f, vs in VARIANTS.items() for v in vs if v != f]
    df = pd.DataFrame(edges, columns=["a", "b"])
    df = pd.concat([df, df.rename(columns={"a": "b", "b": "a"})], ignore_index=True)
    df = df[df["a"] != df["b"]].drop_duplicates().sort_values(["a", "b"])
    groups = df.groupby("a", sort=True)["b"].agg(tuple)
    return MappingProxyType(groups.to_dict())


@lru_cache(maxsize=1)
def known_first_names() -> frozenset:
    """Every folded first name of the nickname list and the vocabulary."""
    g = nickname_graph()
    return frozenset(g) | frozenset(VARIANTS) | frozenset(NICKNAMES)


def name_variants(name: str) -> tuple[str, ...]:
    """The ways one folded first name may be written: itself and its neighbours, sorted.

    Examples
    --------
    >>> [v in name_variants("liz") for v in ("liz", "elizabeth", "beth", "mary")]
    [True, True, True, False]
    """
    g = nickname_graph()
    canon = NICKNAMES.get(name, name)
    out = {name, canon, *g.get(name, ()), *g.get(canon, ())}
    return tuple(sorted(out))


def _variants(given: pd.Series) -> pd.Series:
    """``name_variants`` of each distinct given name, mapped back (missing → None)."""
    uniq = pd.unique(given.dropna().to_numpy(dtype=object))
    table = dict(zip(uniq, map(lambda x: list(name_variants(x)), uniq), strict=True))
    out = given.astype(object).map(table)
    return out.where(given.notna().to_numpy(), None)


def parse_names(values) -> pd.DataFrame:
    """Display names → ``given, first, last, initial, variants, order`` (see module docs).

    Parameters
    ----------
    values : array-like of str
        Display names; missing values give missing parts.

    Returns
    -------
    pandas.DataFrame
        ``given`` (first name as written, folded; missing when only an initial),
        ``first`` (curated formal form of ``given``), ``last``, ``initial`` (of ``first``,
        or of the written initial), ``variants`` (list, see :func:`name_variants`) and
        ``order`` (``comma``, ``capitals``, ``known first name`` or ``as written``).
    """
    s = pd.Series(values).astype("string").str.split(_CUT, n=1, regex=True).str[0]
    s = s.astype("string").str.strip()
    comma = s.str.contains(",", regex=False).fillna(False).to_numpy(dtype=bool)
    head = s.str.split(",", n=1).str[0].astype("string")
    tail = s.str.split(",", n=1).str[1].astype("string")
    s = s.where(~comma, (tail.fillna("") + " " + head.fillna("")).astype("string"))
    # "SMITH John": a leading word in capitals when the rest is not (and "BOB Smith" stays)
    lead = s.str.extract(rf"^\s*({_WORD})\s+(.*\S)\s*$")
    known = known_first_names()
    lead_known = fold_text(lead[0]).isin(known).fillna(False).to_numpy(dtype=bool)
    caps = (lead[0].str.len() >= 2) & lead[0].str.isupper() & ~lead[1].str.isupper()
    caps = caps.fillna(False).to_numpy(dtype=bool) & ~comma & ~lead_known
    s = s.where(~caps, (lead[1] + " " + lead[0]).astype("string"))
    words = fold_text(s).str.split()
    n = words.str.len().fillna(0).to_numpy()
    w0 = words.str[0].astype("string")
    wl = words.str[-1].astype("string").where(n >= 2)
    first_ok = (w0.str.len() >= 2).fillna(False).to_numpy()
    last_ok = (wl.str.len() >= 2).fillna(False).to_numpy()
    given, last = w0.where(first_ok), wl.where(last_ok)
    k_first = given.isin(known).fillna(False).to_numpy(dtype=bool)
    k_last = last.isin(known).fillna(False).to_numpy(dtype=bool)
    swap = k_last & ~k_first & first_ok & last_ok & ~comma & ~caps
    given, last = given.where(~swap, last), last.where(~swap, given)
    initial = w0.str[0].astype("string")
    first = given.map(NICKNAMES).astype("string").fillna(given)
    initial = first.str[0].astype("string").fillna(initial)
    order = np.select([comma, caps, swap], ["comma", "capitals", "known first name"],
                      "as written")
    return pd.DataFrame({"given": given, "first": first, "last": last, "initial": initial,
                         "variants": _variants(given), "order": pd.array(order, "string")},
                        index=s.index)
