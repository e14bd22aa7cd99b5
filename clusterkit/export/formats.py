"""Export file layouts and writers: member tables (csv, parquet, json) and platform uploads.

Everything runs in one DuckDB connection holding the temporary table ``sel`` (the selected
members: ``member_id, segment, role, engagement_weight, influence, confidence`` and the
outreach columns of :mod:`clusterkit.export.outreach`) and, where
the run has one, the view ``ids`` over ``identifiers.parquet`` with ``_rn``, the row's
position in the file (written sorted by member, the member's own row first, then its
identities by channel and handle: "first" below means first in that order). Files stream
out of DuckDB ``COPY``, so a million rows never sit in Python objects.

Platform files
--------------
One row per selected member that has a usable identifier, ordered by ``member_id`` (which is
not written: the upload templates have no such column). Up to three distinct emails and three
phones per member, in repeated ``email`` / ``phone`` columns as Meta and Google accept ("up to
three separate columns"); the member's own row in the members table comes first, then its
identities by channel and handle.

========  ==========================================================================
meta      ``email``\\*, ``phone``\\*, ``fn``, ``ln``, ``zip``, ``country``: all SHA-256;
          usable: an email or a phone, or fn + ln with zip or country.
google    ``Email``\\*, ``Phone``\\* (SHA-256), and the address block ``First Name``,
          ``Last Name`` (SHA-256), ``Country``, ``Zip`` (plain) when the data has all four;
          usable: an email, a phone, or the complete address block.
linkedin  the Campaign Manager contact-list template, all headers kept: ``email``
          (SHA-256), ``firstname``, ``lastname`` (plain, only with ``include_pii``),
          ``jobtitle``, ``employeecompany`` (empty), ``country``, ``googleaid`` (empty);
          usable: an email, or with ``include_pii`` a first and last name.
========  ==========================================================================

Members without a usable identifier are not written (the platform cannot match them); the
export counts them and reports the count (sidecar and warning).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clusterkit.errors import DataError
from clusterkit.export.rules import (
    PLATFORMS,
    RULES,
    Rule,
    country_sql,
    digits_sql,
    email_sql,
    name_sql,
    phone_prep_sql,
    phone_sql,
    valid_regions,
    zip_sql,
)

__all__ = ["EXTENSIONS", "FORMATS", "MEMBER_COLUMNS", "PlatformPlan", "plan_platform",
           "write_csv_stream", "write_copy"]

FORMATS: tuple[str, ...] = ("csv", "parquet", "json") + PLATFORMS
"""Export formats: member tables, then ad-platform upload files."""

EXTENSIONS: dict[str, str] = {"csv": "csv", "parquet": "parquet", "json": "json",
                              "meta": "csv", "google": "csv", "linkedin": "csv"}
"""File extension of each format."""

MEMBER_COLUMNS: tuple[str, ...] = ("member_id", "segment", "role", "engagement_weight",
                                   "influence", "confidence")
"""Columns read from the run's ``segments.parquet`` (the member tables written are laid out
by :mod:`clusterkit.export.outreach`)."""

_MAX_REPEAT = 3
_LINKEDIN_TEMPLATE = ("email", "firstname", "lastname", "jobtitle", "employeecompany", "country",
                      "googleaid")


@dataclass(frozen=True)
class PlatformPlan:
    """What a platform file will hold.

    Attributes
    ----------
    sql : str
        Query giving the file's rows (columns in header order).
    headers : tuple of str
        The header line (repeated names allowed).
    rules : tuple of Rule
        The rule of every written identifier column.
    rows : int
        Members written (with a usable identifier).
    unusable : int
        Selected members without a usable identifier (not written).
    default_country : str
        Country assumed for phones without a country code.
    """

    sql: str
    headers: tuple[str, ...]
    rules: tuple[Rule, ...]
    rows: int
    unusable: int
    default_country: str


def _normalised_table(con, platform: str, default_country: str) -> None:
    """Create ``_norm`` (normalised emails and phones of every identifier row of a selected
    member) and ``_attr`` (per member: its first first name, last name, zip and valid country,
    raw)."""
    rows = "SELECT * FROM ids WHERE member_id IN (SELECT member_id FROM sel)"
    countries = {r[0] for r in con.execute(
        f"SELECT DISTINCT {country_sql('country')} FROM ({rows}) WHERE phone IS NOT NULL"
    ).fetchall() if r[0]}
    regions = (countries | {default_country}) & valid_regions()
    phone = phone_sql("_t", "_d", "_ctry", regions)
    prep = (f"SELECT member_id, _rn, email, {phone_prep_sql('phone')} AS _t, "
            f"coalesce({country_sql('country')}, '{default_country}') AS _ctry FROM ({rows}) "
            "WHERE email IS NOT NULL OR phone IS NOT NULL")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _norm AS SELECT member_id, _rn, "
        f"{email_sql('email', platform)} AS email_n, {phone} AS phone_n "
        f"FROM (SELECT *, {digits_sql('_t')} AS _d FROM ({prep}))")
    firsts = ", ".join(f"arg_min({c}, _rn) FILTER (WHERE {c} IS NOT NULL) AS {c}"
                       for c in ("first_name", "last_name", "zip", "_country"))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _attr AS SELECT member_id, {firsts} FROM (SELECT *, "
        f"{country_sql('country')} AS _country FROM ({rows}) WHERE first_name IS NOT NULL OR "
        "last_name IS NOT NULL OR zip IS NOT NULL OR country IS NOT NULL) GROUP BY member_id")


def _aggregate(con, platform: str, default_country: str) -> None:
    """Create ``_agg``: per selected member, its distinct emails and phones (first seen first)
    and its normalised first name, last name, country and zip."""
    def listed(col):
        return (f"SELECT member_id, list(v ORDER BY r) AS vals FROM (SELECT member_id, "
                f"{col} AS v, min(_rn) AS r FROM _norm WHERE {col} IS NOT NULL GROUP BY ALL) "
                "GROUP BY member_id")

    country = f"coalesce(a._country, '{default_country}')"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _agg AS SELECT s.member_id, coalesce(e.vals, []) AS emails,"
        f" coalesce(p.vals, []) AS phones, {name_sql('a.first_name', platform)} AS fn_n, "
        f"{name_sql('a.last_name', platform)} AS ln_n, a._country AS country_n, "
        f"{zip_sql('a.zip', country, platform)} AS zip_n FROM sel s "
        f"LEFT JOIN ({listed('email_n')}) e ON e.member_id = s.member_id "
        f"LEFT JOIN ({listed('phone_n')}) p ON p.member_id = s.member_id "
        "LEFT JOIN _attr a ON a.member_id = s.member_id")


def _rule(platform: str, field: str) -> Rule:
    return next(r for r in RULES[platform] if r.field == field)


def plan_platform(con, platform: str, include_pii: bool, default_country: str) -> PlatformPlan:
    """Normalise, aggregate and lay out the upload file of ``platform``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Connection holding ``sel`` and ``ids``.
    platform : {"meta", "google", "linkedin"}
    include_pii : bool
        LinkedIn only: write plain first and last names (LinkedIn takes no hashed names).
    default_country : str
        ISO alpha-2 country of phones written without a country code.

    Returns
    -------
    PlatformPlan
    """
    _normalised_table(con, platform, default_country)
    _aggregate(con, platform, default_country)
    n_email, n_phone, n_fn, n_ln, n_ctry, n_zip = con.execute(
        "SELECT coalesce(max(len(emails)), 0), coalesce(max(len(phones)), 0), count(fn_n), "
        "count(ln_n), count(country_n), count(zip_n) FROM _agg").fetchall()[0]
    headers: list[str] = []
    exprs: list[str] = []
    rules: list[Rule] = []

    def add(field, header, expr):
        headers.append(header)
        exprs.append(expr)
        rules.append(_rule(platform, field))

    if platform == "linkedin":
        usable = "len(emails) > 0" + (" OR (fn_n IS NOT NULL AND ln_n IS NOT NULL)"
                                      if include_pii else "")
        for header in _LINKEDIN_TEMPLATE:
            headers.append(header)
            if header == "email":
                exprs.append("sha256(emails[1])")
                rules.append(_rule(platform, "email"))
            elif header in ("firstname", "lastname") and include_pii:
                field = "first_name" if header == "firstname" else "last_name"
                exprs.append("fn_n" if field == "first_name" else "ln_n")
                rules.append(_rule(platform, field))
            elif header == "country" and n_ctry:
                exprs.append("country_n")
                rules.append(_rule(platform, "country"))
            else:
                exprs.append("CAST(NULL AS VARCHAR)")
    else:
        head = {r.field: r.header for r in RULES[platform]}
        phone = "phones[{i}]" if platform == "meta" else "'+' || phones[{i}]"
        for i in range(1, min(n_email, _MAX_REPEAT) + 1):
            add("email", head["email"], f"sha256(emails[{i}])")
        for i in range(1, min(n_phone, _MAX_REPEAT) + 1):
            add("phone", head["phone"], f"sha256({phone.format(i=i)})")
        if platform == "meta":
            usable = ("len(emails) > 0 OR len(phones) > 0 OR (fn_n IS NOT NULL AND ln_n IS NOT "
                      "NULL AND (zip_n IS NOT NULL OR country_n IS NOT NULL))")
            for field, col, present in (("first_name", "fn_n", n_fn), ("last_name", "ln_n", n_ln),
                                        ("zip", "zip_n", n_zip),
                                        ("country", "lower(country_n)", n_ctry)):
                if present:
                    add(field, head[field], f"sha256({col})")
        else:
            address = "fn_n IS NOT NULL AND ln_n IS NOT NULL AND country_n IS NOT NULL " \
                      "AND zip_n IS NOT NULL"
            usable = f"len(emails) > 0 OR len(phones) > 0 OR ({address})"
            if n_fn and n_ln and n_ctry and n_zip:
                add("first_name", head["first_name"], "sha256(fn_n)")
                add("last_name", head["last_name"], "sha256(ln_n)")
                add("country", head["country"], "country_n")
                add("zip", head["zip"], "zip_n")
    if not exprs:
        raise DataError(
            f"none of the selected members has an identifier {platform} can match (an email, "
            "a phone, or first and last name with zip or country); add them to the members or "
            "identities table (columns email, phone, name, country, zip).", file="identifiers")
    rows, unusable = con.execute(f"SELECT count(*) FILTER (WHERE {usable}), count(*) FILTER "
                                 f"(WHERE NOT ({usable})) FROM _agg").fetchall()[0]
    cols = ", ".join(f"{e} AS c{k}" for k, e in enumerate(exprs))
    sql = f"SELECT {cols} FROM _agg WHERE {usable} ORDER BY member_id"
    return PlatformPlan(sql=sql, headers=tuple(headers), rules=tuple(rules), rows=int(rows),
                        unusable=int(unusable), default_country=default_country)


def _quote_header(name: str) -> str:
    return f'"{name}"' if any(ch in name for ch in ',"\n\r') else name


def write_csv_stream(con, sql: str, headers, path) -> None:
    """Write the rows of ``sql`` as CSV under a header line that may repeat names.

    DuckDB ``COPY`` writes the body (in parallel, quoting only where needed) to a scratch file
    beside ``path``, which is appended to the header line; the scratch file is always removed.
    """
    import shutil

    path = Path(path)
    body = path.with_name(path.name + ".body")
    try:
        write_copy(con, sql, "csv-body", body)
        with open(path, "wb") as fh:
            fh.write((",".join(_quote_header(h) for h in headers) + "\n").encode("utf-8"))
            with open(body, "rb") as src:
                shutil.copyfileobj(src, fh, 1 << 22)
    finally:
        body.unlink(missing_ok=True)


def write_copy(con, sql: str, fmt: str, path) -> None:
    """Write the rows of ``sql`` with DuckDB ``COPY`` (csv with header, parquet, or a JSON
    array)."""
    options = {"csv": "FORMAT csv, HEADER true", "csv-body": "FORMAT csv, HEADER false",
               "parquet": "FORMAT parquet, COMPRESSION zstd",
               "json": "FORMAT json, ARRAY true"}[fmt]
    target = str(path).replace("'", "''")
    con.execute(f"COPY ({sql}) TO '{target}' ({options})")
