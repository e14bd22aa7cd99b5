"""Feature builders: one member × feature table per builder, joined column-wise.

Each builder is a stage of kind ``"features"`` (see :mod:`clusterkit.registry`) with a
``build(data, weights=None)`` method that takes a :class:`~clusterkit.data.CommunityData`
and the run's :class:`~clusterkit.weights.EngagementWeights`, and returns a float64
DataFrame indexed by ``data.member_ids`` (name ``member_id``), with no NaN and every member
present (members without events or edges get zeros). Builders may set ``warnings_`` (a list
of str) when they notice something about the data.

Built-in builders:

=============== ========================================= ================================
name            class                                     what it measures
=============== ========================================= ================================
``behaviour``   :class:`.behaviour.BehaviourFeatures`     actions, channels, engagement,
                                                          activity, recency, conversions
``graph``       :class:`.graph.GraphFeatures`             followers, following, reciprocity,
                                                          PageRank, k-core
``interaction`` :class:`.interaction.InteractionFeatures` being acted on (reshared,
                                                          mentioned, replied to) by members
=============== ========================================= ================================

Builder modules are imported lazily, through the registry, so importing this package is
cheap.

Examples
--------
>>> import pandas as pd
>>> from clusterkit.data import CommunityData
>>> from clusterkit.features import build_features
>>> events = pd.DataFrame({"member_id": ["a", "b"], "action": ["post", "share"],
...                        "timestamp": ["2024-01-01", "2024-01-02"],
...                        "target_id": [None, "a"]})
>>> follows = pd.DataFrame({"follower_id": ["b"], "followee_id": ["a"]})
>>> data = CommunityData.from_frames(events=events, follows=follows)
>>> table, warnings = build_features(data, [("behaviour", {}), ("graph", {"damping": 0.9}),
...                                         ("interaction", None)])
>>> table.loc["a", ["created", "followers", "amplifiers"]].tolist()
[1.0, 1.0, 1.0]
>>> warnings
[]
"""

from __future__ import annotations

import pandas as pd

from clusterkit.provenance import step_detail

__all__ = ["build_features"]


def build_features(data, specs, weights=None) -> tuple[pd.DataFrame, list[str]]:
    """Run feature builders and join their tables column-wise.

    Parameters
    ----------
    data : clusterkit.data.CommunityData
        The validated data.
    specs : iterable of (str, dict or None)
        Builder name (as registered under kind ``"features"``) and its parameters.
    weights : clusterkit.weights.EngagementWeights, optional
        The run's engagement weights, given to every builder (DESIGN §2 defaults when
        omitted).

    Returns
    -------
    table : pandas.DataFrame
        Index ``data.member_ids`` (name ``member_id``), the builders' columns in order.
    warnings : list of str
        The builders' ``warnings_``, each prefixed with the builder name.

    Raises
    ------
    clusterkit.errors.UnknownStageError
        For a name that is not registered.
    clusterkit.errors.ConfigError
        For unknown or invalid parameters, or when two builders produce the same column.
    """
    from clusterkit.errors import ConfigError
    from clusterkit.registry import create_stage

    tables: list[pd.DataFrame] = []
    warnings: list[str] = []
    owner: dict[str, str] = {}
    for name, params in specs:
        step_detail(name)
        builder = create_stage("features", name, params)
        table = builder.build(data, weights=weights)
        clash = [c for c in table.columns if c in owner]
        if clash:
            raise ConfigError(
                f"feature builders {owner[clash[0]]!r} and {name!r} both produce column(s) "
                f"{', '.join(map(repr, clash[:5]))}; use each builder once or drop one of them."
            )
        owner.update(dict.fromkeys(table.columns, name))
        tables.append(table)
        warnings.extend(f"{name}: {w}" for w in getattr(builder, "warnings_", []) or [])
    index = data.member_ids.copy()
    index.name = "member_id"
    if not tables:
        return pd.DataFrame(index=index, dtype="float64"), warnings
    out = pd.concat(tables, axis=1)
    out.index.name = "member_id"
    return out, warnings
