"""Behaviour features: what each member does, how often, where and how recently.

Aggregation runs in DuckDB SQL over the events frame (members as integer positions,
:meth:`~clusterkit.data.CommunityData.event_codes`); the member × action and
member × channel count tables are pivoted and summarised with NumPy (no Python loop over
members or events).
"""

from __future__ import annotations

import re
from typing import ClassVar

import numpy as np
import pandas as pd

from clusterkit.data.schema import CONTENT_ACTIONS, CONVERSION_ACTIONS
from clusterkit.data.sql import sql, sql_list
from clusterkit.provenance import side_by_side, usable_cores
from clusterkit.registry import register
from clusterkit.stages.base import BaseStage
from clusterkit.weights import EngagementWeights, check_weights

__all__ = ["BASE_COLUMNS", "BehaviourFeatures", "column_key", "unknown_actions_note"]

BASE_COLUMNS: tuple[str, ...] = (
    "n_events",
    "engagement",
    "active_days",
    "recency",
    "tenure_days",
    "created",
    "reacted",
    "created_ratio",
    "n_channels",
    "channel_entropy",
    "conversions",
    "value_total",
)
"""Behaviour columns present whatever the data (zero without an events table)."""

_US_PER_DAY = 86_400_000_000.0
_RECENCY_HALF_LIFE_DAYS = 30.0
_KEY_SQL = "regexp_replace({}, '[^a-z0-9_]', '_', 'g')"


def column_key(name: str) -> str:
    """Lower-case ``name`` and replace characters other than ``[a-z0-9_]`` by ``_``.

    Examples
    --------
    >>> column_key("Blog-Post")
    'blog_post'
    """
    return re.sub(r"[^a-z0-9_]", "_", str(name).lower())


def unknown_actions_note(per_action: pd.Series, weights) -> str | None:
    """The warning for actions outside the weights' vocabulary, or None.

    ``per_action``: events per action (index: action); ``weights``: the run's
    :class:`~clusterkit.weights.EngagementWeights`. Most frequent first, ties by name.

    Examples
    --------
    >>> from clusterkit.weights import EngagementWeights
    >>> unknown_actions_note(pd.Series({"like": 9, "poke": 2, "wave": 2}), EngagementWeights())
    'unknown actions weighted with default_weight=1.0: poke (2), wave (2)'
    """
    unknown = per_action[~per_action.index.isin(list(weights.table))]
    if not len(unknown):
        return None
    unknown = unknown.sort_index().sort_values(ascending=False, kind="stable")
    listed = ", ".join(f"{a} ({int(n)})" for a, n in unknown.items())
    return f"unknown actions weighted with default_weight={float(weights.default)}: {listed}"


def _pivot(long: pd.DataFrame, index: pd.Index, prefix: str) -> pd.DataFrame:
    """Long (member_id, key, n) counts → wide member × ``prefix + key``, zeros filled.

    ``long["member_id"]`` holds member positions in ``index``; the result is indexed by
    ``index``.
    """
    wide = long.pivot_table(index="member_id", columns="key", values="n", aggfunc="sum")
    wide = wide.reindex(index=np.arange(len(index)), columns=sorted(wide.columns),
                        fill_value=0.0).fillna(0.0)
    wide.index = index
    wide.columns = [prefix + str(c) for c in wide.columns]
    return wide.astype("float64")


_EVENT_COLUMNS = ("member_id", "action", "timestamp", "channel", "value")
_BASE_SQL = """
    WITH ev AS (
        SELECT member_id, action, {chan} AS channel, epoch_us(timestamp) AS ts_us,
               {value} AS value
        FROM events
    ), r AS (SELECT max(ts_us) AS ref_us FROM ev)
"""
_MAIN_SQL = (
    _BASE_SQL
    + """
    SELECT ev.member_id, any_value(r.ref_us) AS ref_us, count(*) AS n_events,
        sum(coalesce(aw.weight, {default}) * coalesce(cw.weight, 1.0) * {decay}) AS engagement,
        count(DISTINCT floor(ts_us / {day})) AS active_days,
        max(ts_us) AS last_us, min(ts_us) AS first_us,
        count(*) FILTER (WHERE ev.action IN ({content})) AS created,
        count(*) FILTER (WHERE ev.action IN ({conversion})) AS conversions,
        sum(value) AS value_total
    FROM ev CROSS JOIN r
    LEFT JOIN aw ON ev.action = aw.action
    LEFT JOIN cw ON ev.channel = cw.channel
    GROUP BY ev.member_id
"""
)
_MIX_SQL = (
    _BASE_SQL
    + """
    SELECT member_id, action, {action_key} AS key, channel, count(*) AS n
    FROM ev GROUP BY member_id, action, channel
"""
)


