"""Look a member up in the profile index of a run: by member id, handle, email or name.

:class:`ProfileIndex` keeps the index open (a read-only DuckDB connection), so repeated
lookups cost a few small queries each; :func:`lookup` opens, looks up and closes.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path

from clusterkit.errors import ClusterkitInputError
from clusterkit.profile.index import FORMAT_VERSION, INDEX_FILE
from clusterkit.profile.keys import fold_name, normalise_keys

__all__ = ["ProfileIndex", "lookup"]

_SEGMENT = ("segment", "community", "cluster", "membership", "outlier")
_ROLE = ("role", "confidence", "secondary_role", "explanation")
_REACH = ("followers_members", "following_members", "following_outside", "amplifiers",
          "amplifying_events")


def _plain(value):
    """JSON-ready scalar: NaN → None, datetimes → ISO-8601 UTC text."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="seconds") + "Z"
    return value


def _records(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


class ProfileIndex:
    """An open profile index: ``ProfileIndex(run_dir).get(key)`` returns a member's profile.

    Parameters
    ----------
    path : str or Path
        A run folder holding ``profile.duckdb``, any folder holding it, or the file itself.

    Raises
    ------
    clusterkit.errors.ClusterkitInputError
        When ``path`` is not a run folder, or the run has no index (an older run: build one
        with ``clusterkit profile RUN MEMBER --data DIR`` or
        :func:`~clusterkit.profile.write_profile_index`).

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from clusterkit.data import CommunityData
    >>> from clusterkit import save_run
    >>> from clusterkit.pipeline import Pipeline
    >>> members = pd.DataFrame({"member_id": ["a", "b", "c"],
    ...                         "handle": ["@Ann", "@bob", "@cy"]})
    >>> events = pd.DataFrame({"member_id": ["b", "c", "c"], "action": ["share", "like", "post"],
    ...                        "timestamp": ["2026-01-01", "2026-01-02", "2026-01-03"],
    ...                        "target_id": ["a", "a", None]})
    >>> data = CommunityData.from_frames(members=members, events=events)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     run = save_run(Pipeline().run(data), tmp + "/run", data=data, report=False)
    ...     with ProfileIndex(run) as index:
    ...         p = index.get("@CY", events=1)
    >>> p["member_id"], [e["action"] for e in p["timeline"]], p["events"]["total"]
    ('c', ['post'], 2)
    """

    def __init__(self, path):
        import duckdb

        from clusterkit.data.sql import connect

        path = Path(path)
        file = path if path.is_file() else path / INDEX_FILE
        if not file.is_file():
            if path.is_dir() and (path / "manifest.json").is_file():
                raise ClusterkitInputError(
                    f"run folder {str(path)!r} has no profile index ({INDEX_FILE}): it was "
                    "saved by an older clusterkit or without its input data. Build it with "
                    f"'clusterkit profile {path} MEMBER --data DIR' (DIR: the dataset the run "
                    "was made from).")
            raise ClusterkitInputError(
                f"{str(path)!r} is not a run folder (no manifest.json, no {INDEX_FILE}); "
                "give the --out folder of 'clusterkit run' or 'clusterkit demo'.")
        self.path = file
        how = "rebuild it with 'clusterkit profile RUN MEMBER --data DIR'."
        try:  # a file that is no DuckDB database (garbage, truncated, a text file)
            self._con = connect(file, read_only=True)
        except duckdb.Error as exc:
            raise ClusterkitInputError(
                f"{str(file)!r} is not a clusterkit profile index ({str(exc).splitlines()[0]});"
                f" {how}") from None
        try:
            self.meta = json.loads(self._con.execute(
                "SELECT meta FROM profile_meta").fetchone()[0])
            if not isinstance(self.meta, dict):
                raise ValueError("its meta is not a JSON object")
        except (duckdb.Error, TypeError, ValueError) as exc:
            self._con.close()
            raise ClusterkitInputError(
                f"{str(file)!r} is not a clusterkit profile index ({exc}); {how}") from None
        self._hash_ok = str(self._con.execute(
            "SELECT hash(?)", [self.meta.get("hash_check", "")]).fetchone()[0]
        ) == self.meta.get("hash_check_value")
        if self.meta.get("format_version") != FORMAT_VERSION:
            self._con.close()
            raise ClusterkitInputError(
                f"{str(file)!r} has profile index format {self.meta.get('format_version')}, "
                f"this clusterkit reads {FORMAT_VERSION}; rebuild it with 'clusterkit profile "
                "RUN MEMBER --data DIR'.")

    def close(self) -> None:
        """Close the connection."""
        self._con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _one(self, sql: str, params) -> tuple | None:
        return self._con.execute(sql, params).fetchone()

    def _match(self, key: str, kinds: tuple[str, ...]) -> list[int]:
        """Positions of the keys of one of ``kinds`` equal to ``key``.

        One filter on the keys table, never a join: a join would scan a whole table.
        """
        kind = "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"
        by_hash = "h = hash(?) AND " if self._hash_ok else ""
        params = [key, key] if self._hash_ok else [key]
        return [int(r[0]) for r in self._con.execute(
            f"SELECT DISTINCT pos FROM profile_keys WHERE {by_hash}key = ? AND {kind} "
            "ORDER BY pos", params).fetchall()]

    def _pos(self, key: str) -> int:
        rows = self._match(key, ("member_id",))
        if rows:
            return rows[0]
        norm = normalise_keys([key])[0]
        rows = [] if norm is None else self._match(norm, ("handle", "email"))
        if len(rows) == 1:
            return rows[0]
        if len(rows) > 1:
            names = ", ".join(self._member_id(p) for p in rows[:10])
            raise ClusterkitInputError(
                f"{key!r} is a handle or email of {len(rows)} members ({names}); look one up "
                "by member_id.")
        folded = fold_name([key])[0]
        rows = [] if folded is None else self._match(folded, ("name",))
        if len(rows) == 1:
            return rows[0]
        if len(rows) > 1:
            shown = ", ".join(f"{m} ({h})" if h else m for m, h in self._handles(rows[:5]))
            more = f", and {len(rows) - 5} more" if len(rows) > 5 else ""
            raise ClusterkitInputError(
                f"{key!r} is the name of {len(rows)} members: {shown}{more}; look one up by "
                "member_id or handle.")
        hint = self.suggest(key)
        raise ClusterkitInputError(
            f"no member {key!r} (by member_id, handle, email or name) in "
            f"{str(self.path.parent)!r}"
            + (f"; did you mean {', '.join(map(repr, hint))}?" if hint else "."))

    def _handles(self, positions: list[int]) -> list[tuple[str, str | None]]:
        """``(member_id, handle)`` of members by position (handle from the members table)."""
        cols = {r[0] for r in self._con.execute(
            "SELECT column_name FROM (DESCRIBE profile_members)").fetchall()}
        handle = "attr_handle" if "attr_handle" in cols else "NULL"
        return [(m, h) for m, h in self._con.execute(
            f"SELECT member_id, {handle} FROM profile_members WHERE pos IN "
            f"({', '.join(str(int(p)) for p in positions)}) ORDER BY pos").fetchall()]

    def _member_id(self, pos: int) -> str:
        return self._one("SELECT member_id FROM profile_members WHERE pos = ?", [pos])[0]

    def resolve(self, key) -> tuple[int, str]:
        """``(pos, member_id)`` of a member id, handle, email or display name.

        A member id matches exactly; otherwise the key is normalised like handles and emails
        (:func:`~clusterkit.profile.normalise_keys`), last folded like display names
        (:func:`~clusterkit.profile.keys.fold_name`: any case, accents ignored). A key shared
        by several members is an error naming them (a name: up to 5, with their handles); an
        unknown key is an error naming it, with close matches.
        """
        pos = self._pos(str(key))
        return pos, self._member_id(pos)

    def suggest(self, key, n: int = 3, min_similarity: float = 0.85) -> list[str]:
        """Up to ``n`` member ids, handles, emails or (folded) names close to ``key``.

        Ranked by Jaro-Winkler similarity (DuckDB's ``jaro_winkler_similarity``), member ids
        against ``key`` as given, handles / emails against its normalised form and names
        against its folded form, among the keys that share its first character; one scan of
        the keys table (an error path: tens of milliseconds at a million members).
        """
        key = str(key)
        norm = normalise_keys([key])[0] or key
        folded = fold_name([key])[0] or norm
        rows = self._con.execute(
            "SELECT key, max(s) AS s FROM (SELECT key, CASE kind WHEN 'member_id' THEN "
            "jaro_winkler_similarity(key, $raw) WHEN 'name' THEN "
            "jaro_winkler_similarity(key, $fold) ELSE jaro_winkler_similarity(key, $norm) END "
            "AS s FROM profile_keys WHERE (kind = 'member_id' AND key[1] = $raw[1]) OR "
            "(kind = 'name' AND key[1] = $fold[1]) OR "
            "(kind NOT IN ('member_id', 'name') AND key[1] = $norm[1])) WHERE s >= $min "
            "GROUP BY key ORDER BY s DESC, key LIMIT $n",
            {"raw": key, "norm": norm, "fold": folded, "min": float(min_similarity),
             "n": int(n)}).fetchall()
        return [r[0] for r in rows]

    def get(self, key, events: int = 20, topic: str | None = None) -> dict:
        """The profile of the member named by ``key`` (member id, handle, email or name).

        Parameters
        ----------
        key : str
        events : int, default=20
            Most recent actions in the timeline.
        topic : str, optional
            Add ``topic_credibility``, the member's credibility on this topic (any case,
            with or without ``#``; see :func:`clusterkit.profile.topics.topic_credibility`).

        Returns
        -------
        dict
            ``member_id, person_id, accounts, attributes, segment, role, engagement_weight,
            influence`` (score and components with value and percentile), ``credibility``
            (signals), ``reach`` (followers among members, amplifiers, top amplifiers),
            ``activity`` (per channel), ``topics``, ``identities``, ``events`` (total, first,
            last), ``timeline`` (newest first, at most ``events``; ``target_handle`` is the
            target's handle where the members table has one) and, with ``topic``,
            ``topic_credibility``. JSON-ready.

        Raises
        ------
        clusterkit.errors.ClusterkitInputError
            An unknown or ambiguous key, or an unknown topic (naming the closest ones).
        """
        if int(events) < 0:
            raise ClusterkitInputError(f"events must be >= 0; got {events}.")
        pos = self._pos(str(key))
        cur = self._con.execute("SELECT * FROM profile_members WHERE pos = ?", [pos])
        row = _records(cur)[0]
        member_id = row["member_id"]
        meta = self.meta
        components = {c: {"value": row.get(c), "percentile": row.get(f"{c}_pct")}
                      for c in meta["components"]}
        accounts = [member_id]
        if (row.get("n_accounts") or 1) > 1:
            by_hash = "h = hash(?) AND " if self._hash_ok else ""
            person = [row["person_id"]] * (2 if self._hash_ok else 1)
            accounts = [r[0] for r in self._con.execute(
                f"SELECT member_id FROM profile_persons WHERE {by_hash}person_id = ? "
                "ORDER BY member_id", person).fetchall()]

        def table(sql, limit=None):
            params = [pos] if limit is None else [pos, int(limit)]
            recs = _records(self._con.execute(sql, params))
            for r in recs:
                r.pop("pos", None)
            return recs

        credibility = None
        if topic is not None:
            from clusterkit.profile.topics import topic_credibility

            credibility = topic_credibility(
                self._con, pos, topic, row.get("n_events") or 0, meta["n_events"],
                by_hash=self._hash_ok, where=repr(str(self.path.parent)))
        amplifiers = table("SELECT amplifier_id AS member_id, handle, events "
                           "FROM profile_amplifiers WHERE pos = ? "
                           "ORDER BY events DESC, amplifier_id")
        return {
            "member_id": member_id,
            "person_id": row["person_id"],
            "accounts": accounts,
            "attributes": {k[5:]: v for k, v in row.items() if k.startswith("attr_")},
            "segment": {k: row.get(k) for k in _SEGMENT if k in row},
            "role": {k: row.get(k) for k in _ROLE if k in row},
            "engagement_weight": row.get("engagement_weight"),
            "influence": {"score": row.get("influence"), "components": components},
            "credibility": {s: row.get(s) for s in meta["signals"]},
            "reach": {**{k: row.get(k) for k in _REACH},
                      "reach_2hop": row.get("reach_2hop"), "top_amplifiers": amplifiers},
            "activity": table("SELECT * FROM profile_channels WHERE pos = ? "
                              "ORDER BY events DESC, engagement_weight DESC, channel"),
            "topics": table("SELECT topic, events FROM profile_topics WHERE pos = ? "
                            "ORDER BY events DESC, topic"),
            "identities": table("SELECT channel, handle, email, source FROM profile_identities "
                                "WHERE pos = ? ORDER BY source DESC, channel, handle, email"),
            "events": {"total": row.get("n_events"), "first": row.get("first_event"),
                       "last": row.get("last_event")},
            "timeline": table(
                "SELECT * FROM profile_events WHERE pos = ? ORDER BY timestamp DESC, action, "
                "channel NULLS LAST, target_id NULLS LAST, content_id NULLS LAST, "
                "topic NULLS LAST, value NULLS LAST LIMIT ?", events),
            **({} if credibility is None else {"topic_credibility": credibility}),
        }


def lookup(run_dir, key, events: int = 20, topic: str | None = None) -> dict:
    """The profile of one member of a run (by member id, handle, email or display name).

    Opens the run's index, looks up and closes it; use :class:`ProfileIndex` for many
    lookups. See :meth:`ProfileIndex.get` for the parameters and the keys of the result.

    Raises
    ------
    clusterkit.errors.ClusterkitInputError
        For an unknown key (naming it, with close matches when there are some), a name
        shared by several members (listing them), an unknown topic (with the closest
        topics), a folder that is not a run, or a run without an index.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from clusterkit import save_run
    >>> from clusterkit.data import CommunityData
    >>> from clusterkit.pipeline import Pipeline
    >>> members = pd.DataFrame({"member_id": ["a", "b", "c"], "name": ["Zoë Ames", "Bo", "Cy"],
    ...                         "handle": ["@zoe", "@bo", "@cy"]})
    >>> events = pd.DataFrame({
    ...     "member_id": ["a", "a", "b", "c", "c"],
    ...     "action": ["post", "post", "share", "mention", "like"],
    ...     "timestamp": pd.date_range("2026-01-01", periods=5, freq="D"),
    ...     "target_id": [None, None, "a", "a", "b"],
    ...     "topic": ["#rain", "food", "#rain", "RAIN", "food"]})
    >>> data = CommunityData.from_frames(members=members, events=events)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     run = save_run(Pipeline().run(data), tmp + "/run", data=data, report=False)
    ...     p = lookup(run, "zoe ames", topic="rain")
    >>> c = p["topic_credibility"]
    >>> p["member_id"], c["topic"], c["activity"]["events"], c["activity"]["lift"]
    ('a', '#rain', 1, 0.8333333333333334)
    >>> c["amplification"]["amplifiers"], c["amplification"]["share"]  # b shared, c mentioned
    (2, 1.0)
    """
    with ProfileIndex(run_dir) as index:
        return index.get(key, events=events, topic=topic)
