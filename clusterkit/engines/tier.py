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

On either engine: attribution beside the other steps
----------------------------------------------------
In a whole run attribution reads only the data, so it can run in a second thread while
features, transform, reduce, roles, cluster, community, scoring and segments run in front
(``engine.attribution_beside``; ``auto`` does so when the process may use two cores or
more and the memory available is at least :data:`BESIDE_MEMORY` times what it holds).
Every step still computes on one thread of its own (DuckDB and BLAS, the run's thread
policy), so the outputs are identical; the wall time loses the shorter of the two paths
(1,000,000 members: 6:50-7:08 → 4:58-5:34; 50,000: 40 → 36 s), and the peak memory holds
both at once (1,000,000 members: 9.5 → 12.0 GB), hence the memory asked for. The manifest
says whether it ran beside and why (``engine.attribution_beside_reason``;
``benchmarks/RESULTS.md``).

Examples
--------
>>> choice = choose_engine(EngineConfig(), n_members=2_000_000)
>>> choice.name, choice.community("leiden", {})
('large', ('plm', {}))
>>> choose_engine(EngineConfig(), n_members=10_000).community("leiden", {"resolution": 2.0})
('leiden', {'resolution': 2.0})
>>> choose_engine(EngineConfig(attribution_beside=True), n_members=10).attribution_beside
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clusterkit.provenance import available_memory, usable_cores
from clusterkit.provenance import resident_bytes as resident_memory

__all__ = ["BESIDE_MEMORY", "EngineChoice", "EngineConfig", "available_memory", "choose_engine",
           "resident_memory", "usable_cores"]

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
    attribution_beside : {"auto", True, False}
        Run attribution in a second thread beside the other steps of a whole run; ``auto``:
        when the process may use two cores or more and the memory available is at least
        :data:`BESIDE_MEMORY` times what the process holds.
    spark_collect_pairs : int
        A run on Spark (``--engine spark``) collects the member graph to the driver for
        the community stage up to this many connected pairs (about 16 bytes each); above
        it a ``leiden`` stage runs on Spark as Leiden on a graph of pieces
        (:mod:`clusterkit.engines.spark.community`; igraph's Leiden whatever the stage's
        ``engine``), and another stage is refused. With ``spark_scoring``, also the most
        interaction edges collected for authority's PageRank (above: Spark iterations).
    spark_scoring : bool
        A run on Spark also scores on Spark what reads every event or follow (engagement
        per member and channel, influence's authority and two-hop reach:
        :mod:`clusterkit.engines.spark.scoring`; the ``engagement`` scoring stage only).
        Off by default: the driver holds the collected data anyway, and there these parts
        took 1.1 s at 100,000 members against 44.4 s as Spark jobs on ``local[2]``.
    """

    model_config = ConfigDict(extra="forbid")

    name: Literal["auto", "default", "large"] = "auto"
    large_above: int = Field(500_000, ge=1)
    attribution_beside: bool | Literal["auto"] = "auto"
    spark_collect_pairs: int = Field(300_000_000, ge=0)
    spark_scoring: bool = False


@dataclass(frozen=True)
class EngineChoice:
    """The engine a run uses, and why (:func:`choose_engine`)."""

    name: str
    requested: str
    members: int
    large_above: int
    attribution_beside: bool = False
    beside_reason: str = ""

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
                "community_stage": community, "attribution_beside": self.attribution_beside,
                "attribution_beside_reason": self.beside_reason}


def choose_engine(config: EngineConfig, n_members: int) -> EngineChoice:
    """The engine for a run over ``n_members`` members (see the module docstring)."""
    if config.name == "auto":
        name = "large" if n_members >= config.large_above else "default"
    else:
        name = config.name
    beside, why = config.attribution_beside, "engine.attribution_beside in the config"
    if beside == "auto":
        beside, why = _beside_by_machine()
    return EngineChoice(name=name, requested=config.name, members=int(n_members),
                        large_above=int(config.large_above), attribution_beside=bool(beside),
                        beside_reason=why)


BESIDE_MEMORY = 4.0
"""``auto`` runs attribution beside the other steps only when the memory still available is
at least this multiple of what the process holds (the data, loaded): at 1,000,000 members a
run held 3.2 GB and peaked 6.3 GB above it with attribution first, 8.8 GB above it with
attribution beside (10.6 GB before attribution's journeys and credit were made leaner;
``benchmarks/RESULTS.md``)."""


def _beside_by_machine() -> tuple[bool, str]:
    cores, free, held = usable_cores(), available_memory(), resident_memory()
    if cores < 2:
        return False, "auto: one usable core"
    if free is None or held is None:
        return False, "auto: the available memory is unknown"
    # no byte counts in the text: the manifest stays equal between runs of the same data
    if free < BESIDE_MEMORY * held:
        return False, (f"auto: less memory available than {BESIDE_MEMORY:g}x what the process "
                       "holds")
    return True, f"auto: {cores} cores, and {BESIDE_MEMORY:g}x the held memory available"

