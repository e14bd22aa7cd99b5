"""``clusterkit compare EXPERIMENT``: run a sweep (grid x seeds) and rank the grid points.

Writes the compare folder (tables and ``comparison.html``), records it in the run registry
and prints the grid points with their mean ± std over seeds (noise share and degenerate
flags), the ranking, its tests explained in one line each, and one recommended grid point.
The spec (grid keys, rank metrics against the truth given) is checked before the data is
read; attribution is skipped unless a grid key sweeps it or ``--attribution`` asks for it.

Python equivalent::

    from clusterkit.data import load_dataset
    from clusterkit.experiment import load_experiment, run_experiment

    run_experiment(load_experiment("experiment.yaml"), load_dataset("data")).save("compare")
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clusterkit.cli._shared import fmt_cell, stderr_console, whole_words


def _print_compare(result, console) -> None:
    """Print the grid-point table (noise share and degenerate flags), the ranking in the
    recommended order, the tests explained in one line each, and the recommendation."""
    from rich.table import Table
    from rich.text import Text

    s, verdict = result.summary, result.verdict
    rank = list(result.ranking.metrics)
    extra = ("nmi", "modularity", "n_communities", "silhouette", "n_segments")
    narrow = console.width < 120  # the ranked metrics and the count; s/run is in summary.csv
    if narrow:
        extra = ("n_communities",)
    shown = list(dict.fromkeys(rank + [m for m in extra if f"{m}_mean" in s.columns]))
    table = Table(title=f"{len(s)} grid points x {len(result.manifest['seeds'])} seeds "
                        f"({len(result.runs)} runs): mean ± std over seeds",
                  pad_edge=not narrow, show_edge=not narrow)
    table.add_column("#", justify="right")
    table.add_column("grid point", overflow="fold")
    for m in shown:
        table.add_column(m.replace("_", " "), justify="right")
    for col in ("noise", "community seed ARI") + (() if narrow else ("s/run",)):
        table.add_column(col, justify="right")
    table.add_column("degenerate", overflow="fold")
    for row in s.itertuples(index=False):
        r = row._asdict()
        cells = []
        for m in shown:
            mean, std = getattr(row, f"{m}_mean"), getattr(row, f"{m}_std")
            sep = "\n±" if narrow else " ± "  # narrow: std under the mean, no column to split
            cells.append(fmt_cell(mean) + (f"{sep}{fmt_cell(std)}" if fmt_cell(std) else ""))
        noise = r.get("noise_share_mean")
        flag = str(r.get("flag") or "")
        ari = ("n/a" if "1 community" in flag  # a collapse that repeats is not stability
               else fmt_cell(r.get("community_seed_ari")))
        table.add_row(str(row.point), Text(str(row.label)), *cells,
                      "" if noise != noise else f"{noise:.0%}", ari,
                      *(() if narrow else (fmt_cell(row.wall_s_mean, 2),)), Text(flag))
    console.print(whole_words(table, console.width))

    ranking = result.ranking
    rt = Table(title="ranking (mean rank over seeds, 1 = best), in recommended order")
    rt.add_column("grid point", overflow="fold")
    for m in rank:
        rt.add_column(f"{m} ({ranking.metrics[m]})", justify="right")
    rt.add_column("overall", justify="right")
    rt.add_column("", overflow="fold")
    tied = {label for group in verdict.ties for label in group}
    for label in verdict.order:
        row = ranking.mean_ranks.loc[label]
        note = ("recommended" if label == verdict.winner else
                "degenerate" if label in verdict.flags else "tie" if label in tied else "")
        if label == verdict.winner and label in tied:
            note += " (tie broken)"
        rt.add_row(Text(str(label)), *[fmt_cell(row[m], 2) for m in rank],
                   fmt_cell(row["overall"], 2), note)
    console.print(whole_words(rt, console.width))
    for line in verdict.notes:
        console.print(Text(line))
    if len(result.skipped):
        console.print(Text(f"{len(result.skipped)} grid combination(s) skipped: "
                           f"{result.skipped['reason'].iloc[0]} (see skipped.csv)"))
    console.print(Text(verdict.line, style="bold"))


def register(app: typer.Typer) -> None:
    """Add the ``compare`` command to the ``clusterkit`` app."""

    @app.command()
    def compare(
        config: Annotated[Path, typer.Argument(help="Experiment YAML: run config plus a "
                                                    "'sweep' block.")],
        data: Annotated[Path, typer.Option(help="Dataset folder.")] = Path("data"),
        out: Annotated[Path, typer.Option(help="Compare folder to write.")] = Path("compare"),
        set_: Annotated[list[str] | None, typer.Option(
            "--set", help="Override a value, e.g. graph.hub_damping=0.5 or sweep.seeds=3."
        )] = None,
        truth: Annotated[Path | None, typer.Option(
            help="CSV with member_id and community and/or role (external metrics).")] = None,
        jobs: Annotated[int, typer.Option(min=-1, help="Worker processes (-1: one per CPU); "
                                                       "the tables do not depend on it.")] = 1,
        attribution: Annotated[bool, typer.Option(
            "--attribution", help="Run attribution in every run too (off unless a grid key "
                                  "sweeps it: no compare metric reads it).")] = False,
    ):
        """Run a sweep (grid x seeds), write tables and comparison.html, rank the grid points.

        Example: ``clusterkit compare configs/compare_example.yaml --data data/sample``.
        With planted or known truth: ``... --truth data/sample/truth.csv`` (ranks by NMI).

        Python: ``run_experiment(load_experiment(path), load_dataset(folder)).save(out)``.
        """
        import time

        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        from clusterkit.data import load_dataset
        from clusterkit.experiment import load_experiment, load_truth, run_experiment
        from clusterkit.experiment.spec import truth_coverage
        from clusterkit.experiment.tracking import record_compare
        from clusterkit.provenance import check_output

        t0 = time.perf_counter()
        console = stderr_console()
        check_output(out, "compare")  # before any work: a bad --out costs nothing
        overrides = list(set_ or [])
        cfg = load_experiment(config, overrides)
        truth_df = load_truth(truth) if truth is not None else (
            load_truth(cfg.sweep.truth) if cfg.sweep.truth else None)
        # the whole spec is checked before the data is read and before any run
        cfg.rank_metrics(tuple(truth_df.columns) if truth_df is not None else ())
        with console.status(f"loading {data}"):
            dataset = load_dataset(data, columns=cfg.base.columns)
        if truth_df is not None:  # said before the runs: a partial truth is worth knowing
            for note in truth_coverage(truth_df, dataset.member_ids)[1]:
                console.print(Text("warning: ", style="yellow") + Text(note), highlight=False)
        with Progress(TextColumn("[bold]runs"), BarColumn(),
                      TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                      TextColumn("eta"), TimeRemainingColumn(),  # from the runs done so far
                      TextColumn("{task.description}", markup=False), console=console) as bar:
            task = bar.add_task("", total=None)

            def progress(done, total, label):
                bar.update(task, completed=done, total=total, description=label)

            result = run_experiment(cfg, dataset, truth=truth_df, progress=progress,
                                    n_jobs=jobs if jobs != 0 else 1,
                                    attribution=True if attribution else None)
        path = result.save(out)
        record_compare(result, path, wall_s=time.perf_counter() - t0, data_path=data)
        _print_compare(result, Console())
        console.print(f"compare folder: {path} (open {path / 'comparison.html'})")
