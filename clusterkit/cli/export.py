"""``clusterkit export``: a run's audience as a member table or an ad-platform customer list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the ``export`` command to ``app``."""

    @app.command("export")
    def export(
        run: Annotated[Path, typer.Argument(help="Run folder (written by 'clusterkit run').")],
        segment: Annotated[list[str] | None, typer.Option(
            "--segment", help="Segment name or key, any case ('Buying Fans' or buying-fans); "
                              "repeat for several (union with --role).")] = None,
        role: Annotated[list[str] | None, typer.Option(
            "--role", help="Role (influencer, blogger, fan, follower), any case; "
                           "repeatable.")] = None,
        all_: Annotated[bool, typer.Option("--all", help="Every member of the run.")] = False,
        fmt: Annotated[str, typer.Option(
            "--format", help="csv, parquet, json (member tables) or meta, google, linkedin "
                             "(hashed customer-list uploads).")] = "csv",
        out: Annotated[Path | None, typer.Option(
            help="Output file (default: <run>-<filter>-<format>.<ext> here); a provenance "
                 "sidecar <out>.meta.json is written beside it.")] = None,
        include_pii: Annotated[bool, typer.Option(
            "--include-pii", help="Add name, handles and raw emails, phones (member tables; "
                                  "plain names for LinkedIn). Off by default.")] = False,
        top: Annotated[int | None, typer.Option(
            "--top", help="Keep the first N members of the --sort order.")] = None,
        sort: Annotated[str, typer.Option(
            "--sort", help="Row order: influence (default), engagement, followers "
                           "(descending) or member_id.")] = "influence",
        default_country: Annotated[str | None, typer.Option(
            "--default-country", help="ISO country of phones without a country code "
                                      "(default: most common in the data, else US).")] = None,
    ):
        """Export members of a run by segment and/or role, with a provenance sidecar.

        Example: clusterkit export runs/q3 --segment buying-fans --top 50 --include-pii

        Python: ``clusterkit.export.export_audience(run, segment=..., role=..., fmt=...)``.
        """
        import warnings

        from rich.console import Console
        from rich.text import Text

        from clusterkit.errors import ClusterkitInputError
        from clusterkit.export import export_audience

        if not all_ and not segment and not role:
            raise ClusterkitInputError("say which members to export: --segment NAME, --role ROLE "
                                       "(both repeatable) or --all.")
        if all_ and (segment or role):
            raise ClusterkitInputError("--all exports every member; drop --segment / --role, or "
                                       "drop --all.")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # printed below as warning lines
            result = export_audience(run, segment=segment, role=role, fmt=fmt, out=out,
                                     include_pii=include_pii, default_country=default_country,
                                     top=top, sort=sort)
        console = Console(stderr=True)
        for note in result.warnings:  # data text is printed as is, never as markup
            console.print(Text("warning: ", style="yellow") + Text(note), highlight=False,
                          soft_wrap=True)
        console.print(Text(f"wrote {result.rows:,} rows ({result.selected:,} members selected) "
                           f"to {result.path}; provenance: {result.sidecar}"), highlight=False,
                      soft_wrap=True)
