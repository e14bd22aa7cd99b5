"""Rule roles on Spark, per partition (issue 13, part 3: the per-member stages): every
member's role, secondary role, confidence and explanation, and the thresholds, equal to one
machine's fit on the same table, whatever its partitions; a run on Spark uses them. Slow
(one ``local[2]`` session per module, conftest's ``spark`` fixture).
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

if os.environ.get("CLUSTERKIT_REQUIRE_SPARK") != "1":  # CI sets it: there a skip is a failure
    pytest.importorskip("pyspark")

pytestmark = pytest.mark.slow  # Spark warnings: filterwarnings in pyproject.toml


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """Planted data (2,000 members: enough for every threshold to be read from the data),
    as a whole, without events (graph only) and without follows (events only). Three
    members amplified by 20-40 distinct members bought followers (1,500 members follow
    them), so the response test flags them and its reference is read on Spark too."""
    from clusterkit.synthetic import generate

    t = generate(2000, seed=5).tables
    e = t["events"]
    e = e[e["action"].isin(["share", "retweet", "mention", "reply", "comment"])]
    amplified = e.groupby("target_id")["member_id"].nunique()
    top = amplified[(amplified >= 20) & (amplified <= 40)].sort_index().index[:3]
    buyers = pd.DataFrame({"follower_id": np.tile(np.sort(t["follows"]["follower_id"].unique())
                                                  [:1500], 3),
                           "followee_id": np.repeat(top.to_numpy(), 1500)})
    bought = pd.concat([t["follows"], buyers], ignore_index=True)
    bought = bought[bought["follower_id"] != bought["followee_id"]].drop_duplicates(
        ["follower_id", "followee_id"])
    root = tmp_path_factory.mktemp("roles")
    out = {"capped": root / "capped", "buyers": list(top)}
    out["capped"].mkdir()  # the follow export cut at the 100th largest audience
    f = t["follows"].sort_values(["followee_id", "follower_id"])
    cap = int(np.sort(f.groupby("followee_id").size().to_numpy())[-100])
    f[f.groupby("followee_id").cumcount() < cap].to_parquet(out["capped"] / "follows.parquet")
    for table in ("members", "events"):
        t[table].to_parquet(out["capped"] / f"{table}.parquet")
    for name, kept in (("whole", ("members", "events", "follows")),
                       ("graph_only", ("members", "follows")),
                       ("events_only", ("members", "events"))):
        out[name] = root / name
        out[name].mkdir()
        for table in kept:
            frame = bought if (name, table) == ("whole", "follows") else t[table]
            frame.to_parquet(out[name] / f"{table}.parquet")
    return out


def _table(spark, folder):
    from clusterkit.engines.spark import feature_table, read_tables

    tables = read_tables(spark, str(folder))
    return feature_table(*(tables.get(k) for k in ("events", "follows", "members")))


def _same(fitted, expected):
    assert np.array_equal(fitted.roles_, expected.roles_)
    assert np.array_equal(fitted.secondary_, expected.secondary_)
    assert np.array_equal(fitted.confidence_, expected.confidence_)
    assert list(fitted.explanations_) == list(expected.explanations_)
    assert fitted.thresholds_ == expected.thresholds_


@pytest.mark.parametrize("case", ["whole", "graph_only", "events_only", "capped"])
def test_rule_roles_on_spark_equal_the_fit_on_one_machine(spark, folders, case):
    """The same table on Spark (three and seven partitions, in another row order) and on
    the driver: identical roles, confidences, explanations and thresholds (read from the
    data, no fallback, on the whole data), with non-default parameters too."""
    from clusterkit.engines.spark.roles import fitted_roles, rule_roles
    from clusterkit.stages.roles.rules import RuleRoles
    from clusterkit.weights import EngagementWeights

    table = _table(spark, folders[case]).localCheckpoint(eager=True)
    X = table.toPandas().set_index("member_id").astype("float64").sort_index()
    weights = EngagementWeights(actions={"comment": 5.0})
    other = {"fan_scale": 0.6, "influencer_scale": 1.4, "reach_multiple": 8.0,
             "blogger_reach": 2.0, "creator_reach": 0.5, "creator_floor": 0.25}
    for params, parts in (({}, 3), (other, 7)):
        expected = RuleRoles(**params).fit(X, weights=weights)
        how = " ".join(expected.explanations_[:5])
        assert case != "whole" or "fallback" not in how, how  # thresholds from the data
        # the depth test flags members here, so its reference is read on Spark too
        assert case != "whole" or any("mostly passive" in t for t in expected.explanations_)
        # and so does the response test (the planted buyers), only with a follow graph
        held = {m for m, t in zip(X.index, expected.explanations_, strict=True)
                if "does not answer" in t}
        assert case != "whole" or held == set(folders["buyers"]), held
        assert ("influencer_response_median" in expected.thresholds_) == (
            case in ("whole", "capped"))
        shuffled = table.repartition(parts, "member_id")
        frame, found = rule_roles(shuffled, RuleRoles(**params), weights)
        _same(fitted_roles(RuleRoles(**params), frame.toPandas(), found, X.index, weights),
              expected)
    # the bloggers' reach read from the data (Spark: from counts of values), off without
    # interactions
    assert (expected.thresholds_["blogger_reach"] > 0) == (case != "graph_only")
    # the influencer's follower gate read from the amplified creators' followers too
    # (Spark: from counts of (amplifiers, creator, followers))
    how = expected.thresholds_.get("influencer_followers_how", "")
    if case == "capped":  # the gate held at the export's cap (Spark: from counts of values)
        how = RuleRoles().fit(X, weights=weights).thresholds_["influencer_followers_how"]
        assert "follow export's cap" in how, how  # with the default parameters, above
        return
    assert ("amplified content creators" in how) == (case != "graph_only")
    # the amplifiers conversation backs (Spark: counts of (amplifiers, conversers, ...))
    assert ("influencer_conversation_share" in expected.thresholds_) == (case != "graph_only")
    if case == "graph_only":
        assert set(expected.roles_) == {"influencer", "follower"}
    else:
        assert {"influencer", "blogger", "fan", "follower"} <= set(expected.roles_)


def test_collected_roles_must_cover_every_member_once(spark, folders):
    """Roles for other members than the data's (the data changed while read): one line."""
    from clusterkit.engines.spark.roles import fitted_roles, rule_roles
    from clusterkit.errors import DataError
    from clusterkit.stages.roles.rules import RuleRoles

    frame, found = rule_roles(_table(spark, folders["whole"]), RuleRoles())
    got = frame.toPandas()
    with pytest.raises(DataError, match="changed while it was read"):
        fitted_roles(RuleRoles(), got.iloc[1:], found, got["member_id"])
    with pytest.raises(DataError, match="changed while it was read"):
        fitted_roles(RuleRoles(), pd.concat([got.iloc[:1], got.iloc[:-1]]), found,
                     got["member_id"])


