"""CommunityData: the validated tables and the canonical member index.

Examples
--------
>>> import pandas as pd
>>> from clusterkit.data import CommunityData
>>> follows = pd.DataFrame({"follower_id": ["b", "a"], "followee_id": ["a", "c"]})
>>> data = CommunityData.from_frames(follows=follows)
>>> list(data.member_ids)
['a', 'b', 'c']
>>> data.n_members
3
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["CommunityData"]


def _frame_digest(df: pd.DataFrame | None) -> str:
    if df is None:
        return "none"
    h = hashlib.sha256()
    h.update(",".join(map(str, df.columns)).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()


@dataclass(frozen=True, eq=False)
class CommunityData:
    """Validated input tables keyed by a canonical, sorted member index.

    Build it with :func:`clusterkit.data.load_dataset` (from a folder) or
    :meth:`from_frames` (from pandas frames); both validate the data contract. It is never
    mutated: methods return new objects.

    Attributes
    ----------
    member_ids : pandas.Index
        Unique member ids (str), sorted. Every per-member output aligns to it.
    members : pandas.DataFrame
        One row per member, index ``member_ids``; attribute columns from the members table
        (missing where the member was not listed there).
    events : pandas.DataFrame or None
        Events in canonical order; ``timestamp`` is ``datetime64[ns, UTC]``.
    follows : pandas.DataFrame or None
        Follow edges in canonical order, self-follows and duplicates removed.
    identities : pandas.DataFrame or None
        Channel handles per member.
    outside_ids : pandas.Index
        Accounts referenced by ``target_id`` / ``followee_id`` that are not members.
    warnings : tuple of str
        What validation changed or noticed (dropped self-follows, outside accounts …).
    sources : mapping
        Table name to the file it was read from.
    """

    member_ids: pd.Index
    members: pd.DataFrame
    events: pd.DataFrame | None = None
    follows: pd.DataFrame | None = None
    identities: pd.DataFrame | None = None
    outside_ids: pd.Index = field(default_factory=lambda: pd.Index([], dtype=object))
    warnings: tuple[str, ...] = ()
    sources: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_frames(cls, *, members=None, events=None, follows=None, identities=None):
        """Validate pandas frames against the contract and build a CommunityData.

        Parameters
        ----------
        members, events, follows, identities : pandas.DataFrame, optional
            Tables as in DESIGN §2. At least one of ``events`` and ``follows`` is required.

        Returns
        -------
        CommunityData

        Raises
        ------
        clusterkit.errors.DataError
            When a table breaks the contract.
        """
        from clusterkit.data.validate import build_dataset

        frames = {"members": members, "events": events, "follows": follows,
                  "identities": identities}
        return build_dataset({k: v for k, v in frames.items() if v is not None}, sources={})

    @property
    def n_members(self) -> int:
        """Number of members."""
        return len(self.member_ids)

    def member_index(self, ids) -> np.ndarray:
        """Positions of ``ids`` in :attr:`member_ids`; -1 for ids that are not members."""
        return self.member_ids.get_indexer(pd.Index(ids, dtype=object))

    def node_ids(self) -> pd.Index:
        """Members followed by outside accounts: the node set of :meth:`follow_matrix`."""
        return self.member_ids.append(self.outside_ids)

    def follow_matrix(self) -> sp.csr_array:
        """Directed follow adjacency over :meth:`node_ids`, ``A[i, j] = 1`` if i follows j.

        Rows and columns ``0 .. n_members-1`` are members (in :attr:`member_ids` order);
        the rest are outside accounts. Returns an empty matrix when there are no follows.
        """
        nodes = self.node_ids()
        n = len(nodes)
        if self.follows is None or len(self.follows) == 0:
            return sp.csr_array((n, n), dtype=np.float64)
        src = nodes.get_indexer(self.follows["follower_id"].to_numpy(dtype=object))
        dst = nodes.get_indexer(self.follows["followee_id"].to_numpy(dtype=object))
        a = sp.csr_array((np.ones(len(src)), (src, dst)), shape=(n, n))
        a.sum_duplicates()
        a.data[:] = 1.0
        return a

    def fingerprint(self) -> str:
        """SHA-256 of the canonical tables: equal for the same data in any row order."""
        h = hashlib.sha256()
        for name in ("members", "events", "follows", "identities"):
            df = getattr(self, name)
            if name == "members":
                df = df.reset_index()
            h.update(name.encode())
            h.update(_frame_digest(df).encode())
        return h.hexdigest()

    def with_tables(self, **tables) -> CommunityData:
        """Return a copy with some tables replaced (no re-validation)."""
        return replace(self, **tables)

    def __repr__(self) -> str:
        parts = [f"members={self.n_members}"]
        for name in ("events", "follows", "identities"):
            df = getattr(self, name)
            if df is not None:
                parts.append(f"{name}={len(df)}")
        if len(self.outside_ids):
            parts.append(f"outside={len(self.outside_ids)}")
        return f"CommunityData({', '.join(parts)})"
