"""Normalisation of the identity fields: emails, phones, handles, names, cities, bios.

Every function takes and returns pandas string Series (vectorised ``.str`` methods); missing or
unusable values become missing. Text is *folded* before any comparison: Unicode NFKD with
combining marks removed, a few letters that do not decompose mapped (ß → ss, ø → o, ł → l …),
lowercase. This makes matching independent of how a database engine treats non-ASCII text.

Email
    Trimmed and lowercased; ``googlemail.com`` is ``gmail.com``. With ``strip_plus`` (default)
    a ``+tag`` in the local part is dropped for every domain (sub-addressing: Gmail, Outlook,
    iCloud, Proton, Fastmail, Yahoo's ``-`` variant excepted). With ``gmail_dots`` (default)
    dots in the local part are dropped for Gmail only, where they are ignored by the provider;
    other providers treat ``a.b`` and ``ab`` as different mailboxes. An address without a
    single ``@`` and a dotted domain is unusable (missing).
Phone
    Digits only; the last ``digits`` digits (default 9) are compared, which ignores the
    country code, an international ``00`` / ``+`` prefix and a national trunk ``0``. Numbers
    with fewer than 7 digits are unusable.

Examples
--------
>>> import pandas as pd
>>> normalize_email(pd.Series([" Alex.Smith+news@GoogleMail.com", "a.b@acme.io", "nope"])).tolist()
['alexsmith@gmail.com', 'a.b@acme.io', <NA>]
>>> normalize_phone(pd.Series(["+44 7700 900123", "07700 900123", "12"])).tolist()
['700900123', '700900123', <NA>]
>>> fold_text(pd.Series(["José MÜLLER", "Straße 📷"])).tolist()
['jose muller', 'strasse']
"""

from __future__ import annotations

import pandas as pd

from clusterkit.identity.vocab import NICKNAMES

__all__ = [
    "first_value",
    "fold_text",
    "handle_key",
    "is_email",
    "name_parts",
    "normalize_email",
    "normalize_phone",
]

_UNDECOMPOSED = str.maketrans({"ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "æ": "ae",
                               "Æ": "ae", "œ": "oe", "Œ": "oe", "đ": "d", "Đ": "d", "þ": "th",
                               "ı": "i"})


def _s(values) -> pd.Series:
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    return s.astype("string")


def fold_text(values) -> pd.Series:
    """Fold text (NFKD, marks removed, lowercase) and keep letters and digits as words."""
    s = _s(values).str.translate(_UNDECOMPOSED).str.normalize("NFKD")
    s = s.str.replace(r"[\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff]", "", regex=True)
    s = s.str.lower().str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()
    return s.mask(s == "")


def is_email(values) -> pd.Series:
    """Whether each value looks like an email address (``x@y.z``)."""
    return _s(values).str.strip().str.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+").fillna(False)


def normalize_email(values, strip_plus: bool = True, gmail_dots: bool = True) -> pd.Series:
    """Normalised email addresses (see the module docstring); unusable values are missing."""
    s = _s(values).str.strip().str.lower()
    ok = is_email(s).to_numpy(dtype=bool)
    parts = s.str.rsplit("@", n=1, expand=True)
    if parts.shape[1] < 2:
        return pd.Series(pd.NA, index=s.index, dtype="string")
    user, domain = parts[0].astype("string"), parts[1].astype("string")
    domain = domain.mask(domain == "googlemail.com", "gmail.com")
    if strip_plus:
        user = user.str.split("+", n=1).str[0].astype("string")
    if gmail_dots:
        user = user.mask(domain == "gmail.com", user.str.replace(".", "", regex=False))
    out = (user + "@" + domain).where(ok & (user.str.len() > 0).fillna(False).to_numpy())
    return out.astype("string")


def normalize_phone(values, digits: int = 9) -> pd.Series:
    """The last ``digits`` digits of each phone number; fewer than 7 digits → missing."""
    d = _s(values).str.replace(r"\D", "", regex=True)
    return d.str[-digits:].where(d.str.len() >= 7).astype("string")


def handle_key(values) -> pd.Series:
    """A handle as a platform compares it: trimmed, lowercase, leading ``@`` removed."""
    s = _s(values).str.strip().str.lower().str.lstrip("@").str.strip()
    return s.mask(s == "")


def name_parts(values) -> pd.DataFrame:
    """Display names as ``given`` (as written), ``first`` (nicknames mapped to the formal
    name), ``last`` and ``initial``.

    The name is cut at a decoration (``|``, ``(``, ``•``, `` - ``), folded and split into
    words. ``first`` is the first word unless it is an initial; ``last`` the last word of two
    or more, unless it is an initial.

    Examples
    --------
    >>> name_parts(pd.Series(["Bob Smith | official", "A. Müller", "liz"])).values.tolist()
    [['bob', 'robert', 'smith', 'r'], [<NA>, <NA>, 'muller', 'a'], ['liz', 'elizabeth', <NA>, 'e']]
    """
    s = _s(values).str.split(r"\||\(|•| - ", n=1, regex=True).str[0].astype("string")
    words = fold_text(s).str.split()
    n = words.str.len().fillna(0).to_numpy()
    first = words.str[0].astype("string")
    last = words.str[-1].astype("string").where(n >= 2)
    first_ok = (first.str.len() >= 2).fillna(False)
    last = last.where((last.str.len() >= 2).fillna(False))
    initial = first.str[0].astype("string")
    given = first.where(first_ok)
    canon = given.map(NICKNAMES).astype("string")
    first = canon.fillna(given)
    initial = first.str[0].astype("string").fillna(initial)
    return pd.DataFrame({"given": given, "first": first, "last": last, "initial": initial},
                        index=s.index)


def first_value(*columns) -> pd.Series:
    """Element-wise first non-missing value among aligned Series."""
    out = columns[0]
    for c in columns[1:]:
        out = out.fillna(c)
    return out
