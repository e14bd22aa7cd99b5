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


def _overlap_recorder():
    """Extras that record how many of them run at the same time."""
    lock, state = threading.Lock(), {"now": 0, "most": 0}

    def extra(name):
        def write(folder, res, data):
            with lock:
                state["now"] += 1
                state["most"] = max(state["most"], state["now"])
            time.sleep(0.3)
            (folder / name).write_text(name)
            with lock:
                state["now"] -= 1
        return write

    return state, [extra("a.txt"), extra("b.txt"), extra("c.txt")]


def test_extras_run_one_at_a_time_when_memory_is_short(result, tmp_path, monkeypatch):
    import clusterkit.run_folder as rf

    gb = 10**9
    monkeypatch.setattr(rf, "resident_bytes", lambda: 5 * gb)
    monkeypatch.setattr(rf, "available_memory", lambda: 3 * gb)  # under 1x the 5 GB held
    state, extras = _overlap_recorder()
    out = write_run_folder(result, tmp_path / "short", extras=extras)
    assert state["most"] == 1 and all((out / n).exists() for n in ("a.txt", "b.txt", "c.txt"))
    monkeypatch.setattr(rf, "available_memory", lambda: None)  # unknown: one at a time
    state, extras = _overlap_recorder()
    write_run_folder(result, tmp_path / "unknown", extras=extras)
    assert state["most"] == 1
    monkeypatch.setattr(rf, "available_memory", lambda: 12 * gb)  # room for two
    state, extras = _overlap_recorder()
    write_run_folder(result, tmp_path / "room", extras=extras)
    assert state["most"] == 2


def test_cgroup_limits_cap_the_available_memory(tmp_path):
    from clusterkit.provenance import _cgroup_room

    own = tmp_path / "cgroup"
    v2 = tmp_path / "v2"
    v2.mkdir()
    (v2 / "memory.max").write_text("8589934592\n")
    (v2 / "memory.current").write_text("1073741824\n")
    own.write_text("0::/\n")
    assert _cgroup_room(str(v2), str(own)) == 7 * 2**30
    (v2 / "memory.max").write_text("max\n")
    assert _cgroup_room(str(v2), str(own)) is None  # no limit
    v1 = tmp_path / "v1"
    group = v1 / "memory" / "batch" / "job 7"
    group.mkdir(parents=True)
    (group / "memory.limit_in_bytes").write_text(str(8 * 2**30))
    (group / "memory.usage_in_bytes").write_text(str(3 * 2**30))
    own.write_text("9:name=systemd:/\n4:cpu,memory:/batch/job 7\n1:cpu:/\n")
    assert _cgroup_room(str(v1), str(own)) == 5 * 2**30
    (group / "memory.limit_in_bytes").write_text("9223372036854771712")  # v1's "no limit"
    assert _cgroup_room(str(v1), str(own)) is None
    assert _cgroup_room(str(tmp_path / "absent"), str(tmp_path / "none")) is None


def test_one_at_a_time_the_first_extra_runs_alone_and_the_core_files_beside_the_rest(
        result, tmp_path, monkeypatch):
    import clusterkit.run_folder as rf

    monkeypatch.setattr(rf, "_extras_at_once", lambda: 1)
    seen = {}

    def first(folder, res, data):
        time.sleep(0.3)
        seen["core during the first"] = (folder / "segments.csv").exists()

    def second(folder, res, data):
        deadline = time.monotonic() + 10
        while not (folder / "manifest.json").exists() and time.monotonic() < deadline:
            time.sleep(0.01)  # the core files are written while this extra runs
        seen["core during the second"] = (folder / "manifest.json").exists()

    write_run_folder(result, tmp_path / "run", extras=[first, second])
    assert seen == {"core during the first": False, "core during the second": True}


def test_light_extras_run_after_the_core_files_beside_the_extras(result, tmp_path,
                                                                  monkeypatch):
    import clusterkit.run_folder as rf

    monkeypatch.setattr(rf, "_extras_at_once", lambda: 1)
    release, seen = threading.Event(), {}

    def first(folder, res, data):
        pass

    def long(folder, res, data):
        release.wait(10)  # ends only once the light extra has run
        seen["light ran during the extra"] = (folder / "light.txt").exists()

    def light(folder, res, data):
        seen["core before"] = (folder / "manifest.json").exists()
        seen["thread"] = threading.current_thread() is threading.main_thread()
        (folder / "light.txt").write_text("x")
        release.set()

    out = write_run_folder(result, tmp_path / "run", extras=[first, long], light=[light])
    assert seen == {"core before": True, "thread": True, "light ran during the extra": True}
    assert (out / "light.txt").exists()
