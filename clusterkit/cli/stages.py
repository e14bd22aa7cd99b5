"""``clusterkit stages``: list the registered stages with their parameters and defaults.

Python: ``clusterkit.registry.list_stages()`` (``{kind: [name, ...]}``) and
``get_stage(kind, name)`` (the stage class; ``get_params()`` of an instance gives the defaults).
"""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the ``stages`` command to the ``clusterkit`` app."""

    @app.command()
    def stages(
        kind: Annotated[str | None, typer.Option(help="Only this kind.")] = None,
    ):
        """List registered stages with their parameters and defaults.

        Example: ``clusterkit stages``; then, in a run, ``--set community.name=louvain``.

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
