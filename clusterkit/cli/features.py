"""``clusterkit features``: the member × feature table of a dataset, written as Parquet.

One machine (DuckDB, the default) or Spark (``--engine spark``: the dataset is read from any
Hadoop-compatible path and the table written back there; the same columns, equal to 1e-9).

Python equivalent::

    from clusterkit.data import load_dataset
    from clusterkit.features import build_features

    table, warnings = build_features(load_dataset("data"), [("behaviour", {}),
                                                            ("graph", {}), ("interaction", {})])

and on Spark :func:`clusterkit.engines.spark.job.features_job` (``spark-submit``:
:mod:`clusterkit.cli.spark_submit`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def _write_local(table, out: Path) -> None:
    """``table`` (index ``member_id``) to ``out`` as one Parquet file, through a temporary."""
    import os

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        table.reset_index().to_parquet(tmp, index=False)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def register(app: typer.Typer) -> None:
    """Add the ``features`` command to ``app``."""

    @app.command("features")
    def features(
        config: Annotated[Path | None, typer.Argument(
            help="YAML config: its features section and engagement weights (default: "
                 "built-in).")] = None,
        data: Annotated[str, typer.Option(
            help="Dataset folder; with --engine spark also any Hadoop-compatible URI.")
        ] = "data",
        out: Annotated[str, typer.Option(
            help="Parquet output (must not exist): a file on one machine, a folder of part "
                 "files with --engine spark.")] = "features.parquet",
        engine: Annotated[str, typer.Option(
            help="default (DuckDB, one machine) or spark.")] = "default",
        master: Annotated[str, typer.Option(
            help="Spark master with --engine spark, e.g. local[4].")] = "local[2]",
        driver_memory: Annotated[str, typer.Option(
            help="Spark driver memory with --engine spark (local[N] runs its tasks in the "
                 "driver).")] = "2g",
        set_: Annotated[list[str] | None, typer.Option(
            "--set", help="Override a config value, e.g. weights.half_life_days=30.")] = None,
    ):
        """Build the member × feature table and write it as Parquet.

        Example: ``clusterkit features --data data/sample --out features.parquet``; on
        Spark: ``clusterkit features --engine spark --master local[4] --data
        hdfs://nn/brand --out hdfs://nn/brand/features.parquet`` (a cluster: the
        ``spark-submit`` recipe in the README).
        """
        from rich.text import Text

        from clusterkit.cli._shared import stderr_console
        from clusterkit.config import load_config
        from clusterkit.errors import ClusterkitInputError

        if engine not in ("default", "spark"):
            raise ClusterkitInputError(f"--engine must be default or spark, got {engine!r}")
        cfg = load_config(config, list(set_ or []))
        console = stderr_console()
        if engine == "spark":
            import warnings

            from clusterkit.engines.spark import local_session

            # PySpark 4 warns on every pandas conversion that pandas 3 is not fully
            # supported; the job converts plain columns only (issue 13), so not on the console
            warnings.filterwarnings("ignore", message="PySpark does not yet fully support")
            from clusterkit.engines.spark.job import check_builders, features_job

            specs = [(s.name, s.params) for s in cfg.features]
            check_builders(specs)  # a config the engine cannot build: refused before Spark
            with console.status(f"starting Spark ({master})"):
                spark = local_session(master, shuffle_partitions=4,
                                      driver_memory=driver_memory)
            with console.status(f"building features of {data} on Spark"):
                n = features_job(spark, data, out, specs, cfg.engagement_weights(),
                                 columns=cfg.columns)
        else:
            from clusterkit.data import load_dataset
            from clusterkit.features import build_features

            target = Path(out)
            if target.exists():
                raise ClusterkitInputError(f"--out {out!r} exists; remove it or choose "
                                           "another name")
            with console.status(f"loading {data}"):
                dataset = load_dataset(data, columns=cfg.columns)
            specs = [(s.name, s.params) for s in cfg.features]
            with console.status(f"building features of {dataset.n_members:,} members"):
                table, notes = build_features(dataset, specs, cfg.engagement_weights())
            for note in notes:  # data text is printed as is, never as markup
                console.print(Text("warning: ", style="yellow") + Text(note),
                              highlight=False, soft_wrap=True)
            _write_local(table, target)
            n = len(table)
        console.print(Text(f"{n:,} members -> {out}"), highlight=False)
