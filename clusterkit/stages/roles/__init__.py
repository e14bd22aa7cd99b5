"""Role stages: every member gets exactly one of influencer, blogger, fan, follower (DESIGN §3).

One method per module: :mod:`.rules` (the default, transparent thresholds),
:mod:`.prototypes` (cluster, then name clusters by their nearest role prototype) and
:mod:`.rolx` (structural roles by NMF, named by prototypes). :mod:`.evidence` holds what
they share.
"""

from clusterkit.stages.roles.evidence import ROLES

__all__ = ["ROLES"]
