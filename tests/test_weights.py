"""Weights files: formats, channel-specific weights, errors naming file and row."""

import pytest

from clusterkit.errors import DataError
from clusterkit.weights import load_weights


def test_yaml_and_json_with_channels(tmp_path):
    y = tmp_path / "w.yaml"
    y.write_text("share: 6\nlike: {'*': 1.5, newsletter: 0.2}\n")
    assert load_weights(y) == ({"like": 1.5, "share": 6.0}, {"like": {"newsletter": 0.2}})
    j = tmp_path / "w.json"
    j.write_text('{"Purchase": 10}')
    assert load_weights(j) == ({"purchase": 10.0}, {})


@pytest.mark.parametrize("name, text, message", [
    ("w.csv", "action,weight\nshare,lots\n", r"row 1: weight 'lots' is not a number"),
    ("w.csv", "action,weight\nshare,-1\n", r"must be finite and >= 0"),
    ("w.csv", "action,value\nshare,1\n", r"missing required column 'weight'"),
    ("w.yaml", "- share\n", r"must map action to weight"),
    ("w.txt", "share 1\n", r"unknown weights format"),
])
def test_errors_name_file_and_fix(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(DataError, match=message) as err:
        load_weights(path)
    assert name in str(err.value)
