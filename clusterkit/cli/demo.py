"""``clusterkit demo``: synthetic data, the default pipeline, a run folder and its report.

Python equivalent::

    from clusterkit import save_run
    from clusterkit.data import CommunityData
    from clusterkit.pipeline import Pipeline
    from clusterkit.synthetic import generate

    data = CommunityData.from_frames(**generate(20_000, seed=42).tables)
    save_run(Pipeline().run(data), "clusterkit-demo/run", data=data)
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clusterkit.cli._shared import print_summary, run_with_progress, stderr_console


def register(app: typer.Typer) -> None:
    """Add the ``demo`` command to the ``clusterkit`` app."""

    @app.command()
    def demo(
        out: Annotated[Path, typer.Option(help="Folder for the demo data and run.")] = Path(
            "clusterkit-demo"),
        members: Annotated[int, typer.Option(min=100, help="Synthetic members.")] = 20_000,
        seed: Annotated[int, typer.Option(min=0)] = 42,
    ):
        """Generate synthetic data, run the default pipeline, write a run folder and report.

        Example: ``clusterkit demo --members 5000 --out my-demo``.

        Python: ``generate(...)``, ``Pipeline().run(CommunityData.from_frames(**tables))``.
        """
        from rich.console import Console

        import clusterkit
        from clusterkit.data import CommunityData
        from clusterkit.metrics import nmi, role_macro_f1
        from clusterkit.pipeline import Pipeline
        from clusterkit.synthetic.community import generate

        console = stderr_console()
        with console.status(f"generating {members:,} synthetic members"):
            synth = generate(members, seed=seed)
            data_dir = synth.write(out / "data")
        with console.status("validating"):
            data = CommunityData.from_frames(**synth.tables)
        result = run_with_progress(Pipeline(), data, console)
        run_dir = clusterkit.save_run(result, out / "run", data=data)
        print_summary(result, Console())
        truth = synth.truth.reindex(result.segments["member_id"])
        f1 = role_macro_f1(truth["role"], result.segments["role"])
        score = nmi(truth["community"], result.segments["community"])
        console.print(f"against the planted truth: role macro-F1 {f1:.3f}, community NMI "
                      f"{score:.3f}")
        console.print(f"data: {data_dir}\nrun:  {run_dir} (open {run_dir / 'report.html'})")
        console.print(f"next: clusterkit run --data {data_dir} --out my-run")