def test_a_run_on_spark_takes_its_roles_from_spark(spark, folders, monkeypatch):
    """With the rules stage, the driver never fits roles: Spark's are the run's, equal to
    one machine's; a config with another role stage fits on the driver."""
    from clusterkit.cli.spark_run import run_on_spark
    from clusterkit.config import RunConfig
    from clusterkit.stages.roles.rules import RuleRoles

    config = RunConfig.model_validate({"attribution": {"bootstrap": 0}})
    expected = RuleRoles()
    original = RuleRoles.fit
    monkeypatch.setattr(RuleRoles, "fit", lambda *a, **k: pytest.fail("fitted on the driver"))
    result, data = run_on_spark(config, str(folders["whole"]), spark=spark)
    assert result.manifest["engine"]["spark"]["built"] == ["features", "member graph", "roles"]
    expected = original(expected, result.features, weights=config.engagement_weights())
    segments = result.segments.set_index("member_id").loc[data.member_ids]
    assert np.array_equal(segments["role"].to_numpy(dtype=object), expected.roles_)
    assert np.array_equal(segments["secondary_role"].to_numpy(dtype=object),
                          expected.secondary_)
    assert np.array_equal(segments["confidence"].to_numpy(), expected.confidence_)
    assert segments["explanation"].tolist() == list(expected.explanations_)
    assert result.metrics["roles"]["thresholds"] == expected.thresholds_
    monkeypatch.undo()  # the prototypes start from the rules' labelling
    other = RunConfig.model_validate({"roles": {"name": "prototypes"},
                                      "attribution": {"bootstrap": 0}})
    result, _ = run_on_spark(other, str(folders["whole"]), spark=spark)
    assert result.manifest["engine"]["spark"]["built"] == ["features", "member graph"]
