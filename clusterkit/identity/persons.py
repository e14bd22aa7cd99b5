"""Rewrite a dataset per person: every account id becomes its person's id.

:func:`to_person_data` maps ``member_id``, ``target_id``, ``follower_id`` and ``followee_id``
to person ids, so that features, roles, segments, profiles and exports work per person:

- events keep every row (counts are preserved), re-keyed;
- follows between accounts of one person are dropped (a person does not follow themself), and
  a person following another from several accounts keeps one edge (the earliest);
- members are aggregated per person (DuckDB): ``member_ids`` (the account ids, ``;``-joined,
  sorted), ``n_accounts``, ``channels`` (sorted, ``;``-joined), ``followers`` and
  ``following`` summed, ``created_at`` the earliest, every other column the first non-missing
  value in member id order (the person id's own account first);
- identities are re-keyed.

With nothing linked (every person is one account) the data is returned as it is, so outputs
are unchanged.

Examples
--------
>>> import pandas as pd
>>> from clusterkit.data import CommunityData
>>> events = pd.DataFrame({"member_id": ["a", "b", "c"], "action": ["like"] * 3,
...                        "timestamp": [1, 2, 3], "target_id": ["c", "c", "a"]})
>>> data = CommunityData.from_frames(events=events)
>>> persons = pd.DataFrame({"member_id": ["a", "b", "c"], "person_id": ["a", "a", "c"]})
>>> out = to_person_data(data, persons)
>>> list(out.member_ids), out.events["member_id"].tolist(), out.events["target_id"].tolist()
(['a', 'c'], ['a', 'a', 'c'], ['c', 'c', 'a'])
>>> out.members.loc["a", "member_ids"], int(out.members.loc["a", "n_accounts"])
('a;b', 2)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.data.sql import connect
from clusterkit.errors import DataError

__all__ = ["to_person_data"]

_SUMMED = ("followers", "following")


def _mapping(data, resolution) -> pd.Series:
    persons = resolution if isinstance(resolution, pd.DataFrame) else resolution.persons
    mapping = pd.Series(persons["person_id"].to_numpy(dtype=object),
                        index=pd.Index(persons["member_id"].to_numpy(dtype=object)))
    missing = data.member_ids.difference(mapping.index)
    if len(missing):
        raise DataError(
            f"the resolution does not cover {len(missing)} member(s) of the data, e.g. "
            f"{list(missing[:3])}: resolve this dataset (resolve_identities(data, ...)) "
            "rather than another one.")
    return mapping.reindex(data.member_ids)


def _rekey(values: pd.Series, mapping: pd.Series) -> pd.Series:
    """Map ids that are members to person ids; others (outside accounts, missing) unchanged."""
    raw = values.astype(object)
    mapped = mapping.reindex(raw.to_numpy()).to_numpy()
    out = np.where(pd.isna(mapped), raw.to_numpy(), mapped)
    return pd.Series(out, index=values.index).astype(values.dtype)


def _members(data, mapping: pd.Series) -> pd.DataFrame:

    m = data.members.reset_index()
    m.insert(1, "person_id", mapping.to_numpy(dtype=object))
    cols = [c for c in m.columns if c not in ("member_id", "person_id")]
    aggs = ["string_agg(member_id, ';' ORDER BY member_id) AS member_ids",
            "count(*) AS n_accounts"]
    if "channel" in m.columns:
        aggs.append("string_agg(DISTINCT channel, ';' ORDER BY channel) AS channels")
    for c in cols:
        q = f'"{c}"'
        if c in _SUMMED and pd.api.types.is_numeric_dtype(m[c]):
            aggs.append(f"sum({q}) AS {q}")
        elif c == "created_at":
            aggs.append(f"min({q}) AS {q}")
        else:
            aggs.append(f"first({q} ORDER BY member_id) FILTER (WHERE {q} IS NOT NULL) AS {q}")
    con = connect()
    try:
        con.register("m", m)
        out = con.sql(f"SELECT person_id AS member_id, {', '.join(aggs)} FROM m "
                      "GROUP BY person_id ORDER BY person_id").df()
    finally:
        con.close()
    for c in cols:  # keep the input dtypes where DuckDB widened them
        if c in out and c not in _SUMMED:
            try:
                out[c] = out[c].astype(m[c].dtype)
            except (TypeError, ValueError):
                pass
    return out


def to_person_data(data, resolution):
    """The dataset with one member per person (see the module docstring).

    Parameters
    ----------
    data : CommunityData
        The data that was resolved.
    resolution : Resolution or pandas.DataFrame
        A :class:`~clusterkit.identity.Resolution`, or its ``persons`` frame
        (``member_id, person_id``).

    Returns
    -------
    CommunityData
        Keyed by person id; ``data`` itself when every person has one account.

    Raises
    ------
    clusterkit.errors.DataError
        If the resolution does not cover every member of ``data``.
    """
    from clusterkit.data import CommunityData

    mapping = _mapping(data, resolution)
    if (mapping.to_numpy(dtype=object) == data.member_ids.to_numpy(dtype=object)).all():
        return data
    events = follows = identities = None
    if data.events is not None:
        events = data.events.copy()
        events["member_id"] = _rekey(events["member_id"], mapping)
        if "target_id" in events:
            events["target_id"] = _rekey(events["target_id"], mapping)
    if data.follows is not None:
        f = data.follows.copy()
        f["follower_id"] = _rekey(f["follower_id"], mapping)
        f["followee_id"] = _rekey(f["followee_id"], mapping)
        f = f[(f["follower_id"] != f["followee_id"]).to_numpy(dtype=bool)]
        order = ["follower_id", "followee_id"] + [c for c in ("since", "channel") if c in f]
        f = f.sort_values(order, kind="stable", na_position="last")
        follows = f.drop_duplicates(["follower_id", "followee_id"], ignore_index=True)
    if data.identities is not None:
        identities = data.identities.copy()
        identities["member_id"] = _rekey(identities["member_id"], mapping)
    out = CommunityData.from_frames(members=_members(data, mapping), events=events,
                                    follows=follows, identities=identities)
    note = (f"identity resolution: {len(mapping)} accounts merged into "
            f"{mapping.nunique()} persons")
    return out.with_tables(sources=data.sources, warnings=out.warnings + (note,))
