"""Identity resolution inside the pipeline: a run per person, and no change when nothing links."""

import pandas as pd
import pytest

from clusterkit import save_run
from clusterkit.config import RunConfig, apply_overrides
from clusterkit.data import CommunityData
from clusterkit.metrics import role_macro_f1
from clusterkit.pipeline import Pipeline
from clusterkit.results import load_run
from clusterkit.synthetic.community import generate
from clusterkit.synthetic.identity import split_accounts

ON = ["identity.enabled=true"]
QUICK = RunConfig(attribution={"enabled": False})  # neither test reads attribution


@pytest.fixture(scope="module")
def planted():
    return generate(1500, seed=3)


@pytest.fixture(scope="module")
def accounts(planted):
    return split_accounts(planted, seed=1)


def _f1(result, truth) -> float:
    true = truth.reindex(result.segments["member_id"])["role"].to_numpy(dtype=object)
    return role_macro_f1(true, result.segments["role"].to_numpy(dtype=object))


@pytest.mark.slow
def test_run_per_person_is_truer_than_per_account(accounts, tmp_path):
    data = CommunityData.from_frames(**accounts.tables)
    per_account = Pipeline(QUICK).run(data)
    per_person = Pipeline(apply_overrides(QUICK, ON)).run(data)
    resolution = per_person.identity
    assert len(per_account.segments) == data.n_members
    assert len(per_person.segments) == resolution.n_persons < data.n_members
    # one person's scattered accounts, taken together, show the role the generator planted
    assert _f1(per_person, accounts.truth) > _f1(per_account, accounts.truth) + 0.05
    # every account is listed under exactly one person
    listed = per_person.segments["accounts"].str.split(";").explode()
    assert sorted(listed) == sorted(data.member_ids)
    summary = per_person.manifest["identity"]
    assert summary["persons"] == resolution.n_persons
    assert summary["members"] == data.n_members

    out = save_run(per_person, tmp_path / "run", data=data)
    links = pd.read_parquet(out / "identity_links.parquet")
    persons = pd.read_parquet(out / "persons.parquet")
    assert len(persons) == data.n_members
    assert int(links["merged"].sum()) == data.n_members - resolution.n_persons
    assert load_run(out).segments["member_id"].tolist() == per_person.segments[
        "member_id"].tolist()


def test_nothing_to_link_leaves_the_outputs_unchanged(planted, tmp_path):
    data = CommunityData.from_frames(**planted.tables)
    off = Pipeline(QUICK).run(data).save(tmp_path / "off")
    on = Pipeline(apply_overrides(QUICK, ON)).run(data).save(tmp_path / "on")
    for name in ("segments.csv", "segment_summary.csv"):
        assert (off / name).read_bytes() == (on / name).read_bytes()