def _channel_keys(channel: pd.Series) -> pd.Series:
    """The channel key of every event (lower-cased, ``[a-z0-9_]``, missing → ``unknown``).

    The SQL expression is evaluated once per distinct channel (a handful) instead of once
    per event, and the keys are spread back by the channels' codes, in event order.
    """
    import pyarrow as pa

    codes, uniques = pd.factorize(channel, use_na_sentinel=True)
    distinct = pd.DataFrame({"i": np.arange(len(uniques) + 1, dtype=np.int64),
                             "channel": pd.Series([*np.asarray(uniques, dtype=object), None],
                                                  dtype=object)})
    keys = sql(f"SELECT i, coalesce({_KEY_SQL.format('lower(channel)')}, 'unknown') AS key "
               "FROM distinct_channels ORDER BY i", distinct_channels=distinct)["key"]
    codes = np.where(codes < 0, len(uniques), codes)  # missing: the NULL row
    keys = pa.array(keys.to_numpy(dtype=object), type=pa.string()).take(pa.array(codes))
    return pd.Series(pd.arrays.ArrowStringArray(keys), index=channel.index, name="channel")


def _aggregate(tables, has_channel, has_value, default_weight, half_life_days):
    """Per-member aggregates and (member, action, channel) counts, in DuckDB SQL."""
    decay = "1.0"
    if half_life_days is not None:
        decay = f"power(0.5, (r.ref_us - ts_us) / {_US_PER_DAY} / {float(half_life_days)})"
    parts = {
        "chan": "'unknown'",
        "value": "coalesce(CAST(value AS DOUBLE), 0)" if has_value else "0.0",
        "default": float(default_weight),
        "decay": decay,
        "day": _US_PER_DAY,
        "content": sql_list(CONTENT_ACTIONS),
        "conversion": sql_list(CONVERSION_ACTIONS),
        "action_key": _KEY_SQL.format("action"),
    }
    if has_channel:  # keys made once per distinct channel
        tables = {**tables, "events": tables["events"].assign(
            channel=_channel_keys(tables["events"]["channel"]))}
        parts["chan"] = "channel"
    # two independent queries, each on its own one-thread connection (deterministic), side
    # by side where the process may use two cores
    main, mix = side_by_side(lambda q: sql(q.format(**parts), **tables),
                             [(_MAIN_SQL,), (_MIX_SQL,)], usable_cores())
    mix["action"] = mix["action"].astype(object)
    return main, mix


