"""The account table: one row per member with the normalised identity fields.

Columns read from ``members`` (all optional): ``channel``, ``name``, ``handle``, ``email``,
``city``, ``bio`` and ``phone`` (an attribute column outside the core contract). A handle that
is an email address (newsletter and shop accounts) counts as the account's email when the
email column is empty, and not as a handle.

Derived columns:

=============  ==================================================================================
``alias``      the handle without ``@``, dots, underscores (``alexsmith84``); for accounts
               without a handle, the local part of the email
``alias_core`` ``alias`` without trailing digits (``alexsmith``), missing below 3 characters
``full_name``  formal first name and last name, in alphabetical order (``robert smith`` for
               "Bob Smith" and "Smith Bob"): the key does not depend on the name order
``name_key``   the name as handles are written (given name + last name: ``bobsmith``)
``variants``   the formal first name and its nicknames (a list; missing for names outside
               :data:`clusterkit.identity.vocab.VARIANTS`): the spellings handles use
``nicks``      the ways the first name may be written: itself, curated variants and its
               neighbours in the ``nicknames`` list (:func:`.names.name_variants`)
``name_order`` how the name order was read (:func:`.names.parse_names`)
``email``      normalised email; ``phone`` the last digits
``city``       folded city; ``bio`` folded bio text
``household``  the email reads as a household's (:mod:`.households`: ``thetaylors@``)
=============  ==================================================================================

Examples
--------
>>> import pandas as pd
>>> from clusterkit.data import CommunityData
>>> from clusterkit.identity.config import IdentityConfig
>>> members = pd.DataFrame({"member_id": ["a", "b"], "name": ["Bob Smith", None],
...                         "handle": ["@Bob.Smith84", "bob.smith@gmail.com"]})
>>> events = pd.DataFrame({"member_id": ["a"], "action": ["view"], "timestamp": [0]})
>>> data = CommunityData.from_frames(members=members, events=events)
>>> t = account_table(data, IdentityConfig())
>>> t[["alias", "alias_core", "full_name"]].values.tolist()
[['bobsmith84', 'bobsmith', 'robert smith'], ['bobsmith', 'bobsmith', <NA>]]
>>> t["email"].tolist()
[<NA>, 'bobsmith@gmail.com']
"""

from __future__ import annotations

import pandas as pd

from clusterkit.identity.households import household_emails
from clusterkit.identity.names import parse_names
from clusterkit.identity.normalize import (
    fold_text,
    handle_key,
    is_email,
    normalize_email,
    normalize_phone,
)
from clusterkit.identity.vocab import VARIANTS

__all__ = ["ACCOUNT_COLUMNS", "account_arrow", "account_table"]

ACCOUNT_COLUMNS = ("member_id", "channel", "given", "first", "last", "initial", "full_name",
                   "name_key", "variants", "nicks", "name_order", "alias", "alias_core",
                   "handle", "email", "email_user", "city", "bio", "phone", "household")


def _col(members: pd.DataFrame, name: str) -> pd.Series:
    if name in members.columns:
        return members[name].astype("string")
    return pd.Series(pd.NA, index=members.index, dtype="string")


def _variants(names: pd.DataFrame) -> pd.Series:
    """Formal first name and its nicknames (list), for first names of the vocabulary."""
    return names["first"].astype(object).map(VARIANTS).astype(object).where(
        names["first"].notna().to_numpy(), None)


def account_table(data, config) -> pd.DataFrame:
    """Normalised identity fields of every member, in :attr:`CommunityData.member_ids` order.

    Parameters
    ----------
    data : CommunityData
    config : IdentityConfig

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ACCOUNT_COLUMNS`, one row per member (missing values where a field is
        absent or unusable).
    """
    m = data.members
    raw_handle = _col(m, "handle")
    handle_is_email = is_email(raw_handle).to_numpy(dtype=bool)
    email = normalize_email(_col(m, "email").fillna(raw_handle.where(handle_is_email)),
                            config.email_strip_plus, config.email_gmail_dots)
    handle = handle_key(raw_handle).where(~handle_is_email)
    user = email.str.split("@", n=1).str[0].astype("string")
    alias = fold_text(handle.fillna(user)).str.replace(" ", "", regex=False)
    core = alias.str.replace(r"\d+$", "", regex=True)
    core = core.where((core.str.len() >= 3).fillna(False))
    names = parse_names(_col(m, "name"))
    lo = names["first"].where(names["first"] <= names["last"], names["last"])
    hi = names["last"].where(names["first"] <= names["last"], names["first"])
    full = (lo + " " + hi).astype("string")
    key = (names["given"] + names["last"]).astype("string")
    out = pd.DataFrame({
        "member_id": pd.Series(data.member_ids.to_numpy(dtype=object), index=m.index,
                               dtype="string"),
        "channel": fold_text(_col(m, "channel")),
        "given": names["given"], "first": names["first"], "last": names["last"],
        "initial": names["initial"], "full_name": full, "name_key": key,
        "variants": _variants(names), "nicks": names["variants"],
        "name_order": names["order"],
        "alias": alias, "alias_core": core, "handle": handle, "email": email,
        "email_user": user, "city": fold_text(_col(m, "city")),
        "bio": fold_text(_col(m, "bio")),
        "phone": normalize_phone(_col(m, "phone"), config.phone_digits),
    }).reset_index(drop=True)
    return out.assign(household=household_emails(out))


def account_arrow(accounts: pd.DataFrame):
    """The account table as Arrow, list columns typed ``list<string>`` even when all missing
    (DuckDB would otherwise read an all-missing column as a number)."""
    import pyarrow as pa

    lists = [c for c in ("variants", "nicks") if c in accounts.columns]
    fields = {c: pa.list_(pa.string()) for c in lists}
    table = pa.Table.from_pandas(accounts.drop(columns=lists), preserve_index=False)
    for c in lists:
        table = table.append_column(c, pa.array(accounts[c].to_numpy(dtype=object),
                                                type=fields[c], from_pandas=True))
    return table
