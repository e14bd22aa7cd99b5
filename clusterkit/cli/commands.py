"""Sub-commands of the ``clusterkit`` CLI that live in their own modules.

Each module here defines ``register(app)``, which adds its command(s) to the typer app. Only
light imports at module level (typer, pathlib, typing): heavy libraries are imported inside
the command body so that ``clusterkit --help`` stays fast. :data:`MODULES` lists the modules
that :mod:`clusterkit.cli.app` registers, in order.
"""

MODULES: tuple[str, ...] = ("report", "profile", "export", "resolve", "attribute", "campaign")
