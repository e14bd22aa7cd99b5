"""``clusterkit attribute RUN_OR_DATA``: what each channel (or action) adds to conversion.

Builds the journeys of a dataset (or of the dataset a run folder was made from), runs every
attribution model on them, prints their shares side by side and writes
``attribution.csv``, ``journeys.parquet`` and ``weights.yaml`` (learned engagement weights
for ``clusterkit run --set weights_file=...``).

Python equivalent::

    from clusterkit.attribution import AttributionConfig, attribution_outputs, write_attribution
    from clusterkit.data import load_dataset

    cfg = AttributionConfig(level="channel", bootstrap=100, seed=0)
    write_attribution("out", attribution_outputs(load_dataset("data"), cfg))
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def _resolve(target: Path, data: Path | None):
    """(dataset folder, run manifest or None) for a run folder or a dataset folder."""
    import json

    from clusterkit.errors import ClusterkitInputError

    if not target.exists():
        raise ClusterkitInputError(f"{str(target)!r} does not exist; give a run folder "
                                   "(clusterkit run --out) or a dataset folder.")
    manifest_path = target / "manifest.json"
    if not manifest_path.is_file():
        return (data or target), None
    manifest = json.loads(manifest_path.read_text())
    if data is not None:
        return data, manifest
    folders = {Path(p).parent for p in (manifest.get("sources") or {}).values()}
    if len(folders) == 1:
        folder = folders.pop()
        folder = folder if folder.is_absolute() else Path.cwd() / folder
        if folder.is_dir():
            return folder, manifest
    raise ClusterkitInputError(f"run {str(target)!r} does not record a dataset folder that "
                               "exists here; pass --data DIR, the folder the run was made from.")


_SHORT = {"linear": "lin", "time_decay": "decay", "position": "pos", "markov_1": "mk1",
          "markov_2": "mk2", "markov_3": "mk3", "markov_4": "mk4", "shapley_rate": "shR",
          "shapley_count": "shC"}


def _print_table(att, chosen: str, console, n_conv: float) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    wide = att.pivot(index="touch", columns="model", values="share")
    models = [chosen] + [m for m in att["model"].unique() if m != chosen]
    wide = wide[models].sort_values(chosen, ascending=False)
    mine = att[att["model"] == chosen].set_index("touch")
    has_ci = mine["ci_low"].notna().any()
    table = Table(title=f"% of {n_conv:,.0f} conversions per touch, every model "
                        f"('{chosen}' first)", box=box.SIMPLE_HEAD, pad_edge=False,
                  padding=(0, 1), collapse_padding=True)
    table.add_column("touch", no_wrap=True)
    for m in models:
        label = m if m == chosen else _SHORT.get(m, m)
        label += " [CI]" if m == chosen and has_ci else ""
        table.add_column(label, justify="right", no_wrap=True, min_width=len(label))
    nd = 1 if console.width >= 130 else 0  # whole percents on a narrow terminal
    for touch, row in wide.iterrows():
        cells = [Text(str(touch))]
        for m in models:
            text = f"{100 * row[m]:.{nd}f}"
            if m == chosen and has_ci:
                text += f" [{100 * mine.at[touch, 'ci_low']:.{nd}f}, " \
                        f"{100 * mine.at[touch, 'ci_high']:.{nd}f}]"
            cells.append(text)
        table.add_row(*cells)
    console.print(table)
    legend = [f"{v} = {k}" for k, v in _SHORT.items() if k in models and k != chosen]
    if legend:
        console.print("  " + ", ".join(legend))
    if chosen == "model":
        added = float(mine["conversions"].sum())
        console.print(f"'model' credits {added:,.0f} of {n_conv:,.0f} conversions to touches; "
                      f"the other {n_conv - added:,.0f} it expects without any touch.")


def register(app: typer.Typer) -> None:
    """Add the ``attribute`` command to the ``clusterkit`` app."""

    @app.command("attribute")
    def attribute(
        target: Annotated[Path, typer.Argument(
            metavar="RUN_OR_DATA", help="A run folder or a dataset folder.")],
        model: Annotated[str | None, typer.Option(
            help="Model shown first and whose credit becomes weights.yaml (default: the "
                 "config's weights_model).")] = None,
        level: Annotated[str | None, typer.Option(
            help="Touches: 'channel' or 'action' (action on channel); default: the "
                 "config's.")] = None,
        out: Annotated[Path | None, typer.Option(
            help="Folder to write (default: the run folder, or ./attribution).")] = None,
        bootstrap: Annotated[int | None, typer.Option(
            min=0, help="Bootstrap replicates over persons for the CI (0: none); default: "
                        "the config's, as in run (100).")] = None,
        seed: Annotated[int | None, typer.Option(
            min=0, help="Seed (default: the run's seed, else 0).")] = None,
        lookback_days: Annotated[float | None, typer.Option(
            help="Days of touches kept before a conversion; default: the config's.")] = None,
        conversions: Annotated[str | None, typer.Option(
            help="Conversion action(s), comma-separated; default: the config's.")] = None,
        data: Annotated[Path | None, typer.Option(
            help="Dataset folder (when RUN's manifest does not point to one).")] = None,
        set_: Annotated[list[str] | None, typer.Option(
            "--set", help="Override a config value as in run, e.g. "
                          "attribution.params.model.half_life_days=10.")] = None,
    ):
        """Attribute conversions to channels or actions with every model, side by side.

        Example: ``clusterkit attribute runs/q3 --level action``.
        A model parameter: ``... --set attribution.params.model.half_life_days=10``.

        Defaults are those of the run's configuration (a run folder) or of ``run``'s default
        configuration (a dataset folder), with ``--set`` overrides as in ``run``; the options
        above override both.

        Python: ``write_attribution(out, attribution_outputs(load_dataset(folder), cfg))``.
        """
        import time

        from rich.console import Console

        from clusterkit.attribution import (
            DEFAULT_MODELS,
            attribution_config,
            attribution_outputs,
            write_attribution,
        )
        from clusterkit.attribution.api import _check_model
        from clusterkit.attribution.outputs import check_warnings
        from clusterkit.config import RunConfig, apply_overrides
        from clusterkit.data import load_dataset
        from clusterkit.errors import ConfigError

        console = Console(stderr=True)
        t0 = time.perf_counter()
        folder, manifest = _resolve(target, data)
        base = RunConfig.model_validate(manifest["config"]) if manifest and isinstance(
            manifest.get("config"), dict) else RunConfig()
        run_cfg = apply_overrides(base, set_ or [])
        att = run_cfg.attribution
        level = att.level if level is None else level
        model = att.weights_model if model is None else model
        bootstrap = att.bootstrap if bootstrap is None else bootstrap
        lookback_days = att.lookback_days if lookback_days is None else lookback_days
        conv = list(att.conversions) if conversions is None else [
            c for c in conversions.split(",") if c.strip()]
        if level not in ("channel", "action"):
            raise ConfigError(f"--level {level!r}: use 'channel' or 'action'.")
        _check_model(model)
        model = "markov_1" if model == "markov" else model  # the name its rows carry
        if seed is None:
            seed = int(manifest.get("seed", 0)) if manifest else run_cfg.seed
        models = [m for m in DEFAULT_MODELS if m != model] + [model]
        cfg = attribution_config(**{
            **att.model_dump(exclude={"enabled"}), "conversions": conv, "level": level,
            "lookback_days": lookback_days, "models": models, "bootstrap": bootstrap,
            "seed": seed, "weights_model": model})
        with console.status(f"loading {folder}"):
            dataset = load_dataset(folder, columns=run_cfg.columns)
        with console.status("building journeys and attributing"
                            + (f" ({bootstrap} bootstrap replicates)" if bootstrap else "")):
            outputs = attribution_outputs(dataset, cfg)
        dest = out if out is not None else (target if manifest else Path("attribution"))
        header = (f"learned from model {model!r}, level {level}, lookback {lookback_days:g} "
                  f"days, seed {seed}; data {folder}")
        paths = write_attribution(dest, outputs, header=header)
        j = outputs["journeys"]
        n_conv = float(j.drop_duplicates("journey_id")["converted"].sum())
        _print_table(outputs["attribution"], model, Console(), n_conv)
        for warning in check_warnings(outputs):  # the placebo, the negative controls
            console.print(f"[yellow]warning:[/] {warning}", highlight=False)
        console.print(f"{j['journey_id'].nunique():,} journeys; wrote "
                      f"{', '.join(str(p) for p in paths.values())} in "
                      f"{time.perf_counter() - t0:.1f} s")
