"""Identity resolution (clusterkit.identity): quality on planted persons, evidence, determinism,
nothing-to-link, configuration and input errors, the CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from clusterkit.cli.app import main
from clusterkit.data import CommunityData
from clusterkit.errors import ConfigError, DataError
from clusterkit.identity import IdentityConfig, resolve_identities, write_identity_links
from clusterkit.identity.accounts import account_table
from clusterkit.identity.rules import rule_links
from clusterkit.synthetic.identity import generate_accounts, true_pairs


def pairwise(pred: pd.Series, truth: pd.Series) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering against the true persons."""
    df = pd.DataFrame({"p": pred.to_numpy(), "t": truth.reindex(pred.index).to_numpy()})

    def pairs(sizes):
        return float((sizes * (sizes - 1) // 2).sum())

    tp = pairs(df.groupby(["p", "t"]).size())
    return tp / max(pairs(df.groupby("p").size()), 1), tp / max(pairs(df.groupby("t").size()), 1)


def components(ids: pd.Index, links: pd.DataFrame) -> pd.Series:
    a, b = ids.get_indexer(links["member_id_l"]), ids.get_indexer(links["member_id_r"])
    g = sp.coo_array((np.ones(len(a)), (a, b)), shape=(len(ids), len(ids)))
    return pd.Series(connected_components(g, directed=False)[1], index=ids)


@pytest.fixture(scope="module")
def planted():
    """400 accounts of about 210 persons, with namesakes, nicknames and missing fields."""
    sd = generate_accounts(400, seed=3)
    return sd, CommunityData.from_frames(**sd.tables)


@pytest.fixture(scope="module")
def resolved(planted):
    return resolve_identities(planted[1], IdentityConfig(), seed=0)


def _truth_series(sd) -> pd.Series:
    return sd.truth["person_id"]


def test_quality_beats_rules_on_planted_persons(planted, resolved):
    sd, data = planted
    precision, recall = pairwise(resolved.persons.set_index("member_id")["person_id"],
                                 _truth_series(sd))
    acc = account_table(data, IdentityConfig())
    base, _ = rule_links(acc, data.identities, IdentityConfig(rules=("email", "handle")))
    _, base_recall = pairwise(components(data.member_ids, base), _truth_series(sd))
    assert precision >= 0.9
    assert recall >= 0.6
    assert recall >= base_recall + 0.2


def test_labelled_m_path(planted):
    """With enough declared links, m comes from them (labelled matches) and quality holds."""
    sd, data = planted
    res = resolve_identities(data, IdentityConfig(min_labels=10), seed=0)
    assert res.model.attrs["m_source"].endswith("declared links")
    precision, recall = pairwise(res.persons.set_index("member_id")["person_id"],
                                 _truth_series(sd))
    assert precision >= 0.9 and recall >= 0.55


def test_every_merge_has_evidence(resolved):
    persons = resolved.persons
    assert persons["member_id"].is_unique and persons["member_id"].is_monotonic_increasing
    merged = resolved.links[resolved.links["merged"]]
    ids = pd.Index(persons["member_id"].to_numpy(dtype=object))
    comp = components(ids, merged).to_numpy()
    person = persons["person_id"].to_numpy(dtype=object)
    # the merging links connect exactly the accounts of each person: a bijection
    both = pd.DataFrame({"p": person, "c": comp}).drop_duplicates()
    assert len(both) == resolved.n_persons == len(np.unique(comp))
    sizes = persons.groupby("person_id").size()
    owner = persons.set_index("member_id")["person_id"].reindex(merged["member_id_l"])
    n_merged = merged.groupby(owner.to_numpy()).size()
    assert (n_merged.reindex(sizes.index, fill_value=0) == sizes - 1).all()
    assert (sizes > 1).sum() >= 50
    assert set(resolved.links["rule"]) <= {"email", "phone", "declared_handle", "splink"}
    splink = resolved.links[resolved.links["rule"] == "splink"]
    assert splink["match_weight"].notna().all()
    assert (splink["match_probability"] >= resolved.config.threshold).all()


def test_one_account_per_channel(planted, resolved):
    chan = planted[1].members["channel"].reindex(resolved.persons["member_id"]).to_numpy()
    per = pd.DataFrame({"p": resolved.persons["person_id"].to_numpy(), "c": chan})
    assert not per.duplicated().any()
    assert (resolved.persons.groupby("person_id").size() <= resolved.config.max_accounts).all()


def test_person_id_is_smallest_member(resolved):
    first = resolved.persons.groupby("person_id")["member_id"].min()
    assert (first.index.to_numpy() == first.to_numpy()).all()


def test_row_order_and_rerun_do_not_change_persons(planted, resolved):
    sd, _ = planted
    rng = np.random.default_rng(5)
    shuffled = {k: v.iloc[rng.permutation(len(v))].reset_index(drop=True)
                for k, v in sd.tables.items()}
    again = resolve_identities(CommunityData.from_frames(**shuffled), IdentityConfig(), seed=0)
    pd.testing.assert_frame_equal(again.persons, resolved.persons)
    pd.testing.assert_frame_equal(again.links, resolved.links)


def test_nothing_to_link_every_member_is_its_own_person():
    events = pd.DataFrame({"member_id": ["b", "a", "c"], "action": ["like"] * 3,
                           "timestamp": [1, 2, 3]})
    members = pd.DataFrame({"member_id": ["a", "b", "c"], "name": ["Ann Lee", "Bo Chan", None],
                            "channel": ["twitter"] * 3})
    data = CommunityData.from_frames(members=members, events=events)
    res = resolve_identities(data, IdentityConfig(), seed=0)
    assert res.persons["person_id"].tolist() == res.persons["member_id"].tolist() == \
        ["a", "b", "c"]
    assert len(res.links) == 0 and res.n_persons == 3
    assert any("probabilistic linkage skipped" in w for w in res.warnings)


def test_rules_link_email_variants_and_declared_handles():
    members = pd.DataFrame({
        "member_id": ["m1", "m2", "m3", "m4", "m5"],
        "channel": ["newsletter", "shop", "twitter", "instagram", "shop"],
        "handle": ["Al.Smith+news@GoogleMail.com", "alsmith@gmail.com", "@al_s", "@al.smith",
                   "other@x.io"],
        "phone": [None, "+44 7700 900123", None, None, "07700 900123"]})
    identities = pd.DataFrame({"member_id": ["m3"], "channel": ["instagram"],
                               "handle": ["AL.SMITH"]})
    events = pd.DataFrame({"member_id": ["m1"], "action": ["view"], "timestamp": [0]})
    data = CommunityData.from_frames(members=members, events=events, identities=identities)
    res = resolve_identities(data, IdentityConfig(probabilistic=False), seed=0)
    pairs = {(r.member_id_l, r.member_id_r): r.rule for r in res.links.itertuples()}
    assert pairs == {("m1", "m2"): "email", ("m3", "m4"): "declared_handle"}
    # m2 and m5 share a phone but are both shop accounts: refused, with the reason
    assert res.rejected[["member_id_l", "member_id_r", "rule", "reason"]].values.tolist() == [
        ["m2", "m5", "phone", "channel"]]


@pytest.mark.parametrize("kwargs, match", [
    ({"threshold": 1.5}, r"'threshold' parameter .* open interval \(0, 1\).*Got 1.5"),
    ({"threshold": 0.0}, r"'threshold' parameter .*Got 0.0"),
    ({"rules": ["emial"]}, r"'rules.0' parameter .*rule names .*Got 'emial'"),
    ({"treshold": 0.5}, r"no parameter 'treshold'. Valid parameters are: threshold"),
])
def test_bad_config_is_a_clear_config_error(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        IdentityConfig(**kwargs)


def test_identities_missing_columns_is_a_data_error(planted):
    bad = pd.DataFrame({"member_id": ["a000001"], "channel": ["twitter"]})
    with pytest.raises(DataError, match="missing required column 'handle'"):
        CommunityData.from_frames(events=planted[0].tables["events"], identities=bad)
    data = planted[1].with_tables(identities=bad)  # built without validation
    with pytest.raises(DataError, match=r"identities: missing required column 'handle'.*"
                                        r"\['member_id', 'channel', 'handle'\]"):
        resolve_identities(data)


def test_write_identity_links(tmp_path, resolved):
    paths = write_identity_links(tmp_path / "out", resolved)
    links = pd.read_parquet(paths["identity_links"])
    assert list(links.columns[:5]) == ["member_id_l", "member_id_r", "rule", "match_weight",
                                       "match_probability"]
    assert len(links) == len(resolved.links)
    assert len(pd.read_parquet(paths["persons"])) == len(resolved.persons)


def test_cli_resolve(tmp_path, planted, capsys):
    folder = planted[0].write(tmp_path / "data", format="parquet")
    code = main(["resolve", "--data", str(folder), "--show", "3", "--out", str(tmp_path / "o")])
    assert code == 0
    out = capsys.readouterr()
    assert "persons from 400 accounts" in out.out and "splink" in out.out
    assert (tmp_path / "o" / "identity_links.parquet").is_file()
    assert main(["resolve", "--data", str(folder), "--threshold", "2"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: The 'threshold' parameter")


def test_generator_has_hard_negatives_and_channel_structure():
    sd = generate_accounts(3000, seed=1)
    m = sd.tables["members"].set_index("member_id")
    t = sd.truth
    assert len(m) == 3000 and t.index.equals(pd.Index(sorted(m.index)))
    per = t.groupby("person_id")
    assert per.size().between(1, 4).all() and not t.duplicated(["person_id", "channel"]).any()
    pairs = true_pairs(t)
    assert len(pairs) > 1000
    # namesakes: one display name on accounts of different persons
    names = pd.DataFrame({"name": m["name"].str.lower(), "p": t["person_id"]}).dropna()
    assert (names.groupby("name")["p"].nunique() > 1).sum() >= 5
    # nicknames: the same person shows "Bob" somewhere and "Robert" elsewhere, at least once
    first = m["name"].str.split().str[0].reindex(t.index)
    assert (first.groupby(t["person_id"]).nunique() > 1).sum() > 50
    # missing fields: most social accounts show no email
    social = m["channel"].isin(["twitter", "instagram", "tiktok", "youtube"])
    assert m.loc[social, "email"].isna().mean() > 0.7
    again = generate_accounts(3000, seed=1)
    pd.testing.assert_frame_equal(again.tables["members"], sd.tables["members"])


def test_core_generator_members_stay_single():
    """The core generator's members are distinct people (unique handles and emails, common
    names): nothing links, so per-person data is the data itself and outputs are unchanged."""
    from clusterkit.identity import to_person_data
    from clusterkit.synthetic.community import generate

    data = CommunityData.from_frames(**generate(600, seed=5).tables)
    res = resolve_identities(data, seed=0)
    assert res.n_persons == 600 and len(res.links) == 0
    assert to_person_data(data, res) is data


def test_resolve_works_on_a_members_table_alone(tmp_path, capsys):
    """Identity work needs no activity: a folder with members.csv only is accepted by
    resolve (a run still needs events or follows)."""
    from clusterkit.cli.app import main
    from clusterkit.data import load_dataset
    from clusterkit.errors import DataError
    from clusterkit.synthetic.identity import generate_accounts

    sd = generate_accounts(300, seed=2)
    sd.tables["members"].to_csv(tmp_path / "members.csv", index=False)
    assert main(["resolve", "--data", str(tmp_path)]) == 0
    assert "persons from 300 accounts" in capsys.readouterr().out
    with pytest.raises(DataError, match="no events or follows file"):
        load_dataset(tmp_path)
