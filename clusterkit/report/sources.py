"""What the report reads besides the run: the dataset, member handles and names.

A run folder holds outputs keyed by ``member_id``; the handles, names, topics and targets
that make a report readable are in the dataset. :func:`as_data` turns the report's ``data``
argument (a :class:`~clusterkit.data.CommunityData`, a dataset folder, a follows frame or
``None``) into the validated tables, loading a folder once with
:func:`~clusterkit.data.load_dataset`. :func:`member_labels` gives every member the name a
reader knows them by, from :func:`~clusterkit.export.identifiers_frame` (the same table the
run's ``identifiers.parquet`` and the outreach exports are made from).

Examples
--------
>>> import pandas as pd
>>> from clusterkit.data import CommunityData
>>> members = pd.DataFrame({"member_id": ["a", "b", "c"], "handle": ["@ann", None, None],
...                         "name": ["Ann", "Bo Li", None]})
>>> follows = pd.DataFrame({"follower_id": ["a", "b"], "followee_id": ["b", "c"]})
>>> data = CommunityData.from_frames(members=members, follows=follows)
>>> member_labels(["c", "a", "b"], data)["label"].tolist()
['c', '@ann', 'Bo Li']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["NO_NAMES", "NO_TOPICS", "MemberLabels", "as_data", "data_folder_name",
           "member_labels"]

NO_NAMES = ("Members are shown by member_id: handles, names, topics and accounts are in the "
            "dataset, which was not given. Re-render with: clusterkit report RUN --data DATASET.")
"""The note shown when the report has no dataset to read handles and topics from."""

NO_TOPICS = ("Handles and names come from the run folder's identifiers.parquet; topics, "
             "accounts and follows are in the dataset, which was not given. Re-render with: "
             "clusterkit report RUN --data DATASET.")
"""The note shown when handles come from the run folder but the dataset is not given."""

_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"  # a newsletter or shop account: not shown as a handle


def as_data(data, manifest: dict | None = None):
    """The validated dataset behind ``data``, or ``None`` when it holds no member tables.

    A folder is loaded (and validated) with :func:`~clusterkit.data.load_dataset`, with the
    column mapping the run was made with (its manifest's ``config.columns``); a
    :class:`~clusterkit.data.CommunityData` is returned as is; a follows frame or ``None``
    gives ``None`` (the community map still uses a follows frame).
    """
    if data is None or isinstance(data, pd.DataFrame):
        return None
    if isinstance(data, str | Path):
        from clusterkit.data import load_dataset
        from clusterkit.data.columns import columns_of

        return load_dataset(data, columns=columns_of(manifest))
    return data


def data_folder_name(data, manifest: dict) -> str:
    """The dataset's folder name: of ``data`` when a path, else of the manifest's sources."""
    if isinstance(data, str | Path):
        return Path(data).resolve().name
    sources = [str(v) for v in (manifest.get("sources") or {}).values() if v]
    return Path(sorted(sources)[0]).parent.name if sources else ""


def member_labels(ids, data, identifiers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Handle, display name and label of each member in ``ids`` (in that order).

    Parameters
    ----------
    ids : sequence of str
        Member ids (or any account ids: outside accounts get their id as label).
    data : CommunityData or None
        The run's input; without it (and ``identifiers``) every label is the member id.
    identifiers : pandas.DataFrame, optional
        A run's ``identifiers.parquet`` (``member_id, source, handle, name``, in its order),
        used when ``data`` is not given.

    Returns
    -------
    pandas.DataFrame
        Index ``member_id`` (``ids``), columns ``handle`` (the member's own handle, else the
        first of its identities that is not an e-mail address), ``name`` and ``label``: the
        handle, else the name, else the id.
    """
    index = pd.Index(np.asarray(ids, dtype=object).astype(str), name="member_id")
    out = pd.DataFrame({"handle": pd.Series(pd.NA, index=index, dtype="object"),
                        "name": pd.Series(pd.NA, index=index, dtype="object")})
    rows = identifiers
    if data is not None and getattr(data, "members", None) is not None:
        from clusterkit.export.identifiers import identifiers_frame

        rows = identifiers_frame(data)  # members' own rows first, then identities
    if rows is not None:
        hand = rows["handle"].astype("string").str.strip()
        ok = hand.notna() & (hand != "") & ~hand.fillna("").str.match(_EMAIL)
        firsts = rows.loc[ok, ["member_id"]].assign(handle=hand[ok]).drop_duplicates(
            "member_id").set_index("member_id")["handle"]
        name = rows["name"].astype("string").str.strip()
        has = name.notna() & (name != "")
        names = rows.loc[has, ["member_id"]].assign(name=name[has]).drop_duplicates(
            "member_id").set_index("member_id")["name"]
        out["handle"] = firsts.reindex(index).astype(object).to_numpy()
        out["name"] = names.reindex(index).astype(object).to_numpy()
    label = out["handle"].where(out["handle"].notna(), out["name"])
    out["label"] = label.where(label.notna(), pd.Series(index.to_numpy(), index=index))
    return out.astype(object)


class MemberLabels:
    """``member_id → label`` (:func:`member_labels`), made for the ids asked, not for all.

    A report names a few hundred members (top members, affinity accounts, community
    labels); labelling all of them first held 2.1 GB at 1,000,000 members. ``reindex(ids)``
    labels just ``ids``, from the rows of those members only: a member's label depends on
    its own rows alone, so it is the label :func:`member_labels` gives over all members.

    Examples
    --------
    >>> rows = pd.DataFrame({"member_id": ["a", "b"], "handle": ["@a", None],
    ...                      "name": [None, "Bee"]})
    >>> MemberLabels(None, rows).reindex(["b", "a", "zz"]).tolist()
    ['Bee', '@a', 'zz']
    """

    def __init__(self, data, identifiers: pd.DataFrame | None = None):
        self.data, self.identifiers = data, identifiers

    def reindex(self, ids) -> pd.Series:
        """Labels of ``ids`` (in that order); an id that is no member is its own label."""
        ids = pd.Index(np.asarray(ids, dtype=object).astype(str), name="member_id")
        asked = ids.unique()
        data, rows = self.data, self.identifiers
        if data is not None and getattr(data, "members", None) is not None:
            idt = data.identities
            data = data.with_tables(
                members=data.members[data.members.index.isin(asked)],
                identities=None if idt is None else idt[idt["member_id"].isin(asked)])
        if rows is not None:
            rows = rows[rows["member_id"].astype(str).isin(asked)]
        return member_labels(asked, data, rows)["label"].reindex(ids)
