"""Provenance, in one home: package versions, config hash, peak memory, atomic folder writes.

Also the step clock that times and measures a run's steps, with the run's thread policy
(:class:`StepClock`, :func:`one_blas_thread`, a step beside the others: :class:`Beside`).

Every artefact clusterkit writes (run folders, comparisons, campaign cards, exports) records
how it was made with these helpers, and is written with :func:`atomic_folder` so that a
failure never leaves a half-written folder behind.

Examples
--------
>>> v = versions(("numpy",))
>>> sorted(v)
['numpy', 'python']
>>> config_hash({"seed": 42}) == config_hash({"seed": 42})
True
"""

from __future__ import annotations

import atexit
import errno
import functools
import hashlib
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from clusterkit.errors import ClusterkitInputError

__all__ = ["VERSIONED", "Beside", "PeakMemory", "StepClock", "atomic_folder", "check_output",
           "config_hash", "high_water_bytes", "json_default", "peak_rss_mb", "release_freed_memory",
           "resident_bytes", "side_by_side", "step_detail", "usable_cores", "versions"]

VERSIONED = ("clusterkit", "numpy", "pandas", "scikit-learn", "scipy", "igraph", "leidenalg",
             "python-louvain", "duckdb", "pyarrow", "hdbscan", "umap-learn", "networkx",
             "statsmodels", "splink")
"""Packages whose versions every run records."""


