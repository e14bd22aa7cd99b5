"""What a dataset can and cannot support, said once per run as warnings.

Only ``events`` or ``follows`` is required (DESIGN §2); each missing table disables part of
the run, and the user is told which part.

Examples
--------
>>> import pandas as pd
>>> from clusterkit.data import CommunityData
>>> data = CommunityData.from_frames(follows=pd.DataFrame({"follower_id": ["a"],
...                                                         "followee_id": ["b"]}))
>>> [w.split(":")[0] for w in coverage_warnings(data)]
['no events', 'no members table (or no attributes)']
"""

from __future__ import annotations

__all__ = ["coverage_warnings"]


def coverage_warnings(data) -> list[str]:
    """One warning per missing table, naming what it disables (DESIGN §2: only ``events``
    or ``follows`` is required), and the share of members with no tie to anyone."""
    out = []
    if data.events is None or len(data.events) == 0:
        out.append("no events: behaviour features and engagement weight are zero; fans and "
                   "bloggers cannot be told from followers (roles: influencer or follower); "
                   "no journeys or attribution; influence uses the follow graph only.")
    if data.follows is None or len(data.follows) == 0:
        out.append("no follows: reach, two-hop reach, PageRank and k-core are zero; "
                   "communities come from interactions alone.")
    if data.members is None or len(data.members.columns) == 0:
        out.append("no members table (or no attributes): no declared influence components "
                   "(views, reported followers, account age) and no names or handles in "
                   "profiles and exports.")
    return out
