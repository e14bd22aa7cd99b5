"""The array journeys equal the SQL window query they replaced, on random events with ties."""

import numpy as np
import pandas as pd
import pytest

from clusterkit.attribution.journeys import build_journeys, to_channel_level
from clusterkit.data import CommunityData
from clusterkit.data.sql import connect

# The SQL that built journeys before the arrays (kept here as the reference implementation)
_SQL = """
WITH ev AS (
    SELECT coalesce(p.person_id, e.member_id) AS person_id, e.timestamp AS ts,
           list_contains($conv, e.action) AS is_conv, {touch} AS touch, {value} AS value
    FROM events e LEFT JOIN persons p ON p.member_id = e.member_id
),
conv AS (
    SELECT person_id, ts, value,
           row_number() OVER (PARTITION BY person_id ORDER BY ts, value NULLS LAST) AS k
    FROM ev WHERE is_conv
),
marked AS (
    SELECT person_id, ts, touch, NULL::BIGINT AS k, 0 AS kind
    FROM ev WHERE NOT is_conv AND ts <= $end
    UNION ALL
    SELECT person_id, ts, NULL, k, 1 FROM conv
),
assigned AS (
    SELECT person_id, ts, touch, kind,
           min(k) OVER (PARTITION BY person_id ORDER BY ts, kind, k
                        ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS next_k
    FROM marked
)
"""

_GAPS_SQL = _SQL + """
SELECT (epoch_us(c.ts) - max(epoch_us(a.ts)))::BIGINT AS gap_us
FROM assigned a JOIN conv c ON c.person_id = a.person_id AND c.k = a.next_k
WHERE a.kind = 0 AND a.ts > c.ts - to_microseconds(CAST($lookback_us AS BIGINT))
GROUP BY a.person_id, a.next_k, c.ts
ORDER BY a.person_id, a.next_k
"""

_TAILS_SQL = _SQL + """
SELECT person_id, max(epoch_us(ts))::BIGINT AS last_us
FROM assigned WHERE kind = 0 AND next_k IS NULL
GROUP BY person_id ORDER BY person_id
"""

_JOURNEYS_SQL = _SQL + """,
kept AS (
    SELECT a.person_id, coalesce(a.next_k, 9223372036854775807) AS k, a.ts, a.touch,
           coalesce(c.ts, make_timestamp(pe.end_us), $end) AS journey_end,
           c.ts IS NOT NULL AS converted,
           CASE WHEN c.ts IS NULL THEN 0.0 ELSE c.value END AS conversion_value,
           coalesce(a.next_k - 1, nc.n, 0) AS prior
    FROM assigned a LEFT JOIN conv c ON c.person_id = a.person_id AND c.k = a.next_k
    LEFT JOIN pend pe ON pe.person_id = a.person_id AND a.next_k IS NULL
    LEFT JOIN (SELECT person_id, max(k) AS n FROM conv GROUP BY person_id) nc
           ON nc.person_id = a.person_id
    WHERE a.kind = 0
)
SELECT person_id,
       (dense_rank() OVER (ORDER BY person_id, k) - 1)::BIGINT AS journey_id,
       (row_number() OVER (PARTITION BY person_id, k ORDER BY ts, touch) - 1)::INTEGER AS step,
       touch, ts AS timestamp, journey_end, converted, conversion_value,
       prior::INTEGER AS prior_conversions
FROM kept
WHERE ts > journey_end - to_microseconds(CAST($lookback_us AS BIGINT))
ORDER BY journey_id, step
"""




