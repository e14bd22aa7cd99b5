"""Pipeline stages: transform, reduce, cluster, community, roles, scoring."""

from clusterkit.stages.base import ISOLATE, NOISE, BaseStage, derive_seed

__all__ = ["ISOLATE", "NOISE", "BaseStage", "derive_seed"]
