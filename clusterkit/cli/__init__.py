"""The ``clusterkit`` command line: :mod:`.app` holds the typer app, exit codes and
``--debug``; every command lives in a module of its own (DESIGN §6)."""

from clusterkit.cli.app import app, main

__all__ = ["app", "main"]
