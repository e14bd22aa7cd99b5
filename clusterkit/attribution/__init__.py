"""Journeys and attribution: what each channel and action contributes to conversion.

Typical use::

    from clusterkit.attribution import attribute, build_journeys, compare_models

    spells = build_journeys(data, conversions=("purchase",), level="action",
                            lookback_days=None)             # whole spells
    table = compare_models(spells, level="channel", bootstrap=100, random_state=0,
                           lookback_days=30)                # windows for the rule models
    default = attribute(spells, "model", level="action")
    journeys = window_journeys(spells, 30)
    weights = learned_weights(default, journeys)         # action x channel weights
    write_weights_yaml("weights.yaml", weights)          # run --set weights_file=...

Modules: :mod:`~.journeys` (DuckDB SQL), :mod:`~.heuristic`, :mod:`~.markov` (exact),
:mod:`~.shapley`, :mod:`~.hazard` (the default), :mod:`~.model` (logistic),
:mod:`~.bootstrap`, :mod:`~.weights`,
:mod:`~.outputs` (artefacts and :class:`AttributionConfig`), :mod:`~.figures` (Sankey of
journey flows, bars with intervals, for a report), :mod:`~.api`.
"""

from clusterkit.attribution.api import DEFAULT_MODELS, MODELS, attribute, compare_models
from clusterkit.attribution.journeys import (
    JOURNEY_COLUMNS,
    TOUCH_SEP,
    build_journeys,
    to_channel_level,
    window_journeys,
    write_journeys,
)
from clusterkit.attribution.outputs import (
    AttributionConfig,
    attribution_config,
    attribution_csv,
    attribution_outputs,
    write_attribution,
)
from clusterkit.attribution.weights import learned_weights, weights_table, write_weights_yaml

__all__ = [
    "DEFAULT_MODELS",
    "JOURNEY_COLUMNS",
    "MODELS",
    "TOUCH_SEP",
    "AttributionConfig",
    "attribute",
    "attribution_config",
    "attribution_csv",
    "attribution_outputs",
    "build_journeys",
    "compare_models",
    "learned_weights",
    "to_channel_level",
    "weights_table",
    "window_journeys",
    "write_attribution",
    "write_journeys",
    "write_weights_yaml",
]