def versions(names=VERSIONED) -> dict:
    """Python's version and the installed version of each named package (None if absent)."""
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def config_hash(config) -> str:
    """SHA-256 (first 16 hex digits) of a resolved configuration.

    ``config`` is a JSON-able mapping or an object with ``resolved()`` (a
    :class:`~clusterkit.config.RunConfig`).
    """
    resolved = config.resolved() if hasattr(config, "resolved") else config
    text = json.dumps(resolved, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def resident_bytes() -> int | None:
    """Bytes this process holds in memory now (None where ``/proc`` cannot be read)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            pages = int(fh.read().split()[1])
        return pages * (os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096)
    except (OSError, ValueError, IndexError):
        return None


def high_water_bytes() -> int | None:
    """The most bytes this process has held in memory so far (``VmHWM``; None where
    ``/proc`` cannot be read)."""
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def side_by_side(fn, args, jobs: int, first=None) -> list:
    """``[fn(*a) for a in args]``, with up to ``jobs`` of them at once in threads.

    For independent pieces whose work releases the GIL (NumPy, SciPy, DuckDB,
    scikit-learn's Cython). Results come back in the order of ``args`` whatever order they
    ran in, so the output does not depend on ``jobs``. ``first``: a key on an ``args``
    tuple, lowest submitted first (e.g. the largest piece, so that the threads end
    together).

    Examples
    --------
    >>> side_by_side(lambda lo, hi: hi - lo, [(0, 3), (3, 10)], jobs=2)
    [3, 7]
    """
    args = list(args)
    if jobs <= 1 or len(args) <= 1:
        return [fn(*a) for a in args]
    from concurrent.futures import ThreadPoolExecutor

    order = sorted(range(len(args)), key=lambda i: first(args[i])) if first else range(len(args))
    with ThreadPoolExecutor(min(int(jobs), len(args))) as pool:
        pending = {i: pool.submit(fn, *args[i]) for i in order}
        return [pending[i].result() for i in range(len(args))]


def available_memory() -> int | None:
    """Bytes the system can still give this process, or None where that cannot be read.

    ``MemAvailable`` of ``/proc/meminfo``, capped by the room left under the memory limit
    of the process's control group where one is set (a container, a batch job): cgroup v2
    (``memory.max``) or v1 (``memory.limit_in_bytes`` of the group ``/proc/self/cgroup``
    names). A v1 group's usage counts page cache, which the kernel reclaims before it
    refuses memory, so the room there is a lower bound.
    """
    try:
        with open("/proc/meminfo", "rb") as fh:
            kb = next(int(line.split()[1]) for line in fh if line.startswith(b"MemAvailable:"))
    except (OSError, StopIteration, ValueError, IndexError):
        return None
    free = kb * 1024
    room = _cgroup_room()
    return max(min(free, room) if room is not None else free, 0)


def _cgroup_room(root: str = "/sys/fs/cgroup", own: str = "/proc/self/cgroup") -> int | None:
    """Limit minus usage of this process's memory control group (None without a limit)."""
    pairs = [(f"{root}/memory.max", f"{root}/memory.current")]
    try:
        with open(own) as fh:
            for line in fh:  # v1: "4:memory:/path"
                _, controllers, path = line.rstrip("\n").split(":", 2)
                if "memory" in controllers.split(","):
                    base = f"{root}/memory{path}".rstrip("/")
                    pairs.append((f"{base}/memory.limit_in_bytes",
                                  f"{base}/memory.usage_in_bytes"))
    except (OSError, ValueError):
        pass
    for limit_file, usage_file in pairs:
        try:
            with open(limit_file, "rb") as fh:
                limit = fh.read().strip()
            if limit == b"max" or int(limit) >= 2 ** 62:  # v1 writes "no limit" as ~2**63
                continue
            with open(usage_file, "rb") as fh:
                return int(limit) - int(fh.read())
        except (OSError, ValueError):
            continue
    return None


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def release_freed_memory() -> None:
    """Return the memory that the allocators keep after frees to the operating system.

    - pyarrow's default pool (mimalloc or jemalloc) holds on to freed blocks for reuse by
      Arrow; numpy and pandas allocate elsewhere, so the held blocks only add to the peak.
      After loading 200,000 members it held 557 MiB of 1,610 MiB resident. Skipped when
      pyarrow was never imported (no import is made here).
    - glibc's ``malloc`` keeps freed blocks under its mmap threshold (which rises to 32 MiB
      after large frees) in its heaps; ``malloc_trim(0)`` gives their pages back. At
      1,000,000 members, what the community step left resident fell from 1.35 to 0.72 GB.
      Skipped where the C library is not glibc.
    """
    pa = sys.modules.get("pyarrow")
    if pa is not None:
        pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or None elsewhere."""
    import ctypes
    import ctypes.util

    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


class PeakMemory:
    """Peak resident memory during a ``with`` block, sampled every 20 ms: ``peak_mib`` is
    what the block added over its start, ``rss_peak_mib`` the process's resident memory at
    the block's highest (both NaN where ``/proc/self/statm`` cannot be read).

    The sampler misses a spike shorter than its interval, and any spike inside one call
    that holds the GIL (a numpy operation): the sampling thread cannot run then. At
    1,000,000 members the roles step sampled 6.85 GiB where the process reached 7.14 GiB.
    So when the process's own high-water mark (``VmHWM``) rises during the block, the
    block's peak is that mark, which is exact. Otherwise the block stayed below an earlier
    peak, and the sampled figure is a lower bound. The mark is never reset, because
    resetting it would also reset what ``time -v`` reports.

    Examples
    --------
    >>> import numpy as np
    >>> with PeakMemory() as mem:
    ...     a = np.ones(20_000_000)  # 160 MB, held to the block's end
    >>> bool(mem.peak_mib > 100 or np.isnan(mem.peak_mib)), bool(mem.rss_peak_mib >= mem.peak_mib)
    (True, True)
    """

    def __init__(self, interval: float = 0.02):
        self.interval = interval
        self.peak_mib = self.rss_peak_mib = float("nan")

    @staticmethod
    def _rss() -> int | None:
        return resident_bytes()

    def _loop(self):
        while not self._stop.wait(self.interval):
            rss = self._rss()
            if rss is not None and rss > self._max:
                self._max = rss

    def __enter__(self):
        self._start = self._rss()
        self._max = self._start or 0
        self._mark = high_water_bytes()
        self._stop = threading.Event()
        if self._start is not None:
            self._thread = threading.Thread(target=self._loop, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        if self._start is None:
            return False
        self._stop.set()
        self._thread.join()
        end = self._rss()
        peak = max(self._max, end or 0)
        mark = high_water_bytes()
        if mark is not None and self._mark is not None and mark > self._mark:
            peak = max(peak, mark)  # the process's highest yet was reached in the block
        self.peak_mib = round((peak - self._start) / 2**20, 1)
        self.rss_peak_mib = round(peak / 2**20, 1)
        return False


def json_default(obj):
    """``json.dumps`` fallback for NumPy scalars and arrays (anything else as ``str``)."""
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return str(obj)


def check_output(out, kind: str = "run") -> Path:
    """Check that ``out`` can be written as a ``kind`` folder; cheap, so run it before any work.

    ``out`` may be missing (its nearest existing parent must be a folder one can write
    in: a probe folder is made there and removed), an empty folder,
    or a folder holding ``manifest.json`` (a run or compare folder, replaced). Anything else
    (a file, a user's folder, a path under a file) is refused with one line.

    Raises
    ------
    ClusterkitInputError
    """
    out = Path(out)
    if out.exists() and (
            not out.is_dir() or (any(out.iterdir()) and not (out / "manifest.json").exists())):
        raise ClusterkitInputError(
            f"output {str(out)!r} exists and is not a {kind} folder; choose another --out "
            "or remove it."
        )
    parent = out.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise ClusterkitInputError(
            f"output {str(out)!r} cannot be created: {str(parent)!r} is a file, not a "
            "folder; choose another --out."
        )
    try:  # a read-only file system, /proc, no permission: found before any work is done
        os.rmdir(tempfile.mkdtemp(prefix=".clusterkit-probe.", dir=parent))
    except OSError as exc:
        raise ClusterkitInputError(
            f"output {str(out)!r} cannot be written: {exc.strerror} in {str(parent)!r}; "
            "choose another --out.") from None
    return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def _remove_stale(out: Path) -> None:
    """Remove temporary folders beside ``out`` left by a killed write (their process is gone).

    Temporary folders are named ``.{out}.{pid}.*.tmp`` (``.part``: parts built before the
    run, such as the profile index's) and replaced ones ``.{out}.old-{pid}``; only those
    whose process no longer runs on this machine are removed, so a concurrent write is
    never touched.
    """
    if not out.parent.is_dir():
        return
    head = f".{out.name}."
    for p in out.parent.iterdir():
        name = p.name
        if not name.startswith(head):
            continue
        rest = name[len(head):]
        if rest.startswith("old-"):
            pid = rest[4:]
        elif name.endswith((".tmp", ".part")):
            pid = rest.partition(".")[0]
        else:
            continue
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(p, ignore_errors=True)


@contextmanager
def atomic_folder(out, kind: str = "run"):
    """Write a folder atomically: yield a temporary folder beside ``out``, then rename it.

    An existing ``out`` is replaced only if it is empty or holds ``manifest.json`` (a run or
    compare folder); anything else is refused, so no user folder is ever overwritten. On
    any error the temporary folder is removed and ``out`` is left as it was. The temporary
    folder is private (0700) until the rename; one left by a killed write (SIGKILL) is
    removed by the next write to the same ``out``.
    """
    out = check_output(out, kind)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".tmp",
                                dir=out.parent))  # private (0700) while it is written
    umask = os.umask(0)
    os.umask(umask)
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~umask)  # an output folder is not private
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if exc.errno in _FULL:  # the disk, not the code: one line, exit 2
            raise ClusterkitInputError(
                f"output {str(out)!r} could not be written: {exc.strerror}; free space there "
                "or choose another --out. Nothing was written.") from None
        raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
"""Write errors that say where the output goes is full or read-only."""


_DETAIL: ContextVar = ContextVar("clusterkit_step_detail", default=None)


def step_detail(text: str) -> None:
    """Say where the running step is (e.g. ``"bootstrap 12/100"``), if anyone listens.

    A no-op outside a :class:`StepClock` step that was given a ``detail`` callback, so any
    layer may call it (a long loop calls it once per round, never per member or event).

    Examples
    --------
    >>> seen = []
    >>> with StepClock({}, {}, detail=lambda step, text: seen.append((step, text)))("fit"):
    ...     step_detail("round 1/2")
    >>> step_detail("nobody listens"); seen
    [('fit', 'round 1/2')]
    """
    report = _DETAIL.get()
    if report is not None:
        report(text)


_BLAS: list = []
_BLAS_HELD = {"depth": 0, "limiter": None}
_BLAS_LOCK = threading.Lock()


@contextmanager
def one_blas_thread():
    """A context manager: BLAS (numpy's and scipy's OpenBLAS) on one thread inside it.

    The run's thread policy (see :class:`StepClock`); also used around small optimisations
    called outside a run. The limit is process-wide and counted: the first block to enter
    sets it, the last to leave gives the threads back, so blocks that overlap in several
    threads (a step beside the others, bootstrap replicates) never restore the threads
    while another still runs. The controller is made once, after scipy's BLAS is loaded,
    so entering costs microseconds, not the ~2 ms of a fresh ``threadpool_limits``.
    """
    with _BLAS_LOCK:
        if not _BLAS:
            import scipy.linalg  # noqa: F401  (loads scipy's OpenBLAS, which L-BFGS-B calls)
            from threadpoolctl import ThreadpoolController

            _BLAS.append(ThreadpoolController())
        if _BLAS_HELD["depth"] == 0:
            _BLAS_HELD["limiter"] = _as_any_thread(
                lambda: _BLAS[0].limit(limits=1, user_api="blas"))
        _BLAS_HELD["depth"] += 1
    try:
        yield
    finally:
        with _BLAS_LOCK:
            _BLAS_HELD["depth"] -= 1
            if _BLAS_HELD["depth"] == 0:
                _as_any_thread(_BLAS_HELD["limiter"].restore_original_limits)
                _BLAS_HELD["limiter"] = None


def _as_any_thread(call):
    """``call()``, which sets OpenBLAS's limit, from whichever thread runs it.

    threadpoolctl (3.8 on) lets one thread at a time set OpenBLAS's process-wide limit and
    ignores the others; the counted limit above is set by the first block to enter and
    restored by the last to leave, often in different threads. So control is cleared before
    and after the call: no thread keeps it between two calls.
    """
    import threadpoolctl

    clear = getattr(getattr(threadpoolctl, "OpenBLASController", None),
                    "clear_controlling_thread", None)
    if clear is not None:
        clear(force=True)
    try:
        return call()
    finally:
        if clear is not None:
            clear(force=True)


class StepClock:
    """Times named steps into ``timings`` (seconds) and ``memory`` (each step's own peak
    resident memory, MiB, sampled by :class:`PeakMemory`; the process's peak so far where
    it cannot sample).

    A step runs with one BLAS thread, the run's thread policy beside DuckDB's
    (:data:`clusterkit.data.sql.THREADS`): BLAS threads split sums in an order that depends on
    the machine's cores, and on the small problems of a run (an optimiser's few hundred
    parameters, a replicate's fit) they only contend. OpenBLAS with 2 threads made
    attribution at 200,000 members 2.8 times slower (216 s, against 78 s with one).

    ``clock(name)`` is a context manager; ``progress`` (optional) is called with the name
    as the step starts; ``detail`` (optional) with the name and the text of every
    :func:`step_detail` call inside the step. ``report=False`` times a step silently (no
    progress, no detail, no memory).

    Examples
    --------
    >>> timings, memory = {}, {}
    >>> with StepClock(timings, memory)("load"):
    ...     pass
    >>> sorted(timings), sorted(memory)
    (['load'], ['load'])
    """

    def __init__(self, timings: dict, memory: dict, progress=None, detail=None):
        self.timings, self.memory = timings, memory
        self.progress, self.detail = progress, detail

    @contextmanager
    def __call__(self, name: str, report: bool = True):
        if report and self.progress is not None:
            self.progress(name)
        listen = report and self.detail is not None
        token = _DETAIL.set(lambda text: self.detail(name, text)) if listen else None
        t0 = time.perf_counter()
        mem = PeakMemory() if report else nullcontext()
        try:
            with one_blas_thread(), mem:
                yield
        finally:
            if token is not None:
                _DETAIL.reset(token)
        self.timings[name] = round(time.perf_counter() - t0, 4)
        release_freed_memory()  # what a step freed is not held into the next
        if report:
            own = mem.rss_peak_mib
            self.memory[name] = own if own == own else round(peak_rss_mb(), 1)

    def beside(self, name: str, call) -> Beside:
        """Start step ``name`` (``call()``) in a second thread and return at once.

        The step is timed and its memory sampled like any other (the memory is the
        process's, so it counts the steps running in front too); ``progress`` and ``detail``
        hear of it only once :meth:`Beside.result` waits for it (until then the bar shows
        the steps in front). Its keys take their place in ``timings`` and ``memory`` now,
        so their order does not depend on when it ends. :meth:`Beside.result` waits for it,
        and times the wait as ``{name}_waited``.
        """
        self.timings[name], self.memory[name] = float("nan"), float("nan")
        return Beside(self, name, call)


class Beside:
    """A step running in a second thread (:meth:`StepClock.beside`).

    ``clock`` is the :class:`StepClock` of the run; the step is timed into its timings and
    memory. ``result()`` announces the step to the clock's ``progress`` (the bar then shows
    what the run waits for, and from then on the step's ``detail``), waits for it and
    returns what it returned, or raises what it raised, in the calling thread; the wait
    goes to the timings as ``{name}_waited``. The thread is a daemon: a run that fails in
    front does not wait for it, and at the interpreter's exit it is stopped at its next
    :func:`step_detail` (:meth:`stop_all`).

    Examples
    --------
    >>> timings, memory = {}, {}
    >>> job = StepClock(timings, memory).beside("sum", lambda: sum(range(10)))
    >>> job.result(), list(timings)
    (45, ['sum', 'sum_waited'])
    """

    _started: list = []
    _exit_hook = False

    @classmethod
    def running(cls) -> bool:
        """Whether a step started beside is still running (in any run of the process)."""
        cls._started[:] = [job for job in cls._started if job._thread.is_alive()]
        return bool(cls._started)

    @classmethod
    def stop_all(cls, timeout: float | None = None) -> None:
        """Ask every step still running beside to stop, and wait for them (``timeout``
        seconds each at most). A step stops at its next :func:`step_detail` (a model, a
        bootstrap replicate). Called at the interpreter's exit: a run that failed in front
        leaves its step beside running, and the shutdown would free memory under it."""
        for job in list(cls._started):
            job._stop.set()
        for job in list(cls._started):
            job._thread.join(timeout)

    def __init__(self, clock, name: str, call):
        self.name, self._out, self._waiting = name, {}, threading.Event()
        self._timings, self._progress, self._stop = clock.timings, clock.progress, \
            threading.Event()

        def detail(step, text):  # shown only once the run waits for it: the bar is free
            if self._stop.is_set():
                raise InterruptedError(f"{name}: stopped (the run in front of it ended)")
            if self._waiting.is_set() and clock.detail is not None:
                clock.detail(step, text)

        def work():
            try:
                with StepClock(clock.timings, clock.memory, detail=detail)(name):
                    self._out["value"] = call()
            except BaseException as exc:  # raised again in the thread that waits
                self._out["error"] = exc

        self._thread = threading.Thread(target=work, name=f"clusterkit-{name}", daemon=True)
        if not Beside._exit_hook:  # once per process
            Beside._exit_hook = bool(atexit.register(Beside.stop_all, 600.0))
        Beside._started.append(self)
        self._thread.start()

    def result(self):
        if self._progress is not None:
            self._progress(self.name)
        self._waiting.set()
        t0 = time.perf_counter()
        self._thread.join()
        self._timings[f"{self.name}_waited"] = round(time.perf_counter() - t0, 4)
        if "error" in self._out:
            raise self._out["error"]
        return self._out["value"]
