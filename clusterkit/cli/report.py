"""``clusterkit report RUN``: re-render the HTML report of an existing run folder.

Python equivalent::

    from clusterkit.report import write_run_report
    from clusterkit.results import load_run

    write_run_report("run/report.html", load_run("run"), data="data", max_points=50_000,
                     previous="old-run")

``data`` (``--data``) is the dataset folder the run was made from: it is loaded once for the
members' handles and names, the topics and accounts of the affinities and the follows of
the community map, which a run folder alone cannot give. Without it members are shown by
id (by handle when the run folder has ``identifiers.parquet``: ``identifiers=``) and the
map and affinities are left out, each with a note. ``previous``
(``--previous``) is an earlier run folder: the summary and a section say what changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to the ``clusterkit`` app."""

    @app.command("report")
    def report(
        run: Annotated[Path, typer.Argument(help="Run folder (written by `clusterkit run`).")],
        out: Annotated[Path | None, typer.Option(
            help="HTML file to write (default: RUN/report.html).")] = None,
        data: Annotated[Path | None, typer.Option(
            help="Dataset folder the run was made from: adds handles, names, affinities "
            "and the community map.")] = None,
        previous: Annotated[Path | None, typer.Option(
            help="An earlier run folder: the report says what changed since.")] = None,
        max_points: Annotated[int, typer.Option(
            min=1, help="Members drawn on the segment map at most (a seeded sample above)."
        )] = 50_000,
        max_communities: Annotated[int, typer.Option(
            min=1, help="Communities drawn on the community map at most (the largest).")] = 60,
        min_support: Annotated[int, typer.Option(
            min=1, help="Members of a segment who must touch an account, topic or channel "
            "for it to be listed as an affinity.")] = 10,
    ):
        """Re-render report.html of an existing run folder (offline, plotly.js inlined).

        Example: ``clusterkit report runs/q3 --data data/q3 --previous runs/q2``.

        Python: ``write_run_report(out, load_run(run), data=folder, previous=old_run)``.
        """
        import time

        from rich.console import Console

        from clusterkit.data.loaders import find_tables
        from clusterkit.errors import ClusterkitInputError
        from clusterkit.report import write_run_report
        from clusterkit.results import load_run

        console = Console(stderr=True)
        t0 = time.perf_counter()
        if data is not None:
            find_tables(data)  # a missing folder is a one-line error before the slow part
        with console.status(f"loading {run}"):
            result = load_run(run)
            before = None
            if previous is not None:
                try:
                    before = load_run(previous)
                except ClusterkitInputError as exc:
                    raise ClusterkitInputError(f"--previous: {exc}") from None
            ids_file = run / "identifiers.parquet"
            identifiers = None
            if data is None and ids_file.is_file():  # handles and names without --data
                import pandas as pd

                identifiers = pd.read_parquet(ids_file, columns=["member_id", "source",
                                                                 "handle", "name"])
        with console.status(f"rendering the report of {len(result.segments):,} members"):
            path = write_run_report(out if out is not None else run / "report.html", result,
                                    data=data, max_points=max_points,
                                    max_communities=max_communities, previous=before,
                                    identifiers=identifiers, min_support=min_support)
        size = path.stat().st_size / 2**20
        console.print(f"wrote {path} ({size:.1f} MiB) in {time.perf_counter() - t0:.1f} s")
