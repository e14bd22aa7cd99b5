"""Affinities on integer codes: ties break on the item's text, ids of any type are text."""

import pandas as pd
import pytest

from clusterkit.report.affinity import affinities, affinity_items


def test_ties_break_on_the_item_text_across_members_and_outside_accounts():
    # every item touched by the same two members of group x: equal lift and count, so the
    # order is the items' text, whether they are members ('b', 'd') or outside ('a', 'c')
    groups = pd.DataFrame({"member_id": ["m1", "m2", "b", "d", "z"],
                           "group": ["x", "x", "y", "y", "y"]})
    follows = pd.DataFrame({"follower_id": ["m1", "m2"] * 4,
                            "followee_id": ["d", "d", "c", "c", "b", "b", "a", "a"]})
    t = affinities(groups, None, follows, min_support=2, top=10)
    assert t["item"].tolist() == ["a", "b", "c", "d"]
    assert (t["group"] == "x").all() and (t["count"] == 2).all()
    shuffled = follows.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(affinities(groups, None, shuffled, min_support=2, top=10), t)


def test_integer_ids_and_topics_fold_to_one_spelling():
    groups = pd.DataFrame({"member_id": [1, 2, 3, 4], "group": [7, 7, 8, 8]})
    events = pd.DataFrame({"member_id": [1, 2, 2, 3, 4],
                           "target_id": pd.Series([3, 3, 1, None, 9], dtype=object),
                           "topic": ["#Cats", " CATS", " CATS", "dogs", "#Dogs"],
                           "channel": " web "})
    t = affinities(groups, events, None, min_support=1, top=10)
    topics = t[t["kind"] == "topic"]
    assert topics["item"].tolist() == [" CATS", "#Dogs"]  # most often; a tie: by text
    assert not (t["kind"] == "channel").any()  # everyone on " web ": lift 1, not listed
    accounts = t[(t["kind"] == "account") & (t["group"] == "7")]
    assert accounts.set_index("item")["count"].to_dict() == {"3": 2, "1": 1}
    assert t.loc[t["kind"] == "account", "item"].isin(["1", "3", "9"]).all()


def test_item_rows_are_int32_codes_one_table_per_kind():
    # memory at 1,000,000 members: ~80 M (member, item) rows, half the bytes as int32,
    # and never concatenated into one copy
    import numpy as np

    from clusterkit.data.sql import connect
    from clusterkit.profile.topics import topic_key_sql
    from clusterkit.report.touches import KINDS, _items, _text

    events = pd.DataFrame({"member_id": ["a", "b", "b"], "target_id": ["b", "a", "x"],
                           "topic": ["#t", "t", None], "channel": ["web", "web", "app"]})
    follows = pd.DataFrame({"follower_id": ["a"], "followee_id": ["b"]})
    con = connect()
    try:
        rows, _, _ = _items(con, _text(pd.Series(["a", "b"])), events, follows,
                            topic_key_sql("v"), KINDS)
    finally:
        con.close()
    assert [k for _, k, _ in rows] == [0, 1, 2]
    assert all(m.dtype == np.int32 and i.dtype == np.int32 for m, _, i in rows)
    assert len(rows[0][0]) == 4  # a->b, b->a, b->x (outside) and the follow a->b


