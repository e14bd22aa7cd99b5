"""The ``rules`` roles of every member on Spark, one partition at a time.

:class:`~clusterkit.stages.roles.rules.RuleRoles` reads more than one member where it
reads its thresholds: the influencer's (the median follower count, the break between
amplified creators' modes, their conversation and response medians, and the largest
``following``: whether followers come from a follow graph), the fan's (the break in active
members' deep reactions, their mix of deep kinds, and the median depth over the threshold)
and the blogger's reach. All read a distribution, not an order. Here every per-member part
runs where the rows are (``mapInPandas``, the stage's own code on each batch); the
distributions come to the driver as counts per distinct value (amplifier and follower counts
are integers, so a few thousand rows at any size), where the stage's own code reads the
thresholds; then every partition applies them.

Assumptions
-----------
- The table is the raw member × feature table (:func:`~clusterkit.engines.spark.feature_table`,
  one row per member, a ``member_id`` column, no nulls: that table fills them with 0).
- Executors run Python with clusterkit installed (a pandas function runs there: on a
  cluster, ship the environment, e.g. ``spark-submit --archives env.tar.gz#env`` with
  ``PYSPARK_PYTHON=./env/bin/python``).
- Exact: every per-member value is computed by the same code as one machine's fit, and
  the thresholds read the same multiset of values with the same code (Otsu's histogram,
  quantiles, and the mixture break, which sorts its values before it sums them). Tested
  equal, bit for bit, on tables in several partitionings.

Examples
--------
>>> from clusterkit.engines.spark.roles import rule_roles              # doctest: +SKIP
>>> frame, found = rule_roles(table, RuleRoles(), weights)            # doctest: +SKIP
>>> frame.columns                                                     # doctest: +SKIP
['member_id', 'role', 'secondary_role', 'role_confidence', 'role_explanation']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ROLE_SCHEMA", "fitted_roles", "rule_roles"]

ROLE_SCHEMA = ("member_id string, role string, secondary_role string, "
               "role_confidence double, role_explanation string")
"""The columns :func:`rule_roles` gives, one row per member."""


def _values(frame: pd.DataFrame, value: str, *others: str):
    """Counts per distinct value (a collected ``groupBy().count()``) back to one entry per
    member, sorted by value: the same multiset as the members' own column."""
    frame = frame.sort_values([value, *others], kind="stable")
    counts = frame["count"].to_numpy(dtype=np.int64)
    return [np.repeat(frame[c].to_numpy(), counts) for c in (value, *others)]


def rule_roles(table, stage, weights=None):
    """The roles ``stage`` gives every member of the Spark feature table ``table``.

    Parameters
    ----------
    table : pyspark.sql.DataFrame
        The raw feature table: ``member_id`` and the feature columns.
    stage : clusterkit.stages.roles.rules.RuleRoles
        Its parameters are used; it is not fitted here.
    weights : clusterkit.weights.EngagementWeights, optional
        The run's engagement weights (DESIGN §2 defaults when omitted).

    Returns
    -------
    (pyspark.sql.DataFrame, dict)
        One row per member (:data:`ROLE_SCHEMA`), computed lazily, partition by partition;
        and the thresholds read from every member (what :meth:`RuleRoles.apply` takes).
    """
    stage = stage.__class__(**stage.get_params(deep=False))
    stage._validate_params()  # as fit would: the parts below do not check them
    from pyspark.sql import functions as F

    from clusterkit.stages.roles.response import graph_followers
    from clusterkit.weights import EngagementWeights

    stage.weights_ = weights if weights is not None else EngagementWeights()
    maxima = {"tenure_days": F.max("tenure_days"),  # following: NaN-free, as follow_graph
              "following": F.max(F.when(~F.isnan("following"), F.col("following")))}
    present = [m.alias(c) for c, m in maxima.items() if c in table.columns]
    top = table.agg(*present).first().asDict() if present else {}
    longest = top.get("tenure_days")
    graph = graph_followers((top["following"] or 0.0) if "following" in top else None)
    months = stage.months(pd.DataFrame({"tenure_days": [float(longest or 0.0)]}))

    def influencer_pool(batches):
        for X in batches:
            yield stage.influencer_pool(X, months)

    pool = table.mapInPandas(influencer_pool,
                             "amplifiers double, conversers double, followers double, "
                             "creator boolean, received double, content_rate double")
    pool = pool.localCheckpoint(eager=True)  # read five times
    followers, received, content_rates = (
        _values(pool.where(f"{c} > 0 AND NOT isnan({c})").groupBy(c).count().toPandas(),
                c)[0] for c in ("followers", "received", "content_rate"))
    answered = pool.where("creator").agg(F.avg(
        ((F.col("received") > 0) & ~F.isnan("received")).cast("double"))).first()[0]
    blogger = stage.blogger_found(received, content_rates,
                                  1.0 if answered is None else float(answered))

    def gated(batches):  # the creators who pass the blogger's gate (RuleRoles.creators)
        for P in batches:
            yield P.assign(gated=stage.creators(P, blogger))[
                ["amplifiers", "creator", "gated", "followers", "conversers"]]

    columns = ("amplifiers", "creator", "gated", "followers", "conversers")
    amp, creators, passed, audience, talk = _values(
        pool.where("amplifiers > 0").mapInPandas(
            gated, "amplifiers double, creator boolean, gated boolean, followers double, "
                   "conversers double")
        .groupBy(*columns).count().toPandas(), *columns)
    pool.unpersist()
    creators = stage.reading_creators(amp, creators.astype(bool), passed.astype(bool))
    found = {"months": months,
             "influencer": stage.influencer_found(amp, followers, creators, audience, talk,
                                                 graph),
             "blogger": blogger}

    def fan_pool(batches):
        for X in batches:
            yield pd.DataFrame({"rate": stage.fan_pool(X, found)})

    rates = table.mapInPandas(fan_pool, "rate double").groupBy("rate").count().toPandas()
    found["fan"] = stage.fan_found(_values(rates, "rate")[0], _kinds(table, stage, found))
    found["fan"]["depth"] = _depth(table, stage, found)

    def apply(batches):
        for X in batches:
            fitted = stage.apply(X, found)
            yield pd.DataFrame({
                "member_id": X["member_id"].to_numpy(), "role": fitted.roles_,
                "secondary_role": fitted.secondary_, "role_confidence": fitted.confidence_,
                "role_explanation": np.asarray(fitted.explanations_, dtype=object)})

    return table.mapInPandas(apply, ROLE_SCHEMA), found


