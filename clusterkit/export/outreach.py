"""The outreach member table: who a member is, where to reach them, and why they matter.

Member-table exports (csv, parquet, json) have one row per selected member with the columns
of :data:`OUTREACH_COLUMNS`, always in that order; without ``include_pii`` the columns in
:data:`PII_OUTREACH` are left out (the others keep their order), and a ``member_id`` that is
itself an email address or phone number is written as ``sha256:<hex>``
(:mod:`clusterkit.export.pii`):

=====================  =====================================================================
``member_id``          the run's id (a person id in a run per person)
``name``               display name (PII)
``handle``             the member's own handle, else its first identity's (PII)
``handles``            every ``channel:handle`` of the member, ``; ``-separated (PII)
``channels``           channels where the member has an account or acted, sorted, ``; ``-
                       separated (not PII: no handle or address)
``segment``            segment name; ``segment_key`` its slug (:func:`segment_key`)
``role``               influencer, blogger, fan or follower
``followers``          in-degree in the follow graph (int); ``reported_followers`` the
                       platform-reported count from the members table, empty when unknown
``influence``          combined influence score, 4 decimals
``engagement_weight``  engagement weight, 4 decimals
``confidence``         role confidence, 4 decimals
``email`` … ``zip``    raw identifiers, first value per member (PII)
=====================  =====================================================================

Rows are ordered by :data:`SORT_KEYS` (default ``influence``: descending on the rounded
value, then engagement, then ``member_id``), so the same run always gives the same file and
ties never depend on input row order. ``top`` keeps the first N of that order.

Segment names and keys are stable wherever the partition is (same data, config and seed, in
any input row order: :func:`clusterkit.segments.name_segments`); a changed partition may
rename segments, so scripts should select by key and check the sidecar's ``filters``.
"""

from __future__ import annotations

from pathlib import Path

from clusterkit.errors import ClusterkitInputError
from clusterkit.export.pii import member_id_sql
from clusterkit.segments import segment_key

__all__ = ["OUTREACH_COLUMNS", "PII_OUTREACH", "SORT_KEYS", "member_sql", "member_table",
           "outreach_columns", "resolve_names", "select_sql"]

OUTREACH_COLUMNS: tuple[str, ...] = (
    "member_id", "name", "handle", "handles", "channels", "segment", "segment_key", "role",
    "followers", "reported_followers", "influence", "engagement_weight", "confidence",
    "email", "phone", "first_name", "last_name", "country", "zip",
)
"""Columns of the member tables, in order (the PII ones only with ``include_pii``)."""

PII_OUTREACH: frozenset[str] = frozenset(
    {"name", "handle", "handles", "email", "phone", "first_name", "last_name", "country", "zip"})
"""Columns written only with ``include_pii``."""

SORT_KEYS: dict[str, str] = {
    "influence": "influence DESC NULLS LAST, engagement_weight DESC NULLS LAST, member_id",
    "engagement": "engagement_weight DESC NULLS LAST, influence DESC NULLS LAST, member_id",
    "followers": "followers DESC NULLS LAST, influence DESC NULLS LAST, member_id",
    "member_id": "member_id",
}
"""Row orders of the member tables (and which members ``top`` keeps)."""

_DECIMALS = 4
_IDENTIFIERS = ("email", "phone", "first_name", "last_name", "country", "zip")


def outreach_columns(include_pii: bool) -> list[str]:
    """The member table's columns, in order."""
    return [c for c in OUTREACH_COLUMNS if include_pii or c not in PII_OUTREACH]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _path(path: Path) -> str:
    return str(path).replace("'", "''")


