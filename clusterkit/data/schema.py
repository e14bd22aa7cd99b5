"""The data contract of DESIGN §2, written as data.

Loaders and validators read these specifications; nothing about column names or types is
hard-coded elsewhere.

Examples
--------
>>> from clusterkit.data.schema import TABLES
>>> TABLES["events"].required
('member_id', 'action', 'timestamp')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = [
    "CONTENT_ACTIONS",
    "CONVERSATION_ACTIONS",
    "FILE_SUFFIXES",
    "NA_TOKENS",
    "AMPLIFYING_ACTIONS",
    "TABLES",
    "TableSpec",
]


@dataclass(frozen=True)
class TableSpec:
    """Specification of one input table.

    Attributes
    ----------
    name : str
        File stem of the table (``events`` for ``events.csv``).
    required : tuple of str
        Columns that must be present.
    optional : tuple of str
        Known optional columns; any other column is kept as an attribute.
    id_columns : tuple of str
        Columns holding member or account ids (read as strings).
    timestamp_columns : tuple of str
        Columns parsed as UTC timestamps: ISO-8601, or epoch numbers whose unit (s, ms,
        us, ns) the largest value of the column tells (a warning names any unit but s).
    numeric_columns : tuple of str
        Columns that must be numeric where present.
    string_columns : tuple of str
        Other columns read as strings.
    count_columns : tuple of str
        Numeric columns that count something and cannot be negative.
    """

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    id_columns: tuple[str, ...] = ()
    timestamp_columns: tuple[str, ...] = ()
    numeric_columns: tuple[str, ...] = ()
    string_columns: tuple[str, ...] = field(default=())
    count_columns: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """Required then optional columns."""
        return self.required + self.optional


TABLES: MappingProxyType = MappingProxyType(
    {
        "members": TableSpec(
            name="members",
            required=("member_id",),
            optional=(
                "name", "handle", "channel", "followers", "following", "bio", "email",
                "kind", "created_at",
            ),
            id_columns=("member_id",),
            timestamp_columns=("created_at",),
            numeric_columns=("followers", "following"),
            count_columns=("followers", "following"),
            string_columns=("name", "handle", "channel", "bio", "email", "kind"),
        ),
        "events": TableSpec(
            name="events",
            required=("member_id", "action", "timestamp"),
            optional=("channel", "target_id", "content_id", "topic", "value"),
            id_columns=("member_id", "target_id"),
            timestamp_columns=("timestamp",),
            numeric_columns=("value",),
            string_columns=("action", "channel", "content_id", "topic"),
        ),
        "follows": TableSpec(
            name="follows",
            required=("follower_id", "followee_id"),
            optional=("channel", "since"),
            id_columns=("follower_id", "followee_id"),
            timestamp_columns=("since",),
            string_columns=("channel",),
        ),
        "identities": TableSpec(
            name="identities",
            required=("member_id", "channel", "handle"),
            optional=("email",),
            id_columns=("member_id",),
            string_columns=("channel", "handle", "email"),
        ),
    }
)
"""The four tables of the contract, by name."""

NA_TOKENS: frozenset = frozenset({
    "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null",
})
"""Spellings that CSV readers usually take for "missing" (``NA``, ``null``, ``#N/A`` …).

clusterkit does not: ids and strings are read verbatim in every format (``NA`` is a real
handle) and only an empty cell (or JSON ``null``) is missing. In numeric and timestamp
columns, where they cannot be values, they are read as missing.
"""

FILE_SUFFIXES: tuple[str, ...] = (".parquet", ".csv.gz", ".csv", ".jsonl")
"""Accepted file suffixes, in the order they are looked for."""

CONTENT_ACTIONS: frozenset = frozenset({"post", "blog_post", "video"})
"""Actions that create original content (a member's "created" side)."""

AMPLIFYING_ACTIONS: frozenset = frozenset({"share", "retweet", "mention", "reply", "comment"})
"""Actions that, aimed at a ``target_id``, amplify or engage with that target."""

CONVERSATION_ACTIONS: frozenset = frozenset({"mention", "reply", "comment"})
"""The amplifying actions that talk to or about the target (not a reshare): what bought
reshares lack (:mod:`clusterkit.stages.roles.conversation`)."""

CONVERSION_ACTIONS: frozenset = frozenset({"purchase"})
"""Actions that count as a conversion."""
