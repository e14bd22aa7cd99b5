"""Issue 15: SIGKILL of ``clusterkit run`` at any moment (small, fast version of
``benchmarks/sigkill.py``; harness and what is compared: ``tests/sigkill_harness.py``).

A run of 300 members is killed once during the pipeline and once during its final save.
After each kill nothing is at ``--out`` (or, after the final rename, the complete folder),
a temporary folder left by the save is private (0700), the rerun succeeds, removes it, and
its outputs equal those of an uninterrupted run.
"""

from __future__ import annotations

import pytest
from sigkill_harness import compare_runs, kill_at, rerun, timed_run

from clusterkit.synthetic.community import generate

pytestmark = pytest.mark.slow

SETS = ("attribution.bootstrap=0",)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    work = tmp_path_factory.mktemp("sigkill")
    data = generate(300, seed=4).write(work / "data")
    home = work / "home"
    base = timed_run(data, work / "reference", home, SETS)
    assert base["rc"] == 0, base["stderr"]
    return work, data, home, base


def test_rerun_of_an_uninterrupted_run_is_identical(reference):
    work, data, home, _ = reference
    assert timed_run(data, work / "again", home, SETS)["rc"] == 0
    assert compare_runs(work / "reference", work / "again") == []


@pytest.mark.parametrize("in_save", [False, True], ids=["pipeline", "save"])
def test_kill_leaves_nothing_and_the_rerun_is_identical(reference, in_save):
    work, data, home, base = reference
    out = work / "out"
    at = 0.0 if in_save else base["wall_s"] * 0.5
    rec = kill_at(data, out, home, at, SETS, in_save=in_save)
    assert rec.out_after_kill in ("absent", "complete"), rec
    assert all(mode == "0o700" for mode in rec.temp_modes), rec
    rec = rerun(rec, data, out, home, work / "reference", SETS)
    assert rec.rerun_rc == 0, rec.differences
    assert rec.temp_after_rerun == [], rec
    assert rec.differences == [], rec
    assert rec.ok, rec
