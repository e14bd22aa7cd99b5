"""The learned role methods: prototypes (cluster, then name) and RolX (ReFeX + NMF + MDL)."""

import re

import numpy as np
import pandas as pd
import pytest

from clusterkit.data import CommunityData
from clusterkit.errors import ConfigError
from clusterkit.features import build_features
from clusterkit.metrics import role_macro_f1
from clusterkit.registry import get_stage
from clusterkit.stages.roles import ROLES
from clusterkit.stages.roles.evidence import role_evidence
from clusterkit.stages.roles.prototypes import PrototypeRoles
from clusterkit.stages.roles.refex import _base_features
from clusterkit.stages.roles.rolx import RolXRoles, log_bin, refex_features
from clusterkit.synthetic.community import generate

NUMBER = re.compile(r"\d+(\.\d+)?")


@pytest.fixture(scope="module")
def synth():
    return generate(1500, seed=21)


@pytest.fixture(scope="module")
def data(synth):
    return CommunityData.from_frames(**synth.tables)


@pytest.fixture(scope="module")
def X(data):
    table, _ = build_features(data, [("behaviour", {}), ("graph", {}), ("interaction", {})])
    return table


@pytest.fixture(scope="module")
def truth(synth, X):
    return synth.truth.loc[X.index, "role"].to_numpy(dtype=object)


@pytest.fixture(scope="module")
def fitted(X, data):
    return {
        "prototypes": PrototypeRoles(random_state=0).fit(X),
        "rolx": RolXRoles(random_state=0).fit(X, data=data),
        "rolx-table": RolXRoles(random_state=0).fit(X),
    }


def test_registered():
    assert get_stage("roles", "prototypes") is PrototypeRoles
    assert get_stage("roles", "rolx") is RolXRoles


@pytest.mark.parametrize("name", ["prototypes", "rolx", "rolx-table"])
def test_every_member_one_role_confidence_secondary(fitted, X, name):
    stage = fitted[name]
    assert len(stage.roles_) == len(X)
    assert set(stage.roles_) <= set(ROLES)
    assert set(stage.roles_) == set(ROLES)  # all four roles occur on this data
    conf = np.asarray(stage.confidence_, dtype=float)
    assert np.isfinite(conf).all() and (conf >= 0).all() and (conf <= 1).all()
    assert set(stage.secondary_) <= set(ROLES)
    assert (stage.secondary_ != stage.roles_).all()


@pytest.mark.parametrize("name", ["prototypes", "rolx", "rolx-table"])
def test_explanations_name_role_and_quote_numbers(fitted, name):
    stage = fitted[name]
    for role, text in zip(stage.roles_, stage.explanations_, strict=True):
        assert text.startswith(role + ": ")
        assert len(NUMBER.findall(text)) >= 6
        assert "distinct amplifiers" in text


@pytest.mark.parametrize("name", ["prototypes", "rolx"])
def test_matches_planted_roles(fitted, truth, name):
    assert role_macro_f1(truth, fitted[name].roles_) >= 0.7


def test_prototype_explanation_quotes_the_deciding_distances(fitted):
    stage = fitted["prototypes"]
    roles = list(ROLES)
    for i in range(0, len(stage.roles_), 97):
        text = stage.explanations_[i]
        label = stage.labels_[i]
        m = re.match(
            r"(\w+): cluster (\d+) \((\d+) members\) is nearest the \w+ prototype "
            r"\(distance ([\d.]+), next (\w+) at ([\d.]+)\)",
            text,
        )
        assert m, text
        assert int(m.group(2)) == label
        assert int(m.group(3)) == int((stage.labels_ == label).sum())
        d = stage.cluster_distances_[label]
        assert float(m.group(4)) == pytest.approx(d[roles.index(m.group(1))], abs=0.006)
        assert float(m.group(6)) == pytest.approx(d[roles.index(m.group(5))], abs=0.006)
        assert d[roles.index(m.group(1))] == d.min()  # the nearest prototype names it
    assert (stage.cluster_roles_[stage.labels_] == stage.roles_).all()


def test_prototypes_of_declared_vectors_and_missing_columns(X):
    declared = PrototypeRoles(prototypes="declared", random_state=0).fit(X)
    assert set(declared.prototype_origin_.values()) == {"declared"}
    learned = PrototypeRoles(random_state=0).fit(X)
    assert all(o.startswith("rules") for o in learned.prototype_origin_.values())
    few = X[["act_post", "act_like", "act_view", "tenure_days"]]  # no graph, no amplifiers
    stage = PrototypeRoles(random_state=0).fit(few)
    assert len(stage.roles_) == len(X) and set(stage.roles_) <= set(ROLES)
    assert (role_evidence(few)["amplifiers"] == 0).all()


