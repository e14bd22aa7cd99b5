"""Progress inside long steps: a run reports its feature builders, attribution models and
bootstrap replicates to a ``detail`` callback (the CLI shows them beside the bar)."""

from clusterkit.config import RunConfig, apply_overrides
from clusterkit.data import CommunityData
from clusterkit.pipeline import STEPS, Pipeline
from clusterkit.provenance import StepClock, step_detail


def test_a_run_reports_where_its_long_steps_are(small_synth):
    data = CommunityData.from_frames(**small_synth.tables)
    cfg = apply_overrides(RunConfig(), ["attribution.bootstrap=3",
                                        "engine.attribution_beside=false"])
    steps, details = [], []
    Pipeline(cfg).run(data, progress=steps.append,
                      detail=lambda step, text: details.append((step, text)))
    # each step once; a whole run attributes first, while only the data are held
    assert steps == ["attribution", *STEPS[:-1]]
    assert [t for s, t in details if s == "features"] == [f.name for f in cfg.features]
    boots = [t for s, t in details if s == "attribution" and t.startswith("bootstrap")]
    assert boots and boots[-1] == "bootstrap 3/3"
    assert {s for s, _ in details} <= set(STEPS)


def test_detail_outside_a_step_or_without_a_listener_is_a_no_op():
    step_detail("nobody listens")
    seen = []
    clock = StepClock({}, {}, progress=seen.append)  # no detail callback
    with clock("fit"):
        step_detail("ignored")
    quiet = StepClock({}, {}, detail=lambda s, t: seen.append((s, t)))
    with quiet("load", report=False):
        step_detail("silent step")
    assert seen == ["fit"]


def test_a_step_runs_with_one_blas_thread_and_gives_the_threads_back():
    # BLAS threads change the order of sums with the machine's cores, and on a run's small
    # problems only contend (attribution 2.8x slower with 2 threads at 200,000 members)
    import numpy  # noqa: F401  (loads the BLAS that threadpoolctl reports)
    from threadpoolctl import threadpool_info

    from clusterkit.provenance import StepClock

    def blas_threads():
        return {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}

    before = blas_threads()
    with StepClock({}, {})("attribution"):
        inside = blas_threads()
    assert inside == {1}
    assert blas_threads() == before


def test_each_step_records_its_own_peak_memory_not_the_runs_so_far():
    """A light step after a heavy one reports its own peak, not the heavy step's."""
    import numpy as np

    timings, memory = {}, {}
    clock = StepClock(timings, memory)
    with clock("heavy"):
        a = np.ones(60_000_000)  # 480 MB, held to the step's end (its last sample)
    del a
    with clock("light"):
        np.ones(1000).sum()
    assert memory["heavy"] - memory["light"] > 300  # MiB: the running peak gives <= 0


def test_the_manifest_has_every_steps_peak_and_the_runs():
    from clusterkit.data import CommunityData
    from clusterkit.pipeline import STEPS, Pipeline
    from clusterkit.synthetic import generate

    data = CommunityData.from_frames(**generate(200, seed=3).tables)
    peaks = Pipeline().run(data).manifest["peak_memory_mb"]
    assert set(STEPS) | {"run"} == set(peaks)
    assert peaks["run"] >= max(v for k, v in peaks.items() if k != "run") > 0


def test_one_blas_thread_holds_while_any_overlapping_block_runs():
    # a step beside the others and the steps in front enter and leave the process-wide
    # limit in any order: the threads come back only when the last block leaves
    import threading

    import numpy  # noqa: F401
    from threadpoolctl import threadpool_info

    from clusterkit.provenance import one_blas_thread

    def blas_threads():
        return {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}

    before, entered, leave, seen = blas_threads(), threading.Event(), threading.Event(), []

    def beside():
        with one_blas_thread():
            entered.set()
            leave.wait(10)

    t = threading.Thread(target=beside)
    with one_blas_thread():
        t.start()
        entered.wait(10)
    seen.append(blas_threads())  # the block in front has left; the one beside has not
    leave.set()
    t.join()
    assert seen == [{1}]
    assert blas_threads() == before


def test_a_step_beside_reports_its_detail_only_once_the_run_waits_for_it():
    import threading

    go, early, seen, steps = threading.Event(), threading.Event(), [], []
    clock = StepClock({}, {}, progress=steps.append,
                      detail=lambda step, text: seen.append((step, text)))

    def work():
        step_detail("early")  # the bar belongs to the steps in front: not shown
        early.set()
        go.wait(10)
        step_detail("late")
        return 7

    job = clock.beside("attribution", work)
    with clock("features"):
        step_detail("building")
    early.wait(10)
    threading.Timer(0.2, go.set).start()
    assert job.result() == 7
    assert steps == ["features", "attribution"]
    assert seen == [("features", "building"), ("attribution", "late")]


def test_a_step_beside_stops_at_its_next_detail_when_asked():
    # a run that fails in front leaves its step beside running; at exit it is stopped
    # at its next step_detail instead of running on under the interpreter's shutdown
    import threading
    import time

    import pytest

    from clusterkit.provenance import Beside

    started, rounds = threading.Event(), []

    def work():
        started.set()
        for i in range(1000):
            step_detail(f"round {i}")
            rounds.append(i)
            time.sleep(0.01)

    job = StepClock({}, {}).beside("attribution", work)
    started.wait(10)
    assert Beside.running()
    Beside.stop_all(timeout=10)
    assert not Beside.running() and len(rounds) < 1000
    with pytest.raises(InterruptedError, match="attribution: stopped"):
        job.result()


def test_a_spike_inside_one_numpy_call_is_read_from_the_high_water_mark():
    """The sampling thread cannot run while numpy holds the GIL, so a block whose peak lies
    inside one call is read from the process's high-water mark, when the block raised it
    (a fresh process, so that the block does raise it)."""
    import subprocess
    import sys
    import textwrap

    import pytest

    code = textwrap.dedent("""
        import numpy as np
        from clusterkit.provenance import PeakMemory, high_water_bytes
        if high_water_bytes() is None:
            print("skip")
            raise SystemExit
        with PeakMemory(interval=60.0) as mem:  # the sampler never samples
            float(np.ones(50_000_000).sum())  # 400 MB, freed inside the block
        with PeakMemory(interval=60.0) as low:  # below the earlier peak: sampled only
            float(np.ones(1_000).sum())
        print(mem.peak_mib, low.peak_mib)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    if out == ["skip"]:
        pytest.skip("no /proc/self/status on this system")
    assert float(out[0]) > 300 and abs(float(out[1])) < 50
