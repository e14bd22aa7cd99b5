"""Generated tables are written in chunks: the same files as writing each table at once."""

import gzip

import numpy as np
import pandas as pd
import pytest

from clusterkit.synthetic import generate
from clusterkit.synthetic._tables import LazyTable, Tables, write_tables


@pytest.fixture(scope="module")
def synth():
    return generate(400, seed=5)


@pytest.mark.parametrize("fmt", ["csv", "csv.gz", "jsonl", "parquet"])
def test_chunked_writing_gives_the_tables_written_whole(synth, tmp_path, fmt):
    chunked, whole = tmp_path / "chunked", tmp_path / "whole"
    chunked.mkdir()
    whole.mkdir()
    write_tables(synth.tables, chunked, fmt, size=997)  # several chunks per table
    for name in synth.tables:
        df, a, b = synth.tables[name], chunked / f"{name}.{fmt}", whole / f"{name}.{fmt}"
        if fmt == "parquet":
            df.to_parquet(b, index=False)
            pd.testing.assert_frame_equal(pd.read_parquet(a), pd.read_parquet(b))
        elif fmt == "jsonl":
            df.to_json(b, orient="records", lines=True)
            assert a.read_bytes() == b.read_bytes()
        else:
            df.to_csv(b, index=False, compression=None)
            got = gzip.decompress(a.read_bytes()) if fmt == "csv.gz" else a.read_bytes()
            assert got == b.read_bytes()


def test_a_column_missing_in_the_first_chunk_keeps_its_text_type(tmp_path):
    email = np.array([None] * 5 + ["a@x.test", "b@x.test"], dtype=object)
    table = LazyTable(7, {"member_id": lambda r: np.array(list("abcdefg"), dtype=object)[r],
                          "email": lambda r: email[r]})
    write_tables(Tables({"members": table}), tmp_path, "parquet", size=3)
    back = pd.read_parquet(tmp_path / "members.parquet")
    assert back["email"].tolist()[5:] == ["a@x.test", "b@x.test"]
    assert back["email"].isna().sum() == 5


def test_tables_build_each_frame_once_and_unpack_like_a_dict(synth):
    assert synth.tables["events"] is synth.tables["events"]
    assert sorted(dict(**synth.tables)) == ["events", "follows", "identities", "members"]
    assert len(synth.tables["events"]) == len(synth.tables.raw["events"])
