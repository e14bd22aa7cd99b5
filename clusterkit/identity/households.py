"""Emails that read as a household's: evidence of one home, not of one person.

Families, couples and small businesses share an address, and they name it for the group:
``thetaylors@``, ``smithfamily@``, ``walczak.home@``, ``danielandmaria@``,
``thompsons2016@``. Two accounts on such an address are often two people (a newsletter
subscription in one name, the shop account in another), so the address is not a personal
key. An account's email is read as a household's when its local part (letters only,
after the normalisation of :func:`~clusterkit.identity.normalize.normalize_email`) is

- a household word (``family``, ``home``, ``house`` ... in a few languages), alone, as a
  part between separators, or after one of the data's last names (``mehtafamily``);
- ``the`` and a plural of one of the data's last names (``thegrays``, ``thetaylors``);
- a plural of one of the data's last names (``thompsons``, ``floress``);
- two of the data's first names joined by ``and`` (``danielandmaria``; not ``fernando``
  or ``alexanderson``: their parts are not both first names).

Except for a household word alone, a local part that is itself a first or last name in the
data is never read so (``roberts`` where Roberts is someone's last name, ``homewood``,
``alexandrina``).

The names are read from the accounts themselves (first and last names of three letters or
more, plus the nickname vocabulary's formal names), so the test follows the data's own
cultures. What it changes (:mod:`~clusterkit.identity.rules`,
:mod:`~clusterkit.identity.model`): through a household's address the email rule links
only accounts that both show compatible names, and in the probabilistic model the shared
address is no evidence either way (the names, handles and cities decide).

Assumptions, stated: a group address is named for the group (a couple's address that
reads ``jsmith84`` looks personal and is not caught); a personal address does not read
as a group (a single person's ``smithfamily@`` loses the email as evidence: accounts that
show compatible names still link through it, an account without a name no longer does).
Measured on two blind identity generators (``experiments/results/identity_blind.md``):
shared addresses read as a household's are one person 18-43 % of the time, the others
81-99 %.

Examples
--------
>>> import pandas as pd
>>> acc = pd.DataFrame({
...     "email_user": ["thetaylors", "mehtafamily", "danielandmaria", "thompsons2016",
...                    "fernando.lopez", "roberts", "jsmith84", None],
...     "given": ["edward", "kavya", "daniel", "sarah", "fernando", "ann", "john", "maria"],
...     "last": ["taylor", "mehta", "mendes", "thompson", "lopez", "roberts", "smith", None]},
...     dtype="string")
>>> household_emails(acc).tolist()
[True, True, True, True, False, False, False, False]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.identity.normalize import fold_text
from clusterkit.identity.vocab import VARIANTS

__all__ = ["HOUSE_WORDS", "household_emails"]

HOUSE_WORDS = ("family", "familia", "famille", "familie", "famiglia", "fam", "home",
               "house", "household", "haus", "casa")
"""Words a group address is named with (alone, between separators, or after a last name)."""
_ALONE = frozenset(HOUSE_WORDS) - {"fam", "casa", "haus"}  # too short or too common alone


def _names(values: pd.Series) -> set:
    """The folded names of three letters or more in ``values``."""
    v = fold_text(values.astype("string")).str.replace(r"[^a-z]", "", regex=True).dropna()
    return set(v[v.str.len() >= 3].unique().tolist())


def household_emails(accounts: pd.DataFrame) -> np.ndarray:
    """Whether each account's email reads as a household's (see the module docstring).

    Parameters
    ----------
    accounts : pandas.DataFrame
        ``email_user`` (the email's local part, missing without an email), ``given`` and
        ``last`` (folded first and last names, missing where unknown).

    Returns
    -------
    numpy.ndarray of bool
        One entry per row of ``accounts``.
    """
    user = fold_text(accounts["email_user"].astype("string"))
    has = user.notna().to_numpy(dtype=bool)
    out = np.zeros(len(accounts), dtype=bool)
    if not has.any():
        return out
    user = user[has].reset_index(drop=True)  # by position: the caller's labels may repeat
    letters = user.str.replace(r"[^a-z]", "", regex=True)
    lasts = _names(accounts["last"])
    firsts = _names(accounts["given"]) | {k for k in VARIANTS if len(k) >= 3}
    names = lasts | firsts
    parts = user.str.split(r"[^a-z]+", regex=True).explode()
    alone = parts.isin(_ALONE).groupby(level=0).any().reindex(user.index, fill_value=False)
    named = letters.isin(names)  # a name of the data itself (Hausmann, Alexandrina)
    joined = pd.Series(False, index=user.index)
    for word in HOUSE_WORDS:  # a handful of words
        joined |= letters.str.endswith(word) & letters.str[: -len(word)].isin(lasts)
    plural = letters.str.endswith("s") & letters.str[:-1].isin(lasts)
    rest = letters.str[3:]
    the = letters.str.startswith("the") & rest.str.endswith("s") & (
        rest.str[:-1].isin(lasts) | rest.isin(lasts))
    couple = pd.Series(False, index=user.index)
    for pattern in (r"^([a-z]{3,}?)and([a-z]{3,})$", r"^([a-z]{3,})and([a-z]{3,})$"):
        xy = letters.str.extract(pattern)
        couple |= (xy[0].isin(firsts) & xy[1].isin(firsts)).to_numpy()
    found = (alone | ((joined | plural | the | couple) & ~named)).fillna(False)
    out[has] = found.to_numpy(dtype=bool)
    return out
