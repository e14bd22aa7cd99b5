"""Identity resolution building blocks: normalisation, constrained clustering, the account
splitter, and per-person data (clusterkit.identity.persons)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterkit.data import CommunityData
from clusterkit.errors import DataError
from clusterkit.identity import to_person_data
from clusterkit.identity.clusters import constrained_clusters
from clusterkit.identity.normalize import (
    fold_text,
    handle_key,
    name_parts,
    normalize_email,
    normalize_phone,
)
from clusterkit.synthetic.community import generate
from clusterkit.synthetic.identity import split_accounts


def test_email_normalisation_documented_rules():
    raw = pd.Series([" A.B+x@GMAIL.com", "ab@googlemail.com", "a.b+x@acme.io", "a.b@acme.io",
                     "not an email", None])
    out = normalize_email(raw).tolist()
    assert out[:2] == ["ab@gmail.com", "ab@gmail.com"]  # gmail: dots and +tag dropped
    assert out[2] == out[3] == "a.b@acme.io"  # elsewhere dots matter, +tag dropped
    assert pd.isna(out[4]) and pd.isna(out[5])
    kept = normalize_email(raw, strip_plus=False, gmail_dots=False).tolist()
    assert kept[0] == "a.b+x@gmail.com"


def test_phone_name_and_handle_normalisation():
    phones = normalize_phone(pd.Series(["+1 (555) 201-3344", "001 555 2013344", "5552013344",
                                        "12-34"])).tolist()
    assert phones[0] == phones[1] == phones[2] == "552013344" and pd.isna(phones[3])
    parts = name_parts(pd.Series(["BOB Müller 📷", "Robert Muller", "Zoë", "K. Kim"]))
    assert parts["first"].tolist()[:3] == ["robert", "robert", "zoe"]
    assert parts["last"].tolist()[:2] == ["muller", "muller"]
    assert pd.isna(parts["first"].iloc[3]) and parts["initial"].iloc[3] == "k"
    assert fold_text(pd.Series(["Łukasz Straße"])).tolist() == ["lukasz strasse"]
    assert handle_key(pd.Series([" @Al.Smith "])).tolist() == ["al.smith"]


def _greedy_reference(n, left, right, score, channel, max_size):
    """Sequential best-first merging with a channel check (a loop: reference only)."""
    order = sorted(range(len(left)), key=lambda k: (-score[k], min(left[k], right[k]),
                                                     max(left[k], right[k])))
    label = list(range(n))
    chans = [{channel[i]} for i in range(n)]
    size = [1] * n
    for k in order:
        a, b = label[left[k]], label[right[k]]
        if a == b or chans[a] & chans[b] or size[a] + size[b] > max_size:
            continue
        root, other = min(a, b), max(a, b)
        chans[root] |= chans[other]
        size[root] += size[other]
        label = [root if x == other else x for x in label]
    return np.array(label)


@pytest.mark.parametrize("seed", range(6))
def test_constrained_clusters_equal_sequential_greedy(seed):
    rng = np.random.default_rng(seed)
    n, m = 60, 150
    left, right = rng.integers(n, size=m), rng.integers(n, size=m)
    score = rng.integers(0, 8, size=m).astype(float)  # ties on purpose
    score[rng.random(m) < 0.1] = np.inf
    channel = rng.choice(["tw", "ig", "nl", "shop"], size=n)
    got = constrained_clusters(n, left, right, score, channel=channel, max_size=3)
    want = _greedy_reference(n, left, right, score, channel, 3)
    assert (got == want).all()
    perm = rng.permutation(m)  # the order links are given in does not matter
    again = constrained_clusters(n, left[perm], right[perm], score[perm], channel=channel,
                                 max_size=3)
    assert (again == got).all()
    # a plain union would chain more: the constraint refuses merges
    free = constrained_clusters(n, left, right, score)
    assert len(np.unique(free)) <= len(np.unique(got))


@pytest.fixture(scope="module")
def split():
    base = generate(300, seed=4)
    return base, split_accounts(base, seed=4)


def test_split_accounts_spreads_activity_over_accounts(split):
    base, sd = split
    t = sd.truth
    assert t["person_id"].nunique() == 300 and len(t) > 450
    assert not t.duplicated(["person_id", "channel"]).any()
    ev = sd.tables["events"]
    owner = t["person_id"].reindex(ev["member_id"]).to_numpy()
    per_person = pd.Series(1, index=owner).groupby(level=0).size()
    orig = base.tables["events"].groupby("member_id").size()
    pd.testing.assert_series_equal(per_person.sort_index(), orig.sort_index(),
                                   check_names=False)
    accounts_used = ev.groupby(owner)["member_id"].nunique()
    assert (accounts_used > 1).sum() > 50  # activity really is spread over accounts


def _canonical(df, cols):
    return df[cols].astype(str).sort_values(cols, ignore_index=True)


def test_to_person_data_rekeys_and_preserves_counts(split):
    base, sd = split
    data = CommunityData.from_frames(**sd.tables)
    persons = sd.truth.reset_index()[["member_id", "person_id"]]
    out = to_person_data(data, persons)
    assert list(out.member_ids) == sorted(base.tables["members"]["member_id"])
    # merging each person's accounts gives back the original events, targets included
    cols = ["member_id", "action", "timestamp", "target_id", "channel"]
    want = CommunityData.from_frames(**base.tables)
    pd.testing.assert_frame_equal(_canonical(out.events, cols), _canonical(want.events, cols))
    pd.testing.assert_frame_equal(_canonical(out.follows, ["follower_id", "followee_id"]),
                                  _canonical(want.follows, ["follower_id", "followee_id"]))
    m = out.members
    assert (m["n_accounts"] == persons.groupby("person_id").size().reindex(m.index)).all()
    first = m.index[m["n_accounts"] > 1][0]
    assert m.loc[first, "member_ids"] == ";".join(sorted(persons.loc[
        persons["person_id"] == first, "member_id"]))
    assert m["followers"].sum() == pytest.approx(
        base.tables["members"]["followers"].sum())
    assert set(out.identities["member_id"]) <= set(out.member_ids)


def test_to_person_data_drops_self_follows_and_duplicates():
    follows = pd.DataFrame({"follower_id": ["a", "b", "a", "b"],
                            "followee_id": ["b", "a", "c", "c"],
                            "since": ["2026-01-02", "2026-01-01", "2026-01-05", "2026-01-03"]})
    data = CommunityData.from_frames(follows=follows)
    persons = pd.DataFrame({"member_id": ["a", "b", "c"], "person_id": ["a", "a", "c"]})
    out = to_person_data(data, persons)
    assert out.follows[["follower_id", "followee_id"]].values.tolist() == [["a", "c"]]
    assert str(out.follows["since"].iloc[0]).startswith("2026-01-03")  # the earliest kept


def test_to_person_data_nothing_linked_is_unchanged(split):
    data = CommunityData.from_frames(**split[0].tables)
    identity = pd.DataFrame({"member_id": list(data.member_ids),
                             "person_id": list(data.member_ids)})
    assert to_person_data(data, identity) is data


def test_to_person_data_needs_every_member(split):
    data = CommunityData.from_frames(**split[0].tables)
    partial = pd.DataFrame({"member_id": ["m000000"], "person_id": ["m000000"]})
    with pytest.raises(DataError, match="does not cover 299 member"):
        to_person_data(data, partial)


def test_pipeline_runs_per_person(split):
    from clusterkit.pipeline import Pipeline

    _, sd = split
    data = CommunityData.from_frames(**sd.tables)
    persons = sd.truth.reset_index()[["member_id", "person_id"]]
    result = Pipeline().run(to_person_data(data, persons))
    assert len(result.segments) == 300
    assert set(result.segments["member_id"]) == set(persons["person_id"])
