"""The run folder: extras written beside the core files, and nothing left on failure."""

import threading
import time

import pytest

from clusterkit.config import load_config
from clusterkit.data import CommunityData
from clusterkit.pipeline import Pipeline
from clusterkit.run_folder import write_run_folder
from clusterkit.synthetic import generate


@pytest.fixture(scope="module")
def result():
    data = CommunityData.from_frames(**generate(300, seed=2).tables)
    return Pipeline(load_config(None, ["attribution.enabled=false"])).run(data)


def test_extras_run_beside_the_core_files_and_all_land(result, tmp_path):
    seen = []

    def extra(name):
        def write(folder, res, data):
            seen.append(threading.current_thread().name)
            (folder / name).write_text(name)
        return write

    out = write_run_folder(result, tmp_path / "run", extras=[extra("a.txt"), extra("b.txt")])
    assert (out / "a.txt").read_text() == "a.txt" and (out / "b.txt").exists()
    assert (out / "segments.csv").exists() and (out / "manifest.json").exists()
    assert threading.main_thread().name not in seen  # not in the thread writing the core


def test_a_failing_extra_leaves_nothing_and_waits_for_the_others(result, tmp_path):
    finished = []

    def slow(folder, res, data):
        time.sleep(0.5)
        (folder / "slow.txt").write_text("done")
        finished.append(True)

    def broken(folder, res, data):
        raise RuntimeError("extra failed")

    with pytest.raises(RuntimeError, match="extra failed"):
        write_run_folder(result, tmp_path / "run", extras=[slow, broken])
    assert finished  # the slow extra ended before the temporary folder was removed
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no run, no temporary folder