def test_positions_held_by_the_data_give_the_same_affinities():
    # with data=, the member positions the dataset already holds (event codes, follow
    # edges) replace the id lookups; groups covering part of the members, outside
    # accounts, self-targets and category topic and channel columns included
    import numpy as np

    from clusterkit.data import CommunityData

    rng = np.random.default_rng(0)
    ids = np.array([f"m{i:02d}" for i in range(40)])
    n = 600
    events = pd.DataFrame({
        "member_id": ids[rng.integers(0, 40, n)],
        "target_id": np.where(rng.random(n) < 0.2, "brand",
                              ids[rng.integers(0, 40, n)].astype(object)),
        "action": "reply", "timestamp": pd.Timestamp("2026-01-01", tz="UTC"),
        "topic": rng.choice(["#Cats", "cats", "Dogs", None], n),
        "channel": rng.choice(["web", " x", None], n)})
    follows = pd.DataFrame({"follower_id": ids[rng.integers(0, 40, 300)],
                            "followee_id": np.where(rng.random(300) < 0.1, "news",
                                                    ids[rng.integers(0, 40, 300)])})
    data = CommunityData.from_frames(events=events, follows=follows)
    assert isinstance(data.events["topic"].dtype, pd.CategoricalDtype)
    every = pd.DataFrame({"member_id": data.member_ids.astype(str),
                          "group": [f"g{i % 3}" for i in range(data.n_members)]})
    for groups in (every, every.iloc[::2]):  # every member, and half of them
        for kinds in (("account", "topic", "channel"), ("topic",)):
            plain = affinities(groups, data.events, data.follows, min_support=2, kinds=kinds)
            held = affinities(groups, data.events, data.follows, min_support=2, kinds=kinds,
                              data=data)
            pd.testing.assert_frame_equal(plain, held)
            assert set(held["kind"]) == set(kinds)  # every kind has listed items
    # the items made once serve any grouping; each call takes the kinds it tallies
    items = affinity_items(data, data.events, data.follows)
    topics = items["rows"][1]
    for groups in (every, every.iloc[::3]):
        kinds = ("account", "topic", "channel") if groups is every else ("topic",)
        shared = affinities(groups, None, None, min_support=2, kinds=kinds, data=data,
                            items=items)
        plain = affinities(groups, data.events, data.follows, min_support=2, kinds=kinds)
        pd.testing.assert_frame_equal(shared, plain)
        assert items["rows"] == {} or groups is not every
        items["rows"][1] = topics
    with pytest.raises(ValueError, match="pass data="):
        affinities(every, None, None, items=items)


@pytest.mark.parametrize("n_items", [3, 10_000])  # the bitmap, then the sparse matrix
def test_distinct_pairs_are_the_sql_distinct(n_items):
    import numpy as np

    from clusterkit.report.touches import _distinct

    rng = np.random.default_rng(n_items)
    member = rng.integers(0, 50, 400).astype(np.int32)  # in no order
    item = rng.integers(0, n_items, 400).astype(np.int32)
    m, i = _distinct(member, item, n_items)
    want = np.unique(np.column_stack([member, item]), axis=0)
    np.testing.assert_array_equal(np.column_stack([m, i]), want)
    assert m.dtype == np.int32 and i.dtype == np.int32