@register("features", "behaviour")
class BehaviourFeatures(BaseStage):
    """Per-member activity, engagement, recency and channel mix from the events table.

    Attributes
    ----------
    warnings_ : list of str
        Set by :meth:`build`: unknown actions and their counts.
    reference_time_ : pandas.Timestamp or None
        The latest event timestamp (all ages and recencies are measured to it).

    Notes
    -----
    Columns (all float64; members without events get 0 everywhere):

    ===================== =================================================================
    column                meaning
    ===================== =================================================================
    ``act_<action>``      events per action present in the data, actions sorted; characters
                          other than ``[a-z0-9_]`` replaced by ``_`` (merged if they collide)
    ``chan_<channel>``    events per channel, only if events have a ``channel`` column;
                          channel lower-cased and normalised as above, missing → ``unknown``
    ``n_events``          number of events
    ``engagement``        sum of action weight × channel weight × time decay (1 without
                          ``half_life_days``)
    ``active_days``       distinct UTC calendar days with an event
    ``recency``           ``0.5 ** (days since the member's last event / 30)``, in (0, 1];
                          0 without events (0 always means inactive)
    ``tenure_days``       days from the member's first event to the reference time
    ``created``           events whose action is in ``CONTENT_ACTIONS`` (post, blog_post,
                          video)
    ``reacted``           all other events
    ``created_ratio``     created / (created + reacted)
    ``n_channels``        distinct channels used (a missing channel counts as ``unknown``;
                          without a channel column every event is on ``unknown``)
    ``channel_entropy``   Shannon entropy, in bits, of the member's channel distribution
    ``conversions``       events whose action is in ``CONVERSION_ACTIONS`` (purchase)
    ``value_total``       sum of ``value`` (0 if the column is absent; missing values → 0)
    ===================== =================================================================

    The reference time is the latest timestamp in the events table. Without an events
    table only the columns from ``n_events`` on are returned, all zero.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterkit.data import CommunityData
    >>> events = pd.DataFrame({
    ...     "member_id": ["a", "a", "b"],
    ...     "action": ["post", "like", "share"],
    ...     "timestamp": ["2024-01-01T10:00Z", "2024-01-02T10:00Z", "2024-01-02T11:00Z"],
    ...     "channel": ["twitter", "blog", "twitter"],
    ... })
    >>> data = CommunityData.from_frames(events=events)
    >>> table = BehaviourFeatures().build(data)
    >>> cols = ["act_like", "act_post", "engagement", "created_ratio", "channel_entropy"]
    >>> table[cols]  # doctest: +NORMALIZE_WHITESPACE
               act_like  act_post  engagement  created_ratio  channel_entropy
    member_id
    a               1.0       1.0         3.0            0.5              1.0
    b               0.0       0.0         5.0            0.0              0.0
    """

    _constraints: ClassVar[dict[str, list]] = {}

    def build(self, data, weights: EngagementWeights | None = None) -> pd.DataFrame:
        """Build the behaviour table.

        Parameters
        ----------
        data : clusterkit.data.CommunityData
        weights : EngagementWeights, optional
            The run's engagement weights (DESIGN §2 defaults when omitted): ``engagement``
            sums action weight (``weights.default`` for unknown actions, which are
            recorded with their counts in ``warnings_``) × channel multiplier
            (``weights.channels``, keys matched after the same normalisation as ``chan_``
            columns) × time decay (``0.5 ** (age_days / weights.half_life_days)``, age
            measured to the reference time, when a half-life is set).

        Returns
        -------
        pandas.DataFrame
            Index ``data.member_ids`` (name ``member_id``), float64 columns as in the
            class notes, no NaN.
        """
        ew = weights if weights is not None else EngagementWeights()
        weights = ew.table
        chan_w = check_weights(ew.channels, "channel_weights")
        chan_w = {column_key(k): v for k, v in chan_w.items()}
        self.warnings_ = []
        self.reference_time_ = None
        index = data.member_ids.copy()
        index.name = "member_id"
        events = data.events
        if events is None or len(events) == 0:
            return pd.DataFrame(0.0, index=index, columns=list(BASE_COLUMNS))

        tables = {  # member_id as the member's position: SQL groups integers, not strings
            "events": events[[c for c in _EVENT_COLUMNS if c in events.columns]].assign(
                member_id=data.event_codes()[0]),
            "aw": pd.DataFrame({"action": list(weights), "weight": list(weights.values())}),
            "cw": pd.DataFrame(
                {
                    "channel": pd.Series(list(chan_w), dtype=object),
                    "weight": pd.Series(list(chan_w.values()), dtype="float64"),
                }
            ),
        }
        main, mix = _aggregate(
            tables,
            "channel" in events.columns,
            "value" in events.columns,
            ew.default,
            ew.half_life_days,
        )
        act_table = _pivot(mix, index, "act_")
        chan_table = _pivot(
            mix.drop(columns="key").rename(columns={"channel": "key"}), index, "chan_"
        )
        counts = chan_table.to_numpy()
        if "channel" not in events.columns:
            chan_table = chan_table.iloc[:, :0]

        note = unknown_actions_note(mix.groupby("action", sort=True)["n"].sum(), ew)
        if note:
            self.warnings_.append(note)

        ref_us = float(main["ref_us"].iloc[0])
        self.reference_time_ = pd.Timestamp(int(ref_us), unit="us", tz="UTC")
        m = main.set_index("member_id").reindex(np.arange(len(index))).astype("float64")
        m.index = index
        has = m["n_events"].notna().to_numpy()
        out = m.drop(columns=["ref_us", "last_us", "first_us"]).fillna(0.0)
        n, created = out["n_events"].to_numpy(), out["created"].to_numpy()
        since_last = (ref_us - m["last_us"].to_numpy()) / _US_PER_DAY
        out["recency"] = np.where(has, 0.5 ** (since_last / _RECENCY_HALF_LIFE_DAYS), 0.0)
        out["tenure_days"] = np.where(has, (ref_us - m["first_us"].to_numpy()) / _US_PER_DAY, 0)
        out["reacted"] = n - created
        out["created_ratio"] = np.divide(created, n, out=np.zeros_like(n), where=n > 0)
        total = counts.sum(axis=1, keepdims=True)
        p = np.divide(counts, total, out=np.zeros_like(counts), where=total > 0)
        logp = np.log2(p, out=np.zeros_like(p), where=p > 0)
        out["n_channels"] = (counts > 0).sum(axis=1)
        out["channel_entropy"] = np.abs(-(p * logp).sum(axis=1))
        out = out[list(BASE_COLUMNS)]
        table = pd.concat([act_table, chan_table, out], axis=1).astype("float64")
        table.index.name = "member_id"
        return table
