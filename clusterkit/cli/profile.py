"""``clusterkit profile RUN MEMBER``: one member's profile from the run's index, in an instant.

Python: ``clusterkit.profile.lookup(run_dir, key)`` or, for many lookups,
``ProfileIndex(run_dir).get(key)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def _build_index(run: Path, data_dir: Path, console) -> None:
    """Build a missing index of ``run`` from the dataset it was made from."""
    from clusterkit.data import load_dataset
    from clusterkit.data.columns import columns_of
    from clusterkit.errors import ClusterkitInputError
    from clusterkit.profile import write_profile_index
    from clusterkit.results import load_run

    result = load_run(run)
    with console.status(f"loading {data_dir}"):
        data = load_dataset(data_dir, columns=columns_of(result.manifest))
    expected = result.manifest.get("data_fingerprint")
    if expected and data.fingerprint() != expected:
        raise ClusterkitInputError(
            f"--data {str(data_dir)!r} is not the dataset run {str(run)!r} was made from (its "
            "fingerprint differs from the run's manifest.json); give the folder the run used.")
    with console.status(f"building the profile index of {run}"):
        write_profile_index(run, result, data)


def _index_missing(run: Path) -> bool:
    """Whether ``run`` is a run folder whose profile index is missing or of an older format."""
    from clusterkit.errors import ClusterkitInputError
    from clusterkit.profile import INDEX_FILE, ProfileIndex

    if not (run / "manifest.json").is_file():
        return False
    if not (run / INDEX_FILE).is_file():
        return True
    try:
        ProfileIndex(run).close()
    except ClusterkitInputError:
        return True
    return False


def register(app: typer.Typer) -> None:
    """Add ``profile`` to the ``clusterkit`` app."""

    @app.command()
    def profile(
        run: Annotated[Path, typer.Argument(help="Run folder (the --out of run or demo).")],
        member: Annotated[str, typer.Argument(help="member_id, handle (any case, with or "
                                                   "without @), email or display name.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the profile as one JSON "
                                                             "object.")] = False,
        events: Annotated[int, typer.Option(min=0, help="Recent actions in the timeline."
                                            )] = 20,
        topic: Annotated[str | None, typer.Option(
            help="Credibility on this topic (any case, with or without #): the member's "
                 "share of events on it against the community's (lift) and the amplification "
                 "received on it, with a percentile.")] = None,
        data: Annotated[Path | None, typer.Option(
            help="Dataset the run was made from: builds the run's profile index first if "
                 "the run has none or an older one (runs saved by an older clusterkit).")
        ] = None,
    ):
        """Who is this member: identities, timeline, activity by channel, role, segment,
        influence with percentiles, topics, credibility and reach; with --topic, credibility
        on that topic.

        Example: ``clusterkit profile runs/q3 @alex_kim --topic '#climate'``.

        Python: ``clusterkit.profile.lookup(run, member, topic=...)`` (``ProfileIndex`` for
        many).
        """
        import json

        from rich.console import Console

        from clusterkit.profile import lookup

        err = Console(stderr=True)
        if data is not None and _index_missing(run):
            _build_index(run, data, err)
        p = lookup(run, member, events=events, topic=topic)
        if as_json:
            print(json.dumps(p, indent=2, ensure_ascii=False))
            return
        from clusterkit.profile.render import render_profile

        render_profile(p, Console())