def member_table(con, run_dir: Path, have_ids: bool) -> None:
    """Create ``_member`` from ``_run``: segment key, follower counts, channels, rounded scores.

    ``_run`` holds the run's ``member_id, segment, role, engagement_weight, influence,
    confidence``; ``features.parquet`` (when the run folder has it) gives ``followers``,
    ``reported_followers`` and the channels acted on (``chan_*`` > 0); the view ``ids``
    (when ``have_ids``) gives the channels of the member's accounts.
    """
    names = [r[0] for r in con.execute(
        "SELECT DISTINCT segment FROM _run WHERE segment IS NOT NULL").fetchall()]
    con.execute("CREATE OR REPLACE TEMP TABLE _keys (segment VARCHAR, segment_key VARCHAR)")
    if names:
        con.executemany("INSERT INTO _keys VALUES (?, ?)", [(n, segment_key(n)) for n in names])
    feats = run_dir / "features.parquet"
    have = set()
    if feats.is_file():
        have = {r[0] for r in con.execute(
            f"DESCRIBE SELECT * FROM read_parquet('{_path(feats)}')").fetchall()}
    if "member_id" in have:
        chans = sorted(c for c in have if c.startswith("chan_"))
        acted = ("list_distinct([" + ", ".join(  # list_distinct drops the NULLs too
            f"CASE WHEN {_q(c)} > 0 THEN '{c[5:].replace(chr(39), chr(39) * 2)}' END"
            for c in chans) + "])") if chans else "CAST([] AS VARCHAR[])"
        cols = [f"CAST(round({_q(c)}) AS BIGINT) AS {c}" if c in have
                else f"CAST(NULL AS BIGINT) AS {c}" for c in ("followers", "reported_followers")]
        con.execute(f"CREATE OR REPLACE TEMP TABLE _feat AS SELECT CAST(member_id AS VARCHAR) "
                    f"AS member_id, {', '.join(cols)}, {acted} AS acted "
                    f"FROM read_parquet('{_path(feats)}')")
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE _feat (member_id VARCHAR, followers BIGINT, "
                    "reported_followers BIGINT, acted VARCHAR[])")
    accounts = ("SELECT member_id, list(DISTINCT channel) AS chans FROM ids WHERE channel IS "
                "NOT NULL GROUP BY member_id") if have_ids else \
        "SELECT CAST(NULL AS VARCHAR) AS member_id, CAST([] AS VARCHAR[]) AS chans LIMIT 0"
    both = "list_sort(list_distinct(list_concat(coalesce(a.chans, []), coalesce(f.acted, []))))"
    d = _DECIMALS
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _member AS SELECT r.member_id, "
        f"nullif(array_to_string({both}, '; '), '') AS channels, r.segment, k.segment_key, "
        "r.role, f.followers, f.reported_followers, "
        f"round(r.influence, {d}) AS influence, round(r.engagement_weight, {d}) AS "
        f"engagement_weight, round(r.confidence, {d}) AS confidence FROM _run r "
        "LEFT JOIN _keys k ON k.segment = r.segment "
        "LEFT JOIN _feat f ON f.member_id = r.member_id "
        f"LEFT JOIN ({accounts}) a ON a.member_id = r.member_id")


def select_sql(where: str, sort: str, top: int | None) -> str:
    """SQL creating ``sel``: the members of ``_member`` matching ``where``, the first ``top``
    of the ``sort`` order (all with ``top=None``)."""
    limit = f" LIMIT {int(top)}" if top is not None else ""
    return (f"CREATE TEMP TABLE sel AS SELECT * FROM _member WHERE {where} "
            f"ORDER BY {SORT_KEYS[sort]}{limit}")


def member_sql(include_pii: bool, sort: str = "influence") -> str:
    """SQL of the member table over ``sel`` (``ids`` must exist when ``include_pii``).

    Without ``include_pii``, the table ``_contact_ids`` must exist
    (:func:`clusterkit.export.pii.mark_contact_ids`): those ids are written pseudonymised.
    """
    order = ", ".join(f"s.{k.strip()}" for k in SORT_KEYS[sort].split(","))
    if not include_pii:
        cols = ", ".join(member_id_sql("s") if c == "member_id" else f"s.{c}"
                         for c in outreach_columns(False))
        return f"SELECT {cols} FROM sel s ORDER BY {order}"
    firsts = ", ".join(f"arg_min({c}, _rn) FILTER (WHERE {c} IS NOT NULL) AS {c}"
                       for c in ("name", "handle") + _IDENTIFIERS)
    mine = "SELECT * FROM ids WHERE member_id IN (SELECT member_id FROM sel)"
    handles = ("SELECT member_id, string_agg(h, '; ' ORDER BY r) AS handles FROM (SELECT "
               "member_id, coalesce(channel || ':', '') || handle AS h, min(_rn) AS r FROM "
               f"({mine}) WHERE handle IS NOT NULL GROUP BY ALL) GROUP BY member_id")
    cols = ", ".join(f"h.{c}" if c == "handles" else f"p.{c}" if c in PII_OUTREACH else f"s.{c}"
                     for c in outreach_columns(True))
    return (f"SELECT {cols} FROM sel s LEFT JOIN (SELECT member_id, {firsts} FROM ({mine}) "
            "GROUP BY member_id) p ON p.member_id = s.member_id "
            f"LEFT JOIN ({handles}) h ON h.member_id = s.member_id ORDER BY {order}")


def resolve_names(kind: str, given: list[str], valid: list[str], keyed: bool) -> list[str]:
    """The valid names that ``given`` names, matched case-insensitively (and, with ``keyed``,
    by :func:`segment_key` slug too); an unknown one raises a one-line error listing the
    valid names (exit code 2 in the CLI)."""
    def norm(text):
        return segment_key(text) if keyed else str(text).strip().casefold()

    by_key: dict[str, str] = {}
    for name in valid:
        by_key.setdefault(norm(name), name)
    unknown = [g for g in given if g not in valid and norm(g) not in by_key]
    if unknown:
        names = ", ".join(repr(v) for v in valid)
        keys = (f" (any case, or by key: {', '.join(norm(v) for v in valid)})" if keyed
                else " (any case)")
        raise ClusterkitInputError(
            f"unknown {kind} {', '.join(repr(u) for u in unknown)}; valid {kind}s: "
            f"{names}{keys}.")
    return list(dict.fromkeys(g if g in valid else by_key[norm(g)] for g in given))
