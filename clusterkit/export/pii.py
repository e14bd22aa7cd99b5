"""Member ids that are themselves contact identifiers, and how member tables write them.

A member table written without ``include_pii`` never carries a raw email address or phone
number, even when the data's ``member_id`` *is* one (a newsletter list keyed by address, a
shop keyed by phone). Such an id is written as ``sha256:<hex>``: the lowercase hex SHA-256 of
the id exactly as the run has it (UTF-8), so it still joins back to the run
(``sha256(member_id)``) but does not reveal the address. The export warns with the count,
and the sidecar records it as ``pseudonymised_member_ids``. With ``include_pii`` ids are
written as they are.

An id counts as a contact identifier when

- it looks like an email address (``local@domain.tld``, no whitespace), or
- it is made of phone characters only (digits, spaces, ``+ ( ) . -``), has 7 to 15 digits,
  and either starts with ``+``, has a separator, or its digits equal those of a phone of the
  run's ``identifiers.parquet``, or
- it equals (trimmed, any case) an email of the run's ``identifiers.parquet``.

A bare digit string that is no known phone (``"1234567890"``) is kept: platform ids (X,
Instagram, shop order ids) are often long digit strings, and hashing them would make an
outreach list useless.

Examples
--------
>>> import duckdb
>>> con = duckdb.connect()
>>> _ = con.execute("CREATE TABLE sel AS SELECT * FROM (VALUES ('ann@x.com'), ('m1'), "
...                 "('+1 415 555 0100'), ('1234567890')) t(member_id)")
>>> mark_contact_ids(con, have_ids=False)
2
>>> con.execute("SELECT member_id FROM _contact_ids ORDER BY 1").fetchall()
[('+1 415 555 0100',), ('ann@x.com',)]
>>> con.execute(f"SELECT {member_id_sql('s')} FROM sel s WHERE member_id = 'm1'").fetchall()
[('m1',)]
"""

from __future__ import annotations

__all__ = ["PREFIX", "mark_contact_ids", "member_id_sql"]

PREFIX = "sha256:"
"""Prefix of a pseudonymised member id."""

_EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s]+"
_PHONE_CHARS = r"\+?[0-9 ().\-]+"


def _digits(expr: str) -> str:
    return f"regexp_replace({expr}, '[^0-9]', '', 'g')"


def mark_contact_ids(con, have_ids: bool) -> int:
    """Create ``_contact_ids``: the ids of ``sel`` that are an email or phone; return the count.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        With the table ``sel`` (``member_id``) and, when ``have_ids``, the view ``ids`` of the
        run's ``identifiers.parquet``.
    have_ids : bool
    """
    n_digits = f"length({_digits('member_id')})"
    phone_shape = (f"(regexp_full_match(member_id, '{_PHONE_CHARS}') AND {n_digits} "
                   "BETWEEN 7 AND 15)")
    styled = r"(starts_with(member_id, '+') OR regexp_matches(member_id, '[ ().\-]'))"
    known = "FALSE"
    if have_ids:
        known = (f"({phone_shape} AND {_digits('member_id')} IN (SELECT {_digits('phone')} FROM "
                 "ids WHERE phone IS NOT NULL)) OR lower(trim(member_id)) IN (SELECT "
                 "lower(trim(email)) FROM ids WHERE email IS NOT NULL)")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _contact_ids AS SELECT DISTINCT member_id FROM sel "
        f"WHERE member_id IS NOT NULL AND (regexp_full_match(trim(member_id), '{_EMAIL}') "
        f"OR ({phone_shape} AND {styled}) OR {known})")
    return int(con.execute("SELECT count(*) FROM _contact_ids").fetchall()[0][0])


def member_id_sql(alias: str) -> str:
    """SQL of the written ``member_id`` of ``alias``: pseudonymised if in ``_contact_ids``."""
    col = f"{alias}.member_id"
    return (f"CASE WHEN {col} IN (SELECT member_id FROM _contact_ids) THEN '{PREFIX}' || "
            f"sha256({col}) ELSE {col} END AS member_id")