def _depth(table, stage, found) -> dict:
    """The depth test's reference (:meth:`RuleRoles.depth_found`) from the depths of the
    members over the fan's volume threshold (:meth:`RuleRoles.depth_pool`), collected as
    counts per distinct value; the test off (``fan_depth_ratio=0``) skips it."""
    if stage.fan_depth_ratio <= 0:
        return {}

    def depth_pool(batches):
        for X in batches:
            yield pd.DataFrame({"share": stage.depth_pool(X, found)})

    shares = table.mapInPandas(depth_pool, "share double").groupBy("share").count().toPandas()
    return stage.depth_found(_values(shares, "share")[0])


def _kinds(table, stage, found):
    """The fan pool's counts per deep kind (:meth:`RuleRoles.breadth_pool`), as counts per
    distinct row: the same multiset of rows as one machine reads. Unlike the other
    distributions this can reach one row per pool member (a vector of a few small integer
    counts each) on the driver; the breadth test off (``fan_breadth_alpha=0``) skips it."""
    from clusterkit.stages.roles.breadth import deep_kinds

    names = deep_kinds(pd.DataFrame(columns=list(table.columns)), stage.shallow_actions)[0]
    if not names or stage.fan_breadth_alpha <= 0:
        return names, np.zeros((0, len(names)))
    cols = [f"k{i}" for i in range(len(names))]

    def breadth_pool(batches):
        for X in batches:
            yield pd.DataFrame(stage.breadth_pool(X, found)[1], columns=cols)

    rows = (table.mapInPandas(breadth_pool, ", ".join(f"{c} double" for c in cols))
            .groupBy(*cols).count().toPandas())
    return names, np.column_stack(_values(rows, *cols))


def fitted_roles(stage, frame: pd.DataFrame, found: dict, member_ids, weights=None):
    """A fitted copy of ``stage`` whose attributes are :func:`rule_roles`' collected rows
    ``frame``, in the order of ``member_ids`` (the data's members).

    Raises
    ------
    clusterkit.errors.DataError
        When ``frame`` does not hold every member of ``member_ids`` exactly once.
    """
    from clusterkit.errors import DataError
    from clusterkit.weights import EngagementWeights

    ids = pd.Index(np.asarray(member_ids, dtype=object))
    pos = ids.get_indexer(frame["member_id"].to_numpy(dtype=object))
    if len(frame) != len(ids) or (pos < 0).any() or len(np.unique(pos)) != len(pos):
        raise DataError(f"Spark gave roles for {len(frame):,} rows and the data has "
                        f"{len(ids):,} members: the data changed while it was read; run again")
    rows = np.empty(len(pos), dtype=np.int64)
    rows[pos] = np.arange(len(pos))
    fitted = stage.__class__(**stage.get_params(deep=False))
    fitted.weights_ = weights if weights is not None else EngagementWeights()
    fitted.thresholds_ = fitted.recorded_thresholds(found)
    fitted.roles_ = frame["role"].to_numpy(dtype=object)[rows]
    fitted.secondary_ = frame["secondary_role"].to_numpy(dtype=object)[rows]
    fitted.confidence_ = frame["role_confidence"].to_numpy(dtype=np.float64)[rows]
    # taken in Arrow: not one Python string per member (0.86 GB at 1,000,000 members)
    fitted.explanations_ = frame["role_explanation"].astype("str").array.take(rows)
    return fitted