def _reference(data, conversions, level, lookback_days, persons=None, reference="end", seed=0):
    conv = sorted({c.lower() for c in conversions})
    ev = data.events
    channel = "coalesce(e.channel, 'unknown')" if "channel" in ev.columns else "'unknown'"
    touch = f"e.action || '@' || {channel}" if level == "action" else channel
    value = "CAST(e.value AS DOUBLE)" if "value" in ev.columns else "CAST(NULL AS DOUBLE)"
    cols = ["member_id", "action", "timestamp"] + [c for c in ("channel", "value")
                                                   if c in ev.columns]
    stop = ev["timestamp"].max()
    params = {"conv": conv, "end": stop.to_pydatetime(),
              "lookback_us": 10**17 if lookback_days is None else
              int(round(float(lookback_days) * 86400e6))}
    con = connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("events", ev[cols])
    con.register("persons", persons if persons is not None else pd.DataFrame(
        {"member_id": pd.Series([], dtype="str"), "person_id": pd.Series([], dtype="str")}))
    sql = {k: q.format(touch=touch, value=value) for k, q in
           (("gaps", _GAPS_SQL), ("tails", _TAILS_SQL), ("journeys", _JOURNEYS_SQL))}
    pend = pd.DataFrame({"person_id": pd.Series([], dtype=str),
                         "end_us": pd.Series([], dtype="int64")})
    if reference == "matched":
        gaps = con.sql(sql["gaps"], params=params).fetchnumpy()["gap_us"]
        tails = con.sql(sql["tails"], params={"conv": conv, "end": stop.to_pydatetime()}).df()
        if len(gaps) and len(tails):
            drawn = np.random.default_rng(seed).choice(np.asarray(gaps), size=len(tails))
            pend = pd.DataFrame({"person_id": tails["person_id"].astype(str),
                                 "end_us": tails["last_us"].to_numpy() + drawn})
    con.register("pend", pend)
    out = con.sql(sql["journeys"], params=params).df()
    con.close()
    return out


def _events(seed, n=3000, persons=60):
    rng = np.random.default_rng(seed)
    day = rng.integers(0, 40, size=n)  # coarse times: many ties, touches at conversion times
    return pd.DataFrame({
        "member_id": np.array([f"m{i:03d}" for i in range(persons)])[
            rng.integers(0, persons, size=n)],
        "action": rng.choice(["view", "like", "share", "purchase"], size=n,
                             p=[0.4, 0.3, 0.2, 0.1]),
        "channel": rng.choice(["web", "x", "shop", None], size=n),
        "value": np.where(rng.random(n) < 0.3, np.nan, rng.integers(1, 4, size=n)),
        "timestamp": pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(day, unit="D")})


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("level", ["channel", "action"])
@pytest.mark.parametrize("lookback", [None, 7.0])
@pytest.mark.parametrize("reference", ["end", "matched"])
def test_array_journeys_equal_the_sql_reference(seed, level, lookback, reference):
    data = CommunityData.from_frames(events=_events(seed))
    persons = None
    if seed == 2:  # some members are one person
        ids = data.member_ids
        persons = pd.DataFrame({"member_id": ids[:20].astype(str),
                                "person_id": np.repeat([f"p{i}" for i in range(10)], 2)})
    got = build_journeys(data, ("purchase",), level, lookback, persons=persons,
                         reference=reference, seed=seed)
    want = _reference(data, ("purchase",), level, lookback, persons=persons,
                      reference=reference, seed=seed)
    assert len(got) == len(want) > 0
    for col in ("person_id", "touch"):
        np.testing.assert_array_equal(got[col].astype(str).to_numpy(),
                                      want[col].astype(str).to_numpy())
    for col in ("journey_id", "step", "converted", "prior_conversions"):
        np.testing.assert_array_equal(got[col].to_numpy(), want[col].to_numpy())
    np.testing.assert_allclose(got["conversion_value"].to_numpy(dtype=float),
                               want["conversion_value"].to_numpy(dtype=float), equal_nan=True)
    for col in ("timestamp", "journey_end"):
        np.testing.assert_array_equal(
            got[col].astype("datetime64[us, UTC]").to_numpy(),
            pd.to_datetime(want[col], utc=True).astype("datetime64[us, UTC]").to_numpy())


@pytest.mark.parametrize("seed", [0, 1])
def test_channel_level_of_action_journeys_equals_channel_journeys(seed):
    data = CommunityData.from_frames(events=_events(seed))
    action = build_journeys(data, ("purchase",), "action", None)
    channel = build_journeys(data, ("purchase",), "channel", None)
    pd.testing.assert_frame_equal(to_channel_level(action), channel)
    # a frame with a column of its own takes the general path, row by row
    extra = action.assign(row=np.arange(len(action)))
    moved = to_channel_level(extra)
    pd.testing.assert_frame_equal(moved.drop(columns="row"), channel)
    assert (action["touch"].astype(str).str.split("@").str[1].to_numpy()[moved["row"]]
            == moved["touch"].astype(str).to_numpy()).all()