@pytest.mark.parametrize("cls, kwargs", [(PrototypeRoles, {}), (RolXRoles, {})])
def test_deterministic_with_a_seed(X, cls, kwargs):
    a = cls(random_state=3, **kwargs).fit(X)
    b = cls(random_state=3, **kwargs).fit(X)
    np.testing.assert_array_equal(a.roles_, b.roles_)
    np.testing.assert_array_equal(a.confidence_, b.confidence_)
    np.testing.assert_array_equal(a.explanations_, b.explanations_)


def test_rolx_builds_recursive_features_and_chooses_k(fitted, data):
    stage = fitted["rolx"]
    assert stage.graph_used_
    names = stage.feature_names_
    assert any(n.startswith(("mean(", "sum(")) for n in names)
    assert any(
        n.startswith(("mean(mean(", "mean(sum(", "sum(mean(", "sum(sum(")) for n in names
    )  # second round
    assert names[-1] == "evidence:created_share"
    assert 4 <= stage.n_roles_ <= 10
    dl = stage.description_lengths_
    assert list(dl.index) == list(range(4, 11))
    assert stage.n_roles_ == dl["total_bits"].idxmin()
    assert np.allclose(dl["total_bits"], dl["model_bits"] + dl["error_bits"])
    assert stage.membership_.shape == (data.n_members, stage.n_roles_)
    assert np.allclose(stage.membership_.sum(axis=1)[stage.membership_.sum(axis=1) > 0], 1.0)
    assert set(stage.learned_roles_) <= set(ROLES)
    assert "no graph" not in stage.explanations_[0]
    assert "no graph given" in fitted["rolx-table"].explanations_[0]
    assert not fitted["rolx-table"].graph_used_


def test_refex_features_align_with_requested_members(data):
    full = refex_features(data)
    order = data.member_ids[::-1]
    part = refex_features(data, members=order)
    pd.testing.assert_frame_equal(part, full.loc[order])
    assert (full.to_numpy() >= 0).all()


def test_refex_base_features_on_a_known_graph():
    # triangle a-b-c (a and b follow each other) and d hanging on c
    follows = pd.DataFrame(
        {"follower_id": ["a", "b", "b", "c", "d"], "followee_id": ["b", "a", "c", "a", "c"]}
    )
    _, base = _base_features(CommunityData.from_frames(follows=follows))
    got = {k: v.tolist() for k, v in base.items()}
    assert got["follow_in"] == [2, 1, 2, 0]
    assert got["follow_out"] == [1, 2, 1, 1]
    assert got["follow_mutual"] == [1, 1, 0, 0]
    assert got["degree"] == [2, 2, 3, 1]
    assert got["strength"] == [3, 3, 3, 1]  # the mutual follow a-b counts twice
    assert got["egonet_edges"] == [3, 3, 4, 1]
    assert got["egonet_boundary"] == [1, 1, 0, 2]


def test_rolx_rejects_features_of_other_members(X, data):
    other = X.rename(index=lambda m: "x" + m)
    with pytest.raises(ValueError, match="not members of `data`"):
        RolXRoles(n_roles=4, random_state=0).fit(other, data=data)


def test_rolx_fixed_number_of_roles(X):
    stage = RolXRoles(n_roles=6, random_state=0).fit(X)
    assert stage.n_roles_ == 6 and stage.membership_.shape[1] == 6


def test_log_bin_is_vertical_logarithmic():
    values = np.arange(64, dtype=float)[:, None]
    bins = log_bin(values).ravel()
    assert (np.bincount(bins.astype(int)) == [32, 16, 8, 4, 2, 1, 1]).all()


@pytest.mark.parametrize(
    "cls, param, value",
    [
        (PrototypeRoles, "n_clusters", 2),
        (PrototypeRoles, "n_clusters", 12.5),
        (PrototypeRoles, "prototypes", "centroids"),
        (RolXRoles, "max_roles", 0),
        (RolXRoles, "prune_threshold", 1.5),
    ],
)
def test_bad_parameters(X, cls, param, value):
    with pytest.raises(ValueError, match=rf"The '{param}' parameter of {cls.__name__} must be"):
        cls(**{param: value}).fit(X)


def test_rolx_role_range_must_be_ordered(X):
    with pytest.raises(ConfigError, match="min_roles"):
        RolXRoles(min_roles=8, max_roles=5).fit(X)
