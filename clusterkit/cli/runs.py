"""``clusterkit runs``: list the runs and compares recorded in the run registry.

The registry is ``$CLUSTERKIT_HOME/runs.duckdb``, written by ``clusterkit run`` and
``clusterkit compare``.

Python equivalent::

    from clusterkit.experiment.tracking import list_runs

    list_runs(kind="run", name="demo", since="2026-03-01", limit=50)
"""

from __future__ import annotations

from typing import Annotated

import typer

from clusterkit.cli._shared import fmt_cell, stderr_console


def register(app: typer.Typer) -> None:
    """Add the ``runs`` command to the ``clusterkit`` app."""

    @app.command("runs")
    def runs_(
        kind: Annotated[str | None, typer.Option(help="run or compare.")] = None,
        name: Annotated[str | None, typer.Option(help="Name contains this text.")] = None,
        config_hash: Annotated[str | None, typer.Option(help="Config hash (prefix).")] = None,
        since: Annotated[str | None, typer.Option(help="Created at or after (UTC), e.g. "
                                                       "2026-03-01.")] = None,
        limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first."
                                           )] = 50,
        as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table."
                                              )] = False,
    ):
        """List recorded runs and compares (registry: $CLUSTERKIT_HOME/runs.duckdb).

        Example: ``clusterkit runs --kind compare --since 2026-03-01``.

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
            stderr_console().print(f"no runs recorded (registry: {registry_path()})")
            return
        console = Console()
        wide = console.width >= 140  # a narrow terminal gets the essential columns
        table = Table(title=f"{len(df)} recorded run(s), newest first (all columns: --json)")
        cells = {
            "id": df["id"], "kind": df["kind"],
            "created (UTC)": df["created_at"].astype(str).str[:16],
            "name": df["name"].fillna("").astype(str),
            "config": df["config_hash"].fillna("").astype(str).str[:8],
            "seed": df["seed"].map(fmt_cell), "runs": df["n_runs"].map(fmt_cell),
            "modularity": df["modularity"].map(fmt_cell), "nmi": df["nmi"].map(fmt_cell),
            "segments": df["n_segments"].map(fmt_cell), "wall s": df["wall_s"].map(
                lambda v: fmt_cell(v, 1)),
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
