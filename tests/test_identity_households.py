"""Emails that read as a household's (issue 17, part 3): not a personal key for the email rule,
no evidence in the probabilistic model; personal addresses are unchanged."""

from __future__ import annotations

import pandas as pd
import pytest
from test_identity_names import _data, _person

from clusterkit.identity import IdentityConfig, resolve_identities
from clusterkit.identity.accounts import account_table
from clusterkit.identity.households import household_emails
from clusterkit.identity.model import HOUSEHOLD
from clusterkit.identity.rules import rule_links

# names the detector reads from the data: first and last names of every account
NAMES = [("n1", "twitter", "Edward Taylor", "etaylor", None),
         ("n2", "twitter", "Kavya Mehta", "kmehta", None),
         ("n3", "twitter", "Daniel Mendes", "dmendes", None),
         ("n4", "twitter", "Maria Lopez", "mlopez", None),
         ("n5", "twitter", "Sarah Thompson", "sthompson", None),
         ("n6", "twitter", "Ann Roberts", "aroberts", None),
         ("n7", "twitter", "Andrzej Walczak", "awalczak", None),
         ("n8", "twitter", "Fernando Gray", "fgray", None)]


@pytest.mark.parametrize("email, household", [
    ("thetaylors@mail.io", True),          # the + plural last name
    ("mehtafamily@mail.io", True),         # last name + household word
    ("walczak.home@mail.io", True),        # household word between separators
    ("danielandmaria@mail.io", True),      # two first names joined by "and"
    ("thompsons2016@mail.io", True),       # plural last name (with digits)
    ("thegrays@mail.io", True),
    ("edward.taylor@mail.io", False),      # a person's address
    ("fernando.lopez@mail.io", False),     # "and" inside a first name
    ("alexanderson@mail.io", False),       # "and" inside a name, parts are not first names
    ("roberts@mail.io", False),            # Roberts is a last name itself
    ("homer.taylor@mail.io", False),       # "home" inside a word
    ("homewood@mail.io", False),           # a word before a last name: a surname
    ("kmehta84@mail.io", False),
])
def test_household_addresses_are_read_from_the_local_part(email, household):
    data = _data(NAMES + [("x", "newsletter", None, None, email)])
    acc = account_table(data, IdentityConfig()).set_index("member_id")
    assert bool(acc.loc["x", "household"]) is household


def test_no_email_no_names_nothing_is_a_household():
    acc = pd.DataFrame({"email_user": [None, "thetaylors"], "given": [None, None],
                        "last": [None, None]}, dtype="string")
    assert household_emails(acc).tolist() == [False, False]  # no last name to read it with


def test_a_name_of_the_data_is_not_a_household_and_labels_do_not_matter():
    acc = pd.DataFrame({
        "email_user": ["john.smith", "my.home", "hausmann", "alexandrina", "thetaylors"],
        "given": ["john", "alex", "rina", "alexandrina", None],
        "last": ["smith", "mann", "hausmann", "taylor", None]},
        index=[0, 0, 1, 1, 2], dtype="string")  # repeated labels: read by position
    assert household_emails(acc).tolist() == [False, True, False, False, True]


@pytest.mark.parametrize("email, linked", [("thetaylors@mail.io", False),
                                           ("edward.taylor@mail.io", True)])
def test_email_rule_does_not_link_an_unnamed_account_through_a_household_address(email, linked):
    data = _data(NAMES + [("a", "newsletter", None, None, email),
                          ("b", "shop", "Edward Taylor", None, email)])
    links, notes = rule_links(account_table(data, IdentityConfig()), None, IdentityConfig())
    pairs = links[["member_id_l", "member_id_r"]].values.tolist()
    assert (["a", "b"] in pairs) is linked
    assert any("reads as a household's" in n for n in notes) is not linked


def test_compatible_names_still_link_through_a_household_address():
    data = _data(NAMES + [("a", "facebook", "Ed Taylor", None, "thetaylors@mail.io"),
                          ("b", "shop", "Edward Taylor", None, "thetaylors@mail.io"),
                          ("c", "newsletter", "Jane Taylor", None, "thetaylors@mail.io")])
    links, _ = rule_links(account_table(data, IdentityConfig()), None, IdentityConfig())
    assert links[["member_id_l", "member_id_r"]].values.tolist() == [["a", "b"]]


def test_household_address_is_no_evidence_in_the_model():
    rows = NAMES + [("h1", "newsletter", None, None, "thequarringtons@mail.io"),
                    ("h2", "shop", "Mary Quarrington", None, "thequarringtons@mail.io"),
                    ("p1", "newsletter", None, None, "zorbanek.q@mail.io"),
                    ("p2", "shop", "Ivo Zorbanek", None, "zorbanek.q@mail.io")]
    res = resolve_identities(_data(rows, background=1500), IdentityConfig(), seed=0)
    assert _person(res, "p1") == _person(res, "p2")       # a personal address links
    assert _person(res, "h1") != _person(res, "h2")       # a household's does not
    level = res.model[res.model["level"] == HOUSEHOLD]
    assert len(level) == 1 and float(level["bayes_factor"].iat[0]) == 1.0
