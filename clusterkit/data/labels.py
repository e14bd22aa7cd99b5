"""Known roles of a few members (``labels.csv``): read, checked against the data.

A user who knows a handful of their influencers, bloggers and fans writes them down as a
CSV (``.csv`` / ``.csv.gz`` / ``.parquet``) with columns ``member_id, role``; a run calibrates
its role thresholds on part of them and reports agreement on the rest (see
:mod:`clusterkit.stages.roles.calibrate`).

Examples
--------
>>> import tempfile, pathlib, pandas as pd
>>> from clusterkit.data import CommunityData
>>> data = CommunityData.from_frames(follows=pd.DataFrame({"follower_id": ["a", "b"],
...                                                         "followee_id": ["b", "c"]}))
>>> path = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
>>> _ = path.write_text("member_id,role\\nb,Influencer\\nc,fan\\n")
>>> load_labels(path, data).to_dict()
{'b': 'influencer', 'c': 'fan'}
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from clusterkit.errors import DataError

__all__ = ["KNOWN_ROLES", "load_labels"]

KNOWN_ROLES = ("influencer", "blogger", "fan", "follower")
"""The roles a label may name (DESIGN §3)."""


def load_labels(path, data) -> pd.Series:
    """Read a labels file: a Series ``member_id → role``, in member-index order.

    Roles are matched case-insensitively. Every row must name a member of ``data`` and a
    known role, and a member may be labelled once; anything else is a
    :class:`~clusterkit.errors.DataError` naming the file, column and first rows.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"labels file {str(path)!r} not found; give a CSV with columns "
                        "member_id, role.")
    if path.suffix == ".parquet":
        df = pd.read_parquet(path).astype("string")
    else:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("member_id", "role") if c not in df.columns]
    if missing:
        raise DataError(f"missing required column {missing[0]!r}; a labels file needs "
                        f"member_id, role (found {', '.join(map(repr, df.columns)) or 'none'}).",
                        file=path, column=missing[0])
    ids = df["member_id"].astype(str).str.strip()
    roles = df["role"].astype(str).str.strip().str.lower()
    rows = pd.RangeIndex(1, len(df) + 1)
    bad = ~roles.isin(KNOWN_ROLES)
    if bad.any():
        shown = sorted(set(roles[bad]))[:5]
        raise DataError(f"unknown role(s) {shown} at rows {list(rows[bad.to_numpy()][:5])}; "
                        f"roles are {', '.join(KNOWN_ROLES)}.", file=path, column="role",
                        rows=list(rows[bad.to_numpy()][:5]))
    unknown = ~ids.isin(data.member_ids)
    if unknown.any():
        shown = list(ids[unknown][:5])
        raise DataError(f"{int(unknown.sum())} labelled id(s) are not members of the data, "
                        f"e.g. {shown} at rows {list(rows[unknown.to_numpy()][:5])}; label "
                        "members of this dataset (or drop those rows).", file=path,
                        column="member_id", rows=list(rows[unknown.to_numpy()][:5]))
    dup = ids.duplicated(keep=False)
    if dup.any():
        raise DataError(f"member(s) labelled more than once, e.g. {list(ids[dup][:3])} at "
                        f"rows {list(rows[dup.to_numpy()][:5])}; keep one role per member.",
                        file=path, column="member_id", rows=list(rows[dup.to_numpy()][:5]))
    out = pd.Series(roles.to_numpy(dtype=object), index=pd.Index(ids, name="member_id"),
                    name="role")
    order = data.member_index(out.index.to_numpy(dtype=object))
    return out.iloc[order.argsort(kind="stable")]