_REFERENCE_SQL = """
WITH items AS (SELECT DISTINCT member_id, kind, item FROM raw),
     j AS (SELECT g.grp, i.kind, i.item FROM items i JOIN g USING (member_id)),
     sz AS (SELECT grp, count(*) AS size FROM g GROUP BY grp),
     per AS (SELECT grp, kind, item, count(*) AS cnt FROM j GROUP BY ALL),
     com AS (SELECT kind, item, count(*) AS community_count FROM j GROUP BY ALL),
     res AS (SELECT p.grp AS "group", p.kind, p.item, p.cnt AS "count", sz.size,
                    p.cnt / sz.size AS share, com.community_count,
                    com.community_count / {n} AS community_share,
                    (p.cnt / sz.size) / (com.community_count / {n}) AS lift
             FROM per p JOIN sz USING (grp) JOIN com USING (kind, item)
             WHERE p.cnt >= {support})
SELECT *, row_number() OVER (PARTITION BY "group", kind
                             ORDER BY lift DESC, "count" DESC, item) AS rank
FROM res WHERE lift > {min_lift}
QUALIFY rank <= {top}
ORDER BY "group", kind, rank
"""


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("sorted_cells", [False, True])
def test_tally_equals_the_sql_it_replaced(seed, sorted_cells, monkeypatch):
    # the counts, lifts, filters and ranks of the DuckDB query the report used before, on
    # data with repeats, ties in lift and count, group names that sort as text ('10' < '2'),
    # members with no item, and both ways of counting the (group, item) cells
    import numpy as np

    from clusterkit.data.sql import connect
    from clusterkit.report import affinity

    if sorted_cells:
        monkeypatch.setattr(affinity, "_GRID_CELLS", 0)
        monkeypatch.setattr(affinity, "_CELLS_PER_PAIR", 0)
    rng = np.random.default_rng(seed)
    n, n_items, n_groups = 300, 40, 12
    group = rng.integers(0, n_groups, n).astype(str)
    rows = {kind: (rng.integers(0, n - 20, 3000).astype(np.int32),
                   (rng.zipf(1.6, 3000) % n_items).astype(np.int32)) for kind in (0, 2)}
    names = {0: n_items, 2: n_items}
    support, min_lift, top = 3, 1.0, 4
    uniq = np.unique(group)  # text order, as the codes
    grp = np.searchsorted(uniq, group)
    sizes = np.bincount(grp, minlength=len(uniq))
    got = []
    for kind, (m, i) in rows.items():
        t = affinity._tally(m, i, names[kind], grp, sizes, n, support, min_lift, top)
        got.append(t.assign(kind=kind, group=uniq[t["grp"].to_numpy()]))
    got = pd.concat(got).sort_values(["group", "kind", "rank"], kind="mergesort")
    con = connect()
    try:
        import pyarrow as pa

        for kind, (m, i) in rows.items():
            con.register(f"raw{kind}", pa.table({"member_id": m, "item": i}))
        con.execute("CREATE TEMP VIEW raw AS " + " UNION ALL ".join(
            f"SELECT member_id, CAST({k} AS TINYINT) AS kind, item FROM raw{k}" for k in rows))
        con.register("g", pa.table({"member_id": np.arange(n, dtype=np.int32), "grp": group}))
        ref = con.execute(_REFERENCE_SQL.format(n=float(n), support=support,
                                                min_lift=min_lift, top=top)).df()
    finally:
        con.close()
    assert len(ref) > 20 and (ref["rank"] == top).any()
    for col in ("group", "kind", "item", "count", "community_count", "rank"):
        assert got[col].astype(str).tolist() == ref[col].astype(str).tolist(), col
    assert np.array_equal(got["lift"].to_numpy(), ref["lift"].to_numpy())  # to the bit


def test_equal_lifts_rank_the_larger_count_first():
    # group 0 (members 0-5 of 24): item 1 by 3 of them and 3 others, item 2 by all 6 and 6
    # others: lift (3/6)/(6/24) == (6/6)/(12/24) == 2 exactly; the larger count ranks first
    import numpy as np

    from clusterkit.report.affinity import _tally

    member = np.r_[0, 1, 2, 10, 11, 12, np.arange(6), np.arange(12, 18)].astype(np.int32)
    item = np.r_[[1] * 6, [2] * 12].astype(np.int32)
    grp = (np.arange(24) >= 6).astype(np.int64)
    t = _tally(member, item, 3, grp, np.bincount(grp), 24, 1, 1.0, 5)
    first = t[t["grp"] == 0]
    assert first["lift"].tolist() == [2.0, 2.0]
    assert first["item"].tolist() == [2, 1] and first["count"].tolist() == [6, 3]


def test_members_without_a_group_count_but_are_not_listed():
    # as the SQL did (a join on a NULL group drops it): c and d count in n and in the
    # community count of z, and no group None is listed
    groups = pd.DataFrame({"member_id": list("abcd"), "group": ["x", "x", None, None]})
    follows = pd.DataFrame({"follower_id": ["c", "a"], "followee_id": ["z", "z"]})
    t = affinities(groups, None, follows, min_support=1, min_lift=0.0)
    assert t["group"].tolist() == ["x"]
    assert t[["count", "community_count", "size"]].values.tolist() == [[1, 2, 2]]


@pytest.mark.parametrize("topic", [[None, None], ["#", "  "]])
def test_a_topic_column_with_no_topic_in_it_lists_no_topic(topic):
    groups = pd.DataFrame({"member_id": ["a", "b"], "group": ["x", "y"]})
    events = pd.DataFrame({"member_id": ["a", "b"], "topic": topic, "channel": ["web", "app"]})
    t = affinities(groups, events, None, min_support=1)
    assert not (t["kind"] == "topic").any() and (t["kind"] == "channel").sum() == 2
