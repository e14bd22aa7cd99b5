"""Behaviour features on Spark from the same SQL text as the DuckDB builder.

:class:`clusterkit.features.behaviour.BehaviourFeatures` aggregates events in DuckDB SQL
(``_MAIN_SQL``) and derives the per-member columns with NumPy. Here the very same SQL text
runs as Spark SQL, after :func:`spark_sql` rewrites the few spots where the dialects
differ, and the derived columns are Spark column expressions with the builder's formulas.

Assumptions
-----------
- The dialects differ only where :data:`DIALECT` says: DuckDB's ``epoch_us(ts)`` is Spark's
  ``unix_micros(ts)``, and DuckDB's global ``regexp_replace(..., 'g')`` flag is Spark's
  default. Everything else in the text (``FILTER (WHERE …)``, ``any_value``, ``power``,
  ``count(DISTINCT …)``, CTEs, ``CROSS JOIN``) is read the same by both. Spark reads a
  literal such as ``86400000000.0`` as a DECIMAL where DuckDB reads a DOUBLE: the
  divisions then round once at the end instead of at each step, within 1e-15 relative.
- Events carry ``member_id`` (string), ``action``, ``timestamp`` (a Spark TIMESTAMP, UTC
  session) and optionally ``channel`` and ``value``. ``member_id`` is grouped as given:
  the DuckDB builder groups member positions, which is the same grouping.
- The session's temporary views ``events``, ``aw`` and ``cw`` are (re)defined by a call,
  so two calls in one session must not run concurrently.
- :func:`behaviour_features` builds the base columns that come from ``_MAIN_SQL``
  (``n_events``, ``engagement``, ``active_days``, ``recency``, ``tenure_days``,
  ``created``, ``reacted``, ``created_ratio``, ``conversions``, ``value_total``);
  :func:`behaviour_table` adds the per-action and per-channel counts (``_MIX_SQL``, the
  same text, pivoted on the keys found, which are few and collected sorted), ``n_channels``
  and ``channel_entropy``: every column of the DuckDB builder, in its order.
"""

from __future__ import annotations

from clusterkit.errors import ConfigError, DataError
from clusterkit.features.behaviour import (
    _KEY_SQL,
    _MAIN_SQL,
    _MIX_SQL,
    _RECENCY_HALF_LIFE_DAYS,
    _US_PER_DAY,
    BASE_COLUMNS,
    column_key,
)

__all__ = ["DIALECT", "SPARK_BEHAVIOUR_COLUMNS", "behaviour_features", "behaviour_table",
           "spark_sql"]

DIALECT: tuple[tuple[str, str], ...] = (
    ("epoch_us(", "unix_micros("),
    (", 'g')", ")"),
)
"""(DuckDB text, Spark text) rewrites, applied in order by :func:`spark_sql`."""

SPARK_BEHAVIOUR_COLUMNS: tuple[str, ...] = (
    "n_events", "engagement", "active_days", "recency", "tenure_days", "created", "reacted",
    "created_ratio", "conversions", "value_total",
)
"""Columns :func:`behaviour_features` builds (a subset of ``BASE_COLUMNS``, same meaning)."""


def spark_sql(duckdb_sql: str) -> str:
    """The Spark SQL reading of a DuckDB SQL text of the project (see :data:`DIALECT`).

    Examples
    --------
    >>> spark_sql("SELECT epoch_us(t), regexp_replace(a, 'x', '_', 'g') FROM e")
    "SELECT unix_micros(t), regexp_replace(a, 'x', '_') FROM e"
    """
    for duck, spark in DIALECT:
        duckdb_sql = duckdb_sql.replace(duck, spark)
    return duckdb_sql


def _main_sql(has_channel: bool, has_value: bool, weights, text: str = _MAIN_SQL) -> str:
    """``text`` (``_MAIN_SQL`` or ``_MIX_SQL``) filled as
    :func:`clusterkit.features.behaviour._aggregate` fills it."""
    from clusterkit.data.schema import CONTENT_ACTIONS, CONVERSION_ACTIONS
    from clusterkit.data.sql import sql_list

    decay = "1.0"
    if weights.half_life_days is not None:
        decay = (f"power(0.5, (r.ref_us - ts_us) / {_US_PER_DAY} / "
                 f"{float(weights.half_life_days)})")
    return spark_sql(text.format(
        chan="channel" if has_channel else "'unknown'",
        value="coalesce(CAST(value AS DOUBLE), 0)" if has_value else "0.0",
        default=float(weights.default), decay=decay, day=_US_PER_DAY,
        content=sql_list(CONTENT_ACTIONS), conversion=sql_list(CONVERSION_ACTIONS),
        action_key=_KEY_SQL.format("action")))


