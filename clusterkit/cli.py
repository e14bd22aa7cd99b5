"""The ``clusterkit`` command line: demo, generate, run, stages.

Every command has a Python equivalent (named in its help). Bad input or config prints one
line and exits 2; an internal error exits 1; ``--debug`` shows the traceback.
Heavy libraries are imported inside commands so that ``clusterkit --help`` stays fast.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Influencer and community clustering: multi-channel behaviour and the follower graph "
    "into named, scored segments.",
)
_state = {"debug": False}


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
):
    _state["debug"] = debug


def _console():
    from rich.console import Console

    return Console(stderr=True)


def _run_with_progress(pipeline, data, console):
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from clusterkit.pipeline import STEPS

    with Progress(TextColumn("[bold]{task.description:<10}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  console=console, transient=False) as bar:
        task = bar.add_task("starting", total=len(STEPS))
        seen: list[str] = []

        def progress(name):
            if seen:
                bar.advance(task)
            seen.append(name)
            bar.update(task, description=name)

        result = pipeline.run(data, progress=progress)
        bar.update(task, completed=len(STEPS), description="done")
    return result


def _print_summary(result, console, limit: int = 20) -> None:
    from rich.table import Table

    s = result.summary
    table = Table(title=f"{len(s)} segments, {len(result.segments):,} members")
    for col in ("segment", "size", "share", "role mix", "engagement share", "defining features"):
        table.add_column(col, overflow="fold")
    for row in s.head(limit).itertuples(index=False):
        mix = ", ".join(f"{r} {getattr(row, f'role_{r}'):.0%}" for r in
                        ("influencer", "blogger", "fan", "follower")
                        if getattr(row, f"role_{r}") >= 0.05)
        table.add_row(row.segment, f"{row.size:,}", f"{row.share:.1%}", mix,
                      f"{row.engagement_share:.1%}", str(row.defining_features))
    console.print(table)


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the demo data and run.")] = Path(
        "clusterkit-demo"),
    members: Annotated[int, typer.Option(min=100, help="Synthetic members.")] = 20_000,
    seed: Annotated[int, typer.Option(min=0)] = 42,
):
    """Generate synthetic data, run the default pipeline, write a run folder and report.

    Python: ``generate(...)``, ``Pipeline().run(CommunityData.from_frames(**tables))``.
    """
    from rich.console import Console

    from clusterkit.data import CommunityData
    from clusterkit.data.synthetic import generate
    from clusterkit.metrics import nmi, role_macro_f1
    from clusterkit.pipeline import Pipeline

    console = _console()
    with console.status(f"generating {members:,} synthetic members"):
        synth = generate(members, seed=seed)
        data_dir = synth.write(out / "data")
    with console.status("validating"):
        data = CommunityData.from_frames(**synth.tables)
    result = _run_with_progress(Pipeline(), data, console)
    run_dir = result.save(out / "run")
    _print_summary(result, Console())
    truth = synth.truth.reindex(result.segments["member_id"])
    f1 = role_macro_f1(truth["role"], result.segments["role"])
    score = nmi(truth["community"], result.segments["community"])
    console.print(f"against the planted truth: role macro-F1 {f1:.3f}, community NMI {score:.3f}")
    console.print(f"data: {data_dir}\nrun:  {run_dir} (open {run_dir / 'report.html'})")
    console.print(f"next: clusterkit run --data {data_dir} --out my-run")


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="Folder to write the tables to.")],
    members: Annotated[int, typer.Option(min=10, help="Number of members.")] = 2000,
    mixing: Annotated[float, typer.Option(min=0.0, max=1.0,
                                          help="Share of follows across communities.")] = 0.3,
    seed: Annotated[int, typer.Option(min=0)] = 0,
    fmt: Annotated[str, typer.Option("--format", help="csv, csv.gz, parquet or jsonl.")] = "csv",
):
    """Write a synthetic dataset with planted communities and roles (plus truth.csv).

    Python: ``clusterkit.data.synthetic.generate(members, mixing=..., seed=...).write(out)``.
    """
    from clusterkit.data.synthetic import generate as _generate
    from clusterkit.errors import ClusterkitInputError

    if fmt not in ("csv", "csv.gz", "parquet", "jsonl"):
        raise ClusterkitInputError(f"--format {fmt!r}: use csv, csv.gz, parquet or jsonl.")
    console = _console()
    with console.status(f"generating {members:,} members"):
        path = _generate(members, mixing=mixing, seed=seed).write(out, format=fmt)
    console.print(f"wrote {path}")


@app.command()
def run(
    config: Annotated[Path | None, typer.Argument(help="YAML config (default: built-in).")] = None,
    data: Annotated[Path, typer.Option(help="Dataset folder (events / follows / members / "
                                            "identities).")] = Path("data"),
    out: Annotated[Path, typer.Option(help="Run folder to write.")] = Path("run"),
    set_: Annotated[list[str] | None, typer.Option(
        "--set", help="Override a config value, e.g. cluster.params.n_clusters=6.")] = None,
    report: Annotated[bool, typer.Option(help="Write report.html.")] = True,
):
    """Run a pipeline on a dataset folder and write the run folder.

    Python: ``Pipeline(load_config(path)).run(load_dataset(folder)).save(out)``.
    """
    from rich.console import Console

    from clusterkit.config import load_config
    from clusterkit.data import load_dataset
    from clusterkit.pipeline import Pipeline

    console = _console()
    cfg = load_config(config, set_ or [])
    with console.status(f"loading {data}"):
        dataset = load_dataset(data)
    result = _run_with_progress(Pipeline(cfg), dataset, console)
    from rich.text import Text

    for w in result.manifest["warnings"]:  # data text is printed as is, never as markup
        console.print(Text("warning: ", style="yellow") + Text(w), highlight=False)
    path = result.save(out, report=report and cfg.report.enabled,
                       max_points=cfg.report.max_points)
    _print_summary(result, Console())
    console.print(f"run folder: {path}")


@app.command()
def stages(
    kind: Annotated[str | None, typer.Option(help="Only this kind.")] = None,
):
    """List registered stages with their parameters and defaults.

    Python: ``clusterkit.registry.list_stages()``.
    """
    from rich.console import Console
    from rich.table import Table

    from clusterkit.registry import get_stage, list_stages

    listing = list_stages(kind) if kind else None
    kinds = {kind: listing} if kind else list_stages()
    table = Table(title="clusterkit stages")
    for col in ("kind", "name", "parameters (defaults)"):
        table.add_column(col, overflow="fold")
    for k, names in kinds.items():
        for name in names:
            cls = get_stage(k, name)
            params = cls().get_params(deep=False) if hasattr(cls, "get_params") else {}
            table.add_row(k, name, ", ".join(f"{p}={v!r}" for p, v in params.items()))
    Console().print(table)


def main(argv=None) -> int:
    """Entry point: runs the app and maps errors to exit codes (2 bad input, 1 internal)."""
    from clusterkit.errors import ClusterkitInputError

    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        app(args=args, prog_name="clusterkit")  # standalone: usage errors exit 2 here
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except ClusterkitInputError as exc:
        if debug:
            traceback.print_exc()
        print("error: " + " ".join(str(exc).split()), file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence
        if debug:
            traceback.print_exc()
        msg = " ".join(str(exc).split())
        print(f"internal error: {type(exc).__name__}: {msg} (run with --debug for the "
              "traceback)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
