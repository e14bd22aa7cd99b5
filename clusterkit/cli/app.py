"""The ``clusterkit`` command line: demo, generate, run, compare, runs, stages, and (from
:mod:`clusterkit.cli.commands`) report, profile, export, resolve, attribute, campaign.

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
    from clusterkit.metrics import nmi, role_macro_f1
    from clusterkit.pipeline import Pipeline
    from clusterkit.synthetic.community import generate

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

    Python: ``clusterkit.synthetic.community.generate(members, mixing=..., seed=...).write(out)``.
    """
    from clusterkit.errors import ClusterkitInputError
    from clusterkit.synthetic.community import generate as _generate

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
    import time

    from rich.console import Console

    from clusterkit.config import load_config
    from clusterkit.data import load_dataset
    from clusterkit.pipeline import Pipeline

    t0 = time.perf_counter()
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
    from clusterkit.experiment.tracking import record_run

    record_run(result, path, wall_s=time.perf_counter() - t0, data_path=data)
    _print_summary(result, Console())
    console.print(f"run folder: {path}")


def _fmt(value, digits: int = 3) -> str:
    if value is None:
        return ""
    try:
        if value != value:  # NaN
            return ""
    except TypeError:  # pandas.NA
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _print_compare(result, console) -> None:
    from rich.table import Table
    from rich.text import Text

    s = result.summary
    rank = list(result.ranking.metrics)
    extra = ("nmi", "modularity", "n_communities", "silhouette", "n_segments")
    if console.width < 120:  # a narrow terminal: the ranked metrics and the count
        extra = ("n_communities",)
    shown = list(dict.fromkeys(rank + [m for m in extra if f"{m}_mean" in s.columns]))
    table = Table(title=f"{len(s)} grid points x {len(result.manifest['seeds'])} seeds "
                        f"({len(result.runs)} runs): mean ± std over seeds")
    table.add_column("#", justify="right")
    table.add_column("grid point", overflow="fold")
    for m in shown:
        table.add_column(m, justify="right")
    for col in ("community seed ARI", "s/run"):
        table.add_column(col, justify="right")
    for row in s.itertuples(index=False):
        r = row._asdict()
        cells = []
        for m in shown:
            mean, std = getattr(row, f"{m}_mean"), getattr(row, f"{m}_std")
            cells.append(_fmt(mean) + (f" ± {_fmt(std)}" if _fmt(std) else ""))
        table.add_row(str(row.point), Text(str(row.label)), *cells,
                      _fmt(r.get("community_seed_ari")), _fmt(row.wall_s_mean, 2))
    console.print(table)

    ranking = result.ranking
    rt = Table(title="ranking (mean rank over seeds, 1 = best)")
    rt.add_column("grid point", overflow="fold")
    for m in rank:
        rt.add_column(f"{m} ({ranking.metrics[m]})", justify="right")
    rt.add_column("overall", justify="right")
    for label, row in ranking.mean_ranks.iterrows():
        rt.add_row(Text(str(label)), *[_fmt(row[m], 2) for m in rank], _fmt(row["overall"], 2))
    console.print(rt)
    for m in rank:
        f = ranking.friedman.loc[m]
        text = (f"Friedman ({m}): chi2 = {_fmt(f['statistic'], 2)}, p = {f['p_value']:.3g}, "
                f"{int(f['n_methods'])} points x {int(f['n_blocks'])} seeds; Nemenyi CD = "
                f"{_fmt(f['cd'], 2)}" if not f["reason"] else f"Friedman ({m}): {f['reason']}")
        console.print(Text(text))
        post = ranking.posthoc[(ranking.posthoc["metric"] == m)
                               & (ranking.posthoc["wilcoxon_significant"]
                                  | ranking.posthoc["nemenyi_significant"])]
        for p in post.itertuples(index=False):
            console.print(Text(f"  {p.method_a} vs {p.method_b}: Nemenyi p = {p.nemenyi_p:.3g}"
                               f", Wilcoxon-Holm p = {p.wilcoxon_p_holm:.3g}"))
    if len(result.skipped):
        console.print(Text(f"{len(result.skipped)} grid combination(s) skipped: "
                           f"{result.skipped['reason'].iloc[0]} (see skipped.csv)"))