def test_subset_by_journey_ranges_equals_the_row_mask():
    from clusterkit.attribution._arrays import prepare

    data = CommunityData.from_frames(events=_events(3, n=5000, persons=200))
    arrays = prepare(build_journeys(data, ("purchase",), "channel", None))
    pick = np.random.default_rng(0).choice(arrays.n_journeys, size=80, replace=True)
    fast = arrays.subset(pick)  # unsorted, with repeats: the distinct journeys, in order
    keep = np.zeros(arrays.n_journeys, dtype=bool)
    keep[pick] = True
    slow = arrays._keep_rows(keep[arrays.journey])
    for name in ("codes", "journey", "age_days", "start", "converted", "prior", "person_ids"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name))
    assert fast.n_journeys == len(np.unique(pick))


@pytest.mark.parametrize("level", ["channel", "action"])
def test_category_and_text_columns_give_the_same_journeys(level):
    # events are category columns once validated; the journeys read their codes without
    # decoding every row, and must equal what the same columns as text give (null
    # channels included: they are the channel "unknown")
    data = CommunityData.from_frames(events=_events(4))
    assert isinstance(data.events["channel"].dtype, pd.CategoricalDtype)
    cats = build_journeys(data, ("purchase",), level, None)
    for col in ("action", "channel"):
        data.events[col] = data.events[col].astype("str")
    text = build_journeys(data, ("purchase",), level, None)
    pd.testing.assert_frame_equal(cats, text)
    assert "unknown" in set(text["touch"].astype(str).str.split("@").str[-1])


def test_channel_arrays_of_action_arrays_equal_channel_arrays():
    # with_level sorts only the rows tied in time (day-resolution times: many ties)
    from clusterkit.attribution._arrays import prepare

    data = CommunityData.from_frames(events=_events(5))
    merged = prepare(build_journeys(data, ("purchase",), "action", None), "channel")
    direct = prepare(build_journeys(data, ("purchase",), "channel", None))
    for name in ("touches", "codes", "journey", "age_days", "start", "converted", "prior"):
        np.testing.assert_array_equal(getattr(merged, name), getattr(direct, name))


def test_time_order_equals_the_full_sort():
    from clusterkit.attribution._arrays import _time_order

    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(1, 120))
        journey = np.sort(rng.integers(0, 6, n))
        age = rng.integers(0, 4, n).astype(float)
        codes = rng.integers(0, 5, n)
        for a in (age[np.lexsort((-age, journey))], age):  # in time order, and not
            np.testing.assert_array_equal(_time_order(journey, a, codes),
                                          np.lexsort((codes, -a, journey)))


def test_time_key_sorts_as_the_keys_it_packs():
    from clusterkit.data.order import time_key

    rng = np.random.default_rng(1)
    for i in range(200):
        n = int(rng.integers(1, 200))
        person = rng.integers(0, 30, n)
        unit = (1, 1_000, 1_000_000)[i % 3]
        ts = 1_700_000_000_000_000 + rng.integers(-50, 50, n) * unit
        late = rng.integers(0, 2, n)
        tie = np.where(late == 1, -1, rng.integers(0, 7, n))
        key = time_key(person, ts, late, tie)
        np.testing.assert_array_equal(np.argsort(key, kind="stable"),
                                      np.lexsort((tie, ts * 2 + late, person)))
        newest = time_key(person, ts, newest_first=True)
        np.testing.assert_array_equal(np.argsort(newest, kind="stable"),
                                      np.lexsort((-ts, person)))
    # microseconds over years for millions of persons do not fit: the caller sorts by keys
    wide = np.array([0, 10**15 + 1])
    assert time_key(np.array([0, 5_000_000]), wide, np.zeros(2, int)) is None


def test_time_key_leaves_its_inputs_alone_and_takes_any_integer_codes():
    from clusterkit.data.order import time_key

    rng = np.random.default_rng(2)
    n = 300
    person = rng.integers(0, 20, n)  # int64: the key must not be built in this array
    ts = rng.integers(0, 40, n).astype(np.int64) * 1_000_000
    codes = {dt: rng.integers(0, 2 if dt is bool else 6, n).astype(dt)
             for dt in (bool, np.int8, np.uint8, np.int32, np.uint64, np.int64)}
    before = [person.copy(), ts.copy(), *(c.copy() for c in codes.values())]
    for c in codes.values():
        for newest in (False, True):
            key = time_key(person, ts, c, newest_first=newest)
            order = np.lexsort((c.astype(np.int64), -ts if newest else ts, person))
            np.testing.assert_array_equal(np.argsort(key, kind="stable"), order)
    for a, b in zip(before, [person, ts, *codes.values()], strict=True):
        np.testing.assert_array_equal(a, b)
