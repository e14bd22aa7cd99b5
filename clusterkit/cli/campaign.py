"""``clusterkit campaign RUN_OR_DATA SPEC``: what each invited blogger contributed.

Given a run folder, the bloggers' roles and segments come from that run. Given a dataset
folder, no prior run is needed: the pipeline runs up to its roles step (with ``--config``
and ``--set`` as in ``run``), and the cards show roles without segments.

Python: ``run_campaign(load_campaign(spec), load_dataset(folder), run=load_run(run))
.save(out)`` (:mod:`clusterkit.campaign`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def _read_run(run: Path):
    """The run's manifest and (member_id, role, segment), without its feature tables."""
    import json
    from types import SimpleNamespace

    import pandas as pd

    from clusterkit.errors import ClusterkitInputError

    manifest_path = run / "manifest.json"
    if not manifest_path.is_file():
        raise ClusterkitInputError(f"{str(run)!r} is not a run folder (no manifest.json); give "
                                   "the --out folder of 'clusterkit run'.")
    try:
        manifest = json.loads(manifest_path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ClusterkitInputError(f"{str(manifest_path)!r} is not a readable run manifest "
                                   f"({type(exc).__name__}); re-run the pipeline.") from None
    if not isinstance(manifest, dict):
        raise ClusterkitInputError(f"{str(manifest_path)!r} is not a run manifest (a JSON "
                                   "object is expected); re-run the pipeline.")
    seg_path = run / "segments.parquet"
    cols = ["member_id", "role", "segment"]
    try:
        segments = pd.read_parquet(seg_path, columns=cols) if seg_path.exists() else \
            pd.DataFrame(columns=cols)
    except (OSError, ValueError, KeyError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise ClusterkitInputError(
            f"{str(seg_path)!r} is not a readable segments table ("
            f"{' '.join(str(exc).split())[:120]}); re-run the pipeline.") from None
    return SimpleNamespace(manifest=manifest, segments=segments)


def _roles_from_data(folder: Path, config: Path | None, overrides) -> tuple:
    """Roles without a prior run: the pipeline up to its roles step, on ``folder``."""
    from types import SimpleNamespace

    import pandas as pd

    from clusterkit.config import load_config
    from clusterkit.data import load_dataset
    from clusterkit.pipeline import Pipeline

    cfg = load_config(config, overrides or [])
    dataset = load_dataset(folder, columns=cfg.columns)
    state = Pipeline(cfg).run(dataset, until="roles")
    segments = pd.DataFrame({"member_id": state.data.member_ids.to_numpy(dtype=object),
                             "role": state.roles.roles_, "segment": None})
    manifest = {"name": cfg.name, "config": cfg.resolved(), "seed": cfg.seed,
                "n_members": int(dataset.n_members)}
    return SimpleNamespace(manifest=manifest, segments=segments), dataset


def _data_folder(run: Path, manifest: dict, data: Path | None) -> Path:
    from clusterkit.errors import ClusterkitInputError

    if data is not None:
        return data
    sources = manifest.get("sources") or {}
    folders = {Path(p).parent for p in sources.values()}
    if len(folders) == 1:
        folder = folders.pop()
        folder = folder if folder.is_absolute() else (Path.cwd() / folder)
        if folder.is_dir():
            return folder
    raise ClusterkitInputError(
        f"run {str(run)!r} does not record a dataset folder that exists here (manifest.json "
        f"sources: {sorted(map(str, sources.values()))[:4] or 'none'}); pass --data DIR, the "
        "folder the run was made from.")


def _print_cards(result, console) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"campaign {result.campaign.spec.name}: contribution per blogger "
                        "(all columns: campaign.csv)")
    heads = ("blogger", "retweets", "cascade", "depth", "virality", "reach", "new",
             "reactivated", "attributed conv.", "incremental conv. (CI)", "cost / incr.")
    narrow = ("blogger", "retweets", "reach", "new", "incremental conv. (CI)")
    shown = [h in narrow or console.width >= 120 for h in heads]
    for h, show in zip(heads, shown, strict=True):
        if show:
            table.add_column(h, justify="left" if h == "blogger" else "right",
                             overflow="fold")

    def num(v, fmt="{:,.0f}"):
        return "" if v is None or v != v else fmt.format(v)

    for r in result.cards.itertuples(index=False):
        inc = (f"{r.incremental_conversions:,.1f} [{r.incremental_ci_low:,.1f}, "
               f"{r.incremental_ci_high:,.1f}]") if r.incremental_conversions == \
            r.incremental_conversions else ""
        cells = (Text(str(r.label)), num(r.retweets), num(r.cascade_size),
                 num(r.cascade_depth), num(r.structural_virality, "{:.2f}"), num(r.reach),
                 num(r.new_members), num(r.reactivated_members),
                 num(r.attributed_conversions), inc,
                 num(r.cost_per_incremental_conversion, "{:,.2f}"))
        table.add_row(*[c for c, show in zip(cells, shown, strict=True) if show])
    console.print(table)
    for r in result.cards.itertuples(index=False):
        console.print(Text(
            f"{r.label}: rank {num(r.rank)} by the interval's lower bound "
            f"(chance of being best {num(r.prob_best, '{:.0%}')}); "
            f"adopters {num(r.adopters_incremental_conversions, '{:+,.1f}')} "
            f"[{num(r.adopters_incremental_ci_low, '{:+,.1f}')}, "
            f"{num(r.adopters_incremental_ci_high, '{:+,.1f}')}]; placebo on fake dates "
            f"{num(r.placebo_dates, '{:+,.1f}')} [{num(r.placebo_dates_ci_low, '{:+,.1f}')}, "
            f"{num(r.placebo_dates_ci_high, '{:+,.1f}')}], on look-alikes "
            f"{num(r.placebo_lookalike, '{:+,.1f}')} "
            f"[{num(r.placebo_lookalike_ci_low, '{:+,.1f}')}, "
            f"{num(r.placebo_lookalike_ci_high, '{:+,.1f}')}]: {r.placebo_note}"))
    shift = result.manifest.get("community_shift", {}).get("conversions")
    if shift:
        console.print(Text(
            f"community-wide shift (unexposed members, not credited to any blogger): "
            f"{shift['ratio'] - 1:+.1%} [{shift['ci_low'] - 1:+.1%}, "
            f"{shift['ci_high'] - 1:+.1%}] conversions against their own baseline"))
    for s in result.manifest["counterfactual"].values():
        console.print(Text(
            f"community {s['metric']}: actual {s['actual']:,.0f} vs counterfactual "
            f"{s['predicted']:,.0f}, effect {s['effect']:+,.0f} "
            f"[{s['effect_low']:+,.0f}, {s['effect_high']:+,.0f}]"))


def register(app: typer.Typer) -> None:
    """Add ``campaign`` to the ``clusterkit`` app."""

    @app.command()
    def campaign(
        run: Annotated[Path, typer.Argument(
            metavar="RUN_OR_DATA", help="Run folder (the --out of run or demo), or a dataset "
                                        "folder (no prior run needed).")],
        spec: Annotated[Path, typer.Argument(help="Campaign YAML: bloggers, window, "
                                                  "pre_period, conversions ...")],
        data: Annotated[Path | None, typer.Option(
            help="Dataset folder the run was made from (default: the run's recorded "
                 "sources).")] = None,
        out: Annotated[Path | None, typer.Option(
            help="Folder for campaign.csv, campaign.html ... (default: RUN/campaign, or "
                 "./campaign for a dataset folder).")] = None,
        config: Annotated[Path | None, typer.Option(
            help="Run config for a dataset folder (default: built-in).")] = None,
        set_: Annotated[list[str] | None, typer.Option(
            "--set", help="Override a config value as in run (dataset folder).")] = None,
    ):
        """Contribution card per invited blogger: cascades, reach, new and reactivated
        members, attributed and incremental conversions (with CI), cost per incremental
        conversion, retweets beside them.

        Example: ``clusterkit campaign runs/q3 campaign.yaml --out runs/q3-campaign``.
        A dataset folder in place of the run works too (no prior run needed).

        Python: ``clusterkit.campaign.run_campaign(spec, data, run=run).save(out)``.
        """
        from rich.console import Console
        from rich.text import Text

        from clusterkit.campaign import load_campaign, run_campaign
        from clusterkit.data import load_dataset
        from clusterkit.data.columns import columns_of
        from clusterkit.errors import ClusterkitInputError

        err = Console(stderr=True)
        cfg = load_campaign(spec)
        if not (run / "manifest.json").is_file() and run.is_dir():  # a dataset folder
            with err.status(f"roles of {run}"):
                info, dataset = _roles_from_data(run, config, set_)
            out = out if out is not None else Path("campaign")
        else:
            info = _read_run(run)
            folder = _data_folder(run, info.manifest, data)
            with err.status(f"loading {folder}"):
                dataset = load_dataset(folder, columns=columns_of(info.manifest))
        expected = info.manifest.get("n_members")
        if expected is not None and int(expected) != dataset.n_members:
            raise ClusterkitInputError(
                f"--data {str(folder)!r} has {dataset.n_members:,} members but run "
                f"{str(run)!r} was made from {int(expected):,}; give the folder the run used.")
        with err.status("measuring the campaign") as status:
            result = run_campaign(cfg, dataset, run=info,
                                  progress=lambda s: status.update(f"campaign: {s}"))
        path = result.save(out if out is not None else run / "campaign")
        _print_cards(result, Console())
        for w in result.manifest["warnings"]:
            err.print(Text("warning: ", style="yellow") + Text(w), highlight=False)
        err.print(f"campaign folder: {path} (open {path / 'campaign.html'})")
