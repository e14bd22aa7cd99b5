"""Which engine a run uses on one machine: the default, or the large tier above a size.

``engine.name`` in the run config is ``auto`` (the default), ``default`` or ``large``.
``auto`` picks the large tier when the data hold at least ``engine.large_above`` members
(persons, when identity resolution is on), and the default engine otherwise. The choice,
what asked for it and what it changed are recorded in the run's ``manifest.json``
(``engine``).

What the large tier changes
---------------------------
- **Communities:** the default community stage (``leiden`` on igraph, modularity, no
  parameter but ``resolution`` or ``random_state`` set) runs as NetworKit's Louvain
  (:class:`~clusterkit.stages.community.plm.PLMCommunity`, one thread, the same resolution
  and seed). On the member graph of 1,000,000 members its ``fit`` takes 15.3 s instead of
  53.6 s and adds 1.96 GB instead of 3.00 GB, with the same modularity and NMI against the
  planted communities (``benchmarks/RESULTS.md``); the NMI on other graphs (LFR, our
  generator, the blind generator's hub-heavy setting, labelled real graphs) is in
  ``experiments/results/large_tier.md``. A community
  stage the config names otherwise, or a ``leiden`` with other parameters, is kept: it was
  asked for.

Everything else is unchanged by the tier: the same features, roles, scoring and segments.

Examples
--------
>>> choice = choose_engine(EngineConfig(), n_members=2_000_000)
>>> choice.name, choice.community("leiden", {})
('large', ('plm', {}))
>>> choose_engine(EngineConfig(), n_members=10_000).community("leiden", {"resolution": 2.0})
('leiden', {'resolution': 2.0})
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["EngineChoice", "EngineConfig", "choose_engine"]

_SWAPPABLE = frozenset({"resolution", "random_state"})
"""``leiden`` parameters the large tier carries over to ``plm``; any other keeps Leiden."""


class EngineConfig(BaseModel):
    """The ``engine`` section of a run config.

    Attributes
    ----------
    name : {"auto", "default", "large"}
        ``auto`` chooses by size (``large_above``); ``default`` and ``large`` force one.
    large_above : int
        Members (or persons) from which ``auto`` chooses the large tier.
    """

    model_config = ConfigDict(extra="forbid")

    name: Literal["auto", "default", "large"] = "auto"
    large_above: int = Field(500_000, ge=1)


@dataclass(frozen=True)
class EngineChoice:
    """The engine a run uses, and why (:func:`choose_engine`)."""

    name: str
    requested: str
    members: int
    large_above: int

    @property
    def reason(self) -> str:
        if self.requested != "auto":
            return f"engine.name is {self.requested!r} in the config"
        side = "at least" if self.name == "large" else "fewer than"
        return (f"auto: {self.members:,} members, {side} engine.large_above "
                f"({self.large_above:,})")

    def community(self, name: str, params: dict) -> tuple[str, dict]:
        """The community stage ``(name, params)`` to run in place of the configured one."""
        swap = (self.name == "large" and name == "leiden" and set(params) <= _SWAPPABLE)
        return ("plm", dict(params)) if swap else (name, dict(params))

    def manifest(self, community: str) -> dict:
        """The ``engine`` entry of ``manifest.json``."""
        return {"name": self.name, "requested": self.requested, "reason": self.reason,
                "members": self.members, "large_above": self.large_above,
                "community_stage": community}


def choose_engine(config: EngineConfig, n_members: int) -> EngineChoice:
    """The engine for a run over ``n_members`` members (see the module docstring)."""
    if config.name == "auto":
        name = "large" if n_members >= config.large_above else "default"
    else:
        name = config.name
    return EngineChoice(name=name, requested=config.name, members=int(n_members),
                        large_above=int(config.large_above))
