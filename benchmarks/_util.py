"""Shared helpers for the benchmarks: wall time and peak memory of a call in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap


def measure(code: str, timeout: int = 1800) -> dict:
    """Run ``code`` in a fresh interpreter; it must print one JSON line of results.

    Peak RSS (MiB) of the child is added as ``peak_mb``, so each measurement starts from a
    clean process and measures only itself.
    """
    wrapper = textwrap.dedent("""
        import json, resource, sys, time
        __t0 = time.perf_counter()
        {body}
        __res = dict(result)
        __res["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        print("@@" + json.dumps(__res))
    """).format(body=textwrap.indent(textwrap.dedent(code), "").strip())
    proc = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("@@")][-1]
    return json.loads(line[2:])