@app.command()
def compare(
    config: Annotated[Path, typer.Argument(help="Experiment YAML: run config plus a 'sweep' "
                                                "block.")],
    data: Annotated[Path, typer.Option(help="Dataset folder.")] = Path("data"),
    out: Annotated[Path, typer.Option(help="Compare folder to write.")] = Path("compare"),
    set_: Annotated[list[str] | None, typer.Option(
        "--set", help="Override a value, e.g. graph.hub_damping=0.5 or sweep.seeds=3.")] = None,
    truth: Annotated[Path | None, typer.Option(
        help="CSV with member_id and community and/or role (external metrics).")] = None,
    jobs: Annotated[int, typer.Option(min=-1, help="Worker processes (-1: one per CPU); "
                                                   "the tables do not depend on it.")] = 1,
):
    """Run a sweep (grid x seeds), write tables and comparison.html, rank the grid points.

    Python: ``run_experiment(load_experiment(path), load_dataset(folder)).save(out)``.
    """
    import time

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from clusterkit.data import load_dataset
    from clusterkit.experiment import load_experiment, load_truth, run_experiment
    from clusterkit.experiment.tracking import record_compare

    t0 = time.perf_counter()
    console = _console()
    overrides = list(set_ or [])
    cfg = load_experiment(config, overrides)
    truth_df = load_truth(truth) if truth is not None else (
        load_truth(cfg.sweep.truth) if cfg.sweep.truth else None)
    with console.status(f"loading {data}"):
        dataset = load_dataset(data)
    with Progress(TextColumn("[bold]runs"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  TextColumn("{task.description}", markup=False), console=console) as bar:
        task = bar.add_task("", total=None)

        def progress(done, total, label):
            bar.update(task, completed=done, total=total, description=label)

        result = run_experiment(cfg, dataset, truth=truth_df, progress=progress,
                                n_jobs=jobs if jobs != 0 else 1)
    path = result.save(out)
    record_compare(result, path, wall_s=time.perf_counter() - t0, data_path=data)
    _print_compare(result, Console())
    console.print(f"compare folder: {path} (open {path / 'comparison.html'})")


@app.command("runs")
def runs_(
    kind: Annotated[str | None, typer.Option(help="run or compare.")] = None,
    name: Annotated[str | None, typer.Option(help="Name contains this text.")] = None,
    config_hash: Annotated[str | None, typer.Option(help="Config hash (prefix).")] = None,
    since: Annotated[str | None, typer.Option(help="Created at or after (UTC), e.g. "
                                                   "2026-03-01.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table."
                                          )] = False,
):
    """List recorded runs and compares (registry: $CLUSTERKIT_HOME/runs.duckdb).

    Python: ``clusterkit.experiment.tracking.list_runs(kind=..., name=..., since=...)``.
    """
    import json

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from clusterkit.experiment.tracking import list_runs, registry_path

    df = list_runs(kind=kind, name=name, config_hash=config_hash, since=since, limit=limit)
    if as_json:
        for rec in df.to_dict(orient="records"):
            rec["created_at"] = rec["created_at"].isoformat() if rec.get(
                "created_at") is not None else None
            rec["metrics"] = json.loads(rec["metrics"]) if rec.get("metrics") else None
            print(json.dumps(rec, default=str, sort_keys=True))
        return
    if df.empty:
        _console().print(f"no runs recorded (registry: {registry_path()})")
        return
    console = Console()
    wide = console.width >= 140  # a narrow terminal gets the essential columns
    table = Table(title=f"{len(df)} recorded run(s), newest first (all columns: --json)")
    cells = {
        "id": df["id"], "kind": df["kind"],
        "created (UTC)": df["created_at"].astype(str).str[:16],
        "name": df["name"].fillna("").astype(str),
        "config": df["config_hash"].fillna("").astype(str).str[:8],
        "seed": df["seed"].map(_fmt), "runs": df["n_runs"].map(_fmt),
        "modularity": df["modularity"].map(_fmt), "nmi": df["nmi"].map(_fmt),
        "segments": df["n_segments"].map(_fmt), "wall s": df["wall_s"].map(
            lambda v: _fmt(v, 1)),
        "output": df["output_path"].fillna("").astype(str),
    }
    if not wide:
        cells = {k: v for k, v in cells.items() if k in (
            "id", "kind", "created (UTC)", "name", "modularity", "nmi", "output")}
    for col in cells:
        table.add_column(col, no_wrap=col in ("id", "kind", "created (UTC)"),
                         overflow="fold")
    for i in range(len(df)):
        table.add_row(*[Text(str(v.iloc[i])) for v in cells.values()])
    console.print(table)


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


def _register_commands() -> None:
    from importlib import import_module

    from clusterkit.cli.commands import MODULES

    for name in MODULES:
        import_module(f"clusterkit.cli.{name}").register(app)


_register_commands()


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
