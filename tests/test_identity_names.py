"""Identity evidence from names (issue 17, part 3): name order, nicknames from the
``nicknames`` package, households decided on evidence rather than initials, evidence of every
merge."""

from __future__ import annotations

import pandas as pd
import pytest

from clusterkit.data import CommunityData
from clusterkit.identity import IdentityConfig, resolve_identities
from clusterkit.identity.accounts import account_table
from clusterkit.identity.model import splink_settings
from clusterkit.identity.names import name_variants, nickname_graph, parse_names
from clusterkit.identity.rules import rule_links
from clusterkit.synthetic.identity import generate_accounts


def _data(rows: list[tuple], background: int = 0) -> CommunityData:
    """Crafted accounts (member_id, channel, name, handle, email), with optional generated
    background accounts so that Splink has enough data to estimate its parameters."""
    members = pd.DataFrame(rows, columns=["member_id", "channel", "name", "handle", "email"])
    identities = None
    if background:
        sd = generate_accounts(background, seed=5)
        bg = sd.tables["members"].assign(member_id=lambda m: "bg" + m["member_id"])
        members = pd.concat([members, bg[members.columns.intersection(bg.columns)]],
                            ignore_index=True)
        identities = sd.tables["identities"].assign(member_id=lambda m: "bg" + m["member_id"])
    events = pd.DataFrame({"member_id": members["member_id"], "action": "view",
                           "timestamp": 0})
    return CommunityData.from_frames(members=members, events=events, identities=identities)


def _person(res, member_id: str) -> str:
    return res.persons.set_index("member_id").loc[member_id, "person_id"]


def test_name_order_initials_middle_names_and_accents():
    p = parse_names(pd.Series(["Okafor, Bill", "OKAFOR William", "Medina William",
                               "William J. Okafor", "W. Okafor", "Chloé MÜLLER", "BOB Smith"]))
    assert p["last"].tolist()[:4] == ["okafor", "okafor", "medina", "okafor"]
    assert p["given"].tolist()[:4] == ["bill", "william", "william", "william"]
    assert p["first"].tolist()[:2] == ["william", "william"]  # curated vocabulary
    assert pd.isna(p["given"].iat[4]) and p["initial"].iat[4] == "w"
    assert p[["given", "last"]].iloc[5].tolist() == ["chloe", "muller"]
    assert p[["given", "last"]].iloc[6].tolist() == ["bob", "smith"]  # a capitalised first name


def test_nickname_list_ships_with_the_package_and_is_symmetric():
    g = nickname_graph()
    assert len(g) > 1000
    assert "dick" in g["richard"] and "richard" in g["dick"]
    assert "peggy" in name_variants("margaret") and "margaret" in name_variants("peggy")
    assert "maria" not in name_variants("thomas")


def test_full_name_key_does_not_depend_on_name_order():
    data = _data([("a", "twitter", "Tanaka Hiroshi", "ht1", None),
                  ("b", "shop", "Hiroshi Tanaka", "ht2", None)])
    acc = account_table(data, IdentityConfig())
    assert acc["full_name"].nunique() == 1


@pytest.mark.parametrize("left, right", [
    ("Bill Zoltanski", "William Zoltanski"),     # curated nickname
    ("Dick Zoltanski", "Richard Zoltanski"),     # nickname from the nicknames package
    ("Zoltanski, William", "Bill Zoltanski"),    # surname first and a nickname
    ("ZOLTANSKI Margaret", "Peggy Zoltanski"),
    ("W. Zoltanski", "Thomas Zoltanski"),        # an initial alone never separates
])
def test_shared_email_links_nickname_and_surname_first_variants(left, right):
    data = _data([("a", "twitter", left, "zz_one", "z@mail.io"),
                  ("b", "shop", right, "zz_two", "z@mail.io")])
    links, notes = rule_links(account_table(data, IdentityConfig()), None, IdentityConfig())
    assert links[["member_id_l", "member_id_r", "rule"]].values.tolist() == [["a", "b", "email"]]
    assert not notes


def test_household_with_different_first_names_and_handles_is_not_merged():
    data = _data([("a", "twitter", "Thomas Medina", "tmedina", "medina@home.net"),
                  ("b", "instagram", "Maria Medina", "maria.m", "medina@home.net"),
                  ("c", "shop", "Tom Medina", None, "medina@home.net")])
    res = resolve_identities(data, IdentityConfig(probabilistic=False), seed=0)
    assert _person(res, "a") == _person(res, "c") != _person(res, "b")
    assert any("household" in w for w in res.warnings)


def test_same_handle_overrides_different_first_names():
    data = _data([("a", "twitter", "Thomas Medina", "tmedina", "medina@home.net"),
                  ("b", "instagram", "Maria Medina", "tmedina", "medina@home.net")])
    links, _ = rule_links(account_table(data, IdentityConfig()), None, IdentityConfig())
    assert len(links) == 1


def test_nickname_pair_linked_by_splink_with_evidence():
    data = _data([("x1", "blog", "Dick Quarrington", "dickq84", None),
                  ("x2", "tiktok", "Richard Quarrington", "richardq84", None),
                  ("x3", "youtube", "Mary Quarrington", "maryq84", None)], background=1500)
    res = resolve_identities(data, IdentityConfig(), seed=0)
    assert _person(res, "x1") == _person(res, "x2") != _person(res, "x3")
    link = res.links[(res.links.member_id_l == "x1") & (res.links.member_id_r == "x2")]
    assert link["rule"].tolist() == ["splink"] and bool(link["merged"].iat[0])
    assert float(link["match_probability"].iat[0]) >= res.config.threshold
    # every person with k accounts has k - 1 merge links, each with its rule
    sizes = res.persons.groupby("person_id").size()
    assert int(res.links["merged"].sum()) == int((sizes - 1).sum())
    assert res.links["rule"].notna().all()
    levels = res.model[res.model.comparison == "name"]["level"].tolist()
    assert "full name, one person, rare last name" in levels


def test_settings_block_on_nickname_variants():
    rules = splink_settings(100)["blocking_rules_to_generate_predictions"]
    assert any("nicks" in r for r in rules)


def test_unnamed_account_on_a_household_email_is_left_to_the_model():
    data = _data([("a", "twitter", "Karen Burfield", None, "burfield.home@live.co.uk"),
                  ("b", "shop", "Walter Burfield", None, "burfield.home@live.co.uk"),
                  ("c", "newsletter", None, None, "Burfield.Home@Live.co.uk")])
    links, notes = rule_links(account_table(data, IdentityConfig()), None, IdentityConfig())
    assert len(links) == 0  # the alias made from the shared email is not a shared handle
    assert any("household keys" in n for n in notes)
