"""Where the output cannot be written, or the process is told to stop: one line, exit 2
(143 for SIGTERM), found before any work where it can be, and nothing half-written."""

import errno
import os
import signal

import pytest

from clusterkit.cli.app import main
from clusterkit.errors import ClusterkitInputError
from clusterkit.provenance import atomic_folder, check_output


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux /proc")
def test_an_output_nobody_can_write_is_refused_before_the_run(tmp_path, capsys):
    with pytest.raises(ClusterkitInputError, match="cannot be written"):
        check_output("/proc/clusterkit-out")
    data = tmp_path / "d"
    assert main(["generate", "--members", "50", "--out", str(data)]) == 0
    capsys.readouterr()
    assert main(["run", "--data", str(data), "--out", "/proc/clusterkit-out",
                 "--no-report"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot be written" in err[0] and "--out" in err[0]


def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path):
    out = tmp_path / "run"
    with pytest.raises(ClusterkitInputError, match="free space there"):
        with atomic_folder(out) as tmp:
            (tmp / "segments.csv").write_text("member_id\n")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert os.listdir(tmp_path) == []  # neither the output nor its temporary folder


def test_other_os_errors_stay_internal(tmp_path):
    with pytest.raises(PermissionError):
        with atomic_folder(tmp_path / "run"):
            raise PermissionError(errno.EPERM, "not permitted")
    assert os.listdir(tmp_path) == []


def test_sigterm_unwinds_and_leaves_nothing(tmp_path, monkeypatch, capsys):
    from clusterkit.synthetic import community

    def stopped(self, out, **kw):  # the process is told to stop halfway through the write
        (out / "events.csv").write_text("member_id,action,timestamp\n")
        os.kill(os.getpid(), signal.SIGTERM)
        raise AssertionError("not stopped")  # pragma: no cover - the handler raises first

    monkeypatch.setattr(community.SyntheticData, "write", stopped)
    before = signal.getsignal(signal.SIGTERM)
    assert main(["generate", "--members", "50", "--out", str(tmp_path / "d")]) == 143
    assert "terminated" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []
    assert signal.getsignal(signal.SIGTERM) is before  # restored for whoever called main


def test_the_next_write_removes_what_a_killed_run_left_beside_out(tmp_path):
    # a killed run leaves its save's temporary folder (.tmp) or a part built before the
    # pipeline (.part, the profile index's); the next write to the same out removes them,
    # and never those of a process still running
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    out = tmp_path / "run"
    stale = [tmp_path / f".run.{dead}.abc.tmp", tmp_path / f".run.{dead}.xyz.part"]
    live = tmp_path / f".run.{os.getpid()}.keep.part"
    for p in (*stale, live):
        p.mkdir()
    with atomic_folder(out) as tmp:
        (tmp / "manifest.json").write_text("{}")
    assert not any(p.exists() for p in stale) and live.exists()
