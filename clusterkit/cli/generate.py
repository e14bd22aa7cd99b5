"""``clusterkit generate``: a synthetic dataset with planted communities and roles.

Python equivalent::

    from clusterkit.synthetic.community import generate

    generate(2000, mixing=0.3, seed=0).write("data", format="csv")
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clusterkit.cli._shared import stderr_console


def register(app: typer.Typer) -> None:
    """Add the ``generate`` command to the ``clusterkit`` app."""

    @app.command()
    def generate(
        out: Annotated[Path, typer.Option(help="Folder to write the tables to: a new or "
                                          "empty folder.")],
        members: Annotated[int, typer.Option(min=10, help="Number of members.")] = 2000,
        mixing: Annotated[float, typer.Option(min=0.0, max=1.0,
                                              help="Share of follows across communities.")
                          ] = 0.3,
        seed: Annotated[int, typer.Option(min=0)] = 0,
        fmt: Annotated[str, typer.Option("--format", help="csv, csv.gz, parquet or jsonl."
                                         )] = "csv",
    ):
        """Write a synthetic dataset with planted communities and roles (plus truth.csv).

        ``--out`` must be new or empty: a folder holding files is refused, never overwritten
        or mixed with the new tables. The folder appears whole, or not at all.

        Example: ``clusterkit generate --members 5000 --mixing 0.4 --out data/synthetic``.

        Python: ``clusterkit.synthetic.community.generate(members, mixing=..., seed=...).write(out)``.
        """  # noqa: E501 - the help text is kept on one line
        from clusterkit.errors import ClusterkitInputError
        from clusterkit.provenance import atomic_folder
        from clusterkit.synthetic.community import generate as _generate

        if fmt not in ("csv", "csv.gz", "parquet", "jsonl"):
            raise ClusterkitInputError(f"--format {fmt!r}: use csv, csv.gz, parquet or jsonl.")
        if out.is_dir() and any(out.iterdir()):  # a user's files: never replaced or mixed
            raise ClusterkitInputError(
                f"output {str(out)!r} is a folder that is not empty; generate writes into a "
                "new or empty folder only: choose another --out or empty it.")
        console = stderr_console()
        with console.status(f"generating {members:,} members"), \
                atomic_folder(out, "dataset") as tmp:  # nothing half-written on an error
            _generate(members, mixing=mixing, seed=seed).write(tmp, format=fmt)
        console.print(f"wrote {out}")
