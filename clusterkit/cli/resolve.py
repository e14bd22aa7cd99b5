"""``clusterkit resolve``: link a dataset's accounts into persons and show the evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def _fmt_link(row) -> str:
    if row.rule != "splink":
        return str(row.rule)
    return f"splink w={row.match_weight:.1f} p={row.match_probability:.3f}"


def _account(row) -> str:
    bits = [str(row.member_id)]
    for col in ("channel", "handle", "name", "email"):
        value = getattr(row, col, None)
        if isinstance(value, str) and value and value not in bits:
            bits.append(value)
    return " · ".join(bits)


def _table(res, members, show: int):
    """A rich table of the ``show`` largest persons, their accounts and links."""
    import pandas as pd
    from rich.table import Table
    from rich.text import Text

    clusters = res.clusters().head(show)
    table = Table(title=f"{res.n_persons:,} persons from {len(res.persons):,} accounts "
                        f"(largest {len(clusters)} shown)")
    for col in ("person", "accounts", "evidence (merging links first)"):
        table.add_column(col, overflow="fold")
    if len(clusters) == 0:
        return table
    shown = set(clusters["person_id"])
    pid = res.persons.set_index("member_id")["person_id"]
    links = res.links.assign(person_id=pid.reindex(res.links["member_id_l"]).to_numpy())
    links = links[links["person_id"].isin(shown)].sort_values(
        ["person_id", "merged", "member_id_l", "member_id_r"], ascending=[True, False, True,
                                                                          True])
    info = members.reindex(pd.Index(res.persons["member_id"].to_numpy(dtype=object))).reset_index()
    info = info.rename(columns={"index": "member_id"})
    info["person_id"] = res.persons["person_id"].to_numpy(dtype=object)
    info = info[info["person_id"].isin(shown)]
    accounts = {p: "\n".join(_account(r) for r in g.itertuples()) for p, g in
                info.groupby("person_id", sort=False)}  # the persons shown (at most --show)
    evidence = {p: "\n".join(f"{r.member_id_l} – {r.member_id_r}: {_fmt_link(r)}"
                             for r in g.itertuples()) for p, g in
                links.groupby("person_id", sort=False)}
    for row in clusters.itertuples():
        table.add_row(Text(str(row.person_id)), Text(accounts.get(row.person_id, "")),
                      Text(evidence.get(row.person_id, "")))
    return table


def _check_out(out: Path) -> None:
    """Refuse, before any work, an ``--out`` that cannot be written (one line, exit 2)."""
    from clusterkit.errors import ClusterkitInputError

    as_file = out.suffix.lower() in (".parquet", ".csv")
    if as_file and out.is_dir():
        raise ClusterkitInputError(f"--out {str(out)!r} is a folder; give a .parquet or .csv "
                                   "file name, or a folder name without those suffixes.")
    if not as_file and out.exists() and not out.is_dir():
        raise ClusterkitInputError(f"--out {str(out)!r} exists and is not a folder; give a "
                                   "folder, or a .parquet or .csv file name.")
    parent = out.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise ClusterkitInputError(f"--out {str(out)!r} cannot be created: {str(parent)!r} is "
                                   "a file, not a folder.")


def _write_links(links, out: Path) -> None:
    """Write the links table to ``out`` (.csv or .parquet) through a temporary file."""
    import os

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        if out.suffix.lower() == ".csv":
            links.to_csv(tmp, index=False)
        else:
            links.to_parquet(tmp, index=False)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def register(app: typer.Typer) -> None:
    """Add the ``resolve`` command to ``app``."""

    @app.command("resolve")
    def resolve(
        data: Annotated[Path, typer.Option(help="Dataset folder (members / identities / "
                                                "events / follows).")],
        threshold: Annotated[float | None, typer.Option(
            help="Match probability at or above which Splink links may merge accounts "
                 "(default 0.9).")] = None,
        out: Annotated[Path | None, typer.Option(
            help="Write the links: a folder gets identity_links.parquet and persons.parquet; "
                 "a .parquet or .csv file gets the links only.")] = None,
        show: Annotated[int, typer.Option(min=0, help="Persons to show (largest first).")] = 10,
        seed: Annotated[int, typer.Option(min=0, help="Seed of Splink's u sampling.")] = 0,
        rules_only: Annotated[bool, typer.Option(
            "--rules-only", help="Deterministic rules only (no Splink).")] = False,
    ):
        """Link accounts into persons (rules + Splink) and show clusters with their evidence.

        Example: ``clusterkit resolve --data data/sample --show 20 --out links.csv``.

        Python: ``resolve_identities(load_dataset(folder), IdentityConfig(threshold=...))``.
        """
        from rich.console import Console
        from rich.text import Text

        from clusterkit.data import load_dataset
        from clusterkit.identity import IdentityConfig, resolve_identities, write_identity_links

        if out is not None:
            _check_out(out)  # before any work
        kwargs = {} if threshold is None else {"threshold": threshold}
        config = IdentityConfig(probabilistic=not rules_only, **kwargs)
        err = Console(stderr=True)
        with err.status(f"loading {data}"):
            dataset = load_dataset(data, require_activity=False)
        with err.status(f"resolving {dataset.n_members:,} accounts"):
            res = resolve_identities(dataset, config, seed=seed)
        for note in res.warnings:  # data text is printed as is, never as markup
            err.print(Text("warning: ", style="yellow") + Text(note), highlight=False,
                      soft_wrap=True)
        if show:
            Console().print(_table(res, dataset.members, show))
        s = res.summary()
        rules = ", ".join(f"{k} {v:,}" for k, v in s["links_by_rule"].items()) or "none"
        err.print(Text(f"{s['members']:,} accounts → {s['persons']:,} persons "
                       f"({s['persons_with_several_accounts']:,} with several accounts); "
                       f"links: {rules}; refused: {s['rejected']:,}"), highlight=False)
        if out is not None:
            if out.suffix.lower() in (".parquet", ".csv"):
                _write_links(res.links, out)
                err.print(Text(f"wrote {out}"), highlight=False)
            else:
                paths = write_identity_links(out, res)
                err.print(Text(f"wrote {paths['identity_links']} and {paths['persons']}"),
                          highlight=False)