def behaviour_features(events, members=None, weights=None):
    """Behaviour base columns per member, on Spark, from the DuckDB builder's SQL.

    Parameters
    ----------
    events : pyspark.sql.DataFrame
        Columns ``member_id``, ``action``, ``timestamp``; optional ``channel``, ``value``.
    members : pyspark.sql.DataFrame, optional
        Column ``member_id``: members without events get a row of zeros (as in the DuckDB
        builder). Without it, only members with events are returned.
    weights : clusterkit.weights.EngagementWeights, optional
        Action and channel weights and the half-life (DESIGN §2 defaults when omitted).

    Returns
    -------
    pyspark.sql.DataFrame
        ``member_id`` and the float64 columns of :data:`SPARK_BEHAVIOUR_COLUMNS`, ordered
        by ``member_id``; equal to :class:`~clusterkit.features.behaviour.BehaviourFeatures`'
        columns to 1e-9 on the same data.
    """
    from pyspark.sql import DataFrame
    from pyspark.sql import functions as F

    from clusterkit.weights import EngagementWeights, check_weights

    if not isinstance(events, DataFrame):
        raise ConfigError(f"events must be a Spark DataFrame, got {type(events).__name__}")
    missing = [c for c in ("member_id", "action", "timestamp") if c not in events.columns]
    if missing:
        raise DataError(f"missing column(s) {missing} (has {list(events.columns)})",
                        file="events")
    ew = weights if weights is not None else EngagementWeights()
    chan_w = {column_key(k): float(v)
              for k, v in check_weights(ew.channels, "channel_weights").items()}
    spark = events.sparkSession
    has_channel, has_value = "channel" in events.columns, "value" in events.columns
    ev = events.select(*[c for c in ("member_id", "action", "timestamp", "channel", "value")
                         if c in events.columns])
    if has_channel:  # the builder's channel key: the same expression text
        key = spark_sql(_KEY_SQL.format("lower(channel)"))
        ev = ev.withColumn("channel", F.coalesce(F.expr(key), F.lit("unknown")))
    ev.createOrReplaceTempView("events")
    spark.createDataFrame([(str(a), float(w)) for a, w in ew.table.items()],
                          "action string, weight double").createOrReplaceTempView("aw")
    spark.createDataFrame(list(chan_w.items()),
                          "channel string, weight double").createOrReplaceTempView("cw")
    main = spark.sql(_main_sql(has_channel, has_value, ew))
    day, half = F.lit(_US_PER_DAY), F.lit(_RECENCY_HALF_LIFE_DAYS)
    n, created = F.col("n_events").cast("double"), F.col("created").cast("double")
    out = main.select(
        "member_id",
        n.alias("n_events"),
        F.col("engagement").cast("double").alias("engagement"),
        F.col("active_days").cast("double").alias("active_days"),
        F.pow(F.lit(0.5), ((F.col("ref_us") - F.col("last_us")) / day) / half).alias("recency"),
        ((F.col("ref_us") - F.col("first_us")) / day).alias("tenure_days"),
        created.alias("created"),
        (n - created).alias("reacted"),
        F.when(n > 0, created / n).otherwise(0.0).alias("created_ratio"),
        F.col("conversions").cast("double").alias("conversions"),
        F.col("value_total").cast("double").alias("value_total"),
    )
    if members is not None:
        out = (members.select("member_id").join(out, "member_id", "left")
               .fillna(0.0, subset=list(SPARK_BEHAVIOUR_COLUMNS)))
    return out.select("member_id", *SPARK_BEHAVIOUR_COLUMNS).orderBy("member_id")


def _pivot(mix, key: str, prefix: str):
    """(member_id, ``prefix`` + key, ...) counts: ``mix`` summed per member and ``key``,
    one column per key found (sorted; keys that collide after normalisation are merged)."""
    from pyspark.sql import functions as F

    keys = sorted(r[0] for r in mix.select(key).distinct().collect())  # a handful
    wide = mix.groupBy("member_id").pivot(key, keys).agg(F.sum("n"))
    return wide.select("member_id", *[F.coalesce(F.col(f"`{k}`"), F.lit(0)).cast("double")
                                      .alias(prefix + k) for k in keys]), keys


def behaviour_table(events, members, weights=None):
    """Every behaviour column of :class:`~clusterkit.features.behaviour.BehaviourFeatures`,
    on Spark, in the builder's order.

    Parameters
    ----------
    events : pyspark.sql.DataFrame
        As for :func:`behaviour_features`.
    members : pyspark.sql.DataFrame
        Column ``member_id``: every member (those without events get zeros).
    weights : clusterkit.weights.EngagementWeights, optional

    Returns
    -------
    pyspark.sql.DataFrame
        ``member_id``, ``act_<action>`` (actions sorted), ``chan_<channel>`` (only with a
        ``channel`` column), then :data:`~clusterkit.features.behaviour.BASE_COLUMNS`;
        ordered by ``member_id``.
    """
    from pyspark.sql import functions as F

    from clusterkit.weights import EngagementWeights

    ew = weights if weights is not None else EngagementWeights()
    base = behaviour_features(events, members, ew)  # checks the frame; defines the views
    spark = events.sparkSession
    has_channel = "channel" in events.columns
    mix = spark.sql(_main_sql(has_channel, "value" in events.columns, ew, _MIX_SQL))
    mix = mix.localCheckpoint(eager=True)  # read twice below: once per pivot
    acts, _ = _pivot(mix.select("member_id", "key", "n"), "key", "act_")
    chans, keys = _pivot(mix.select("member_id", "channel", "n"), "channel", "chan_")
    counts = [F.col("chan_" + k) for k in keys]
    total = sum(counts[1:], counts[0]) if counts else F.lit(0.0)
    p = [F.when(total > 0, c / total).otherwise(0.0) for c in counts]
    plogp = [F.when(q > 0, q * F.log2(q)).otherwise(0.0) for q in p]
    derived = chans.select(
        "member_id", *([] if not has_channel else [F.col("chan_" + k) for k in keys]),
        sum([(c > 0).cast("double") for c in counts], F.lit(0.0)).alias("n_channels"),
        F.abs(-sum(plogp, F.lit(0.0))).alias("channel_entropy"))
    act_cols = [c for c in acts.columns if c != "member_id"]
    chan_cols = [c for c in derived.columns if c.startswith("chan_")] if has_channel else []
    out = (base.join(acts, "member_id", "left").join(derived, "member_id", "left")
           .fillna(0.0, subset=act_cols + chan_cols + ["n_channels", "channel_entropy"]))
    return out.select("member_id", *act_cols, *chan_cols, *BASE_COLUMNS).orderBy("member_id")
