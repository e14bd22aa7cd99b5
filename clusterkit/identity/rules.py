"""Deterministic links: accounts that share a personal key.

Rules (named in :class:`~clusterkit.identity.config.IdentityConfig` ``rules``):

``declared_handle``
    The ``identities`` table names a handle on a channel (``member_id, channel, handle``): the
    member is linked to the account that has that handle on that channel, and to any member
    naming the same one. Handles compare as platforms compare them (case and a leading ``@``
    ignored); an email-like handle (newsletter, shop) compares as a normalised email.
``email``
    The same normalised email (members' ``email``, email-like handles, and the ``email``
    column of ``identities``).
``phone``
    The same last digits of a ``phone`` column (members or identities).
``handle``
    The same handle on any channel. Namesakes share handles across platforms, so this rule is
    imprecise on large data; it is off by default and serves as a baseline.

A key shared by more than ``max_key_group`` members links nothing (a shop's or a family's
address) and is reported in the warnings. An email or phone shared by two accounts is a
household's, not a person's, only when the evidence says two people: both show a first name,
the first names differ and are not nickname variants, initials or near spellings of each
other (``Bill`` / ``William``, ``Medina William`` / ``Bill Medina`` are one person; an
initial alone never separates), and the handles differ ("Thomas Medina" @tmedina and
"William Medina" @billm are two). Such a pair is not linked by the rule, and the key is then
a household's, as is an account's email whose local part reads as one (``thetaylors@``,
``smithfamily@``: :mod:`~clusterkit.identity.households`): through it only accounts that
both show compatible names are linked (an account without a name could be either person).
The probabilistic model still scores every such pair, with the names as evidence. Each
link keeps the name of its rule as evidence; a pair found by several rules keeps the first
rule in the order above.

Examples
--------
>>> import pandas as pd
>>> acc = pd.DataFrame({"member_id": ["a", "b", "c"], "channel": ["twitter", "shop", "x"],
...                     "handle": ["al", None, "al"], "email": [None, "al@x.io", "al@x.io"],
...                     "phone": [None] * 3}, dtype="string")
>>> from clusterkit.identity.config import IdentityConfig
>>> links, notes = rule_links(acc, None, IdentityConfig(rules=("email", "handle")))
>>> links[["member_id_l", "member_id_r", "rule"]].values.tolist()
[['a', 'c', 'handle'], ['b', 'c', 'email']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.errors import DataError
from clusterkit.identity.normalize import handle_key, is_email, normalize_email, normalize_phone

__all__ = ["LINK_COLUMNS", "check_identities", "rule_links"]

LINK_COLUMNS = ("member_id_l", "member_id_r", "rule", "match_weight", "match_probability")
_PRIORITY = ("declared_handle", "email", "phone", "handle")


def check_identities(identities: pd.DataFrame | None, file: str = "identities") -> None:
    """Raise :class:`DataError` if the identities table lacks a required column."""
    if identities is None:
        return
    missing = [c for c in ("member_id", "channel", "handle") if c not in identities.columns]
    if missing:
        raise DataError(
            f"missing required column {missing[0]!r}. The identities table needs columns "
            f"['member_id', 'channel', 'handle'] (optional 'email'); found "
            f"{list(identities.columns)}. Rename or add the column.",
            file=file, column=missing[0])


def empty_links() -> pd.DataFrame:
    """A links frame with no rows and the right columns and dtypes."""
    return pd.DataFrame({"member_id_l": pd.Series([], dtype="string"),
                         "member_id_r": pd.Series([], dtype="string"),
                         "rule": pd.Series([], dtype="string"),
                         "match_weight": pd.Series([], dtype="float64"),
                         "match_probability": pd.Series([], dtype="float64")})


def _keys(acc, identities, config) -> pd.DataFrame:
    """(member_id, rule, key) rows for every rule of the config."""
    rules = set(config.rules)

    def norm_email(s):
        return normalize_email(s, config.email_strip_plus, config.email_gmail_dots)

    frames = []

    def add(ids, rule, key, named=True):
        frames.append(pd.DataFrame({"member_id": pd.Series(ids, dtype="string").to_numpy(),
                                    "rule": rule, "key": key.to_numpy(), "named": named}))

    idt = identities if identities is not None else pd.DataFrame(
        columns=["member_id", "channel", "handle", "email"], dtype="string")
    idt_handle = idt["handle"].astype("string")
    idt_mail = is_email(idt_handle).to_numpy(dtype=bool)
    if "email" in rules:
        add(acc["member_id"], "email", acc["email"])
        if "email" in idt:
            add(idt["member_id"], "email", norm_email(idt["email"]))
        add(idt["member_id"], "email", norm_email(idt_handle.where(idt_mail)))
    if "phone" in rules:
        add(acc["member_id"], "phone", acc["phone"])
        if "phone" in idt:
            add(idt["member_id"], "phone", normalize_phone(idt["phone"], config.phone_digits))
    if "declared_handle" in rules:
        own = acc["handle"].fillna(acc["email"])
        add(acc["member_id"], "declared_handle", acc["channel"] + "/" + acc["handle"])
        # an account's email stands for its handle only to meet an identities row naming it:
        # two accounts sharing an email on one channel are the email rule's (households)
        add(acc["member_id"], "declared_handle", acc["channel"] + "/" + own.where(
            acc["handle"].isna()), named=False)
        named = handle_key(idt_handle).where(~idt_mail, norm_email(idt_handle))
        channel = idt["channel"].astype("string").str.strip().str.lower()
        add(idt["member_id"], "declared_handle", channel + "/" + named)
    if "handle" in rules:
        add(acc["member_id"], "handle", acc["handle"])
        add(idt["member_id"], "handle", handle_key(idt_handle).where(~idt_mail))
    if not frames:
        return pd.DataFrame(columns=["member_id", "rule", "key", "named"])
    keys = pd.concat(frames, ignore_index=True).dropna(subset=["key"])
    return keys.drop_duplicates(ignore_index=True)


def _shared_by_others(pairs: pd.DataFrame, accounts: pd.DataFrame):
    """Email / phone pairs whose accounts show two different people (see the module docs).

    Different people: both accounts show a first name, the names are not the same in any
    order (``"Medina William"`` and ``"Bill Medina"`` are), the first names are not nickname
    variants (``nicks``), initials or near spellings of each other, and the accounts' own
    handles differ (an alias made from the shared email is no evidence).

    Returns
    -------
    differ, named : ndarray of bool
        Two people; both accounts show a first name.
    """
    need = {"given", "first", "last", "nicks", "alias_core", "handle"}
    if len(pairs) == 0 or not need <= set(accounts.columns):
        return np.zeros(len(pairs), dtype=bool), np.ones(len(pairs), dtype=bool)
    from clusterkit.data.sql import connect
    from clusterkit.identity.accounts import account_arrow

    con = connect()
    try:
        con.register("acc", account_arrow(accounts[["member_id", *sorted(need)]]))
        con.register("pairs", pairs[["member_id_l", "member_id_r"]].reset_index(drop=True)
                     .assign(row=np.arange(len(pairs))))
        flag = con.sql("""
            SELECT p.row, (l.given IS NOT NULL AND r.given IS NOT NULL
                AND l.first <> r.first AND l.given <> r.given
                AND coalesce(l.last <> r.given OR r.last <> l.given, TRUE)
                AND NOT coalesce(list_contains(l.nicks, r.given)
                                 OR list_contains(r.nicks, l.given), FALSE)
                AND NOT starts_with(l.given, r.given) AND NOT starts_with(r.given, l.given)
                AND jaro_winkler_similarity(l.given, r.given) < 0.9
                AND NOT coalesce(l.handle IS NOT NULL AND r.handle IS NOT NULL
                                 AND l.alias_core = r.alias_core, FALSE)) AS differ,
                (l.given IS NOT NULL AND r.given IS NOT NULL) AS named
            FROM pairs p JOIN acc l ON p.member_id_l = l.member_id
                 JOIN acc r ON p.member_id_r = r.member_id ORDER BY p.row""").df()
    finally:
        con.close()
    differ, named = np.zeros(len(pairs), dtype=bool), np.zeros(len(pairs), dtype=bool)
    differ[flag["row"].to_numpy()] = flag["differ"].fillna(False).to_numpy(dtype=bool)
    named[flag["row"].to_numpy()] = flag["named"].fillna(False).to_numpy(dtype=bool)
    keyed = pairs["rule"].isin(["email", "phone"]).to_numpy()
    return differ & keyed, named | ~keyed


def _household_keys(accounts: pd.DataFrame) -> np.ndarray:
    """The emails of ``accounts`` that read as a household's (the ``household`` column of
    :func:`~clusterkit.identity.accounts.account_table`; none without it)."""
    if "household" not in accounts.columns:
        return np.array([], dtype=object)
    flag = accounts["household"].fillna(False).to_numpy(dtype=bool)
    return accounts["email"][flag].dropna().unique()


def rule_links(accounts: pd.DataFrame, identities: pd.DataFrame | None,
               config) -> tuple[pd.DataFrame, list[str]]:
    """Links between members sharing a key of one of the config's ``rules``.

    Parameters
    ----------
    accounts : pandas.DataFrame
        The account table (:func:`clusterkit.identity.accounts.account_table`); needs
        ``member_id``, ``channel``, ``handle``, ``email`` and ``phone``.
    identities : pandas.DataFrame or None
        The identities table (``member_id, channel, handle`` [, ``email``, ``phone``]).
    config : IdentityConfig
        ``rules``, ``max_key_group`` (keys shared by more members link nothing) and the
        email and phone normalisation options.

    Returns
    -------
    links : pandas.DataFrame
        Columns :data:`LINK_COLUMNS` (``match_weight`` missing, ``match_probability`` 1),
        ``member_id_l < member_id_r``, sorted.
    warnings : list of str
        Keys skipped as shared by too many members.
    """
    check_identities(identities)
    keys = _keys(accounts, identities, config)
    max_key_group = config.max_key_group
    if len(keys) == 0:
        return empty_links(), []
    size = keys.groupby(["rule", "key"], sort=False)["member_id"].transform("nunique")
    notes = []
    big = keys[size > max_key_group]
    if len(big):
        shared = big.drop_duplicates(["rule", "key"]).sort_values(["rule", "key"])
        for rule, grp in shared.groupby("rule", sort=True):  # at most four rules
            notes.append(
                f"{len(grp)} {rule} key(s) are shared by more than {max_key_group} members and "
                f"link nothing (not personal), e.g. {', '.join(grp['key'].head(3))}.")
    keys = keys[(size > 1) & (size <= max_key_group)]
    pairs = keys.merge(keys, on=["rule", "key"], suffixes=("_l", "_r"))
    pairs = pairs[(pairs["member_id_l"] < pairs["member_id_r"]).to_numpy(dtype=bool)
                  & (pairs["named_l"] | pairs["named_r"]).to_numpy(dtype=bool)]
    if len(pairs) == 0:
        return empty_links(), notes
    differ, named = _shared_by_others(pairs, accounts)
    # an email that reads as a household's (thetaylors@, smithfamily@) is one too
    read = (pairs["rule"] == "email").to_numpy(dtype=bool) & pairs["key"].isin(
        _household_keys(accounts)).to_numpy(dtype=bool)
    if differ.any() or read.any():
        # a key shared by two people is a household's: through it, link only accounts that
        # both show compatible names (an unnamed account could be either person)
        house = read | pd.Series(differ, index=pairs.index).groupby(
            [pairs["rule"], pairs["key"]]).transform("any").to_numpy(dtype=bool)
        drop = differ | (house & ~named)
        notes.append(
            f"{int(differ.sum())} pair(s) share an email or phone but show different first "
            f"names (not nickname variants) and different handles, and {int(read.sum())} "
            "pair(s) share an email that reads as a household's (thetaylors@, "
            f"smithfamily@): {int(house.sum())} pair(s) through such household keys are not "
            "linked by the rule unless both accounts show compatible names; left to the "
            "probabilistic model.")
        pairs = pairs[~drop]
    if len(pairs) == 0:
        return empty_links(), notes
    prio = pairs["rule"].map({r: i for i, r in enumerate(_PRIORITY)}).to_numpy()
    pairs = pairs.assign(_p=prio).sort_values(["member_id_l", "member_id_r", "_p"])
    pairs = pairs.drop_duplicates(["member_id_l", "member_id_r"])
    if len(pairs) == 0:
        return empty_links(), notes
    out = pd.DataFrame({
        "member_id_l": pairs["member_id_l"].astype("string").to_numpy(),
        "member_id_r": pairs["member_id_r"].astype("string").to_numpy(),
        "rule": pd.array(pairs["rule"].to_numpy(dtype=object), dtype="string"),
        "match_weight": np.full(len(pairs), np.nan),
        "match_probability": np.ones(len(pairs)),
    })
    return out.astype({"member_id_l": "string", "member_id_r": "string"}), notes
