"""The scoring step's data-wide parts on Spark ``local[N]`` beside one machine, in one run.

Engagement per member and channel, influence's ``authority`` (PageRank on the weighted
interaction graph) and ``reach_2hop`` (min-hash sketches two follow hops deep): on one
machine by :class:`~clusterkit.stages.scoring.engagement.EngagementScoring`,
:func:`~clusterkit.stages.scoring.components.authority` and
:func:`~clusterkit.stages.scoring.components.two_hop_reach`; on Spark by
:mod:`clusterkit.engines.spark.scoring` (what ``engine.spark_scoring`` runs). Prints each
part's seconds, their ratio, engagement's largest relative difference and whether the two
components are bit-identical.

Run: ``.venv/bin/python benchmarks/bench_spark_scoring.py DATA_FOLDER [MASTER]``
(a folder of ``clusterkit generate``; ``local[2]`` by default; prints markdown).
"""

from __future__ import annotations

import sys
import time
import warnings

warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")


def _clock(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main(folder: str, master: str = "local[2]") -> None:
    import numpy as np

    from clusterkit.data import load_dataset
    from clusterkit.engines.spark import local_session, member_table, read_tables
    from clusterkit.engines.spark.scoring import (
        authority_frame,
        engagement_frame,
        fitted_scoring,
        two_hop_frame,
    )
    from clusterkit.stages.scoring.components import authority, two_hop_reach
    from clusterkit.stages.scoring.engagement import EngagementScoring

    data, t_load = _clock(lambda: load_dataset(folder))
    one = {}
    one["engagement"], t1e = _clock(lambda: EngagementScoring().fit(data))
    one["authority"], t1a = _clock(lambda: authority(data))
    one["reach_2hop"], t1h = _clock(lambda: two_hop_reach(data, random_state=3))
    spark, t_start = _clock(lambda: local_session(master, shuffle_partitions=4,
                                                  driver_memory="4g"))
    tables = read_tables(spark, folder)
    ev, fo, me = (tables.get(k) for k in ("events", "follows", "members"))
    (coded, _), t_code = _clock(lambda: member_table(ev, fo, me))
    coded = coded.localCheckpoint(eager=True)
    n = coded.count()
    eng, t2e = _clock(lambda: engagement_frame(ev, coded).toPandas())
    (auth, where), t2a = _clock(lambda: authority_frame(coded, ev, fo, n=n))
    hop, t2h = _clock(lambda: two_hop_frame(coded, fo, random_state=3, n=n))
    ids = coded.orderBy("pos").select("member_id").toPandas()["member_id"]
    scorer, given = fitted_scoring(
        EngagementScoring(), {"engagement": eng, "authority": auth["authority"].to_numpy(),
                              "reach_2hop": hop},
        data.member_index(ids.to_numpy(dtype=object)), data.member_ids)
    want = one["engagement"].scores_
    rel = float(np.max(np.abs(scorer.scores_ - want) / np.maximum(np.abs(want), 1e-12)))
    print(f"{data.n_members:,} members, {len(data.events):,} events, {len(data.follows):,} "
          f"follows; Spark {master}, start {t_start:.1f} s, members coded {t_code:.1f} s; "
          f"load on one machine {t_load:.1f} s\n")
    print("| part | one machine (s) | Spark (s) | Spark / one | equal |")
    print("|---|---:|---:|---:|---|")
    for name, a, b, same in (
            ("engagement", t1e, t2e, f"largest relative difference {rel:.1e}"),
            (f"authority ({where})", t1a, t2a,
             f"bit-identical: {np.array_equal(given['authority'], one['authority'])}"),
            ("reach_2hop", t1h, t2h,
             f"bit-identical: {np.array_equal(given['reach_2hop'], one['reach_2hop'])}"),
            ("all three", t1e + t1a + t1h, t2e + t2a + t2h, "")):
        print(f"| {name} | {a:.1f} | {b:.1f} | {b / max(a, 1e-9):.0f}x | {same} |")


if __name__ == "__main__":
    main(sys.argv[1], *(sys.argv[2:3]))
