"""``clusterkit run [CONFIG]``: run a pipeline on a dataset folder and write the run folder.

The run is also recorded in the run registry (``$CLUSTERKIT_HOME/runs.duckdb``, listed by
``clusterkit runs``).

Python equivalent::

    from clusterkit import save_run
    from clusterkit.config import load_config
    from clusterkit.data import load_dataset
    from clusterkit.pipeline import Pipeline

    data = load_dataset("data")
    save_run(Pipeline(load_config("config.yaml")).run(data), "run", data=data)
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from clusterkit.cli._shared import print_summary, run_with_progress, stderr_console


def register(app: typer.Typer) -> None:
    """Add the ``run`` command to the ``clusterkit`` app."""

    @app.command()
    def run(
        config: Annotated[Path | None, typer.Argument(help="YAML config (default: built-in)."
                                                      )] = None,
        data: Annotated[str, typer.Option(help="Dataset folder (events / follows / members / "
                                               "identities); with --engine spark also any "
                                               "Hadoop-compatible URI.")] = "data",
        out: Annotated[Path, typer.Option(help="Run folder to write.")] = Path("run"),
        set_: Annotated[list[str] | None, typer.Option(
            "--set", help="Override a config value, e.g. cluster.params.n_clusters=6.")] = None,
        report: Annotated[bool, typer.Option(help="Write report.html.")] = True,
        previous: Annotated[Path | None, typer.Option(
            help="An earlier run folder: segments that continue its segments (most members "
                 "shared) keep their names and keys.")] = None,
        engine: Annotated[str | None, typer.Option(
            help="auto, default or large (the config's engine.name; auto picks the large "
                 "tier from engine.large_above members), or spark: features, the member "
                 "graph and rule roles built on Spark, the other steps on the driver.")] = None,
        master: Annotated[str, typer.Option(
            help="Spark master with --engine spark, e.g. local[4].")] = "local[2]",
        driver_memory: Annotated[str, typer.Option(
            help="Spark driver memory with --engine spark (local[N] runs its tasks in the "
                 "driver).")] = "2g",
    ):
        """Run a pipeline on a dataset folder and write the run folder.

        Example: ``clusterkit run configs/default.yaml --data data/sample --out runs/sample``.
        Next month, on new data: ``... --out runs/may --previous runs/april``. A large
        audience on one machine: ``--engine large`` (chosen by size when ``auto``); data
        on a cluster: ``--engine spark --master yarn --data hdfs://nn/brand``.

        Python: ``save_run(Pipeline(load_config(path)).run(data), out, data=data)``; with a
        previous run, ``match_segments(result, load_run(old))`` before saving.
        """
        import time

        from rich.console import Console

        import clusterkit
        from clusterkit.config import load_config
        from clusterkit.data import load_dataset
        from clusterkit.pipeline import Pipeline
        from clusterkit.provenance import check_output

        t0 = time.perf_counter()
        console = stderr_console()
        check_output(out, "run")  # before any work: a bad --out costs nothing
        on_spark = engine == "spark"
        tier = [f"engine.name={engine}"] if engine and not on_spark else []
        cfg = load_config(config, [*(set_ or []), *tier])
        if on_spark:  # a config Spark cannot run is refused before Spark starts
            from clusterkit.cli.spark_run import check_spark_config

            check_spark_config(cfg)
        if previous is not None:  # read before any work, and before --out may replace it
            from clusterkit.results import load_run, match_segments

            before = load_run(previous, segments_only=True)
        part = None  # the profile index's tables that read the data alone, built first
        try:
            if on_spark:
                result, dataset = _run_on_spark(cfg, data, master, driver_memory, console)
            else:
                with console.status(f"loading {data}"):
                    dataset = load_dataset(data, columns=cfg.columns)
                part = _profile_part(cfg, dataset, out, console)
                result = run_with_progress(Pipeline(cfg), dataset, console)
            if previous is not None:
                result = match_segments(result, before)
            from rich.text import Text

            for w in result.manifest["warnings"]:  # data text is printed as is, not markup
                console.print(Text("warning: ", style="yellow") + Text(w), highlight=False)
            path = clusterkit.save_run(result, out, data=dataset,
                                       report=report and cfg.report.enabled,
                                       max_points=cfg.report.max_points, profile_prebuilt=part)
        finally:
            if part is not None:  # moved into the run folder, or left by a failure
                shutil.rmtree(part.parent, ignore_errors=True)
        from clusterkit.experiment.tracking import record_run

        record_run(result, path, wall_s=time.perf_counter() - t0, data_path=data)
        print_summary(result, Console())
        console.print(f"run folder: {path}")


def _profile_part(cfg, dataset, out: str, console):
    """The profile index's tables that read the data alone
    (:func:`~clusterkit.profile.index.prebuild_profile_index`), built before the run into a
    private folder beside ``out``: at 1,000,000 members the index's events, topics and keys
    then take their memory while little but the data is held, not at the save beside the
    whole result. None for a run per person (its index is keyed by person)."""
    import os
    import tempfile

    from clusterkit.profile.index import prebuild_profile_index

    if cfg.identity.enabled:
        return None
    out = Path(out).absolute()
    out.parent.mkdir(parents=True, exist_ok=True)  # as the save's atomic folder does
    # private (0700), and named so that the next write to ``out`` removes it when a kill
    # (SIGKILL) left it (provenance.atomic_folder)
    folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".part",
                                   dir=out.parent))
    try:
        with console.status("indexing the members' events for profiles"):
            return prebuild_profile_index(folder / "part.duckdb", dataset)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _run_on_spark(cfg, data: str, master: str, driver_memory: str, console):
    """:func:`~clusterkit.cli.spark_run.run_on_spark` under the run's progress bar:
    ``(result, data)``."""
    from clusterkit.cli.spark_run import run_on_spark

    return run_with_progress(None, None, console, run=lambda progress, detail: run_on_spark(
        cfg, data, master=master, driver_memory=driver_memory, progress=progress,
        detail=detail))
