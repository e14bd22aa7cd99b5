"""The identifiers table of a run: every member's raw contact identifiers, one row per account.

A run folder is the user's private output, so it may hold raw identifiers; exports, which leave
the organisation, are built from this table and hash them (:mod:`clusterkit.export.rules`).
The table has one row per member from the ``members`` table (``source = "members"``) and one
per row of the ``identities`` table (``source = "identities"``), with the columns of
:data:`IDENTIFIER_COLUMNS`. Member-level attributes (``name``, first and last name, ``zip``,
``country``) are repeated on the member's identity rows; an identity row's own ``email``,
``phone`` or ``country`` wins over the member's. An identity whose ``handle`` is an email
address (a newsletter or shop account) and that has no ``email`` gets the handle as email.

Input columns are found by the names in :data:`FIELD_ALIASES` (first present wins). First and
last names come from ``first_name`` / ``last_name`` columns when present, else, for members
whose ``kind`` is missing or ``person``, from the first and the last whitespace-separated word
of ``name`` (a brand's name is not split).

Examples
--------
>>> import pandas as pd
>>> from clusterkit.data import CommunityData
>>> members = pd.DataFrame({"member_id": ["a", "b"], "name": ["Ann Lee", "Acme"],
...                         "email": ["ann@x.com", None], "kind": ["person", "brand"]})
>>> follows = pd.DataFrame({"follower_id": ["a"], "followee_id": ["b"]})
>>> ids = pd.DataFrame({"member_id": ["a"], "channel": ["shop"], "handle": ["Ann@Shop.com"]})
>>> data = CommunityData.from_frames(members=members, follows=follows, identities=ids)
>>> frame = identifiers_frame(data)
>>> frame[["member_id", "source", "email", "first_name", "last_name"]].head(2)
  member_id      source         email first_name last_name
0         a     members     ann@x.com        Ann       Lee
1         a  identities  Ann@Shop.com        Ann       Lee
>>> frame["first_name"].isna().tolist()  # the brand's name is not split
[False, False, True]
"""

from __future__ import annotations

import os
from pathlib import Path

from clusterkit.data.sql import connect

__all__ = ["FIELD_ALIASES", "IDENTIFIER_COLUMNS", "identifiers_frame", "write_identifiers"]

IDENTIFIER_COLUMNS: tuple[str, ...] = (
    "member_id", "source", "channel", "handle", "email", "phone", "name", "first_name",
    "last_name", "country", "zip",
)
"""Columns of ``identifiers.parquet``, in order."""

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "channel": ("channel",),
    "handle": ("handle",),
    "email": ("email", "email_address", "e_mail"),
    "phone": ("phone", "phone_number", "mobile", "telephone"),
    "name": ("name", "full_name"),
    "first_name": ("first_name", "firstname", "given_name"),
    "last_name": ("last_name", "lastname", "surname", "family_name"),
    "country": ("country", "country_code"),
    "zip": ("zip", "zip_code", "postal_code", "postcode"),
    "kind": ("kind",),
}
"""Input column names read for each identifier, first present wins."""

_EMAIL_LIKE = r"[^@\s]+@[^@\s]+\.[^@\s]+"


def _col(columns, field: str, alias: str) -> str:
    for name in FIELD_ALIASES[field]:
        if name in columns:
            quoted = '"' + name.replace('"', '""') + '"'
            return f"nullif(trim(CAST({alias}.{quoted} AS VARCHAR)), '')"
    return "CAST(NULL AS VARCHAR)"


def _query(member_cols, identity_cols) -> str:
    m = {f: _col(member_cols, f, "m") for f in FIELD_ALIASES}
    person = f"({m['kind']} IS NULL OR lower({m['kind']}) = 'person')"
    split = f"{person} AND regexp_matches({m['name']}, '\\s')"
    first = f"coalesce({m['first_name']}, CASE WHEN {split} THEN " \
            f"regexp_extract({m['name']}, '^(\\S+)\\s', 1) END)"
    last = f"coalesce({m['last_name']}, CASE WHEN {split} THEN " \
           f"regexp_extract({m['name']}, '\\s(\\S+)$', 1) END)"
    mm = (f"SELECT CAST(m.member_id AS VARCHAR) AS member_id, {m['channel']} AS channel, "
          f"{m['handle']} AS handle, {m['email']} AS email, {m['phone']} AS phone, "
          f"{m['name']} AS name, {first} AS first_name, {last} AS last_name, "
          f"{m['country']} AS country, {m['zip']} AS zip FROM _members m")
    rows = ("SELECT member_id, 'members' AS source, channel, handle, email, phone, name, "
            "first_name, last_name, country, zip FROM mm")
    if identity_cols is not None:
        i = {f: _col(identity_cols, f, "i") for f in ("channel", "handle", "email", "phone",
                                                      "country")}
        email = (f"coalesce({i['email']}, CASE WHEN regexp_full_match({i['handle']}, "
                 f"'{_EMAIL_LIKE}') THEN {i['handle']} END)")
        rows += (f" UNION ALL SELECT CAST(i.member_id AS VARCHAR), 'identities', {i['channel']},"
                 f" {i['handle']}, {email}, {i['phone']}, mm.name, mm.first_name, mm.last_name,"
                 f" coalesce({i['country']}, mm.country), mm.zip FROM _identities i "
                 "LEFT JOIN mm ON mm.member_id = CAST(i.member_id AS VARCHAR)")
    order = ("member_id, source DESC, channel NULLS FIRST, handle NULLS FIRST, "
             "email NULLS FIRST, phone NULLS FIRST")
    return f"WITH mm AS ({mm}) SELECT * FROM ({rows}) ORDER BY {order}"


def _connect(data):

    con = connect()
    con.execute("SET enable_progress_bar = false")
    members = data.members.reset_index()
    if "member_id" not in members.columns:  # an unnamed index
        members = members.rename(columns={members.columns[0]: "member_id"})
    con.register("_members", members)
    if data.identities is not None:
        con.register("_identities", data.identities)
    ids = None if data.identities is None else list(data.identities.columns)
    return con, _query(list(members.columns), ids)


def identifiers_frame(data):
    """The identifiers table of ``data`` as a pandas DataFrame (see the module docstring).

    Parameters
    ----------
    data : CommunityData
        Validated input tables.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`IDENTIFIER_COLUMNS`, sorted by member, source, channel and handle.
    """
    con, sql = _connect(data)
    return con.execute(sql).df()


def write_identifiers(folder, data) -> Path:
    """Write ``identifiers.parquet`` (the raw identifiers of every member) into ``folder``.

    Called by :func:`clusterkit.save_run`; the file stays in the run folder, readable by
    its owner only (mode 0600: it holds raw emails and phones). Exports read it and hash what
    leaves (:func:`clusterkit.export.export_audience`). The file is written to a temporary
    name and renamed, so it is never half-written.

    Parameters
    ----------
    folder : path-like
        Existing folder (a run folder).
    data : CommunityData
        The run's input.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    path = Path(folder) / "identifiers.parquet"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    con, sql = _connect(data)
    try:
        con.execute(f"COPY ({sql}) TO '{_sql_path(tmp)}' (FORMAT parquet, COMPRESSION zstd)")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _sql_path(path) -> str:
    return str(path).replace("'", "''")
