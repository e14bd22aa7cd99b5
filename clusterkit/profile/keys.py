"""Lookup keys of the profile index: member ids, handles, emails and display names.

:func:`normalise_keys` is the one normalisation of handles and emails, used by the index
(:mod:`clusterkit.profile.index`) and by the lookup (:mod:`clusterkit.profile.lookup`).
Display names are folded with :func:`clusterkit.identity.normalize.fold_text` (accents
removed, lower case, punctuation to blanks), on both sides too.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["fold_name", "normalise_keys"]


def normalise_keys(values) -> pd.Series:
    """Normalise handles and emails for lookup: trimmed, lower case, leading ``@`` removed.

    Handles are case-insensitive and written with or without ``@``; emails compare in lower
    case without surrounding blanks. The index and the lookup both use this function.

    Examples
    --------
    >>> normalise_keys(["@EvaK0", " Eva.Kim@Example.COM ", None]).tolist()
    ['evak0', 'eva.kim@example.com', None]
    """
    s = pd.Series(values, dtype="string").str.strip().str.lower().str.lstrip("@")
    s = s.mask(s == "")
    return s.astype(object).where(s.notna(), None)


def fold_name(values) -> pd.Series:
    """Fold display names for lookup: accents removed, lower case, words of letters and digits.

    The project's one text fold (:func:`clusterkit.identity.normalize.fold_text`), imported
    when called: the identity package is slow to import and a lookup by id never needs it.

    Examples
    --------
    >>> fold_name(["Éva  KIM", "O'Brien", None]).tolist()
    ['eva kim', 'o brien', None]
    """
    from clusterkit.identity.normalize import fold_text

    s = fold_text(pd.Series(values, dtype="string"))
    return s.astype(object).where(s.notna(), None)


def keys_frame(data) -> pd.DataFrame:
    """(key, kind, member_id): handles and emails of the members and identities tables, and
    folded display names (``kind`` ``name``) of the members table."""
    parts = []
    members = data.members.reset_index()
    for table in (members, data.identities):
        if table is None:
            continue
        for col in ("handle", "email"):
            if col in table.columns:
                parts.append(pd.DataFrame({"key": normalise_keys(table[col].to_numpy()),
                                           "kind": col,
                                           "member_id": table["member_id"].to_numpy(
                                               dtype=object)}))
    if "name" in members.columns:
        parts.append(pd.DataFrame({"key": fold_name(members["name"].to_numpy(dtype=object)),
                                   "kind": "name",
                                   "member_id": members["member_id"].to_numpy(dtype=object)}))
    if not parts:
        return pd.DataFrame({"key": pd.Series([], dtype="string"), "kind": "",
                             "member_id": pd.Series([], dtype="string")})
    out = pd.concat(parts, ignore_index=True).dropna(subset=["key"])
    return out.astype({"key": "string", "kind": "string", "member_id": "string"})


def identities_frame(data) -> pd.DataFrame:
    """(member_id, channel, handle, email, source) from the members and identities tables."""
    parts = []
    members = data.members.reset_index()
    if {"handle", "email"} & set(members.columns):
        parts.append(pd.DataFrame({
            "member_id": members["member_id"].to_numpy(dtype=object),
            "channel": members["channel"] if "channel" in members else None,
            "handle": members["handle"] if "handle" in members else None,
            "email": members["email"] if "email" in members else None,
            "source": "members"}))
    if data.identities is not None and len(data.identities):
        idt = data.identities
        parts.append(pd.DataFrame({
            "member_id": idt["member_id"].to_numpy(dtype=object), "channel": idt["channel"],
            "handle": idt["handle"], "email": idt["email"] if "email" in idt else None,
            "source": "identities"}))
    cols = ["member_id", "channel", "handle", "email", "source"]
    if not parts:
        return pd.DataFrame({c: pd.Series([], dtype="string") for c in cols})
    out = pd.concat(parts, ignore_index=True)[cols].astype("string")
    return out[out["handle"].notna() | out["email"].notna()]
