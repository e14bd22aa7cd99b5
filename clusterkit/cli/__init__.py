"""The ``clusterkit`` command line (DESIGN §6).

:mod:`.app` holds the typer app, exit codes and ``--debug``; every command lives in a module
of its own (``demo``, ``generate``, ``run``, ``compare``, ``runs``, ``stages``, ``report``,
``profile``, ``export``, ``resolve``, ``attribute``, ``campaign``), each with
``register(app)``; :mod:`._shared` holds the helpers several commands use.
"""

from clusterkit.cli.app import app, main

__all__ = ["app", "main"]
